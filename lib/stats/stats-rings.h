/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The RX ring size as "ethtool -g" shows it, for the diagnosis (R04): read live with
 * ethtool netlink RINGS_GET, or parsed from a recorded "ethtool -g DEV".
 */
#ifndef NT_STATS_RINGS_H
#define NT_STATS_RINGS_H

#include <stdint.h>

struct nt_nl;

struct nt_rings_rx {
	int64_t cur; /* descriptors, -1: not reported */
	int64_t max; /* pre-set maximum, -1: not reported (or 0) */
};

/*
 * RINGS_GET on the device (@ifindex, or @ifname when 0). -EOPNOTSUPP when this kernel has no
 * ethtool netlink or the driver reports no RX ring.
 */
int nt_rings_rx_read(struct nt_nl *nl, int ifindex, const char *ifname, struct nt_rings_rx *ret);
/*
 * "Pre-set maximums:\nRX:\t\t4096\n...Current hardware settings:\nRX:\t\t256\n" as printed
 * by ethtool -g; "n/a" is -1. -EBADMSG if neither section has an RX line.
 */
int nt_rings_rx_parse_text(const char *text, struct nt_rings_rx *ret);

#endif
