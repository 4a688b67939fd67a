// SPDX-License-Identifier: GPL-2.0-or-later
/* napictl plan PROFILE: current -> desired for every knob; changes nothing. */
#include <stdio.h>

#include "log.h"
#include "tune-common.h"

static int verb_plan_run(struct napictl *ctl, int argc, char **argv)
{
	_cleanup_(nt_session_freep) struct nt_session *s = NULL;
	struct nt_plan plan = {};
	int r;

	if (argc != 2)
		return napictl_usage_error(ctl, "usage: napictl plan PROFILE");
	r = tune_session_open(ctl, &s);
	if (r < 0)
		return r;
	r = tune_session_plan(s, argv[1], false, &plan);
	if (r >= 0) {
		tune_print_changes(ctl, "plan", s, &plan, false, false);
		if (!ctl->json)
			tune_print_plan_footer(s, &plan);
	}
	nt_plan_done(&plan);
	return r;
}

const struct verb verb_plan = {
	.name = "plan",
	.args = "PROFILE",
	.summary = "show what applying a profile would change (same as apply --dry-run)",
	.help = "For every device, queue, IRQ and NAPI the profile names: current -> desired,\n"
		"or why it is unsupported here. Changes nothing.\n",
	.run = verb_plan_run,
};
