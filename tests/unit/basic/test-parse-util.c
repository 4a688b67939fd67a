// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <string.h>

#include "nt-test.h"
#include "parse-util.h"

static void test_u64(void **state)
{
	uint64_t v;

	(void)state;
	assert_int_equal(nt_parse_u64("0", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(nt_parse_u64(" 42\n", &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(nt_parse_u64("0x10", &v), 0);
	assert_int_equal(v, 16);
	assert_int_equal(nt_parse_u64("18446744073709551615", &v), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(nt_parse_u64("18446744073709551616", &v), -ERANGE);
	assert_int_equal(nt_parse_u64("-1", &v), -EINVAL);
	assert_int_equal(nt_parse_u64("", &v), -EINVAL);
	assert_int_equal(nt_parse_u64("12ab", &v), -EINVAL);
	assert_int_equal(nt_parse_u64("1 2", &v), -EINVAL);
}

static void test_u32(void **state)
{
	uint32_t v;

	(void)state;
	assert_int_equal(nt_parse_u32("4294967295", &v), 0);
	assert_true(v == UINT32_MAX);
	assert_int_equal(nt_parse_u32("4294967296", &v), -ERANGE);
}

static void test_s64(void **state)
{
	int64_t v;

	(void)state;
	assert_int_equal(nt_parse_s64("-5", &v), 0);
	assert_int_equal(v, -5);
	assert_int_equal(nt_parse_s64("-9223372036854775808", &v), 0);
	assert_true(v == INT64_MIN);
	assert_int_equal(nt_parse_s64("9223372036854775808", &v), -ERANGE);
	assert_int_equal(nt_parse_s64("--5", &v), -EINVAL);
}

static void test_bool(void **state)
{
	bool b;

	(void)state;
	assert_int_equal(nt_parse_bool("yes", &b), 0);
	assert_true(b);
	assert_int_equal(nt_parse_bool("OFF", &b), 0);
	assert_false(b);
	assert_int_equal(nt_parse_bool("1", &b), 0);
	assert_true(b);
	assert_int_equal(nt_parse_bool("maybe", &b), -EINVAL);
}

static void test_split_kv_line(void **state)
{
	const char *name, *val;
	const char *l1 = "     rx_queue_0_drops: 17";
	const char *l2 = "NIC statistics:";
	const char *l3 = "no colon here";
	const char *l4 = "  a:b:\t 5 ";
	const char *l5 = "abc\nx: 1";
	size_t len;

	(void)state;
	assert_true(nt_split_kv_line(l1, l1 + strlen(l1), &name, &len, &val));
	assert_int_equal(len, strlen("rx_queue_0_drops"));
	assert_memory_equal(name, "rx_queue_0_drops", len);
	assert_string_equal(val, "17");
	/* a section header: empty value */
	assert_true(nt_split_kv_line(l2, l2 + strlen(l2), &name, &len, &val));
	assert_int_equal(len, strlen("NIC statistics"));
	assert_ptr_equal(val, l2 + strlen(l2));
	assert_false(nt_split_kv_line(l3, l3 + strlen(l3), &name, &len, &val));
	/* the last ':' ends the name */
	assert_true(nt_split_kv_line(l4, l4 + strlen(l4), &name, &len, &val));
	assert_int_equal(len, 3);
	assert_memory_equal(name, "a:b", 3);
	assert_string_equal(val, "5 ");
	/* only up to eol: the ':' after it does not count */
	assert_false(nt_split_kv_line(l5, strchr(l5, '\n'), &name, &len, &val));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_u64),	      cmocka_unit_test(test_u32),
		cmocka_unit_test(test_s64),	      cmocka_unit_test(test_bool),
		cmocka_unit_test(test_split_kv_line),
	};

	return cmocka_run_group_tests_name("parse-util", tests, NULL, NULL);
}
