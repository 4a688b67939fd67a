// SPDX-License-Identifier: GPL-2.0-or-later
/* The diagnosis as the JSON document of docs/diagnose-json.md (napictl --json diagnose). */
#include <string.h>

#include "diagnose.h"
#include "json.h"

/* The socket of a socket evidence entry: what it is, who holds it, its limit and who set it. */
static void write_socket(const struct nt_ev_socket *k, struct nt_json *j)
{
	nt_json_key(j, "socket");
	nt_json_begin_object(j);
	nt_json_kv_string(j, "proto", k->proto);
	nt_json_kv_string(j, "local", k->local);
	nt_json_kv_u64(j, "inode", k->inode);
	nt_json_kv_i64_or_null(j, "uid", k->uid);
	nt_json_kv_i64_or_null(j, "pid", k->pid);
	nt_json_kv_string_or_null(j, "command", k->command);
	nt_json_kv_i64_or_null(j, "rcvbuf", k->rcvbuf);
	nt_json_kv_i64_or_null(j, "accept_queue", k->accept_queue);
	nt_json_kv_i64_or_null(j, "backlog", k->backlog);
	nt_json_kv_string(j, "limit_set_by", nt_limit_origin_to_string(k->limit_set_by));
	nt_json_end_object(j);
}

void nt_diagnosis_write_json(const struct nt_diagnosis *d, struct nt_json *j)
{
	nt_json_begin_object(j);
	nt_json_kv_u64(j, "schema", 1);
	nt_json_key(j, "interval");
	nt_json_double(j, d->interval);
	nt_json_kv_string(j, "level", nt_level_to_string(d->level));
	nt_json_kv_u64(j, "saturated_cpus", d->n_saturated);
	nt_json_kv_bool(j, "cpus_changed", d->cpus_changed);
	nt_json_key(j, "lost");
	nt_json_begin_object(j);
	nt_json_kv_u64(j, "total", d->lost_total);
	nt_json_kv_u64(j, "backlog", d->lost_backlog);
	nt_json_kv_u64(j, "flow_limit", d->lost_flow_limit);
	nt_json_kv_u64(j, "ring", d->lost_ring);
	nt_json_kv_u64(j, "socket", d->lost_socket);
	nt_json_kv_u64(j, "listen", d->lost_listen);
	nt_json_kv_u64(j, "not_tunable", d->lost_other);
	nt_json_end_object(j);
	nt_json_key(j, "unavailable");
	nt_json_begin_array(j);
	for (unsigned int i = 0; i < _NT_SRC_MAX; i++) {
		if (!d->err[i])
			continue;
		nt_json_begin_object(j);
		nt_json_kv_string(j, "source", nt_src_to_string(i));
		nt_json_kv_string(j, "error", strerror(-d->err[i]));
		nt_json_end_object(j);
	}
	nt_json_end_array(j);
	nt_json_key(j, "findings");
	nt_json_begin_array(j);
	for (unsigned int i = 0; i < d->n; i++) {
		const struct nt_finding *f = &d->f[i];

		nt_json_begin_object(j);
		nt_json_kv_u64(j, "index", i);
		nt_json_kv_string(j, "id", f->rule ? f->rule->id : "");
		nt_json_kv_string(j, "rule", f->rule ? f->rule->name : "");
		nt_json_kv_string(j, "level", nt_level_to_string(f->level));
		nt_json_kv_bool(j, "tunable", f->tunable);
		nt_json_kv_i64_or_null(j, "cpu", f->cpu);
		nt_json_kv_string_or_null(j, "device", f->dev);
		nt_json_kv_string(j, "summary", f->summary);
		nt_json_kv_string(j, "cause", f->cause);
		nt_json_kv_i64_or_null(j, "caused_by", f->caused_by);
		nt_json_kv_u64(j, "lost", f->lost);
		nt_json_kv_u64(j, "lost_with_consequences", f->lost_with_consequences);
		nt_json_key(j, "remedy");
		nt_json_begin_object(j);
		nt_json_kv_string_or_null(j, "knob", f->remedy.knob);
		nt_json_kv_string(j, "scope", f->remedy.scope);
		nt_json_kv_string_or_null(j, "current", f->remedy.current);
		nt_json_kv_string_or_null(j, "suggested", f->remedy.suggested);
		nt_json_kv_string_or_null(j, "command", f->remedy.command);
		nt_json_kv_bool(j, "bounces_link", f->remedy.bounces_link);
		nt_json_kv_string_or_null(j, "caveat", f->remedy.caveat);
		nt_json_end_object(j);
		nt_json_kv_string_or_null(j, "profile", f->profile);
		nt_json_key(j, "evidence");
		nt_json_begin_array(j);
		for (unsigned int k = 0; k < f->n_ev; k++) {
			const struct nt_evidence *e = &f->ev[k];

			nt_json_begin_object(j);
			nt_json_kv_string(j, "counter", e->counter);
			nt_json_kv_string(j, "source", e->source);
			if (e->cpu >= 0)
				nt_json_kv_i64(j, "cpu", e->cpu);
			if (e->dev[0])
				nt_json_kv_string(j, "device", e->dev);
			if (e->queue >= 0)
				nt_json_kv_i64(j, "queue", e->queue);
			if (e->is_setting) {
				nt_json_kv_i64(j, "value", e->value);
				nt_json_kv_i64_or_null(j, "max", e->max);
			} else if (e->is_share) {
				nt_json_key(j, "share");
				nt_json_double(j, e->rate);
			} else {
				nt_json_kv_u64(j, "delta", e->delta);
				nt_json_key(j, "rate");
				nt_json_double(j, e->rate);
				if (e->is_socket)
					write_socket(&e->sock, j);
			}
			nt_json_end_object(j);
		}
		nt_json_end_array(j);
		nt_json_end_object(j);
	}
	nt_json_end_array(j);
	nt_json_end_object(j);
}
