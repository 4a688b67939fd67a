// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "irqbalance.h"
#include "nt-test.h"

/* Answers of irqbalance 1.9.2 to "setup", captured in the test VM. */
static void test_parse_setup(void **state)
{
	int *v = NULL;
	size_t n = 99;

	(void)state;
	assert_int_equal(nt_irqbalance_parse_setup("SLEEP 10 BANNED 00000000", &v, &n), 0);
	assert_int_equal(n, 0);
	free(v);
	v = NULL;
	assert_int_equal(nt_irqbalance_parse_setup("SLEEP 10 IRQ 30 LOAD 0 DIFF 0 CLASS 0 IRQ 31 "
						   "LOAD 0 DIFF 0 CLASS 0 BANNED 00000000",
						   &v, &n),
			 0);
	assert_int_equal(n, 2);
	assert_int_equal(v[0], 30);
	assert_int_equal(v[1], 31);
	free(v);
	v = NULL;
	n = 99;
	/* not an answer to "setup": nothing written */
	assert_int_equal(nt_irqbalance_parse_setup("", &v, &n), -EBADMSG);
	assert_int_equal(nt_irqbalance_parse_setup("TYPE 3 NUMBER -1", &v, &n), -EBADMSG);
	assert_int_equal(nt_irqbalance_parse_setup("SLEEP 10 IRQ x LOAD 0", &v, &n), -EBADMSG);
	assert_int_equal(nt_irqbalance_parse_setup("SLEEP 10 IRQ 12x", &v, &n), -EBADMSG);
	assert_null(v);
	assert_int_equal(n, 99);
}

static void test_ban_cmd(void **state)
{
	const int old[] = {47, 9}, ours[] = {31, 30, 47, 0};
	char *c = NULL;

	(void)state;
	/* union, sorted, no duplicates; 0 would end irqbalance's list */
	assert_int_equal(nt_irqbalance_ban_cmd(old, 2, ours, 4, &c), 0);
	assert_string_equal(c, "settings ban irqs 9 30 31 47");
	free(c);
	assert_int_equal(nt_irqbalance_ban_cmd(NULL, 0, NULL, 0, &c), 0);
	assert_string_equal(c, "settings ban irqs NONE");
	free(c);
	assert_int_equal(nt_irqbalance_ban_cmd(old, 2, NULL, 0, &c), 0);
	assert_string_equal(c, "settings ban irqs 9 47");
	free(c);
}

static void test_ban_cmd_too_long(void **state)
{
	int many[200];
	char *c = NULL;

	(void)state;
	/* 200 IRQs of 4-5 characters do not fit irqbalance's 500-byte receive buffer */
	for (int i = 0; i < 200; i++)
		many[i] = 1000 + i;
	assert_int_equal(nt_irqbalance_ban_cmd(many, 200, NULL, 0, &c), -E2BIG);
	assert_null(c);
	/* 90 fit: 17 + 90 * 5 = 467 bytes */
	assert_int_equal(nt_irqbalance_ban_cmd(many, 90, NULL, 0, &c), 0);
	assert_true(strlen(c) < NT_IRQBALANCE_MSG_MAX);
	free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_setup),
		cmocka_unit_test(test_ban_cmd),
		cmocka_unit_test(test_ban_cmd_too_long),
	};

	return cmocka_run_group_tests_name("irqbalance", tests, NULL, NULL);
}
