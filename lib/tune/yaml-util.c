// SPDX-License-Identifier: GPL-2.0-or-later
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "macro.h"
#include "yaml-util.h"

#define YAML_EVENTS_MAX 200000
#define YAML_NEST_MAX	12

const char *nt_yaml_node_kind(const yaml_node_t *n)
{
	switch (n->type) {
	case YAML_SCALAR_NODE:
		return "a scalar";
	case YAML_SEQUENCE_NODE:
		return "a list";
	case YAML_MAPPING_NODE:
		return "a mapping";
	default:
		return "nothing";
	}
}

const char *nt_yaml_scalar(const yaml_node_t *n)
{
	return n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

char *nt_yaml_where(const struct nt_yaml *y, const yaml_node_t *n)
{
	char *s;

	if (asprintf(&s, "%s:%lu:%lu", NT_YAML_AT(y, n)) < 0)
		return NULL;
	return s;
}

/* Levenshtein distance of two short strings (both < 64 characters), else SIZE_MAX. */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), prev[64], cur[64];

	if (la >= 63 || lb >= 63)
		return (size_t)-1;
	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t s = prev[j - 1] + (a[i - 1] != b[j - 1]);

			if (prev[j] + 1 < s)
				s = prev[j] + 1;
			if (cur[j - 1] + 1 < s)
				s = cur[j - 1] + 1;
			cur[j] = s;
		}
		memcpy(prev, cur, sizeof(prev));
	}
	return prev[lb];
}

const char *nt_yaml_closest(const char *s, const char *const *known)
{
	const char *best = NULL;
	size_t best_d = 4;

	for (size_t i = 0; known[i]; i++) {
		size_t d = distance(s, known[i]);

		if (d < best_d) {
			best_d = d;
			best = known[i];
		}
	}
	return best;
}

void nt_yaml_unknown_key(struct nt_yaml *y, const yaml_node_t *key, const char *const *known,
			 const char *what)
{
	const char *k = nt_yaml_scalar(key) ?: "?", *best = nt_yaml_closest(k, known);

	if (best)
		nt_yaml_err(y, key, "unknown key '%s'%s%s (did you mean '%s'?)", k,
			    what ? " in " : "", what ?: "", best);
	else
		nt_yaml_err(y, key, "unknown key '%s'%s%s", k, what ? " in " : "", what ?: "");
}

bool nt_yaml_expect(struct nt_yaml *y, const yaml_node_t *n, yaml_node_type_t type,
		    const char *what)
{
	if (n->type == type)
		return true;
	nt_yaml_err(y, n, "%s must be %s, not %s", what,
		    type == YAML_SCALAR_NODE	 ? "a scalar"
		    : type == YAML_SEQUENCE_NODE ? "a list"
						 : "a mapping",
		    nt_yaml_node_kind(n));
	return false;
}

void nt_yaml_for_pairs(struct nt_yaml *y, yaml_node_t *map, nt_yaml_pair_fn fn, void *userdata)
{
	for (yaml_node_pair_t *pr = map->data.mapping.pairs.start; pr < map->data.mapping.pairs.top;
	     pr++) {
		yaml_node_t *k = yaml_document_get_node(y->doc, pr->key);
		yaml_node_t *v = yaml_document_get_node(y->doc, pr->value);
		bool dup = false;

		if (!k || !v)
			continue;
		if (!nt_yaml_scalar(k)) {
			nt_yaml_err(y, k, "keys must be plain strings, not %s",
				    nt_yaml_node_kind(k));
			continue;
		}
		for (yaml_node_pair_t *q = map->data.mapping.pairs.start; q < pr; q++) {
			yaml_node_t *k2 = yaml_document_get_node(y->doc, q->key);

			if (k2 && nt_yaml_scalar(k2) &&
			    streq(nt_yaml_scalar(k2), nt_yaml_scalar(k)))
				dup = true;
		}
		if (dup) {
			nt_yaml_err(y, k, "duplicate key '%s'", nt_yaml_scalar(k));
			continue;
		}
		fn(y, k, nt_yaml_scalar(k), v, userdata);
	}
}

static void report_at(struct nt_yaml *y, const yaml_mark_t *m, const char *fmt, const char *a,
		      const char *b)
{
	char msg[300];

	snprintf(msg, sizeof(msg), fmt, a ?: "", b ?: "");
	nt_msgs_add(y->msgs, true, "%s:%lu:%lu: %s", y->file, (unsigned long)m->line + 1,
		    (unsigned long)m->column + 1, msg);
}

/*
 * libyaml's loader follows aliases and recurses per nesting level: screen the event
 * stream first so alias bombs and deep nesting are rejected before loading.
 */
static bool screen(struct nt_yaml *y, const char *buf, size_t len)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	unsigned int depth = 0, docs = 0;
	size_t events = 0;
	bool ok = true, done = false;

	if (!yaml_parser_initialize(&parser))
		return false;
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
	while (!done) {
		if (!yaml_parser_parse(&parser, &ev)) {
			char what[200];

			snprintf(what, sizeof(what), "%s%s%s", parser.problem ?: "unknown",
				 parser.context ? " " : "", parser.context ?: "");
			report_at(y, &parser.problem_mark, "YAML syntax error: %s%s", what, NULL);
			ok = false;
			break;
		}
		if (++events > YAML_EVENTS_MAX) {
			nt_msgs_add(y->msgs, true, "%s: too many YAML nodes (more than %d)",
				    y->file, YAML_EVENTS_MAX);
			ok = false;
		}
		switch (ev.type) {
		case YAML_ALIAS_EVENT:
			report_at(y, &ev.start_mark, "YAML aliases are not allowed%s%s",
				  y->alias_fix ? " " : "", y->alias_fix);
			ok = false;
			break;
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			if (++depth > YAML_NEST_MAX) {
				nt_msgs_add(y->msgs, true,
					    "%s:%lu:%lu: nesting deeper than %d levels", y->file,
					    (unsigned long)ev.start_mark.line + 1,
					    (unsigned long)ev.start_mark.column + 1, YAML_NEST_MAX);
				ok = false;
			}
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			depth--;
			break;
		case YAML_DOCUMENT_START_EVENT:
			if (++docs > 1) {
				report_at(y, &ev.start_mark, "more than one YAML document%s%s",
					  NULL, NULL);
				ok = false;
			}
			break;
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
		if (!ok)
			break;
	}
	yaml_parser_delete(&parser);
	return ok;
}

int nt_yaml_parse(struct nt_yaml *y, const char *buf, size_t len, size_t max,
		  void (*fn)(struct nt_yaml *y, yaml_node_t *root, void *userdata), void *userdata)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	size_t before = y->msgs->n_errors;

	if (len > max) {
		nt_msgs_add(y->msgs, true, "%s: larger than %zu bytes", y->file, max);
		return -EFBIG;
	}
	if (memchr(buf, '\0', len)) {
		nt_msgs_add(y->msgs, true, "%s: contains a NUL byte", y->file);
		return -EINVAL;
	}
	if (!screen(y, buf, len))
		return -EINVAL;
	if (!yaml_parser_initialize(&parser))
		return -ENOMEM;
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
	if (!yaml_parser_load(&parser, &doc)) {
		report_at(y, &parser.problem_mark, "YAML error: %s%s", parser.problem ?: "unknown",
			  NULL);
		yaml_parser_delete(&parser);
		return -EINVAL;
	}
	y->doc = &doc;
	fn(y, yaml_document_get_root_node(&doc), userdata);
	y->doc = NULL;
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	return y->msgs->n_errors > before ? -EINVAL : 0;
}

int nt_yaml_read_file(const char *path, size_t max, char **ret, size_t *ret_len)
{
	_cleanup_close_ int fd = -EBADF;
	_cleanup_free_ char *buf = NULL;
	struct stat st;
	ssize_t n;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -EISDIR;
	if ((size_t)st.st_size > max)
		return -EFBIG;
	buf = malloc((size_t)st.st_size + 1);
	if (!buf)
		return -ENOMEM;
	n = read(fd, buf, (size_t)st.st_size + 1);
	if (n < 0)
		return -errno;
	if (n > st.st_size)
		return -EFBIG;
	buf[n] = '\0';
	*ret_len = (size_t)n;
	*ret = TAKE_PTR(buf);
	return 0;
}
