// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * /proc/net/snmp and /proc/net/netstat (stats/stats-snmp.c). Input: SNMP [NUL NETSTAT]; without
 * a NUL there is no netstat file. What is accepted is sorted, and every counter is found
 * by nt_snmp_get().
 */
#include <string.h>

#include "fuzz.h"
#include "stats-snmp.h"

const unsigned int nt_fuzz_texts = 2;

void nt_fuzz_run(const char *const *text, const uint8_t *data, size_t size)
{
	struct nt_snmp s;
	bool netstat = memchr(data, '\0', size) != NULL;

	if (nt_snmp_parse_files(text[0], netstat ? text[1] : NULL, &s) == 0) {
		FUZZ_CHECK(s.have_netstat == netstat);
		for (unsigned int i = 0; i < s.n; i++) {
			const struct nt_snmp_entry *e = &s.e[i];
			uint64_t v;

			if (i > 0) {
				int c = strcmp(s.e[i - 1].group, e->group);

				FUZZ_CHECK(c < 0 ||
					   (c == 0 && strcmp(s.e[i - 1].name, e->name) <= 0));
			}
			FUZZ_CHECK(nt_snmp_get(&s, e->group, e->name, &v));
		}
		nt_snmp_done(&s);
	}
}
