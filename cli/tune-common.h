/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the profile verbs (check, plan, apply, verify, revert) share: they drive a
 * lib/tune session and present it. Everything here logs or prints; the work is in
 * lib/tune/session.c, which the daemon links as well.
 */
#ifndef NAPICTL_TUNE_COMMON_H
#define NAPICTL_TUNE_COMMON_H

#include "json.h"
#include "napictl.h"
#include "session.h"

/* Exit status of verify and apply --check when the system does not match. */
#define NAPICTL_EXIT_DRIFT 3

/* nt_session_open() on ctl's root and journal; logs why not. */
int tune_session_open(struct napictl *ctl, struct nt_session **ret);
/*
 * nt_session_load() and nt_session_plan(): prints the profile's errors (and warnings unless
 * @quiet) and the plan's, logs why either failed. @ret is filled even then.
 */
int tune_session_plan(struct nt_session *s, const char *name_or_path, bool quiet,
		      struct nt_plan *ret);
/* Prints messages to stderr (errors and warnings). */
void tune_print_msgs(const struct nt_msgs *d);
/* Prints a plan or an apply/revert result: a text table, or JSON with @verb. */
void tune_print_changes(struct napictl *ctl, const char *verb, const struct nt_session *s,
			const struct nt_plan *plan, bool only_sets, bool results);
/* Totals, the restructuring note and the irqbalance decision. */
void tune_print_plan_footer(const struct nt_session *s, const struct nt_plan *plan);
/* Refuses to write the live system without root: one message. */
int tune_require_root(struct napictl *ctl, const char *verb);

#endif
