// SPDX-License-Identifier: GPL-2.0-or-later
/* lib/stats/stats-ethstd.c: STATS_GET request and reply through the fake transport, recorded text.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <linux/ethtool.h>
#include <linux/ethtool_netlink.h>
#include <netlink/genl/genl.h>

#include "fake-nl.h"
#include "nl.h"
#include "nt-test.h"
#include "stats-ethstd.h"

#define ETHTOOL_ID 21

/* One ETHTOOL_A_STATS_GRP_STAT nest holding counter @id, as the kernel's stat_put() does. */
static void put_stat(struct nl_msg *m, int id, uint64_t v)
{
	struct nlattr *st = nla_nest_start(m, ETHTOOL_A_STATS_GRP_STAT);

	assert_non_null(st);
	assert_int_equal(nla_put_u64(m, id, v), 0);
	nla_nest_end(m, st);
}

static struct nlattr *grp_start(struct nl_msg *m, uint32_t id, uint32_t ss_id)
{
	struct nlattr *g = nla_nest_start(m, ETHTOOL_A_STATS_GRP);

	assert_non_null(g);
	assert_int_equal(nla_put_u32(m, ETHTOOL_A_STATS_GRP_ID, id), 0);
	assert_int_equal(nla_put_u32(m, ETHTOOL_A_STATS_GRP_SS_ID, ss_id), 0);
	return g;
}

static void put_reply_header(struct nl_msg *m, const char *ifname)
{
	struct nlattr *h = nla_nest_start(m, ETHTOOL_A_STATS_HEADER);

	nla_put_u32(m, ETHTOOL_A_HEADER_DEV_INDEX, 2);
	nla_put_string(m, ETHTOOL_A_HEADER_DEV_NAME, ifname);
	nla_nest_end(m, h);
}

/* Four groups requested, no counter filled in: what veth and virtio answer. */
static void put_empty_groups(struct nl_msg *m)
{
	nla_nest_end(m, grp_start(m, ETHTOOL_STATS_ETH_PHY, ETH_SS_STATS_ETH_PHY));
	nla_nest_end(m, grp_start(m, ETHTOOL_STATS_ETH_MAC, ETH_SS_STATS_ETH_MAC));
	nla_nest_end(m, grp_start(m, ETHTOOL_STATS_ETH_CTRL, ETH_SS_STATS_ETH_CTRL));
	nla_nest_end(m, grp_start(m, ETHTOOL_STATS_RMON, ETH_SS_STATS_RMON));
}

static void test_read(void **state)
{
	struct nlattr *tb[ETHTOOL_A_STATS_MAX + 1], *hdr[ETHTOOL_A_HEADER_MAX + 1];
	struct nlattr *bs[ETHTOOL_A_BITSET_MAX + 1];
	struct nt_ethstd_stats s;
	struct nlattr *g, *h;
	struct nl_msg *m;
	struct fake_nl f;
	struct nt_nl *nl;
	uint32_t bits;

	(void)state;
	fake_nl_init(&f);
	fake_nl_family(&f, "ethtool", ETHTOOL_ID);
	m = fake_nl_reply(&f, 0, ETHTOOL_ID, ETHTOOL_MSG_STATS_GET_REPLY);
	put_reply_header(m, "eth0");
	nla_put_u32(m, 5, 0); /* ETHTOOL_A_STATS_SRC of 6.7+: not in the 6.1 UAPI, ignored */
	nla_nest_end(m, grp_start(m, ETHTOOL_STATS_ETH_PHY, ETH_SS_STATS_ETH_PHY));
	g = grp_start(m, ETHTOOL_STATS_ETH_MAC, ETH_SS_STATS_ETH_MAC);
	assert_int_equal(nla_put(m, ETHTOOL_A_STATS_GRP_PAD, 0, NULL), 0);
	put_stat(m, ETHTOOL_A_STATS_ETH_MAC_5_RX_PKT, 100000);
	put_stat(m, ETHTOOL_A_STATS_ETH_MAC_15_RX_INT_ERR, 5000);
	put_stat(m, ETHTOOL_A_STATS_ETH_MAC_2_TX_PKT, UINT64_MAX - 1);
	put_stat(m, 60, 7); /* a counter newer than the table */
	nla_nest_end(m, g);
	g = grp_start(m, ETHTOOL_STATS_RMON, ETH_SS_STATS_RMON);
	put_stat(m, ETHTOOL_A_STATS_RMON_JABBER, 3);
	h = nla_nest_start(m, ETHTOOL_A_STATS_GRP_HIST_RX); /* histograms are not read */
	nla_put_u32(m, ETHTOOL_A_STATS_GRP_HIST_BKT_LOW, 64);
	nla_put_u32(m, ETHTOOL_A_STATS_GRP_HIST_BKT_HI, 64);
	nla_put_u64(m, ETHTOOL_A_STATS_GRP_HIST_VAL, 11);
	nla_nest_end(m, h);
	nla_nest_end(m, g);
	g = grp_start(m, 4, 21); /* 6.18 "phydev": unknown group, skipped */
	put_stat(m, 0, 9);
	nla_nest_end(m, g);
	nla_put_u32(m, 40, 1); /* unknown top-level attribute */
	nl = fake_nl_open(&f);

	assert_int_equal(nt_ethstd_stats_read(nl, "eth0", &s), 0);
	assert_int_equal(s.n, 4);
	/* sorted by group, then id */
	assert_int_equal(s.stat[0].group, NT_ETHSTD_MAC);
	assert_string_equal(s.stat[0].name, "FramesTransmittedOK");
	assert_true(s.stat[0].v == UINT64_MAX - 1);
	assert_string_equal(s.stat[1].name, "FramesReceivedOK");
	assert_int_equal(s.stat[1].v, 100000);
	assert_int_equal(s.stat[2].id, ETHTOOL_A_STATS_ETH_MAC_15_RX_INT_ERR);
	assert_string_equal(s.stat[2].name, "FramesLostDueToIntMACRcvError");
	assert_int_equal(s.stat[2].v, 5000);
	assert_int_equal(s.stat[3].group, NT_ETHSTD_RMON);
	assert_string_equal(s.stat[3].name, "etherStatsJabbers");
	assert_int_equal(s.stat[3].v, 3);
	assert_int_equal(nt_ethstd_stats_find(&s, NT_ETHSTD_MAC, "FramesLostDueToIntMACRcvError"),
			 2);
	assert_int_equal(nt_ethstd_stats_find(&s, NT_ETHSTD_RMON, "FramesReceivedOK"), -1);
	assert_string_equal(nt_ethstd_group_to_string(s.stat[3].group), "rmon");

	/* the request: STATS_GET for eth0, all four groups as a compact bitset without mask */
	assert_int_equal(f.n_sent, 1);
	assert_int_equal(fake_nl_sent_cmd(&f, 0), ETHTOOL_MSG_STATS_GET);
	assert_int_equal(fake_nl_sent_attrs(&f, 0, tb, ETHTOOL_A_STATS_MAX), 0);
	assert_non_null(tb[ETHTOOL_A_STATS_HEADER]);
	assert_int_equal(
		nla_parse_nested(hdr, ETHTOOL_A_HEADER_MAX, tb[ETHTOOL_A_STATS_HEADER], NULL), 0);
	assert_string_equal(nla_get_string(hdr[ETHTOOL_A_HEADER_DEV_NAME]), "eth0");
	assert_null(hdr[ETHTOOL_A_HEADER_FLAGS]);
	assert_non_null(tb[ETHTOOL_A_STATS_GROUPS]);
	assert_int_equal(
		nla_parse_nested(bs, ETHTOOL_A_BITSET_MAX, tb[ETHTOOL_A_STATS_GROUPS], NULL), 0);
	assert_non_null(bs[ETHTOOL_A_BITSET_NOMASK]);
	assert_null(bs[ETHTOOL_A_BITSET_MASK]);
	assert_null(bs[ETHTOOL_A_BITSET_BITS]);
	assert_int_equal(nla_get_u32(bs[ETHTOOL_A_BITSET_SIZE]), 4);
	assert_int_equal(nla_len(bs[ETHTOOL_A_BITSET_VALUE]), 4);
	memcpy(&bits, nla_data(bs[ETHTOOL_A_BITSET_VALUE]), sizeof(bits));
	assert_int_equal(bits, 1u << ETHTOOL_STATS_ETH_PHY | 1u << ETHTOOL_STATS_ETH_MAC |
				       1u << ETHTOOL_STATS_ETH_CTRL | 1u << ETHTOOL_STATS_RMON);
	nt_nl_free(nl);
	fake_nl_done(&f);
}

static void test_unsupported(void **state)
{
	struct nt_ethstd_stats s = {.n = 77};
	struct nl_msg *m;
	struct fake_nl f;
	struct nt_nl *nl;

	(void)state;
	fake_nl_init(&f);
	fake_nl_family(&f, "ethtool", ETHTOOL_ID);
	/* veth: every group answered, none with a counter */
	m = fake_nl_reply(&f, 0, ETHTOOL_ID, ETHTOOL_MSG_STATS_GET_REPLY);
	put_reply_header(m, "veth0");
	put_empty_groups(m);
	/* a kernel before 5.13: unknown genl command */
	fake_nl_error(&f, 1, -EOPNOTSUPP, NULL);
	/* unknown device: the kernel's error passes through */
	fake_nl_error(&f, 2, -ENODEV, "no device matches name");
	f.n_batch = 3;
	nl = fake_nl_open(&f);
	assert_int_equal(nt_ethstd_stats_read(nl, "veth0", &s), -EOPNOTSUPP);
	assert_int_equal(nt_ethstd_stats_read(nl, "veth0", &s), -EOPNOTSUPP);
	assert_int_equal(nt_ethstd_stats_read(nl, "nosuch0", &s), -ENODEV);
	assert_int_equal(s.n, 77); /* never written on failure */
	nt_nl_free(nl);
	fake_nl_done(&f);

	/* no ethtool genl family at all */
	fake_nl_init(&f);
	nl = fake_nl_open(&f);
	assert_int_equal(nt_ethstd_stats_read(nl, "eth0", &s), -EOPNOTSUPP);
	assert_int_equal(f.n_sent, 0);
	nt_nl_free(nl);
	fake_nl_done(&f);
}

static void test_malformed(void **state)
{
	struct nt_ethstd_stats s = {.n = 77};
	struct nlattr *g, *st;
	struct nl_msg *m;
	struct fake_nl f;
	struct nt_nl *nl;

	(void)state;
	fake_nl_init(&f);
	fake_nl_family(&f, "ethtool", ETHTOOL_ID);
	/* a group without its id */
	m = fake_nl_reply(&f, 0, ETHTOOL_ID, ETHTOOL_MSG_STATS_GET_REPLY);
	g = nla_nest_start(m, ETHTOOL_A_STATS_GRP);
	put_stat(m, ETHTOOL_A_STATS_ETH_MAC_5_RX_PKT, 1);
	nla_nest_end(m, g);
	/* a counter of two bytes */
	m = fake_nl_reply(&f, 1, ETHTOOL_ID, ETHTOOL_MSG_STATS_GET_REPLY);
	g = grp_start(m, ETHTOOL_STATS_ETH_MAC, ETH_SS_STATS_ETH_MAC);
	put_stat(m, ETHTOOL_A_STATS_ETH_MAC_5_RX_PKT, 1);
	st = nla_nest_start(m, ETHTOOL_A_STATS_GRP_STAT);
	nla_put_u16(m, ETHTOOL_A_STATS_ETH_MAC_15_RX_INT_ERR, 5);
	nla_nest_end(m, st);
	nla_nest_end(m, g);
	/* a group id of one byte */
	m = fake_nl_reply(&f, 2, ETHTOOL_ID, ETHTOOL_MSG_STATS_GET_REPLY);
	g = nla_nest_start(m, ETHTOOL_A_STATS_GRP);
	nla_put_u8(m, ETHTOOL_A_STATS_GRP_ID, ETHTOOL_STATS_ETH_MAC);
	put_stat(m, ETHTOOL_A_STATS_ETH_MAC_5_RX_PKT, 1);
	nla_nest_end(m, g);
	/* a good message followed by a bad one in the same reply: still an error */
	m = fake_nl_reply(&f, 3, ETHTOOL_ID, ETHTOOL_MSG_STATS_GET_REPLY);
	g = grp_start(m, ETHTOOL_STATS_ETH_MAC, ETH_SS_STATS_ETH_MAC);
	put_stat(m, ETHTOOL_A_STATS_ETH_MAC_5_RX_PKT, 1);
	nla_nest_end(m, g);
	m = fake_nl_reply(&f, 3, ETHTOOL_ID, ETHTOOL_MSG_STATS_GET_REPLY);
	g = nla_nest_start(m, ETHTOOL_A_STATS_GRP);
	nla_put_u32(m, ETHTOOL_A_STATS_GRP_SS_ID, ETH_SS_STATS_RMON);
	nla_nest_end(m, g);
	nl = fake_nl_open(&f);
	for (int i = 0; i < 4; i++)
		assert_int_equal(nt_ethstd_stats_read(nl, "eth0", &s), -EBADMSG);
	assert_int_equal(s.n, 77);
	nt_nl_free(nl);
	fake_nl_done(&f);
}

static void test_parse_text(void **state)
{
	struct nt_ethstd_stats s = {.n = 77};

	(void)state;
	assert_int_equal(nt_ethstd_stats_parse_text(
				 "Standard stats for napiref1:\n"
				 "eth-mac-FramesTransmittedOK: 17\n"
				 "eth-mac-FramesReceivedOK: 100000\n"
				 "eth-mac-FramesLostDueToIntMACRcvError: 18446744073709551615\n"
				 "eth-mac-SomethingNewer: 3\n"
				 "rmon-etherStatsUndersizePkts: 4\n"
				 "rmon-rx-etherStatsPkts64to64Octets: 1\n"
				 "eth-ctrl-MACControlFramesReceived: 5\n",
				 &s),
			 0);
	assert_int_equal(s.n, 5);
	assert_string_equal(s.stat[0].name, "FramesTransmittedOK");
	assert_int_equal(s.stat[1].id, ETHTOOL_A_STATS_ETH_MAC_5_RX_PKT);
	assert_true(s.stat[2].v == UINT64_MAX);
	assert_int_equal(s.stat[3].group, NT_ETHSTD_CTRL);
	assert_int_equal(s.stat[3].v, 5);
	assert_int_equal(s.stat[4].group, NT_ETHSTD_RMON);
	assert_int_equal(s.stat[4].v, 4);

	s.n = 77;
	/* veth: only the title */
	assert_int_equal(nt_ethstd_stats_parse_text("Standard stats for veth0:\n", &s),
			 -EOPNOTSUPP);
	assert_int_equal(nt_ethstd_stats_parse_text("", &s), -EOPNOTSUPP);
	assert_int_equal(nt_ethstd_stats_parse_text("eth-mac-FramesReceivedOK: lots\n", &s),
			 -EBADMSG);
	assert_int_equal(nt_ethstd_stats_parse_text("eth-mac-FramesReceivedOK: -1\n", &s),
			 -EBADMSG);
	assert_int_equal(nt_ethstd_stats_parse_text("eth-mac-FramesReceivedOK: 12x\n", &s),
			 -EBADMSG);
	assert_int_equal(s.n, 77);
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(nt_ethstd_group_to_string(NT_ETHSTD_PHY), "eth-phy");
	assert_string_equal(nt_ethstd_group_to_string(NT_ETHSTD_CTRL), "eth-ctrl");
	assert_null(nt_ethstd_group_to_string(_NT_ETHSTD_GROUP_MAX));
	assert_string_equal(
		nt_ethstd_stat_to_string(NT_ETHSTD_PHY, ETHTOOL_A_STATS_ETH_PHY_5_SYM_ERR),
		"SymbolErrorDuringCarrier");
	assert_string_equal(
		nt_ethstd_stat_to_string(NT_ETHSTD_MAC, ETHTOOL_A_STATS_ETH_MAC_25_TOO_LONG_ERR),
		"FrameTooLongErrors");
	assert_string_equal(
		nt_ethstd_stat_to_string(NT_ETHSTD_CTRL, ETHTOOL_A_STATS_ETH_CTRL_5_RX_UNSUP),
		"UnsupportedOpcodesReceived");
	assert_null(nt_ethstd_stat_to_string(NT_ETHSTD_RMON, ETHTOOL_A_STATS_RMON_MAX + 1));
	/* every counter of the 6.1 UAPI has a name */
	for (unsigned int id = 0; id <= ETHTOOL_A_STATS_ETH_MAC_MAX; id++)
		assert_non_null(nt_ethstd_stat_to_string(NT_ETHSTD_MAC, id));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read),	  cmocka_unit_test(test_unsupported),
		cmocka_unit_test(test_malformed), cmocka_unit_test(test_parse_text),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests_name("stats-ethstd", tests, NULL, NULL);
}
