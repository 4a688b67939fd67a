// SPDX-License-Identifier: GPL-2.0-or-later
/* napictl revert: restore every journaled original; idempotent, works after a crash. */
#include <stdio.h>

#include "log.h"
#include "tune-common.h"

static int verb_revert_run(struct napictl *ctl, int argc, char **argv)
{
	_cleanup_(nt_session_freep) struct nt_session *s = NULL;
	struct nt_plan done = {};
	struct nt_err e = {};
	int r;

	(void)argv;
	if (argc != 1)
		return napictl_usage_error(ctl, "usage: napictl revert");
	r = tune_require_root(ctl, "revert");
	if (r < 0)
		return r;
	r = tune_session_open(ctl, &s);
	if (r < 0)
		return r;
	r = nt_session_revert(s, &done, &e);
	if (r < 0 && e.msg[0]) {
		log_error_errno(r, "%s", e.msg);
		goto out;
	}
	if (r == 0) {
		if (ctl->json)
			tune_print_changes(ctl, "revert", s, &done, false, true);
		else
			printf("nothing to revert: no profile is applied\n");
		goto out;
	}
	tune_print_msgs(&done.msgs);
	tune_print_changes(ctl, "revert", s, &done, false, true);
	if (r < 0)
		log_error_errno(r, "revert incomplete: the journal is kept; fix the cause and run "
				   "'napictl revert' again");
	else if (!ctl->json)
		printf("reverted: %zu restored, %zu already original, %zu gone\n",
		       nt_plan_count(&done, NT_CHANGE_SET), nt_plan_count(&done, NT_CHANGE_SAME),
		       nt_plan_count(&done, NT_CHANGE_UNSUPPORTED));
out:
	nt_plan_done(&done);
	return r < 0 ? r : 0;
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
