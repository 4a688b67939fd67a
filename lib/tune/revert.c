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
	return ret;
}

static bool any(const struct nt_change *c _unused_)
{
	return true;
}

/* Reads the object: gone, already original, or to be written back. */
static bool revert_pick(struct nt_ctx *ctx, struct nt_change *c)
{
	struct nt_err e = {};
	int r;

	r = nt_knob_read(ctx, c->knob, &c->t, &c->have, &e);
	if (r < 0) {
		c->have = NULL;
		c->result = NT_RESULT_GONE;
		c->state = NT_CHANGE_UNSUPPORTED;
		c->note = strdup(nt_err_msg(&e, r));
		return false;
	}
	c->state = nt_knob_value_equal(c->knob, c->have, c->want) ? NT_CHANGE_SAME : NT_CHANGE_SET;
	return c->state == NT_CHANGE_SET;
}

static void revert_mark(struct nt_change **g, size_t n, int r, const struct nt_err *e)
{
	if (r < 0) {
		nt_group_failed(g, n, NT_RESULT_FAILED, nt_err_msg(e, r));
		return;
	}
	for (size_t i = 0; i < n; i++)
		g[i]->result = NT_RESULT_WRITTEN;
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
		/* newest first: RPS/IRQ before channels, the reverse of apply */
		int rr = nt_write_back(ctx, &done, any, revert_pick, false, opts, revert_mark);

		if (r == 0)
			r = rr;
	}
	if (r == 0)
		r = undo_irqbalance(ctx, j, &done);
	if (r == 0 && nt_journal_exists(j)) {
		r = nt_journal_remove(j);
		if (r < 0)
			nt_msgs_add(&done.msgs, true, "cannot remove the journal: %s",
				    strerror(-r));
	}
	*ret_done = done;
	return r;
}
