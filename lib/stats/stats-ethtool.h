/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Driver-private statistics ("ethtool -S"). Names come from the ethtool netlink string
 * set ETH_SS_STATS (ETHTOOL_MSG_STRSET_GET); values only through the ETHTOOL_GSTATS
 * ioctl, the one interface the kernel offers for them (ethtool netlink's STATS_GET carries
 * only the standard groups; Documentation/networking/ethtool-netlink.rst).
 * Fixture trees carry recorded "ethtool -S DEV" output, parsed by
 * nt_ethtool_stats_parse_text().
 */
#ifndef NT_STATS_ETHTOOL_H
#define NT_STATS_ETHTOOL_H

#include <stdint.h>

#define NT_ETHTOOL_NAME_MAX 32 /* ETH_GSTRING_LEN */

struct nt_nl;

struct nt_ethtool_stats {
	unsigned int n;
	char (*name)[NT_ETHTOOL_NAME_MAX];
	uint64_t *v;
};

/* -EOPNOTSUPP when the driver has no private stats. */
int nt_ethtool_stats_read(struct nt_nl *nl, const char *ifname, struct nt_ethtool_stats *ret);
/*
 * Only the names (ETHTOOL_MSG_STRSET_GET, set ETH_SS_STATS), values zero: the first half
 * of nt_ethtool_stats_read(). -EOPNOTSUPP when the driver has no private stats.
 */
int nt_ethtool_stats_read_names(struct nt_nl *nl, const char *ifname, struct nt_ethtool_stats *ret);
/* "NIC statistics:\n     rx_packets: 12\n..." as printed by ethtool -S. */
int nt_ethtool_stats_parse_text(const char *text, struct nt_ethtool_stats *ret);
void nt_ethtool_stats_done(struct nt_ethtool_stats *s);
/* Index of @name, or -1. */
int nt_ethtool_stats_find(const struct nt_ethtool_stats *s, const char *name);

#endif
