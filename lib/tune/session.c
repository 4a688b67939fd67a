// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fs.h"
#include "irqbalance.h"
#include "json.h"
#include "nl.h"
#include "session.h"

int nt_session_open(const struct nt_root *root, const char *journal_dir, struct nt_session **ret,
		    struct nt_err *reterr)
{
	_cleanup_(nt_session_freep) struct nt_session *s = NULL;
	int r;

	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->root = root;
	if (journal_dir) {
		s->journal_dir = strdup(journal_dir);
		if (!s->journal_dir)
			return -ENOMEM;
	}
	/* Netlink describes the live system only; fixture roots go without it. */
	if (streq(nt_root_path(root), "/") && nt_nl_open(&s->nl) < 0)
		s->nl = NULL;
	r = nt_ctx_init(&s->ctx, root, s->nl, reterr);
	if (r < 0)
		return r;
	*ret = TAKE_PTR(s);
	return 0;
}

struct nt_session *nt_session_free(struct nt_session *s)
{
	if (!s)
		return NULL;
	nt_topo_done(&s->topo);
	nt_profile_free(s->profile);
	nt_nl_free(s->nl);
	free(s->journal_dir);
	free(s);
	return NULL;
}

int nt_session_load(struct nt_session *s, const char *name_or_path, struct nt_msgs *msgs,
		    struct nt_err *reterr)
{
	_cleanup_free_ char *path = NULL;
	int r;

	r = nt_profile_find(name_or_path, nt_profile_dirs(), &path, reterr);
	if (r < 0)
		return r;
	s->profile = nt_profile_free(s->profile);
	r = nt_profile_load(path, nt_profile_dirs(), &s->profile, msgs);
	if (r < 0)
		return nt_err_set(reterr, r, "profile '%s' is invalid (%zu error%s)", path,
				  msgs->n_errors, msgs->n_errors == 1 ? "" : "s");
	return 0;
}

int nt_session_plan(struct nt_session *s, struct nt_plan *ret, struct nt_err *reterr)
{
	int r;

	*ret = (struct nt_plan){};
	nt_topo_done(&s->topo);
	r = nt_topo_read(s->root, s->nl, NULL, &s->topo, NULL);
	if (r < 0)
		return nt_err_set(reterr, r, "cannot list network devices: %s", strerror(-r));
	r = nt_plan_build(&s->ctx, s->profile, &s->topo, NT_STAGES_ALL, ret);
	if (r == -EINVAL)
		return nt_err_set(reterr, r, "profile '%s' cannot be applied on this machine",
				  s->profile->name);
	if (r < 0)
		return nt_err_set(reterr, r, "cannot plan: %s", strerror(-r));
	return 0;
}

static int open_journal(const struct nt_session *s, bool lock, struct nt_journal **ret,
			struct nt_err *reterr)
{
	return nt_journal_open_dir(s->root, s->journal_dir, lock, ret, reterr);
}

int nt_session_apply(struct nt_session *s, const struct nt_plan *plan, struct nt_plan *ret_done,
		     struct nt_err *reterr)
{
	_cleanup_(nt_journal_freep) struct nt_journal *j = NULL;
	enum nt_irqbalance_mode mode = s->profile->irqbalance;
	bool warn = false;
	struct nt_err e = {};
	int act, r;

	*ret_done = (struct nt_plan){};
	act = nt_irqbalance_decide(mode, plan, &warn, reterr);
	if (act < 0)
		return act;
	r = open_journal(s, true, &j, reterr);
	if (r < 0)
		return r;
	if (act > 0) {
		r = nt_irqbalance_act(mode, s->root, j, plan, &e);
		if (r < 0)
			return nt_err_set(reterr, r, "irqbalance: %s", nt_err_msg(&e, r));
	}
	r = nt_apply(&s->ctx, s->profile, j, NULL, ret_done);
	if (warn)
		nt_msgs_add(
			&ret_done->msgs, false,
			"warning: irqbalance is running and may move the IRQs this profile pins "
			"(profile says irqbalance: ignore)");
	return r;
}

int nt_session_revert(struct nt_session *s, struct nt_plan *ret_done, struct nt_err *reterr)
{
	_cleanup_(nt_journal_freep) struct nt_journal *j = NULL;
	int r;

	*ret_done = (struct nt_plan){};
	r = open_journal(s, true, &j, reterr);
	if (r < 0)
		return r;
	if (!nt_journal_exists(j))
		return 0;
	r = nt_revert(&s->ctx, j, NULL, ret_done);
	return r < 0 ? r : 1;
}

int nt_session_applied(const struct nt_session *s, char **ret_name_or_path, struct nt_err *reterr)
{
	_cleanup_(nt_journal_freep) struct nt_journal *j = NULL;
	const struct nt_journal_apply *a;
	char *name;
	int r;

	r = open_journal(s, false, &j, reterr);
	if (r < 0)
		return r;
	a = nt_journal_last(j);
	if (!a || !a->committed)
		return nt_err_set(reterr, -ENOENT, "no profile is applied");
	name = strdup(a->path[0] ? a->path : a->profile);
	if (!name)
		return -ENOMEM;
	*ret_name_or_path = name;
	return 0;
}

void nt_session_write_json(const struct nt_session *s, const char *verb, const struct nt_plan *plan,
			   unsigned int flags, struct nt_json *j)
{
	const struct nt_profile *p = s ? s->profile : NULL;
	bool only_sets = flags & NT_SESSION_JSON_ONLY_SETS,
	     results = flags & NT_SESSION_JSON_RESULTS;

	nt_json_begin_object(j);
	nt_json_kv_string(j, "verb", verb);
	if (p) {
		nt_json_kv_string(j, "profile", p->name);
		nt_json_kv_string(j, "path", p->path);
	}
	nt_json_kv_u64(j, "change", nt_plan_count(plan, NT_CHANGE_SET));
	nt_json_kv_u64(j, "same", nt_plan_count(plan, NT_CHANGE_SAME));
	nt_json_kv_u64(j, "unsupported", nt_plan_count(plan, NT_CHANGE_UNSUPPORTED));
	nt_json_kv_bool(j, "irqbalance_running", plan->irqbalance_running);
	if (p)
		nt_json_kv_string(j, "irqbalance", nt_irqbalance_mode_to_string(p->irqbalance));
	nt_json_kv_bool(j, "restructures", plan->restructures);
	nt_json_key(j, "changes");
	nt_json_begin_array(j);
	for (size_t i = 0; i < plan->n; i++) {
		const struct nt_change *c = &plan->c[i];

		if (only_sets && c->state != NT_CHANGE_SET)
			continue;
		nt_json_begin_object(j);
		nt_json_kv_string(j, "key", c->key);
		nt_json_kv_string(j, "object", c->object);
		nt_json_kv_string(j, "scope", nt_scope_to_string(c->knob->scope));
		if (c->ifname)
			nt_json_kv_string(j, "device", c->ifname);
		nt_json_kv_string(j, "current", c->have);
		nt_json_kv_string(j, "desired", c->want);
		nt_json_kv_string(j, "state", nt_change_state_to_string(c->state));
		if (results)
			nt_json_kv_string(j, "result", nt_change_result_to_string(c->result));
		if (c->note)
			nt_json_kv_string(j, "note", c->note);
		if (c->error)
			nt_json_kv_string(j, "error", c->error);
		if (c->where)
			nt_json_kv_string(j, "source", c->where);
		nt_json_end_object(j);
	}
	nt_json_end_array(j);
	nt_msgs_write_json(&plan->msgs, j);
	nt_json_end_object(j);
}
