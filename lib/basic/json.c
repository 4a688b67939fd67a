// SPDX-License-Identifier: GPL-2.0-or-later
#include <assert.h>
#include <inttypes.h>
#include <math.h>

#include "json.h"

void nt_json_init(struct nt_json *j, FILE *f, bool pretty)
{
	*j = (struct nt_json){.f = f, .pretty = pretty};
	j->first[0] = true;
}

static void indent(struct nt_json *j)
{
	if (!j->pretty)
		return;
	fputc('\n', j->f);
	for (int i = 0; i < j->depth; i++)
		fputs("  ", j->f);
}

/* Separator before a value or a key. */
static void sep(struct nt_json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (!j->first[j->depth])
		fputc(',', j->f);
	j->first[j->depth] = false;
	if (j->depth > 0)
		indent(j);
}

static void container_open(struct nt_json *j, char c)
{
	sep(j);
	fputc(c, j->f);
	assert(j->depth + 1 < NT_JSON_DEPTH_MAX);
	j->depth++;
	j->first[j->depth] = true;
}

static void container_close(struct nt_json *j, char c)
{
	bool empty = j->first[j->depth];

	assert(j->depth > 0);
	j->depth--;
	if (!empty)
		indent(j);
	fputc(c, j->f);
}

void nt_json_begin_object(struct nt_json *j)
{
	container_open(j, '{');
}

void nt_json_end_object(struct nt_json *j)
{
	container_close(j, '}');
}

void nt_json_begin_array(struct nt_json *j)
{
	container_open(j, '[');
}

void nt_json_end_array(struct nt_json *j)
{
	container_close(j, ']');
}

static void write_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		default:
			if (*p < 0x20)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}

void nt_json_key(struct nt_json *j, const char *key)
{
	sep(j);
	write_string(j->f, key);
	fputs(j->pretty ? ": " : ":", j->f);
	j->after_key = true;
}

void nt_json_string(struct nt_json *j, const char *s)
{
	if (!s) {
		nt_json_null(j);
		return;
	}
	sep(j);
	write_string(j->f, s);
}

void nt_json_u64(struct nt_json *j, uint64_t v)
{
	sep(j);
	fprintf(j->f, "%" PRIu64, v);
}

void nt_json_i64(struct nt_json *j, int64_t v)
{
	sep(j);
	fprintf(j->f, "%" PRId64, v);
}

void nt_json_double(struct nt_json *j, double v)
{
	if (!isfinite(v)) {
		nt_json_null(j);
		return;
	}
	sep(j);
	fprintf(j->f, "%.6g", v);
}

void nt_json_bool(struct nt_json *j, bool v)
{
	sep(j);
	fputs(v ? "true" : "false", j->f);
}

void nt_json_null(struct nt_json *j)
{
	sep(j);
	fputs("null", j->f);
}

void nt_json_finish(struct nt_json *j)
{
	fputc('\n', j->f);
	fflush(j->f);
}

void nt_json_kv_string(struct nt_json *j, const char *key, const char *s)
{
	nt_json_key(j, key);
	nt_json_string(j, s);
}

void nt_json_kv_u64(struct nt_json *j, const char *key, uint64_t v)
{
	nt_json_key(j, key);
	nt_json_u64(j, v);
}

void nt_json_kv_i64(struct nt_json *j, const char *key, int64_t v)
{
	nt_json_key(j, key);
	nt_json_i64(j, v);
}

void nt_json_kv_bool(struct nt_json *j, const char *key, bool v)
{
	nt_json_key(j, key);
	nt_json_bool(j, v);
}

void nt_json_kv_i64_or_null(struct nt_json *j, const char *key, int64_t v)
{
	nt_json_key(j, key);
	if (v >= 0)
		nt_json_i64(j, v);
	else
		nt_json_null(j);
}

void nt_json_kv_string_or_null(struct nt_json *j, const char *key, const char *s)
{
	nt_json_kv_string(j, key, s && *s ? s : NULL);
}
