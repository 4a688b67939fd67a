/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Vendor-neutral queue statistics: netdev genl QSTATS_GET dump (kernel 6.9+), device
 * scope (the sum over the device's queues, including queues that no longer exist).
 * Drivers report only what they count: has[] says which counters the reply carried.
 */
#ifndef NT_STATS_QSTATS_H
#define NT_STATS_QSTATS_H

#include <stdbool.h>
#include <stdint.h>

#include "string-table.h"

struct nt_nl;

enum nt_qstat {
	NT_QS_RX_PACKETS,
	NT_QS_RX_BYTES,
	NT_QS_TX_PACKETS,
	NT_QS_TX_BYTES,
	NT_QS_RX_ALLOC_FAIL,
	NT_QS_RX_HW_DROPS,
	NT_QS_RX_HW_DROP_OVERRUNS,
	NT_QS_RX_HW_DROP_RATELIMITS,
	NT_QS_RX_HW_GRO_PACKETS,
	NT_QS_RX_HW_GRO_WIRE_PACKETS,
	_NT_QS_MAX,
};

DECLARE_STRING_TABLE_LOOKUP(nt_qstat, enum nt_qstat); /* spec spelling: "rx-hw-drop-overruns" */

struct nt_qstats {
	int ifindex;
	bool have;
	bool has[_NT_QS_MAX];
	uint64_t v[_NT_QS_MAX];
};

struct nt_qstats_list {
	unsigned int n;
	struct nt_qstats *dev;
};

/* -ENOENT (no netdev family) or -EOPNOTSUPP on kernels without qstats. */
int nt_qstats_read(struct nt_nl *nl, struct nt_qstats_list *ret);
void nt_qstats_list_done(struct nt_qstats_list *l);
const struct nt_qstats *nt_qstats_find(const struct nt_qstats_list *l, int ifindex);

#endif
