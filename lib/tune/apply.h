/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Transactional apply and revert. Apply walks the stages of plan.h; before each
 * stage it re-plans that stage on the current system (queues and NAPIs may have
 * changed), records every original in the journal (fsync) before writing it, writes
 * one group per family and object (one netlink message per family per device), and
 * reads every value back. On any failure it restores everything it wrote, in reverse
 * order, and reports the kernel's error per knob. Revert restores the journal's
 * first original of every knob, newest first, and is idempotent.
 */
#ifndef NT_APPLY_H
#define NT_APPLY_H

#include "journal.h"
#include "plan.h"

struct nt_apply_opts {
	/*
	 * Test seam: called before write number @step (0-based, one per group); a
	 * negative return fails that write as if the kernel had refused it.
	 */
	int (*before_write)(void *userdata, unsigned int step, const struct nt_change *c);
	void *userdata;
};

/*
 * Applies @p. @ret_done receives every change considered (all stages) with its
 * result; msgs collect plan errors and warnings. Returns 0, or the first failure's
 * -errno after rolling back (then every written change is NT_RESULT_ROLLED_BACK or
 * NT_RESULT_ROLLBACK_FAILED).
 */
int nt_apply(struct nt_ctx *ctx, const struct nt_profile *p, struct nt_journal *j,
	     const struct nt_apply_opts *opts, struct nt_plan *ret_done);

/*
 * Restores the journal. @ret_done lists one change per journaled knob (want =
 * original). Removes the journal if everything was restored (or is gone).
 * Returns 0 when there is nothing to revert.
 */
int nt_revert(struct nt_ctx *ctx, struct nt_journal *j, const struct nt_apply_opts *opts,
	      struct nt_plan *ret_done);

#endif
