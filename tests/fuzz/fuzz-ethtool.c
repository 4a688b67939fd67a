// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Recorded ethtool output, as fixture trees carry it (snapshot.c reads napitune-fixture/
 * DEV/ethtool-S, ethtool-S-groups and ethtool-g): "ethtool -S" (stats/stats-ethtool.c),
 * "ethtool -S --all-groups" (stats/stats-ethstd.c) and "ethtool -g" (stats/stats-rings.c). The same
 * text goes to all three; what is accepted is checked against each table's rules.
 */
#include <string.h>

#include "fuzz.h"
#include "stats-rings.h"
#include "stats-ethstd.h"
#include "stats-ethtool.h"

static void check_stats(const char *text)
{
	struct nt_ethtool_stats s;

	if (nt_ethtool_stats_parse_text(text, &s) < 0)
		return;
	for (unsigned int i = 0; i < s.n; i++) {
		int j = nt_ethtool_stats_find(&s, s.name[i]);

		FUZZ_CHECK(s.name[i][0] && memchr(s.name[i], '\0', NT_ETHTOOL_NAME_MAX));
		FUZZ_CHECK(j >= 0 && (unsigned int)j <= i && !strcmp(s.name[j], s.name[i]));
	}
	nt_ethtool_stats_done(&s);
}

static void check_std(const char *text)
{
	struct nt_ethstd_stats s;

	if (nt_ethstd_stats_parse_text(text, &s) < 0)
		return;
	FUZZ_CHECK(s.n > 0 && s.n <= NT_ETHSTD_STATS_MAX);
	for (unsigned int i = 0; i < s.n; i++) {
		const struct nt_ethstd_stat *st = &s.stat[i];

		FUZZ_CHECK(st->name && st->name == nt_ethstd_stat_to_string(st->group, st->id));
		FUZZ_CHECK(nt_ethstd_stats_find(&s, st->group, st->name) == (int)i);
	}
}

static void check_rings(const char *text)
{
	struct nt_rings_rx rx;

	if (nt_rings_rx_parse_text(text, &rx) < 0)
		return;
	FUZZ_CHECK(rx.cur >= -1 && rx.cur <= UINT32_MAX);
	/* "RX: n/a" in both sections is accepted: neither is reported. */
	FUZZ_CHECK(rx.max == -1 || (rx.max > 0 && rx.max <= UINT32_MAX));
}

const unsigned int nt_fuzz_texts = 1;

void nt_fuzz_run(const char *const *text, _unused_ const uint8_t *data, _unused_ size_t size)
{
	check_stats(text[0]);
	check_std(text[0]);
	check_rings(text[0]);
}
