// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * napictl check PROFILE: validates a profile (syntax, keys, types, ranges) and
 * resolves it on this machine (devices, CPUs, sysctls that exist) without writing.
 */
#include <stdio.h>

#include "log.h"
#include "tune-common.h"

static int verb_check_run(struct napictl *ctl, int argc, char **argv)
{
	_cleanup_(nt_session_freep) struct nt_session *s = NULL;
	struct nt_plan plan = {};
	struct nt_json j;
	int r;

	if (argc != 2)
		return napictl_usage_error(ctl, "usage: napictl check PROFILE");
	r = tune_session_open(ctl, &s);
	if (r < 0)
		return r;
	r = tune_session_plan(s, argv[1], false, &plan);
	if (ctl->json) {
		nt_json_init(&j, stdout, ctl->pretty);
		nt_json_begin_object(&j);
		nt_json_kv_string(&j, "profile", s->profile ? s->profile->name : argv[1]);
		nt_json_kv_bool(&j, "valid", r >= 0);
		nt_json_kv_u64(&j, "settings", plan.n);
		nt_json_kv_u64(&j, "unsupported", nt_plan_count(&plan, NT_CHANGE_UNSUPPORTED));
		nt_msgs_write_json(&plan.msgs, &j);
		nt_json_end_object(&j);
		nt_json_finish(&j);
	} else if (r >= 0) {
		printf("profile '%s' is valid: %zu settings here, %zu unsupported, %zu warnings\n",
		       s->profile->name, plan.n, nt_plan_count(&plan, NT_CHANGE_UNSUPPORTED),
		       plan.msgs.n - plan.msgs.n_errors);
		for (size_t i = 0; i < plan.n; i++)
			if (plan.c[i].state == NT_CHANGE_UNSUPPORTED)
				printf("  unsupported: %s on %s: %s\n", plan.c[i].key,
				       plan.c[i].object, plan.c[i].note ?: "");
	}
	nt_plan_done(&plan);
	return r < 0 ? r : 0;
}

const struct verb verb_check = {
	.name = "check",
	.args = "PROFILE",
	.summary = "validate a profile against this machine without changing anything",
	.help = "PROFILE is a name (searched in /etc/napitune/profiles, then\n"
		"/usr/share/napitune/profiles; $NAPITUNE_PROFILE_PATH overrides) or a file.\n"
		"Reports every error as FILE:LINE:COL, warnings for values worse than the\n"
		"kernel default, and knobs this kernel or device does not support.\n",
	.run = verb_check_run,
};
