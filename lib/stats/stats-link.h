/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Device counters (struct rtnl_link_stats64, 64-bit) of every network device of the
 * current netns. Live: one RTM_GETLINK dump through libnl-route (IFLA_STATS64), which
 * is what the kernel recommends over per-file sysfs reads (statistics.rst). Fixture
 * trees (--root): /sys/class/net/<dev>/statistics/<name>, the same values.
 */
#ifndef NT_STATS_LINK_H
#define NT_STATS_LINK_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

#include "string-table.h"

struct nt_root;

enum nt_link_stat {
	NT_LINK_RX_PACKETS,
	NT_LINK_TX_PACKETS,
	NT_LINK_RX_BYTES,
	NT_LINK_TX_BYTES,
	NT_LINK_RX_ERRORS,
	NT_LINK_TX_ERRORS,
	NT_LINK_RX_DROPPED,
	NT_LINK_TX_DROPPED,
	NT_LINK_MULTICAST,
	NT_LINK_COLLISIONS,
	NT_LINK_RX_LENGTH_ERRORS,
	NT_LINK_RX_OVER_ERRORS,
	NT_LINK_RX_CRC_ERRORS,
	NT_LINK_RX_FRAME_ERRORS,
	NT_LINK_RX_FIFO_ERRORS,
	NT_LINK_RX_MISSED_ERRORS,
	NT_LINK_RX_NOHANDLER,
	_NT_LINK_STAT_MAX,
};

/* The kernel's name of a counter ("rx_missed_errors"), as in sysfs and if_link.h. */
DECLARE_STRING_TABLE_LOOKUP(nt_link_stat, enum nt_link_stat);

struct nt_link_stats {
	char name[IF_NAMESIZE];
	int ifindex;
	uint64_t v[_NT_LINK_STAT_MAX];
};

struct nt_link_stats_list {
	unsigned int n;
	struct nt_link_stats *link; /* sorted by name */
};

/* Every device, from sysfs below @root. */
int nt_link_stats_read_sysfs(const struct nt_root *root, struct nt_link_stats_list *ret);
/* Every device of the current netns, from one rtnetlink dump. */
int nt_link_stats_read_netlink(struct nt_link_stats_list *ret);
void nt_link_stats_done(struct nt_link_stats_list *l);
const struct nt_link_stats *nt_link_stats_find(const struct nt_link_stats_list *l,
					       const char *name);

#endif
