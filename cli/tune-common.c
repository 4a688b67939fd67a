// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fs.h"
#include "log.h"
#include "nl.h"
#include "tune-common.h"

int tune_open(struct napictl *ctl, struct tune *t)
{
	struct nt_err e = {};
	int r;

	*t = (struct tune){};
	/* Netlink describes the live system only; fixture roots go without it. */
	if (streq(ctl->root_dir, "/")) {
		r = nt_nl_open(&t->nl);
		if (r < 0) {
			log_debug("no generic netlink: %s", strerror(-r));
			t->nl = NULL;
		}
	}
	r = nt_ctx_init(&t->ctx, ctl->root, t->nl, &e);
	if (r < 0)
		return log_error_errno(r, "%s", nt_err_msg(&e, r));
	return 0;
}

void tune_done(struct tune *t)
{
	nt_topo_done(&t->topo);
	nt_profile_free(t->profile);
	nt_nl_free(t->nl);
	*t = (struct tune){};
}

void tune_print_msgs(const struct nt_msgs *d)
{
	for (size_t i = 0; i < d->n; i++)
		fprintf(stderr, "%s\n", d->msg[i]);
	if (d->n_errors > d->n)
		fprintf(stderr, "... and more errors\n");
}

int tune_load(struct napictl *ctl, struct tune *t, const char *name_or_path, bool quiet)
{
	_cleanup_free_ char *path = NULL;
	struct nt_msgs d = {};
	struct nt_err e = {};
	int r;

	(void)ctl;
	r = nt_profile_find(name_or_path, nt_profile_dirs(), &path, &e);
	if (r < 0)
		return log_error_errno(r, "%s", nt_err_msg(&e, r));
	r = nt_profile_load(path, nt_profile_dirs(), &t->profile, &d);
	if (r < 0 || !quiet)
		tune_print_msgs(&d);
	if (r < 0) {
		log_error("profile '%s' is invalid (%zu error%s)", path, d.n_errors,
			  d.n_errors == 1 ? "" : "s");
		nt_msgs_done(&d);
		return -EINVAL;
	}
	nt_msgs_done(&d);
	return 0;
}

int tune_plan(struct napictl *ctl, struct tune *t, struct nt_plan *ret)
{
	int r;

	(void)ctl;
	nt_topo_done(&t->topo);
	r = nt_topo_read(t->ctx.root, t->ctx.nl, NULL, &t->topo, NULL);
	if (r < 0)
		return log_error_errno(r, "cannot list network devices: %m");
	r = nt_plan_build(&t->ctx, t->profile, &t->topo, NT_STAGES_ALL, ret);
	tune_print_msgs(&ret->msgs);
	if (r == -EINVAL)
		return log_error_errno(r, "profile '%s' cannot be applied on this machine",
				       t->profile->name);
	if (r < 0)
		return log_error_errno(r, "cannot plan: %m");
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

void tune_json_msgs(struct nt_json *j, const struct nt_msgs *d)
{
	nt_json_key(j, "errors");
	nt_json_begin_array(j);
	for (size_t i = 0; i < d->n; i++)
		if (d->is_error[i])
			nt_json_string(j, d->msg[i]);
	nt_json_end_array(j);
	nt_json_key(j, "warnings");
	nt_json_begin_array(j);
	for (size_t i = 0; i < d->n; i++)
		if (!d->is_error[i])
			nt_json_string(j, d->msg[i]);
	nt_json_end_array(j);
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

void tune_print_changes(struct napictl *ctl, const char *what, const struct tune *t,
			const struct nt_plan *plan, bool only_sets, bool results)
{
	struct nt_json j;

	if (!ctl->json) {
		print_text(plan, only_sets, results);
		return;
	}
	nt_json_init(&j, stdout, ctl->pretty);
	nt_json_begin_object(&j);
	nt_json_kv_string(&j, "verb", what);
	if (t && t->profile) {
		nt_json_kv_string(&j, "profile", t->profile->name);
		nt_json_kv_string(&j, "path", t->profile->path);
	}
	nt_json_kv_u64(&j, "change", nt_plan_count(plan, NT_CHANGE_SET));
	nt_json_kv_u64(&j, "same", nt_plan_count(plan, NT_CHANGE_SAME));
	nt_json_kv_u64(&j, "unsupported", nt_plan_count(plan, NT_CHANGE_UNSUPPORTED));
	nt_json_kv_bool(&j, "irqbalance_running", plan->irqbalance_running);
	if (t && t->profile)
		nt_json_kv_string(&j, "irqbalance",
				  nt_irqbalance_mode_to_string(t->profile->irqbalance));
	nt_json_kv_bool(&j, "restructures", plan->restructures);
	nt_json_key(&j, "changes");
	nt_json_begin_array(&j);
	for (size_t i = 0; i < plan->n; i++) {
		const struct nt_change *c = &plan->c[i];

		if (only_sets && c->state != NT_CHANGE_SET)
			continue;
		nt_json_begin_object(&j);
		nt_json_kv_string(&j, "key", c->key);
		nt_json_kv_string(&j, "object", c->object);
		nt_json_kv_string(&j, "scope", nt_scope_to_string(c->knob->scope));
		if (c->ifname)
			nt_json_kv_string(&j, "device", c->ifname);
		nt_json_kv_string(&j, "current", c->have);
		nt_json_kv_string(&j, "desired", c->want);
		nt_json_kv_string(&j, "state", nt_change_state_to_string(c->state));
		if (results)
			nt_json_kv_string(&j, "result", nt_change_result_to_string(c->result));
		if (c->note)
			nt_json_kv_string(&j, "note", c->note);
		if (c->error)
			nt_json_kv_string(&j, "error", c->error);
		if (c->where)
			nt_json_kv_string(&j, "source", c->where);
		nt_json_end_object(&j);
	}
	nt_json_end_array(&j);
	tune_json_msgs(&j, &plan->msgs);
	nt_json_end_object(&j);
	nt_json_finish(&j);
}

void tune_print_plan_footer(const struct tune *t, const struct nt_plan *plan)
{
	printf("\n%zu to change, %zu already set, %zu unsupported here\n",
	       nt_plan_count(plan, NT_CHANGE_SET), nt_plan_count(plan, NT_CHANGE_SAME),
	       nt_plan_count(plan, NT_CHANGE_UNSUPPORTED));
	if (plan->restructures)
		printf("note: channels/GRO/threaded change first; queues, NAPIs and IRQs are "
		       "re-resolved after that step\n");
	if (plan->sets_irq_affinity)
		printf("irqbalance: %s; profile says '%s'%s\n",
		       plan->irqbalance_running ? "running" : "not running",
		       nt_irqbalance_mode_to_string(t->profile->irqbalance),
		       plan->irqbalance_running && (t->profile->irqbalance == NT_IRQBALANCE_UNSET ||
						    t->profile->irqbalance == NT_IRQBALANCE_REFUSE)
			       ? ": apply will refuse"
			       : "");
}
