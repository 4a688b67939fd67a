/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A small streaming JSON writer for --json output (writing only; napitune never
 * parses JSON). Commas and indentation are handled here; callers state structure.
 */
#ifndef NT_JSON_H
#define NT_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define NT_JSON_DEPTH_MAX 32

struct nt_json {
	FILE *f;
	bool pretty;
	int depth;
	bool first[NT_JSON_DEPTH_MAX];
	bool after_key;
};

void nt_json_init(struct nt_json *j, FILE *f, bool pretty);
void nt_json_begin_object(struct nt_json *j);
void nt_json_end_object(struct nt_json *j);
void nt_json_begin_array(struct nt_json *j);
void nt_json_end_array(struct nt_json *j);
void nt_json_key(struct nt_json *j, const char *key);
void nt_json_string(struct nt_json *j, const char *s); /* NULL writes null */
void nt_json_u64(struct nt_json *j, uint64_t v);
void nt_json_i64(struct nt_json *j, int64_t v);
void nt_json_double(struct nt_json *j, double v);
void nt_json_bool(struct nt_json *j, bool v);
void nt_json_null(struct nt_json *j);
/* Ends the document with a newline. */
void nt_json_finish(struct nt_json *j);

/* key + value shorthands */
void nt_json_kv_string(struct nt_json *j, const char *key, const char *s);
void nt_json_kv_u64(struct nt_json *j, const char *key, uint64_t v);
void nt_json_kv_i64(struct nt_json *j, const char *key, int64_t v);
/* "key": v, or "key": null when v < 0 (unknown / not applicable). */
void nt_json_kv_i64_or_null(struct nt_json *j, const char *key, int64_t v);
void nt_json_kv_bool(struct nt_json *j, const char *key, bool v);
/* "key": "s", or "key": null when s is NULL or empty (unknown). */
void nt_json_kv_string_or_null(struct nt_json *j, const char *key, const char *s);

#endif
