/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The rules R01-R16, one function each, in the table nt_rules[] (rules.c), and the
 * R04 ring-overflow accounting that the driver's saturation test and loss count share.
 */
#ifndef NT_RULES_H
#define NT_RULES_H

#include "diagnose.h"

extern const struct nt_rule nt_rules[];
extern const unsigned int nt_rules_n;
const struct nt_rule *nt_rule_find(const char *id);

/* R04 ring-overflow accounting of one device, shared by R04, R14 and causality. */
struct nt_ring_drops {
	uint64_t std;		/* rx_missed + rx_fifo + rx_over */
	uint64_t drv;		/* matching driver counters */
	uint64_t qs;		/* qstats rx-hw-drop-overruns */
	uint64_t mac;		/* ethtool stats eth-mac FramesLostDueToIntMACRcvError */
	uint64_t total;		/* counted once: the largest of the four */
	int drv_dup_rx_dropped; /* a driver counter moved exactly like rx_dropped (old mlx5) */
};
void nt_ring_drops(const struct nt_dev_rate *dr, struct nt_ring_drops *ret);
/* A driver counter (ethtool -S name) that counts RX ring overflow or refill failure. */
bool nt_is_ring_counter(const char *name);

#endif
