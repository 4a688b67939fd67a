// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>

#include "stats-softirqs.h"
#include "read-fixture.h"

static void test_4cpu(void **state)
{
	_cleanup_free_ char *text = read_fixture("proc/misc/softirqs-4cpu");
	struct nt_softirqs s;

	(void)state;
	assert_int_equal(nt_softirqs_parse(text, &s), 0);
	assert_int_equal(s.n_cpu, 4);
	assert_int_equal(s.net_rx[0], 98765432);
	assert_int_equal(s.net_rx[3], 34567);
	assert_int_equal(s.net_tx[2], 300);
	assert_int_equal(s.total[1],
			 0 + 1200000 + 200 + 12345 + 4001 + 0 + 11 + 500001 + 0 + 700001);
	assert_true(s.present[3]);
	nt_softirqs_done(&s);
}

static void test_host(void **state)
{
	_cleanup_free_ char *text = read_fixture("proc/misc/softirqs-2cpu");
	struct nt_softirqs s;

	(void)state;
	assert_int_equal(nt_softirqs_parse(text, &s), 0);
	assert_int_equal(s.n_cpu, 2);
	assert_true(s.total[0] >= s.net_rx[0]);
	nt_softirqs_done(&s);
}

static void test_sparse_and_bad(void **state)
{
	struct nt_softirqs s;

	(void)state;
	/* Columns name their CPU; a short row leaves the rest at 0. */
	assert_int_equal(nt_softirqs_parse("  CPU0 CPU4\n NET_RX: 5 6\n NET_TX: 1\n", &s), 0);
	assert_int_equal(s.n_cpu, 5);
	assert_int_equal(s.net_rx[4], 6);
	assert_false(s.present[2]);
	assert_int_equal(s.net_tx[4], 0);
	nt_softirqs_done(&s);
	assert_int_equal(nt_softirqs_parse("  CPU0\n TIMER: 5\n", &s), -EBADMSG);
	assert_int_equal(nt_softirqs_parse("garbage\n NET_RX: 5\n", &s), -EBADMSG);
	assert_int_equal(nt_softirqs_parse("  CPU0\n NET_RX: x\n", &s), -EBADMSG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_4cpu),
		cmocka_unit_test(test_host),
		cmocka_unit_test(test_sparse_and_bad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
