// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "monitor.h"
#include "snapshot.h"

/* Driver counters per rx queue; %u is the queue index. */
static const char *const pkt_names[] = {"rx%u_packets", "rx_queue_%u_packets",
					"queue_%u_rx_packets", "rx-%u.packets"};
static const char *const drop_names[] = {"rx%u_ring_drops", "rx%u_drops", "rx_queue_%u_drops",
					 "queue_%u_rx_drops"};
static const char *const poll_names[] = {"rx%u_polls", "ch%u_poll"};

static double per_s(const struct nt_rates *r, uint64_t d)
{
	return (double)d / r->dt;
}

/* Δ per second of the first counter of @names present for queue @q, or -1. */
static double ethtool_rate(const struct nt_rates *r, const struct nt_dev_rate *dr,
			   const char *const *names, size_t n, unsigned int q, uint64_t *ret_d)
{
	if (!dr->d_ethtool)
		return -1;
	for (size_t i = 0; i < n; i++) {
		char name[64];
		int k;

		snprintf(name, sizeof(name), names[i], q);
		k = nt_ethtool_stats_find(&dr->b->ethtool, name);
		if (k < 0)
			continue;
		if (ret_d)
			*ret_d = dr->d_ethtool[k];
		return per_s(r, dr->d_ethtool[k]);
	}
	return -1;
}

/* IRQs of queue @q's vectors (rx or combined) in the window, or -1 if it has none. */
static double queue_irqs(const struct nt_rates *r, const struct nt_snap_dev *d, unsigned int q)
{
	uint64_t sum = 0;
	bool any = false;

	for (unsigned int i = 0; i < d->n_irq; i++) {
		const struct nt_snap_irq *x = &d->irq[i];
		const struct nt_irq *ia, *ib;
		uint64_t delta;

		if (x->queue != (int)q || x->kind == NT_IRQ_DEVICE || x->kind == NT_IRQ_QUEUE_TX)
			continue;
		ia = nt_interrupts_find(&r->a->irqs, x->irq);
		ib = nt_interrupts_find(&r->b->irqs, x->irq);
		if (!ia || !ib || !nt_delta_u64(ia->total, ib->total, &delta))
			continue;
		sum += delta;
		any = true;
	}
	return any ? per_s(r, sum) : -1;
}

static int dev_sample(const struct nt_rates *r, const struct nt_dev_rate *dr, struct nt_mon_dev *m)
{
	const struct nt_snap_dev *d = dr->b;

	snprintf(m->name, sizeof(m->name), "%s", d->name);
	m->valid = dr->valid;
	m->rx_pps = m->tx_pps = m->rx_dropped = m->rx_missed = m->irqs = -1;
	if (dr->valid) {
		m->rx_pps = per_s(r, dr->d[NT_LINK_RX_PACKETS]);
		m->tx_pps = per_s(r, dr->d[NT_LINK_TX_PACKETS]);
		m->rx_dropped = per_s(r, dr->d[NT_LINK_RX_DROPPED]);
		m->rx_missed = per_s(r, dr->d[NT_LINK_RX_MISSED_ERRORS]);
	}
	if (dr->d_irq_cpu)
		m->irqs = per_s(r, dr->d_irq);
	m->queue = calloc(d->n_rx ? d->n_rx : 1, sizeof(*m->queue));
	if (!m->queue)
		return -ENOMEM;
	m->n_queue = d->n_rx;
	for (unsigned int q = 0; q < d->n_rx; q++) {
		struct nt_mon_queue *x = &m->queue[q];
		uint64_t pkts = 0, polls = 0;
		double pr;

		x->index = q;
		x->pps = ethtool_rate(r, dr, pkt_names, ARRAY_SIZE(pkt_names), q, &pkts);
		x->drops = ethtool_rate(r, dr, drop_names, ARRAY_SIZE(drop_names), q, NULL);
		x->irqs = queue_irqs(r, d, q);
		x->packets_per_poll = -1;
		pr = ethtool_rate(r, dr, poll_names, ARRAY_SIZE(poll_names), q, &polls);
		if (x->pps >= 0 && pr >= 0 && polls > 0)
			x->packets_per_poll = (double)pkts / (double)polls;
	}
	return 0;
}

int nt_mon_compute(const struct nt_rates *r, struct nt_mon_sample *ret)
{
	struct nt_mon_sample s = {.dt = r->dt};

	s.cpu = calloc(r->n_cpu ? r->n_cpu : 1, sizeof(*s.cpu));
	s.dev = calloc(r->n_dev ? r->n_dev : 1, sizeof(*s.dev));
	if (!s.cpu || !s.dev) {
		nt_mon_done(&s);
		return -ENOMEM;
	}
	for (unsigned int c = 0; c < r->n_cpu; c++) {
		const struct nt_cpu_rate *x = &r->cpu[c];
		const struct nt_cpustat *ca = &r->a->cpustat, *cb = &r->b->cpustat;
		struct nt_mon_cpu *m;

		if (!x->valid)
			continue;
		m = &s.cpu[s.n_cpu++];
		m->cpu = c;
		m->net_rx = per_s(r, x->d_net_rx);
		m->processed = per_s(r, x->d_processed);
		m->backlog_drops = per_s(r, x->d_dropped);
		m->squeezes = per_s(r, x->d_squeeze);
		m->softirq_pct = -1;
		if (c < ca->n_cpu && c < cb->n_cpu && ca->cpu[c].present && cb->cpu[c].present) {
			uint64_t ta = nt_cpustat_total(&ca->cpu[c]),
				 tb = nt_cpustat_total(&cb->cpu[c]);

			if (tb > ta && cb->cpu[c].softirq >= ca->cpu[c].softirq)
				m->softirq_pct = 100.0 *
						 (double)(cb->cpu[c].softirq - ca->cpu[c].softirq) /
						 (double)(tb - ta);
		}
	}
	for (unsigned int i = 0; i < r->n_dev; i++) {
		int e;

		if (r->dev[i].b->loopback)
			continue;
		e = dev_sample(r, &r->dev[i], &s.dev[s.n_dev++]);
		if (e < 0) {
			nt_mon_done(&s);
			return e;
		}
	}
	*ret = s;
	return 0;
}

void nt_mon_done(struct nt_mon_sample *s)
{
	for (unsigned int i = 0; i < s->n_dev; i++)
		free(s->dev[i].queue);
	free(s->dev);
	free(s->cpu);
	*s = (struct nt_mon_sample){};
}

static void kv_rate(struct nt_json *j, const char *key, double v)
{
	nt_json_key(j, key);
	if (v >= 0)
		nt_json_double(j, v);
	else
		nt_json_null(j);
}

void nt_mon_write_json(const struct nt_mon_sample *s, unsigned int seq, uint64_t time_ms,
		       struct nt_json *j)
{
	nt_json_begin_object(j);
	nt_json_kv_u64(j, "schema", 1);
	nt_json_kv_u64(j, "seq", seq);
	nt_json_kv_u64(j, "time_ms", time_ms);
	nt_json_key(j, "interval");
	nt_json_double(j, s->dt);
	nt_json_key(j, "cpus");
	nt_json_begin_array(j);
	for (unsigned int i = 0; i < s->n_cpu; i++) {
		const struct nt_mon_cpu *c = &s->cpu[i];

		nt_json_begin_object(j);
		nt_json_kv_u64(j, "cpu", c->cpu);
		kv_rate(j, "net_rx", c->net_rx);
		kv_rate(j, "softirq_pct", c->softirq_pct);
		kv_rate(j, "processed", c->processed);
		kv_rate(j, "backlog_drops", c->backlog_drops);
		kv_rate(j, "squeezes", c->squeezes);
		nt_json_end_object(j);
	}
	nt_json_end_array(j);
	nt_json_key(j, "devices");
	nt_json_begin_array(j);
	for (unsigned int i = 0; i < s->n_dev; i++) {
		const struct nt_mon_dev *d = &s->dev[i];

		nt_json_begin_object(j);
		nt_json_kv_string(j, "name", d->name);
		kv_rate(j, "rx_pps", d->rx_pps);
		kv_rate(j, "tx_pps", d->tx_pps);
		kv_rate(j, "rx_dropped", d->rx_dropped);
		kv_rate(j, "rx_missed", d->rx_missed);
		kv_rate(j, "irqs", d->irqs);
		nt_json_key(j, "queues");
		nt_json_begin_array(j);
		for (unsigned int q = 0; q < d->n_queue; q++) {
			const struct nt_mon_queue *x = &d->queue[q];

			nt_json_begin_object(j);
			nt_json_kv_u64(j, "index", x->index);
			kv_rate(j, "pps", x->pps);
			kv_rate(j, "drops", x->drops);
			kv_rate(j, "irqs", x->irqs);
			kv_rate(j, "packets_per_poll", x->packets_per_poll);
			nt_json_end_object(j);
		}
		nt_json_end_array(j);
		nt_json_end_object(j);
	}
	nt_json_end_array(j);
	nt_json_end_object(j);
}
