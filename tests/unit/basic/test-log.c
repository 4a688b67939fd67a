// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "nt-test.h"

static char last[2048];
static int last_level = -1, last_err = -1, calls;

static void capture(int level, int err, const char *msg, const char *const *fields, void *userdata)
{
	(void)fields;
	(void)userdata;
	snprintf(last, sizeof(last), "%s", msg);
	last_level = level;
	last_err = err;
	calls++;
}

static void test_errno_return_and_m(void **state)
{
	int r;

	(void)state;
	nt_log_set_sink(capture, NULL);
	nt_log_set_max_level(LOG_INFO);
	errno = 0;
	r = log_error_errno(-ENOENT, "cannot open '%s': %m", "x");
	assert_int_equal(r, -ENOENT);
	assert_string_equal(last, "cannot open 'x': No such file or directory");
	assert_int_equal(last_level, LOG_ERR);
	assert_int_equal(last_err, ENOENT);
	assert_int_equal(errno, 0); /* errno is preserved */
	/* positive errno is accepted too */
	assert_int_equal(log_warning_errno(EPERM, "w"), -EPERM);
	/* error without errno still returns a failure */
	assert_int_equal(log_full_errno(LOG_ERR, 0, "plain"), -EIO);
	assert_int_equal(log_full_errno(LOG_INFO, 0, "info"), 0);
	nt_log_set_sink(NULL, NULL);
}

static void test_level_filter(void **state)
{
	(void)state;
	nt_log_set_sink(capture, NULL);
	nt_log_set_max_level(LOG_WARNING);
	calls = 0;
	log_info("hidden");
	log_debug("hidden");
	log_warning("shown");
	assert_int_equal(calls, 1);
	assert_string_equal(last, "shown");
	nt_log_set_max_level(LOG_INFO);
	nt_log_set_sink(NULL, NULL);
}

static void test_level_names(void **state)
{
	(void)state;
	assert_int_equal(nt_log_level_from_string("debug"), LOG_DEBUG);
	assert_int_equal(nt_log_level_from_string("ERROR"), LOG_ERR);
	assert_int_equal(nt_log_level_from_string("warning"), LOG_WARNING);
	assert_int_equal(nt_log_level_from_string("loud"), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_errno_return_and_m),
		cmocka_unit_test(test_level_filter),
		cmocka_unit_test(test_level_names),
	};

	return cmocka_run_group_tests_name("log", tests, NULL, NULL);
}
