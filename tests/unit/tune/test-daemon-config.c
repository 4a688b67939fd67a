// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The daemon's configuration: the defaults come from the key table and are what the shipped
 * file says; every kind of mistake is refused with file:line:col and nothing half-loaded;
 * durations and the formatter agree.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon-config.h"
#include "nt-test.h"

static int load(const char *text, struct nt_daemon_config *c, struct nt_msgs *msgs)
{
	return nt_daemon_config_load_buffer("t.yaml", text, strlen(text), c, msgs);
}

/* The first message, for asserts; "" if none. */
static const char *msg0(const struct nt_msgs *m)
{
	return m->n ? m->msg[0] : "";
}

static void test_defaults(void **state)
{
	struct nt_daemon_config c = {};

	(void)state;
	assert_int_equal(nt_daemon_config_defaults(&c), 0);
	assert_string_equal(c.profile, "balanced");
	assert_int_equal(c.on_stop, NT_ON_STOP_REVERT);
	assert_int_equal(c.drift, NT_DRIFT_REPORT);
	assert_int_equal(c.verify_interval_ns, 30000000000ull);
	assert_int_equal(c.reassert_limit, 3);
	assert_int_equal(c.reassert_window_ns, 600000000000ull);
	assert_null(c.path);
	nt_daemon_config_done(&c);
}

/* Every key's default parses, lies in its range, and formats back to itself. */
static void test_table(void **state)
{
	struct nt_daemon_config c = {};

	(void)state;
	assert_int_equal(nt_daemon_config_defaults(&c), 0);
	for (size_t i = 0; i < nt_dconf_n_keys; i++) {
		const struct nt_dconf_key *k = &nt_dconf_keys[i];
		char *text = NULL;

		assert_non_null(k->help);
		assert_true(strlen(k->help) > 20);
		assert_non_null(nt_dconf_type_to_string(k->type));
		assert_int_equal(nt_daemon_config_format(&c, k, &text), 0);
		assert_string_equal(text, k->def);
		free(text);
	}
	nt_daemon_config_done(&c);
}

static void test_load(void **state)
{
	struct nt_daemon_config c = {};
	struct nt_msgs msgs = {};
	char *text = NULL;

	(void)state;
	assert_int_equal(load("profile: /etc/napitune/mine.yaml\non-stop: keep\ndrift: reassert\n"
			      "verify-interval: 1500ms\nreassert-limit: 7\nreassert-window: 2h\n",
			      &c, &msgs),
			 0);
	assert_int_equal(msgs.n, 0);
	assert_string_equal(c.profile, "/etc/napitune/mine.yaml");
	assert_string_equal(c.path, "t.yaml");
	assert_int_equal(c.on_stop, NT_ON_STOP_KEEP);
	assert_int_equal(c.drift, NT_DRIFT_REASSERT);
	assert_int_equal(c.verify_interval_ns, 1500000000ull);
	assert_int_equal(c.reassert_limit, 7);
	assert_int_equal(c.reassert_window_ns, 7200000000000ull);
	assert_int_equal(nt_daemon_config_format(&c, &nt_dconf_keys[3], &text), 0);
	assert_string_equal(text, "1500ms");
	free(text);
	nt_daemon_config_done(&c);

	/* "none": watch only; an empty file and a comment-only file are the defaults */
	assert_int_equal(load("profile: none\n", &c, &msgs), 0);
	assert_null(c.profile);
	nt_daemon_config_done(&c);
	assert_int_equal(load("", &c, &msgs), 0);
	assert_string_equal(c.profile, "balanced");
	nt_daemon_config_done(&c);
	assert_int_equal(load("# nothing here\n", &c, &msgs), 0);
	assert_int_equal(c.drift, NT_DRIFT_REPORT);
	nt_daemon_config_done(&c);
	assert_int_equal(msgs.n, 0);
}

/* Each mistake: refused, where it is, and the configuration passed in is untouched. */
static void test_mistakes(void **state)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
		{"profil: balanced\n",
		 "t.yaml:1:1: unknown key 'profil' (did you mean 'profile'?)"},
		{"on-stop: maybe\n", "t.yaml:1:10: 'on-stop': must be one of revert, keep"},
		{"drift: fight\n", "t.yaml:1:8: 'drift': must be one of report, reassert"},
		{"verify-interval: 30\n", "'verify-interval': '30' is not a duration with a unit"},
		{"verify-interval: 10ms\n", "'verify-interval': 10ms is outside 1s..24h"},
		{"reassert-window: 2d\n", "'reassert-window': '2d' is not a duration"},
		{"reassert-limit: -1\n", "'reassert-limit': '-1' is not a whole number"},
		{"reassert-limit: 0\n", "'reassert-limit': 0 is outside 1..1000"},
		{"verify-interval: 99999999999999999999s\n", "is not a duration"},
		{"reassert-window: 1.5min\n", "is not a duration"},
		{"profile: ''\n", "'profile': empty"},
		{"profile: [a, b]\n", "t.yaml:1:10: 'profile' must be a single value, not a list"},
		{"drift: report\ndrift: reassert\n", "t.yaml:2:1: duplicate key 'drift'"},
		{"- profile: x\n", "the configuration must be a mapping, not a list"},
		{"a: &x 1\nb: *x\n", "YAML aliases are not allowed in the configuration"},
		{"profile: x\n---\nprofile: y\n", "more than one YAML document"},
		{"profile: [\n", "YAML syntax error"},
		{"? [a]\n: 1\n", "keys must be plain strings"},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct nt_daemon_config c = {.reassert_limit = 42};
		struct nt_msgs msgs = {};

		assert_int_equal(load(cases[i].text, &c, &msgs), -EINVAL);
		if (!msgs.n_errors || !strstr(msg0(&msgs), cases[i].want))
			fail_msg("case %zu: got '%s', want '%s'", i, msg0(&msgs), cases[i].want);
		assert_int_equal(c.reassert_limit, 42); /* untouched */
		assert_null(c.profile);
		nt_msgs_done(&msgs);
	}
}

static void test_every_mistake_reported(void **state)
{
	struct nt_daemon_config c = {};
	struct nt_msgs msgs = {};

	(void)state;
	assert_int_equal(load("drift: x\non-stop: y\nfoo: 1\n", &c, &msgs), -EINVAL);
	assert_int_equal(msgs.n_errors, 3);
	nt_msgs_done(&msgs);
}

static void test_files(void **state)
{
	char *dir = nt_test_mkdtemp(), *path = NULL, *shipped = NULL;
	struct nt_daemon_config c = {}, d = {};
	struct nt_msgs msgs = {};

	(void)state;
	assert_true(asprintf(&path, "%s/missing.yaml", dir) > 0);
	assert_int_equal(nt_daemon_config_load(path, &c, &msgs), -ENOENT);
	assert_string_equal(c.profile, "balanced"); /* the defaults */
	nt_daemon_config_done(&c);
	free(path);

	/* the shipped file says exactly what the defaults are */
	shipped = nt_test_data("../../systemd/napitune.yaml");
	assert_int_equal(nt_daemon_config_load(shipped, &c, &msgs), 0);
	assert_int_equal(msgs.n, 0);
	assert_int_equal(nt_daemon_config_defaults(&d), 0);
	for (size_t i = 0; i < nt_dconf_n_keys; i++) {
		char *a = NULL, *b = NULL;

		assert_int_equal(nt_daemon_config_format(&c, &nt_dconf_keys[i], &a), 0);
		assert_int_equal(nt_daemon_config_format(&d, &nt_dconf_keys[i], &b), 0);
		assert_string_equal(a, b);
		free(a);
		free(b);
	}
	nt_daemon_config_done(&c);
	nt_daemon_config_done(&d);
	free(shipped);
	nt_test_rmtree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_load),
		cmocka_unit_test(test_mistakes),
		cmocka_unit_test(test_every_mistake_reported),
		cmocka_unit_test(test_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
