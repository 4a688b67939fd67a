// SPDX-License-Identifier: GPL-2.0-or-later
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apply.h"
#include "write.h"

static bool was_written(const struct nt_change *c)
{
	/* A failed write may have changed something (one message of several knobs). */
	return c->result == NT_RESULT_WRITTEN || c->result == NT_RESULT_FAILED;
}

/* Needs restoring only if it differs from the original (a refused write did not change it). */
static bool rollback_pick(struct nt_ctx *ctx, struct nt_change *x)
{
	_cleanup_free_ char *now = NULL;

	if (nt_knob_read(ctx, x->knob, &x->t, &now, NULL) >= 0 &&
	    nt_knob_value_equal(x->knob, now, x->have)) {
		if (x->result == NT_RESULT_WRITTEN)
			x->result = NT_RESULT_ROLLED_BACK;
		return false;
	}
	return true;
}

static void rollback_mark(struct nt_change **g, size_t n, int r, const struct nt_err *e)
{
	char msg[600];

	if (r < 0) {
		snprintf(msg, sizeof(msg), "rollback failed: %s", e->msg);
		nt_group_failed(g, n, NT_RESULT_ROLLBACK_FAILED, msg);
		return;
	}
	for (size_t i = 0; i < n; i++)
		if (g[i]->result == NT_RESULT_WRITTEN)
			g[i]->result = NT_RESULT_ROLLED_BACK;
}

/* Restores, newest group first, every change that was written or attempted. */
static int rollback(struct nt_ctx *ctx, struct nt_plan *done)
{
	return nt_write_back(ctx, done, was_written, rollback_pick, true, NULL, rollback_mark);
}

static int take_changes(struct nt_plan *dst, struct nt_plan *src)
{
	struct nt_change *c;

	if (src->n) {
		c = realloc(dst->c, (dst->n + src->n) * sizeof(*c));
		if (!c)
			return -ENOMEM;
		dst->c = c;
		memcpy(dst->c + dst->n, src->c, src->n * sizeof(*c));
		dst->n += src->n;
	}
	free(src->c);
	src->c = NULL;
	src->n = 0;
	for (size_t i = 0; i < src->msgs.n; i++)
		nt_msgs_add(&dst->msgs, src->msgs.is_error[i], "%s", src->msgs.msg[i]);
	nt_msgs_done(&src->msgs);
	dst->irqbalance_running |= src->irqbalance_running;
	dst->sets_irq_affinity |= src->sets_irq_affinity;
	dst->restructures |= src->restructures;
	return 0;
}

static bool structural(const struct nt_change *c)
{
	enum nt_knob_id id = nt_knob_id(c->knob);

	return c->knob->fam == NT_FAM_CHANNELS || c->knob->fam == NT_FAM_FEATURES ||
	       id == NT_KNOB_DEV_THREADED || id == NT_KNOB_NAPI_THREADED;
}

static bool is_set(const struct nt_change *c)
{
	return c->state == NT_CHANGE_SET;
}

/* Journals, writes and verifies one group; the originals are on disk before anything changes. */
static int apply_group(struct nt_ctx *ctx, struct nt_journal *j, const struct nt_apply_opts *opts,
		       struct nt_change **g, size_t n, unsigned int *step, bool *ret_reread)
{
	struct nt_err e = {};
	int r = 0;

	for (size_t x = 0; x < n && r >= 0; x++) {
		r = nt_journal_record(j, g[x]);
		if (r < 0)
			nt_err_set(&e, r, "cannot journal the original of %s on '%s': %s",
				   g[x]->key, g[x]->object, strerror(-r));
	}
	if (r >= 0)
		r = nt_before_write(opts, step, g[0], &e);
	if (r >= 0)
		r = nt_write_group(ctx, g, n, false, &e);
	if (r < 0) {
		nt_group_failed(g, n, NT_RESULT_FAILED, nt_err_msg(&e, r));
		return r;
	}
	for (size_t x = 0; x < n; x++) {
		g[x]->result = NT_RESULT_WRITTEN;
		if (structural(g[x]))
			*ret_reread = true;
	}
	return 0;
}

/* Every SET change of @st, group by group; stops at the first failure. */
static int run_stage(struct nt_ctx *ctx, struct nt_journal *j, const struct nt_apply_opts *opts,
		     struct nt_plan *st, unsigned int *step, bool *ret_reread)
{
	_cleanup_free_ struct nt_group *groups = NULL;
	size_t n_groups;
	int r;

	r = nt_change_groups(st->c, st->n, is_set, &groups, &n_groups);
	if (r < 0)
		return r;
	for (size_t k = 0; k < n_groups; k++) {
		struct nt_change *g[NT_GROUP_MAX];
		size_t n = 0;

		for (size_t i = groups[k].start; i < groups[k].end; i++)
			g[n++] = &st->c[i];
		r = apply_group(ctx, j, opts, g, n, step, ret_reread);
		if (r < 0)
			return r;
	}
	return 0;
}

int nt_apply(struct nt_ctx *ctx, const struct nt_profile *p, struct nt_journal *j,
	     const struct nt_apply_opts *opts, struct nt_plan *ret_done)
{
	struct nt_topo topo = {};
	struct nt_plan done = {};
	bool reread = true;
	unsigned int step = 0;
	int r = 0, rr;

	r = nt_journal_begin(j, p->name, p->path);
	if (r < 0) {
		nt_msgs_add(&done.msgs, true, "cannot write the journal /%s: %s", j->file,
			    strerror(-r));
		*ret_done = done;
		return r;
	}
	for (unsigned int stage = 0; stage < _NT_STAGE_MAX; stage++) {
		struct nt_plan st = {};

		if (reread) {
			nt_topo_done(&topo);
			r = nt_topo_read(ctx->root, ctx->nl, NULL, &topo, NULL);
			if (r < 0) {
				nt_msgs_add(&done.msgs, true, "cannot list network devices: %s",
					    strerror(-r));
				break;
			}
			reread = false;
		}
		r = nt_plan_build(ctx, p, &topo, 1u << stage, &st);
		if (r >= 0)
			r = run_stage(ctx, j, opts, &st, &step, &reread);
		rr = take_changes(&done, &st);
		nt_plan_done(&st);
		if (rr < 0 && r >= 0)
			r = rr;
		if (r < 0)
			break;
	}
	nt_topo_done(&topo);
	if (r < 0) {
		rr = rollback(ctx, &done);
		/* Fully restored: this apply never happened. Otherwise keep it for revert. */
		if (rr >= 0)
			(void)nt_journal_drop_current(j);
	} else {
		rr = nt_journal_commit(j);
		if (rr < 0)
			nt_msgs_add(&done.msgs, false,
				    "warning: cannot mark the journal complete: %s", strerror(-rr));
	}
	*ret_done = done;
	return r;
}
