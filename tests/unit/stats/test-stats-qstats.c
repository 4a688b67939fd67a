// SPDX-License-Identifier: GPL-2.0-or-later
/* lib/stats/stats-qstats.c through the fake netlink transport. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <netlink/genl/genl.h>

#include "fake-nl.h"
#include "nl-netdev.h"
#include "nl.h"
#include "nt-test.h"
#include "stats-qstats.h"

#define NETDEV_ID 20

static void test_dump(void **state)
{
	struct nt_qstats_list l = {};
	const struct nt_qstats *q;
	struct nl_msg *m;
	struct fake_nl f;
	struct nt_nl *nl;
	uint16_t bad = 7;

	(void)state;
	fake_nl_init(&f);
	fake_nl_family(&f, "netdev", NETDEV_ID);
	m = fake_nl_reply(&f, 0, NETDEV_ID, NT_NETDEV_CMD_QSTATS_GET);
	nla_put_u32(m, NT_NETDEV_A_QSTATS_IFINDEX, 2);
	/* NLA_UINT: 4 bytes while the value fits, 8 bytes beyond */
	nla_put_u32(m, NT_NETDEV_A_QSTATS_RX_PACKETS, 4000000000u);
	nla_put_u64(m, NT_NETDEV_A_QSTATS_RX_BYTES, 6000000000000ull);
	nla_put_u32(m, NT_NETDEV_A_QSTATS_RX_HW_DROP_OVERRUNS, 0);
	/* any other length is malformed: the counter is not taken */
	nla_put(m, NT_NETDEV_A_QSTATS_RX_ALLOC_FAIL, sizeof(bad), &bad);
	m = fake_nl_reply(&f, 0, NETDEV_ID, NT_NETDEV_CMD_QSTATS_GET);
	nla_put_u32(m, NT_NETDEV_A_QSTATS_IFINDEX, 7);
	nla_put_u64(m, NT_NETDEV_A_QSTATS_RX_HW_DROPS, 1ull << 40);
	m = fake_nl_reply(&f, 0, NETDEV_ID, NT_NETDEV_CMD_QSTATS_GET);
	nla_put_u32(m, NT_NETDEV_A_QSTATS_RX_PACKETS, 1); /* no ifindex: skipped */
	nl = fake_nl_open(&f);

	assert_int_equal(nt_qstats_read(nl, &l), 0);
	assert_int_equal(l.n, 2);
	q = nt_qstats_find(&l, 2);
	assert_non_null(q);
	assert_true(q->have);
	assert_true(q->has[NT_QS_RX_PACKETS]);
	assert_true(q->v[NT_QS_RX_PACKETS] == 4000000000ull);
	assert_true(q->has[NT_QS_RX_BYTES]);
	assert_true(q->v[NT_QS_RX_BYTES] == 6000000000000ull);
	assert_true(q->has[NT_QS_RX_HW_DROP_OVERRUNS]);
	assert_int_equal(q->v[NT_QS_RX_HW_DROP_OVERRUNS], 0);
	assert_false(q->has[NT_QS_RX_ALLOC_FAIL]);
	assert_false(q->has[NT_QS_RX_HW_DROPS]); /* driver does not count it */
	q = nt_qstats_find(&l, 7);
	assert_true(q->has[NT_QS_RX_HW_DROPS]);
	assert_true(q->v[NT_QS_RX_HW_DROPS] == 1ull << 40);
	assert_false(q->has[NT_QS_RX_PACKETS]);
	assert_null(nt_qstats_find(&l, 3));
	assert_string_equal(nt_qstat_to_string(NT_QS_RX_HW_DROP_OVERRUNS), "rx-hw-drop-overruns");

	/* the request: a dump of QSTATS_GET */
	assert_int_equal(fake_nl_sent_cmd(&f, 0), NT_NETDEV_CMD_QSTATS_GET);
	assert_true(nlmsg_hdr(f.sent[0])->nlmsg_flags & NLM_F_DUMP);
	nt_qstats_list_done(&l);
	nt_nl_free(nl);
	fake_nl_done(&f);
}

static void test_old_kernels(void **state)
{
	struct nt_qstats_list l = {};
	struct fake_nl f;
	struct nt_nl *nl;

	(void)state;
	/* 6.3-6.8: the family exists but rejects the unknown command */
	fake_nl_init(&f);
	fake_nl_family(&f, "netdev", NETDEV_ID);
	fake_nl_error(&f, 0, -EINVAL, "unknown command");
	f.n_batch = 1;
	nl = fake_nl_open(&f);
	assert_int_equal(nt_qstats_read(nl, &l), -EOPNOTSUPP);
	assert_int_equal(l.n, 0);
	nt_nl_free(nl);
	fake_nl_done(&f);
	/* before 6.3: no netdev family, nothing sent */
	fake_nl_init(&f);
	nl = fake_nl_open(&f);
	assert_int_equal(nt_qstats_read(nl, &l), -ENOENT);
	assert_int_equal(f.n_sent, 0);
	nt_nl_free(nl);
	fake_nl_done(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dump),
		cmocka_unit_test(test_old_kernels),
	};

	return cmocka_run_group_tests_name("stats-qstats", tests, NULL, NULL);
}
