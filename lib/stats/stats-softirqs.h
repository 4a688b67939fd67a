/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * /proc/softirqs: a "CPU<n>" header naming each column (possible CPUs), then one row
 * per softirq type ("NET_RX:", "TIMER:", ...) of decimal per-CPU counts. Host-global.
 * NET_RX counts softirq runs, not packets (kstat_incr_softirqs_this_cpu() once per run of
 * the handler, kernel/softirq.c).
 */
#ifndef NT_STATS_SOFTIRQS_H
#define NT_STATS_SOFTIRQS_H

#include <stdbool.h>
#include <stdint.h>

struct nt_root;

struct nt_softirqs {
	unsigned int n_cpu; /* highest CPU in the header + 1; arrays are indexed by CPU */
	bool *present;	    /* CPU has a column */
	uint64_t *net_rx;
	uint64_t *net_tx;
	uint64_t *total; /* sum over all softirq types */
};

/* -EBADMSG on malformed text or when the NET_RX row is missing. */
int nt_softirqs_parse(const char *text, struct nt_softirqs *ret);
int nt_softirqs_read(const struct nt_root *root, struct nt_softirqs *ret);
void nt_softirqs_done(struct nt_softirqs *s);

#endif
