/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Standard (IEEE 802.3 / RMON) statistics of one device: ethtool netlink STATS_GET with
 * the groups eth-phy, eth-mac, eth-ctrl and rmon (kernel 5.13+; "STATS_GET" in the kernel's
 * Documentation/networking/ethtool-netlink.rst),
 * what "ethtool -S DEV --all-groups" prints. The counter of a group is identified by the
 * attribute type inside ETHTOOL_A_STATS_GRP_STAT (ETHTOOL_A_STATS_ETH_MAC_* etc. of the
 * 6.1 UAPI); its name is the kernel's string-set spelling ("FramesReceivedOK"). Counters
 * this table does not know (newer kernels) and the RMON histograms are not read.
 *
 * The kernel reports only counters the driver fills in; a device with none (veth, virtio)
 * gives -EOPNOTSUPP. Fixture trees carry the recorded "ethtool -S DEV --all-groups" text,
 * parsed by nt_ethstd_stats_parse_text().
 */
#ifndef NT_STATS_ETHSTD_H
#define NT_STATS_ETHSTD_H

#include <stdint.h>

#include "string-table.h"

struct nt_nl;

enum nt_ethstd_group {
	NT_ETHSTD_PHY,	/* "eth-phy", ETHTOOL_STATS_ETH_PHY */
	NT_ETHSTD_MAC,	/* "eth-mac" */
	NT_ETHSTD_CTRL, /* "eth-ctrl" */
	NT_ETHSTD_RMON, /* "rmon" */
	_NT_ETHSTD_GROUP_MAX,
};

/* Every counter of every group this table knows: 1 + 22 + 3 + 4. */
#define NT_ETHSTD_STATS_MAX 30

struct nt_ethstd_stat {
	enum nt_ethstd_group group;
	unsigned int id;  /* attribute type inside ETHTOOL_A_STATS_GRP_STAT */
	const char *name; /* static: "FramesLostDueToIntMACRcvError" */
	uint64_t v;
};

struct nt_ethstd_stats {
	unsigned int n;
	struct nt_ethstd_stat stat[NT_ETHSTD_STATS_MAX]; /* by group, then id */
};

/* "eth-mac" (the kernel's ETH_SS_STATS_STD spelling) <-> NT_ETHSTD_MAC. */
DECLARE_STRING_TABLE_LOOKUP(nt_ethstd_group, enum nt_ethstd_group);
/* The kernel's name of counter @id of @g, or NULL if this table does not know it. */
const char *nt_ethstd_stat_to_string(enum nt_ethstd_group g, unsigned int id);

/*
 * STATS_GET for all four groups. -EOPNOTSUPP when the driver reports no standard counter
 * (or the kernel has no STATS_GET); -EBADMSG for a malformed reply; the kernel's -errno.
 */
int nt_ethstd_stats_read(struct nt_nl *nl, const char *ifname, struct nt_ethstd_stats *ret);
/*
 * "Standard stats for eth0:\neth-mac-FramesReceivedOK: 12\n..." as printed by
 * ethtool -S DEV --all-groups (or --groups ...). -EBADMSG for a malformed value,
 * -EOPNOTSUPP when no known counter is listed.
 */
int nt_ethstd_stats_parse_text(const char *text, struct nt_ethstd_stats *ret);
/* Index of counter @name of group @g, or -1. */
int nt_ethstd_stats_find(const struct nt_ethstd_stats *s, enum nt_ethstd_group g, const char *name);

#endif
