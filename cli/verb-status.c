// SPDX-License-Identifier: GPL-2.0-or-later
/* napictl status: the applied profile, when, and what it changed (from the journal). */
#include <stdio.h>
#include <time.h>

#include "log.h"
#include "tune-common.h"

static int verb_status_run(struct napictl *ctl, int argc, char **argv)
{
	_cleanup_(nt_journal_freep) struct nt_journal *j = NULL;
	const struct nt_journal_apply *a;
	struct nt_err e = {};
	struct nt_json js;
	char when[64] = "";
	int r;

	(void)argv;
	if (argc != 1)
		return napictl_usage_error(ctl, "usage: napictl status");
	r = nt_journal_open_dir(ctl->root, ctl->journal_dir, false, &j, &e);
	if (r < 0)
		return log_error_errno(r, "%s", nt_err_msg(&e, r));
	a = nt_journal_last(j);
	if (a) {
		struct tm tm;

		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&a->when, &tm));
	}
	if (ctl->json) {
		nt_json_init(&js, stdout, ctl->pretty);
		nt_json_begin_object(&js);
		nt_json_kv_bool(&js, "applied", a && a->committed);
		if (a) {
			nt_json_kv_string(&js, "profile", a->profile);
			nt_json_kv_string(&js, "path", a->path);
			nt_json_kv_string(&js, "when", when);
			nt_json_kv_bool(&js, "complete", a->committed);
		}
		nt_json_key(&js, "changes");
		nt_json_begin_array(&js);
		for (size_t i = 0; i < j->n; i++) {
			nt_json_begin_object(&js);
			nt_json_kv_string(&js, "key", j->e[i].key);
			nt_json_kv_string(&js, "object", j->e[i].object);
			nt_json_kv_string(&js, "original", j->e[i].original);
			nt_json_kv_string(&js, "applied", j->e[i].value);
			nt_json_end_object(&js);
		}
		nt_json_end_array(&js);
		nt_json_key(&js, "irqbalance");
		nt_json_begin_array(&js);
		for (size_t i = 0; i < j->n_irqbalance; i++)
			nt_json_string(&js, j->irqbalance[i]);
		nt_json_end_array(&js);
		nt_json_end_object(&js);
		nt_json_finish(&js);
		return 0;
	}
	if (!a) {
		printf("no profile applied\n");
		return 0;
	}
	printf("profile:  %s (%s)\napplied:  %s%s\nchanged:  %zu values\n", a->profile, a->path,
	       when, a->committed ? "" : "  INCOMPLETE: interrupted; run 'napictl revert'", j->n);
	for (size_t i = 0; i < j->n_irqbalance; i++)
		printf("irqbalance: %s\n", j->irqbalance[i]);
	for (size_t i = 0; i < j->n; i++)
		printf("  %-18s %-28s %s -> %s\n", j->e[i].object, j->e[i].key, j->e[i].original,
		       j->e[i].value);
	return 0;
}

const struct verb verb_status = {
	.name = "status",
	.args = "",
	.summary = "show the applied profile, when it was applied and what it changed",
	.run = verb_status_run,
};
