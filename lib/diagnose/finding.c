// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "finding.h"

struct nt_finding *nt_finding_add(struct nt_diag_ctx *c, enum nt_level level, int cpu,
				  const char *dev)
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
		.rule = c->rule,
		.level = level,
		.tunable = true,
		.cpu = cpu,
		.caused_by = -1,
	};
	if (dev)
		snprintf(f->dev, sizeof(f->dev), "%s", dev);
	return f;
}

void nt_finding_summary(struct nt_finding *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(f->summary, sizeof(f->summary), fmt, ap);
	va_end(ap);
}

void nt_finding_cause(struct nt_finding *f, const char *fmt, ...)
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
	*e = (struct nt_evidence){.cpu = cpu, .queue = -1};
	snprintf(e->counter, sizeof(e->counter), "%s", counter);
	snprintf(e->source, sizeof(e->source), "%s", source);
	if (dev)
		snprintf(e->dev, sizeof(e->dev), "%s", dev);
	return e;
}

void nt_finding_ev(struct nt_finding *f, const char *counter, const char *source, int cpu,
		   const char *dev, int queue, uint64_t delta, double rate)
{
	struct nt_evidence *e = ev_new(f, counter, source, cpu, dev);

	if (!e)
		return;
	e->queue = queue;
	e->delta = delta;
	e->rate = rate;
}

void nt_finding_ev_share(struct nt_finding *f, const char *counter, const char *source, int cpu,
			 const char *dev, double share)
{
	struct nt_evidence *e = ev_new(f, counter, source, cpu, dev);

	if (!e)
		return;
	e->rate = share;
	e->is_share = true;
}

void nt_finding_ev_setting(struct nt_finding *f, const char *counter, const char *source,
			   const char *dev, int64_t value, int64_t max)
{
	struct nt_evidence *e = ev_new(f, counter, source, -1, dev);

	if (!e)
		return;
	e->is_setting = true;
	e->value = value;
	e->max = max;
}

void nt_finding_remedy(struct nt_finding *f, const char *knob, const char *scope,
		       const char *current, const char *suggested, const char *section,
		       const char *dev, const char *command, const char *caveat)
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
			 "# napictl diagnose %s\nsysctl:\n  %s: %s\n", f->rule ? f->rule->id : "",
			 knob, suggested);
	else
		snprintf(f->profile, sizeof(f->profile),
			 "# napictl diagnose %s\ndevices:\n  - match: %s\n    %s:\n      %s: %s\n",
			 f->rule ? f->rule->id : "", dev, section, knob, suggested);
}

void nt_finding_remedy_text(struct nt_finding *f, const char *scope, const char *command,
			    const char *caveat)
{
	struct nt_remedy *m = &f->remedy;

	m->knob[0] = '\0';
	snprintf(m->scope, sizeof(m->scope), "%s", scope);
	snprintf(m->command, sizeof(m->command), "%s", command ? command : "");
	snprintf(m->caveat, sizeof(m->caveat), "%s", caveat ? caveat : "");
	f->profile[0] = '\0';
}

int nt_diag_dev_irq_cpu(const struct nt_snap_dev *d)
{
	for (unsigned int i = 0; i < d->n_irq; i++)
		if (d->irq[i].kind != NT_IRQ_QUEUE_TX && d->irq[i].kind != NT_IRQ_DEVICE &&
		    d->irq[i].eff_cpu >= 0)
			return d->irq[i].eff_cpu;
	return -1;
}

int nt_diag_dev_saturated_cpu(const struct nt_diag_ctx *c, const struct nt_dev_rate *dr)
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

const struct nt_dev_rate *nt_diag_dev_rate(const struct nt_diag_ctx *c, const char *name)
{
	for (unsigned int i = 0; i < c->r->n_dev; i++)
		if (streq(c->r->dev[i].b->name, name))
			return &c->r->dev[i];
	return NULL;
}

void nt_finding_remedy_double(struct nt_finding *f, const char *key, int64_t cur, long long dflt,
			      const char *caveat)
{
	char curs[24] = "", sug[24], cmd[160];

	if (cur >= 0)
		snprintf(curs, sizeof(curs), "%lld", (long long)cur);
	snprintf(sug, sizeof(sug), "%lld", cur > dflt ? (long long)cur * 2 : dflt * 2);
	snprintf(cmd, sizeof(cmd), "sysctl -w %s=%s", key, sug);
	nt_finding_remedy(f, key, "global", curs, sug, "sysctl", NULL, cmd, caveat);
}
