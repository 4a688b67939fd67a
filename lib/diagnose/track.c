// SPDX-License-Identifier: GPL-2.0-or-later
/* Findings over time (track.h): appear, change, clear, settle and the rate limit. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "macro.h"
#include "track.h"

static const char *const nt_track_kind_table[_NT_TRACK_KIND_MAX] = {
	[NT_TRACK_APPEAR] = "appear",
	[NT_TRACK_CHANGE] = "change",
	[NT_TRACK_CLEAR] = "clear",
};

DEFINE_STRING_TABLE_LOOKUP(nt_track_kind, enum nt_track_kind);

struct tracked {
	const struct nt_rule *rule;
	char dev[IF_NAMESIZE];
	int cpu;
	enum nt_level level;
	unsigned int lower; /* complete diagnoses in a row below level (or absent) */
	enum nt_level lower_to;
	uint64_t lost;
	char knob[48];
	char summary[192];
	bool seen; /* in the current diagnosis */
};

struct nt_tracker {
	struct nt_track_opts o;
	struct tracked *t;
	size_t n, cap;
	uint64_t window_start;
	unsigned int in_window, suppressed;
};

int nt_tracker_new(const struct nt_track_opts *o, struct nt_tracker **ret)
{
	struct nt_tracker *t;

	if (!o->settle || !o->burst || !o->window_ns || o->min_level <= NT_LEVEL_OK ||
	    o->min_level >= _NT_LEVEL_MAX)
		return -EINVAL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->o = *o;
	*ret = t;
	return 0;
}

struct nt_tracker *nt_tracker_free(struct nt_tracker *t)
{
	if (t) {
		free(t->t);
		free(t);
	}
	return NULL;
}

size_t nt_tracker_n_active(const struct nt_tracker *t)
{
	return t->n;
}

unsigned int nt_tracker_suppressed(const struct nt_tracker *t)
{
	return t->suppressed;
}

/* The same finding: the same rule about the same device, or about the same CPU. */
static bool same(const struct tracked *x, const struct nt_finding *f)
{
	if (x->rule != f->rule)
		return false;
	return f->dev[0] ? streq(x->dev, f->dev) : !x->dev[0] && x->cpu == f->cpu;
}

static void take_detail(struct tracked *x, const struct nt_finding *f)
{
	x->cpu = f->cpu;
	x->lost = f->lost;
	snprintf(x->knob, sizeof(x->knob), "%s", f->remedy.knob);
	snprintf(x->summary, sizeof(x->summary), "%s", f->summary);
}

struct events {
	struct nt_track_event *e;
	size_t n, cap;
};

static int emit(struct nt_tracker *t, struct events *ev, enum nt_track_kind kind,
		const struct tracked *x, enum nt_level old, enum nt_level level, uint64_t now)
{
	struct nt_track_event *e;

	if (now - t->window_start >= t->o.window_ns || !t->window_start) {
		t->window_start = now ?: 1;
		t->in_window = 0;
	}
	if (t->in_window >= t->o.burst) {
		t->suppressed++;
		return 0;
	}
	t->in_window++;
	if (ev->n == ev->cap) {
		size_t cap = ev->cap ? 2 * ev->cap : 8;
		void *p = realloc(ev->e, cap * sizeof(*ev->e));

		if (!p)
			return -ENOMEM;
		ev->e = p;
		ev->cap = cap;
	}
	e = &ev->e[ev->n++];
	*e = (struct nt_track_event){
		.kind = kind,
		.rule = x->rule,
		.cpu = x->cpu,
		.level = level,
		.old_level = old,
		.lost = x->lost,
		.suppressed = t->suppressed,
	};
	memcpy(e->dev, x->dev, sizeof(e->dev));
	memcpy(e->knob, x->knob, sizeof(e->knob));
	memcpy(e->summary, x->summary, sizeof(e->summary));
	t->suppressed = 0;
	return 0;
}

int nt_tracker_update(struct nt_tracker *t, const struct nt_diagnosis *d, bool complete,
		      uint64_t now_ns, struct nt_track_event **ret, size_t *ret_n)
{
	struct events ev = {};
	int r = 0;

	for (size_t i = 0; i < t->n; i++)
		t->t[i].seen = false;
	for (unsigned int i = 0; i < d->n && r >= 0; i++) {
		const struct nt_finding *f = &d->f[i];
		struct tracked *x = NULL;

		if (!f->rule || f->level < t->o.min_level)
			continue;
		for (size_t k = 0; k < t->n && !x; k++)
			if (same(&t->t[k], f))
				x = &t->t[k];
		if (x && x->seen) {
			/* twice in one diagnosis: the higher level counts */
			if (f->level > x->lower_to)
				x->lower_to = f->level;
			continue;
		}
		if (!x) {
			if (t->n == t->cap) {
				size_t cap = t->cap ? 2 * t->cap : 8;
				void *p = realloc(t->t, cap * sizeof(*t->t));

				if (!p) {
					r = -ENOMEM;
					break;
				}
				t->t = p;
				t->cap = cap;
			}
			x = &t->t[t->n++];
			*x = (struct tracked){.rule = f->rule, .level = NT_LEVEL_OK};
			snprintf(x->dev, sizeof(x->dev), "%s", f->dev);
		}
		x->seen = true;
		x->lower_to = f->level; /* this diagnosis's level, decided below */
		take_detail(x, f);
	}
	for (size_t i = 0; i < t->n && r >= 0; i++) {
		struct tracked *x = &t->t[i];
		enum nt_level now = x->seen ? x->lower_to : NT_LEVEL_OK;

		if (x->level == NT_LEVEL_OK) { /* new */
			x->level = now;
			x->lower = 0;
			r = emit(t, &ev, NT_TRACK_APPEAR, x, NT_LEVEL_OK, now, now_ns);
		} else if (now > x->level) {
			enum nt_level old = x->level;

			x->level = now;
			x->lower = 0;
			r = emit(t, &ev, NT_TRACK_CHANGE, x, old, now, now_ns);
		} else if (now == x->level) {
			x->lower = 0;
		} else if (complete && ++x->lower >= t->o.settle) {
			enum nt_level old = x->level;

			x->level = now;
			x->lower = 0;
			r = emit(t, &ev, now == NT_LEVEL_OK ? NT_TRACK_CLEAR : NT_TRACK_CHANGE, x,
				 old, now, now_ns);
		}
	}
	if (r < 0) {
		free(ev.e);
		return r;
	}
	/* drop the cleared ones */
	{
		size_t k = 0;

		for (size_t i = 0; i < t->n; i++)
			if (t->t[i].level != NT_LEVEL_OK)
				t->t[k++] = t->t[i];
		t->n = k;
	}
	*ret = ev.e;
	*ret_n = ev.n;
	return 0;
}
