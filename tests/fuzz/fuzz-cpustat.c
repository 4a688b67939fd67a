// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * /proc/stat's cpu lines (stats/stats-cpustat.c). What is accepted has the aggregate line, and
 * its per-CPU array ends at a present CPU.
 */
#include "fuzz.h"
#include "stats-cpustat.h"

const unsigned int nt_fuzz_texts = 1;

void nt_fuzz_run(const char *const *text, _unused_ const uint8_t *data, _unused_ size_t size)
{
	struct nt_cpustat s;

	if (nt_cpustat_parse(text[0], &s) == 0) {
		FUZZ_CHECK(s.all.present);
		FUZZ_CHECK(s.n_cpu == 0 || s.cpu[s.n_cpu - 1].present);
		(void)nt_cpustat_total(&s.all);
		for (unsigned int c = 0; c < s.n_cpu; c++)
			(void)nt_cpustat_total(&s.cpu[c]);
		nt_cpustat_done(&s);
	}
}
