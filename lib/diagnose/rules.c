// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The rules R01-R17, one function each. Thresholds carry their source key, resolved to
 * the public source (kernel documentation, man page, vendor guide, monitoring tool, article)
 * in docs/diagnose-json.md, "Sources"; [derived] marks napictl's own choice.
 * A rule that returns without a finding means "ok". An nt_finding_add() that fails for lack
 * of memory returns NULL and the rule stops; the diagnosis is then incomplete, not wrong.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>

#include <linux/ethtool.h>

#include "finding.h"
#include "rules.h"
#include "sockets.h"
#include "spread.h"

static double per_s(const struct nt_diag_ctx *c, uint64_t d)
{
	return (double)d / c->dt;
}

static void fmt_u64(char *buf, size_t n, int64_t v)
{
	if (v < 0)
		snprintf(buf, n, "%s", "");
	else
		snprintf(buf, n, "%lld", (long long)v);
}

/* ---- R01 backlog drops ---- */

/* The device whose RPS steers the traffic: the busiest one with rps_cpus set. */
static const struct nt_snap_dev *rps_device(const struct nt_diag_ctx *c)
{
	const struct nt_dev_rate *best = NULL;

	for (unsigned int i = 0; i < c->r->n_dev; i++) {
		const struct nt_dev_rate *dr = &c->r->dev[i];

		if (!dr->valid || !dr->b->n_rps)
			continue;
		if (!best || dr->d[NT_LINK_RX_PACKETS] > best->d[NT_LINK_RX_PACKETS])
			best = dr;
	}
	return best ? best->b : NULL;
}

static void rule_backlog(struct nt_diag_ctx *c)
{
	const struct nt_rates *r = c->r;
	uint64_t rps_total = 0;

	for (unsigned int cpu = 0; cpu < r->n_cpu; cpu++)
		rps_total += r->cpu[cpu].valid ? r->cpu[cpu].d_rps : 0;
	for (unsigned int cpu = 0; cpu < r->n_cpu; cpu++) {
		const struct nt_cpu_rate *x = &r->cpu[cpu];
		uint64_t fl = x->valid ? c->fl_drop[cpu] : 0;
		uint64_t drops = x->d_dropped - fl, den = x->d_processed + drops;
		int64_t cur = c->b->sysctl.netdev_max_backlog;
		enum nt_level lvl = NT_LEVEL_NOTE;
		struct nt_finding *f;
		double ratio;

		if (!x->valid || drops == 0)
			continue;
		ratio = den ? (double)drops / (double)den : 0;
		if (per_s(c, drops) > NT_RATE_WARN)
			lvl = NT_LEVEL_WARN;
		if (den >= NT_RATIO_FLOOR && ratio >= 0.01)
			lvl = NT_LEVEL_CRIT;
		f = nt_finding_add(c, lvl, (int)cpu, NULL);
		if (!f)
			return;
		f->lost = drops;
		nt_finding_summary(f,
				   "%llu backlog drops on CPU %u (%.1f/s, %.2f%% of its packets)",
				   (unsigned long long)drops, cpu, per_s(c, drops), ratio * 100);
		nt_finding_ev(f, "dropped", "/proc/net/softnet_stat col 2", (int)cpu, NULL, -1,
			      x->d_dropped, per_s(c, x->d_dropped));
		if (fl)
			nt_finding_ev(f, "flow_limit_count (reported as R03)",
				      "/proc/net/softnet_stat col 11", (int)cpu, NULL, -1, fl,
				      per_s(c, fl));
		nt_finding_ev(f, "processed", "/proc/net/softnet_stat col 1", (int)cpu, NULL, -1,
			      x->d_processed, per_s(c, x->d_processed));
		if (x->d_rps)
			nt_finding_ev(f, "received_rps", "/proc/net/softnet_stat col 10", (int)cpu,
				      NULL, -1, x->d_rps, per_s(c, x->d_rps));
		if (x->soft >= 0)
			nt_finding_ev_share(f, "softirq+irq time", "/proc/stat", (int)cpu, NULL,
					    x->soft);
		/* A saturated RPS target taking most RPS work is an RPS problem (causality). */
		if (c->rps_any && c->saturated[cpu] && rps_total &&
		    (double)x->d_rps / (double)rps_total >= 0.8) {
			const struct nt_snap_dev *rd = rps_device(c);
			char cmd[160];

			nt_finding_cause(
				f,
				"RPS steers most flows to CPU %u, which is NET_RX-saturated: its "
				"input queue overflows. A larger backlog would only add latency.",
				cpu);
			snprintf(cmd, sizeof(cmd),
				 "echo <mask of several NUMA-local CPUs> > "
				 "/sys/class/net/%s/queues/rx-N/rps_cpus",
				 rd ? rd->name : "DEV");
			if (rd)
				nt_finding_remedy(f, "rps_cpus", "queue", "", "numa-local",
						  "queues", rd->name, cmd,
						  "spread RPS over several CPUs of the NIC's NUMA "
						  "node; at high rates exclude the IRQ CPU [KS]");
			else
				nt_finding_remedy_text(f, "queue", cmd,
						       "spread RPS over several CPUs of the NIC's "
						       "NUMA node [KS]");
			continue;
		}
		nt_finding_cause(
			f,
			"CPU %u's input_pkt_queue (RPS/netif_rx path: loopback, veth, tun, RPS) "
			"exceeded net.core.netdev_max_backlog%s.",
			cpu, c->saturated[cpu] ? "; the CPU is also NET_RX-saturated" : "");
		nt_finding_remedy_double(
			f, "net.core.netdev_max_backlog", cur, 1000,
			"doubling per step [RH10-1]; over 100000 is unlikely to help "
			"[RH-KB1241943]; deep queues add latency; fix a saturated CPU first");
	}
}

/* ---- R02 time_squeeze ---- */

static void rule_squeeze(struct nt_diag_ctx *c)
{
	const struct nt_rates *r = c->r;
	const struct nt_snap_sysctl *sc = &c->b->sysctl;

	for (unsigned int cpu = 0; cpu < r->n_cpu; cpu++) {
		const struct nt_cpu_rate *x = &r->cpu[cpu];
		struct nt_finding *f;
		double s;

		if (!x->valid || x->d_squeeze == 0)
			continue;
		s = per_s(c, x->d_squeeze);
		/* A squeeze alone is never critical. */
		f = nt_finding_add(c, s > NT_RATE_WARN ? NT_LEVEL_WARN : NT_LEVEL_NOTE, (int)cpu,
				   NULL);
		if (!f)
			return;
		nt_finding_summary(f, "NET_RX ran out of budget/time %.1f times/s on CPU %u%s", s,
				   cpu, c->saturated[cpu] ? " (CPU NET_RX-saturated)" : "");
		nt_finding_ev(f, "time_squeeze", "/proc/net/softnet_stat col 3", (int)cpu, NULL, -1,
			      x->d_squeeze, s);
		nt_finding_ev(f, "processed", "/proc/net/softnet_stat col 1", (int)cpu, NULL, -1,
			      x->d_processed, per_s(c, x->d_processed));
		if (x->soft >= 0)
			nt_finding_ev_share(f, "softirq+irq time", "/proc/stat", (int)cpu, NULL,
					    x->soft);
		if (x->ksoftirqd >= 0)
			nt_finding_ev_share(f, "ksoftirqd CPU", "/proc/<pid>/stat", (int)cpu, NULL,
					    x->ksoftirqd);
		nt_finding_cause(
			f,
			"net_rx_action on CPU %u had more packets than net.core.netdev_budget "
			"(%lld) or net.core.netdev_budget_usecs (%lld) allowed per run "
			"(%.0f packets per squeeze)",
			cpu, (long long)sc->netdev_budget, (long long)sc->netdev_budget_usecs,
			x->d_squeeze ? (double)x->d_processed / (double)x->d_squeeze : 0);
		nt_remedy_spread_or_budget(
			c, f, (int)cpu,
			"the CPU has headroom: a run may do more; raises softirq CPU time (%si) "
			"and delays tasks [PC][BPFT]; raise netdev_budget_usecs with it [RH10-2]");
	}
}

/* ---- R03 flow limit ---- */

static void rule_flow_limit(struct nt_diag_ctx *c)
{
	const struct nt_rates *r = c->r;
	uint64_t total = 0;
	int top = -1;
	uint64_t top_n = 0;
	struct nt_finding *f;
	int64_t cur = c->b->sysctl.netdev_max_backlog;

	for (unsigned int cpu = 0; cpu < r->n_cpu; cpu++) {
		const struct nt_cpu_rate *x = &r->cpu[cpu];

		if (!x->valid || !x->d_flow_limit)
			continue;
		total += x->d_flow_limit;
		if (x->d_flow_limit > top_n) {
			top_n = x->d_flow_limit;
			top = (int)cpu;
		}
	}
	if (!total)
		return;
	f = nt_finding_add(c, per_s(c, total) > NT_RATE_WARN ? NT_LEVEL_WARN : NT_LEVEL_NOTE, top,
			   NULL);
	if (!f)
		return;
	for (unsigned int cpu = 0; cpu < r->n_cpu; cpu++)
		f->lost += r->cpu[cpu].valid ? c->fl_drop[cpu] : 0;
	nt_finding_summary(f, "%llu packets of large flows dropped by the RPS flow limit (%.1f/s)",
			   (unsigned long long)total, per_s(c, total));
	for (unsigned int cpu = 0; cpu < r->n_cpu; cpu++)
		if (r->cpu[cpu].valid && r->cpu[cpu].d_flow_limit)
			nt_finding_ev(f, "flow_limit_count", "/proc/net/softnet_stat col 11",
				      (int)cpu, NULL, -1, r->cpu[cpu].d_flow_limit,
				      per_s(c, r->cpu[cpu].d_flow_limit));
	nt_finding_cause(
		f, "a CPU's backlog passed half of netdev_max_backlog and one flow held more "
		   "than half of the recent packets: the flow limit protects small flows [KS]");
	nt_finding_remedy_double(
		f, "net.core.netdev_max_backlog", cur, 1000,
		"working as designed if the large flow is abusive; one flow cannot be spread by "
		"RSS/RPS [KS]");
}

/* ---- R04 ring overflow ---- */

bool nt_is_ring_counter(const char *n)
{
	size_t len = strlen(n);

	if (strstr(n, "xdp") || strstr(n, "phy") || strstr(n, "allowance") || strncmp(n, "rx", 2))
		return false;
	if (strstr(n, "no_buffer") || strstr(n, "out_of_buffer") || strstr(n, "nodesc") ||
	    strstr(n, "missed") || strstr(n, "alloc_fail") || strstr(n, "buff_alloc_err") ||
	    strstr(n, "no_dma_resources"))
		return true;
	return (len > 6 && !strcmp(n + len - 6, "_drops")) ||
	       (len > 5 && !strcmp(n + len - 5, "_drop"));
}

/* Δ of the eth-mac counter the MAC drops into when it has no buffer (IEEE 30.3.1.1.15). */
static uint64_t mac_rcv_lost(const struct nt_dev_rate *dr)
{
	int k;

	if (!dr->ethstd_valid)
		return 0;
	k = nt_ethstd_stats_find(&dr->b->ethstd, NT_ETHSTD_MAC, "FramesLostDueToIntMACRcvError");
	return k < 0 ? 0 : dr->d_ethstd[k];
}

void nt_ring_drops(const struct nt_dev_rate *dr, struct nt_ring_drops *ret)
{
	struct nt_ring_drops rd = {.drv_dup_rx_dropped = -1};

	rd.std = dr->d[NT_LINK_RX_MISSED_ERRORS] + dr->d[NT_LINK_RX_FIFO_ERRORS] +
		 dr->d[NT_LINK_RX_OVER_ERRORS];
	if (dr->d_ethtool)
		for (unsigned int k = 0; k < dr->b->ethtool.n; k++) {
			if (!dr->d_ethtool[k] || !nt_is_ring_counter(dr->b->ethtool.name[k]))
				continue;
			rd.drv += dr->d_ethtool[k];
			if (dr->d_ethtool[k] == dr->d[NT_LINK_RX_DROPPED])
				rd.drv_dup_rx_dropped = (int)k;
		}
	if (dr->qstats_valid)
		rd.qs = dr->d_qs_hw_drop_overruns + dr->d_qs_alloc_fail;
	rd.mac = mac_rcv_lost(dr);
	/* The same event is often counted by a standard and a private counter: count once. */
	rd.total = rd.std;
	if (rd.drv > rd.total)
		rd.total = rd.drv;
	if (rd.qs > rd.total)
		rd.total = rd.qs;
	if (rd.mac > rd.total)
		rd.total = rd.mac;
	*ret = rd;
}

/*
 * R04's cause and fix. (a) the ring is below its pre-set maximum: grow it to that number
 * (unknown size: "max"). At the maximum it cannot grow: on a saturated IRQ CPU spread
 * the load as the causality order would (R07 IRQs, R10 channels, R08 RPS); on an idle
 * one more channels spread bursts over more rings [PC], and with a queue per CPU already
 * only faster draining (interrupt coalescing) is left [derived].
 */
static void ring_cause_remedy(const struct nt_diag_ctx *c, struct nt_finding *f,
			      const struct nt_snap_dev *d, int sat)
{
	bool at_max = d->ring_rx >= 0 && d->ring_rx_max > 0 && d->ring_rx >= d->ring_rx_max;
	unsigned int on_sat = 0;
	char cur[24], sug[24], cmd[160];

	if (sat >= 0) {
		/* (b) CPU-bound: the ring is only the symptom. */
		nt_finding_cause(f,
				 "device '%s': the CPU serving its RX interrupts (CPU %d) is "
				 "NET_RX-saturated and cannot refill the ring in time%s",
				 d->name, sat,
				 at_max ? "; the ring is already at its pre-set maximum" : "");
	} else if (at_max) {
		nt_finding_cause(
			f,
			"device '%s': the RX ring fills during bursts although it is at its "
			"pre-set maximum (%lld descriptors) and its IRQ CPU is not saturated: it "
			"cannot grow, only faster draining helps [RH8-RING][INTEL-BLOG]",
			d->name, (long long)d->ring_rx_max);
	} else {
		nt_finding_cause(
			f,
			"device '%s': the RX ring fills during bursts although its IRQ "
			"CPU is not saturated: the ring is too small [RH8-RING][INTEL-BLOG]",
			d->name);
	}
	if (!at_max) {
		fmt_u64(cur, sizeof(cur), d->ring_rx);
		if (d->ring_rx_max > 0) {
			snprintf(sug, sizeof(sug), "%lld", (long long)d->ring_rx_max);
			snprintf(cmd, sizeof(cmd), "ethtool -G %s rx %s", d->name, sug);
		} else {
			snprintf(sug, sizeof(sug), "max");
			snprintf(cmd, sizeof(cmd), "ethtool -g %s; ethtool -G %s rx <pre-set max>",
				 d->name, d->name);
		}
		nt_finding_remedy(
			f, "rings.rx", "device", cur, sug, "device", d->name, cmd,
			"most drivers bounce the link; not persistent across reboot; bigger rings "
			"cost memory [PC][RH-KB21301]");
		f->remedy.bounces_link = true;
		return;
	}
	for (unsigned int q = 0; sat >= 0 && q < d->n_irq; q++)
		if (d->irq[q].queue >= 0 && d->irq[q].kind != NT_IRQ_QUEUE_TX &&
		    d->irq[q].eff_cpu == sat)
			on_sat++;
	if (on_sat >= 2) {
		/* Several queue IRQs on the saturated CPU (R07). */
		nt_finding_remedy(
			f, "smp_affinity", "irq", "", "{ spread: numa-local }", "irqs", d->name,
			"echo <cpu> > /proc/irq/N/smp_affinity_list  # one queue IRQ per core",
			"the ring cannot grow: spread the queue IRQs over more CPUs [RH10-2][SFC]; "
			"managed IRQs cannot be moved [PC]");
	} else if (d->n_irq > 0 && (sat >= 0 ? d->n_rx == 1 : d->n_rx < c->n_online)) {
		/* One queue (R10), or bursts: more rings share the burst (RSS, several flows). */
		snprintf(cmd, sizeof(cmd), "ethtool -l %s; ethtool -L %s combined <N>", d->name,
			 d->name);
		nt_finding_remedy(
			f, "channels.combined", "device", "", "max", "device", d->name, cmd,
			"the ring cannot grow: more channels spread the load over more rings and "
			"CPUs [PC]; most drivers bounce the link; helps only with several flows "
			"(RSS)");
		f->remedy.bounces_link = true;
	} else if (sat >= 0) {
		/* One queue without queue IRQs, or one busy queue: RPS (R08/R10). */
		nt_finding_remedy(
			f, "rps_cpus", "queue", "", "numa-local", "queues", d->name,
			"echo <mask of NUMA-local CPUs> > /sys/class/net/DEV/queues/rx-N/rps_cpus",
			"the ring cannot grow: RPS moves protocol processing off the IRQ CPU so it "
			"drains the ring sooner; costs IPIs [KS]");
	} else {
		snprintf(cmd, sizeof(cmd),
			 "ethtool -c %s; ethtool -C %s adaptive-rx off rx-usecs <lower>", d->name,
			 d->name);
		nt_finding_remedy_text(
			f, "device", cmd,
			"the ring is at its maximum and every CPU has a queue: the only lever "
			"left is draining faster; lower rx-usecs starts NAPI sooner at the cost "
			"of more interrupts [derived]");
	}
}

static void rule_ring(struct nt_diag_ctx *c)
{
	const struct nt_rates *r = c->r;

	for (unsigned int i = 0; i < r->n_dev; i++) {
		const struct nt_dev_rate *dr = &r->dev[i];
		const struct nt_snap_dev *d = dr->b;
		enum nt_level lvl = NT_LEVEL_NOTE;
		struct nt_ring_drops rd;
		struct nt_finding *f;
		uint64_t den;
		double ratio;
		int sat;

		if (!dr->valid)
			continue;
		nt_ring_drops(dr, &rd);
		if (!rd.total)
			continue;
		den = dr->d[NT_LINK_RX_PACKETS] + rd.total;
		ratio = (double)rd.total / (double)den;
		if (per_s(c, rd.total) > NT_RATE_WARN || (den >= NT_RATIO_FLOOR && ratio >= 0.001))
			lvl = NT_LEVEL_WARN;
		if (den >= NT_RATIO_FLOOR && ratio >= 0.01)
			lvl = NT_LEVEL_CRIT;
		sat = nt_diag_dev_saturated_cpu(c, dr);
		f = nt_finding_add(c, lvl, -1, d->name);
		if (!f)
			return;
		f->lost = rd.total;
		nt_finding_summary(
			f, "'%s' lost %llu packets in its RX ring (%.1f/s, %.3f%% of received)",
			d->name, (unsigned long long)rd.total, per_s(c, rd.total), ratio * 100);
		if (d->ring_rx >= 0)
			nt_finding_ev_setting(f, "rx ring size", "ethtool -g", d->name, d->ring_rx,
					      d->ring_rx_max);
		if (dr->d[NT_LINK_RX_MISSED_ERRORS])
			nt_finding_ev(f, "rx_missed_errors", "IFLA_STATS64", -1, d->name, -1,
				      dr->d[NT_LINK_RX_MISSED_ERRORS],
				      per_s(c, dr->d[NT_LINK_RX_MISSED_ERRORS]));
		if (dr->d[NT_LINK_RX_FIFO_ERRORS])
			nt_finding_ev(f, "rx_fifo_errors", "IFLA_STATS64", -1, d->name, -1,
				      dr->d[NT_LINK_RX_FIFO_ERRORS],
				      per_s(c, dr->d[NT_LINK_RX_FIFO_ERRORS]));
		if (dr->d[NT_LINK_RX_OVER_ERRORS])
			nt_finding_ev(f, "rx_over_errors", "IFLA_STATS64", -1, d->name, -1,
				      dr->d[NT_LINK_RX_OVER_ERRORS],
				      per_s(c, dr->d[NT_LINK_RX_OVER_ERRORS]));
		if (dr->d_ethtool)
			for (unsigned int k = 0; k < d->ethtool.n; k++)
				if (dr->d_ethtool[k] && nt_is_ring_counter(d->ethtool.name[k]))
					nt_finding_ev(f, d->ethtool.name[k], "ethtool -S", -1,
						      d->name, -1, dr->d_ethtool[k],
						      per_s(c, dr->d_ethtool[k]));
		if (rd.qs)
			nt_finding_ev(f, "rx-hw-drop-overruns+rx-alloc-fail", "netdev qstats", -1,
				      d->name, -1, rd.qs, per_s(c, rd.qs));
		if (rd.mac)
			nt_finding_ev(f, "FramesLostDueToIntMACRcvError", "ethtool stats eth-mac",
				      -1, d->name, -1, rd.mac, per_s(c, rd.mac));
		nt_finding_ev(f, "rx_packets", "IFLA_STATS64", -1, d->name, -1,
			      dr->d[NT_LINK_RX_PACKETS], per_s(c, dr->d[NT_LINK_RX_PACKETS]));
		if (sat >= 0)
			f->cpu = sat;
		ring_cause_remedy(c, f, d, sat);
	}
}

/* ---- R07 IRQ imbalance ---- */

/*
 * RX queue IRQs of @d effectively routed to @cpu; -1 if no affinity is known. One busy queue
 * whose IRQ sits on @cpu while the others idle elsewhere is not an affinity problem.
 */
static int irq_count_on(const struct nt_snap_dev *d, int cpu)
{
	int n = 0, known = 0;

	for (unsigned int q = 0; q < d->n_irq; q++) {
		const struct nt_snap_irq *x = &d->irq[q];

		if (x->queue < 0 || x->kind == NT_IRQ_QUEUE_TX || x->eff_cpu < 0)
			continue;
		known++;
		if (x->eff_cpu == cpu)
			n++;
	}
	return known ? n : -1;
}

/* The one CPU every RX queue IRQ of @d is effectively routed to, or -1. */
static int irq_single_cpu(const struct nt_snap_dev *d)
{
	int cpu = -1;

	for (unsigned int q = 0; q < d->n_irq; q++) {
		const struct nt_snap_irq *x = &d->irq[q];

		if (x->queue < 0 || x->kind == NT_IRQ_QUEUE_TX)
			continue;
		if (x->eff_cpu < 0 || x->n_eff != 1 || (cpu >= 0 && x->eff_cpu != cpu))
			return -1;
		cpu = x->eff_cpu;
	}
	return cpu;
}

static void rule_irq_imbalance(struct nt_diag_ctx *c)
{
	const struct nt_rates *r = c->r;

	if (c->n_online < 2)
		return;
	for (unsigned int i = 0; i < r->n_dev; i++) {
		const struct nt_dev_rate *dr = &r->dev[i];
		const struct nt_snap_dev *d = dr->b;
		unsigned int nq = 0;
		uint64_t max = 0;
		int hot = -1;
		struct nt_ring_drops rd = {};
		struct nt_finding *f;
		char cmd[128];
		bool pressure, by_affinity = false;

		for (unsigned int q = 0; q < d->n_irq; q++)
			if (d->irq[q].queue >= 0 && d->irq[q].kind != NT_IRQ_QUEUE_TX)
				nq++;
		if (nq < 2)
			continue;
		if (dr->d_irq_cpu && dr->d_irq > 0) {
			int on_hot;

			for (unsigned int cpu = 0; cpu < r->n_cpu; cpu++)
				if (dr->d_irq_cpu[cpu] > max) {
					max = dr->d_irq_cpu[cpu];
					hot = (int)cpu;
				}
			if ((double)max / (double)dr->d_irq < 0.9)
				continue;
			on_hot = irq_count_on(d, hot);
			if (on_hot >= 0 && on_hot < 2)
				continue;
		} else {
			/*
			 * Under overload NAPI keeps polling with the queue interrupts masked, so
			 * no IRQ is counted: judge by the effective affinity of a device that
			 * carries traffic, and only when that CPU is under pressure.
			 */
			hot = irq_single_cpu(d);
			if (hot < 0 || (unsigned int)hot >= r->n_cpu || !dr->valid ||
			    dr->d[NT_LINK_RX_PACKETS] < NT_RATIO_FLOOR)
				continue;
			by_affinity = true;
		}
		if (dr->valid)
			nt_ring_drops(dr, &rd);
		pressure = c->saturated[hot] || r->cpu[hot].d_dropped > 0 || rd.total > 0;
		if (by_affinity && !pressure)
			continue;
		f = nt_finding_add(c, pressure ? NT_LEVEL_WARN : NT_LEVEL_NOTE, hot, d->name);
		if (!f)
			return;
		if (by_affinity)
			nt_finding_summary(
				f,
				"device '%s': all %u RX queue interrupts are routed to CPU %d, "
				"which is overloaded (they stay masked while NAPI polls)",
				d->name, nq, hot);
		else
			nt_finding_summary(
				f,
				"device '%s': %.0f%% of its %u RX queue interrupts land on "
				"CPU %d%s",
				d->name, 100.0 * (double)max / (double)dr->d_irq, nq, hot,
				pressure ? ", which is overloaded" : " (no pressure yet)");
		if (by_affinity)
			nt_finding_ev(f, "rx_packets", "IFLA_STATS64", -1, d->name, -1,
				      dr->d[NT_LINK_RX_PACKETS],
				      per_s(c, dr->d[NT_LINK_RX_PACKETS]));
		nt_finding_ev(f, "queue IRQs", "/proc/interrupts", hot, d->name, -1, max,
			      per_s(c, max));
		nt_finding_ev(f, "queue IRQs, all CPUs", "/proc/interrupts", -1, d->name, -1,
			      dr->d_irq, per_s(c, dr->d_irq));
		if (r->cpu[hot].soft >= 0)
			nt_finding_ev_share(f, "softirq+irq time", "/proc/stat", hot, NULL,
					    r->cpu[hot].soft);
		nt_finding_cause(
			f,
			"the RX queue IRQs of '%s' are all served by CPU %d (irqbalance off, or "
			"every smp_affinity pinned to one CPU) [RH10-2]",
			d->name, hot);
		snprintf(cmd, sizeof(cmd),
			 "echo <cpu> > /proc/irq/N/smp_affinity_list  # one queue "
			 "IRQ per core, or: systemctl enable --now irqbalance");
		nt_finding_remedy(
			f, "smp_affinity", "irq", "", "{ spread: numa-local }", "irqs", d->name,
			cmd,
			"managed IRQs cannot be moved (EPERM/EIO); irqbalance may overwrite manual "
			"settings unless the IRQs are banned [PC]");
	}
}

/* ---- R08 NET_RX imbalance, RPS off ---- */

static void rule_rx_imbalance(struct nt_diag_ctx *c)
{
	const struct nt_rates *r = c->r;
	const struct nt_dev_rate *busiest = NULL;
	uint64_t total = 0, max = 0;
	bool idle_other = false;
	int hot = -1;
	struct nt_finding *f;
	struct nt_spread s;

	if (c->rps_any || c->n_online < 2)
		return;
	for (unsigned int cpu = 0; cpu < r->n_cpu; cpu++) {
		if (!r->cpu[cpu].valid)
			continue;
		total += r->cpu[cpu].d_processed;
		if (r->cpu[cpu].d_processed > max) {
			max = r->cpu[cpu].d_processed;
			hot = (int)cpu;
		}
	}
	if (hot < 0 || total < NT_RATIO_FLOOR || (double)max / (double)total < 0.8 ||
	    !c->saturated[hot])
		return;
	for (unsigned int cpu = 0; cpu < r->n_cpu; cpu++)
		if ((int)cpu != hot && r->cpu[cpu].valid && r->cpu[cpu].idle >= 0.5)
			idle_other = true;
	if (!idle_other)
		return;
	/*
	 * The device to spread, named (a snippet for "all" devices would skip loopback): the one
	 * whose work lands on the hot CPU (spread.c), else the busiest, loopback included.
	 */
	if (nt_diag_spread(c, hot, &s) < 0) {
		s = (struct nt_spread){.queue = -1, .nbits = r->b->cpus.nr_cpu_ids};
		(void)nt_cpuset_set(&s.excluded, (unsigned int)hot);
		for (unsigned int k = 0; k < r->n_cpu; k++)
			if (r->cpu[k].valid && (int)k != hot)
				(void)nt_cpuset_set(&s.target, k);
		for (unsigned int i = 0; i < r->n_dev; i++) {
			const struct nt_dev_rate *dr = &r->dev[i];

			if (dr->valid && dr->d[NT_LINK_RX_PACKETS] >= NT_RATIO_FLOOR &&
			    (!busiest ||
			     dr->d[NT_LINK_RX_PACKETS] > busiest->d[NT_LINK_RX_PACKETS]))
				busiest = dr;
		}
		s.dev = busiest ? busiest->b : NULL;
	}
	f = nt_finding_add(c, NT_LEVEL_WARN, hot, s.dev ? s.dev->name : NULL);
	if (!f)
		return;
	nt_finding_summary(f,
			   "CPU %d processes %.0f%% of all received packets and is saturated while "
			   "other CPUs idle; RPS is off",
			   hot, 100.0 * (double)max / (double)total);
	nt_finding_ev(f, "processed", "/proc/net/softnet_stat col 1", hot, NULL, -1, max,
		      per_s(c, max));
	nt_finding_ev(f, "processed, all CPUs", "/proc/net/softnet_stat col 1", -1, NULL, -1, total,
		      per_s(c, total));
	if (r->cpu[hot].soft >= 0)
		nt_finding_ev_share(f, "softirq+irq time", "/proc/stat", hot, NULL,
				    r->cpu[hot].soft);
	nt_finding_cause(f,
			 "receive processing of %s%s%s lands on one CPU (one queue, few flows, or "
			 "traffic processed on the sender's CPU) and nothing spreads it [PC][KS]",
			 s.dev ? "'" : "", s.dev ? s.dev->name : "the traffic", s.dev ? "'" : "");
	if (!s.dev) {
		nt_finding_remedy_text(
			f, "queue",
			"echo <mask of NUMA-local CPUs> > /sys/class/net/DEV/queues/rx-N/rps_cpus",
			"RPS on the queue that carries the traffic [KS]");
		return;
	}
	/* RPS, as the rule says, even where the hot queue shares its CPU with others (R07). */
	s.how = NT_SPREAD_RPS;
	nt_finding_remedy_spread(f, &s, hot);
}

/* ---- R09 ksoftirqd ---- */

static void rule_ksoftirqd(struct nt_diag_ctx *c)
{
	const struct nt_rates *r = c->r;

	for (unsigned int cpu = 0; cpu < r->n_cpu; cpu++) {
		const struct nt_cpu_rate *x = &r->cpu[cpu];
		enum nt_level lvl = NT_LEVEL_NOTE;
		bool netrx, drops, squeeze;
		struct nt_finding *f;

		if (!x->valid || x->ksoftirqd < 0.1)
			continue;
		netrx = x->d_softirq_all && (double)x->d_net_rx / (double)x->d_softirq_all >= 0.5;
		drops = x->d_dropped > 0 || c->ring_drop_cpu[cpu];
		squeeze = per_s(c, x->d_squeeze) > NT_RATE_WARN;
		if (x->ksoftirqd >= 0.5 && netrx && (squeeze || drops))
			lvl = NT_LEVEL_WARN;
		if (x->ksoftirqd >= 0.9 && netrx && drops)
			lvl = NT_LEVEL_CRIT;
		f = nt_finding_add(c, lvl, (int)cpu, NULL);
		if (!f)
			return;
		nt_finding_summary(f, "ksoftirqd/%u uses %.0f%% of CPU %u%s", cpu,
				   x->ksoftirqd * 100, cpu, netrx ? " (mostly NET_RX)" : "");
		nt_finding_ev_share(f, "ksoftirqd CPU", "/proc/<pid>/stat", (int)cpu, NULL,
				    x->ksoftirqd);
		if (x->ksoftirqd_wait >= 0)
			nt_finding_ev_share(f, "ksoftirqd run delay", "/proc/<pid>/schedstat",
					    (int)cpu, NULL, x->ksoftirqd_wait);
		nt_finding_ev(f, "NET_RX", "/proc/softirqs", (int)cpu, NULL, -1, x->d_net_rx,
			      per_s(c, x->d_net_rx));
		if (x->d_squeeze)
			nt_finding_ev(f, "time_squeeze", "/proc/net/softnet_stat col 3", (int)cpu,
				      NULL, -1, x->d_squeeze, per_s(c, x->d_squeeze));
		nt_finding_cause(
			f,
			"softirq work on CPU %u overflowed into ksoftirqd (beyond 2 ms / 10 "
			"restarts) and competes with tasks there [KSIRQ]%s",
			cpu, x->ksoftirqd_wait >= 0.1 ? "; it waits on the run queue" : "");
		nt_remedy_spread_or_budget(
			c, f, (int)cpu,
			"the CPU has headroom: fewer handoffs to ksoftirqd; cut per-packet cost "
			"(GRO) and move busy application threads off this CPU [KSIRQ][PC]");
	}
}

/* ---- R10 single queue ---- */

static void rule_single_queue(struct nt_diag_ctx *c)
{
	const struct nt_rates *r = c->r;

	if (c->n_online < 2)
		return;
	for (unsigned int i = 0; i < r->n_dev; i++) {
		const struct nt_dev_rate *dr = &r->dev[i];
		const struct nt_snap_dev *d = dr->b;
		int cpu = -1, irq_cpu = nt_diag_dev_irq_cpu(d);
		bool busiest = true;
		struct nt_finding *f;
		char cmd[128];

		if (!dr->valid || d->loopback || d->n_rx != 1 || d->n_rps ||
		    dr->d[NT_LINK_RX_PACKETS] < NT_RATIO_FLOOR)
			continue;
		if (irq_cpu >= 0) {
			/*
			 * Warn only when that CPU is saturated: drops on an
			 * unsaturated CPU come from bursts, which R01/R04 explain.
			 */
			if ((unsigned int)irq_cpu < r->n_cpu && c->saturated[irq_cpu])
				cpu = irq_cpu;
		} else {
			/* No IRQ (veth, tun): it is the candidate if it is the busiest device. */
			for (unsigned int k = 0; k < r->n_dev; k++)
				if (k != i && r->dev[k].valid && !r->dev[k].b->loopback &&
				    r->dev[k].d[NT_LINK_RX_PACKETS] > dr->d[NT_LINK_RX_PACKETS])
					busiest = false;
			for (unsigned int k = 0; busiest && k < r->n_cpu; k++)
				if (c->saturated[k]) {
					cpu = (int)k;
					break;
				}
		}
		f = nt_finding_add(c, cpu >= 0 ? NT_LEVEL_WARN : NT_LEVEL_NOTE, cpu, d->name);
		if (!f)
			return;
		nt_finding_summary(
			f, "'%s' has one RX queue and no RPS: one CPU does all its receive work%s",
			d->name, cpu >= 0 ? " and it is overloaded" : "");
		nt_finding_ev(f, "rx_packets", "IFLA_STATS64", -1, d->name, 0,
			      dr->d[NT_LINK_RX_PACKETS], per_s(c, dr->d[NT_LINK_RX_PACKETS]));
		if (cpu >= 0 && r->cpu[cpu].soft >= 0)
			nt_finding_ev_share(f, "softirq+irq time", "/proc/stat", cpu, NULL,
					    r->cpu[cpu].soft);
		nt_finding_cause(
			f,
			"'%s' delivers every packet to a single queue, so a single CPU runs its "
			"NAPI/backlog processing [KS]",
			d->name);
		/* Queue IRQs mean a NIC with channels (napiref, virtio-net, PCI NICs). */
		if (d->n_irq > 0) {
			snprintf(cmd, sizeof(cmd), "ethtool -l %s; ethtool -L %s combined <N>",
				 d->name, d->name);
			nt_finding_remedy(
				f, "channels.combined", "device", "1", "max", "device", d->name,
				cmd,
				"needs a multi-queue NIC; most drivers bounce the link; if the "
				"device has one channel at most, use RPS instead [KS]");
			f->remedy.bounces_link = true;
		} else {
			snprintf(cmd, sizeof(cmd),
				 "echo <mask> > /sys/class/net/%s/queues/rx-0/rps_cpus", d->name);
			nt_finding_remedy(
				f, "rps_cpus", "queue", "0", "numa-local", "queues", d->name, cmd,
				"RPS costs IPIs; add RFS with rps_flow_cnt = rps_sock_flow_entries "
				"for one queue [KS]");
		}
	}
}

/* ---- R11 busy poll ---- */

static void rule_busy_poll(struct nt_diag_ctx *c)
{
	const struct nt_rates *r = c->r;
	const struct nt_snap_sysctl *sc = &c->b->sysctl;
	uint64_t bp = 0, rx = 0;
	bool have_bp = nt_rates_snmp(r, "TcpExt", "BusyPollRxPackets", &bp);
	struct nt_finding *f;
	char curs[24];

	for (unsigned int i = 0; i < r->n_dev; i++)
		if (r->dev[i].valid && !r->dev[i].b->loopback)
			rx += r->dev[i].d[NT_LINK_RX_PACKETS];
	if (sc->busy_poll > 0 && sc->busy_read == 0 && rx >= NT_RATIO_FLOOR && have_bp && bp == 0) {
		f = nt_finding_add(c, NT_LEVEL_WARN, -1, NULL);
		if (!f)
			return;
		nt_finding_summary(
			f,
			"net.core.busy_poll=%lld has no effect: no socket busy-polled under "
			"traffic",
			(long long)sc->busy_poll);
		nt_finding_ev(f, "TcpExt BusyPollRxPackets", "/proc/net/netstat", -1, NULL, -1, 0,
			      0);
		nt_finding_cause(f, "busy_poll only applies to poll/select/epoll on sockets with "
				    "SO_BUSY_POLL; with busy_read=0 no socket has it [KSY]");
		fmt_u64(curs, sizeof(curs), sc->busy_read);
		nt_finding_remedy(
			f, "net.core.busy_read", "global", curs, "50", "sysctl", NULL,
			"sysctl -w net.core.busy_read=50",
			"prefer per-socket SO_BUSY_POLL; busy polling burns CPU and power "
			"[KSY][RH8-BP]");
	}
	if (sc->busy_read > 100) {
		f = nt_finding_add(c, NT_LEVEL_WARN, -1, NULL);
		if (!f)
			return;
		nt_finding_summary(
			f, "net.core.busy_read=%lld us busy-waits every blocking socket read",
			(long long)sc->busy_read);
		nt_finding_cause(
			f, "a global busy_read above 100 us spins CPUs on every blocking read; "
			   "the documented global value is 50 [KSY]");
		fmt_u64(curs, sizeof(curs), sc->busy_read);
		nt_finding_remedy(f, "net.core.busy_read", "global", curs, "50", "sysctl", NULL,
				  "sysctl -w net.core.busy_read=50",
				  "or 0 and SO_BUSY_POLL per socket");
	}
	for (unsigned int i = 0; i < c->b->n_dev; i++) {
		const struct nt_snap_dev *d = &c->b->dev[i];
		char cmd[128];

		if (d->napi_defer_hard_irqs > 0 && d->gro_flush_timeout == 0) {
			f = nt_finding_add(c, NT_LEVEL_WARN, -1, d->name);
			if (!f)
				return;
			nt_finding_summary(
				f,
				"'%s' napi_defer_hard_irqs=%lld without gro_flush_timeout has "
				"no effect",
				d->name, (long long)d->napi_defer_hard_irqs);
			nt_finding_cause(
				f,
				"deferring hard IRQs needs a gro_flush_timeout timer to re-poll; "
				"set both together [KN]");
			snprintf(cmd, sizeof(cmd),
				 "echo 200000 > /sys/class/net/%s/gro_flush_timeout", d->name);
			nt_finding_remedy(
				f, "gro_flush_timeout", "device", "0", "200000", "device", d->name,
				cmd,
				"a large timeout adds latency when the system is not loaded "
				"[KN]");
		} else if (d->gro_flush_timeout > 0 && d->napi_defer_hard_irqs == 0) {
			f = nt_finding_add(c, NT_LEVEL_NOTE, -1, d->name);
			if (!f)
				return;
			nt_finding_summary(
				f, "'%s' gro_flush_timeout=%lld ns without napi_defer_hard_irqs",
				d->name, (long long)d->gro_flush_timeout);
			nt_finding_cause(f,
					 "the timeout only delays GRO flushes; IRQ deferral needs "
					 "napi_defer_hard_irqs too [KN]");
			snprintf(cmd, sizeof(cmd),
				 "echo 2 > /sys/class/net/%s/napi_defer_hard_irqs", d->name);
			nt_finding_remedy(f, "napi_defer_hard_irqs", "device", "0", "2", "device",
					  d->name, cmd, "adds latency at low load [KN]");
		}
	}
}

/* ---- R12 threaded NAPI ---- */

static void rule_threaded(struct nt_diag_ctx *c)
{
	const struct nt_rates *r = c->r;

	for (unsigned int i = 0; i < r->n_dev; i++) {
		const struct nt_dev_rate *dr = &r->dev[i];
		const struct nt_snap_dev *d = dr->b;
		unsigned int n = 0, unpinned = 0, *per_cpu;
		double worst_wait = 0;
		int crowded = -1;
		bool idle_other = false;
		struct nt_ring_drops rd = {};
		struct nt_finding *f;
		char cmd[128];
		enum nt_level lvl;

		if (d->threaded != 1)
			continue;
		per_cpu = calloc(r->n_cpu, sizeof(*per_cpu));
		if (!per_cpu)
			return;
		for (unsigned int k = 0; k < r->n_kt; k++) {
			const struct nt_kthread *t = r->kt[k].t;
			int cpu;

			if (t->kind != NT_KTHREAD_NAPI || strncmp(t->dev, d->name, sizeof(t->dev)))
				continue;
			n++;
			if (t->n_allowed != 1)
				unpinned++;
			cpu = t->allowed_cpu >= 0 ? t->allowed_cpu : t->last_cpu;
			if (cpu >= 0 && (unsigned int)cpu < r->n_cpu && ++per_cpu[cpu] >= 2 &&
			    r->cpu[cpu].idle >= 0 && r->cpu[cpu].idle < 0.1)
				crowded = cpu;
			if (r->kt[k].wait > worst_wait)
				worst_wait = r->kt[k].wait;
		}
		free(per_cpu);
		if (!n)
			continue;
		if (dr->valid)
			nt_ring_drops(dr, &rd);
		for (unsigned int cpu = 0; crowded >= 0 && cpu < r->n_cpu; cpu++)
			if ((int)cpu != crowded && r->cpu[cpu].valid && r->cpu[cpu].idle >= 0.5)
				idle_other = true;
		if ((crowded >= 0 && idle_other) || (worst_wait >= 0.1 && rd.total))
			lvl = NT_LEVEL_WARN;
		else if (unpinned)
			lvl = NT_LEVEL_NOTE;
		else
			continue;
		f = nt_finding_add(c, lvl, crowded, d->name);
		if (!f)
			return;
		if (lvl == NT_LEVEL_WARN && crowded >= 0)
			nt_finding_summary(
				f,
				"several napi/%s-* threads share busy CPU %d while other CPUs "
				"idle",
				d->name, crowded);
		else if (lvl == NT_LEVEL_WARN)
			nt_finding_summary(
				f,
				"napi/%s-* threads wait %.0f%% of the time while the ring "
				"overflows",
				d->name, worst_wait * 100);
		else
			nt_finding_summary(f, "%u of %u napi/%s-* threads are not pinned to a CPU",
					   unpinned, n, d->name);
		nt_finding_ev(f, "napi threads (unpinned)", "/proc/<pid>/status", -1, d->name, -1,
			      n, unpinned);
		if (crowded >= 0 && r->cpu[crowded].idle >= 0)
			nt_finding_ev_share(f, "CPU busy", "/proc/stat", crowded, NULL,
					    1.0 - r->cpu[crowded].idle);
		if (worst_wait > 0)
			nt_finding_ev_share(f, "napi thread run delay", "/proc/<pid>/schedstat",
					    crowded, d->name, worst_wait);
		if (rd.total)
			nt_finding_ev(f, "ring drops", "IFLA_STATS64/ethtool", -1, d->name, -1,
				      rd.total, per_s(c, rd.total));
		nt_finding_cause(
			f,
			"threaded NAPI kthreads of '%s' are left to the scheduler or crowded "
			"on one CPU; they compete with tasks [KN][OWRT-1072]",
			d->name);
		snprintf(cmd, sizeof(cmd), "taskset -pc <irq cpu> <pid of napi/%s-N>", d->name);
		nt_finding_remedy(
			f, "napi.kthread-cpus", "napi", "", "irq", "napi", d->name, cmd,
			"pin each thread to its queue's IRQ CPU and keep application threads "
			"elsewhere; or threaded=0 [KN]");
	}
}

/* ---- R13 GRO off ---- */

static void rule_gro(struct nt_diag_ctx *c)
{
	const struct nt_rates *r = c->r;

	for (unsigned int i = 0; i < r->n_dev; i++) {
		const struct nt_dev_rate *dr = &r->dev[i];
		const struct nt_snap_dev *d = dr->b;
		int cpu = -1;
		struct nt_finding *f;
		char cmd[64];

		if (!dr->valid || d->gro != 0 || d->loopback ||
		    dr->d[NT_LINK_RX_PACKETS] < NT_RATIO_FLOOR)
			continue;
		cpu = nt_diag_dev_saturated_cpu(c, dr);
		if (cpu < 0 && nt_diag_dev_irq_cpu(d) < 0)
			for (unsigned int k = 0; k < r->n_cpu; k++)
				if (c->saturated[k]) {
					cpu = (int)k;
					break;
				}
		f = nt_finding_add(c, cpu >= 0 ? NT_LEVEL_WARN : NT_LEVEL_NOTE, cpu, d->name);
		if (!f)
			return;
		nt_finding_summary(f, "GRO is off on '%s' (%.0f packets/s)%s", d->name,
				   per_s(c, dr->d[NT_LINK_RX_PACKETS]),
				   cpu >= 0 ? " and its receive CPU is saturated" : "");
		nt_finding_ev(f, "rx_packets", "IFLA_STATS64", -1, d->name, -1,
			      dr->d[NT_LINK_RX_PACKETS], per_s(c, dr->d[NT_LINK_RX_PACKETS]));
		nt_finding_cause(f, "without GRO every packet pays the full stack cost [PC]");
		snprintf(cmd, sizeof(cmd), "ethtool -K %s gro on", d->name);
		nt_finding_remedy(
			f, "gro", "device", "off", "on", "device", d->name, cmd,
			"tcpdump then shows merged packets; LRO is a different feature [PC]");
	}
}

/* ---- R14 rx_dropped / rx_nohandler that are not backlog drops ---- */

static void rule_nohandler(struct nt_diag_ctx *c)
{
	const struct nt_rates *r = c->r;
	uint64_t backlog = 0;

	for (unsigned int cpu = 0; cpu < r->n_cpu; cpu++)
		if (r->cpu[cpu].valid)
			backlog += r->cpu[cpu].d_dropped;
	for (unsigned int i = 0; i < r->n_dev; i++) {
		const struct nt_dev_rate *dr = &r->dev[i];
		const struct nt_snap_dev *d = dr->b;
		uint64_t dropped, take, resid, noh, phy;
		struct nt_ring_drops rd;
		struct nt_finding *f;

		if (!dr->valid)
			continue;
		nt_ring_drops(dr, &rd);
		dropped = dr->d[NT_LINK_RX_DROPPED];
		/* Backlog drops are charged to the ingress device's rx_dropped [KDEV]. */
		take = dropped < backlog ? dropped : backlog;
		backlog -= take;
		resid = dropped - take;
		/* Old mlx5: ring exhaustion in rx_dropped; counted by R04 already [KMLX-MAIN]. */
		if (resid && rd.drv_dup_rx_dropped >= 0)
			resid = 0;
		noh = dr->d[NT_LINK_RX_NOHANDLER];
		phy = dr->d[NT_LINK_RX_CRC_ERRORS] + dr->d[NT_LINK_RX_FRAME_ERRORS] +
		      dr->d[NT_LINK_RX_LENGTH_ERRORS];
		if (resid + noh) {
			f = nt_finding_add(c, NT_LEVEL_NOTE, -1, d->name);
			if (!f)
				return;
			f->tunable = false;
			f->lost = resid + noh;
			nt_finding_summary(
				f,
				"'%s' dropped %llu frames nobody wanted (%.1f/s): not a tuning "
				"problem",
				d->name, (unsigned long long)(resid + noh), per_s(c, resid + noh));
			nt_finding_ev(f, "rx_dropped", "IFLA_STATS64", -1, d->name, -1, dropped,
				      per_s(c, dropped));
			if (take)
				nt_finding_ev(f, "of which backlog drops (R01)",
					      "softnet_stat col 2", -1, d->name, -1, take,
					      per_s(c, take));
			if (noh)
				nt_finding_ev(f, "rx_nohandler", "IFLA_STATS64", -1, d->name, -1,
					      noh, per_s(c, noh));
			nt_finding_cause(
				f, "unknown protocol/EtherType, bad VLAN tag, IPv6 on an IPv4-only "
				   "host, or a bond backup link [RH-KB657483][KIF]");
			nt_finding_remedy_text(
				f, "none",
				"tcpdump -e -nn -i DEV  # find and filter the traffic upstream",
				"working as designed");
		}
		if (phy) {
			f = nt_finding_add(c, NT_LEVEL_NOTE, -1, d->name);
			if (!f)
				return;
			f->tunable = false;
			nt_finding_summary(
				f,
				"'%s' received %llu damaged frames (CRC/frame/length): physical "
				"layer",
				d->name, (unsigned long long)phy);
			nt_finding_ev(f, "rx_crc_errors+rx_frame_errors+rx_length_errors",
				      "IFLA_STATS64", -1, d->name, -1, phy, per_s(c, phy));
			nt_finding_cause(
				f, "cabling, optics, duplex or MTU mismatch; not a host tuning "
				   "problem [KMLX]");
			nt_finding_remedy_text(f, "none",
					       "ethtool DEV; check cable/optics/switch port", "");
		}
	}
}

/* ---- R15 ENA allowance ---- */

static void rule_allowance(struct nt_diag_ctx *c)
{
	const struct nt_rates *r = c->r;

	for (unsigned int i = 0; i < r->n_dev; i++) {
		const struct nt_dev_rate *dr = &r->dev[i];
		const struct nt_snap_dev *d = dr->b;
		struct nt_finding *f = NULL;

		if (!dr->d_ethtool)
			continue;
		for (unsigned int k = 0; k < d->ethtool.n; k++) {
			if (!dr->d_ethtool[k] || !strstr(d->ethtool.name[k], "allowance_exceeded"))
				continue;
			if (!f) {
				f = nt_finding_add(c, NT_LEVEL_WARN, -1, d->name);
				if (!f)
					return;
				f->tunable = false;
				nt_finding_cause(
					f,
					"the cloud instance's packet/bandwidth/conntrack allowance "
					"was exceeded: the hypervisor shaped or dropped packets "
					"[ENA]");
				nt_finding_remedy_text(
					f, "none",
					"move to a larger instance or newer generation; spread "
					"traffic over instances/ENIs [ENA-BP]",
					"host knobs do not help");
			}
			f->lost += dr->d_ethtool[k];
			nt_finding_ev(f, d->ethtool.name[k], "ethtool -S", -1, d->name, -1,
				      dr->d_ethtool[k], per_s(c, dr->d_ethtool[k]));
		}
		if (f)
			nt_finding_summary(f, "'%s' exceeded its instance allowance (%llu packets)",
					   d->name, (unsigned long long)f->lost);
	}
}

/* ---- R16 adapter congestion ---- */

static void rule_adapter(struct nt_diag_ctx *c)
{
	const struct nt_rates *r = c->r;

	for (unsigned int i = 0; i < r->n_dev; i++) {
		const struct nt_dev_rate *dr = &r->dev[i];
		const struct nt_snap_dev *d = dr->b;
		int k;
		struct nt_finding *f;

		if (!dr->d_ethtool)
			continue;
		k = nt_ethtool_stats_find(&d->ethtool, "rx_discards_phy");
		if (k < 0 || !dr->d_ethtool[k])
			continue;
		f = nt_finding_add(c,
				   per_s(c, dr->d_ethtool[k]) > NT_RATE_WARN ? NT_LEVEL_WARN
									     : NT_LEVEL_NOTE,
				   -1, d->name);
		if (!f)
			return;
		f->tunable = false;
		f->lost = dr->d_ethtool[k];
		nt_finding_summary(f,
				   "'%s' adapter discarded %llu packets for lack of port buffers "
				   "(%.1f/s)",
				   d->name, (unsigned long long)f->lost, per_s(c, f->lost));
		nt_finding_ev(f, "rx_discards_phy", "ethtool -S", -1, d->name, -1, dr->d_ethtool[k],
			      per_s(c, dr->d_ethtool[k]));
		k = nt_ethtool_stats_find(&d->ethtool, "tx_pause_ctrl_phy");
		if (k >= 0 && dr->d_ethtool[k])
			nt_finding_ev(f, "tx_pause_ctrl_phy", "ethtool -S", -1, d->name, -1,
				      dr->d_ethtool[k], per_s(c, dr->d_ethtool[k]));
		nt_finding_cause(
			f, "the adapter is congested and cannot push traffic to the host fast "
			   "enough (PCIe, too few queues/CPUs) [KMLX]");
		nt_finding_remedy_text(
			f, "device",
			"more channels/CPUs (ethtool -L), spread IRQs, check PCIe width "
			"(lspci -vv)",
			"ring size helps only for rx_out_of_buffer (R04) [KMLX]");
	}
}

/* ---- R17 RSS imbalance ---- */

/* Driver counters of RX queue @q's packets (the names napictl monitor reads). */
static const char *const queue_pkt_names[] = {"rx%u_packets", "rx_queue_%u_packets",
					      "queue_%u_rx_packets", "rx-%u.packets"};

/* Δ packets of RX queue @q in the window from the driver's counters; false if it has none. */
static bool queue_packets(const struct nt_dev_rate *dr, unsigned int q, uint64_t *ret)
{
	if (!dr->d_ethtool)
		return false;
	for (size_t i = 0; i < ARRAY_SIZE(queue_pkt_names); i++) {
		char name[64];
		int k;

		snprintf(name, sizeof(name), queue_pkt_names[i], q);
		k = nt_ethtool_stats_find(&dr->b->ethtool, name);
		if (k >= 0) {
			*ret = dr->d_ethtool[k];
			return true;
		}
	}
	return false;
}

/* The effective CPU of RX queue @q's IRQ, -1. */
static int queue_irq_cpu(const struct nt_snap_dev *d, unsigned int q)
{
	for (unsigned int i = 0; i < d->n_irq; i++)
		if (d->irq[i].queue == (int)q && d->irq[i].kind != NT_IRQ_QUEUE_TX)
			return d->irq[i].eff_cpu;
	return -1;
}

/* The share of @d's RSS table entries that point at queue @q. */
static double table_share(const struct nt_snap_dev *d, unsigned int q)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < d->n_rss_indir; i++)
		n += d->rss_indir[i] == q;
	return d->n_rss_indir ? (double)n / (double)d->n_rss_indir : 0;
}

/*
 * Does the table send queue @hot clearly more than its equal share: at least 1.5 times
 * 1/n of the entries for n RX queues (3/4 of them for two queues)?
 */
static bool table_skewed_to(const struct nt_snap_dev *d, unsigned int hot)
{
	double want = 1.5 / (double)d->n_rx;

	return table_share(d, hot) >= (want < 1.0 ? want : 1.0);
}

/* The first flow type (udp4, tcp4, udp6, tcp6) hashed on its addresses alone; -1 none. */
static int flow_hashed_on_addresses(const struct nt_snap_dev *d)
{
	static const enum nt_rss_flow order[] = {NT_RSS_FLOW_UDP4, NT_RSS_FLOW_TCP4,
						 NT_RSS_FLOW_UDP6, NT_RSS_FLOW_TCP6};
	const uint32_t sd = RXH_IP_SRC | RXH_IP_DST, l4 = RXH_L4_B_0_1 | RXH_L4_B_2_3;

	for (size_t i = 0; i < ARRAY_SIZE(order); i++) {
		uint32_t bits = d->rss_fields[order[i]];

		if ((bits & sd) == sd && !(bits & l4))
			return (int)order[i];
	}
	return -1;
}

/*
 * One RX queue of a multi-queue device with RSS takes >= 80% of its packets while another
 * queue is idle (< 5%), and the CPU serving that queue's IRQ saturates: the hardware's
 * spreading (RSS) does not spread. The device's table (RSS_GET or ETHTOOL_GRSSH) tells why:
 *   - it points at that queue more than its share: the table is the root (an equal table);
 *   - it is even, and a flow type is hashed on its addresses only: the flows that differ in
 *     their ports land together (the hash fields, sdfn);
 *   - it is even and every field is hashed: few flows, or one, carry the traffic; RSS
 *     cannot split a flow, so R17 only notes it and claims no root;
 *   - a device without RSS (lo, veth, one queue) is not R17's.
 * Where the table cannot be read, both table and fields are named.
 */
static void rule_rss_imbalance(struct nt_diag_ctx *c)
{
	const struct nt_rates *r = c->r;

	for (unsigned int i = 0; i < r->n_dev; i++) {
		const struct nt_dev_rate *dr = &r->dev[i];
		const struct nt_snap_dev *d = dr->b;
		uint64_t total = 0, max = 0, min = UINT64_MAX, v;
		unsigned int known = 0, hot = 0;
		struct nt_finding *f;
		char want[32], cmd[160], knob[32];
		const char *flow;
		int cpu, fl;

		if (!dr->valid || d->n_rx < 2 || d->loopback || d->rss == 0)
			continue;
		for (unsigned int q = 0; q < d->n_rx; q++) {
			if (!queue_packets(dr, q, &v))
				continue;
			known++;
			total += v;
			min = v < min ? v : min;
			if (v > max) {
				max = v;
				hot = q;
			}
		}
		if (known < d->n_rx || total < NT_RATIO_FLOOR ||
		    (double)max / (double)total < 0.8 || (double)min / (double)total >= 0.05)
			continue;
		cpu = queue_irq_cpu(d, hot);
		if (cpu < 0 || (unsigned int)cpu >= r->n_cpu || !c->saturated[cpu])
			continue;
		fl = d->rss == 1 && !table_skewed_to(d, hot) ? flow_hashed_on_addresses(d) : -1;
		flow = fl >= 0 ? nt_rss_flow_to_string((enum nt_rss_flow)fl) : NULL;
		/* An even table hashing every field: the flows themselves, not a knob. */
		if (d->rss == 1 && !table_skewed_to(d, hot) && !flow) {
			f = nt_finding_add(c, NT_LEVEL_NOTE, cpu, d->name);
			if (!f)
				return;
			f->tunable = false;
		} else {
			f = nt_finding_add(c, NT_LEVEL_WARN, cpu, d->name);
			if (!f)
				return;
		}
		nt_finding_summary(f,
				   "device '%s': RX queue %u receives %.0f%% of its packets while "
				   "other queues idle, and CPU %d serving it is saturated",
				   d->name, hot, 100.0 * (double)max / (double)total, cpu);
		nt_finding_ev(f, "queue packets", "ethtool -S", cpu, d->name, (int)hot, max,
			      per_s(c, max));
		nt_finding_ev(f, "queue packets, all queues", "ethtool -S", -1, d->name, -1, total,
			      per_s(c, total));
		if (d->rss == 1)
			nt_finding_ev_share(f, "RSS table entries of the queue", "ethtool -x", -1,
					    d->name, table_share(d, hot));
		if (r->cpu[cpu].soft >= 0)
			nt_finding_ev_share(f, "softirq+irq time", "/proc/stat", cpu, NULL,
					    r->cpu[cpu].soft);
		snprintf(want, sizeof(want), "{ equal: %u }", d->n_rx);
		if (d->rss == 1 && table_skewed_to(d, hot)) {
			nt_finding_cause(
				f,
				"the RSS indirection table of '%s' points %.0f%% of its "
				"entries at queue %u, whose CPU cannot keep up (ethtool -x "
				"%s) [KS]",
				d->name, 100.0 * table_share(d, hot), hot, d->name);
			snprintf(cmd, sizeof(cmd), "ethtool -X %s equal %u", d->name, d->n_rx);
			nt_finding_remedy(f, "rss.indir", "device", "", want, "device", d->name,
					  cmd,
					  "an equal table spreads the flows over all queues; to "
					  "keep a queue lighter, give the weights instead "
					  "(rss.indir: { weights: [...] }, ethtool -X DEV weight "
					  "...) [KS]");
		} else if (flow) {
			nt_finding_cause(
				f,
				"the RSS table of '%s' is even, but %s is hashed on the "
				"addresses only (ethtool -n %s rx-flow-hash %s): flows that "
				"differ in their ports all land on one queue [KS]",
				d->name, flow, d->name, flow);
			snprintf(knob, sizeof(knob), "rss.hash.%s", flow);
			snprintf(cmd, sizeof(cmd), "ethtool -N %s rx-flow-hash %s sdfn", d->name,
				 flow);
			nt_finding_remedy(f, knob, "device", "sd", "sdfn", "device", d->name, cmd,
					  "hashing the ports spreads flows between the same two "
					  "hosts; one flow still stays on one queue [KS]");
		} else if (d->rss == 1) {
			nt_finding_cause(
				f,
				"the RSS table of '%s' is even and the ports are hashed: few "
				"flows, "
				"or one, carry the traffic, and RSS keeps each flow on one queue; "
				"one flow cannot be spread by RSS (nor by RPS) [KS]",
				d->name);
			nt_finding_remedy_text(
				f, "app",
				"more flows at the source (connections, source ports), or an "
				"application that handles the flow on another CPU",
				"no table or hash field spreads a single flow [KS]");
		} else {
			nt_finding_cause(
				f,
				"RSS sends most flows of '%s' to queue %u: its indirection table "
				"points most entries there (ethtool -x), or the flows differ only "
				"in "
				"fields the hash ignores, e.g. UDP hashed on addresses only "
				"(ethtool "
				"-n %s rx-flow-hash udp4) [KS]",
				d->name, hot, d->name);
			snprintf(cmd, sizeof(cmd), "ethtool -X %s equal %u", d->name, d->n_rx);
			nt_finding_remedy(
				f, "rss.indir", "device", "", want, "device", d->name, cmd,
				"the table could not be read; one elephant flow stays on "
				"one queue whatever the table; if the table is even "
				"already, hash the ports too (rss.hash.udp4: sdfn, ethtool "
				"-N DEV rx-flow-hash udp4 sdfn) [KS]");
		}
	}
}

/* The table (docs/diagnose-json.md): id, name, title, thresholds with their sources. */
const struct nt_rule nt_rules[] = {
	{"R01", "backlog-drops", "Backlog drops (softnet dropped)",
	 "note > 0; warn > 10/s [ND-SOFTNET]; crit >= 1% of processed with >= 1000 packets "
	 "[NE-MIXIN]",
	 rule_backlog},
	{"R02", "time-squeeze", "NET_RX budget/time exhaustion (time_squeeze)",
	 "note <= 10/s [RH2015]; warn > 10/s per CPU [ND-SOFTNET]; never crit", rule_squeeze},
	{"R03", "flow-limit-drops", "RPS flow-limit drops", "note > 0 [KS]; warn > 10/s [derived]",
	 rule_flow_limit},
	{"R04", "ring-overflow", "NIC ring / RX queue overflow",
	 "note > 0; warn > 10/s or >= 0.1% [ND-NET][RH-KB742043]; crit >= 1% [NE-MIXIN]",
	 rule_ring},
	{"R05", "socket-buffer-overflow", "Socket receive-buffer overflow",
	 "note > 0; warn > 10/s [ND-UDP] or > 1% [HOTSOS]; the remedy follows who set the buffer "
	 "of the socket with the most drops: application -> the application, capped -> "
	 "rmem_max, default -> rmem_default/tcp_rmem [socket(7)][PC]",
	 nt_rule_socket},
	{"R06", "listen-overflow", "Listen (accept/SYN) queue overflow",
	 "note <= 1/s; warn > 1/s; crit > 5/s [ND-TCPL]; the remedy follows the listener's "
	 "backlog: below somaxconn -> the application's listen(), at somaxconn -> somaxconn "
	 "[listen(2)][KIP]",
	 nt_rule_listen},
	{"R07", "irq-imbalance", "NIC RX interrupts concentrated on one CPU",
	 ">= 90% on one CPU: note; warn if that CPU is saturated or drops [derived, RH10-2]",
	 rule_irq_imbalance},
	{"R08", "rx-imbalance-no-rps", "NET_RX imbalance with RPS off",
	 "RPS off, >= 80% of processed on a saturated CPU, another CPU >= 50% idle: warn "
	 "[derived, PC][KS]",
	 rule_rx_imbalance},
	{"R09", "ksoftirqd-saturation", "ksoftirqd saturation",
	 "note >= 10% [KSIRQD-MAN]; warn >= 50% with NET_RX dominant and squeeze/drops; crit "
	 ">= 90% with drops [derived]",
	 rule_ksoftirqd},
	{"R10", "single-queue-no-rps", "Single-queue device without RPS",
	 "note when it carries traffic; warn if its CPU is saturated or drops [derived, KS]",
	 rule_single_queue},
	{"R11", "busy-poll-misconfig", "Busy-poll misconfiguration",
	 "busy_poll without busy_read and no busy-polled packets: warn [KSY]; busy_read > 100 us: "
	 "warn [derived, KSY]; defer-hard-irqs without gro_flush_timeout: warn [KN]",
	 rule_busy_poll},
	{"R12", "threaded-napi", "Threaded NAPI threads unpinned or starved",
	 "unpinned: note [KN]; >= 2 threads on a > 90% busy CPU while another idles, or run "
	 "delay >= 10% with ring drops: warn [derived, OWRT-1072]",
	 rule_threaded},
	{"R13", "gro-off", "GRO off",
	 "note when GRO is off on a device with traffic; warn when its CPU is saturated "
	 "[derived, PC]",
	 rule_gro},
	{"R14", "not-tunable-drops", "rx_dropped / rx_nohandler not from the backlog",
	 "always note: not a tuning problem [RH-KB657483][KIF]", rule_nohandler},
	{"R15", "cloud-allowance", "Cloud instance allowance exceeded (ENA)",
	 "any increase: warn, not tunable on the host [ENA][ENA-BP]", rule_allowance},
	{"R16", "adapter-congestion", "Adapter / PCIe congestion",
	 "rx_discards_phy > 10/s: warn [derived, KMLX]", rule_adapter},
	{"R17", "rss-imbalance", "RSS sends most packets to one RX queue",
	 ">= 80% of a device's packets on one RX queue, another queue < 5%, the CPU of that "
	 "queue's IRQ saturated, the device has RSS: warn when its table gives that queue >= "
	 "1.5x its share (remedy: an equal table) or a flow type is hashed on addresses only "
	 "(remedy: that flow's hash fields, sdfn); an even table hashing the ports: note, not "
	 "tunable (one flow cannot be spread) [derived, KS]",
	 rule_rss_imbalance},
};

const unsigned int nt_rules_n = ARRAY_SIZE(nt_rules);

const struct nt_rule *nt_rule_find(const char *id)
{
	for (unsigned int i = 0; i < nt_rules_n; i++)
		if (streq(nt_rules[i].id, id))
			return &nt_rules[i];
	return NULL;
}
