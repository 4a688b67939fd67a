// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "irqbalance.h"
#include "log.h"
#include "tune-common.h"

int tune_session_open(struct napictl *ctl, struct nt_session **ret)
{
	struct nt_err e = {};
	int r;

	r = nt_session_open(ctl->root, ctl->journal_dir, ret, &e);
	if (r < 0)
		return log_error_errno(r, "%s", nt_err_msg(&e, r));
	return 0;
}

void tune_print_msgs(const struct nt_msgs *d)
{
	for (size_t i = 0; i < d->n; i++)
		fprintf(stderr, "%s\n", d->msg[i]);
	if (d->n_errors > d->n)
		fprintf(stderr, "... and more errors\n");
}

int tune_session_plan(struct nt_session *s, const char *name_or_path, bool quiet,
		      struct nt_plan *ret)
{
	struct nt_msgs msgs = {};
	struct nt_err e = {};
	int r;

	*ret = (struct nt_plan){};
	r = nt_session_load(s, name_or_path, &msgs, &e);
	if (r < 0 || !quiet)
		tune_print_msgs(&msgs);
	nt_msgs_done(&msgs);
	if (r >= 0) {
		r = nt_session_plan(s, ret, &e);
		tune_print_msgs(&ret->msgs);
	}
	if (r < 0)
		return log_error_errno(r, "%s", nt_err_msg(&e, r));
	return 0;
}

int tune_require_root(struct napictl *ctl, const char *verb)
{
	if (geteuid() != 0 && streq(ctl->root_dir, "/")) {
		log_error("'napictl %s' changes the system and must run as root", verb);
		return -EPERM;
	}
	return 0;
}

static void print_text(const struct nt_plan *plan, bool only_sets, bool results)
{
	for (size_t i = 0; i < plan->n; i++) {
		const struct nt_change *c = &plan->c[i];
		_cleanup_free_ char *have = NULL, *want = NULL;

		if (only_sets && c->state != NT_CHANGE_SET)
			continue;
		if (c->have)
			(void)nt_knob_format(c->knob, c->have, &have);
		if (c->want)
			(void)nt_knob_format(c->knob, c->want, &want);
		printf("%-18s %-28s ", c->object, c->key);
		switch (c->state) {
		case NT_CHANGE_SET:
			printf("%s -> %s", have ?: "?", want ?: "?");
			break;
		case NT_CHANGE_SAME:
			printf("%s (unchanged)", have ?: "?");
			break;
		default:
			printf("unsupported, skipped");
			break;
		}
		if (results && c->result != NT_RESULT_NONE)
			printf("  [%s]", nt_change_result_to_string(c->result));
		if (c->note)
			printf("  (%s)", c->note);
		if (c->error)
			printf("\n%-18s   error: %s", "", c->error);
		printf("\n");
	}
}

void tune_print_changes(struct napictl *ctl, const char *verb, const struct nt_session *s,
			const struct nt_plan *plan, bool only_sets, bool results)
{
	struct nt_json j;

	if (!ctl->json) {
		print_text(plan, only_sets, results);
		return;
	}
	nt_json_init(&j, stdout, ctl->pretty);
	nt_session_write_json(s, verb, plan,
			      (only_sets ? NT_SESSION_JSON_ONLY_SETS : 0) |
				      (results ? NT_SESSION_JSON_RESULTS : 0),
			      &j);
	nt_json_finish(&j);
}

void tune_print_plan_footer(const struct nt_session *s, const struct nt_plan *plan)
{
	enum nt_irqbalance_mode mode = s->profile->irqbalance;

	printf("\n%zu to change, %zu already set, %zu unsupported here\n",
	       nt_plan_count(plan, NT_CHANGE_SET), nt_plan_count(plan, NT_CHANGE_SAME),
	       nt_plan_count(plan, NT_CHANGE_UNSUPPORTED));
	if (plan->restructures)
		printf("note: channels/GRO/threaded change first; queues, NAPIs and IRQs are "
		       "re-resolved after that step\n");
	if (plan->sets_irq_affinity)
		printf("irqbalance: %s; profile says '%s'%s\n",
		       plan->irqbalance_running ? "running" : "not running",
		       nt_irqbalance_mode_to_string(mode),
		       nt_irqbalance_decide(mode, plan, NULL, NULL) == -EBUSY
			       ? ": apply will refuse"
			       : "");
}
