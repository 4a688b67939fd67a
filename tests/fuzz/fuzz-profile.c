// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target for the profile parser: any byte string must be accepted or
 * rejected with diagnostics, without crashes, leaks, hangs or undefined behaviour.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "profile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const dirs[] = {NULL};
	struct nt_profile *p = NULL;
	struct nt_msgs d = {};
	int r;

	r = nt_profile_load_buffer("fuzz.yaml", (const char *)data, size, dirs, &p, &d);
	/* Either a profile or at least one error, never both, never neither. */
	if ((r >= 0) != (p != NULL) || (r < 0 && d.n_errors == 0))
		abort();
	if (p) {
		/* Walk what was accepted: every CPU expression must evaluate or fail cleanly. */
		struct nt_cpus cpus = {.nr_cpu_ids = 4};
		struct nt_cpuset out, irq;

		(void)nt_cpuset_parse_list("0-3", &cpus.possible, NULL);
		cpus.online = cpus.possible;
		(void)nt_cpuset_parse_list("1", &irq, NULL);
		for (size_t i = 0; i < p->n_blocks; i++)
			for (size_t j = 0; j < p->blocks[i].n_settings; j++)
				if (p->blocks[i].settings[j].cpus.n)
					(void)nt_cpuspec_eval(&p->blocks[i].settings[j].cpus, &cpus,
							      NULL, &irq, &out, NULL);
		for (size_t i = 0; i < p->n_blocks; i++)
			(void)nt_devmatch_test(&p->blocks[i].match, "eth0", "x", true);
	}
	nt_profile_free(p);
	nt_msgs_done(&d);
	return 0;
}
