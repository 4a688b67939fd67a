// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * /proc/net/softnet_stat (stats/stats-softnet.c). Input: TEXT [NUL ONLINE-LIST]; the text is
 * parsed with CPUs 0..n-1 and with the given online CPUs (the reader's two cases). What
 * is accepted has CPUs in strictly increasing order, each found by nt_softnet_find().
 */
#include "cpuset.h"
#include "fuzz.h"
#include "stats-softnet.h"

static void check(const char *text, const struct nt_cpuset *online)
{
	struct nt_softnet s;

	if (nt_softnet_parse(text, online, &s) < 0)
		return;
	FUZZ_CHECK(s.n == 0 || (s.ncols >= 9 && s.have_cpu_id == (s.ncols >= 13)));
	for (unsigned int i = 0; i < s.n; i++) {
		FUZZ_CHECK(i == 0 || s.cpu[i - 1].cpu < s.cpu[i].cpu);
		FUZZ_CHECK(nt_softnet_find(&s, s.cpu[i].cpu) == &s.cpu[i]);
		if (online && !s.have_cpu_id)
			FUZZ_CHECK(nt_cpuset_isset(online, s.cpu[i].cpu));
	}
	nt_softnet_done(&s);
}

const unsigned int nt_fuzz_texts = 2;

void nt_fuzz_run(const char *const *text, _unused_ const uint8_t *data, _unused_ size_t size)
{
	struct nt_cpuset online;

	check(text[0], NULL);
	if (nt_cpuset_parse_list(text[1], &online, NULL) == 0)
		check(text[0], &online);
}
