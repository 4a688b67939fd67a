/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Spread before budget: the receive work that saturates a CPU, and how to move it to the idle
 * CPUs of the same NUMA node. A larger netdev_budget cannot add CPU time to a saturated CPU
 * ("Increasing the budget will increase CPU usage", PC; RH10-2 raises it only when
 * time_squeeze grows on a CPU that still has time); when other CPUs of the node idle, the
 * work must go there (KS: a queue per CPU, RPS to the CPUs of the node; DIAGNOSE-RULES'
 * R02 and R09 remedies, spread first). The budget stays the remedy of a CPU with headroom.
 */
#ifndef NT_DIAGNOSE_SPREAD_H
#define NT_DIAGNOSE_SPREAD_H

#include "cpuset.h"
#include "finding.h"

enum nt_spread_how {
	NT_SPREAD_NONE,
	NT_SPREAD_IRQS,	    /* several busy RX queue IRQs on the CPU: one per CPU (smp_affinity) */
	NT_SPREAD_CHANNELS, /* RSS spreads over too few queues: more channels */
	NT_SPREAD_RPS,	    /* one busy queue, or a device without IRQs (lo, veth): RPS */
};

struct nt_spread {
	enum nt_spread_how how;
	const struct nt_snap_dev *dev;
	int queue;		   /* RPS: the busy RX queue, -1 every queue */
	unsigned int n_idle;	   /* idle CPUs of the node, the CPU itself excluded */
	unsigned int n_node;	   /* online CPUs of the node */
	struct nt_cpuset target;   /* RPS: the node's CPUs but its saturated ones */
	struct nt_cpuset excluded; /* ... the saturated ones */
	unsigned int nbits;	   /* nr_cpu_ids: the width of an rps_cpus mask */
};

/*
 * How to spread the receive work of saturated CPU @cpu: the device (and queue) whose work
 * runs there and the idle CPUs of its node. -ENODEV when no other CPU of the node idles,
 * -ESRCH when no device is seen to feed the CPU or every queue that does already has RPS.
 */
int nt_diag_spread(const struct nt_diag_ctx *c, int cpu, struct nt_spread *ret);
/* The remedy and profile snippet that spread @s off CPU @cpu. */
void nt_finding_remedy_spread(struct nt_finding *f, const struct nt_spread *s, int cpu);
/*
 * R02/R09: a budget below the kernel default goes back up first; a saturated CPU's work is
 * spread when the node has idle CPUs; with headroom double net.core.netdev_budget; a
 * saturated CPU without a way to spread gets no budget (it cannot add CPU time): the text
 * says what can help instead.
 */
void nt_remedy_spread_or_budget(const struct nt_diag_ctx *c, struct nt_finding *f, int cpu,
				const char *budget_caveat);

#endif
