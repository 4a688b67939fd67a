/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Lints of a profile (when it loads) and of a plan (against the running system). */
#ifndef NT_LINT_H
#define NT_LINT_H

#include "msgs.h"
#include "profile.h"

struct nt_plan;
struct nt_root;

/* Warnings that need nothing but the profile (nt_profile_load calls it). */
void nt_profile_lint(const struct nt_profile *p, struct nt_msgs *msgs);
/* Warnings that compare the plan with the running system below @root (nt_plan_build). */
void nt_plan_lint(struct nt_plan *plan, const struct nt_root *root);

#endif
