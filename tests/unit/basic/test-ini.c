// SPDX-License-Identifier: GPL-2.0-or-later
/* The ini-like tokenizer under the other writers' parsers (lib/basic/ini.c). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ini.h"
#include "nt-test.h"

static void test_sections_comments(void **state)
{
	struct nt_ini ini = {};

	(void)state;
	assert_int_equal(nt_ini_load("top = 1\n# c\n; c\n  [ Match ]  \nOriginalName = eth*  \n"
				     "garbage line\n=novalue\n[bad\nKey=v=w\n",
				     0, &ini),
			 0);
	assert_int_equal(ini.n, 3);
	assert_string_equal(ini.e[0].section, "");
	assert_string_equal(ini.e[0].key, "top");
	assert_string_equal(ini.e[0].value, "1");
	assert_int_equal(ini.e[0].line, 1);
	assert_string_equal(ini.e[1].section, "Match");
	assert_string_equal(ini.e[1].key, "OriginalName");
	assert_string_equal(ini.e[1].value, "eth*");
	assert_int_equal(ini.e[1].line, 5);
	/* "[bad" is not a header: what follows belongs to no section */
	assert_string_equal(ini.e[2].section, "");
	assert_string_equal(ini.e[2].key, "Key");
	assert_string_equal(ini.e[2].value, "v=w");
	nt_ini_done(&ini);
}

static void test_continuation(void **state)
{
	struct nt_ini ini = {};

	(void)state;
	assert_int_equal(nt_ini_load("[Link]\nA=1 \\\n 2\nB=3\\", NT_INI_CONTINUATION, &ini), 0);
	assert_int_equal(ini.n, 2);
	assert_string_equal(ini.e[0].value, "1   2");
	assert_int_equal(ini.e[0].line, 2);
	assert_string_equal(ini.e[1].value, "3");
	assert_int_equal(ini.e[1].line, 4);
	nt_ini_done(&ini);
	/* without the flag the backslash stays */
	assert_int_equal(nt_ini_load("A=1\\\nB=2\n", 0, &ini), 0);
	assert_int_equal(ini.n, 2);
	assert_string_equal(ini.e[0].value, "1\\");
	nt_ini_done(&ini);
}

static void test_bare_keys_no_sections(void **state)
{
	struct nt_ini ini = {};

	(void)state;
	assert_int_equal(nt_ini_load("[x]\n-net.a.b\nnet.c = 1\n",
				     NT_INI_BARE_KEYS | NT_INI_NO_SECTIONS, &ini),
			 0);
	assert_int_equal(ini.n, 3);
	assert_string_equal(ini.e[0].key, "[x]");
	assert_null(ini.e[0].value);
	assert_string_equal(ini.e[1].key, "-net.a.b");
	assert_null(ini.e[1].value);
	assert_string_equal(ini.e[2].section, "");
	nt_ini_done(&ini);
}

static void test_long_line(void **state)
{
	char *text = malloc(NT_INI_LINE_MAX + 64);
	struct nt_ini ini = {};

	(void)state;
	assert_non_null(text);
	memset(text, 'a', NT_INI_LINE_MAX + 10);
	strcpy(text + NT_INI_LINE_MAX + 10, "=1\nb=2\n");
	assert_int_equal(nt_ini_load(text, 0, &ini), 0);
	assert_int_equal(ini.n, 1); /* the long line is skipped whole */
	assert_string_equal(ini.e[0].key, "b");
	assert_int_equal(ini.e[0].line, 2);
	nt_ini_done(&ini);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sections_comments),
		cmocka_unit_test(test_continuation),
		cmocka_unit_test(test_bare_keys_no_sections),
		cmocka_unit_test(test_long_line),
	};

	return cmocka_run_group_tests_name("ini", tests, NULL, NULL);
}
