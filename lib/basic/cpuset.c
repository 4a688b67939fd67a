// SPDX-License-Identifier: GPL-2.0-or-later
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpuset.h"
#include "fs.h"

#define WORDS ARRAY_SIZE(((struct nt_cpuset *)0)->bits)

/* Error messages quote at most this much of a long input. */
#define QUOTE_MAX   64
#define SHOWN(n)    ((int)((n) > QUOTE_MAX ? QUOTE_MAX : (n)))
#define ELLIPSIS(n) ((n) > QUOTE_MAX ? "..." : "")

void nt_cpuset_zero(struct nt_cpuset *s)
{
	memset(s, 0, sizeof(*s));
}

int nt_cpuset_set(struct nt_cpuset *s, unsigned int cpu)
{
	if (cpu >= NT_CPUS_MAX)
		return -ERANGE;
	s->bits[cpu / 64] |= UINT64_C(1) << (cpu % 64);
	return 0;
}

void nt_cpuset_clear(struct nt_cpuset *s, unsigned int cpu)
{
	if (cpu < NT_CPUS_MAX)
		s->bits[cpu / 64] &= ~(UINT64_C(1) << (cpu % 64));
}

bool nt_cpuset_isset(const struct nt_cpuset *s, unsigned int cpu)
{
	return cpu < NT_CPUS_MAX && (s->bits[cpu / 64] >> (cpu % 64)) & 1;
}

unsigned int nt_cpuset_count(const struct nt_cpuset *s)
{
	unsigned int n = 0;

	for (size_t i = 0; i < WORDS; i++)
		n += (unsigned int)__builtin_popcountll(s->bits[i]);
	return n;
}

bool nt_cpuset_is_empty(const struct nt_cpuset *s)
{
	for (size_t i = 0; i < WORDS; i++)
		if (s->bits[i])
			return false;
	return true;
}

bool nt_cpuset_equal(const struct nt_cpuset *a, const struct nt_cpuset *b)
{
	return memcmp(a->bits, b->bits, sizeof(a->bits)) == 0;
}

bool nt_cpuset_is_subset(const struct nt_cpuset *a, const struct nt_cpuset *b)
{
	for (size_t i = 0; i < WORDS; i++)
		if (a->bits[i] & ~b->bits[i])
			return false;
	return true;
}

int nt_cpuset_next(const struct nt_cpuset *s, unsigned int from)
{
	for (size_t i = from / 64; i < WORDS; i++) {
		uint64_t w = s->bits[i];

		if (i == from / 64)
			w &= ~UINT64_C(0) << (from % 64);
		if (w)
			return (int)(i * 64 + (size_t)__builtin_ctzll(w));
	}
	return -1;
}

int nt_cpuset_last(const struct nt_cpuset *s)
{
	for (size_t i = WORDS; i-- > 0;)
		if (s->bits[i])
			return (int)(i * 64 + 63 - (size_t)__builtin_clzll(s->bits[i]));
	return -1;
}

void nt_cpuset_and(struct nt_cpuset *dst, const struct nt_cpuset *a, const struct nt_cpuset *b)
{
	for (size_t i = 0; i < WORDS; i++)
		dst->bits[i] = a->bits[i] & b->bits[i];
}

void nt_cpuset_or(struct nt_cpuset *dst, const struct nt_cpuset *a, const struct nt_cpuset *b)
{
	for (size_t i = 0; i < WORDS; i++)
		dst->bits[i] = a->bits[i] | b->bits[i];
}

void nt_cpuset_andnot(struct nt_cpuset *dst, const struct nt_cpuset *a, const struct nt_cpuset *b)
{
	for (size_t i = 0; i < WORDS; i++)
		dst->bits[i] = a->bits[i] & ~b->bits[i];
}

/* Length of s without one trailing newline. */
static size_t body_len(const char *s)
{
	size_t n = strlen(s);

	if (n && s[n - 1] == '\n')
		n--;
	return n;
}

/* Parses a decimal CPU number at *p, advancing it. */
static int parse_cpu(const char **p, const char *end, unsigned int *ret)
{
	const char *q = *p;
	unsigned long v = 0;

	if (q >= end || !isdigit((unsigned char)*q))
		return -EINVAL;
	while (q < end && isdigit((unsigned char)*q)) {
		v = v * 10 + (unsigned long)(*q - '0');
		if (v >= NT_CPUS_MAX)
			return -ERANGE;
		q++;
	}
	*p = q;
	*ret = (unsigned int)v;
	return 0;
}

static int parse_list_item(const char *item, const char *end, struct nt_cpuset *s, struct nt_err *e)
{
	unsigned int lo, hi, used = 1, group = 1;
	int len = SHOWN(end - item);
	const char *p = item;
	int r;

	if (p == end)
		return nt_err_set(e, -EINVAL, "empty item in CPU list");
	r = parse_cpu(&p, end, &lo);
	if (r == -ERANGE)
		goto range;
	if (r < 0)
		return nt_err_set(e, -EINVAL, "'%.*s' is not a CPU number or range", len, item);
	hi = lo;
	if (p < end && *p == '-') {
		p++;
		if (p == end)
			return nt_err_set(e, -EINVAL, "range '%.*s' has no end", len, item);
		r = parse_cpu(&p, end, &hi);
		if (r == -ERANGE)
			goto range;
		if (r < 0)
			return nt_err_set(e, -EINVAL, "range '%.*s' has no valid end", len, item);
		if (hi < lo)
			return nt_err_set(e, -EINVAL, "range '%.*s' is reversed", len, item);
		/* Kernel stride syntax: "0-15:2/4" takes the first 2 of every 4. */
		if (p < end && *p == ':') {
			p++;
			if (parse_cpu(&p, end, &used) < 0 || p >= end || *p != '/')
				return nt_err_set(e, -EINVAL, "bad stride in '%.*s'", len, item);
			p++;
			if (parse_cpu(&p, end, &group) < 0 || used == 0 || group == 0 ||
			    used > group)
				return nt_err_set(e, -EINVAL, "bad stride in '%.*s'", len, item);
		}
	}
	if (p != end)
		return nt_err_set(e, -EINVAL, "'%.*s' is not a CPU number or range", len, item);
	for (unsigned int c = lo; c <= hi; c++)
		if ((c - lo) % group < used)
			nt_cpuset_set(s, c);
	return 0;
range:
	return nt_err_set(e, -ERANGE, "'%.*s': CPU numbers must be below %d", len, item,
			  NT_CPUS_MAX);
}

int nt_cpuset_parse_list(const char *s, struct nt_cpuset *ret, struct nt_err *reterr)
{
	const char *p = s, *end = s + body_len(s);
	struct nt_cpuset set;
	int r;

	nt_cpuset_zero(&set);
	while (p < end) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		const char *item_end = comma ? comma : end;

		r = parse_list_item(p, item_end, &set, reterr);
		if (r < 0)
			return r;
		if (comma && comma + 1 == end)
			return nt_err_set(reterr, -EINVAL, "CPU list ends with ','");
		p = comma ? comma + 1 : end;
	}
	*ret = set;
	return 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int nt_cpuset_parse_mask(const char *s, struct nt_cpuset *ret, struct nt_err *reterr)
{
	size_t n = body_len(s), group = 0;
	struct nt_cpuset set;
	const char *end = s + n, *p = end;

	nt_cpuset_zero(&set);
	if (n == 0)
		return nt_err_set(reterr, -EINVAL, "empty CPU mask (use 0 for no CPUs)");
	/* Walk groups from the right: the last group holds CPUs 0-31. */
	for (;;) {
		const char *gstart = p;
		uint32_t v = 0;

		while (gstart > s && gstart[-1] != ',')
			gstart--;
		if (gstart == p)
			return nt_err_set(reterr, -EINVAL, "empty group in CPU mask '%.*s%s'",
					  SHOWN(n), s, ELLIPSIS(n));
		if (p - gstart > 8)
			return nt_err_set(reterr, -EINVAL,
					  "group '%.*s' of CPU mask has more than 8 hex digits",
					  (int)(p - gstart), gstart);
		for (const char *q = gstart; q < p; q++) {
			int h = hexval(*q);

			if (h < 0)
				return nt_err_set(reterr, -EINVAL,
						  "invalid character '%c' in CPU mask '%.*s%s'",
						  isprint((unsigned char)*q) ? *q : '?', SHOWN(n),
						  s, ELLIPSIS(n));
			v = v << 4 | (uint32_t)h;
		}
		if (v) {
			if (group >= NT_CPUS_MAX / 32)
				return nt_err_set(reterr, -ERANGE,
						  "CPU mask has %zu groups and names CPUs above %d",
						  group + 1, NT_CPUS_MAX - 1);
			set.bits[group / 2] |= (uint64_t)v << (32 * (group % 2));
		}
		group++;
		if (gstart == s)
			break;
		p = gstart - 1;
	}
	*ret = set;
	return 0;
}

int nt_cpuset_format_list(const struct nt_cpuset *s, char **ret)
{
	size_t cap = 64, len = 0;
	char *buf = malloc(cap);
	int c;

	if (!buf)
		return -ENOMEM;
	buf[0] = '\0';
	for (c = nt_cpuset_next(s, 0); c >= 0;) {
		int hi = c;
		char item[32];
		int n;

		while (nt_cpuset_isset(s, (unsigned int)hi + 1))
			hi++;
		if (hi == c)
			n = snprintf(item, sizeof(item), "%s%d", len ? "," : "", c);
		else
			n = snprintf(item, sizeof(item), "%s%d-%d", len ? "," : "", c, hi);
		if (len + (size_t)n + 1 > cap) {
			char *p;

			cap = (len + (size_t)n + 1) * 2;
			p = realloc(buf, cap);
			if (!p) {
				free(buf);
				return -ENOMEM;
			}
			buf = p;
		}
		memcpy(buf + len, item, (size_t)n + 1);
		len += (size_t)n;
		c = nt_cpuset_next(s, (unsigned int)hi + 1);
	}
	*ret = buf;
	return 0;
}

int nt_cpuset_format_mask(const struct nt_cpuset *s, unsigned int nbits, char **ret)
{
	unsigned int ngroups, width;
	char *buf, *p;

	if (nbits == 0 || nbits > NT_CPUS_MAX || nt_cpuset_last(s) >= (int)nbits)
		return -ERANGE;
	ngroups = (nbits + 31) / 32;
	width = (nbits - 32 * (ngroups - 1) + 3) / 4;
	buf = malloc((size_t)ngroups * 9 + 1);
	if (!buf)
		return -ENOMEM;
	p = buf;
	for (unsigned int g = ngroups; g-- > 0;) {
		uint32_t v = (uint32_t)(s->bits[g / 2] >> (32 * (g % 2)));

		p += sprintf(p, "%s%0*x", p == buf ? "" : ",", (int)width, v);
		width = 8;
	}
	*ret = buf;
	return 0;
}

static int read_cpulist(const struct nt_root *root, const char *path, struct nt_cpuset *ret)
{
	_cleanup_free_ char *line = NULL;
	int r;

	r = nt_read_line(root, path, &line);
	if (r < 0)
		return r;
	return nt_cpuset_parse_list(line, ret, NULL);
}

int nt_cpus_read(const struct nt_root *root, struct nt_cpus *ret)
{
	struct nt_cpus cpus;
	int r;

	r = read_cpulist(root, "sys/devices/system/cpu/possible", &cpus.possible);
	if (r < 0)
		return r;
	r = read_cpulist(root, "sys/devices/system/cpu/online", &cpus.online);
	if (r < 0)
		return r;
	if (nt_cpuset_is_empty(&cpus.possible))
		return -ENODATA;
	cpus.nr_cpu_ids = (unsigned int)nt_cpuset_last(&cpus.possible) + 1;
	*ret = cpus;
	return 0;
}

int nt_cpuset_check(const struct nt_cpuset *s, const struct nt_cpus *cpus, struct nt_err *reterr)
{
	_cleanup_free_ char *have = NULL;
	struct nt_cpuset bad;
	int r;

	nt_cpuset_andnot(&bad, s, &cpus->possible);
	if (!nt_cpuset_is_empty(&bad)) {
		r = nt_cpuset_format_list(&cpus->possible, &have);
		if (r < 0)
			return r;
		return nt_err_set(reterr, -EINVAL,
				  "CPU %d does not exist: this machine has CPUs %s",
				  nt_cpuset_next(&bad, 0), have);
	}
	nt_cpuset_andnot(&bad, s, &cpus->online);
	if (!nt_cpuset_is_empty(&bad)) {
		r = nt_cpuset_format_list(&cpus->online, &have);
		if (r < 0)
			return r;
		return nt_err_set(reterr, -ENXIO, "CPU %d is offline: online CPUs are %s",
				  nt_cpuset_next(&bad, 0), have);
	}
	return 0;
}
