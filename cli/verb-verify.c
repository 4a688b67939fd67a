// SPDX-License-Identifier: GPL-2.0-or-later
/* napictl verify [PROFILE]: per-knob drift against a profile (default: the applied one). */
#include <stdio.h>

#include "log.h"
#include "tune-common.h"

static int verb_verify_run(struct napictl *ctl, int argc, char **argv)
{
	_cleanup_(nt_session_freep) struct nt_session *s = NULL;
	_cleanup_free_ char *applied = NULL;
	struct nt_plan plan = {};
	struct nt_err e = {};
	int r;

	if (argc > 2)
		return napictl_usage_error(ctl, "usage: napictl verify [PROFILE]");
	r = tune_session_open(ctl, &s);
	if (r < 0)
		return r;
	if (argc < 2) {
		r = nt_session_applied(s, &applied, &e);
		if (r == -ENOENT)
			return log_error_errno(r, "no profile is applied; name one: "
						  "napictl verify PROFILE");
		if (r < 0)
			return log_error_errno(r, "%s", nt_err_msg(&e, r));
	}
	r = tune_session_plan(s, applied ?: argv[1], true, &plan);
	if (r >= 0) {
		size_t drift = nt_plan_count(&plan, NT_CHANGE_SET);

		tune_print_changes(ctl, "verify", s, &plan, true, false);
		if (!ctl->json)
			printf("%s: %zu drifted, %zu match, %zu unsupported\n", s->profile->name,
			       drift, nt_plan_count(&plan, NT_CHANGE_SAME),
			       nt_plan_count(&plan, NT_CHANGE_UNSUPPORTED));
		r = drift ? NAPICTL_EXIT_DRIFT : 0;
	}
	nt_plan_done(&plan);
	return r;
}

const struct verb verb_verify = {
	.name = "verify",
	.args = "[PROFILE]",
	.summary = "report knobs that drifted from a profile (default: the applied one)",
	.help = "Exit status: 0 no drift, 3 drift (each drifted knob is listed), 1 error.\n",
	.run = verb_verify_run,
};
