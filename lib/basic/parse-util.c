// SPDX-License-Identifier: GPL-2.0-or-later
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "macro.h"
#include "parse-util.h"

static const char *skip_space(const char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	return s;
}

int nt_parse_u64(const char *s, uint64_t *ret)
{
	unsigned long long v;
	char *end;

	s = skip_space(s);
	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno == ERANGE)
		return -ERANGE;
	if (errno || end == s)
		return -EINVAL;
	if (*skip_space(end))
		return -EINVAL;
	*ret = v;
	return 0;
}

int nt_parse_u32(const char *s, uint32_t *ret)
{
	uint64_t v;
	int r;

	r = nt_parse_u64(s, &v);
	if (r < 0)
		return r;
	if (v > UINT32_MAX)
		return -ERANGE;
	*ret = (uint32_t)v;
	return 0;
}

int nt_parse_s64(const char *s, int64_t *ret)
{
	bool neg;
	uint64_t v;
	int r;

	s = skip_space(s);
	neg = *s == '-';
	if (neg)
		s++;
	r = nt_parse_u64(s, &v);
	if (r < 0)
		return r;
	if (neg ? v > (uint64_t)INT64_MAX + 1 : v > INT64_MAX)
		return -ERANGE;
	*ret = neg ? (int64_t)(0 - v) : (int64_t)v;
	return 0;
}

int nt_parse_bool(const char *s, bool *ret)
{
	static const char *const yes[] = {"1", "yes", "true", "on", "y"};
	static const char *const no[] = {"0", "no", "false", "off", "n"};

	for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*ret = true;
			return 0;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*ret = false;
			return 0;
		}
	}
	return -EINVAL;
}

bool nt_split_kv_line(const char *line, const char *eol, const char **ret_name, size_t *ret_len,
		      const char **ret_val)
{
	const char *colon = NULL, *name = line, *val;

	for (const char *p = eol; p > line; p--)
		if (p[-1] == ':') {
			colon = p - 1;
			break;
		}
	if (!colon)
		return false;
	val = colon + 1;
	while (val < eol && (*val == ' ' || *val == '\t'))
		val++;
	while (name < colon && (*name == ' ' || *name == '\t'))
		name++;
	*ret_name = name;
	*ret_len = (size_t)(colon - name);
	*ret_val = val;
	return true;
}
