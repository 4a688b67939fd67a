// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * /proc/softirqs (stats/stats-softirqs.c). What is accepted has a column for at least one CPU,
 * and CPUs without a column count nothing.
 */
#include "fuzz.h"
#include "stats-softirqs.h"

const unsigned int nt_fuzz_texts = 1;

void nt_fuzz_run(const char *const *text, _unused_ const uint8_t *data, _unused_ size_t size)
{
	struct nt_softirqs s;
	bool any = false;

	if (nt_softirqs_parse(text[0], &s) == 0) {
		FUZZ_CHECK(s.n_cpu > 0 && s.present[s.n_cpu - 1]);
		for (unsigned int c = 0; c < s.n_cpu; c++) {
			any |= s.present[c];
			if (!s.present[c])
				FUZZ_CHECK(!s.net_rx[c] && !s.net_tx[c] && !s.total[c]);
		}
		FUZZ_CHECK(any);
		nt_softirqs_done(&s);
	}
}
