// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Revert: the journal's first original of every knob and object, written back newest
 * first (RPS/IRQ before channels: the reverse of apply), then irqbalance as it was, then
 * the journal removed. Idempotent: what already has its original is left alone, what is
 * gone is reported, and a failed revert keeps the journal for the next try.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "apply.h"
#include "irqbalance.h"
#include "write.h"

/* One change per journaled knob and object, its first original (the true one) as want. */
static int changes_of_journal(const struct nt_journal *j, struct nt_plan *done)
{
	int ret = 0;

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
			nt_msgs_add(&done->msgs, true, "journal names unknown knob '%s'", e->key);
			ret = -EBADMSG;
			continue;
		}
		c = realloc(done->c, (done->n + 1) * sizeof(*c));
		if (!c)
			return -ENOMEM;
		done->c = c;
		c = &done->c[done->n++];
		*c = (struct nt_change){ .knob = k,
					 .stage = nt_fam_stage(k->fam),
					 .key = strdup(e->key),
					 .object = strdup(e->object),
					 .ifname = e->ifname[0] ? strdup(e->ifname) : NULL,
					 .want = strdup(e->original),
					 .seq = (unsigned int)i };
		c->t = (struct nt_target){ .ifname = c->ifname,
					   .ifindex = e->ifindex,
					   .index = e->index,
					   .pid = e->pid,
					   .sysctl = k->fam == NT_FAM_SYSCTL ? c->key : NULL };
	}
	return ret;
}

static bool any(const struct nt_change *c _unused_)
{
	return true;
}

/* Writes back what differs from its original, group by group, newest first. */
static int restore(struct nt_ctx *ctx, const struct nt_apply_opts *opts, struct nt_plan *done)
{
	_cleanup_free_ struct nt_group *groups = NULL;
	unsigned int step = 0;
	size_t n_groups;
	int ret = 0, r;

	r = nt_change_groups(done->c, done->n, any, &groups, &n_groups);
	if (r < 0)
		return r;
	for (size_t k = n_groups; k-- > 0;) {
		struct nt_change *g[NT_GROUP_MAX];
		struct nt_err e = {};
		size_t n = 0;

		for (size_t i = groups[k].start; i < groups[k].end; i++) {
			struct nt_change *c = &done->c[i];
			struct nt_err re = {};

			r = nt_knob_read(ctx, c->knob, &c->t, &c->have, &re);
			if (r < 0) {
				c->have = NULL;
				c->result = NT_RESULT_GONE;
				c->state = NT_CHANGE_UNSUPPORTED;
				c->note = strdup(nt_err_msg(&re, r));
				continue;
			}
			c->state = nt_knob_value_equal(c->knob, c->have, c->want) ? NT_CHANGE_SAME
										   : NT_CHANGE_SET;
			if (c->state == NT_CHANGE_SET)
				g[n++] = c;
		}
		if (!n)
			continue;
		r = nt_before_write(opts, &step, g[0], &e);
		if (r >= 0)
			r = nt_write_group(ctx, g, n, false, &e);
		if (r < 0) {
			nt_group_failed(g, n, NT_RESULT_FAILED, nt_err_msg(&e, r));
			if (ret == 0)
				ret = r;
			continue;
		}
		for (size_t i = 0; i < n; i++)
			g[i]->result = NT_RESULT_WRITTEN;
	}
	return ret;
}

/* irqbalance last: it runs again only once our IRQs are back as they were. */
static int undo_irqbalance(struct nt_ctx *ctx, const struct nt_journal *j, struct nt_plan *done)
{
	for (size_t i = j->n_irqbalance; i > 0; i--) {
		struct nt_err e = {};
		int r = ctx->live ? nt_irqbalance_undo(ctx->root, j->irqbalance[i - 1], &e)
				  : nt_err_set(&e, -EOPNOTSUPP, "not the live system");

		if (r < 0) {
			nt_msgs_add(&done->msgs, true, "cannot undo irqbalance %s: %s",
				    j->irqbalance[i - 1], nt_err_msg(&e, r));
			return r;
		}
	}
	return 0;
}

int nt_revert(struct nt_ctx *ctx, struct nt_journal *j, const struct nt_apply_opts *opts,
	      struct nt_plan *ret_done)
{
	struct nt_plan done = {};
	int r;

	r = changes_of_journal(j, &done);
	if (r != -ENOMEM) {
		int rr = restore(ctx, opts, &done);

		if (r == 0)
			r = rr;
	}
	if (r == 0)
		r = undo_irqbalance(ctx, j, &done);
	if (r == 0 && nt_journal_exists(j)) {
		r = nt_journal_remove(j);
		if (r < 0)
			nt_msgs_add(&done.msgs, true, "cannot remove the journal: %s", strerror(-r));
	}
	*ret_done = done;
	return r;
}
