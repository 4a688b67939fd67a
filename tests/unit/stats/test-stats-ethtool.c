// SPDX-License-Identifier: GPL-2.0-or-later
/* lib/stats/stats-ethtool.c: STRSET name parsing through the fake transport, ethtool -S text. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <linux/ethtool.h>
#include <linux/ethtool_netlink.h>
#include <netlink/genl/genl.h>

#include "fake-nl.h"
#include "nl.h"
#include "nt-test.h"
#include "stats-ethtool.h"

#define ETHTOOL_ID 21

static void put_set(struct nl_msg *m, uint32_t id, uint32_t count, const char *const *names,
		    const uint32_t *idx, unsigned int n)
{
	struct nlattr *set, *strings, *str;

	set = nla_nest_start(m, ETHTOOL_A_STRINGSETS_STRINGSET);
	assert_non_null(set);
	nla_put_u32(m, ETHTOOL_A_STRINGSET_ID, id);
	nla_put_u32(m, ETHTOOL_A_STRINGSET_COUNT, count);
	strings = nla_nest_start(m, ETHTOOL_A_STRINGSET_STRINGS);
	for (unsigned int i = 0; i < n; i++) {
		str = nla_nest_start(m, ETHTOOL_A_STRINGS_STRING);
		nla_put_u32(m, ETHTOOL_A_STRING_INDEX, idx[i]);
		nla_put_string(m, ETHTOOL_A_STRING_VALUE, names[i]);
		nla_nest_end(m, str);
	}
	nla_nest_end(m, strings);
	nla_nest_end(m, set);
}

static void test_names(void **state)
{
	static const char *const stats[] = {"rx0_packets", "rx0_polls", "rx0_ring_drops",
					    "bogus_index"};
	static const uint32_t idx[] = {0, 2, 1, 9};
	static const char *const flags[] = {"legacy-rx"};
	static const uint32_t fidx[] = {0};
	struct nlattr *tb[ETHTOOL_A_STRSET_MAX + 1], *hdr[ETHTOOL_A_HEADER_MAX + 1];
	struct nlattr *sets, *set[ETHTOOL_A_STRINGSET_MAX + 1];
	struct nt_ethtool_stats s = {};
	struct nl_msg *m;
	struct fake_nl f;
	struct nt_nl *nl;

	(void)state;
	fake_nl_init(&f);
	fake_nl_family(&f, "ethtool", ETHTOOL_ID);
	m = fake_nl_reply(&f, 0, ETHTOOL_ID, ETHTOOL_MSG_STRSET_GET_REPLY);
	sets = nla_nest_start(m, ETHTOOL_A_STRSET_STRINGSETS);
	/* another set first: must be ignored */
	put_set(m, ETH_SS_PRIV_FLAGS, 1, flags, fidx, 1);
	/* indexes out of order; one beyond count */
	put_set(m, ETH_SS_STATS, 3, stats, idx, 4);
	nla_nest_end(m, sets);
	nl = fake_nl_open(&f);

	assert_int_equal(nt_ethtool_stats_read_names(nl, "eth0", &s), 0);
	assert_int_equal(s.n, 3);
	assert_string_equal(s.name[0], "rx0_packets");
	assert_string_equal(s.name[1], "rx0_ring_drops");
	assert_string_equal(s.name[2], "rx0_polls");
	assert_int_equal(s.v[2], 0);
	assert_int_equal(nt_ethtool_stats_find(&s, "rx0_polls"), 2);
	assert_int_equal(nt_ethtool_stats_find(&s, "legacy-rx"), -1);

	/* the request names the device and asks for ETH_SS_STATS only */
	assert_int_equal(fake_nl_sent_cmd(&f, 0), ETHTOOL_MSG_STRSET_GET);
	assert_int_equal(fake_nl_sent_attrs(&f, 0, tb, ETHTOOL_A_STRSET_MAX), 0);
	assert_non_null(tb[ETHTOOL_A_STRSET_HEADER]);
	assert_int_equal(
		nla_parse_nested(hdr, ETHTOOL_A_HEADER_MAX, tb[ETHTOOL_A_STRSET_HEADER], NULL), 0);
	assert_string_equal(nla_get_string(hdr[ETHTOOL_A_HEADER_DEV_NAME]), "eth0");
	assert_non_null(tb[ETHTOOL_A_STRSET_STRINGSETS]);
	assert_int_equal(nla_parse_nested(set, ETHTOOL_A_STRINGSET_MAX,
					  nla_data(tb[ETHTOOL_A_STRSET_STRINGSETS]), NULL),
			 0);
	assert_int_equal(nla_get_u32(set[ETHTOOL_A_STRINGSET_ID]), ETH_SS_STATS);
	nt_ethtool_stats_done(&s);
	nt_nl_free(nl);
	fake_nl_done(&f);
}

static void test_no_stats(void **state)
{
	struct nt_ethtool_stats s = {};
	struct nl_msg *m;
	struct fake_nl f;
	struct nt_nl *nl;

	(void)state;
	fake_nl_init(&f);
	fake_nl_family(&f, "ethtool", ETHTOOL_ID);
	/* a driver without private stats: count 0 */
	m = fake_nl_reply(&f, 0, ETHTOOL_ID, ETHTOOL_MSG_STRSET_GET_REPLY);
	{
		struct nlattr *sets = nla_nest_start(m, ETHTOOL_A_STRSET_STRINGSETS);

		put_set(m, ETH_SS_STATS, 0, NULL, NULL, 0);
		nla_nest_end(m, sets);
	}
	/* an unknown device: the kernel's error */
	fake_nl_error(&f, 1, -ENODEV, "no device matches name");
	f.n_batch = 2;
	nl = fake_nl_open(&f);
	assert_int_equal(nt_ethtool_stats_read_names(nl, "lo", &s), -EOPNOTSUPP);
	assert_int_equal(nt_ethtool_stats_read_names(nl, "nosuch0", &s), -ENODEV);
	assert_int_equal(s.n, 0);
	nt_nl_free(nl);
	fake_nl_done(&f);
}

static void test_parse_text(void **state)
{
	struct nt_ethtool_stats s = {};

	(void)state;
	assert_int_equal(
		nt_ethtool_stats_parse_text("NIC statistics:\n     rx0_packets: 12\n"
					    "     tx_queue_0_bytes: 18446744073709551615\n",
					    &s),
		0);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.name[1], "tx_queue_0_bytes");
	assert_true(s.v[1] == UINT64_MAX);
	nt_ethtool_stats_done(&s);
	assert_int_equal(nt_ethtool_stats_parse_text("NIC statistics:\n     rx: twelve\n", &s),
			 -EBADMSG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_no_stats),
		cmocka_unit_test(test_parse_text),
	};

	return cmocka_run_group_tests_name("stats-ethtool", tests, NULL, NULL);
}
