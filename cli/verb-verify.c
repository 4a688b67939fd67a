// SPDX-License-Identifier: GPL-2.0-or-later
/* napictl verify [PROFILE]: per-knob drift against a profile (default: the applied one). */
#include <stdio.h>

#include "log.h"
#include "tune-common.h"

static int verb_verify_run(struct napictl *ctl, int argc, char **argv)
{
	_cleanup_(nt_journal_freep) struct nt_journal *j = NULL;
	const struct nt_journal_apply *a;
	struct nt_plan plan = {};
	struct nt_err e = {};
	const char *name;
	struct tune t;
	int r;

	if (argc > 2)
		return napictl_usage_error(ctl, "usage: napictl verify [PROFILE]");
	name = argc == 2 ? argv[1] : NULL;
	if (!name) {
		r = nt_journal_open_dir(ctl->root, ctl->journal_dir, false, &j, &e);
		if (r < 0)
			return log_error_errno(r, "%s", nt_err_msg(&e, r));
		a = nt_journal_last(j);
		if (!a || !a->committed)
			return log_error_errno(-ENOENT, "no profile is applied; name one: "
							"napictl verify PROFILE");
		name = a->path[0] ? a->path : a->profile;
	}
	r = tune_open(ctl, &t);
	if (r < 0)
		return r;
	r = tune_load(ctl, &t, name, true);
	if (r >= 0)
		r = tune_plan(ctl, &t, &plan);
	if (r >= 0) {
		size_t drift = nt_plan_count(&plan, NT_CHANGE_SET);

		tune_print_changes(ctl, "verify", &t, &plan, true, false);
		if (!ctl->json)
			printf("%s: %zu drifted, %zu match, %zu unsupported\n", t.profile->name,
			       drift, nt_plan_count(&plan, NT_CHANGE_SAME),
			       nt_plan_count(&plan, NT_CHANGE_UNSUPPORTED));
		r = drift ? NAPICTL_EXIT_DRIFT : 0;
	}
	nt_plan_done(&plan);
	tune_done(&t);
	return r;
}

const struct verb verb_verify = {
	.name = "verify",
	.args = "[PROFILE]",
	.summary = "report knobs that drifted from a profile (default: the applied one)",
	.help = "Exit status: 0 no drift, 3 drift (each drifted knob is listed), 1 error.\n",
	.run = verb_verify_run,
};
