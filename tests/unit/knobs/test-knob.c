// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The number and unit parsers of knobs/knob.c (nt_parse_duration_ns, nt_parse_size and the typed
 * nt_knob_parse) at their edges: fractions, leading and trailing zeros, values next to
 * 2^64, exponent-like text, every unit of every knob type. Issue #16: "0000000.0" for a
 * nanosecond knob reached a division by zero (the knob's unit was taken as 0).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "knob.h"
#include "nt-test.h"

struct num_case {
	const char *in;
	int r;
	uint64_t v;
};

static void check_num(int (*parse)(const char *, uint64_t *), const char *what,
		      const struct num_case *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint64_t v = 0xdeadbeef;
		int r = parse(c[i].in, &v);

		if (r != c[i].r)
			fail_msg("%s('%s') = %d, want %d", what, c[i].in, r, c[i].r);
		if (r == 0 && v != c[i].v)
			fail_msg("%s('%s') = %" PRIu64 ", want %" PRIu64, what, c[i].in, v, c[i].v);
		if (r < 0 && v != 0xdeadbeef)
			fail_msg("%s('%s') failed but wrote its result", what, c[i].in);
	}
}

static void test_duration(void **state)
{
	static const struct num_case c[] = {
		/* A bare number has no unit to be a duration in. */
		{"5", -EINVAL, 0},
		{"0000000.0", -EINVAL, 0},
		{"0.0", -EINVAL, 0},
		/* Every unit. */
		{"7ns", 0, 7},
		{"7us", 0, 7000},
		{"7µs", 0, 7000},
		{"7ms", 0, 7000000},
		{"7s", 0, 7000000000},
		{"0ns", 0, 0},
		{"0000000.0s", 0, 0},
		{" 0.0 us ", 0, 0},
		{"1 ms", 0, 1000000},
		/* Fractions: a whole number of nanoseconds, nine significant digits at most. */
		{"1.5ms", 0, 1500000},
		{"0.000000001s", 0, 1},
		{"0.0000000001s", -EINVAL, 0},
		{"1.500000000000000000000ms", 0, 1500000},
		{"0.5ns", -EINVAL, 0},
		{"1.0ns", 0, 1},
		{"1.0001us", -EINVAL, 0},
		{"000000001.500us", 0, 1500},
		{".5ms", -EINVAL, 0},
		{"5.ms", -EINVAL, 0},
		{"5..0ms", -EINVAL, 0},
		{"1.2.3ms", -EINVAL, 0},
		/* Around 2^64 ns. */
		{"18446744073709551615ns", 0, UINT64_MAX},
		{"18446744073709551616ns", -ERANGE, 0},
		{"18446744073.709551615s", 0, UINT64_MAX},
		{"18446744073.709551616s", -ERANGE, 0},
		{"18446744073.8s", -ERANGE, 0},
		{"18446744074s", -ERANGE, 0},
		{"18446744073709552ms", -ERANGE, 0},
		{"99999999999999999999999999999999999999s", -ERANGE, 0},
		/* No exponents, signs, hex or unknown units. */
		{"1e9ns", -EINVAL, 0},
		{"1e-3s", -EINVAL, 0},
		{"1.5e3us", -EINVAL, 0},
		{"1e308s", -EINVAL, 0},
		{"-1ms", -EINVAL, 0},
		{"+1ms", -EINVAL, 0},
		{"0x10ns", -EINVAL, 0},
		{"1 parsec", -EINVAL, 0},
		{"1msms", -EINVAL, 0},
		{"1m", -EINVAL, 0},
		{"", -EINVAL, 0},
		{"us", -EINVAL, 0},
	};

	(void)state;
	check_num(nt_parse_duration_ns, "nt_parse_duration_ns", c, ARRAY_SIZE(c));
}

static void test_size(void **state)
{
	static const struct num_case c[] = {
		/* A bare number is bytes, with or without a fraction. */
		{"0000000.0", 0, 0},
		{"0", 0, 0},
		{"007", 0, 7},
		{"7.0", 0, 7},
		{"7.5", -EINVAL, 0},
		/* Every unit. */
		{"3B", 0, 3},
		{"3k", 0, 3072},
		{"3K", 0, 3072},
		{"3KiB", 0, 3072},
		{"3M", 0, 3 << 20},
		{"3MiB", 0, 3 << 20},
		{"3G", 0, 3ull << 30},
		{"3GiB", 0, 3ull << 30},
		{"3kB", 0, 3000},
		{"3MB", 0, 3000000},
		{"3GB", 0, 3000000000},
		{"0.0GiB", 0, 0},
		{"1.5k", 0, 1536},
		{"1.5GB", 0, 1500000000},
		{"0.25MiB", 0, 1 << 18},
		{"0.1B", -EINVAL, 0},
		{"0.1k", -EINVAL, 0},
		{"0.0009765625K", -EINVAL, 0}, /* 1 byte, but ten significant digits */
		{"0.5000000000000000000000k", 0, 512},
		/* Around 2^64 bytes. */
		{"18446744073709551615", 0, UINT64_MAX},
		{"18446744073709551615B", 0, UINT64_MAX},
		{"18446744073709551616", -ERANGE, 0},
		{"17179869183G", 0, UINT64_MAX - (1ull << 30) + 1},
		{"17179869183.999999999G", -EINVAL, 0},
		{"17179869184G", -ERANGE, 0},
		{"18014398509481983.5K", 0, UINT64_MAX - 511},
		{"18014398509481983.999K", -EINVAL, 0},
		{"18014398509481984K", -ERANGE, 0},
		{"18446744073709551615.0", 0, UINT64_MAX},
		{"18446744073709551615.5", -EINVAL, 0},
		{"18446744073.709551615GB", 0, UINT64_MAX},
		{"18446744073.709551616GB", -ERANGE, 0},
		{"184467440737095516150000000000000000000000000", -ERANGE, 0},
		/* No exponents, signs, hex or unknown units. */
		{"1e6", -EINVAL, 0},
		{"1E6", -EINVAL, 0},
		{"4e308", -EINVAL, 0},
		{"-1k", -EINVAL, 0},
		{"0x10", -EINVAL, 0},
		{"1b", -EINVAL, 0},
		{"1KB", -EINVAL, 0},
		{"1KiBB", -EINVAL, 0},
		{"1T", -EINVAL, 0},
		{"", -EINVAL, 0},
		{".", -EINVAL, 0},
		{"k", -EINVAL, 0},
	};

	(void)state;
	check_num(nt_parse_size, "nt_parse_size", c, ARRAY_SIZE(c));
}

struct knob_case {
	const char *key, *in, *out;
	int r;
};

static const struct knob_case knob_cases[] = {
	/* Every family's usual forms. */
	{"net.core.busy_poll", "50us", "50", 0},
	{"net.core.busy_poll", "1ms", "1000", 0},
	{"net.core.busy_poll", "50", "50", 0},
	{"net.core.busy_poll", "1500ns", NULL, -EINVAL},
	{"net.core.busy_poll", "50 parsecs", NULL, -EINVAL},
	{"net.core.busy_poll", "-1", NULL, -EINVAL},
	{"gro_flush_timeout", "200us", "200000", 0},
	{"gro_flush_timeout", "1.5ms", "1500000", 0},
	{"gro_flush_timeout", "5s", NULL, -ERANGE},
	{"napi.irq-suspend-timeout", "20ms", "20000000", 0},
	/* enum netdev_napi_threaded: names, booleans and numbers up to the last name */
	{"napi.threaded", "busy-poll", "2", 0},
	{"napi.threaded", "on", "1", 0},
	{"napi.threaded", "off", "0", 0},
	{"napi.threaded", "2", "2", 0},
	{"napi.threaded", "3", NULL, -ERANGE},
	{"napi.threaded", "busypoll", NULL, -EINVAL},
	{"net.core.rmem_max", "16MiB", "16777216", 0},
	{"net.core.rmem_max", "4k", "4096", 0},
	{"net.core.rmem_max", "2GiB", NULL, -ERANGE},
	{"net.core.rmem_max", "99999999999999999999999", NULL, -ERANGE},
	{"net.ipv4.tcp_rmem", "4096 131072 16MiB", "4096\t131072\t16777216", 0},
	{"net.ipv4.tcp_rmem", "4096 131072", NULL, -EINVAL},
	{"net.ipv4.tcp_rmem", "8192 4096 16MiB", NULL, -EINVAL},
	{"threaded", "on", "1", 0},
	{"threaded", "off", "0", 0},
	{"threaded", "2", NULL, -EINVAL},
	{"rps_flow_cnt", "4096", "4096", 0},
	{"rps_flow_cnt", "100", NULL, -EINVAL},
	{"rings.rx", "max", "max", 0},
	{"rings.rx", "0", NULL, -ERANGE},
	{"coalesce.rx-usecs", "8us", "8", 0},
	{"napi.defer-hard-irqs", "2147483648", NULL, -ERANGE},
	{"net.ipv4.tcp_tw_reuse", "2", "2", 0},
	/* Issue #16 and its neighbours on a nanosecond knob: a bare number is nanoseconds. */
	{"gro_flush_timeout", "0000000.0", "0", 0},
	{"gro_flush_timeout", "0.0", "0", 0},
	{"gro_flush_timeout", "0.", NULL, -EINVAL},
	{"gro_flush_timeout", "00", "0", 0},
	{"gro_flush_timeout", "5.0", "5", 0},
	{"gro_flush_timeout", "0005.000000000000000", "5", 0},
	{"gro_flush_timeout", "1.5", NULL, -EINVAL},
	{"gro_flush_timeout", "0.000000001", NULL, -EINVAL},
	{"gro_flush_timeout", "4294967295", "4294967295", 0},
	{"gro_flush_timeout", "4294967295.0", "4294967295", 0},
	{"gro_flush_timeout", "4294967296", NULL, -ERANGE},
	{"gro_flush_timeout", "4294967296.0", NULL, -ERANGE},
	{"gro_flush_timeout", "4.294967295s", "4294967295", 0},
	{"gro_flush_timeout", "4.294967296s", NULL, -ERANGE},
	{"gro_flush_timeout", "99999999999999999999.0", NULL, -ERANGE},
	{"gro_flush_timeout", "1e3", NULL, -EINVAL},
	{"gro_flush_timeout", "1.5e3", NULL, -EINVAL},
	{"napi.gro-flush-timeout", "0000000.0", "0", 0},
	{"napi.irq-suspend-timeout", "0000000.0", "0", 0},
	{"napi.irq-suspend-timeout", "20.0ms", "20000000", 0},
	/* On a microsecond knob a bare number is microseconds. */
	{"net.core.busy_poll", "0000000.0", "0", 0},
	{"net.core.busy_poll", "2.0", "2", 0},
	{"net.core.busy_poll", "2.5", NULL, -EINVAL},
	{"net.core.busy_poll", "0.001", NULL, -EINVAL},
	{"net.core.busy_poll", "2147483647.0", "2147483647", 0},
	{"net.core.busy_poll", "2147483648.0", NULL, -ERANGE},
	{"net.core.busy_poll", "18446744073709551615", NULL, -ERANGE},
	{"net.core.busy_poll", "18446744073709551615.0", NULL, -ERANGE},
	{"net.core.busy_poll", "0.001ms", "1", 0},
	{"net.core.busy_poll", "2147.483647s", "2147483647", 0},
	{"net.core.busy_poll", "2147.483648s", NULL, -ERANGE},
	{"net.core.busy_poll", "18446744073709551615ns", NULL, -EINVAL},
	{"net.core.netdev_budget_usecs", "0000000.0", NULL, -ERANGE}, /* min 1 */
	{"coalesce.rx-usecs", "0000000.0", "0", 0},
	/* Bytes: a bare number is bytes. */
	{"net.core.optmem_max", "0000000.0", "0", 0},
	{"net.core.optmem_max", "1.5", NULL, -EINVAL},
	{"net.core.optmem_max", "1.5k", "1536", 0},
	{"net.core.optmem_max", "1.999999999GiB", NULL, -EINVAL},
	{"net.core.optmem_max", "2147483647.0", "2147483647", 0},
	{"net.core.optmem_max", "2GiB", NULL, -ERANGE},
	{"net.core.rmem_max", "0000000.0", NULL, -ERANGE}, /* min 1 */
	{"net.ipv4.tcp_rmem", "0000001.0 1.5k 0.5MiB", "1\t1536\t524288", 0},
	{"net.ipv4.tcp_rmem", "0000000.0 1 1", NULL, -ERANGE},
	{"net.ipv4.tcp_rmem", "1 1 17179869184G", NULL, -ERANGE},
	/* Integer, boolean, CPU and raw types take no fraction or unit. */
	{"rings.rx", "0000000.0", NULL, -EINVAL},
	{"rings.rx", "0000000512", "512", 0},
	{"rings.rx", "512.0", NULL, -EINVAL},
	{"rings.rx", "512k", NULL, -EINVAL},
	{"napi.defer-hard-irqs", "0000000.0", NULL, -EINVAL},
	{"threaded", "0000000.0", NULL, -EINVAL},
	{"threaded", "1.0", NULL, -EINVAL},
	{"rps_cpus", "0000000.0", NULL, -EINVAL},
	{"smp_affinity", "0000000.0", NULL, -EINVAL},
	{"net.ipv4.tcp_fastopen", "0000000.0", "0000000.0", 0},
};

static void test_knob_values(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(knob_cases); i++) {
		const struct knob_case *c = &knob_cases[i];
		const struct nt_knob *k = nt_knob_lookup(c->key);
		struct nt_err e = {};
		char *out = NULL;
		int r;

		assert_non_null(k);
		r = nt_knob_parse(k, c->in, &out, &e);
		if (r != c->r)
			fail_msg("%s '%s': got %d (%s), want %d", c->key, c->in, r, e.msg, c->r);
		if (c->out)
			assert_string_equal(out, c->out);
		else
			assert_true(e.msg[0] != '\0');
		free(out);
	}
}

/* One unit a knob's type accepts: its size in base units is num / den. */
struct unit_mult {
	const char *suffix;
	uint64_t num, den;
};

static const struct unit_mult usec_units[] = {
	{"", 1, 1}, {"ns", 1, 1000}, {"us", 1, 1}, {"µs", 1, 1}, {"ms", 1000, 1}, {"s", 1000000, 1},
};
static const struct unit_mult nsec_units[] = {
	{"", 1, 1},	 {"ns", 1, 1},	     {"us", 1000, 1},
	{"µs", 1000, 1}, {"ms", 1000000, 1}, {"s", 1000000000, 1},
};
static const struct unit_mult byte_units[] = {
	{"", 1, 1},	     {"B", 1, 1},	{"k", 1024, 1},	     {"K", 1024, 1},
	{"KiB", 1024, 1},    {"M", 1 << 20, 1}, {"MiB", 1 << 20, 1}, {"G", 1 << 30, 1},
	{"GiB", 1 << 30, 1}, {"kB", 1000, 1},	{"MB", 1000000, 1},  {"GB", 1000000000, 1},
};

/* Written in every unit; @twice is twice the number, UINT64_MAX for 2^64 (out of range). */
static const struct {
	const char *num;
	uint64_t twice;
} unit_values[] = {
	{"0000000.0", 0},
	{"1", 2},
	{"1.5", 3},
	{"18446744073709551616", UINT64_MAX},
};

static void check_unit_value(const struct nt_knob *k, const struct unit_mult *u, size_t v)
{
	uint64_t max = k->max ? k->max : UINT64_MAX, x;
	char in[64], want[64], buf[200];
	struct nt_err e = {};
	char *out = NULL;
	int r, wr = 0;

	snprintf(in, sizeof(in), "%s%s", unit_values[v].num, u->suffix);
	x = unit_values[v].twice * u->num;
	if (unit_values[v].twice == UINT64_MAX)
		wr = -ERANGE;
	else if (x % (2 * u->den))
		wr = -EINVAL; /* not a whole number of base units */
	else if (x / (2 * u->den) < k->min || x / (2 * u->den) > max)
		wr = -ERANGE;
	else
		snprintf(want, sizeof(want), "%" PRIu64, x / (2 * u->den));
	if (k->type == NT_T_TRIPLE) {
		/* The same value three times: min = default = max. */
		snprintf(buf, sizeof(buf), "%s %s %s", in, in, in);
		r = nt_knob_parse(k, buf, &out, &e);
		snprintf(buf, sizeof(buf), "%s\t%s\t%s", want, want, want);
	} else {
		r = nt_knob_parse(k, in, &out, &e);
		snprintf(buf, sizeof(buf), "%s", want);
	}
	if (r != wr)
		fail_msg("%s '%s': got %d (%s), want %d", k->key, in, r, e.msg, wr);
	if (r == 0)
		assert_string_equal(out, buf);
	else
		assert_true(e.msg[0] != '\0');
	free(out);
}

/*
 * Every knob of every type: the value, 1, 1.5 and 2^64 in every unit its type
 * takes; a clean rejection of fractions, exponents and units where the type has none.
 */
static void test_every_unit_of_every_knob(void **state)
{
	static const char *const no_units[] = {"0000000.0", "0.0", "1.5", "1e9", "1k", "0x1"};

	(void)state;
	for (size_t i = 0; i < _NT_KNOB_MAX; i++) {
		const struct nt_knob *k = &nt_knobs[i];
		const struct unit_mult *u = NULL;
		size_t n = 0;

		switch (k->type) {
		case NT_T_USEC:
			u = usec_units;
			n = ARRAY_SIZE(usec_units);
			break;
		case NT_T_NSEC:
			u = nsec_units;
			n = ARRAY_SIZE(nsec_units);
			break;
		case NT_T_BYTES:
		case NT_T_TRIPLE:
			u = byte_units;
			n = ARRAY_SIZE(byte_units);
			break;
		default:
			break;
		}
		for (size_t j = 0; j < n; j++)
			for (size_t v = 0; v < ARRAY_SIZE(unit_values); v++)
				check_unit_value(k, &u[j], v);
		if (u)
			continue;
		for (size_t j = 0; j < ARRAY_SIZE(no_units); j++) {
			struct nt_err e = {};
			char *out = NULL;
			int r = nt_knob_parse(k, no_units[j], &out, &e);

			if (k->type == NT_T_RAW) {
				assert_int_equal(r, 0);
				assert_string_equal(out, no_units[j]);
			} else if (r != -EINVAL) {
				fail_msg("%s '%s': got %d, want -EINVAL", k->key, no_units[j], r);
			}
			free(out);
		}
	}
}

/* An enum knob prints each value by its name, and a number it has no name for as is. */
static void test_enum_format(void **state)
{
	const struct nt_knob *k = &nt_knobs[NT_KNOB_NAPI_THREADED];
	static const char *const cases[][2] = {
		{"0", "off"}, {"1", "on"}, {"2", "busy-poll"}, {"7", "7"}};
	struct nt_err e = {};
	char *out = NULL;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		assert_int_equal(nt_knob_format(k, cases[i][0], &out), 0);
		assert_string_equal(out, cases[i][1]);
		free(out);
	}
	assert_int_equal(nt_knob_parse(k, "fast", &out, &e), -EINVAL);
	assert_string_equal(e.msg, "'fast' is not one of off, on, busy-poll");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_duration),
		cmocka_unit_test(test_size),
		cmocka_unit_test(test_knob_values),
		cmocka_unit_test(test_enum_format),
		cmocka_unit_test(test_every_unit_of_every_knob),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
