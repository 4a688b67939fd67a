// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Numbers, units and keys as users write them (profiles, the CLI) and as sysfs/procfs
 * print them: basic/parse-util.c (nt_parse_u64/u32/s64/bool, nt_split_kv_line) and knobs/knob.c
 * (nt_parse_duration_ns, nt_parse_size, nt_knob_parse for every knob, nt_knob_lookup).
 * Besides crashes and undefined behaviour it checks that the parsers agree with each
 * other: the integer widths, the units' multiples, and that a parsed value is kernel
 * text that parses again to itself.
 */
#include <errno.h>
#include <string.h>

#include "fuzz.h"
#include "knob.h"
#include "parse-util.h"

static void check_ints(const char *text)
{
	uint64_t u64;
	uint32_t u32;
	int64_t s64;
	bool b;
	int r64 = nt_parse_u64(text, &u64), r32 = nt_parse_u32(text, &u32);
	int rs = nt_parse_s64(text, &s64);

	FUZZ_CHECK(r64 == 0 || r64 == -EINVAL || r64 == -ERANGE);
	if (r64 == 0 && u64 <= UINT32_MAX)
		FUZZ_CHECK(r32 == 0 && u32 == u64);
	else
		FUZZ_CHECK(r32 < 0);
	if (r64 == 0 && u64 <= INT64_MAX)
		FUZZ_CHECK(rs == 0 && (uint64_t)s64 == u64);
	if (rs == 0 && s64 > 0) /* "-0" is 0 for nt_parse_s64() only */
		FUZZ_CHECK(r64 == 0 && (uint64_t)s64 == u64);
	(void)nt_parse_bool(text, &b);
}

static void check_kv(const char *text)
{
	const char *eol = text + strlen(text), *name, *val;
	size_t len;

	if (!nt_split_kv_line(text, eol, &name, &len, &val))
		return;
	FUZZ_CHECK(name >= text && name + len < eol && name[len] == ':');
	FUZZ_CHECK(val > name + len && val <= eol);
}

/* The same digits in a unit @mult times larger give @mult times the value. */
static void check_scaled(int (*parse)(const char *, uint64_t *), const char *text, const char *from,
			 const char *to, uint64_t mult)
{
	size_t n = strlen(text), fl = strlen(from), d;
	char scaled[128];
	uint64_t a, b;

	if (n <= fl || n - fl + strlen(to) >= sizeof(scaled) || strcmp(text + n - fl, from))
		return;
	n -= fl;
	/* Digits, blanks, then exactly @from: "5KiB" does not end in the unit "B". */
	for (d = n; d > 0 && strchr(" \t\n\v\f\r", text[d - 1]); d--)
		;
	if (d == 0 || text[d - 1] < '0' || text[d - 1] > '9')
		return;
	if (parse(text, &a) < 0 || a > UINT64_MAX / mult)
		return;
	snprintf(scaled, sizeof(scaled), "%.*s%s", (int)n, text, to);
	FUZZ_CHECK(parse(scaled, &b) == 0 && b == a * mult);
}

static void check_units(const char *text)
{
	uint64_t v;
	int r;

	r = nt_parse_duration_ns(text, &v);
	FUZZ_CHECK(r == 0 || r == -EINVAL || r == -ERANGE);
	r = nt_parse_size(text, &v);
	FUZZ_CHECK(r == 0 || r == -EINVAL || r == -ERANGE);
	check_scaled(nt_parse_duration_ns, text, "ns", "us", 1000);
	check_scaled(nt_parse_duration_ns, text, "us", "ms", 1000);
	check_scaled(nt_parse_duration_ns, text, "ms", "s", 1000);
	check_scaled(nt_parse_size, text, "B", "k", 1024);
	check_scaled(nt_parse_size, text, "KiB", "MiB", 1024);
	check_scaled(nt_parse_size, text, "M", "G", 1024);
	check_scaled(nt_parse_size, text, "kB", "MB", 1000);
}

static void check_knobs(const char *text)
{
	for (size_t i = 0; i < _NT_KNOB_MAX; i++) {
		const struct nt_knob *k = &nt_knobs[i];
		struct nt_err e = {};
		char *out = NULL, *again = NULL, *shown = NULL;
		int r = nt_knob_parse(k, text, &out, &e);

		if (r < 0) {
			FUZZ_CHECK(r == -EINVAL || r == -ERANGE);
			FUZZ_CHECK(e.msg[0] != '\0');
			continue;
		}
		/* Kernel text: parses to itself, equals itself, formats. */
		FUZZ_CHECK(nt_knob_parse(k, out, &again, &e) == 0 && strcmp(out, again) == 0);
		FUZZ_CHECK(nt_knob_value_equal(k, out, again));
		FUZZ_CHECK(nt_knob_format(k, out, &shown) == 0);
		free(out);
		free(again);
		free(shown);
	}
}

static void check_key(const char *text)
{
	const struct nt_knob *k = nt_knob_lookup(text);
	char *path = NULL;

	(void)nt_knob_suggest(text, -1);
	if (!nt_sysctl_name_valid(text)) {
		FUZZ_CHECK(!k || strcmp(k->key, text) == 0);
		return;
	}
	FUZZ_CHECK(k);
	/* A sysctl path never leaves /proc/sys/net. */
	FUZZ_CHECK(nt_sysctl_path(text, &path) == 0);
	FUZZ_CHECK(strncmp(path, "proc/sys/net/", 13) == 0 && !strstr(path, "..") &&
		   !strstr(path, "//"));
	free(path);
}

const unsigned int nt_fuzz_texts = 1;

void nt_fuzz_run(const char *const *text, _unused_ const uint8_t *data, _unused_ size_t size)
{
	check_ints(text[0]);
	check_kv(text[0]);
	check_units(text[0]);
	check_knobs(text[0]);
	check_key(text[0]);
}
