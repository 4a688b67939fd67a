// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Spread before budget (spread.h). Which device feeds a saturated CPU most: one whose busy
 * RX queue interrupts land there (a queue interrupt counted in the window; a device whose
 * interrupts all stayed masked, because NAPI polled throughout, counts every queue routed
 * there) with the share of its packets those queues carry, or a device without interrupts
 * (loopback, veth, tun: netif_rx processes their packets on the sending CPU,
 * DIAGNOSE-RULES §2.1) with all of its packets. How to move it:
 *  - several busy queue IRQs on the CPU: one IRQ per CPU (smp_affinity) [RH10-2][KS];
 *  - busy queues on other CPUs too (RSS spreads flows) but fewer queues than CPUs in the
 *    node, and the device can grow: more channels, a queue per CPU [KS][PC];
 *  - otherwise (one busy queue, or no IRQ): RPS for that queue to the other CPUs of the
 *    node; "At high interrupt rate, it might be wise to exclude the interrupting CPU" [KS],
 *    and every saturated CPU of the node is left out, so that two saturated CPUs get the
 *    same mask.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spread.h"

/* A CPU of the node with room: at least half of its time idle (as R08 counts it). */
static bool idle_cpu(const struct nt_rates *r, unsigned int k)
{
	return r->cpu[k].valid && r->cpu[k].idle >= 0.5;
}

static bool same_node(const struct nt_rates *r, unsigned int a, unsigned int b)
{
	int na = nt_rates_cpu_node(r, a), nb = nt_rates_cpu_node(r, b);

	return na < 0 || nb < 0 || na == nb;
}

/* RX queue IRQs of @dr with traffic in the window, on @cpu and elsewhere; @ret_q: one on @cpu. */
static void busy_queues(const struct nt_dev_rate *dr, int cpu, unsigned int *ret_on,
			unsigned int *ret_other, int *ret_q)
{
	const struct nt_snap_dev *d = dr->b;

	*ret_on = *ret_other = 0;
	*ret_q = -1;
	for (unsigned int i = 0; i < d->n_irq; i++) {
		const struct nt_snap_irq *x = &d->irq[i];

		if (x->queue < 0 || x->kind == NT_IRQ_QUEUE_TX || x->eff_cpu < 0)
			continue;
		/* some counted: only those are busy; none (masked while NAPI polled): all may be */
		if (dr->d_irq && (!dr->d_irq_q || !dr->d_irq_q[i]))
			continue;
		if (x->eff_cpu == cpu) {
			(*ret_on)++;
			*ret_q = x->queue;
		} else {
			(*ret_other)++;
		}
	}
}

int nt_diag_spread(const struct nt_diag_ctx *c, int cpu, struct nt_spread *ret)
{
	const struct nt_rates *r = c->r;
	const struct nt_dev_rate *best = NULL;
	const struct nt_snap_dev *d;
	struct nt_spread s = {.queue = -1, .nbits = r->b->cpus.nr_cpu_ids};
	unsigned int on = 0, other = 0;
	uint64_t best_est = 0;
	int q = -1;

	if (cpu < 0 || (unsigned int)cpu >= r->n_cpu)
		return -EINVAL;
	for (unsigned int k = 0; k < r->n_cpu; k++) {
		if (!r->cpu[k].valid || !same_node(r, k, (unsigned int)cpu))
			continue;
		s.n_node++;
		if ((int)k == cpu || c->saturated[k])
			(void)nt_cpuset_set(&s.excluded, k);
		else
			(void)nt_cpuset_set(&s.target, k);
		if ((int)k != cpu && idle_cpu(r, k))
			s.n_idle++;
	}
	if (!s.n_idle)
		return -ENODEV;
	/*
	 * The device that feeds the CPU most: its packets times the share of its busy queues
	 * whose IRQ is here; a device without IRQs (and without RPS) counts whole, its packets
	 * are processed on the CPUs that send them.
	 */
	for (unsigned int i = 0; i < r->n_dev; i++) {
		const struct nt_dev_rate *dr = &r->dev[i];
		uint64_t rx = dr->d[NT_LINK_RX_PACKETS], est;
		unsigned int n_on = 0, n_other = 0;
		int n_q = -1;

		if (!dr->valid || rx < NT_RATIO_FLOOR)
			continue;
		if (dr->b->n_irq) {
			busy_queues(dr, cpu, &n_on, &n_other, &n_q);
			if (!n_on)
				continue;
			est = rx / (n_on + n_other) * n_on;
		} else if (!dr->b->n_rps) {
			est = rx;
		} else {
			continue;
		}
		if (!best || est > best_est) {
			best = dr;
			best_est = est;
			on = n_on;
			other = n_other;
			q = n_q;
		}
	}
	if (!best)
		return -ESRCH;
	d = best->b;
	s.dev = d;
	if (!d->n_irq) {
		s.how = NT_SPREAD_RPS;
		s.queue = d->n_rx == 1 ? 0 : -1;
	} else if (on >= 2) {
		s.how = NT_SPREAD_IRQS;
	} else if ((other || d->n_rx == 1) && d->n_rx < s.n_node &&
		   (d->channels_max < 0 || d->channels_max > d->n_rx)) {
		s.how = NT_SPREAD_CHANNELS;
	} else if (d->n_rps < d->n_rx) {
		s.how = NT_SPREAD_RPS;
		s.queue = q;
	} else {
		return -ESRCH; /* RPS everywhere already: R01 says where it steers */
	}
	*ret = s;
	return 0;
}

/* "numa-local,!0,!1": the node without its saturated CPUs, as a profile CPU expression. */
static void rps_expr(const struct nt_spread *s, int cpu, char *buf, size_t n)
{
	size_t len = (size_t)snprintf(buf, n, "numa-local");

	NT_CPUSET_FOREACH (k, &s->excluded) {
		int w = snprintf(buf + len, n - len, ",!%d", k);

		if (w < 0 || (size_t)w >= n - len) {
			/* too many to name: leave out the CPU itself */
			snprintf(buf, n, "numa-local,!%d", cpu);
			return;
		}
		len += (size_t)w;
	}
}

void nt_finding_remedy_spread(struct nt_finding *f, const struct nt_spread *s, int cpu)
{
	const char *dev = s->dev->name;
	char cmd[256], sug[48], rx[16], *mask = NULL;

	switch (s->how) {
	case NT_SPREAD_IRQS: {
		char irqs[96] = "";
		size_t n = 0;

		/* the RX queue IRQs that share the CPU now */
		for (unsigned int i = 0; i < s->dev->n_irq && n < sizeof(irqs); i++) {
			const struct nt_snap_irq *x = &s->dev->irq[i];

			if (x->queue >= 0 && x->kind != NT_IRQ_QUEUE_TX && x->eff_cpu == cpu)
				n += (size_t)snprintf(irqs + n, sizeof(irqs) - n, "%s%u",
						      n ? " " : "", x->irq);
		}
		snprintf(cmd, sizeof(cmd),
			 "echo <cpu> > /proc/irq/N/smp_affinity_list  # for N in %s (RX queue "
			 "IRQs of %s on CPU %d): each to its own CPU of the node",
			 irqs, dev, cpu);
	}
		nt_finding_remedy(
			f, "smp_affinity", "irq", "", "{ spread: numa-local }", "irqs", dev, cmd,
			"managed IRQs cannot be moved (EPERM/EIO); irqbalance may "
			"overwrite manual settings unless the IRQs are banned [PC][RH10-2]");
		return;
	case NT_SPREAD_CHANNELS:
		if (s->dev->channels_max > 0)
			snprintf(sug, sizeof(sug), "%lld",
				 (long long)(s->dev->channels_max < s->n_node ? s->dev->channels_max
									      : s->n_node));
		else
			snprintf(sug, sizeof(sug), "max");
		snprintf(cmd, sizeof(cmd), "ethtool -L %s combined %s", dev,
			 streq(sug, "max") ? "<pre-set max>" : sug);
		snprintf(rx, sizeof(rx), "%u", s->dev->n_rx);
		nt_finding_remedy(f, "channels.combined", "device", rx, sug, "device", dev, cmd,
				  "more RX queues let RSS spread the flows over more CPUs, a queue "
				  "per CPU [KS]; one flow stays on one queue; most drivers bounce "
				  "the link [PC]");
		f->remedy.bounces_link = true;
		return;
	case NT_SPREAD_RPS:
	default:
		rps_expr(s, cpu, sug, sizeof(sug));
		if (nt_cpuset_format_mask(&s->target, s->nbits, &mask) < 0)
			mask = NULL;
		if (s->queue >= 0)
			snprintf(cmd, sizeof(cmd),
				 "echo %s > /sys/class/net/%s/queues/rx-%d/rps_cpus",
				 mask ? mask : "<mask>", dev, s->queue);
		else
			snprintf(
				cmd, sizeof(cmd),
				"for q in /sys/class/net/%s/queues/rx-*; do echo %s > $q/rps_cpus; "
				"done",
				dev, mask ? mask : "<mask>");
		free(mask);
		nt_finding_remedy(
			f, "rps_cpus", "queue", "0", sug, "queues", dev, cmd,
			"RPS moves protocol processing to the other CPUs of the node; the "
			"driver's poll stays where its IRQ is; costs IPIs; the profile sets "
			"every RX queue of the device; add RFS (rps_flow_cnt, "
			"net.core.rps_sock_flow_entries) for locality [KS]");
		return;
	}
}

void nt_remedy_spread_or_budget(const struct nt_diag_ctx *c, struct nt_finding *f, int cpu,
				const char *budget_caveat)
{
	int64_t budget = c->b->sysctl.netdev_budget;
	bool saturated = cpu >= 0 && (unsigned int)cpu < c->r->n_cpu && c->saturated[cpu];
	struct nt_spread s;
	size_t len = strlen(f->cause);
	int e = saturated ? nt_diag_spread(c, cpu, &s) : 0;

	/* A budget below the kernel default (300) is the misconfiguration itself. */
	if (!saturated || (budget >= 0 && budget < 300)) {
		nt_finding_remedy_double(f, "net.core.netdev_budget", budget, 300, budget_caveat);
		return;
	}
	if (e == 0) {
		snprintf(f->cause + len, sizeof(f->cause) - len,
			 "; %u other CPU%s of CPU %d's node idle: a bigger budget cannot add "
			 "CPU time, moving the work of '%s' there can [PC][KS]",
			 s.n_idle, s.n_idle == 1 ? "" : "s", cpu, s.dev->name);
		nt_finding_remedy_spread(f, &s, cpu);
		return;
	}
	snprintf(f->cause + len, sizeof(f->cause) - len, "%s",
		 e == -ENODEV
			 ? "; no other CPU of its node idles: a bigger budget cannot add CPU time"
			 : "; other CPUs of its node idle, but no device without RPS is "
			   "seen to feed it");
	nt_finding_remedy_text(
		f, "none",
		e == -ENODEV
			? "cut the per-packet cost (GRO on, fewer netfilter/tc rules), move "
			  "busy application threads off this CPU, or add CPUs and queues"
			: "find the traffic that lands on this CPU (R01 and R07 name where RPS "
			  "and IRQs send it) and spread it to the idle CPUs",
		"a larger netdev_budget cannot add CPU time to a saturated CPU; bpftune backs off "
		"the budget when tasks wait [PC][BPFT]");
}
