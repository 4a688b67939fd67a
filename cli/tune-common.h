/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Shared by the profile verbs (check, plan, apply, verify, revert, status). */
#ifndef NAPICTL_TUNE_COMMON_H
#define NAPICTL_TUNE_COMMON_H

#include "apply.h"
#include "json.h"
#include "napictl.h"

/* Everything a profile verb works with; tune_done() releases it. */
struct tune {
	struct nt_nl *nl;
	struct nt_ctx ctx;
	struct nt_profile *profile;
	struct nt_topo topo;
};

/* Exit status of verify and apply --check when the system does not match. */
#define NAPICTL_EXIT_DRIFT 3

/* Opens netlink (if this kernel has it) and the context on ctl->root. Logs errors. */
int tune_open(struct napictl *ctl, struct tune *t);
void tune_done(struct tune *t);
/* Finds and loads a profile by name or path; prints its diagnostics. */
int tune_load(struct napictl *ctl, struct tune *t, const char *name_or_path, bool quiet_warnings);
/* Builds the full plan; prints its diagnostics. */
int tune_plan(struct napictl *ctl, struct tune *t, struct nt_plan *ret);
/* Prints diagnostics to stderr (errors and warnings). */
void tune_print_msgs(const struct nt_msgs *d);
/* Prints a plan or an apply/revert result: text table, or JSON with @what as the verb. */
void tune_print_changes(struct napictl *ctl, const char *what, const struct tune *t,
			const struct nt_plan *plan, bool only_sets, bool results);
/* Totals, the restructuring note and the irqbalance decision. */
void tune_print_plan_footer(const struct tune *t, const struct nt_plan *plan);
/* JSON helpers for the common parts. */
void tune_json_msgs(struct nt_json *j, const struct nt_msgs *d);
/* Refuses to write the live system without root: one message. */
int tune_require_root(struct napictl *ctl, const char *verb);

#endif
