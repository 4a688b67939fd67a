// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <string.h>

#include "error.h"
#include "nt-test.h"

static void test_set_and_msg(void **state)
{
	struct nt_err e = {};

	(void)state;
	assert_string_equal(nt_err_msg(&e, -ENOENT), strerror(ENOENT));
	assert_string_equal(nt_err_msg(NULL, -EPERM), strerror(EPERM));
	assert_int_equal(nt_err_set(&e, -EINVAL, "key '%s' unknown", "x"), -EINVAL);
	assert_string_equal(nt_err_msg(&e, -EINVAL), "key 'x' unknown");
	assert_int_equal(nt_err_set(NULL, -EINVAL, "ignored"), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_set_and_msg),
	};

	return cmocka_run_group_tests_name("error", tests, NULL, NULL);
}
