// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "rules.h"

const char *nt_level_to_string(enum nt_level l)
{
	static const char *const s[] = { "ok", "note", "warn", "crit" };

	return l <= NT_LEVEL_CRIT ? s[l] : "?";
}

const struct nt_rule *nt_rule_find(const char *id)
{
	for (unsigned int i = 0; i < nt_rules_n; i++)
		if (streq(nt_rules[i].id, id))
			return &nt_rules[i];
	return NULL;
}

struct nt_finding *diag_add(struct nt_diag_ctx *c, const char *rule_id, enum nt_level level,
			    int cpu, const char *dev)
{
	struct nt_diagnosis *d = c->d;
	struct nt_finding *f;

	if (d->n == c->cap) {
		unsigned int cap = c->cap ? c->cap * 2 : 16;

		f = realloc(d->f, cap * sizeof(*f));
		if (!f)
			return NULL;
		d->f = f;
		c->cap = cap;
	}
	f = &d->f[d->n++];
	*f = (struct nt_finding){
		.rule = nt_rule_find(rule_id),
		.level = level,
		.tunable = true,
		.cpu = cpu,
		.caused_by = -1,
	};
	if (dev)
		snprintf(f->dev, sizeof(f->dev), "%s", dev);
	return f;
}

void diag_summary(struct nt_finding *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(f->summary, sizeof(f->summary), fmt, ap);
	va_end(ap);
}

void diag_cause(struct nt_finding *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(f->cause, sizeof(f->cause), fmt, ap);
	va_end(ap);
}

static struct nt_evidence *ev_new(struct nt_finding *f, const char *counter, const char *source,
				  int cpu, const char *dev)
{
	struct nt_evidence *e;

	if (f->n_ev >= NT_EVIDENCE_MAX)
		return NULL;
	e = &f->ev[f->n_ev++];
	*e = (struct nt_evidence){ .cpu = cpu, .queue = -1 };
	snprintf(e->counter, sizeof(e->counter), "%s", counter);
	snprintf(e->source, sizeof(e->source), "%s", source);
	if (dev)
		snprintf(e->dev, sizeof(e->dev), "%s", dev);
	return e;
}

void diag_ev(struct nt_finding *f, const char *counter, const char *source, int cpu,
	     const char *dev, int queue, uint64_t delta, double rate)
{
	struct nt_evidence *e = ev_new(f, counter, source, cpu, dev);

	if (!e)
		return;
	e->queue = queue;
	e->delta = delta;
	e->rate = rate;
}

void diag_ev_share(struct nt_finding *f, const char *counter, const char *source, int cpu,
		   const char *dev, double share)
{
	struct nt_evidence *e = ev_new(f, counter, source, cpu, dev);

	if (!e)
		return;
	e->rate = share;
	e->is_share = true;
}

void diag_ev_setting(struct nt_finding *f, const char *counter, const char *source,
		     const char *dev, int64_t value, int64_t max)
{
	struct nt_evidence *e = ev_new(f, counter, source, -1, dev);

	if (!e)
		return;
	e->is_setting = true;
	e->value = value;
	e->max = max;
}

void diag_remedy(struct nt_finding *f, const char *knob, const char *scope, const char *current,
		 const char *suggested, const char *section, const char *dev, const char *command,
		 const char *caveat)
{
	struct nt_remedy *m = &f->remedy;

	snprintf(m->knob, sizeof(m->knob), "%s", knob);
	snprintf(m->scope, sizeof(m->scope), "%s", scope);
	snprintf(m->current, sizeof(m->current), "%s", current ? current : "");
	snprintf(m->suggested, sizeof(m->suggested), "%s", suggested);
	snprintf(m->command, sizeof(m->command), "%s", command ? command : "");
	snprintf(m->caveat, sizeof(m->caveat), "%s", caveat ? caveat : "");
	if (!dev)
		snprintf(f->profile, sizeof(f->profile),
			 "# napictl diagnose %s\nsysctl:\n  %s: %s\n",
			 f->rule ? f->rule->id : "", knob, suggested);
	else
		snprintf(f->profile, sizeof(f->profile),
			 "# napictl diagnose %s\ndevices:\n  - match: %s\n    %s:\n      %s: %s\n",
			 f->rule ? f->rule->id : "", dev, section, knob, suggested);
}

void diag_remedy_text(struct nt_finding *f, const char *scope, const char *command,
		      const char *caveat)
{
	struct nt_remedy *m = &f->remedy;

	m->knob[0] = '\0';
	snprintf(m->scope, sizeof(m->scope), "%s", scope);
	snprintf(m->command, sizeof(m->command), "%s", command ? command : "");
	snprintf(m->caveat, sizeof(m->caveat), "%s", caveat ? caveat : "");
	f->profile[0] = '\0';
}

int diag_dev_irq_cpu(const struct nt_snap_dev *d)
{
	for (unsigned int i = 0; i < d->n_irq; i++)
		if (d->irq[i].kind != NT_IRQ_QUEUE_TX && d->irq[i].kind != NT_IRQ_DEVICE &&
		    d->irq[i].eff_cpu >= 0)
			return d->irq[i].eff_cpu;
	return -1;
}

int diag_dev_saturated_cpu(const struct nt_diag_ctx *c, const struct nt_dev_rate *dr)
{
	const struct nt_snap_dev *d = dr->b;
	int best = -1;
	uint64_t best_n = 0;

	/* Prefer the CPU that actually took this device's interrupts in the window. */
	if (dr->d_irq_cpu)
		for (unsigned int cpu = 0; cpu < c->r->n_cpu; cpu++)
			if (c->saturated[cpu] && dr->d_irq_cpu[cpu] > best_n) {
				best = (int)cpu;
				best_n = dr->d_irq_cpu[cpu];
			}
	if (best >= 0)
		return best;
	for (unsigned int i = 0; i < d->n_irq; i++) {
		int cpu = d->irq[i].eff_cpu;

		if (d->irq[i].kind == NT_IRQ_QUEUE_TX || d->irq[i].kind == NT_IRQ_DEVICE)
			continue;
		if (cpu >= 0 && (unsigned int)cpu < c->r->n_cpu && c->saturated[cpu])
			return cpu;
	}
	return -1;
}

const struct nt_dev_rate *diag_dev_rate(const struct nt_diag_ctx *c, const char *name)
{
	for (unsigned int i = 0; i < c->r->n_dev; i++)
		if (streq(c->r->dev[i].b->name, name))
			return &c->r->dev[i];
	return NULL;
}

/* §3: NET_RX-saturated CPUs. */
static void find_saturated(struct nt_diag_ctx *c)
{
	const struct nt_rates *r = c->r;

	for (unsigned int i = 0; i < r->n_dev; i++) {
		const struct nt_dev_rate *dr = &r->dev[i];
		struct ring_drops rd;

		if (!dr->valid)
			continue;
		diag_ring_drops(dr, &rd);
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
		const struct nt_dev_rate *dr = diag_dev_rate(c, f->dev);

		return dr && diag_dev_saturated_cpu(c, dr) == cpu;
	}
	return false;
}

/* §7 step 4: the root cause of saturated CPU @cpu, in the order of the decision tree. */
static int root_for_cpu(const struct nt_diag_ctx *c, int cpu)
{
	static const char *const order[] = { "R07", "R10", "R08", "R13", "R12", "R11", "R02",
					     "R09" };
	const struct nt_diagnosis *d = c->d;

	/* §7 step 3: RPS concentrating work on this CPU explains everything else here. */
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
	static const char *const symptoms[] = { "R01", "R02", "R03", "R04", "R09" };

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
			/* R01 that already names RPS concentration is its own root (§7 step 3). */
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
		for (unsigned int j = i; j > 0 && cmp_root(&d->f[roots[j]], &d->f[roots[j - 1]]) < 0;
		     j--) {
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
 * §7 de-duplication: flow-limit drops (col 11) are inside col 2. The kernel counts col 11
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
		/* flow-limit drops are inside col 2 (§7 de-duplication) */
		d->lost_flow_limit += c->fl_drop[cpu];
		d->lost_backlog += x->d_dropped - c->fl_drop[cpu];
	}
	for (unsigned int i = 0; i < r->n_dev; i++) {
		struct ring_drops rd;

		if (!r->dev[i].valid)
			continue;
		diag_ring_drops(&r->dev[i], &rd);
		d->lost_ring += rd.total;
	}
	if (nt_rates_snmp(r, "Udp", "RcvbufErrors", &v))
		d->lost_socket += v;
	if (nt_rates_snmp(r, "Udp", "MemErrors", &v))
		d->lost_socket += v;
	static const char *const tcp[] = { "TCPRcvQDrop", "TCPBacklogDrop", "RcvPruned",
					   "OfoPruned", "TCPOFODrop" };
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
		if (is_rule(&d->f[i], "R14") || is_rule(&d->f[i], "R15") || is_rule(&d->f[i], "R16"))
			d->lost_other += d->f[i].lost;
	d->lost_total = d->lost_backlog + d->lost_flow_limit + d->lost_ring + d->lost_socket +
			d->lost_listen + d->lost_other;
}

int nt_diagnose(const struct nt_rates *r, struct nt_diagnosis *ret)
{
	struct nt_diagnosis d = { .interval = r->dt, .cpus_changed = r->cpus_changed };
	struct nt_diag_ctx c = { .r = r, .b = r->b, .dt = r->dt, .d = &d };
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
	for (unsigned int i = 0; i < r->b->n_dev; i++)
		if (!r->b->dev[i].loopback && r->b->dev[i].n_rps)
			c.rps_any = true;
	split_flow_limit(&c);
	find_saturated(&c);
	for (unsigned int i = 0; i < nt_rules_n; i++)
		nt_rules[i].eval(&c);
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

void nt_diagnosis_write_json(const struct nt_diagnosis *d, struct nt_json *j)
{
	nt_json_begin_object(j);
	nt_json_kv_u64(j, "schema", 1);
	nt_json_key(j, "interval");
	nt_json_double(j, d->interval);
	nt_json_kv_string(j, "level", nt_level_to_string(d->level));
	nt_json_kv_u64(j, "saturated_cpus", d->n_saturated);
	nt_json_kv_bool(j, "cpus_changed", d->cpus_changed);
	nt_json_key(j, "lost");
	nt_json_begin_object(j);
	nt_json_kv_u64(j, "total", d->lost_total);
	nt_json_kv_u64(j, "backlog", d->lost_backlog);
	nt_json_kv_u64(j, "flow_limit", d->lost_flow_limit);
	nt_json_kv_u64(j, "ring", d->lost_ring);
	nt_json_kv_u64(j, "socket", d->lost_socket);
	nt_json_kv_u64(j, "listen", d->lost_listen);
	nt_json_kv_u64(j, "not_tunable", d->lost_other);
	nt_json_end_object(j);
	nt_json_key(j, "unavailable");
	nt_json_begin_array(j);
	for (unsigned int i = 0; i < _NT_SRC_MAX; i++) {
		if (!d->err[i])
			continue;
		nt_json_begin_object(j);
		nt_json_kv_string(j, "source", nt_src_name(i));
		nt_json_kv_string(j, "error", strerror(-d->err[i]));
		nt_json_end_object(j);
	}
	nt_json_end_array(j);
	nt_json_key(j, "findings");
	nt_json_begin_array(j);
	for (unsigned int i = 0; i < d->n; i++) {
		const struct nt_finding *f = &d->f[i];

		nt_json_begin_object(j);
		nt_json_kv_u64(j, "index", i);
		nt_json_kv_string(j, "id", f->rule ? f->rule->id : "");
		nt_json_kv_string(j, "rule", f->rule ? f->rule->name : "");
		nt_json_kv_string(j, "level", nt_level_to_string(f->level));
		nt_json_kv_bool(j, "tunable", f->tunable);
		nt_json_kv_i64_or_null(j, "cpu", f->cpu);
		nt_json_kv_string(j, "device", f->dev[0] ? f->dev : NULL);
		nt_json_kv_string(j, "summary", f->summary);
		nt_json_kv_string(j, "cause", f->cause);
		nt_json_kv_i64_or_null(j, "caused_by", f->caused_by);
		nt_json_kv_u64(j, "lost", f->lost);
		nt_json_kv_u64(j, "lost_with_consequences", f->lost_with_consequences);
		nt_json_key(j, "remedy");
		nt_json_begin_object(j);
		nt_json_kv_string(j, "knob", f->remedy.knob[0] ? f->remedy.knob : NULL);
		nt_json_kv_string(j, "scope", f->remedy.scope);
		nt_json_kv_string(j, "current", f->remedy.current[0] ? f->remedy.current : NULL);
		nt_json_kv_string(j, "suggested",
				  f->remedy.suggested[0] ? f->remedy.suggested : NULL);
		nt_json_kv_string(j, "command", f->remedy.command[0] ? f->remedy.command : NULL);
		nt_json_kv_bool(j, "bounces_link", f->remedy.bounces_link);
		nt_json_kv_string(j, "caveat", f->remedy.caveat[0] ? f->remedy.caveat : NULL);
		nt_json_end_object(j);
		nt_json_kv_string(j, "profile", f->profile[0] ? f->profile : NULL);
		nt_json_key(j, "evidence");
		nt_json_begin_array(j);
		for (unsigned int k = 0; k < f->n_ev; k++) {
			const struct nt_evidence *e = &f->ev[k];

			nt_json_begin_object(j);
			nt_json_kv_string(j, "counter", e->counter);
			nt_json_kv_string(j, "source", e->source);
			if (e->cpu >= 0)
				nt_json_kv_i64(j, "cpu", e->cpu);
			if (e->dev[0])
				nt_json_kv_string(j, "device", e->dev);
			if (e->queue >= 0)
				nt_json_kv_i64(j, "queue", e->queue);
			if (e->is_setting) {
				nt_json_kv_i64(j, "value", e->value);
				nt_json_kv_i64_or_null(j, "max", e->max);
			} else if (e->is_share) {
				nt_json_key(j, "share");
				nt_json_double(j, e->rate);
			} else {
				nt_json_kv_u64(j, "delta", e->delta);
				nt_json_key(j, "rate");
				nt_json_double(j, e->rate);
			}
			nt_json_end_object(j);
		}
		nt_json_end_array(j);
		nt_json_end_object(j);
	}
	nt_json_end_array(j);
	nt_json_end_object(j);
}
