// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The profile parser (tune/profile.c over libyaml, with knobs/knob.c's typed values and
 * tune/cpuspec.c's CPU expressions): any bytes are accepted with a profile or rejected
 * with diagnostics. What it accepts is what apply would write, so every value must parse
 * again to itself, and every CPU expression must evaluate or fail cleanly.
 */
#include <string.h>

#include "fuzz.h"
#include "profile.h"

/* A value the profile accepted is kernel text: parsing it again changes nothing. */
static void check_value(const struct nt_setting *s)
{
	struct nt_err e = {};
	char *again = NULL, *shown = NULL;

	if (!s->value) {
		FUZZ_CHECK(s->knob->type == NT_T_CPUMASK || s->knob->type == NT_T_CPULIST);
		return;
	}
	if (strcmp(s->value, "max") != 0 || !s->knob->max_from_dev) {
		FUZZ_CHECK(nt_knob_parse(s->knob, s->value, &again, &e) == 0);
		FUZZ_CHECK(strcmp(again, s->value) == 0);
		FUZZ_CHECK(nt_knob_value_equal(s->knob, again, s->value));
	}
	FUZZ_CHECK(nt_knob_format(s->knob, s->value, &shown) == 0);
	free(again);
	free(shown);
}

static void check_cpus(const struct nt_setting *s)
{
	struct nt_cpus cpus = {.nr_cpu_ids = 4};
	struct nt_cpuset out, irq;

	if (!s->cpus.n)
		return;
	(void)nt_cpuset_parse_list("0-3", &cpus.possible, NULL);
	cpus.online = cpus.possible;
	(void)nt_cpuset_parse_list("1", &irq, NULL);
	if (nt_cpuspec_eval(&s->cpus, &cpus, NULL, &irq, &out, NULL) == 0)
		FUZZ_CHECK(nt_cpuset_is_subset(&out, &cpus.online));
}

const unsigned int nt_fuzz_texts = 0; /* YAML may hold NULs: the parser takes a length */

void nt_fuzz_run(_unused_ const char *const *text, const uint8_t *data, size_t size)
{
	static const char *const dirs[] = {NULL};
	struct nt_profile *p = NULL;
	struct nt_msgs d = {};
	int r;

	r = nt_profile_load_buffer("fuzz.yaml", (const char *)data, size, dirs, &p, &d);
	/* Either a profile or at least one error, never both, never neither. */
	FUZZ_CHECK((r >= 0) == (p != NULL));
	FUZZ_CHECK(r >= 0 || d.n_errors > 0);
	if (p) {
		for (size_t i = 0; i < p->n_sysctls; i++)
			check_value(&p->sysctls[i]);
		for (size_t i = 0; i < p->n_blocks; i++) {
			for (size_t j = 0; j < p->blocks[i].n_settings; j++) {
				check_value(&p->blocks[i].settings[j]);
				check_cpus(&p->blocks[i].settings[j]);
			}
			(void)nt_devmatch_test(&p->blocks[i].match, "eth0", "x", true);
		}
	}
	nt_profile_free(p);
	nt_msgs_done(&d);
}
