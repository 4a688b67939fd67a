// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * napictl apply [--dry-run|--check] PROFILE: transactional apply with a journal of
 * originals, read-back verification and rollback on any failure.
 */
#include <getopt.h>
#include <stdio.h>

#include "irqbalance.h"
#include "log.h"
#include "tune-common.h"

static int irqbalance_decide(struct napictl *ctl, const struct tune *t, const struct nt_plan *plan)
{
	(void)ctl;
	if (!plan->sets_irq_affinity || !plan->irqbalance_running)
		return 0;
	switch (t->profile->irqbalance) {
	case NT_IRQBALANCE_IGNORE:
		log_warning("irqbalance is running and may move the IRQs this profile pins "
			    "(profile says irqbalance: ignore)");
		return 0;
	case NT_IRQBALANCE_BAN:
	case NT_IRQBALANCE_STOP:
		return 0; /* acted on once the journal is open */
	default:
		log_error("irqbalance is running and would undo this profile's IRQ affinity; "
			  "refusing. Set 'irqbalance: ban', 'stop' or 'ignore' in the profile");
		return -EBUSY;
	}
}

static int verb_apply_run(struct napictl *ctl, int argc, char **argv)
{
	static const struct option options[] = {
		{"dry-run", no_argument, NULL, 'n'}, {"check", no_argument, NULL, 'c'}, {}};
	_cleanup_(nt_journal_freep) struct nt_journal *j = NULL;
	struct nt_plan plan = {}, done = {};
	bool dry_run = false, check = false;
	struct nt_err e = {};
	struct tune t;
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
	r = tune_open(ctl, &t);
	if (r < 0)
		return r;
	r = tune_load(ctl, &t, argv[optind], dry_run || check ? false : true);
	if (r >= 0)
		r = tune_plan(ctl, &t, &plan);
	if (r < 0)
		goto out;
	if (dry_run) {
		tune_print_changes(ctl, "plan", &t, &plan, false, false);
		if (!ctl->json)
			tune_print_plan_footer(&t, &plan);
		goto out;
	}
	if (check) {
		tune_print_changes(ctl, "check", &t, &plan, true, false);
		if (!ctl->json)
			printf("%zu setting%s differ%s from profile '%s'\n",
			       nt_plan_count(&plan, NT_CHANGE_SET),
			       nt_plan_count(&plan, NT_CHANGE_SET) == 1 ? "" : "s",
			       nt_plan_count(&plan, NT_CHANGE_SET) == 1 ? "s" : "",
			       t.profile->name);
		r = nt_plan_count(&plan, NT_CHANGE_SET) ? NAPICTL_EXIT_DRIFT : 0;
		goto out;
	}
	r = irqbalance_decide(ctl, &t, &plan);
	if (r < 0)
		goto out;
	r = nt_journal_open_dir(ctl->root, ctl->journal_dir, true, &j, &e);
	if (r < 0) {
		log_error_errno(r, "%s", nt_err_msg(&e, r));
		goto out;
	}
	if (plan.sets_irq_affinity && plan.irqbalance_running &&
	    t.profile->irqbalance != NT_IRQBALANCE_IGNORE) {
		r = nt_irqbalance_act(t.profile->irqbalance, ctl->root, j, &plan, &e);
		if (r < 0) {
			log_error_errno(r, "irqbalance: %s", nt_err_msg(&e, r));
			goto out;
		}
	}
	r = nt_apply(&t.ctx, t.profile, j, NULL, &done);
	tune_print_msgs(&done.msgs);
	tune_print_changes(ctl, "apply", &t, &done, true, true);
	if (r < 0) {
		size_t bad = 0, undone = 0;

		for (size_t i = 0; i < done.n; i++) {
			bad += done.c[i].result == NT_RESULT_ROLLBACK_FAILED;
			undone += done.c[i].result == NT_RESULT_ROLLED_BACK;
		}
		if (bad)
			log_error("apply of '%s' failed and %zu change%s could not be rolled back; "
				  "the journal keeps the originals: run 'napictl revert'",
				  t.profile->name, bad, bad == 1 ? "" : "s");
		else
			log_error("apply of '%s' failed; all %zu change%s written were rolled back",
				  t.profile->name, undone, undone == 1 ? "" : "s");
	} else if (!ctl->json) {
		printf("applied profile '%s': %zu changed, %zu already set, %zu unsupported\n",
		       t.profile->name, nt_plan_count(&done, NT_CHANGE_SET),
		       nt_plan_count(&done, NT_CHANGE_SAME),
		       nt_plan_count(&done, NT_CHANGE_UNSUPPORTED));
	}
out:
	nt_plan_done(&done);
	nt_plan_done(&plan);
	tune_done(&t);
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
