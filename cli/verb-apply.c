// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * napictl apply [--dry-run|--check] PROFILE: transactional apply with a journal of
 * originals, read-back verification and rollback on any failure.
 */
#include <getopt.h>
#include <stdio.h>

#include "log.h"
#include "tune-common.h"

/* The outcome of an apply that started: what was rolled back, or what changed. */
static void print_result(struct napictl *ctl, const struct nt_session *s,
			 const struct nt_plan *done, int r)
{
	const char *name = s->profile->name;

	if (r < 0) {
		size_t bad = 0, undone = 0;

		for (size_t i = 0; i < done->n; i++) {
			bad += done->c[i].result == NT_RESULT_ROLLBACK_FAILED;
			undone += done->c[i].result == NT_RESULT_ROLLED_BACK;
		}
		if (bad)
			log_error("apply of '%s' failed and %zu change%s could not be rolled back; "
				  "the journal keeps the originals: run 'napictl revert'",
				  name, bad, bad == 1 ? "" : "s");
		else
			log_error("apply of '%s' failed; all %zu change%s written were rolled back",
				  name, undone, undone == 1 ? "" : "s");
	} else if (!ctl->json) {
		printf("applied profile '%s': %zu changed, %zu already set, %zu unsupported\n",
		       name, nt_plan_count(done, NT_CHANGE_SET),
		       nt_plan_count(done, NT_CHANGE_SAME),
		       nt_plan_count(done, NT_CHANGE_UNSUPPORTED));
	}
}

static int verb_apply_run(struct napictl *ctl, int argc, char **argv)
{
	static const struct option options[] = {
		{"dry-run", no_argument, NULL, 'n'}, {"check", no_argument, NULL, 'c'}, {}};
	_cleanup_(nt_session_freep) struct nt_session *s = NULL;
	struct nt_plan plan = {}, done = {};
	bool dry_run = false, check = false;
	struct nt_err e = {};
	int c, r;

	while ((c = getopt_long(argc, argv, "nc", options, NULL)) >= 0) {
		if (c == 'n')
			dry_run = true;
		else if (c == 'c')
			check = true;
		else
			return napictl_usage_error(ctl, "usage: napictl apply [--dry-run|--check] "
							"PROFILE");
	}
	if (argc - optind != 1 || (dry_run && check))
		return napictl_usage_error(ctl, "usage: napictl apply [--dry-run|--check] PROFILE");
	if (!dry_run && !check) {
		r = tune_require_root(ctl, "apply");
		if (r < 0)
			return r;
	}
	r = tune_session_open(ctl, &s);
	if (r < 0)
		return r;
	r = tune_session_plan(s, argv[optind], !dry_run && !check, &plan);
	if (r < 0)
		goto out;
	if (dry_run) {
		tune_print_changes(ctl, "plan", s, &plan, false, false);
		if (!ctl->json)
			tune_print_plan_footer(s, &plan);
		goto out;
	}
	if (check) {
		size_t n = nt_plan_count(&plan, NT_CHANGE_SET);

		tune_print_changes(ctl, "check", s, &plan, true, false);
		if (!ctl->json)
			printf("%zu setting%s differ%s from profile '%s'\n", n, n == 1 ? "" : "s",
			       n == 1 ? "s" : "", s->profile->name);
		r = n ? NAPICTL_EXIT_DRIFT : 0;
		goto out;
	}
	r = nt_session_apply(s, &plan, &done, &e);
	if (r < 0 && done.n == 0 && done.msgs.n == 0) {
		/* refused, or no journal: nothing was written */
		log_error_errno(r, "%s", nt_err_msg(&e, r));
		goto out;
	}
	tune_print_msgs(&done.msgs);
	tune_print_changes(ctl, "apply", s, &done, true, true);
	print_result(ctl, s, &done, r);
out:
	nt_plan_done(&done);
	nt_plan_done(&plan);
	return r;
}

const struct verb verb_apply = {
	.name = "apply",
	.args = "[--dry-run|--check] PROFILE",
	.summary = "apply a profile: journaled, verified, rolled back on any failure",
	.help = "Takes /run/napitune/lock, records every original value in\n"
		"/run/napitune/journal (fsync) before writing it, writes in a safe order\n"
		"(channels before RPS/XPS/IRQs), reads every value back, and on any failure\n"
		"restores everything already written, reporting the kernel's error per knob.\n"
		"With --netns=NAME the journal is that netns's own, /run/napitune/netns/COOKIE/\n"
		"journal: only 'napictl --netns=NAME revert' restores it.\n"
		"  -n, --dry-run  show the plan only (same as 'napictl plan')\n"
		"  -c, --check    change nothing; exit 0 if the system already matches,\n"
		"                 3 if it does not\n"
		"irqbalance: if it runs and the profile sets IRQ affinity, the profile's\n"
		"'irqbalance:' decides: ban (our IRQs), stop (until revert), ignore; else "
		"refuse.\n",
	.run = verb_apply_run,
};
