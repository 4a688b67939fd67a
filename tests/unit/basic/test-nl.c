// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/ethtool_netlink.h>
#include <linux/genetlink.h>
#include <netlink/genl/genl.h>

#include "fake-nl.h"
#include "nl-netdev.h"
#include "nl.h"
#include "nt-test.h"

struct seen {
	unsigned int n;
	uint32_t ids[8];
	uint64_t gro[8];
};

static int collect(const struct nlmsghdr *nlh, struct nlattr **tb, void *userdata)
{
	struct seen *s = userdata;

	(void)nlh;
	assert_non_null(tb[NT_NETDEV_A_NAPI_ID]);
	s->ids[s->n] = nla_get_u32(tb[NT_NETDEV_A_NAPI_ID]);
	if (tb[NT_NETDEV_A_NAPI_GRO_FLUSH_TIMEOUT])
		assert_int_equal(
			nt_nla_get_uint(tb[NT_NETDEV_A_NAPI_GRO_FLUSH_TIMEOUT], &s->gro[s->n]), 0);
	s->n++;
	return 0;
}

static void test_transact_dump(void **state)
{
	struct fake_nl f;
	struct nt_nl *nl;
	struct nl_msg *m, *req;
	struct seen s = {};
	struct nlattr *tb[NT_NETDEV_A_NAPI_MAX + 1];

	(void)state;
	fake_nl_init(&f);
	fake_nl_family(&f, "netdev", 20);
	m = fake_nl_reply(&f, 0, 20, NT_NETDEV_CMD_NAPI_GET);
	nla_put_u32(m, NT_NETDEV_A_NAPI_ID, 513);
	nla_put_u32(m, NT_NETDEV_A_NAPI_GRO_FLUSH_TIMEOUT, 20000);
	m = fake_nl_reply(&f, 0, 20, NT_NETDEV_CMD_NAPI_GET);
	nla_put_u32(m, NT_NETDEV_A_NAPI_ID, 514);
	nla_put_u64(m, NT_NETDEV_A_NAPI_GRO_FLUSH_TIMEOUT, 5000000000ULL);

	nl = fake_nl_open(&f);
	assert_int_equal(nt_nl_msg_new(nl, "netdev", NT_NETDEV_CMD_NAPI_GET, NLM_F_DUMP, &req), 0);
	assert_int_equal(nt_nla_put_u32(req, NT_NETDEV_A_NAPI_IFINDEX, 7), 0);
	assert_int_equal(nt_nl_transact(nl, req, NT_NETDEV_A_NAPI_MAX, collect, &s, NULL), 0);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.ids[0], 513);
	assert_int_equal(s.gro[0], 20000);
	assert_int_equal(s.ids[1], 514);
	assert_true(s.gro[1] == 5000000000ULL);
	/* what was sent */
	assert_int_equal(f.n_sent, 1);
	assert_int_equal(fake_nl_sent_cmd(&f, 0), NT_NETDEV_CMD_NAPI_GET);
	assert_true(nlmsg_hdr(f.sent[0])->nlmsg_flags & NLM_F_DUMP);
	assert_int_equal(fake_nl_sent_attrs(&f, 0, tb, NT_NETDEV_A_NAPI_MAX), 0);
	assert_int_equal(nla_get_u32(tb[NT_NETDEV_A_NAPI_IFINDEX]), 7);
	nt_nl_free(nl);
	fake_nl_done(&f);
}

static void test_error_and_extack(void **state)
{
	struct nt_err e = {};
	struct fake_nl f;
	struct nt_nl *nl;
	struct nl_msg *req;

	(void)state;
	fake_nl_init(&f);
	fake_nl_family(&f, "netdev", 20);
	fake_nl_error(&f, 0, -ERANGE, "integer out of range");
	nl = fake_nl_open(&f);
	assert_int_equal(nt_nl_msg_new(nl, "netdev", NT_NETDEV_CMD_NAPI_SET, 0, &req), 0);
	assert_int_equal(nt_nl_transact(nl, req, NT_NETDEV_A_NAPI_MAX, NULL, NULL, &e), -ERANGE);
	assert_string_equal(e.msg, "integer out of range");
	nt_nl_free(nl);
	fake_nl_done(&f);
}

static int stop_early(const struct nlmsghdr *nlh, struct nlattr **tb, void *userdata)
{
	(void)nlh;
	(void)tb;
	(*(int *)userdata)++;
	return -ENOSPC;
}

static void test_callback_error_stops(void **state)
{
	struct fake_nl f;
	struct nt_nl *nl;
	struct nl_msg *req;
	int calls = 0;

	(void)state;
	fake_nl_init(&f);
	fake_nl_family(&f, "netdev", 20);
	fake_nl_reply(&f, 0, 20, NT_NETDEV_CMD_NAPI_GET);
	fake_nl_reply(&f, 0, 20, NT_NETDEV_CMD_NAPI_GET);
	nl = fake_nl_open(&f);
	assert_int_equal(nt_nl_msg_new(nl, "netdev", NT_NETDEV_CMD_NAPI_GET, NLM_F_DUMP, &req), 0);
	assert_int_equal(nt_nl_transact(nl, req, NT_NETDEV_A_NAPI_MAX, stop_early, &calls, NULL),
			 -ENOSPC);
	assert_int_equal(calls, 1);
	nt_nl_free(nl);
	fake_nl_done(&f);
}

static void test_family_cache_and_missing(void **state)
{
	struct fake_nl f;
	struct nt_nl *nl;
	struct nl_msg *req = NULL;
	uint16_t id;

	(void)state;
	fake_nl_init(&f);
	fake_nl_family(&f, "ethtool", 21);
	nl = fake_nl_open(&f);
	assert_int_equal(nt_nl_family(nl, "ethtool", &id), 0);
	assert_int_equal(id, 21);
	assert_int_equal(nt_nl_family(nl, "ethtool", &id), 0);
	assert_int_equal(f.n_resolve, 1);
	assert_int_equal(nt_nl_msg_new(nl, "netdev", NT_NETDEV_CMD_NAPI_GET, 0, &req), -ENOENT);
	assert_null(req);
	nt_nl_free(nl);
	fake_nl_done(&f);
}

static void test_get_uint_lengths(void **state)
{
	struct nl_msg *m = nlmsg_alloc();
	struct nlattr *a;
	uint64_t v;

	(void)state;
	nla_put_u16(m, 1, 7);
	a = nlmsg_find_attr(nlmsg_hdr(m), 0, 1);
	assert_non_null(a);
	assert_int_equal(nt_nla_get_uint(a, &v), -EINVAL);
	nlmsg_free(m);
}

static void test_ethnl_header_nested(void **state)
{
	struct nl_msg *m = nlmsg_alloc();
	struct nlattr *tb[ETHTOOL_A_HEADER_MAX + 1], *hdr;

	(void)state;
	assert_int_equal(nt_ethnl_put_header(m, ETHTOOL_A_RINGS_HEADER, 3, NULL,
					     ETHTOOL_FLAG_COMPACT_BITSETS),
			 0);
	hdr = nlmsg_find_attr(nlmsg_hdr(m), 0, ETHTOOL_A_RINGS_HEADER);
	assert_non_null(hdr);
	/* the kernel rejects the header without NLA_F_NESTED */
	assert_true(hdr->nla_type & NLA_F_NESTED);
	assert_int_equal(nla_parse_nested(tb, ETHTOOL_A_HEADER_MAX, hdr, NULL), 0);
	assert_int_equal(nla_get_u32(tb[ETHTOOL_A_HEADER_DEV_INDEX]), 3);
	assert_int_equal(nla_get_u32(tb[ETHTOOL_A_HEADER_FLAGS]), ETHTOOL_FLAG_COMPACT_BITSETS);
	assert_null(tb[ETHTOOL_A_HEADER_DEV_NAME]);
	nlmsg_free(m);

	m = nlmsg_alloc();
	assert_int_equal(nt_ethnl_put_header(m, ETHTOOL_A_RINGS_HEADER, 0, "eth0", 0), 0);
	hdr = nlmsg_find_attr(nlmsg_hdr(m), 0, ETHTOOL_A_RINGS_HEADER);
	assert_int_equal(nla_parse_nested(tb, ETHTOOL_A_HEADER_MAX, hdr, NULL), 0);
	assert_string_equal(nla_get_string(tb[ETHTOOL_A_HEADER_DEV_NAME]), "eth0");
	assert_null(tb[ETHTOOL_A_HEADER_FLAGS]);
	nlmsg_free(m);
}

/* One GET and one SET helper: the object's attribute, typed puts, scalar replies, errors. */
static void test_get_set_helpers(void **state)
{
	const struct nt_nl_req get = {.family = "netdev",
				      .cmd = NT_NETDEV_CMD_NAPI_GET,
				      .id_attr = NT_NETDEV_A_NAPI_ID,
				      .id = 513};
	const struct nt_nl_req set = {.family = "ethtool",
				      .cmd = ETHTOOL_MSG_COALESCE_SET,
				      .header = ETHTOOL_A_COALESCE_HEADER,
				      .ifindex = 7};
	const struct nt_nla a[] = {
		{.attr = ETHTOOL_A_COALESCE_RX_USECS, .value = 8},
		{.attr = ETHTOOL_A_COALESCE_USE_ADAPTIVE_RX, .u8 = true, .value = 1},
	};
	const struct nt_nl_req missing = {.family = "nope", .cmd = 1};
	struct nlattr *tb[ETHTOOL_A_COALESCE_MAX + 1];
	struct nt_nl_attrs r;
	struct nt_err e = {};
	struct fake_nl f;
	struct nl_msg *m;
	struct nt_nl *nl;

	(void)state;
	fake_nl_init(&f);
	fake_nl_family(&f, "netdev", 20);
	fake_nl_family(&f, "ethtool", 21);
	m = fake_nl_reply(&f, 0, 20, NT_NETDEV_CMD_NAPI_GET);
	nla_put_u32(m, NT_NETDEV_A_NAPI_ID, 513);
	nla_put_u64(m, NT_NETDEV_A_NAPI_GRO_FLUSH_TIMEOUT, 5000000000ULL);
	fake_nl_error(&f, 1, -EINVAL, "rx-usecs out of range");
	nl = fake_nl_open(&f);

	assert_int_equal(nt_nl_get_attrs(nl, &get, NT_NETDEV_A_NAPI_MAX, &r, NULL), 0);
	assert_true(r.have[NT_NETDEV_A_NAPI_ID]);
	assert_int_equal(r.v[NT_NETDEV_A_NAPI_ID], 513);
	assert_true(r.v[NT_NETDEV_A_NAPI_GRO_FLUSH_TIMEOUT] == 5000000000ULL);
	assert_false(r.have[NT_NETDEV_A_NAPI_IRQ]);
	assert_int_equal(fake_nl_sent_attrs(&f, 0, tb, NT_NETDEV_A_NAPI_MAX), 0);
	assert_int_equal(nla_get_u32(tb[NT_NETDEV_A_NAPI_ID]), 513);

	assert_int_equal(nt_nl_set(nl, &set, a, ARRAY_SIZE(a), &e), -EINVAL);
	assert_string_equal(e.msg, "rx-usecs out of range");
	assert_int_equal(fake_nl_sent_cmd(&f, 1), ETHTOOL_MSG_COALESCE_SET);
	assert_int_equal(fake_nl_sent_attrs(&f, 1, tb, ETHTOOL_A_COALESCE_MAX), 0);
	assert_non_null(tb[ETHTOOL_A_COALESCE_HEADER]);
	assert_int_equal(nla_get_u32(tb[ETHTOOL_A_COALESCE_RX_USECS]), 8);
	assert_int_equal(nla_len(tb[ETHTOOL_A_COALESCE_USE_ADAPTIVE_RX]), 1);

	/* A family this kernel lacks is not the kernel's ENOENT for a missing object. */
	assert_int_equal(nt_nl_get(nl, &missing, 1, NULL, NULL, NULL), -EPFNOSUPPORT);
	assert_int_equal(nt_nl_set(nl, &missing, a, 1, NULL), -EPFNOSUPPORT);
	assert_int_equal(f.n_sent, 2);
	nt_nl_free(nl);
	fake_nl_done(&f);
}

#define CTRL_ID	  16
#define NETDEV_ID 20

/* napi-set's policy read from a fake kernel: the op's do policy, its attribute's range. */
static void test_policy_range(void **state)
{
	struct nlattr *tb[CTRL_ATTR_MAX + 1];
	uint64_t min = 9, max = 9;
	struct nt_err e = {};
	struct fake_nl f;
	struct nt_nl *nl;

	(void)state;
	fake_nl_init(&f);
	fake_nl_family(&f, "nlctrl", CTRL_ID);
	fake_nl_family(&f, "netdev", NETDEV_ID);
	/* 6.19+: threaded 0..2 */
	fake_nl_policy(&f, 0, CTRL_ID, NETDEV_ID, NT_NETDEV_CMD_NAPI_SET, 3,
		       NT_NETDEV_A_NAPI_THREADED, 2);
	/* 6.17/6.18: 0..1 */
	fake_nl_policy(&f, 1, CTRL_ID, NETDEV_ID, NT_NETDEV_CMD_NAPI_SET, 0,
		       NT_NETDEV_A_NAPI_THREADED, 1);
	/* 6.13..6.16: napi-set without threaded */
	fake_nl_policy(&f, 2, CTRL_ID, NETDEV_ID, NT_NETDEV_CMD_NAPI_SET, 0, -1, 0);
	/* before 6.13: no napi-set (the kernel's ctrl_dumppolicy: ENOENT for an unknown op) */
	fake_nl_error(&f, 3, -ENOENT, NULL);
	nl = fake_nl_open(&f);

	assert_int_equal(nt_nl_policy_range(nl, "netdev", NT_NETDEV_CMD_NAPI_SET,
					    NT_NETDEV_A_NAPI_THREADED, &min, &max, &e),
			 0);
	assert_int_equal(min, 0);
	assert_int_equal(max, 2);
	assert_int_equal(fake_nl_sent_cmd(&f, 0), CTRL_CMD_GETPOLICY);
	assert_int_equal(fake_nl_sent_attrs(&f, 0, tb, CTRL_ATTR_MAX), 0);
	assert_non_null(tb[CTRL_ATTR_FAMILY_ID]);
	assert_int_equal(nla_get_u16(tb[CTRL_ATTR_FAMILY_ID]), NETDEV_ID);
	assert_non_null(tb[CTRL_ATTR_OP]);
	assert_int_equal(nla_get_u32(tb[CTRL_ATTR_OP]), NT_NETDEV_CMD_NAPI_SET);
	assert_true(nlmsg_hdr(f.sent[0])->nlmsg_type == CTRL_ID);
	assert_true(nlmsg_hdr(f.sent[0])->nlmsg_flags & NLM_F_DUMP);

	assert_int_equal(nt_nl_policy_range(nl, "netdev", NT_NETDEV_CMD_NAPI_SET,
					    NT_NETDEV_A_NAPI_THREADED, NULL, &max, &e),
			 0);
	assert_int_equal(max, 1);
	assert_int_equal(nt_nl_policy_range(nl, "netdev", NT_NETDEV_CMD_NAPI_SET,
					    NT_NETDEV_A_NAPI_THREADED, NULL, &max, &e),
			 -EOPNOTSUPP);
	assert_string_equal(e.msg, "netdev command 14 takes no attribute 8 on this kernel");
	assert_int_equal(nt_nl_policy_range(nl, "netdev", NT_NETDEV_CMD_NAPI_SET,
					    NT_NETDEV_A_NAPI_THREADED, NULL, &max, &e),
			 -EOPNOTSUPP);
	assert_int_equal(f.n_sent, 4);
	/* a kernel without the family asks nothing */
	assert_int_equal(nt_nl_policy_range(nl, "ethtool", 1, 1, NULL, &max, &e), -EPFNOSUPPORT);
	assert_int_equal(f.n_sent, 4);
	nt_nl_free(nl);
	fake_nl_done(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_transact_dump),
		cmocka_unit_test(test_error_and_extack),
		cmocka_unit_test(test_callback_error_stops),
		cmocka_unit_test(test_family_cache_and_missing),
		cmocka_unit_test(test_get_uint_lengths),
		cmocka_unit_test(test_ethnl_header_nested),
		cmocka_unit_test(test_get_set_helpers),
		cmocka_unit_test(test_policy_range),
	};

	return cmocka_run_group_tests_name("nl", tests, NULL, NULL);
}
