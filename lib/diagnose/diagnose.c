// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "finding.h"
#include "rules.h"
#include "string-table.h"

static const char *const nt_level_table[_NT_LEVEL_MAX] = {
	[NT_LEVEL_OK] = "ok",
	[NT_LEVEL_NOTE] = "note",
	[NT_LEVEL_WARN] = "warn",
	[NT_LEVEL_CRIT] = "crit",
};

DEFINE_STRING_TABLE_LOOKUP(nt_level, enum nt_level);

/* NET_RX-saturated CPUs (docs/diagnose-json.md, "Levels"). */
static void find_saturated(struct nt_diag_ctx *c)
{
	const struct nt_rates *r = c->r;

	for (unsigned int i = 0; i < r->n_dev; i++) {
		const struct nt_dev_rate *dr = &r->dev[i];
		struct nt_ring_drops rd;

		if (!dr->valid)
			continue;
		nt_ring_drops(dr, &rd);
		if (!rd.total)
			continue;
		for (unsigned int q = 0; q < dr->b->n_irq; q++) {
			int cpu = dr->b->irq[q].eff_cpu;

			if (cpu >= 0 && (unsigned int)cpu < r->n_cpu &&
			    dr->b->irq[q].kind != NT_IRQ_QUEUE_TX)
				c->ring_drop_cpu[cpu] = true;
		}
	}
	for (unsigned int cpu = 0; cpu < r->n_cpu; cpu++) {
		const struct nt_cpu_rate *x = &r->cpu[cpu];
		bool busy, pressure;

		if (!x->valid)
			continue;
		busy = (double)x->d_squeeze / c->dt > NT_SAT_SQUEEZE ||
		       x->ksoftirqd >= NT_SAT_KSOFTIRQD;
		pressure = x->soft >= NT_SAT_SOFT || x->d_dropped > 0 || c->ring_drop_cpu[cpu];
		c->saturated[cpu] = busy && pressure;
		if (c->saturated[cpu])
			c->d->n_saturated++;
	}
}

static bool is_rule(const struct nt_finding *f, const char *id)
{
	return f->rule && streq(f->rule->id, id);
}

/* Does finding @f concern CPU @cpu (directly, or through its device's IRQ CPU)? */
static bool on_cpu(const struct nt_diag_ctx *c, const struct nt_finding *f, int cpu)
{
	if (f->cpu == cpu)
		return true;
	if (f->dev[0] && f->cpu < 0) {
		const struct nt_dev_rate *dr = nt_diag_dev_rate(c, f->dev);

		return dr && nt_diag_dev_saturated_cpu(c, dr) == cpu;
	}
	return false;
}

/* The root cause of saturated CPU @cpu, in the order of the decision tree. */
static int root_for_cpu(const struct nt_diag_ctx *c, int cpu)
{
	static const char *const order[] = {"R07", "R10", "R08", "R13", "R12", "R11", "R02", "R09"};
	const struct nt_diagnosis *d = c->d;

	/* RPS concentrating work on this CPU explains everything else here. */
	for (unsigned int i = 0; i < d->n; i++)
		if (is_rule(&d->f[i], "R01") && d->f[i].cpu == cpu &&
		    streq(d->f[i].remedy.knob, "rps_cpus"))
			return (int)i;
	for (size_t o = 0; o < ARRAY_SIZE(order); o++)
		for (unsigned int i = 0; i < d->n; i++) {
			const struct nt_finding *f = &d->f[i];

			if (is_rule(f, order[o]) && f->level >= NT_LEVEL_WARN && f->tunable &&
			    (on_cpu(c, f, cpu) || (f->cpu < 0 && !f->dev[0])))
				return (int)i;
		}
	return -1;
}

static void causality(struct nt_diag_ctx *c)
{
	struct nt_diagnosis *d = c->d;
	static const char *const symptoms[] = {"R01", "R02", "R03", "R04", "R09"};

	for (unsigned int cpu = 0; cpu < c->r->n_cpu; cpu++) {
		int root;

		if (!c->saturated[cpu])
			continue;
		root = root_for_cpu(c, (int)cpu);
		if (root < 0)
			continue;
		for (unsigned int i = 0; i < d->n; i++) {
			struct nt_finding *f = &d->f[i];
			bool symptom = false;

			if ((int)i == root || f->caused_by >= 0 || !f->tunable)
				continue;
			for (size_t s = 0; s < ARRAY_SIZE(symptoms); s++)
				symptom |= is_rule(f, symptoms[s]);
			/* One CPU doing all the work is what R07/R10 already explain. */
			if (is_rule(f, "R08") &&
			    (is_rule(&d->f[root], "R07") || is_rule(&d->f[root], "R10")))
				symptom = true;
			/* R01 that already names RPS concentration is its own root. */
			if (is_rule(f, "R01") && streq(f->remedy.knob, "rps_cpus"))
				symptom = false;
			if (symptom && on_cpu(c, f, (int)cpu))
				f->caused_by = root;
		}
	}
	/* A consequence's consequences belong to the final root. */
	for (unsigned int i = 0; i < d->n; i++) {
		unsigned int hops = 0;

		while (d->f[i].caused_by >= 0 && d->f[d->f[i].caused_by].caused_by >= 0 &&
		       hops++ < d->n)
			d->f[i].caused_by = d->f[d->f[i].caused_by].caused_by;
	}
}

static int severity_key(const struct nt_finding *f)
{
	/* Tunable warn/crit first, then non-tunable, then notes. */
	if (f->level >= NT_LEVEL_WARN)
		return f->tunable ? 3 + (int)f->level : 2;
	return f->tunable ? 1 : 0;
}

static int cmp_root(const struct nt_finding *a, const struct nt_finding *b)
{
	int ka = severity_key(a), kb = severity_key(b);

	if (ka != kb)
		return kb - ka;
	if (a->lost_with_consequences != b->lost_with_consequences)
		return a->lost_with_consequences < b->lost_with_consequences ? 1 : -1;
	return strcmp(a->rule ? a->rule->id : "", b->rule ? b->rule->id : "");
}

/* Orders roots by severity, each followed by its consequences; rewrites caused_by. */
static int order(struct nt_diagnosis *d)
{
	unsigned int n = d->n, *roots, nr = 0, k = 0;
	struct nt_finding *out;

	if (n == 0)
		return 0;
	roots = malloc(n * sizeof(*roots));
	out = malloc(n * sizeof(*out));
	if (!roots || !out) {
		free(roots);
		free(out);
		return -ENOMEM;
	}
	for (unsigned int i = 0; i < n; i++) {
		d->f[i].lost_with_consequences = d->f[i].lost;
		d->f[i].n_consequences = 0;
	}
	for (unsigned int i = 0; i < n; i++)
		if (d->f[i].caused_by >= 0) {
			d->f[d->f[i].caused_by].lost_with_consequences += d->f[i].lost;
			d->f[d->f[i].caused_by].n_consequences++;
		}
	for (unsigned int i = 0; i < n; i++)
		if (d->f[i].caused_by < 0)
			roots[nr++] = i;
	/* insertion sort: few findings */
	for (unsigned int i = 1; i < nr; i++)
		for (unsigned int j = i;
		     j > 0 && cmp_root(&d->f[roots[j]], &d->f[roots[j - 1]]) < 0; j--) {
			unsigned int t = roots[j];

			roots[j] = roots[j - 1];
			roots[j - 1] = t;
		}
	for (unsigned int i = 0; i < nr; i++) {
		unsigned int at = k;

		out[k] = d->f[roots[i]];
		out[k++].caused_by = -1;
		for (unsigned int j = 0; j < n; j++)
			if (d->f[j].caused_by == (int)roots[i]) {
				out[k] = d->f[j];
				out[k++].caused_by = (int)at;
			}
	}
	free(d->f);
	free(roots);
	d->f = out;
	return 0;
}

/*
 * De-duplication: flow-limit drops (col 11) are inside col 2. The kernel counts col 11
 * on the CPU that ran skb_flow_limit() (this_cpu: the IRQ/netif_rx CPU) but col 2 on the
 * backlog's CPU (the RPS target): match them on the same CPU first, then give the rest of
 * col 11 to the other CPUs' col 2, never more than a CPU dropped.
 */
static void split_flow_limit(struct nt_diag_ctx *c)
{
	const struct nt_rates *r = c->r;
	uint64_t left = 0;

	for (unsigned int cpu = 0; cpu < r->n_cpu; cpu++) {
		const struct nt_cpu_rate *x = &r->cpu[cpu];

		if (!x->valid)
			continue;
		c->fl_drop[cpu] = x->d_flow_limit < x->d_dropped ? x->d_flow_limit : x->d_dropped;
		left += x->d_flow_limit - c->fl_drop[cpu];
	}
	for (unsigned int cpu = 0; cpu < r->n_cpu && left; cpu++) {
		const struct nt_cpu_rate *x = &r->cpu[cpu];
		uint64_t room, take;

		if (!x->valid)
			continue;
		room = x->d_dropped - c->fl_drop[cpu];
		take = room < left ? room : left;
		c->fl_drop[cpu] += take;
		left -= take;
	}
}

static void count_lost(struct nt_diag_ctx *c)
{
	struct nt_diagnosis *d = c->d;
	const struct nt_rates *r = c->r;
	uint64_t v;

	for (unsigned int cpu = 0; cpu < r->n_cpu; cpu++) {
		const struct nt_cpu_rate *x = &r->cpu[cpu];

		if (!x->valid)
			continue;
		/* flow-limit drops are inside col 2 (de-duplication) */
		d->lost_flow_limit += c->fl_drop[cpu];
		d->lost_backlog += x->d_dropped - c->fl_drop[cpu];
	}
	for (unsigned int i = 0; i < r->n_dev; i++) {
		struct nt_ring_drops rd;

		if (!r->dev[i].valid)
			continue;
		nt_ring_drops(&r->dev[i], &rd);
		d->lost_ring += rd.total;
	}
	if (nt_rates_snmp(r, "Udp", "RcvbufErrors", &v))
		d->lost_socket += v;
	if (nt_rates_snmp(r, "Udp", "MemErrors", &v))
		d->lost_socket += v;
	static const char *const tcp[] = {"TCPRcvQDrop", "TCPBacklogDrop", "RcvPruned", "OfoPruned",
					  "TCPOFODrop"};
	for (size_t i = 0; i < ARRAY_SIZE(tcp); i++)
		if (nt_rates_snmp(r, "TcpExt", tcp[i], &v))
			d->lost_socket += v;
	{
		uint64_t drops = 0, ovf = 0;

		(void)nt_rates_snmp(r, "TcpExt", "ListenDrops", &drops);
		(void)nt_rates_snmp(r, "TcpExt", "ListenOverflows", &ovf);
		/* every ListenOverflows also bumps ListenDrops */
		d->lost_listen = drops > ovf ? drops : ovf;
	}
	for (unsigned int i = 0; i < d->n; i++)
		if (is_rule(&d->f[i], "R14") || is_rule(&d->f[i], "R15") ||
		    is_rule(&d->f[i], "R16"))
			d->lost_other += d->f[i].lost;
	d->lost_total = d->lost_backlog + d->lost_flow_limit + d->lost_ring + d->lost_socket +
			d->lost_listen + d->lost_other;
}

int nt_diagnose(const struct nt_rates *r, struct nt_diagnosis *ret)
{
	struct nt_diagnosis d = {.interval = r->dt, .cpus_changed = r->cpus_changed};
	struct nt_diag_ctx c = {.r = r, .b = r->b, .dt = r->dt, .d = &d};
	int e = 0;

	c.saturated = calloc(r->n_cpu ? r->n_cpu : 1, sizeof(bool));
	c.ring_drop_cpu = calloc(r->n_cpu ? r->n_cpu : 1, sizeof(bool));
	c.fl_drop = calloc(r->n_cpu ? r->n_cpu : 1, sizeof(uint64_t));
	if (!c.saturated || !c.ring_drop_cpu || !c.fl_drop) {
		e = -ENOMEM;
		goto out;
	}
	for (unsigned int i = 0; i < _NT_SRC_MAX; i++)
		d.err[i] = r->b->err[i] ? r->b->err[i] : r->a->err[i];
	c.n_online = r->b->err[NT_SRC_CPUS] ? r->b->softnet.n : nt_cpuset_count(&r->b->cpus.online);
	/* loopback too: RPS on lo spreads its traffic like any device's */
	for (unsigned int i = 0; i < r->b->n_dev; i++)
		if (r->b->dev[i].n_rps)
			c.rps_any = true;
	split_flow_limit(&c);
	find_saturated(&c);
	for (unsigned int i = 0; i < nt_rules_n; i++) {
		c.rule = &nt_rules[i];
		nt_rules[i].eval(&c);
	}
	causality(&c);
	count_lost(&c);
	e = order(&d);
	if (e < 0)
		goto out;
	for (unsigned int i = 0; i < d.n; i++)
		if (d.f[i].tunable && d.f[i].level > d.level && d.f[i].level >= NT_LEVEL_WARN)
			d.level = d.f[i].level;
out:
	free(c.saturated);
	free(c.ring_drop_cpu);
	free(c.fl_drop);
	if (e < 0) {
		free(d.f);
		return e;
	}
	*ret = d;
	return 0;
}

void nt_diagnosis_done(struct nt_diagnosis *d)
{
	free(d->f);
	*d = (struct nt_diagnosis){};
}

unsigned int nt_diagnosis_count(const struct nt_diagnosis *d, const char *id, enum nt_level min)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < d->n; i++)
		if (is_rule(&d->f[i], id) && d->f[i].level >= min)
			n++;
	return n;
}
