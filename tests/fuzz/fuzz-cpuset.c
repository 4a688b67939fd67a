// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * CPU sets: the kernel's cpulist and hex-mask forms (basic/cpuset.c, as read from sysfs and
 * procfs and written in profiles) and the profiles' CPU expressions (nt_cpuspec_parse,
 * tune/cpuspec.c). Input: TEXT [NUL ONLINE-LIST]. Whatever parses must format to text that parses
 * back to the same set, in both forms, and an expression must evaluate within the online CPUs.
 */
#include <errno.h>
#include <string.h>

#include "cpuset.h"
#include "fuzz.h"
#include "profile.h"

static void check_set(const struct nt_cpuset *s)
{
	char *list = NULL, *mask = NULL;
	struct nt_cpuset back;
	unsigned int n = 0;
	int last = nt_cpuset_last(s);

	NT_CPUSET_FOREACH (c, s)
		n++;
	FUZZ_CHECK(n == nt_cpuset_count(s));
	FUZZ_CHECK(nt_cpuset_is_empty(s) == (last < 0));
	FUZZ_CHECK(nt_cpuset_format_list(s, &list) == 0);
	FUZZ_CHECK(nt_cpuset_parse_list(list, &back, NULL) == 0 && nt_cpuset_equal(s, &back));
	FUZZ_CHECK(nt_cpuset_format_mask(s, last < 0 ? 1 : (unsigned int)last + 1, &mask) == 0);
	FUZZ_CHECK(nt_cpuset_parse_mask(mask, &back, NULL) == 0 && nt_cpuset_equal(s, &back));
	free(list);
	free(mask);
}

static void check_parsed(int r, const struct nt_err *e, const struct nt_cpuset *s)
{
	if (r < 0) {
		FUZZ_CHECK(r == -EINVAL || r == -ERANGE);
		FUZZ_CHECK(e->msg[0] != '\0');
		return;
	}
	FUZZ_CHECK(r == 0);
	check_set(s);
}

static void check_spec(const char *text, const struct nt_cpus *cpus)
{
	struct nt_cpuset out, irq;
	struct nt_cpuspec spec;
	struct nt_err e = {};

	if (nt_cpuspec_parse(text, false, &spec, &e) < 0) {
		FUZZ_CHECK(e.msg[0] != '\0');
		return;
	}
	nt_cpuset_zero(&irq);
	(void)nt_cpuset_set(&irq, (unsigned int)(nt_cpuset_last(&cpus->online) + 1) / 2);
	if (nt_cpuspec_eval(&spec, cpus, NULL, &irq, &out, NULL) == 0) {
		FUZZ_CHECK(nt_cpuset_is_subset(&out, &cpus->online));
		check_set(&out);
	}
	nt_cpuspec_done(&spec);
}

const unsigned int nt_fuzz_texts = 2;

void nt_fuzz_run(const char *const *text, _unused_ const uint8_t *data, _unused_ size_t size)
{
	struct nt_cpus cpus = {};
	struct nt_cpuset s;
	struct nt_err e = {};

	check_parsed(nt_cpuset_parse_list(text[0], &s, &e), &e, &s);
	e = (struct nt_err){};
	check_parsed(nt_cpuset_parse_mask(text[0], &s, &e), &e, &s);
	/* The machine: the second part as its online list, else CPUs 0-3. */
	if (nt_cpuset_parse_list(text[1], &cpus.online, NULL) < 0 ||
	    nt_cpuset_is_empty(&cpus.online))
		(void)nt_cpuset_parse_list("0-3", &cpus.online, NULL);
	cpus.possible = cpus.online;
	cpus.nr_cpu_ids = (unsigned int)nt_cpuset_last(&cpus.possible) + 1;
	check_spec(text[0], &cpus);
	if (nt_cpuset_parse_list(text[0], &s, NULL) == 0)
		(void)nt_cpuset_check(&s, &cpus, &e);
}
