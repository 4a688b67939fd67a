// SPDX-License-Identifier: GPL-2.0-or-later
/* napictl revert: restore every journaled original; idempotent, works after a crash. */
#include <stdio.h>

#include "log.h"
#include "tune-common.h"

static int verb_revert_run(struct napictl *ctl, int argc, char **argv)
{
	_cleanup_(nt_journal_freep) struct nt_journal *j = NULL;
	struct nt_plan done = {};
	struct nt_err e = {};
	struct tune t;
	int r;

	(void)argv;
	if (argc != 1)
		return napictl_usage_error(ctl, "usage: napictl revert");
	r = tune_require_root(ctl, "revert");
	if (r < 0)
		return r;
	r = tune_open(ctl, &t);
	if (r < 0)
		return r;
	r = nt_journal_open_dir(ctl->root, ctl->journal_dir, true, &j, &e);
	if (r < 0) {
		log_error_errno(r, "%s", nt_err_msg(&e, r));
		goto out;
	}
	if (!nt_journal_exists(j)) {
		if (ctl->json)
			tune_print_changes(ctl, "revert", NULL, &done, false, true);
		else
			printf("nothing to revert: no profile is applied\n");
		goto out;
	}
	r = nt_revert(&t.ctx, j, NULL, &done);
	tune_print_msgs(&done.msgs);
	tune_print_changes(ctl, "revert", NULL, &done, false, true);
	if (r < 0)
		log_error_errno(r, "revert incomplete: the journal is kept; fix the cause and run "
				   "'napictl revert' again");
	else if (!ctl->json)
		printf("reverted: %zu restored, %zu already original, %zu gone\n",
		       nt_plan_count(&done, NT_CHANGE_SET), nt_plan_count(&done, NT_CHANGE_SAME),
		       nt_plan_count(&done, NT_CHANGE_UNSUPPORTED));
out:
	nt_plan_done(&done);
	tune_done(&t);
	return r;
}

const struct verb verb_revert = {
	.name = "revert",
	.args = "",
	.summary = "restore every value the applied profile(s) changed",
	.help = "Restores the first original journaled for every knob, newest change first,\n"
		"then restarts irqbalance if apply stopped or banned it. Idempotent: with no\n"
		"journal it does nothing. Works after a crash or SIGKILL of apply.\n",
	.run = verb_revert_run,
};
