// SPDX-License-Identifier: GPL-2.0-or-later
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <linux/ethtool_netlink.h>

#include "knob.h"
#include "knob-rss.h"
#include "nl-netdev.h"
#include "parse-util.h"
#include "string-table.h"

#define KNOB(id, key_, ...) [NT_KNOB_##id] = {.key = key_, __VA_ARGS__},
/* enum netdev_napi_threaded (Documentation/netlink/specs/netdev.yaml): busy-poll since 6.19 */
static const char *const napi_threaded_names[] = {"off", "on", "busy-poll", NULL};

const struct nt_knob nt_knobs[_NT_KNOB_MAX] = {
#include "knobs.def"
};
#undef KNOB

static const char *const nt_fam_table[_NT_FAM_MAX] = {
	[NT_FAM_SYSCTL] = "sysctl",	[NT_FAM_DEVSYSFS] = "device-sysfs",
	[NT_FAM_QUEUE] = "queue-sysfs", [NT_FAM_IRQ] = "irq",
	[NT_FAM_RINGS] = "rings",	[NT_FAM_CHANNELS] = "channels",
	[NT_FAM_COALESCE] = "coalesce", [NT_FAM_FEATURES] = "features",
	[NT_FAM_NAPI] = "napi",		[NT_FAM_KTHREAD] = "kthread",
	[NT_FAM_RSS] = "rss",
};

static const char *const nt_scope_table[_NT_SCOPE_MAX] = {
	[NT_SCOPE_GLOBAL] = "global", [NT_SCOPE_DEV] = "device", [NT_SCOPE_QUEUE] = "queue",
	[NT_SCOPE_IRQ] = "irq",	      [NT_SCOPE_NAPI] = "napi",
};

static const char *const nt_type_table[_NT_T_MAX] = {
	[NT_T_U32] = "u32",	  [NT_T_U64] = "u64",	      [NT_T_BOOL] = "bool",
	[NT_T_ENUM] = "enum",	  [NT_T_USEC] = "usec",	      [NT_T_NSEC] = "nsec",
	[NT_T_BYTES] = "bytes",	  [NT_T_CPUMASK] = "cpumask", [NT_T_CPULIST] = "cpulist",
	[NT_T_TRIPLE] = "triple", [NT_T_RAW] = "raw",	      [NT_T_RSS_INDIR] = "rss-indir",
	[NT_T_HEXKEY] = "hexkey", [NT_T_RXHASH] = "rxhash",
};

DEFINE_STRING_TABLE_LOOKUP(nt_fam, enum nt_fam);
DEFINE_STRING_TABLE_LOOKUP(nt_scope, enum nt_scope);
DEFINE_STRING_TABLE_LOOKUP(nt_type, enum nt_type);

/* Decimal only: the kernel prints decimal, and "010" in a profile means ten. */
static int parse_dec(const char *s, uint64_t *ret)
{
	uint64_t v = 0;
	const char *p = s;

	while (isspace((unsigned char)*p))
		p++;
	if (!isdigit((unsigned char)*p))
		return -EINVAL;
	for (; isdigit((unsigned char)*p); p++) {
		if (v > (UINT64_MAX - (uint64_t)(*p - '0')) / 10)
			return -ERANGE;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	while (isspace((unsigned char)*p))
		p++;
	if (*p)
		return -EINVAL;
	*ret = v;
	return 0;
}

bool nt_sysctl_name_valid(const char *name)
{
	size_t comp = 0;

	if (strncmp(name, "net.", 4) != 0 || strlen(name) > 200)
		return false;
	for (const char *p = name; *p; p++) {
		if (*p == '.') {
			if (comp == 0)
				return false;
			comp = 0;
			continue;
		}
		if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) && *p != '_' &&
		    *p != '-')
			return false;
		comp++;
	}
	return comp > 0;
}

int nt_sysctl_path(const char *name, char **ret)
{
	char *p;

	if (!nt_sysctl_name_valid(name))
		return -EINVAL;
	if (asprintf(&p, "proc/sys/%s", name) < 0)
		return -ENOMEM;
	for (char *c = p + strlen("proc/sys/"); *c; c++)
		if (*c == '.')
			*c = '/';
	*ret = p;
	return 0;
}

const struct nt_knob *nt_knob_lookup(const char *key)
{
	for (size_t i = 0; i < _NT_KNOB_MAX; i++)
		if (i != NT_KNOB_SYSCTL_ANY && streq(nt_knobs[i].key, key))
			return &nt_knobs[i];
	if (nt_sysctl_name_valid(key))
		return &nt_knobs[NT_KNOB_SYSCTL_ANY];
	return NULL;
}

static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), prev[64], cur[64];

	if (la >= 63 || lb >= 63)
		return SIZE_MAX;
	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
			size_t del = prev[j] + 1, ins = cur[j - 1] + 1;

			cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
		}
		memcpy(prev, cur, (lb + 1) * sizeof(*cur));
	}
	return prev[lb];
}

const char *nt_knob_suggest(const char *key, int scope)
{
	size_t best_d = 4, len = strlen(key);
	const char *best = NULL;

	for (size_t i = 0; i < _NT_KNOB_MAX; i++) {
		size_t d;

		if (i == NT_KNOB_SYSCTL_ANY || (scope >= 0 && (int)nt_knobs[i].scope != scope))
			continue;
		/* The lengths' difference is a lower bound of the distance. */
		d = strlen(nt_knobs[i].key);
		if ((d > len ? d - len : len - d) >= best_d)
			continue;
		d = edit_distance(key, nt_knobs[i].key);
		if (d < best_d) {
			best_d = d;
			best = nt_knobs[i].key;
		}
	}
	return best;
}

/*
 * Fraction digits kept: a unit is at most 2^30 base units, so nine digits (< 10^9) times
 * the unit stay below 2^64, and a tenth significant digit cannot make a whole number of
 * any unit but the bytes of K/M/G (which nobody writes to ten places). Trailing zeros
 * are not significant: "1.500000000000ms" is 1.5ms.
 */
#define FRAC_DIGITS_MAX 9

/*
 * Splits "1.5ms" into 1, 5 (one fraction digit) and "ms". Decimal only: no sign, no
 * exponent, no hex. -ERANGE if the integer part does not fit in 64 bits; -EINVAL for
 * anything else that is not a number or has more than FRAC_DIGITS_MAX significant
 * fraction digits.
 */
static int split_number(const char *s, uint64_t *ret_int, uint64_t *ret_frac,
			unsigned int *ret_frac_digits, const char **ret_suffix)
{
	uint64_t v = 0, frac = 0;
	unsigned int fd = 0;
	const char *p = s;

	while (isspace((unsigned char)*p))
		p++;
	if (!isdigit((unsigned char)*p))
		return -EINVAL;
	for (; isdigit((unsigned char)*p); p++) {
		uint64_t d = (uint64_t)(*p - '0');

		if (v > (UINT64_MAX - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	if (*p == '.') {
		size_t zeros = 0;

		p++;
		if (!isdigit((unsigned char)*p))
			return -EINVAL;
		for (; isdigit((unsigned char)*p); p++) {
			if (*p == '0') {
				zeros++; /* significant only if a non-zero digit follows */
				continue;
			}
			if (zeros >= FRAC_DIGITS_MAX - fd)
				return -EINVAL;
			for (; zeros > 0; zeros--, fd++)
				frac *= 10;
			frac = frac * 10 + (uint64_t)(*p - '0');
			fd++;
		}
	}
	while (isspace((unsigned char)*p))
		p++;
	*ret_int = v;
	*ret_frac = frac;
	*ret_frac_digits = fd;
	*ret_suffix = p;
	return 0;
}

struct unit {
	const char *suffix;
	uint64_t mult; /* base units, 1..2^30 (FRAC_DIGITS_MAX relies on it) */
};

/*
 * A number with an optional fraction and unit, in base units: the unit's multiple, or
 * @dflt for a bare number (0: a bare number is refused). The result must be a whole
 * number of base units (-EINVAL) and fit in 64 bits (-ERANGE).
 */
static int parse_with_units(const char *s, const struct unit *units, size_t n, uint64_t dflt,
			    uint64_t *ret)
{
	uint64_t v, frac, whole, part, sum, mult = 0, pow10 = 1;
	const char *suffix;
	unsigned int fd;
	size_t sl;
	int r;

	r = split_number(s, &v, &frac, &fd, &suffix);
	if (r < 0)
		return r;
	sl = strlen(suffix);
	while (sl > 0 && isspace((unsigned char)suffix[sl - 1]))
		sl--;
	if (sl == 0)
		mult = dflt;
	else
		for (size_t i = 0; i < n; i++)
			if (strlen(units[i].suffix) == sl &&
			    strncmp(units[i].suffix, suffix, sl) == 0)
				mult = units[i].mult;
	if (mult == 0)
		return -EINVAL; /* unknown unit, or a bare number where a unit is needed */
	for (unsigned int i = 0; i < fd; i++)
		pow10 *= 10;
	/* frac < 10^9 and mult <= 2^30: the product stays below 2^60. */
	if ((frac * mult) % pow10)
		return -EINVAL; /* not a whole number of the base unit */
	part = frac * mult / pow10;
	if (__builtin_mul_overflow(v, mult, &whole) || __builtin_add_overflow(whole, part, &sum))
		return -ERANGE;
	*ret = sum;
	return 0;
}

static const struct unit duration_units[] = {
	{"ns", 1}, {"us", 1000}, {"µs", 1000}, {"ms", 1000000}, {"s", 1000000000},
};

int nt_parse_duration_ns(const char *s, uint64_t *ret)
{
	/* A bare number is ambiguous for a duration; knobs give their own unit. */
	return parse_with_units(s, duration_units, ARRAY_SIZE(duration_units), 0, ret);
}

int nt_parse_size(const char *s, uint64_t *ret)
{
	static const struct unit units[] = {
		{"B", 1},
		{"k", 1024},
		{"K", 1024},
		{"KiB", 1024},
		{"M", 1024 * 1024},
		{"MiB", 1024 * 1024},
		{"G", 1024ull << 20},
		{"GiB", 1024ull << 20},
		{"kB", 1000},
		{"MB", 1000000},
		{"GB", 1000000000},
	};

	return parse_with_units(s, units, ARRAY_SIZE(units), 1, ret);
}

static bool is_pow2(uint64_t v)
{
	return v && !(v & (v - 1));
}

static uint64_t enum_count(const struct nt_knob *k)
{
	uint64_t n = 0;

	while (k->names[n])
		n++;
	return n;
}

static int parse_scalar(const struct nt_knob *k, const char *text, uint64_t *ret,
			struct nt_err *reterr)
{
	uint64_t v, max = k->max ? k->max : (k->type == NT_T_U32 ? UINT32_MAX : UINT64_MAX);
	bool b;
	int r;

	switch (k->type) {
	case NT_T_BOOL:
		r = nt_parse_bool(text, &b);
		if (r < 0)
			return nt_err_set(reterr, -EINVAL, "'%s' is not a boolean (on/off)", text);
		*ret = b;
		return 0;
	case NT_T_ENUM:
		for (v = 0; k->names[v]; v++)
			if (streq(text, k->names[v])) {
				*ret = v;
				return 0;
			}
		if (nt_parse_bool(text, &b) >= 0) {
			*ret = b;
			return 0;
		}
		r = parse_dec(text, &v);
		if (r == -EINVAL) {
			char names[128] = "";

			for (size_t i = 0; k->names[i]; i++)
				snprintf(names + strlen(names), sizeof(names) - strlen(names),
					 "%s%s", i ? ", " : "", k->names[i]);
			return nt_err_set(reterr, r, "'%s' is not one of %s", text, names);
		}
		break; /* a number: range-checked below (max: the last name) */
	case NT_T_USEC:
	case NT_T_NSEC:
		r = parse_dec(text, &v);
		if (r == -EINVAL) {
			/* A bare number, even "1.0", is in the knob's own unit. */
			r = parse_with_units(text, duration_units, ARRAY_SIZE(duration_units),
					     k->type == NT_T_USEC ? 1000 : 1, &v);
			if (r == -EINVAL)
				return nt_err_set(reterr, r,
						  "'%s' is not a duration (e.g. 50us, 2ms, 100ns)",
						  text);
			if (r >= 0 && k->type == NT_T_USEC) {
				if (v % 1000)
					return nt_err_set(
						reterr, -EINVAL,
						"'%s' is not a whole number of microseconds", text);
				v /= 1000;
			}
		}
		break;
	case NT_T_BYTES:
	case NT_T_TRIPLE:
		r = nt_parse_size(text, &v);
		if (r == -EINVAL)
			return nt_err_set(reterr, r, "'%s' is not a size (e.g. 4096, 64KiB, 16MiB)",
					  text);
		break;
	default:
		r = parse_dec(text, &v);
		if (r == -EINVAL)
			return nt_err_set(reterr, r, "'%s' is not a non-negative integer", text);
		break;
	}
	if (r == -ERANGE || (r >= 0 && (v > max || v < k->min)))
		return nt_err_set(reterr, -ERANGE,
				  "'%s' is out of range %" PRIu64 "..%" PRIu64 "%s%s", text, k->min,
				  max, k->unit ? " " : "", k->unit ?: "");
	if (r < 0)
		return nt_err_set(reterr, r, "'%s': %s", text, strerror(-r));
	if (k->pow2 && v != 0 && !is_pow2(v))
		return nt_err_set(reterr, -EINVAL,
				  "%" PRIu64 " is not a power of two (the kernel would round it up "
				  "and the value would never verify)",
				  v);
	*ret = v;
	return 0;
}

int nt_knob_parse(const struct nt_knob *k, const char *text, char **ret, struct nt_err *reterr)
{
	char *out = NULL;
	uint64_t v;
	int r;

	switch (k->type) {
	case NT_T_CPUMASK:
	case NT_T_CPULIST:
		return nt_err_set(reterr, -EINVAL, "CPU sets are resolved per device");
	case NT_T_RSS_INDIR:
		return nt_rss_indir_parse(text, ret, reterr);
	case NT_T_HEXKEY: {
		uint8_t key[NT_RSS_KEY_MAX];

		r = nt_rss_key_parse(text, key, sizeof(key));
		if (r < 0)
			return nt_err_set(reterr, -EINVAL,
					  "'%s' is not a key: 1 to %d hex bytes (6d:5a:56:...)",
					  text, NT_RSS_KEY_MAX);
		r = nt_rss_key_format(key, (size_t)r, &out);
		if (r < 0)
			return r;
		break;
	}
	case NT_T_RXHASH: {
		uint32_t bits;

		r = nt_rss_fields_parse(text, &bits);
		if (r < 0)
			return nt_err_set(reterr, -EINVAL,
					  "'%s' is not a set of hash fields: ethtool's letters, "
					  "e.g. sd (addresses) or sdfn (addresses and ports)",
					  text);
		r = nt_rss_fields_format(bits, &out);
		if (r < 0)
			return r;
		break;
	}
	case NT_T_RAW: {
		size_t len = strlen(text);

		if (len == 0 || len > 4096 || strpbrk(text, "\n\r"))
			return nt_err_set(reterr, -EINVAL,
					  "sysctl value must be one non-empty line");
		out = strdup(text);
		break;
	}
	case NT_T_TRIPLE: {
		uint64_t t[3];
		char buf[128];
		const char *p = text;

		for (int i = 0; i < 3; i++) {
			size_t n;

			while (isspace((unsigned char)*p))
				p++;
			n = strcspn(p, " \t");
			if (n == 0 || n >= sizeof(buf))
				return nt_err_set(reterr, -EINVAL,
						  "'%s' needs three sizes: min default max", text);
			memcpy(buf, p, n);
			buf[n] = '\0';
			r = parse_scalar(k, buf, &t[i], reterr);
			if (r < 0)
				return r;
			p += n;
		}
		while (isspace((unsigned char)*p))
			p++;
		if (*p)
			return nt_err_set(reterr, -EINVAL, "'%s' needs exactly three sizes", text);
		if (t[0] > t[1] || t[1] > t[2])
			return nt_err_set(reterr, -EINVAL, "'%s': need min <= default <= max",
					  text);
		if (asprintf(&out, "%" PRIu64 "\t%" PRIu64 "\t%" PRIu64, t[0], t[1], t[2]) < 0)
			out = NULL;
		break;
	}
	default:
		if (k->max_from_dev && streq(text, "max")) {
			out = strdup("max");
			break;
		}
		r = parse_scalar(k, text, &v, reterr);
		if (r < 0)
			return r;
		if (asprintf(&out, "%" PRIu64, v) < 0)
			out = NULL;
		break;
	}
	if (!out)
		return -ENOMEM;
	*ret = out;
	return 0;
}

/* Compares whitespace-separated words. */
static bool words_equal(const char *a, const char *b)
{
	for (;;) {
		size_t na, nb;

		while (isspace((unsigned char)*a))
			a++;
		while (isspace((unsigned char)*b))
			b++;
		if (!*a || !*b)
			return !*a && !*b;
		na = strcspn(a, " \t\n");
		nb = strcspn(b, " \t\n");
		if (na != nb || strncmp(a, b, na) != 0)
			return false;
		a += na;
		b += nb;
	}
}

/* Tables by meaning: a spec ("equal 4") stands for the table of the other's size. */
static bool indir_equal(const char *a, const char *b)
{
	_cleanup_free_ uint32_t *ta = NULL, *tb = NULL;
	int na = nt_rss_indir_size(a), nb = nt_rss_indir_size(b), n;

	if (na < 0 || nb < 0)
		return false;
	if (na == 0 && nb == 0)
		return words_equal(a, b);
	n = na ?: nb;
	if ((na && nb && na != nb) || n > NT_RSS_INDIR_MAX)
		return false;
	ta = calloc((size_t)n, sizeof(*ta));
	tb = calloc((size_t)n, sizeof(*tb));
	if (!ta || !tb || nt_rss_indir_expand(a, (unsigned int)n, ta) < 0 ||
	    nt_rss_indir_expand(b, (unsigned int)n, tb) < 0)
		return false;
	return memcmp(ta, tb, (size_t)n * sizeof(*ta)) == 0;
}

static bool bytes_equal(const char *a, const char *b)
{
	uint8_t ka[NT_RSS_KEY_MAX], kb[NT_RSS_KEY_MAX];
	int na = nt_rss_key_parse(a, ka, sizeof(ka)), nb = nt_rss_key_parse(b, kb, sizeof(kb));

	return na >= 0 && na == nb && memcmp(ka, kb, (size_t)na) == 0;
}

static bool fields_equal(const char *a, const char *b)
{
	uint32_t fa, fb;

	return nt_rss_fields_parse(a, &fa) >= 0 && nt_rss_fields_parse(b, &fb) >= 0 && fa == fb;
}

bool nt_knob_value_equal(const struct nt_knob *k, const char *a, const char *b)
{
	struct nt_cpuset sa, sb;
	uint64_t va, vb;

	switch (k->type) {
	case NT_T_RSS_INDIR:
		return indir_equal(a, b);
	case NT_T_HEXKEY:
		return bytes_equal(a, b);
	case NT_T_RXHASH:
		return fields_equal(a, b);
	case NT_T_CPUMASK:
		return nt_cpuset_parse_mask(a, &sa, NULL) >= 0 &&
		       nt_cpuset_parse_mask(b, &sb, NULL) >= 0 && nt_cpuset_equal(&sa, &sb);
	case NT_T_CPULIST:
		return nt_cpuset_parse_list(a, &sa, NULL) >= 0 &&
		       nt_cpuset_parse_list(b, &sb, NULL) >= 0 && nt_cpuset_equal(&sa, &sb);
	case NT_T_TRIPLE:
	case NT_T_RAW:
		return words_equal(a, b);
	default:
		if (parse_dec(a, &va) < 0 || parse_dec(b, &vb) < 0)
			return words_equal(a, b);
		return va == vb;
	}
}

int nt_knob_format(const struct nt_knob *k, const char *value, char **ret)
{
	uint64_t v;
	char *out;
	int r;

	if (k->type == NT_T_RSS_INDIR && nt_rss_indir_size(value) > 0) {
		int n = nt_rss_indir_size(value);
		_cleanup_free_ uint32_t *t = calloc((size_t)n, sizeof(*t));

		if (!t)
			return -ENOMEM;
		/* A table naming queues beyond NT_RSS_INDIR_MAX is shown as it is. */
		if (nt_rss_indir_expand(value, (unsigned int)n, t) >= 0 &&
		    nt_rss_indir_summary(t, (unsigned int)n, 0, ret) >= 0)
			return 0;
	}
	if (k->type == NT_T_BOOL && parse_dec(value, &v) >= 0)
		r = asprintf(&out, "%s", v ? "on" : "off");
	else if (k->type == NT_T_ENUM && parse_dec(value, &v) >= 0 && v < enum_count(k))
		r = asprintf(&out, "%s", k->names[v]);
	else if (k->type == NT_T_TRIPLE)
		r = asprintf(&out, "%s", value);
	else if (k->unit && (k->type == NT_T_USEC || k->type == NT_T_NSEC) &&
		 parse_dec(value, &v) >= 0)
		r = asprintf(&out, "%" PRIu64 " %s", v, k->unit);
	else if (k->type == NT_T_CPUMASK || k->type == NT_T_CPULIST)
		r = asprintf(&out, "%s", value[0] ? value : "(none)");
	else
		r = asprintf(&out, "%s", value);
	if (r < 0)
		return -ENOMEM;
	if (k->type == NT_T_TRIPLE)
		for (char *c = out; *c; c++)
			if (*c == '\t')
				*c = ' ';
	*ret = out;
	return 0;
}
