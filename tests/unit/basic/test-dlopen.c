// SPDX-License-Identifier: GPL-2.0-or-later
#include <dlfcn.h>
#include <errno.h>
#include <string.h>

#include "dlopen.h"
#include "nt-test.h"

static void *sentinel = (void *)&sentinel;

static void test_open_libc(void **state)
{
	void *strlen_addr = sentinel, *dl = NULL;
	const struct nt_dl_sym syms[] = {{"strlen", &strlen_addr}};
	struct nt_err e = {};
	size_t (*f)(const char *s);

	(void)state;
	assert_int_equal(nt_dl_open("libc.so.6", syms, 1, &dl, &e), 0);
	assert_non_null(dl);
	assert_ptr_not_equal(strlen_addr, sentinel);
	*(void **)&f = strlen_addr;
	assert_int_equal(f("napi"), 4);
	assert_int_equal(dlclose(dl), 0);
}

/* A missing library or symbol: -errno, a message naming it, nothing written. */
static void test_missing(void **state)
{
	void *a = sentinel, *b = sentinel, *dl = sentinel;
	const struct nt_dl_sym syms[] = {{"strlen", &a}, {"nt_no_such_symbol", &b}};
	struct nt_err e = {};

	(void)state;
	assert_int_equal(nt_dl_open("libnapitune-no-such-library.so.0", syms, 1, &dl, &e),
			 -EOPNOTSUPP);
	assert_non_null(strstr(e.msg, "libnapitune-no-such-library.so.0"));
	assert_ptr_equal(a, sentinel);
	assert_ptr_equal(dl, sentinel);

	memset(&e, 0, sizeof(e));
	assert_int_equal(nt_dl_open("libc.so.6", syms, 2, &dl, &e), -ELIBBAD);
	assert_non_null(strstr(e.msg, "libc.so.6 has no symbol 'nt_no_such_symbol'"));
	assert_ptr_equal(a, sentinel);
	assert_ptr_equal(b, sentinel);
	assert_ptr_equal(dl, sentinel);
}

/* libsystemd0 comes with libsystemd-dev, so it must load here; a failure is a real one. */
static void test_libsystemd(void **state)
{
	sd_bus_error error = SD_BUS_ERROR_NULL;
	void *first;
	struct nt_err e = {};
	int r;

	(void)state;
	assert_null(sym_sd_bus_open_system);
	r = nt_dlopen_libsystemd(&e);
	if (r < 0)
		fail_msg("%s", nt_err_msg(&e, r));
	assert_non_null(sym_sd_bus_open_system);
	assert_non_null(sym_sd_bus_call_method);
	assert_non_null(sym_sd_bus_error_free);
	assert_non_null(sym_sd_bus_message_unref);
	assert_non_null(sym_sd_bus_flush_close_unref);
	/* the pointers are the functions: these calls have defined results */
	assert_null(sym_sd_bus_message_unref(NULL));
	assert_null(sym_sd_bus_flush_close_unref(NULL));
	sym_sd_bus_error_free(&error);
	assert_null(error.name);
	/* resolved once */
	first = (void *)sym_sd_bus_call_method;
	assert_int_equal(nt_dlopen_libsystemd(&e), 0);
	assert_ptr_equal((void *)sym_sd_bus_call_method, first);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_libc),
		cmocka_unit_test(test_missing),
		cmocka_unit_test(test_libsystemd),
	};

	return cmocka_run_group_tests_name("dlopen", tests, NULL, NULL);
}
