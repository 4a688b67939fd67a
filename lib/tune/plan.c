// SPDX-License-Identifier: GPL-2.0-or-later
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fs.h"
#include "parse-util.h"
#include "irqbalance.h"
#include "knob-rss.h"
#include "lint.h"
#include "plan.h"

static const enum nt_stage fam_stage[_NT_FAM_MAX] = {
	[NT_FAM_SYSCTL] = NT_STAGE_SYSCTL,     [NT_FAM_CHANNELS] = NT_STAGE_CHANNELS,
	[NT_FAM_RINGS] = NT_STAGE_RINGS,       [NT_FAM_FEATURES] = NT_STAGE_FEATURES,
	[NT_FAM_COALESCE] = NT_STAGE_COALESCE, [NT_FAM_DEVSYSFS] = NT_STAGE_DEVSYSFS,
	[NT_FAM_NAPI] = NT_STAGE_NAPI,	       [NT_FAM_QUEUE] = NT_STAGE_QUEUE,
	[NT_FAM_IRQ] = NT_STAGE_IRQ,	       [NT_FAM_KTHREAD] = NT_STAGE_KTHREAD,
	[NT_FAM_RSS] = NT_STAGE_RSS,
};

enum nt_stage nt_fam_stage(enum nt_fam f)
{
	return fam_stage[f];
}

static const char *const nt_change_state_table[_NT_CHANGE_STATE_MAX] = {
	[NT_CHANGE_SET] = "change",
	[NT_CHANGE_SAME] = "same",
	[NT_CHANGE_UNSUPPORTED] = "unsupported",
};

DEFINE_STRING_TABLE_LOOKUP(nt_change_state, enum nt_change_state);

static const char *const nt_change_result_table[_NT_RESULT_MAX] = {
	[NT_RESULT_NONE] = "none",
	[NT_RESULT_WRITTEN] = "written",
	[NT_RESULT_FAILED] = "failed",
	[NT_RESULT_ROLLED_BACK] = "rolled-back",
	[NT_RESULT_ROLLBACK_FAILED] = "rollback-failed",
	[NT_RESULT_GONE] = "gone",
};

DEFINE_STRING_TABLE_LOOKUP(nt_change_result, enum nt_change_result);

void nt_change_done(struct nt_change *c)
{
	free(c->error);
	free(c->key);
	free(c->object);
	free(c->ifname);
	free(c->want);
	free(c->have);
	free(c->note);
	free(c->where);
}

void nt_plan_done(struct nt_plan *plan)
{
	for (size_t i = 0; i < plan->n; i++)
		nt_change_done(&plan->c[i]);
	free(plan->c);
	nt_msgs_done(&plan->msgs);
	nt_writers_done(&plan->writers);
	*plan = (struct nt_plan){};
}

size_t nt_plan_count(const struct nt_plan *plan, enum nt_change_state s)
{
	size_t n = 0;

	for (size_t i = 0; i < plan->n; i++)
		n += plan->c[i].state == s;
	return n;
}

struct builder {
	struct nt_ctx *ctx;
	const struct nt_profile *p;
	const struct nt_topo *topo;
	unsigned int stages;
	struct nt_plan *plan;
};

static void set_note(struct nt_change *c, const char *fmt, ...) _printf_(2, 3);
static void set_note(struct nt_change *c, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	free(c->note);
	c->note = s;
}

/* Probes, reads and compares; sets state. */
static int evaluate(struct builder *b, struct nt_change *c)
{
	const struct nt_fam_ops *ops = nt_fam_get(c->knob->fam);
	struct nt_err e = {};
	uint64_t max = 0;
	int r;

	if (c->knob->kmin && b->ctx->kver && b->ctx->kver < c->knob->kmin) {
		c->state = NT_CHANGE_UNSUPPORTED;
		set_note(c, "needs kernel %u.%u (this is %u.%u)", c->knob->kmin / 1000,
			 c->knob->kmin % 1000, b->ctx->kver / 1000, b->ctx->kver % 1000);
		return 0;
	}
	r = ops->caps(b->ctx, c->knob, &c->t, &max, &e);
	if (r < 0) {
		c->state = NT_CHANGE_UNSUPPORTED;
		set_note(c, "%s", nt_err_msg(&e, r));
		return 0;
	}
	if (c->knob->max_from_dev && streq(c->want, "max")) {
		free(c->want);
		if (asprintf(&c->want, "%" PRIu64, max) < 0) {
			c->want = NULL;
			return -ENOMEM;
		}
	} else if (c->knob->max_from_dev && max) {
		uint64_t v;

		if (nt_parse_u64(c->want, &v) >= 0 && v > max) {
			nt_msgs_add(&b->plan->msgs, true,
				    "%s: %s %s exceeds the maximum of '%s' (%" PRIu64 ")",
				    c->where ?: "profile", c->key, c->want, c->object, max);
			c->state = NT_CHANGE_UNSUPPORTED;
			set_note(c, "above the device maximum %" PRIu64, max);
			return 0;
		}
	} else if (c->knob->type == NT_T_ENUM && max) {
		/* the values the kernel's netlink policy accepts (napi-set threaded) */
		_cleanup_free_ char *want = NULL, *most = NULL;
		char buf[24];
		uint64_t v;

		snprintf(buf, sizeof(buf), "%" PRIu64, max);
		if (nt_parse_u64(c->want, &v) >= 0 && v > max) {
			if (nt_knob_format(c->knob, c->want, &want) < 0 ||
			    nt_knob_format(c->knob, buf, &most) < 0)
				return -ENOMEM;
			c->state = NT_CHANGE_UNSUPPORTED;
			set_note(c,
				 "unsupported on this kernel: %s %s (its netlink policy accepts at "
				 "most %s)",
				 c->key, want, most);
			return 0;
		}
	}
	r = ops->read(b->ctx, c->knob, &c->t, &c->have, &e);
	if (r < 0) {
		c->have = NULL;
		c->state = NT_CHANGE_UNSUPPORTED;
		set_note(c, "cannot read: %s", nt_err_msg(&e, r));
		return 0;
	}
	c->state = nt_knob_value_equal(c->knob, c->have, c->want) ? NT_CHANGE_SAME : NT_CHANGE_SET;
	return 0;
}

static struct nt_change *add(struct builder *b, const struct nt_knob *k, const char *key,
			     const struct nt_topo_dev *d, const char *object, const char *want,
			     const char *where)
{
	struct nt_plan *plan = b->plan;
	struct nt_change *nc, *c;

	nc = realloc(plan->c, (plan->n + 1) * sizeof(*nc));
	if (!nc)
		return NULL;
	plan->c = nc;
	c = &nc[plan->n];
	*c = (struct nt_change){.knob = k,
				.stage = fam_stage[k->fam],
				.state = NT_CHANGE_SET,
				.seq = (unsigned int)plan->n};
	c->key = strdup(key);
	c->object = strdup(object);
	c->want = want ? strdup(want) : NULL;
	c->where = where ? strdup(where) : NULL;
	if (d) {
		c->ifname = strdup(d->name);
		c->t.ifindex = d->ifindex;
	}
	if (!c->key || !c->object || (want && !c->want) || (where && !c->where) ||
	    (d && !c->ifname)) {
		nt_change_done(c);
		return NULL;
	}
	plan->n++;
	return c;
}

/* Fixes the pointers of target strings (the array may have moved). */
static void fix_targets(struct nt_plan *plan)
{
	for (size_t i = 0; i < plan->n; i++) {
		struct nt_change *c = &plan->c[i];

		c->t.ifname = c->ifname;
		c->t.sysctl = c->knob->fam == NT_FAM_SYSCTL ? c->key : NULL;
	}
}

/* Adds a change in @stage (normally its family's) if that stage is being planned. */
static int add_eval_stage(struct builder *b, enum nt_stage stage, const struct nt_knob *k,
			  const char *key, const struct nt_topo_dev *d, const char *object,
			  const char *want, const char *where, unsigned int index, int pid,
			  const char *note)
{
	struct nt_change *c;

	if (!(b->stages & (1u << stage)))
		return 0;
	c = add(b, k, key, d, object, want, where);
	if (!c)
		return -ENOMEM;
	c->stage = stage;
	c->t.index = index;
	c->t.pid = pid;
	c->t.ifname = c->ifname;
	c->t.sysctl = k->fam == NT_FAM_SYSCTL ? c->key : NULL;
	if (!want) {
		c->state = NT_CHANGE_UNSUPPORTED;
		set_note(c, "%s", note ?: "not available");
		return 0;
	}
	if (note)
		set_note(c, "%s", note);
	return evaluate(b, c);
}

static int add_eval(struct builder *b, const struct nt_knob *k, const char *key,
		    const struct nt_topo_dev *d, const char *object, const char *want,
		    const char *where, unsigned int index, int pid, const char *note)
{
	return add_eval_stage(b, fam_stage[k->fam], k, key, d, object, want, where, index, pid,
			      note);
}

static int format_cpus(struct builder *b, const struct nt_knob *k, const struct nt_cpuset *s,
		       char **ret)
{
	if (k->type == NT_T_CPUMASK)
		return nt_cpuset_format_mask(s, b->ctx->cpus.nr_cpu_ids, ret);
	return nt_cpuset_format_list(s, ret);
}

/* ---- global ---- */

static int plan_sysctls(struct builder *b)
{
	const struct nt_profile *p = b->p;

	for (size_t i = 0; i < p->n_sysctls; i++) {
		const struct nt_setting *s = &p->sysctls[i];
		_cleanup_free_ char *path = NULL, *cpus = NULL;
		const char *want = s->value;
		bool later = false;
		int r;

		for (size_t j = i + 1; j < p->n_sysctls; j++)
			if (streq(p->sysctls[j].name, s->name))
				later = true;
		if (later)
			continue; /* overridden (e.g. by the including profile) */
		r = nt_sysctl_path(s->name, &path);
		if (r < 0)
			return r;
		if (s->knob == &nt_knobs[NT_KNOB_SYSCTL_ANY] &&
		    !nt_path_exists(b->ctx->root, path)) {
			const char *sug = nt_knob_suggest(s->name, NT_SCOPE_GLOBAL);

			nt_msgs_add(&b->plan->msgs, true,
				    "%s: sysctl '%s' does not exist on this kernel%s%s%s", s->where,
				    s->name, sug ? " (did you mean '" : "", sug ?: "",
				    sug ? "'?)" : "");
			continue;
		}
		if (s->knob->type == NT_T_CPUMASK || s->knob->type == NT_T_CPULIST) {
			struct nt_cpuset set;
			struct nt_err e = {};

			r = nt_cpuspec_eval(&s->cpus, &b->ctx->cpus, NULL, NULL, &set, &e);
			if (r < 0) {
				nt_msgs_add(&b->plan->msgs, true, "%s: %s: %s", s->where, s->name,
					    nt_err_msg(&e, r));
				continue;
			}
			r = format_cpus(b, s->knob, &set, &cpus);
			if (r < 0)
				return r;
			want = cpus;
		}
		r = add_eval(b, s->knob, s->name, NULL, "global", want, s->where, 0, -1, NULL);
		if (r < 0)
			return r;
	}
	return 0;
}

/* ---- per device ---- */

static int numa_cpus(struct builder *b, const struct nt_topo_dev *d, struct nt_cpuset *ret,
		     bool *ret_known)
{
	_cleanup_free_ char *line = NULL;
	char path[96];

	*ret_known = false;
	if (d->numa_node < 0)
		return 0;
	snprintf(path, sizeof(path), "sys/devices/system/node/node%d/cpulist", d->numa_node);
	if (nt_read_line(b->ctx->root, path, &line) < 0)
		return 0;
	if (nt_cpuset_parse_list(line, ret, NULL) < 0)
		return 0;
	*ret_known = true;
	return 0;
}

/* The desired set of one CPU knob on object number @i; false after reporting an error. */
static bool eval_cpus(struct builder *b, const struct nt_setting *s, const struct nt_topo_dev *d,
		      unsigned int i, const struct nt_cpuset *irq, struct nt_cpuset *ret)
{
	struct nt_cpuset numa, set;
	struct nt_err e = {};
	bool known;
	int r;

	numa_cpus(b, d, &numa, &known);
	r = nt_cpuspec_eval(&s->cpus, &b->ctx->cpus, known ? &numa : NULL, irq, &set, &e);
	if (r < 0) {
		nt_msgs_add(&b->plan->msgs, true, "%s: %s on '%s': %s", s->where, s->name, d->name,
			    nt_err_msg(&e, r));
		return false;
	}
	if (s->cpus.spread) {
		int cpu = nt_cpuset_nth(&set, i);

		nt_cpuset_zero(ret);
		if (cpu >= 0)
			(void)nt_cpuset_set(ret, (unsigned int)cpu);
		return true;
	}
	*ret = set;
	return true;
}

static const struct nt_knob *napi_fallback(const struct nt_knob *k)
{
	switch (nt_knob_id(k)) {
	case NT_KNOB_NAPI_DEFER_HARD_IRQS:
		return &nt_knobs[NT_KNOB_DEV_NAPI_DEFER_HARD_IRQS];
	case NT_KNOB_NAPI_GRO_FLUSH_TIMEOUT:
		return &nt_knobs[NT_KNOB_DEV_GRO_FLUSH_TIMEOUT];
	case NT_KNOB_NAPI_THREADED:
		return &nt_knobs[NT_KNOB_DEV_THREADED];
	default:
		return NULL;
	}
}

/* The IRQ affinity a kthread with 'irq' follows: planned if this plan sets it, else current. */
static bool irq_cpus(struct builder *b, int irq, struct nt_cpuset *ret)
{
	_cleanup_free_ char *line = NULL;
	char path[64];

	for (size_t i = 0; i < b->plan->n; i++) {
		const struct nt_change *c = &b->plan->c[i];

		if (nt_knob_id(c->knob) == NT_KNOB_IRQ_AFFINITY &&
		    c->t.index == (unsigned int)irq && c->state == NT_CHANGE_SET)
			return nt_cpuset_parse_list(c->want, ret, NULL) >= 0;
	}
	snprintf(path, sizeof(path), "proc/irq/%d/smp_affinity_list", irq);
	return nt_read_line(b->ctx->root, path, &line) >= 0 &&
	       nt_cpuset_parse_list(line, ret, NULL) >= 0;
}

/*
 * A per-NAPI key this kernel cannot set per NAPI (@why says why): the device-wide file where
 * the kernel has one, planned in the NAPI stage (after GRO/threaded made the NAPIs exist) and
 * said so; else one change that says it is unsupported on this kernel. Never an error.
 */
static int plan_napi_fallback(struct builder *b, const struct nt_topo_dev *d,
			      const struct nt_setting *s, const char *why,
			      const struct nt_setting *const *by_knob)
{
	const struct nt_knob *k = s->knob, *fb = napi_fallback(k);
	struct nt_target t = {.ifname = d->name, .ifindex = d->ifindex};
	struct nt_err e = {};
	char obj[64], note[1024];

	snprintf(obj, sizeof(obj), "%s napi", d->name);
	if (!fb) {
		snprintf(note, sizeof(note),
			 "unsupported on this kernel: per-NAPI %s unavailable (%.500s), and it has "
			 "no device-wide file",
			 k->key, why);
		return add_eval(b, k, s->name, d, obj, NULL, s->where, 0, -1, note);
	}
	if (k->type == NT_T_ENUM && !nt_knob_value_equal(k, s->value, "0") &&
	    !nt_knob_value_equal(k, s->value, "1")) {
		/* threaded busy-poll (2) exists per NAPI only (netdev napi-set, 6.19+) */
		_cleanup_free_ char *v = NULL;

		if (nt_knob_format(k, s->value, &v) < 0)
			return -ENOMEM;
		snprintf(note, sizeof(note),
			 "unsupported on this kernel: per-NAPI %s unavailable (%.500s), and %s "
			 "has no device-wide file",
			 k->key, why, v);
		return add_eval(b, k, s->name, d, obj, NULL, s->where, 0, -1, note);
	}
	if (by_knob[nt_knob_id(fb)])
		return add_eval(b, k, s->name, d, obj, NULL, s->where, 0, -1,
				"no per-NAPI config on this kernel; the device-wide "
				"value in the profile applies instead");
	if (fb->kmin && b->ctx->kver && b->ctx->kver < fb->kmin) {
		snprintf(note, sizeof(note),
			 "unsupported on this kernel: per-NAPI %s unavailable (%.400s), and "
			 "device-wide %s needs kernel %u.%u",
			 k->key, why, fb->key, fb->kmin / 1000, fb->kmin % 1000);
		return add_eval(b, k, s->name, d, obj, NULL, s->where, 0, -1, note);
	}
	if (nt_fam_get(fb->fam)->caps(b->ctx, fb, &t, NULL, &e) == -EOPNOTSUPP) {
		snprintf(note, sizeof(note),
			 "unsupported on this kernel: per-NAPI %s unavailable (%.400s), and "
			 "device-wide %s too (%.400s)",
			 k->key, why, fb->key, e.msg);
		return add_eval(b, k, s->name, d, obj, NULL, s->where, 0, -1, note);
	}
	snprintf(note, sizeof(note),
		 "fallback: per-NAPI %s unavailable (%.500s); set device-wide %s", k->key, why,
		 fb->key);
	return add_eval_stage(b, NT_STAGE_NAPI, fb, fb->key, d, d->name, s->value, s->where, 0, -1,
			      note);
}

static int plan_napi(struct builder *b, const struct nt_topo_dev *d, const struct nt_setting *s,
		     const struct nt_setting *const *by_knob)
{
	const struct nt_knob *k = s->knob, *fb = napi_fallback(k);
	char obj[64];
	int r;

	if (d->n_napi == 0 && k->fam == NT_FAM_NAPI && !b->topo->have_netlink &&
	    (b->stages & (1u << NT_STAGE_NAPI))) {
		/*
		 * No netdev napi-get (before 6.8; the family itself came in 6.3): the NAPIs are
		 * unknown, not absent, and no per-NAPI key can be set.
		 */
		bool old = k->kmin && b->ctx->kver && b->ctx->kver < k->kmin;

		return plan_napi_fallback(
			b, d, s, old ? "kernel too old" : "no netdev netlink napi-set here",
			by_knob);
	}
	if (d->n_napi == 0) {
		snprintf(obj, sizeof(obj), "%s napi", d->name);
		return add_eval(b, k, s->name, d, obj, NULL, s->where, 0, -1,
				"no NAPI instances (driver without NAPI, or veth with GRO off)");
	}
	if (k->fam == NT_FAM_KTHREAD) {
		for (unsigned int i = 0; i < d->n_napi; i++) {
			const struct nt_topo_napi *n = &d->napi[i];
			_cleanup_free_ char *want = NULL;
			struct nt_cpuset irqset, set;
			bool have_irq = n->irq >= 0 && irq_cpus(b, n->irq, &irqset);
			bool uses_irq = false;

			for (size_t t = 0; t < s->cpus.n; t++)
				uses_irq |= s->cpus.terms[t].kind == NT_CPUTERM_IRQ;
			snprintf(obj, sizeof(obj), "%s napi %u", d->name, n->id);
			if (uses_irq && !have_irq) {
				r = add_eval(b, k, s->name, d, obj, NULL, s->where, n->id, n->pid,
					     "NAPI has no IRQ to follow");
			} else {
				if (!eval_cpus(b, s, d, i, have_irq ? &irqset : NULL, &set))
					continue;
				r = nt_cpuset_format_list(&set, &want);
				if (r < 0)
					return r;
				r = add_eval(b, k, s->name, d, obj, want, s->where, n->id, n->pid,
					     NULL);
			}
			if (r < 0)
				return r;
		}
		return 0;
	}
	/* Probe per-NAPI support on the first instance; fall back device-wide. */
	if (fb && (b->stages & (1u << NT_STAGE_NAPI))) {
		struct nt_target t = {
			.ifname = d->name, .ifindex = d->ifindex, .index = d->napi[0].id};
		struct nt_err e = {};
		bool old = k->kmin && b->ctx->kver && b->ctx->kver < k->kmin;

		if (old || nt_fam_get(k->fam)->caps(b->ctx, k, &t, NULL, &e) == -EOPNOTSUPP)
			return plan_napi_fallback(b, d, s, old ? "kernel too old" : e.msg, by_knob);
	}
	for (unsigned int i = 0; i < d->n_napi; i++) {
		snprintf(obj, sizeof(obj), "%s napi %u", d->name, d->napi[i].id);
		r = add_eval(b, k, s->name, d, obj, s->value, s->where, d->napi[i].id,
			     d->napi[i].pid, NULL);
		if (r < 0)
			return r;
	}
	return 0;
}

static int plan_queues(struct builder *b, const struct nt_topo_dev *d, const struct nt_setting *s)
{
	bool rx = nt_knob_id(s->knob) != NT_KNOB_QUEUE_XPS_CPUS;
	unsigned int n = rx ? d->n_rx : d->n_tx;
	char obj[64];
	int r;

	if (n == 0) {
		snprintf(obj, sizeof(obj), "%s %s", d->name, rx ? "rx" : "tx");
		return add_eval(b, s->knob, s->name, d, obj, NULL, s->where, 0, -1,
				"device has no such queues in sysfs");
	}
	for (unsigned int q = 0; q < n; q++) {
		_cleanup_free_ char *cpus = NULL;
		const char *want = s->value;
		struct nt_cpuset set;

		if (s->knob->type == NT_T_CPUMASK) {
			if (!eval_cpus(b, s, d, q, NULL, &set))
				return 0;
			r = format_cpus(b, s->knob, &set, &cpus);
			if (r < 0)
				return r;
			want = cpus;
		}
		snprintf(obj, sizeof(obj), "%s %s-%u", d->name, rx ? "rx" : "tx", q);
		r = add_eval(b, s->knob, s->name, d, obj, want, s->where, q, -1, NULL);
		if (r < 0)
			return r;
	}
	return 0;
}

static int plan_irqs(struct builder *b, const struct nt_topo_dev *d, const struct nt_setting *s)
{
	_cleanup_free_ int *irqs = NULL;
	unsigned int n = 0;
	char obj[64];
	int r;

	irqs = calloc(d->n_rx + d->n_irq + 1, sizeof(int));
	if (!irqs)
		return -ENOMEM;
	/*
	 * Queue IRQs in queue order if known (the topology's one resolution: napi-get, else
	 * the IRQ names in /proc/interrupts, as napictl map shows), else every IRQ of the device.
	 */
	for (unsigned int q = 0; q < d->n_rx; q++) {
		bool dup = false;

		if (d->rx[q].irq < 0)
			continue;
		for (unsigned int j = 0; j < n; j++)
			dup |= irqs[j] == d->rx[q].irq;
		if (!dup)
			irqs[n++] = d->rx[q].irq;
	}
	if (n == 0)
		for (unsigned int j = 0; j < d->n_irq; j++)
			irqs[n++] = (int)d->irq[j].irq;
	if (n == 0) {
		snprintf(obj, sizeof(obj), "%s irq", d->name);
		return add_eval(b, s->knob, s->name, d, obj, NULL, s->where, 0, -1,
				"no IRQs found for this device (virtual device?)");
	}
	for (unsigned int i = 0; i < n; i++) {
		_cleanup_free_ char *want = NULL;
		struct nt_cpuset set;

		if (!eval_cpus(b, s, d, i, NULL, &set))
			return 0;
		if (nt_cpuset_is_empty(&set)) {
			nt_msgs_add(&b->plan->msgs, true, "%s: %s resolves to no CPU for '%s'",
				    s->where, s->name, d->name);
			return 0;
		}
		r = nt_cpuset_format_list(&set, &want);
		if (r < 0)
			return r;
		snprintf(obj, sizeof(obj), "%s irq %d", d->name, irqs[i]);
		r = add_eval(b, s->knob, s->name, d, obj, want, s->where, (unsigned int)irqs[i], -1,
			     NULL);
		if (r < 0)
			return r;
	}
	return 0;
}

/*
 * The CPUs RX queue @q's IRQ fires on, as far as the plan knows: the smp_affinity this plan
 * sets for that IRQ, else its effective affinity, else its affinity. False if unknown.
 */
static bool queue_irq_cpus(const struct builder *b, const struct nt_topo_dev *d, unsigned int q,
			   struct nt_cpuset *ret)
{
	const struct nt_topo_irq *x;
	int irq = d->rx[q].irq;

	if (irq < 0)
		return false;
	for (size_t i = b->plan->n; i > 0; i--) {
		const struct nt_change *c = &b->plan->c[i - 1];

		if (nt_knob_id(c->knob) == NT_KNOB_IRQ_AFFINITY &&
		    c->t.index == (unsigned int)irq && c->want &&
		    nt_cpuset_parse_list(c->want, ret, NULL) == 0)
			return true;
	}
	x = nt_topo_find_irq(d, irq);
	if (x && x->effective && x->effective[0] &&
	    nt_cpuset_parse_list(x->effective, ret, NULL) == 0)
		return true;
	return x && x->affinity && x->affinity[0] &&
	       nt_cpuset_parse_list(x->affinity, ret, NULL) == 0;
}

/*
 * rss.indir: { cpus: CPUs }: the table spread equally over the RX queues whose IRQs sit on
 * those CPUs (all the CPUs the IRQ may fire on within the set), through the one topology
 * model's queue -> IRQ resolution; planned as "queues Q0 Q1 ...", so the plan shows them.
 */
static int plan_rss_cpus(struct builder *b, const struct nt_topo_dev *d, const struct nt_setting *s)
{
	_cleanup_free_ char *want = NULL;
	struct nt_cpuset set, irq;
	size_t len;

	if (!eval_cpus(b, s, d, 0, NULL, &set))
		return 0;
	want = malloc(d->n_rx * 11 + sizeof("queues"));
	if (!want)
		return -ENOMEM;
	len = (size_t)sprintf(want, "queues");
	for (unsigned int q = 0; q < d->n_rx; q++)
		if (queue_irq_cpus(b, d, q, &irq) && !nt_cpuset_is_empty(&irq) &&
		    nt_cpuset_is_subset(&irq, &set))
			len += (size_t)sprintf(want + len, " %u", q);
	if (len == strlen("queues"))
		return add_eval(b, s->knob, s->name, d, d->name, NULL, s->where, 0, -1,
				"no RX queue's IRQ sits on those CPUs");
	return add_eval(b, s->knob, s->name, d, d->name, want, s->where, 0, -1, NULL);
}

static int plan_device(struct builder *b, const struct nt_topo_dev *d,
		       const struct nt_setting *const *by_knob)
{
	int r;

	/* Table order within a stage; stages are sorted afterwards. */
	for (size_t id = 0; id < _NT_KNOB_MAX; id++) {
		const struct nt_setting *s = by_knob[id];

		if (!s)
			continue;
		switch (s->knob->scope) {
		case NT_SCOPE_DEV:
			/*
			 * The kernel refuses "threaded" while a device has no NAPI instance
			 * (net-sysfs: EOPNOTSUPP), e.g. a driver that adds them on open and
			 * is down: napi-get (6.8+) tells; set it when they exist.
			 */
			if (id == NT_KNOB_RSS_INDIR && !strncmp(s->value, "cpus ", 5))
				r = plan_rss_cpus(b, d, s);
			else if (id == NT_KNOB_RSS_INDIR && d->n_rx &&
				 nt_rss_indir_queues(s->value) > (int)d->n_rx) {
				nt_msgs_add(&b->plan->msgs, true,
					    "%s: rss.indir '%s' needs %d RX queues, '%s' has %u",
					    s->where ?: "profile", s->value,
					    nt_rss_indir_queues(s->value), d->name, d->n_rx);
				r = add_eval(b, s->knob, s->name, d, d->name, NULL, s->where, 0, -1,
					     "more RX queues than the device has");
			} else if (id == NT_KNOB_DEV_THREADED &&
				   d->napi_src == NT_NAPI_SRC_NETLINK && d->n_napi == 0)
				r = add_eval(b, s->knob, s->name, d, d->name, NULL, s->where, 0, -1,
					     "no NAPI instances now (device down, or veth with GRO "
					     "off)");
			else
				r = add_eval(b, s->knob, s->name, d, d->name, s->value, s->where, 0,
					     -1, NULL);
			break;
		case NT_SCOPE_NAPI:
			r = plan_napi(b, d, s, by_knob);
			break;
		case NT_SCOPE_QUEUE:
			r = plan_queues(b, d, s);
			break;
		case NT_SCOPE_IRQ:
			r = plan_irqs(b, d, s);
			break;
		default:
			r = 0;
			break;
		}
		if (r < 0)
			return r;
	}
	return 0;
}

static bool has_glob(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

static void check_missing(struct builder *b, const struct nt_devblock *blk, size_t matched)
{
	const struct nt_devmatch *m = &blk->match;

	/* Named devices that do not exist. */
	for (size_t i = 0; i < m->n_names; i++) {
		const char *g = m->names[i];

		if (g[0] == '!' || has_glob(g) || nt_topo_find(b->topo, g))
			continue;
		nt_msgs_add(&b->plan->msgs, blk->required, "%s: %sdevice '%s' does not exist%s",
			    blk->where ?: "profile", blk->required ? "" : "warning: ", g,
			    blk->required ? " (required: true)" : ", skipped");
	}
	if (matched == 0 && !(m->n_names == 1 && !has_glob(m->names[0]) && m->names[0][0] != '!'))
		nt_msgs_add(&b->plan->msgs, blk->required, "%s: %sno device matches '%s'%s",
			    blk->where ?: "profile",
			    blk->required ? "" : "warning: ", m->text ?: "?",
			    blk->required ? " (required: true)" : "");
}

static int cmp_stage(const void *a, const void *b)
{
	const struct nt_change *x = a, *y = b;

	if (x->stage != y->stage)
		return (int)x->stage - (int)y->stage;
	return (x->seq > y->seq) - (x->seq < y->seq);
}

static bool block_selects(const struct nt_devblock *blk, const struct nt_topo_dev *d)
{
	if (!nt_devmatch_test(&blk->match, d->name, d->driver[0] ? d->driver : NULL, d->physical))
		return false;
	/* "all" never includes loopback: it has no queues worth tuning. */
	return !(blk->match.all && streq(d->name, "lo"));
}

bool nt_profile_selects(const struct nt_profile *p, const struct nt_topo_dev *d)
{
	for (size_t j = 0; p && j < p->n_blocks; j++)
		if (block_selects(&p->blocks[j], d))
			return true;
	return false;
}

int nt_plan_build(struct nt_ctx *ctx, const struct nt_profile *p, const struct nt_topo *topo,
		  unsigned int stages, struct nt_plan *ret)
{
	struct nt_plan plan = {};
	struct builder b = {.ctx = ctx, .p = p, .topo = topo, .stages = stages, .plan = &plan};
	_cleanup_free_ size_t *matched = NULL;
	int r;

	matched = calloc(p->n_blocks + 1, sizeof(*matched));
	if (!matched)
		return -ENOMEM;
	r = plan_sysctls(&b);
	if (r < 0)
		goto fail;
	for (unsigned int i = 0; i < topo->n; i++) {
		const struct nt_topo_dev *d = &topo->dev[i];
		const struct nt_setting *by_knob[_NT_KNOB_MAX] = {};
		bool any = false;

		for (size_t j = 0; j < p->n_blocks; j++) {
			const struct nt_devblock *blk = &p->blocks[j];

			if (!block_selects(blk, d))
				continue;
			matched[j]++;
			any = true;
			for (size_t k = 0; k < blk->n_settings; k++)
				by_knob[nt_knob_id(blk->settings[k].knob)] = &blk->settings[k];
		}
		if (!any)
			continue;
		r = plan_device(&b, d, by_knob);
		if (r < 0)
			goto fail;
	}
	for (size_t j = 0; j < p->n_blocks && !(stages & NT_PLAN_SUBSET); j++)
		check_missing(&b, &p->blocks[j], matched[j]);
	nt_plan_lint(&plan, ctx->root);
	if (plan.n)
		qsort(plan.c, plan.n, sizeof(*plan.c), cmp_stage);
	fix_targets(&plan);
	for (size_t i = 0; i < plan.n; i++) {
		const struct nt_change *c = &plan.c[i];

		/* Already right is pinned too: irqbalance would move it all the same. */
		if (c->knob->fam == NT_FAM_IRQ &&
		    (c->state == NT_CHANGE_SET || c->state == NT_CHANGE_SAME))
			plan.sets_irq_affinity = true;
		if (c->state != NT_CHANGE_SET)
			continue;
		if (c->knob->fam == NT_FAM_CHANNELS || c->knob->fam == NT_FAM_FEATURES ||
		    nt_knob_id(c->knob) == NT_KNOB_DEV_THREADED ||
		    nt_knob_id(c->knob) == NT_KNOB_NAPI_THREADED)
			plan.restructures = true;
	}
	/*
	 * One scan of /proc per apply (its IRQ stage), not one per stage, and only when IRQ
	 * affinity is in the plan: irqbalance concerns nothing else, and the daemon plans each
	 * device that appears.
	 */
	if ((stages & (1u << NT_STAGE_IRQ)) && plan.sets_irq_affinity)
		plan.irqbalance_running = nt_irqbalance_pid(ctx->root) >= 0;
	*ret = plan;
	return plan.msgs.n_errors ? -EINVAL : 0;
fail:
	nt_plan_done(&plan);
	return r;
}
