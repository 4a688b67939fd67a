// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * napictl status: the applied profile, when, and what it changed (from the journal), and
 * the daemon's view of it (from its state file, which anyone may read: without root the
 * journal is closed, and the daemon's list of changes is shown instead).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "daemon-state.h"
#include "log.h"
#include "tune-common.h"

static void iso_time(int64_t t, char *buf, size_t size)
{
	time_t tt = (time_t)t;
	struct tm tm;

	buf[0] = '\0';
	if (t > 0)
		strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&tt, &tm));
}

static void json_daemon(struct nt_json *js, const struct nt_daemon_state *st, bool alive)
{
	char started[32], last[32];

	iso_time(st->started, started, sizeof(started));
	iso_time(st->last_apply, last, sizeof(last));
	nt_json_key(js, "daemon");
	nt_json_begin_object(js);
	nt_json_kv_bool(js, "running", alive);
	nt_json_kv_u64(js, "pid", (uint64_t)st->pid);
	nt_json_kv_string(js, "state", st->state ?: "");
	nt_json_kv_string(js, "status", st->status ?: "");
	nt_json_kv_string(js, "config", st->config ?: "");
	nt_json_kv_string(js, "profile", st->profile ?: "");
	nt_json_kv_string(js, "path", st->profile_path ?: "");
	nt_json_kv_bool(js, "adopted", st->adopted);
	nt_json_kv_string(js, "started", started);
	nt_json_kv_string(js, "last_apply", last);
	nt_json_kv_string(js, "last_result", st->last_result ?: "");
	nt_json_kv_u64(js, "devices", st->devices);
	nt_json_kv_u64(js, "changed", st->changed);
	nt_json_kv_u64(js, "unsupported", st->unsupported);
	nt_json_kv_u64(js, "drift", st->drift);
	nt_json_kv_u64(js, "reasserts", st->reasserts);
	nt_json_kv_u64(js, "backed_off", st->backed_off);
	nt_json_kv_u64(js, "reloads", st->reloads);
	nt_json_kv_u64(js, "napi_kept", st->napi_kept);
	nt_json_kv_u64(js, "napi_reapplied", st->napi_reapplied);
	nt_json_end_object(js);
}

static void print_daemon(const struct nt_daemon_state *st, bool alive)
{
	char started[32], last[32];

	iso_time(st->started, started, sizeof(started));
	iso_time(st->last_apply, last, sizeof(last));
	if (!alive) {
		printf("daemon:   not running (its state file names pid %d, which is gone: it was "
		       "killed or crashed; systemd restarts it)\n",
		       st->pid);
		return;
	}
	printf("daemon:   %s (pid %d, since %s)\n          %s\n", st->state ?: "?", st->pid,
	       started, st->status ?: "");
	printf("          profile %s%s, last apply %s: %s\n", st->profile ?: "?",
	       st->adopted ? " (applied by napictl)" : "", last[0] ? last : "never",
	       st->last_result ?: "?");
	printf("          drift: %" PRIu64 " seen, %" PRIu64 " values written again, %" PRIu64
	       " given up on; config %s\n",
	       st->drift, st->reasserts, st->backed_off, st->config ?: "?");
	if (st->napi_kept || st->napi_reapplied)
		printf("          NAPIs re-created: %" PRIu64 " times their per-NAPI settings were "
		       "kept by the kernel, %" PRIu64 " times applied again\n",
		       st->napi_kept, st->napi_reapplied);
}

static void json_change(struct nt_json *js, const char *key, const char *object,
			const char *original, const char *applied)
{
	nt_json_begin_object(js);
	nt_json_kv_string(js, "key", key);
	nt_json_kv_string(js, "object", object);
	nt_json_kv_string(js, "original", original);
	nt_json_kv_string(js, "applied", applied);
	nt_json_end_object(js);
}

/* From the journal (root), else from the daemon's state file. */
static void json_changes(struct nt_json *js, const struct nt_journal *j,
			 const struct nt_daemon_state *st)
{
	nt_json_key(js, "changes");
	nt_json_begin_array(js);
	for (size_t i = 0; j && i < j->n; i++)
		json_change(js, j->e[i].key, j->e[i].object, j->e[i].original, j->e[i].value);
	for (size_t i = 0; !j && st && i < st->n; i++)
		json_change(js, st->c[i].key, st->c[i].object, st->c[i].original, st->c[i].value);
	nt_json_end_array(js);
}

static int verb_status_run(struct napictl *ctl, int argc, char **argv)
{
	_cleanup_(nt_journal_freep) struct nt_journal *j = NULL;
	struct nt_daemon_state st = {};
	const struct nt_journal_apply *a = NULL;
	bool have_st, alive, locked_out = false;
	struct nt_err e = {};
	struct nt_json js;
	char when[64] = "";
	int r;

	(void)argv;
	if (argc != 1)
		return napictl_usage_error(ctl, "usage: napictl status");
	have_st = !ctl->journal_dir && nt_daemon_state_read(ctl->root, &st) >= 0;
	alive = have_st && nt_daemon_state_alive(ctl->root, &st);
	r = nt_journal_open_dir(ctl->root, ctl->journal_dir, false, &j, &e);
	if (r == -EACCES && have_st) {
		locked_out = true; /* not root: the daemon's own list below */
	} else if (r < 0) {
		nt_daemon_state_done(&st);
		return log_error_errno(r, "%s%s", nt_err_msg(&e, r),
				       r == -EACCES ? " (the journal is root's)" : "");
	}
	a = j ? nt_journal_last(j) : NULL;
	if (a)
		iso_time(a->when, when, sizeof(when));
	if (ctl->json) {
		nt_json_init(&js, stdout, ctl->pretty);
		nt_json_begin_object(&js);
		nt_json_kv_bool(&js, "applied", locked_out ? st.n > 0 : a && a->committed);
		if (a) {
			nt_json_kv_string(&js, "profile", a->profile);
			nt_json_kv_string(&js, "path", a->path);
			nt_json_kv_string(&js, "when", when);
			nt_json_kv_bool(&js, "complete", a->committed);
		}
		json_changes(&js, j, have_st ? &st : NULL);
		nt_json_key(&js, "irqbalance");
		nt_json_begin_array(&js);
		for (size_t i = 0; j && i < j->n_irqbalance; i++)
			nt_json_string(&js, j->irqbalance[i]);
		nt_json_end_array(&js);
		if (have_st)
			json_daemon(&js, &st, alive);
		nt_json_end_object(&js);
		nt_json_finish(&js);
		nt_daemon_state_done(&st);
		return 0;
	}
	if (have_st)
		print_daemon(&st, alive);
	if (locked_out) {
		printf("changed:  %zu values (from the daemon; the journal needs root)\n", st.n);
		for (size_t i = 0; i < st.n; i++)
			printf("  %-18s %-28s %s -> %s\n", st.c[i].object, st.c[i].key,
			       st.c[i].original, st.c[i].value);
	} else if (!a) {
		printf("no profile applied\n");
	} else {
		printf("profile:  %s (%s)\napplied:  %s%s\nchanged:  %zu values\n", a->profile,
		       a->path, when,
		       a->committed ? "" : "  INCOMPLETE: interrupted; run 'napictl revert'", j->n);
		for (size_t i = 0; i < j->n_irqbalance; i++)
			printf("irqbalance: %s\n", j->irqbalance[i]);
		for (size_t i = 0; i < j->n; i++)
			printf("  %-18s %-28s %s -> %s\n", j->e[i].object, j->e[i].key,
			       j->e[i].original, j->e[i].value);
	}
	nt_daemon_state_done(&st);
	return 0;
}

const struct verb verb_status = {
	.name = "status",
	.args = "",
	.summary = "show the applied profile, what it changed, and what the napitune daemon does",
	.run = verb_status_run,
};
