// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>

#include "stats-cpustat.h"
#include "read-fixture.h"

static void test_host(void **state)
{
	_cleanup_free_ char *text = read_fixture("proc/misc/stat-2cpu");
	struct nt_cpustat s;

	(void)state;
	assert_int_equal(nt_cpustat_parse(text, &s), 0);
	assert_int_equal(s.n_cpu, 2);
	assert_true(s.cpu[0].present && s.cpu[1].present);
	assert_true(nt_cpustat_total(&s.all) >= nt_cpustat_total(&s.cpu[0]));
	nt_cpustat_done(&s);
}

static void test_old_kernel_offline(void **state)
{
	_cleanup_free_ char *text = read_fixture("proc/misc/stat-old-kernel");
	struct nt_cpustat s;

	(void)state;
	/* 7 fields (no steal), CPU 1 offline (absent). */
	assert_int_equal(nt_cpustat_parse(text, &s), 0);
	assert_int_equal(s.n_cpu, 3);
	assert_false(s.cpu[1].present);
	assert_int_equal(s.cpu[2].softirq, 20);
	assert_int_equal(s.cpu[2].irq, 2);
	assert_int_equal(s.cpu[2].steal, 0);
	assert_int_equal(nt_cpustat_total(&s.cpu[0]), 50 + 100 + 1500 + 20 + 3 + 40);
	assert_int_equal(s.all.idle, 3000);
	nt_cpustat_done(&s);
}

static void test_bad(void **state)
{
	struct nt_cpustat s;

	(void)state;
	assert_int_equal(nt_cpustat_parse("cpu0 1 2 3 4\n", &s), -EBADMSG); /* no total line */
	assert_int_equal(nt_cpustat_parse("cpu 1 2 3\n", &s), -EBADMSG);
	assert_int_equal(nt_cpustat_parse("cpu 1 2 3 4\ncpuX 1 2 3 4\n", &s), -EBADMSG);
	assert_int_equal(nt_cpustat_parse("cpu 1 2 3 4\ncpu1 1 2 x 4\n", &s), -EBADMSG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_host),
		cmocka_unit_test(test_old_kernel_offline),
		cmocka_unit_test(test_bad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
