// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpuset.h"
#include "fs.h"
#include "nt-test.h"

static struct nt_cpuset list(const char *s)
{
	struct nt_cpuset set;
	struct nt_err e = {};

	if (nt_cpuset_parse_list(s, &set, &e) < 0)
		fail_msg("parse_list('%s'): %s", s, e.msg);
	return set;
}

static char *fmt_list(const struct nt_cpuset *s)
{
	char *out = NULL;

	assert_int_equal(nt_cpuset_format_list(s, &out), 0);
	return out;
}

static char *fmt_mask(const struct nt_cpuset *s, unsigned int nbits)
{
	char *out = NULL;

	assert_int_equal(nt_cpuset_format_mask(s, nbits, &out), 0);
	return out;
}

/* A kernel-printed value must parse and print back identically. */
struct roundtrip {
	const char *list;
	const char *mask;
	unsigned int nbits;
	unsigned int count;
};

static const struct roundtrip roundtrips[] = {
	{"", "0", 2, 0},
	{"", "00", 8, 0},
	{"0-1", "3", 2, 2},
	{"0-3", "f", 4, 4},
	{"1", "2", 4, 1},
	{"0-7", "ff", 8, 8},
	{"31", "80000000", 32, 1},
	{"32", "1,00000000", 33, 1},
	{"0,32", "01,00000001", 40, 2},
	{"0-39", "ff,ffffffff", 40, 40},
	{"63", "80000000,00000000", 64, 1},
	{"64", "1,00000000,00000000", 65, 1},
	{"0-63", "ffffffff,ffffffff", 64, 64},
	{"0-3,8,10-11", "0d0f", 16, 7},
	{"1,3,5,7", "aa", 8, 4},
	{"30-33", "3,c0000000", 34, 4},
	{"0-71", "ff,ffffffff,ffffffff", 72, 72},
	{"8191", "80000000", 8192, 1},
	{"0-8191", NULL, 8192, 8192},
};

static void test_roundtrip(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(roundtrips) / sizeof(roundtrips[0]); i++) {
		const struct roundtrip *t = &roundtrips[i];
		struct nt_cpuset a = list(t->list), b;
		char *mask = fmt_mask(&a, t->nbits);

		assert_int_equal(nt_cpuset_count(&a), t->count);
		assert_string_equal_free(fmt_list(&a), t->list);
		if (t->mask && t->nbits < 8192)
			assert_string_equal(mask, t->mask);
		if (t->nbits == 8192 && t->mask) {
			/* 256 groups: check the first one and the length. */
			assert_int_equal(strncmp(mask, t->mask, 8), 0);
			assert_int_equal(strlen(mask), 256 * 9 - 1);
		}
		assert_int_equal(nt_cpuset_parse_mask(mask, &b, NULL), 0);
		assert_true(nt_cpuset_equal(&a, &b));
		free(mask);
	}
}

static void test_mask_kernel_newline(void **state)
{
	struct nt_cpuset s;

	(void)state;
	assert_int_equal(nt_cpuset_parse_mask("ff,ffffffff\n", &s, NULL), 0);
	assert_int_equal(nt_cpuset_count(&s), 40);
	assert_int_equal(nt_cpuset_parse_list("0-3,8\n", &s, NULL), 0);
	assert_int_equal(nt_cpuset_count(&s), 5);
}

static void test_mask_group_boundaries(void **state)
{
	struct nt_cpuset s;

	(void)state;
	/* bit 31 and bit 32 are in different groups */
	assert_int_equal(nt_cpuset_parse_mask("1,80000000", &s, NULL), 0);
	assert_true(nt_cpuset_isset(&s, 31));
	assert_true(nt_cpuset_isset(&s, 32));
	assert_int_equal(nt_cpuset_count(&s), 2);
	/* a short group is right-aligned within its 32 bits */
	assert_int_equal(nt_cpuset_parse_mask("1,1", &s, NULL), 0);
	assert_true(nt_cpuset_isset(&s, 0));
	assert_true(nt_cpuset_isset(&s, 32));
	/* 64-bit word boundary: group 2 starts at CPU 64 */
	assert_int_equal(nt_cpuset_parse_mask("1,00000000,00000000", &s, NULL), 0);
	assert_true(nt_cpuset_isset(&s, 64));
	assert_int_equal(nt_cpuset_count(&s), 1);
	/* leading zero groups are accepted, as the kernel does */
	assert_int_equal(nt_cpuset_parse_mask("00000000,00000001", &s, NULL), 0);
	assert_int_equal(nt_cpuset_count(&s), 1);
	assert_true(nt_cpuset_isset(&s, 0));
	/* uppercase hex */
	assert_int_equal(nt_cpuset_parse_mask("FF", &s, NULL), 0);
	assert_int_equal(nt_cpuset_count(&s), 8);
}

static void test_empty(void **state)
{
	struct nt_cpuset s;

	(void)state;
	assert_int_equal(nt_cpuset_parse_list("", &s, NULL), 0);
	assert_true(nt_cpuset_is_empty(&s));
	assert_int_equal(nt_cpuset_parse_list("\n", &s, NULL), 0);
	assert_true(nt_cpuset_is_empty(&s));
	assert_int_equal(nt_cpuset_parse_mask("0", &s, NULL), 0);
	assert_true(nt_cpuset_is_empty(&s));
	assert_int_equal(nt_cpuset_parse_mask("00000000,00000000", &s, NULL), 0);
	assert_true(nt_cpuset_is_empty(&s));
	assert_int_equal(nt_cpuset_last(&s), -1);
	assert_int_equal(nt_cpuset_next(&s, 0), -1);
}

struct bad {
	const char *in;
	int err;
	const char *msg; /* substring expected in the message */
};

static const struct bad bad_lists[] = {
	{"1-", -EINVAL, "has no end"},	      {"3-1", -EINVAL, "reversed"},
	{"abc", -EINVAL, "not a CPU number"}, {"0x", -EINVAL, "not a CPU number"},
	{"1,,2", -EINVAL, "empty item"},      {",1", -EINVAL, "empty item"},
	{"1,", -EINVAL, "ends with ','"},     {"-1", -EINVAL, "not a CPU number"},
	{"1-a", -EINVAL, "no valid end"},     {"1 2", -EINVAL, "not a CPU number"},
	{"0-7:0/4", -EINVAL, "bad stride"},   {"0-7:5/4", -EINVAL, "bad stride"},
	{"8192", -ERANGE, "below 8192"},      {"0-99999999999", -ERANGE, "below 8192"},
};

static const struct bad bad_masks[] = {
	{"", -EINVAL, "empty CPU mask"},
	{"0x", -EINVAL, "invalid character 'x'"},
	{"0xff", -EINVAL, "invalid character 'x'"},
	{"abc,xyz", -EINVAL, "invalid character 'x'"},
	{"ff,", -EINVAL, "empty group"},
	{",ff", -EINVAL, "empty group"},
	{"ff,,ff", -EINVAL, "empty group"},
	{"123456789", -EINVAL, "more than 8 hex digits"},
	{"00000000,000000001", -EINVAL, "more than 8 hex digits"},
	{"-1", -EINVAL, "invalid character '-'"},
	{"f f", -EINVAL, "invalid character ' '"},
};

static void check_bad(const struct bad *b, size_t n, bool mask)
{
	for (size_t i = 0; i < n; i++) {
		struct nt_err e = {};
		struct nt_cpuset s;
		int r;

		r = mask ? nt_cpuset_parse_mask(b[i].in, &s, &e)
			 : nt_cpuset_parse_list(b[i].in, &s, &e);
		if (r != b[i].err || !strstr(e.msg, b[i].msg))
			fail_msg("'%s': got %d '%s', want %d '%s'", b[i].in, r, e.msg, b[i].err,
				 b[i].msg);
	}
}

static void test_malformed(void **state)
{
	(void)state;
	check_bad(bad_lists, sizeof(bad_lists) / sizeof(bad_lists[0]), false);
	check_bad(bad_masks, sizeof(bad_masks) / sizeof(bad_masks[0]), true);
}

static void test_mask_beyond_max(void **state)
{
	struct nt_cpuset s;
	struct nt_err e = {};
	char *big;
	size_t n = 257 * 9;

	(void)state;
	/* 257 groups: group 256 (CPU 8192) set is out of range, all-zero is fine */
	big = malloc(n);
	assert_non_null(big);
	strcpy(big, "1");
	for (int i = 0; i < 256; i++)
		strcat(big, ",00000000");
	assert_int_equal(nt_cpuset_parse_mask(big, &s, &e), -ERANGE);
	assert_non_null(strstr(e.msg, "above 8191"));
	big[0] = '0';
	assert_int_equal(nt_cpuset_parse_mask(big, &s, NULL), 0);
	assert_true(nt_cpuset_is_empty(&s));
	free(big);
}

static void test_stride(void **state)
{
	struct nt_cpuset s = list("0-15:2/4");

	(void)state;
	assert_string_equal_free(fmt_list(&s), "0-1,4-5,8-9,12-13");
}

static void test_ops(void **state)
{
	struct nt_cpuset a = list("0-7"), b = list("4-11"), d;

	(void)state;
	nt_cpuset_and(&d, &a, &b);
	assert_string_equal_free(fmt_list(&d), "4-7");
	nt_cpuset_or(&d, &a, &b);
	assert_string_equal_free(fmt_list(&d), "0-11");
	nt_cpuset_andnot(&d, &a, &b);
	assert_string_equal_free(fmt_list(&d), "0-3");
	assert_true(nt_cpuset_is_subset(&d, &a));
	assert_false(nt_cpuset_is_subset(&a, &d));
	assert_int_equal(nt_cpuset_last(&b), 11);
	assert_int_equal(nt_cpuset_next(&b, 0), 4);
	assert_int_equal(nt_cpuset_next(&b, 11), 11);
	assert_int_equal(nt_cpuset_next(&b, 12), -1);
	assert_int_equal(nt_cpuset_set(&d, 8192), -ERANGE);
	nt_cpuset_clear(&a, 3);
	assert_string_equal_free(fmt_list(&a), "0-2,4-7");

	int n = 0;

	NT_CPUSET_FOREACH (cpu, &b)
		n += cpu;
	assert_int_equal(n, 4 + 5 + 6 + 7 + 8 + 9 + 10 + 11);
}

static void test_format_mask_range(void **state)
{
	struct nt_cpuset s = list("4");
	char *out = NULL;

	(void)state;
	assert_int_equal(nt_cpuset_format_mask(&s, 4, &out), -ERANGE);
	assert_int_equal(nt_cpuset_format_mask(&s, 0, &out), -ERANGE);
	assert_int_equal(nt_cpuset_format_mask(&s, 8193, &out), -ERANGE);
	assert_null(out);
}

static void with_machine(const char *possible, const char *online, struct nt_cpus *ret)
{
	char *dir = nt_test_mkdtemp();
	struct nt_root *root = NULL;

	nt_test_write(dir, "sys/devices/system/cpu/possible", possible);
	nt_test_write(dir, "sys/devices/system/cpu/online", online);
	assert_int_equal(nt_root_open(dir, &root), 0);
	assert_int_equal(nt_cpus_read(root, ret), 0);
	nt_root_free(root);
	nt_test_rmtree(dir);
}

static void test_machine_check(void **state)
{
	struct nt_cpuset s;
	struct nt_err e = {};
	struct nt_cpus cpus;

	(void)state;
	with_machine("0-3\n", "0-3\n", &cpus);
	assert_int_equal(cpus.nr_cpu_ids, 4);
	s = list("9");
	assert_int_equal(nt_cpuset_check(&s, &cpus, &e), -EINVAL);
	assert_string_equal(e.msg, "CPU 9 does not exist: this machine has CPUs 0-3");
	s = list("0-3");
	assert_int_equal(nt_cpuset_check(&s, &cpus, NULL), 0);
	s = list("");
	assert_int_equal(nt_cpuset_check(&s, &cpus, NULL), 0);
	/* a mask naming CPU 32 on a 4-CPU machine */
	assert_int_equal(nt_cpuset_parse_mask("00000001,00000000", &s, NULL), 0);
	assert_int_equal(nt_cpuset_check(&s, &cpus, &e), -EINVAL);
	assert_string_equal(e.msg, "CPU 32 does not exist: this machine has CPUs 0-3");

	with_machine("0-71\n", "0-63,65-71\n", &cpus);
	assert_int_equal(cpus.nr_cpu_ids, 72);
	s = list("60-66");
	assert_int_equal(nt_cpuset_check(&s, &cpus, &e), -ENXIO);
	assert_string_equal(e.msg, "CPU 64 is offline: online CPUs are 0-63,65-71");
	s = list("70-72");
	assert_int_equal(nt_cpuset_check(&s, &cpus, &e), -EINVAL);
	assert_string_equal(e.msg, "CPU 72 does not exist: this machine has CPUs 0-71");
}

static void test_machine_missing(void **state)
{
	char *dir = nt_test_mkdtemp();
	struct nt_root *root = NULL;
	struct nt_cpus cpus;

	(void)state;
	assert_int_equal(nt_root_open(dir, &root), 0);
	assert_int_equal(nt_cpus_read(root, &cpus), -ENOENT);
	nt_root_free(root);
	nt_test_rmtree(dir);
}

/* Whatever this kernel prints must round-trip exactly (read-only, no root needed). */
static void roundtrip_file(const struct nt_root *root, const char *path, bool mask,
			   unsigned int nbits, unsigned int *checked)
{
	char *text = NULL, *out = NULL;
	struct nt_cpuset s;
	struct nt_err e = {};

	if (nt_read_line(root, path, &text) < 0)
		return;
	if (mask)
		assert_int_equal(nt_cpuset_parse_mask(text, &s, &e), 0);
	else
		assert_int_equal(nt_cpuset_parse_list(text, &s, &e), 0);
	if (mask)
		assert_int_equal(nt_cpuset_format_mask(&s, nbits, &out), 0);
	else
		assert_int_equal(nt_cpuset_format_list(&s, &out), 0);
	if (strcmp(text, out) != 0)
		fail_msg("%s: kernel printed '%s', we print '%s'", path, text, out);
	(*checked)++;
	free(text);
	free(out);
}

static void test_live_kernel_roundtrip(void **state)
{
	static const char *const irq_files[][2] = {
		{"smp_affinity", "m"},
		{"effective_affinity", "m"},
		{"smp_affinity_list", "l"},
		{"effective_affinity_list", "l"},
	};
	struct nt_root *root = NULL;
	unsigned int checked = 0;
	struct nt_cpus cpus;
	char **irqs = NULL, **devs = NULL;
	char path[512];

	(void)state;
	assert_int_equal(nt_root_open("/", &root), 0);
	assert_int_equal(nt_cpus_read(root, &cpus), 0);
	roundtrip_file(root, "sys/devices/system/cpu/online", false, 0, &checked);
	roundtrip_file(root, "sys/devices/system/cpu/possible", false, 0, &checked);
	if (nt_list_dir(root, "proc/irq", &irqs, NULL) >= 0) {
		for (char **i = irqs; *i; i++)
			for (size_t k = 0; k < 4; k++) {
				snprintf(path, sizeof(path), "proc/irq/%s/%s", *i, irq_files[k][0]);
				roundtrip_file(root, path, irq_files[k][1][0] == 'm',
					       cpus.nr_cpu_ids, &checked);
			}
		nt_strv_free(irqs);
	}
	if (nt_list_dir(root, "sys/class/net", &devs, NULL) >= 0) {
		for (char **d = devs; *d; d++) {
			snprintf(path, sizeof(path), "sys/class/net/%s/queues/rx-0/rps_cpus", *d);
			roundtrip_file(root, path, true, cpus.nr_cpu_ids, &checked);
		}
		nt_strv_free(devs);
	}
	assert_true(checked >= 2);
	nt_root_free(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_mask_kernel_newline),
		cmocka_unit_test(test_mask_group_boundaries),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_mask_beyond_max),
		cmocka_unit_test(test_stride),
		cmocka_unit_test(test_ops),
		cmocka_unit_test(test_format_mask_range),
		cmocka_unit_test(test_machine_check),
		cmocka_unit_test(test_machine_missing),
		cmocka_unit_test(test_live_kernel_roundtrip),
	};

	return cmocka_run_group_tests_name("cpuset", tests, NULL, NULL);
}
