// SPDX-License-Identifier: GPL-2.0-or-later
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <linux/ethtool.h>
#include <linux/ethtool_netlink.h>
#include <linux/genetlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>

#include "macro.h"
#include "nl.h"
#include "parse-util.h"
#include "stats-ethstd.h"
#include "string-table.h"

/* Names as in the kernel's string sets ETH_SS_STATS_ETH_PHY/MAC/CTRL/RMON (net/ethtool). */
static const char *const phy_names[] = {
	[ETHTOOL_A_STATS_ETH_PHY_5_SYM_ERR] = "SymbolErrorDuringCarrier",
};

static const char *const mac_names[] = {
	[ETHTOOL_A_STATS_ETH_MAC_2_TX_PKT] = "FramesTransmittedOK",
	[ETHTOOL_A_STATS_ETH_MAC_3_SINGLE_COL] = "SingleCollisionFrames",
	[ETHTOOL_A_STATS_ETH_MAC_4_MULTI_COL] = "MultipleCollisionFrames",
	[ETHTOOL_A_STATS_ETH_MAC_5_RX_PKT] = "FramesReceivedOK",
	[ETHTOOL_A_STATS_ETH_MAC_6_FCS_ERR] = "FrameCheckSequenceErrors",
	[ETHTOOL_A_STATS_ETH_MAC_7_ALIGN_ERR] = "AlignmentErrors",
	[ETHTOOL_A_STATS_ETH_MAC_8_TX_BYTES] = "OctetsTransmittedOK",
	[ETHTOOL_A_STATS_ETH_MAC_9_TX_DEFER] = "FramesWithDeferredXmissions",
	[ETHTOOL_A_STATS_ETH_MAC_10_LATE_COL] = "LateCollisions",
	[ETHTOOL_A_STATS_ETH_MAC_11_XS_COL] = "FramesAbortedDueToXSColls",
	[ETHTOOL_A_STATS_ETH_MAC_12_TX_INT_ERR] = "FramesLostDueToIntMACXmitError",
	[ETHTOOL_A_STATS_ETH_MAC_13_CS_ERR] = "CarrierSenseErrors",
	[ETHTOOL_A_STATS_ETH_MAC_14_RX_BYTES] = "OctetsReceivedOK",
	[ETHTOOL_A_STATS_ETH_MAC_15_RX_INT_ERR] = "FramesLostDueToIntMACRcvError",
	[ETHTOOL_A_STATS_ETH_MAC_18_TX_MCAST] = "MulticastFramesXmittedOK",
	[ETHTOOL_A_STATS_ETH_MAC_19_TX_BCAST] = "BroadcastFramesXmittedOK",
	[ETHTOOL_A_STATS_ETH_MAC_20_XS_DEFER] = "FramesWithExcessiveDeferral",
	[ETHTOOL_A_STATS_ETH_MAC_21_RX_MCAST] = "MulticastFramesReceivedOK",
	[ETHTOOL_A_STATS_ETH_MAC_22_RX_BCAST] = "BroadcastFramesReceivedOK",
	[ETHTOOL_A_STATS_ETH_MAC_23_IR_LEN_ERR] = "InRangeLengthErrors",
	[ETHTOOL_A_STATS_ETH_MAC_24_OOR_LEN] = "OutOfRangeLengthField",
	[ETHTOOL_A_STATS_ETH_MAC_25_TOO_LONG_ERR] = "FrameTooLongErrors",
};

static const char *const ctrl_names[] = {
	[ETHTOOL_A_STATS_ETH_CTRL_3_TX] = "MACControlFramesTransmitted",
	[ETHTOOL_A_STATS_ETH_CTRL_4_RX] = "MACControlFramesReceived",
	[ETHTOOL_A_STATS_ETH_CTRL_5_RX_UNSUP] = "UnsupportedOpcodesReceived",
};

static const char *const rmon_names[] = {
	[ETHTOOL_A_STATS_RMON_UNDERSIZE] = "etherStatsUndersizePkts",
	[ETHTOOL_A_STATS_RMON_OVERSIZE] = "etherStatsOversizePkts",
	[ETHTOOL_A_STATS_RMON_FRAG] = "etherStatsFragments",
	[ETHTOOL_A_STATS_RMON_JABBER] = "etherStatsJabbers",
};

/* Group names as in the kernel's ETH_SS_STATS_STD string set. */
static const char *const nt_ethstd_group_table[_NT_ETHSTD_GROUP_MAX] = {
	[NT_ETHSTD_PHY] = "eth-phy",
	[NT_ETHSTD_MAC] = "eth-mac",
	[NT_ETHSTD_CTRL] = "eth-ctrl",
	[NT_ETHSTD_RMON] = "rmon",
};

DEFINE_STRING_TABLE_LOOKUP(nt_ethstd_group, enum nt_ethstd_group);

static const struct {
	uint32_t kernel_id; /* ETHTOOL_STATS_* */
	const char *const *stat;
	unsigned int n;
	unsigned int first; /* flat index of the group's first counter */
} groups[_NT_ETHSTD_GROUP_MAX] = {
	[NT_ETHSTD_PHY] = {ETHTOOL_STATS_ETH_PHY, phy_names, ARRAY_SIZE(phy_names), 0},
	[NT_ETHSTD_MAC] = {ETHTOOL_STATS_ETH_MAC, mac_names, ARRAY_SIZE(mac_names), 1},
	[NT_ETHSTD_CTRL] = {ETHTOOL_STATS_ETH_CTRL, ctrl_names, ARRAY_SIZE(ctrl_names), 23},
	[NT_ETHSTD_RMON] = {ETHTOOL_STATS_RMON, rmon_names, ARRAY_SIZE(rmon_names), 26},
};

_Static_assert(ARRAY_SIZE(phy_names) + ARRAY_SIZE(mac_names) + ARRAY_SIZE(ctrl_names) +
			       ARRAY_SIZE(rmon_names) ==
		       NT_ETHSTD_STATS_MAX,
	       "NT_ETHSTD_STATS_MAX");
_Static_assert((int)_NT_ETHSTD_GROUP_MAX == (int)__ETHTOOL_STATS_CNT,
	       "one entry per group of the 6.1 UAPI");

const char *nt_ethstd_stat_to_string(enum nt_ethstd_group g, unsigned int id)
{
	if ((unsigned int)g >= _NT_ETHSTD_GROUP_MAX || id >= groups[g].n)
		return NULL;
	return groups[g].stat[id];
}

/* Counters collected by flat index, turned into the sorted list at the end. */
struct collect {
	bool has[NT_ETHSTD_STATS_MAX];
	uint64_t v[NT_ETHSTD_STATS_MAX];
};

static void collect_set(struct collect *c, enum nt_ethstd_group g, unsigned int id, uint64_t v)
{
	unsigned int k = groups[g].first + id;

	c->has[k] = true;
	c->v[k] = v;
}

static void collect_finish(const struct collect *c, struct nt_ethstd_stats *s)
{
	*s = (struct nt_ethstd_stats){};
	for (unsigned int g = 0; g < _NT_ETHSTD_GROUP_MAX; g++)
		for (unsigned int id = 0; id < groups[g].n; id++) {
			unsigned int k = groups[g].first + id;

			if (!c->has[k] || !groups[g].stat[id])
				continue;
			s->stat[s->n++] = (struct nt_ethstd_stat){
				.group = g,
				.id = id,
				.name = groups[g].stat[id],
				.v = c->v[k],
			};
		}
}

static int group_from_kernel(uint32_t kernel_id)
{
	for (unsigned int g = 0; g < _NT_ETHSTD_GROUP_MAX; g++)
		if (groups[g].kernel_id == kernel_id)
			return (int)g;
	return -1;
}

/* One ETHTOOL_A_STATS_GRP nest: GRP_ID, GRP_SS_ID, GRP_STAT+ (each holding one u64). */
static int parse_group(struct nlattr *grp, struct collect *c)
{
	struct nlattr *tb[ETHTOOL_A_STATS_GRP_MAX + 1], *a;
	int g, rem;

	if (nla_parse_nested(tb, ETHTOOL_A_STATS_GRP_MAX, grp, NULL) < 0)
		return -EBADMSG;
	if (!tb[ETHTOOL_A_STATS_GRP_ID] || nla_len(tb[ETHTOOL_A_STATS_GRP_ID]) != sizeof(uint32_t))
		return -EBADMSG;
	g = group_from_kernel(nla_get_u32(tb[ETHTOOL_A_STATS_GRP_ID]));
	if (g < 0)
		return 0; /* a group newer than this table (6.18: phydev) */
	nla_for_each_nested(a, grp, rem)
	{
		struct nlattr *st;
		int rem2;

		if (nla_type(a) != ETHTOOL_A_STATS_GRP_STAT)
			continue; /* ids, pads, histograms */
		nla_for_each_nested(st, a, rem2)
		{
			unsigned int id = (unsigned int)nla_type(st);
			uint64_t v;

			if (nt_nla_get_uint(st, &v) < 0)
				return -EBADMSG;
			if (id < groups[g].n && groups[g].stat[id])
				collect_set(c, (enum nt_ethstd_group)g, id, v);
		}
	}
	return 0;
}

static int stats_cb(const struct nlmsghdr *nlh, struct nlattr **tb _unused_, void *userdata)
{
	struct nlattr *a;
	int rem, r;

	nlmsg_for_each_attr(a, (struct nlmsghdr *)nlh, GENL_HDRLEN, rem)
	{
		if (nla_type(a) != ETHTOOL_A_STATS_GRP)
			continue;
		r = parse_group(a, userdata);
		if (r < 0)
			return r;
	}
	return 0;
}

/* ETHTOOL_A_STATS_GROUPS as a compact bitset: every group of the 6.1 UAPI, no mask. */
static int put_groups(struct nl_msg *msg, void *userdata _unused_)
{
	struct nlattr *nest = nla_nest_start(msg, ETHTOOL_A_STATS_GROUPS);
	uint32_t bits = 0;

	if (!nest)
		return -EMSGSIZE;
	for (unsigned int g = 0; g < _NT_ETHSTD_GROUP_MAX; g++)
		bits |= 1u << groups[g].kernel_id;
	if (nla_put_flag(msg, ETHTOOL_A_BITSET_NOMASK) < 0 ||
	    nla_put_u32(msg, ETHTOOL_A_BITSET_SIZE, __ETHTOOL_STATS_CNT) < 0 ||
	    nla_put(msg, ETHTOOL_A_BITSET_VALUE, sizeof(bits), &bits) < 0)
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

int nt_ethstd_stats_read(struct nt_nl *nl, const char *ifname, struct nt_ethstd_stats *ret)
{
	const struct nt_nl_req req = {.family = ETHTOOL_GENL_NAME,
				      .cmd = ETHTOOL_MSG_STATS_GET,
				      .header = ETHTOOL_A_STATS_HEADER,
				      .ifname = ifname,
				      .put = put_groups};
	struct collect c = {};
	struct nt_ethstd_stats s;
	int r;

	r = nt_nl_get(nl, &req, ETHTOOL_A_STATS_MAX, stats_cb, &c, NULL);
	if (r == -EPFNOSUPPORT)
		return -EOPNOTSUPP; /* no ethtool netlink at all (< 5.6) */
	if (r < 0)
		return r; /* an unknown command (< 5.13) is -EOPNOTSUPP already */
	collect_finish(&c, &s);
	if (s.n == 0)
		return -EOPNOTSUPP;
	*ret = s;
	return 0;
}

/* "eth-mac-FramesReceivedOK" → group and id; false for anything this table does not know. */
static bool lookup_text_name(const char *name, size_t len, enum nt_ethstd_group *ret_g,
			     unsigned int *ret_id)
{
	for (unsigned int g = 0; g < _NT_ETHSTD_GROUP_MAX; g++) {
		size_t gl = strlen(nt_ethstd_group_table[g]);

		if (len <= gl + 1 || strncmp(name, nt_ethstd_group_table[g], gl) || name[gl] != '-')
			continue;
		for (unsigned int id = 0; id < groups[g].n; id++) {
			const char *s = groups[g].stat[id];
			size_t sl = len - gl - 1;

			if (s && strlen(s) == sl && !strncmp(name + gl + 1, s, sl)) {
				*ret_g = g;
				*ret_id = id;
				return true;
			}
		}
	}
	return false;
}

int nt_ethstd_stats_parse_text(const char *text, struct nt_ethstd_stats *ret)
{
	struct collect c = {};
	struct nt_ethstd_stats s;
	const char *line, *eol;

	for (line = text; *line; line = *eol ? eol + 1 : eol) {
		const char *p, *name;
		enum nt_ethstd_group g;
		unsigned long long v;
		unsigned int id;
		size_t len;
		char *end;

		eol = strchrnul(line, '\n');
		if (!nt_split_kv_line(line, eol, &name, &len, &p) || p == eol)
			continue; /* no counter, or "Standard stats for eth0:" */
		if (!lookup_text_name(name, len, &g, &id))
			continue; /* histogram buckets, newer counters */
		errno = 0;
		v = strtoull(p, &end, 10);
		if (end == p || errno || *p == '-' || (end != eol && *end != ' '))
			return -EBADMSG;
		collect_set(&c, g, id, v);
	}
	collect_finish(&c, &s);
	if (s.n == 0)
		return -EOPNOTSUPP;
	*ret = s;
	return 0;
}

int nt_ethstd_stats_find(const struct nt_ethstd_stats *s, enum nt_ethstd_group g, const char *name)
{
	for (unsigned int i = 0; i < s->n; i++)
		if (s->stat[i].group == g && streq(s->stat[i].name, name))
			return (int)i;
	return -1;
}
