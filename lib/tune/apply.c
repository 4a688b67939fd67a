// SPDX-License-Identifier: GPL-2.0-or-later
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apply.h"
#include "irqbalance.h"

/* Netlink families take several knobs of one object in one message. */
static bool same_group(const struct nt_change *a, const struct nt_change *b)
{
	if (a->knob->fam != b->knob->fam)
		return false;
	switch (a->knob->fam) {
	case NT_FAM_RINGS:
	case NT_FAM_CHANNELS:
	case NT_FAM_COALESCE:
		return a->t.ifindex == b->t.ifindex && a->ifname && b->ifname &&
		       streq(a->ifname, b->ifname);
	case NT_FAM_NAPI:
		return a->t.index == b->t.index;
	default:
		return false;
	}
}

static void set_error(struct nt_change *c, const char *msg)
{
	free(c->error);
	c->error = strdup(msg);
}

/*
 * Writes g[0..n) (their want, or their original have with @restore) in one family
 * call, then reads every value back.
 */
static int write_group(struct nt_ctx *ctx, struct nt_change **g, size_t n, bool restore,
		       struct nt_err *reterr)
{
	const struct nt_fam_ops *ops = nt_fam_get(g[0]->knob->fam);
	_cleanup_free_ struct nt_write *w = calloc(n, sizeof(*w));
	int r;

	if (!w)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		w[i] = (struct nt_write){.knob = g[i]->knob,
					 .value = restore ? g[i]->have : g[i]->want};
	r = ops->apply(ctx, &g[0]->t, w, n, reterr);
	if (r < 0)
		return r;
	for (size_t i = 0; i < n; i++) {
		_cleanup_free_ char *now = NULL;
		struct nt_err e = {};

		r = ops->read(ctx, g[i]->knob, &g[i]->t, &now, &e);
		if (r < 0)
			return nt_err_set(reterr, r,
					  "%s on '%s': written, but cannot read it back: %s",
					  g[i]->key, g[i]->object, nt_err_msg(&e, r));
		if (!nt_knob_value_equal(g[i]->knob, now, w[i].value))
			return nt_err_set(reterr, -EIO,
					  "%s on '%s': wrote '%s' but the kernel reads back '%s'",
					  g[i]->key, g[i]->object, w[i].value, now);
	}
	return 0;
}

/* Restores, newest first, every change that was written or attempted. */
static int rollback(struct nt_ctx *ctx, struct nt_plan *done)
{
	int ret = 0;

	for (size_t end = done->n; end > 0;) {
		struct nt_change *g[64];
		size_t start = end - 1, n = 0;
		struct nt_change *c = &done->c[start];
		struct nt_err e = {};
		int r;

		if (c->result != NT_RESULT_WRITTEN && c->result != NT_RESULT_FAILED) {
			end--;
			continue;
		}
		while (start > 0 && end - start < ARRAY_SIZE(g) &&
		       done->c[start - 1].result == c->result && same_group(&done->c[start - 1], c))
			start--;
		for (size_t i = start; i < end; i++) {
			struct nt_change *x = &done->c[i];
			_cleanup_free_ char *now = NULL;

			/* Only what actually differs from the original (a refused write did not).
			 */
			if (nt_fam_get(x->knob->fam)->read(ctx, x->knob, &x->t, &now, NULL) >= 0 &&
			    nt_knob_value_equal(x->knob, now, x->have)) {
				if (x->result == NT_RESULT_WRITTEN)
					x->result = NT_RESULT_ROLLED_BACK;
				continue;
			}
			g[n++] = x;
		}
		if (n) {
			r = write_group(ctx, g, n, true, &e);
			for (size_t i = 0; i < n; i++) {
				if (r < 0) {
					char msg[600];

					snprintf(msg, sizeof(msg), "rollback failed: %s", e.msg);
					set_error(g[i], msg);
					g[i]->result = NT_RESULT_ROLLBACK_FAILED;
				} else if (g[i]->result == NT_RESULT_WRITTEN) {
					g[i]->result = NT_RESULT_ROLLED_BACK;
				}
			}
			if (r < 0 && ret == 0)
				ret = r;
		}
		end = start;
	}
	return ret;
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

/* Journals, writes and verifies every SET change of @st; stops at the first failure. */
static int run_stage(struct nt_ctx *ctx, struct nt_journal *j, const struct nt_apply_opts *opts,
		     struct nt_plan *st, unsigned int *step, bool *ret_reread)
{
	for (size_t i = 0; i < st->n;) {
		struct nt_change *g[64];
		size_t k = i + 1, n = 0;
		struct nt_err e = {};
		int r;

		if (st->c[i].state != NT_CHANGE_SET) {
			i++;
			continue;
		}
		while (k < st->n && k - i < ARRAY_SIZE(g) && st->c[k].state == NT_CHANGE_SET &&
		       same_group(&st->c[i], &st->c[k]))
			k++;
		for (size_t x = i; x < k; x++)
			g[n++] = &st->c[x];
		/* The originals are on disk before anything changes. */
		for (size_t x = 0; x < n; x++) {
			r = nt_journal_record(j, g[x]);
			if (r < 0) {
				nt_err_set(&e, r, "cannot journal the original of %s on '%s': %s",
					   g[x]->key, g[x]->object, strerror(-r));
				goto fail;
			}
		}
		r = opts && opts->before_write ? opts->before_write(opts->userdata, *step, g[0])
					       : 0;
		(*step)++;
		if (r < 0)
			nt_err_set(&e, r, "%s on '%s': %s", g[0]->key, g[0]->object, strerror(-r));
		else
			r = write_group(ctx, g, n, false, &e);
		if (r < 0)
			goto fail;
		for (size_t x = 0; x < n; x++) {
			g[x]->result = NT_RESULT_WRITTEN;
			if (structural(g[x]))
				*ret_reread = true;
		}
		i = k;
		continue;
	fail:
		for (size_t x = 0; x < n; x++) {
			g[x]->result = NT_RESULT_FAILED;
			set_error(g[x], nt_err_msg(&e, r));
		}
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
				     "warning: cannot mark the journal complete: %s",
				     strerror(-rr));
	}
	*ret_done = done;
	return r;
}

int nt_revert(struct nt_ctx *ctx, struct nt_journal *j, const struct nt_apply_opts *opts,
	      struct nt_plan *ret_done)
{
	struct nt_plan done = {};
	unsigned int step = 0;
	int ret = 0;

	/* One change per knob and object: the first original recorded is the true one. */
	for (size_t i = 0; i < j->n; i++) {
		const struct nt_journal_entry *e = &j->e[i];
		const struct nt_knob *k = nt_knob_lookup(e->key);
		struct nt_change *c;
		bool seen = false;

		for (size_t x = 0; x < i; x++)
			seen |= streq(j->e[x].key, e->key) && streq(j->e[x].object, e->object);
		if (seen)
			continue;
		if (!k) {
			nt_msgs_add(&done.msgs, true, "journal names unknown knob '%s'", e->key);
			ret = -EBADMSG;
			continue;
		}
		c = realloc(done.c, (done.n + 1) * sizeof(*c));
		if (!c) {
			ret = -ENOMEM;
			break;
		}
		done.c = c;
		c = &done.c[done.n++];
		*c = (struct nt_change){.knob = k,
					.stage = nt_fam_stage(k->fam),
					.key = strdup(e->key),
					.object = strdup(e->object),
					.ifname = e->ifname[0] ? strdup(e->ifname) : NULL,
					.want = strdup(e->original),
					.seq = (unsigned int)i};
		c->t = (struct nt_target){.ifname = c->ifname,
					  .ifindex = e->ifindex,
					  .index = e->index,
					  .pid = e->pid,
					  .sysctl = k->fam == NT_FAM_SYSCTL ? c->key : NULL};
	}
	/* Newest first: RPS/IRQ before channels, the reverse of apply. */
	for (size_t end = done.n; end > 0 && ret != -ENOMEM;) {
		struct nt_change *g[64];
		size_t start = end - 1, n = 0;
		struct nt_err e = {};
		int r;

		while (start > 0 && end - start < ARRAY_SIZE(g) &&
		       same_group(&done.c[start - 1], &done.c[end - 1]))
			start--;
		for (size_t i = start; i < end; i++) {
			struct nt_change *c = &done.c[i];
			struct nt_err re = {};

			r = nt_fam_get(c->knob->fam)->read(ctx, c->knob, &c->t, &c->have, &re);
			if (r < 0) {
				c->have = NULL;
				c->result = NT_RESULT_GONE;
				c->state = NT_CHANGE_UNSUPPORTED;
				c->note = strdup(nt_err_msg(&re, r));
				continue;
			}
			if (nt_knob_value_equal(c->knob, c->have, c->want)) {
				c->state = NT_CHANGE_SAME;
				continue;
			}
			c->state = NT_CHANGE_SET;
			g[n++] = c;
		}
		if (n) {
			r = opts && opts->before_write
				    ? opts->before_write(opts->userdata, step, g[0])
				    : 0;
			step++;
			if (r < 0)
				nt_err_set(&e, r, "%s on '%s': %s", g[0]->key, g[0]->object,
					   strerror(-r));
			else
				r = write_group(ctx, g, n, false, &e);
			for (size_t i = 0; i < n; i++) {
				g[i]->result = r < 0 ? NT_RESULT_FAILED : NT_RESULT_WRITTEN;
				if (r < 0)
					set_error(g[i], nt_err_msg(&e, r));
			}
			if (r < 0 && ret == 0)
				ret = r;
		}
		end = start;
	}
	/* irqbalance last: it runs again only once our IRQs are back as they were. */
	for (size_t i = j->n_irqbalance; ret == 0 && i > 0; i--) {
		struct nt_err e = {};
		int r = ctx->live ? nt_irqbalance_undo(ctx->root, j->irqbalance[i - 1], &e)
				  : nt_err_set(&e, -EOPNOTSUPP, "not the live system");

		if (r < 0) {
			nt_msgs_add(&done.msgs, true, "cannot undo irqbalance %s: %s",
				     j->irqbalance[i - 1], nt_err_msg(&e, r));
			ret = r;
		}
	}
	if (ret == 0 && nt_journal_exists(j)) {
		int r = nt_journal_remove(j);

		if (r < 0) {
			nt_msgs_add(&done.msgs, true, "cannot remove the journal: %s",
				     strerror(-r));
			ret = r;
		}
	}
	*ret_done = done;
	return ret;
}
