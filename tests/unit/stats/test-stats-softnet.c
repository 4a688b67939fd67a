// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdlib.h>

#include "cpuset.h"
#include "stats-softnet.h"
#include "read-fixture.h"

static void test_cols11(void **state)
{
	_cleanup_free_ char *text = read_fixture("proc/softnet/cols11-4cpu");
	struct nt_softnet s;

	(void)state;
	assert_int_equal(nt_softnet_parse(text, NULL, &s), 0);
	assert_int_equal(s.n, 4);
	assert_int_equal(s.ncols, 11);
	assert_false(s.have_cpu_id);
	assert_int_equal(s.cpu[0].cpu, 0);
	assert_int_equal(s.cpu[0].processed, 0x0073d76b);
	assert_int_equal(s.cpu[0].time_squeeze, 0x49ae);
	assert_int_equal(s.cpu[1].received_rps, 0x12);
	assert_int_equal(s.cpu[2].dropped, 3);
	assert_int_equal(s.cpu[2].flow_limit_count, 3);
	assert_int_equal(s.cpu[3].cpu, 3);
	assert_int_equal(s.cpu[3].backlog_len, 0);
	nt_softnet_done(&s);
}

static void test_cols11_online_order(void **state)
{
	_cleanup_free_ char *text = read_fixture("proc/softnet/cols11-4cpu");
	struct nt_cpuset online;
	struct nt_softnet s;

	(void)state;
	/* Without an id column, line i is the i-th online CPU. */
	assert_int_equal(nt_cpuset_parse_list("0,2-3,5", &online, NULL), 0);
	assert_int_equal(nt_softnet_parse(text, &online, &s), 0);
	assert_int_equal(s.cpu[1].cpu, 2);
	assert_int_equal(s.cpu[3].cpu, 5);
	assert_non_null(nt_softnet_find(&s, 5));
	assert_null(nt_softnet_find(&s, 1));
	nt_softnet_done(&s);
	/* More lines than online CPUs: the file does not belong to this machine. */
	assert_int_equal(nt_cpuset_parse_list("0-2", &online, NULL), 0);
	assert_int_equal(nt_softnet_parse(text, &online, &s), -EBADMSG);
}

static void test_cols13_offline(void **state)
{
	_cleanup_free_ char *text = read_fixture("proc/softnet/cols13-cpu1-offline");
	struct nt_softnet s;

	(void)state;
	assert_int_equal(nt_softnet_parse(text, NULL, &s), 0);
	assert_int_equal(s.ncols, 13);
	assert_true(s.have_cpu_id);
	assert_int_equal(s.n, 3);
	assert_int_equal(s.cpu[0].cpu, 0);
	assert_int_equal(s.cpu[1].cpu, 2);
	assert_int_equal(s.cpu[1].dropped, 0x1d);
	assert_int_equal(s.cpu[1].backlog_len, 7);
	assert_int_equal(s.cpu[2].cpu, 3);
	assert_null(nt_softnet_find(&s, 1));
	assert_int_equal(nt_softnet_find(&s, 2)->received_rps, 0x3a01);
	nt_softnet_done(&s);
}

static void test_cols15(void **state)
{
	_cleanup_free_ char *text = read_fixture("proc/softnet/cols15-2cpu");
	struct nt_softnet s;

	(void)state;
	assert_int_equal(nt_softnet_parse(text, NULL, &s), 0);
	assert_int_equal(s.ncols, 15);
	assert_int_equal(s.cpu[1].cpu, 1);
	assert_int_equal(s.cpu[1].processed, 0x2492);
	assert_int_equal(s.cpu[1].backlog_len, 3);
	assert_int_equal(s.cpu[1].input_qlen, 2);
	assert_int_equal(s.cpu[1].process_qlen, 1);
	nt_softnet_done(&s);
}

static void test_cols9(void **state)
{
	_cleanup_free_ char *text = read_fixture("proc/softnet/cols9-old");
	struct nt_softnet s;

	(void)state;
	assert_int_equal(nt_softnet_parse(text, NULL, &s), 0);
	assert_int_equal(s.ncols, 9);
	assert_int_equal(s.cpu[0].dropped, 1);
	assert_int_equal(s.cpu[0].received_rps, 0);
	assert_int_equal(s.cpu[0].flow_limit_count, 0);
	nt_softnet_done(&s);
}

static void test_bad(void **state)
{
	static const char *const bad[] = {
		"proc/softnet/bad-short",
		"proc/softnet/bad-mixed",
		"proc/softnet/bad-hex",
	};
	struct nt_softnet s;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		_cleanup_free_ char *text = read_fixture(bad[i]);

		assert_int_equal(nt_softnet_parse(text, NULL, &s), -EBADMSG);
	}
	/* Duplicate CPU ids. */
	assert_int_equal(nt_softnet_parse("0 0 0 0 0 0 0 0 0 0 0 0 1\n0 0 0 0 0 0 0 0 0 0 0 0 1\n",
					  NULL, &s),
			 -EBADMSG);
	/* A value wider than 32 bits. */
	assert_int_equal(nt_softnet_parse("100000000 0 0 0 0 0 0 0 0 0 0\n", NULL, &s), -EBADMSG);
	/* Empty file (no online CPU printed): valid, zero lines. */
	assert_int_equal(nt_softnet_parse("", NULL, &s), 0);
	assert_int_equal(s.n, 0);
	nt_softnet_done(&s);
}

static void test_wrap(void **state)
{
	(void)state;
	/* The counters are 32-bit: a delta across the wrap stays small. */
	assert_int_equal(nt_delta_u32(0xfffffff0u, 0x00000010u), 0x20);
	assert_int_equal(nt_delta_u32(5, 5), 0);
	assert_int_equal(nt_delta_u32(5, 7), 2);
}

static void test_read(void **state)
{
	char *dir = nt_test_mkdtemp();
	struct nt_root *root = NULL;
	struct nt_softnet s;

	(void)state;
	assert_int_equal(nt_root_open(dir, &root), 0);
	assert_int_equal(nt_softnet_read(root, NULL, &s), -ENOENT);
	nt_test_write(dir, "proc/net/softnet_stat",
		      "00000001 00000002 00000003 0 0 0 0 0 0 00000004 00000005 0 00000007\n");
	assert_int_equal(nt_softnet_read(root, NULL, &s), 0);
	assert_int_equal(s.cpu[0].cpu, 7);
	assert_int_equal(s.cpu[0].flow_limit_count, 5);
	nt_softnet_done(&s);
	nt_root_free(root);
	nt_test_rmtree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cols11),	       cmocka_unit_test(test_cols11_online_order),
		cmocka_unit_test(test_cols13_offline), cmocka_unit_test(test_cols15),
		cmocka_unit_test(test_cols9),	       cmocka_unit_test(test_bad),
		cmocka_unit_test(test_wrap),	       cmocka_unit_test(test_read),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
