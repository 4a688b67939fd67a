/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Shared by the cmocka unit tests: temporary fixture trees and small asserts. */
#ifndef NT_TEST_H
#define NT_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

/* Creates a fresh temporary directory; returns its malloc'ed path. */
char *nt_test_mkdtemp(void);
/* Writes @content to @dir/@path, creating parent directories. */
void nt_test_write(const char *dir, const char *path, const char *content);
/* rm -rf @dir, then free it. */
void nt_test_rmtree(char *dir);
/* Path below $NT_TEST_DATA (the source tree's tests/data), malloc'ed. */
char *nt_test_data(const char *rel);

#define assert_string_equal_free(expr, expected)                                                   \
	do {                                                                                       \
		char *_s = (expr);                                                                 \
		assert_non_null(_s);                                                               \
		assert_string_equal(_s, (expected));                                               \
		free(_s);                                                                          \
	} while (0)

#endif
