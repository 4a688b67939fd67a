// SPDX-License-Identifier: GPL-2.0-or-later
/* One table, both directions: DEFINE_STRING_TABLE_LOOKUP and the tables built with it. */
#include <errno.h>
#include <string.h>

#include "knob.h"
#include "nt-test.h"
#include "profile.h"
#include "string-table.h"

enum color {
	COLOR_RED,
	COLOR_NONE, /* a hole: no name */
	COLOR_BLUE,
	_COLOR_MAX,
};

static const char *const color_table[_COLOR_MAX] = {
	[COLOR_RED] = "red",
	[COLOR_BLUE] = "blue",
};

DEFINE_PRIVATE_STRING_TABLE_LOOKUP(color, enum color);

static void test_both_directions(void **state)
{
	(void)state;
	assert_string_equal(color_to_string(COLOR_RED), "red");
	assert_string_equal(color_to_string(COLOR_BLUE), "blue");
	assert_null(color_to_string(COLOR_NONE));
	assert_null(color_to_string(_COLOR_MAX));
	assert_null(color_to_string((enum color) - 1));
	assert_int_equal(color_from_string("blue"), COLOR_BLUE);
	assert_int_equal(color_from_string("red"), COLOR_RED);
	assert_int_equal(color_from_string("Red"), -EINVAL); /* exact */
	assert_int_equal(color_from_string(""), -EINVAL);
	assert_int_equal(color_from_string(NULL), -EINVAL);
}

/* Every name of the shipped tables maps back to its value. */
static void test_tables_round_trip(void **state)
{
	(void)state;
	for (int i = 0; i < _NT_FAM_MAX; i++)
		assert_int_equal(nt_fam_from_string(nt_fam_to_string(i)), i);
	for (int i = 0; i < _NT_SCOPE_MAX; i++)
		assert_int_equal(nt_scope_from_string(nt_scope_to_string(i)), i);
	for (int i = 0; i < _NT_T_MAX; i++)
		assert_int_equal(nt_type_from_string(nt_type_to_string(i)), i);
	for (int i = 0; i < _NT_IRQBALANCE_MAX; i++)
		assert_int_equal(nt_irqbalance_mode_from_string(nt_irqbalance_mode_to_string(i)),
				 i);
	assert_int_equal(nt_irqbalance_mode_from_string("ban"), NT_IRQBALANCE_BAN);
	assert_int_equal(nt_cputerm_kind_from_string("numa-local"), NT_CPUTERM_NUMA_LOCAL);
	assert_null(nt_cputerm_kind_to_string(NT_CPUTERM_LIST));
	assert_string_equal(nt_scope_to_string(NT_SCOPE_DEV), "device");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_both_directions),
		cmocka_unit_test(test_tables_round_trip),
	};

	return cmocka_run_group_tests_name("string-table", tests, NULL, NULL);
}
