// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * lib/basic/netns.c without root: name -> path, which files are network namespaces, the netns
 * cookie. Entering a netns needs CAP_SYS_ADMIN and is covered by tests/netns/test-netns.sh;
 * here only its refusal of a file that is not a netns.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "netns.h"
#include "nt-test.h"

static void test_path(void **state)
{
	char long_name[NAME_MAX + 2];
	char *p = NULL;

	(void)state;
	assert_int_equal(nt_netns_path("blue", &p), 0);
	assert_string_equal_free(p, "/run/netns/blue");
	assert_int_equal(nt_netns_path("/proc/1/ns/net", &p), 0);
	assert_string_equal_free(p, "/proc/1/ns/net");
	p = NULL;
	assert_int_equal(nt_netns_path("", &p), -EINVAL);
	assert_int_equal(nt_netns_path(NULL, &p), -EINVAL);
	assert_int_equal(nt_netns_path(".", &p), -EINVAL);
	assert_int_equal(nt_netns_path("..", &p), -EINVAL);
	assert_int_equal(nt_netns_path("a/b", &p), -EINVAL);
	assert_int_equal(nt_netns_path("../etc", &p), -EINVAL);
	memset(long_name, 'x', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	assert_int_equal(nt_netns_path(long_name, &p), -EINVAL);
	long_name[NAME_MAX] = '\0';
	assert_int_equal(nt_netns_path(long_name, &p), 0);
	assert_int_equal(strlen(p), strlen("/run/netns/") + NAME_MAX);
	free(p);
}

static void test_open(void **state)
{
	char *dir = nt_test_mkdtemp(), *file = NULL;
	int fd;

	(void)state;
	fd = nt_netns_open("/proc/self/ns/net");
	assert_true(fd >= 0);
	/* O_CLOEXEC: a hook or helper napictl runs must not inherit it. */
	assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	close(fd);
	assert_int_equal(nt_netns_open("/proc/self/ns/uts"), -EINVAL);
	assert_int_equal(nt_netns_open("/proc/self/ns/mnt"), -EINVAL);
	nt_test_write(dir, "plain", "not a namespace\n");
	assert_true(asprintf(&file, "%s/plain", dir) > 0);
	assert_int_equal(nt_netns_open(file), -EINVAL);
	assert_int_equal(nt_netns_open(dir), -EINVAL);
	free(file);
	assert_true(asprintf(&file, "%s/missing", dir) > 0);
	assert_int_equal(nt_netns_open(file), -ENOENT);
	free(file);
	/* Not a netns: refused before any namespace is touched. */
	fd = open("/proc/self/ns/uts", O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(nt_netns_enter(fd), -EINVAL);
	close(fd);
	nt_test_rmtree(dir);
}

static void test_cookie(void **state)
{
	uint64_t a = 0, b = 0;

	(void)state;
	assert_int_equal(nt_netns_cookie(&a), 0);
	assert_int_equal(nt_netns_cookie(&b), 0);
	assert_true(a != 0);
	assert_true(a == b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path),
		cmocka_unit_test(test_open),
		cmocka_unit_test(test_cookie),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
