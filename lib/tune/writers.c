// SPDX-License-Identifier: GPL-2.0-or-later
/* What the writer modules share: the records, matching them to changes, presenting them. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fs.h"
#include "json.h"
#include "plan.h"
#include "writers.h"

static const char *const nt_writer_kind_table[_NT_WRITER_MAX] = {
	[NT_WRITER_SYSCTLD] = "sysctl.d",      [NT_WRITER_TUNED] = "tuned",
	[NT_WRITER_IRQBALANCE] = "irqbalance", [NT_WRITER_LINK] = "udev-link",
	[NT_WRITER_NM] = "networkmanager",
};

DEFINE_STRING_TABLE_LOOKUP(nt_writer_kind, enum nt_writer_kind);

static void writer_done(struct nt_writer *w)
{
	free(w->source);
	free(w->key);
	free(w->object);
	free(w->ifname);
	free(w->setting);
	free(w->value);
	free(w->detail);
}

void nt_writers_done(struct nt_writers *ws)
{
	for (size_t i = 0; i < ws->n; i++)
		writer_done(&ws->w[i]);
	free(ws->w);
	*ws = (struct nt_writers){};
}

static bool same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && streq(a, b));
}

static int dup_or_null(const char *s, char **ret)
{
	*ret = NULL;
	if (!s)
		return 0;
	*ret = strdup(s);
	return *ret ? 0 : -ENOMEM;
}

int nt_writers_add(struct nt_writers *ws, const struct nt_writer *w)
{
	struct nt_writer *v, n = {.kind = w->kind, .line = w->line, .overridden = w->overridden};

	for (size_t i = 0; i < ws->n; i++) {
		const struct nt_writer *o = &ws->w[i];

		if (o->kind == w->kind && o->line == w->line && same_str(o->source, w->source) &&
		    same_str(o->key, w->key) && same_str(o->object, w->object))
			return 0; /* the same setting seen through another change */
	}
	if (dup_or_null(w->source, &n.source) < 0 || dup_or_null(w->key, &n.key) < 0 ||
	    dup_or_null(w->object, &n.object) < 0 || dup_or_null(w->ifname, &n.ifname) < 0 ||
	    dup_or_null(w->setting, &n.setting) < 0 || dup_or_null(w->value, &n.value) < 0 ||
	    dup_or_null(w->detail, &n.detail) < 0) {
		writer_done(&n);
		return -ENOMEM;
	}
	v = realloc(ws->w, (ws->n + 1) * sizeof(*v));
	if (!v) {
		writer_done(&n);
		return -ENOMEM;
	}
	ws->w = v;
	ws->w[ws->n++] = n;
	return 0;
}

bool nt_writer_matches(const struct nt_writer *w, const struct nt_change *c)
{
	return w->key && w->object && c->key && c->object && streq(w->key, c->key) &&
	       streq(w->object, c->object);
}

size_t nt_writers_of(const struct nt_writers *ws, const struct nt_change *c,
		     const struct nt_writer **ret, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; ws && i < ws->n; i++)
		if (!ws->w[i].overridden && nt_writer_matches(&ws->w[i], c)) {
			if (n < max)
				ret[n] = &ws->w[i];
			n++;
		}
	return n;
}

char *nt_writer_describe(const struct nt_writer *w)
{
	char *s, line[16] = "";

	if (w->line)
		snprintf(line, sizeof(line), ":%u", w->line);
	if (asprintf(&s, "%s %s%s%s%s%s%s%s", nt_writer_kind_to_string(w->kind), w->source, line,
		     w->setting ? ": " : "", w->setting ?: "", w->detail ? " (" : "",
		     w->detail ?: "", w->detail ? ")" : "") < 0)
		return NULL;
	return s;
}

void nt_writer_write_json(const struct nt_writer *w, struct nt_json *j)
{
	nt_json_begin_object(j);
	nt_json_kv_string(j, "kind", nt_writer_kind_to_string(w->kind));
	nt_json_kv_string(j, "source", w->source);
	if (w->line)
		nt_json_kv_u64(j, "line", w->line);
	nt_json_kv_string(j, "key", w->key);
	nt_json_kv_string(j, "object", w->object);
	if (w->ifname)
		nt_json_kv_string(j, "device", w->ifname);
	if (w->setting)
		nt_json_kv_string(j, "setting", w->setting);
	nt_json_kv_string_or_null(j, "value", w->value);
	if (w->detail)
		nt_json_kv_string(j, "detail", w->detail);
	nt_json_kv_bool(j, "overridden", w->overridden);
	nt_json_end_object(j);
}

static int cmp_base(const void *a, const void *b)
{
	const char *x = *(char *const *)a, *y = *(char *const *)b;
	const char *bx = strrchr(x, '/'), *by = strrchr(y, '/');

	return strcmp(bx ? bx + 1 : x, by ? by + 1 : y);
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t l = strlen(s), k = strlen(suffix);

	return l > k && streq(s + l - k, suffix);
}

int nt_writers_conf_files(const struct nt_root *root, const char *const *dirs, const char *suffix,
			  char ***ret)
{
	char **out = NULL, **names = NULL, **seen = NULL;
	size_t n_out = 0, n_seen = 0;
	int r = 0;

	for (const char *const *d = dirs; *d && r >= 0; d++) {
		if (nt_list_dir(root, *d, &names, NULL) < 0)
			continue; /* no such directory */
		for (char **p = names; *p && r >= 0; p++) {
			_cleanup_free_ char *link = NULL;
			char *path = NULL, **v;
			bool dup = false;

			if (!ends_with(*p, suffix))
				continue;
			for (size_t i = 0; i < n_seen && !dup; i++)
				dup = streq(seen[i], *p);
			if (dup)
				continue;
			v = realloc(seen, (n_seen + 1) * sizeof(*v));
			if (!v || !(v[n_seen] = strdup(*p))) {
				seen = v ?: seen;
				r = -ENOMEM;
				break;
			}
			seen = v;
			n_seen++;
			if (asprintf(&path, "%s/%s", *d, *p) < 0) {
				r = -ENOMEM;
				break;
			}
			if (nt_read_link(root, path, &link) >= 0 && streq(link, "/dev/null")) {
				free(path); /* masked: the name stays seen */
				continue;
			}
			v = realloc(out, (n_out + 2) * sizeof(*v));
			if (!v) {
				free(path);
				r = -ENOMEM;
				break;
			}
			out = v;
			out[n_out++] = path;
			out[n_out] = NULL;
		}
		nt_strv_free(names);
		names = NULL;
	}
	for (size_t i = 0; i < n_seen; i++)
		free(seen[i]);
	free(seen);
	if (r < 0) {
		nt_strv_free(out);
		return r;
	}
	if (!out) {
		out = calloc(1, sizeof(*out));
		if (!out)
			return -ENOMEM;
	}
	qsort(out, n_out, sizeof(*out), cmp_base);
	*ret = out;
	return 0;
}

int nt_writers_scan(const struct nt_root *root, const struct nt_plan *plan, struct nt_writers *ret)
{
	int (*const kinds[])(const struct nt_root *, const struct nt_plan *,
			     struct nt_writers *) = {
		nt_writers_sysctld, nt_writers_tuned, nt_writers_irqbalance,
		nt_writers_link,    nt_writers_nm,
	};
	struct nt_writers ws = {};
	int r;

	for (size_t i = 0; i < ARRAY_SIZE(kinds); i++) {
		r = kinds[i](root, plan, &ws);
		if (r < 0) {
			nt_writers_done(&ws);
			return r;
		}
	}
	*ret = ws;
	return 0;
}
