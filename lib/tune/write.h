/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Writing changes, shared by apply, its rollback and revert: changes are written in
 * groups, one family call per group (one netlink message per family and device, one SET
 * per NAPI), and every value is read back.
 */
#ifndef NT_WRITE_H
#define NT_WRITE_H

#include "apply.h"

/* Changes one family call writes at most. */
#define NT_GROUP_MAX 64

struct nt_group {
	size_t start, end; /* c[start..end) */
};

/*
 * Splits c[0..n) into write groups: runs of neighbours that @want accepts, of one family
 * and object (netlink families take several knobs of one object in one message; file
 * families one at a time), with equal results (a rollback restores what was written
 * apart from what failed), NT_GROUP_MAX at most. Changes @want refuses are in no group.
 * @ret is malloc'ed.
 */
int nt_change_groups(const struct nt_change *c, size_t n, bool (*want)(const struct nt_change *c),
		     struct nt_group **ret, size_t *ret_n);

/*
 * Writes g[0..n) (their want, or with @restore their original have) in one family call,
 * then reads every value back: -EIO with both values in reterr if one reads back
 * different.
 */
int nt_write_group(struct nt_ctx *ctx, struct nt_change **g, size_t n, bool restore,
		   struct nt_err *reterr);

/* The test seam of @opts before write number @step, counting it; 0 without one. */
int nt_before_write(const struct nt_apply_opts *opts, unsigned int *step, const struct nt_change *c,
		    struct nt_err *reterr);

/*
 * Writes @p back, newest group first (rollback and revert): of each group of the changes
 * @want selects, the members @pick returns true for (it reads the object and decides) are
 * written in one family call, their have with @restore, else their want, after the test
 * seam of @opts (may be NULL). @mark records each group's outcome (@r 0, or the error with
 * its message in @e). Every group is tried; returns the first error.
 */
int nt_write_back(struct nt_ctx *ctx, struct nt_plan *p, bool (*want)(const struct nt_change *c),
		  bool (*pick)(struct nt_ctx *ctx, struct nt_change *c), bool restore,
		  const struct nt_apply_opts *opts,
		  void (*mark)(struct nt_change **g, size_t n, int r, const struct nt_err *e));

/* Marks every change of @g failed with @msg. */
void nt_group_failed(struct nt_change **g, size_t n, enum nt_change_result result, const char *msg);

#endif
