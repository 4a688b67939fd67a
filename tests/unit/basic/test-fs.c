// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fs.h"
#include "nt-test.h"

struct fixture {
	char *dir;
	struct nt_root *root;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	f->dir = nt_test_mkdtemp();
	nt_test_write(f->dir, "proc/sys/net/core/netdev_budget", "300\n");
	nt_test_write(f->dir, "proc/sys/net/ipv4/tcp_rmem", "4096\t131072\t6291456\n");
	nt_test_write(f->dir, "sys/class/net/eth0/queues/rx-1/rps_cpus", "0\n");
	nt_test_write(f->dir, "sys/class/net/eth0/queues/rx-0/rps_cpus", "0\n");
	nt_test_write(f->dir, "sys/class/net/eth0/queues/tx-0/xps_cpus", "0\n");
	nt_test_write(f->dir, "proc/empty", "");
	nt_test_write(f->dir, "proc/bad", "12x\n");
	if (nt_root_open(f->dir, &f->root) < 0)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	nt_root_free(f->root);
	nt_test_rmtree(f->dir);
	free(f);
	return 0;
}

static void test_read(void **state)
{
	struct fixture *f = *state;
	char *s = NULL;
	size_t n = 0;
	uint64_t v;

	assert_int_equal(nt_read_file(f->root, "/proc/sys/net/ipv4/tcp_rmem", &s, &n), 0);
	assert_string_equal(s, "4096\t131072\t6291456\n");
	assert_int_equal(n, strlen(s));
	free(s);
	assert_int_equal(nt_read_line(f->root, "proc/sys/net/ipv4/tcp_rmem", &s), 0);
	assert_string_equal(s, "4096\t131072\t6291456");
	free(s);
	assert_int_equal(nt_read_u64(f->root, "proc/sys/net/core/netdev_budget", &v), 0);
	assert_int_equal(v, 300);
	assert_int_equal(nt_read_u64(f->root, "proc/bad", &v), -EINVAL);
	assert_int_equal(nt_read_file(f->root, "proc/empty", &s, &n), 0);
	assert_int_equal(n, 0);
	assert_string_equal(s, "");
	free(s);
	assert_int_equal(nt_read_file(f->root, "proc/missing", &s, NULL), -ENOENT);
	assert_true(nt_path_exists(f->root, "sys/class/net/eth0"));
	assert_false(nt_path_exists(f->root, "sys/class/net/eth1"));
}

static void test_read_large(void **state)
{
	struct fixture *f = *state;
	size_t big = 300000;
	char *content = malloc(big + 1), *s = NULL;
	size_t n = 0;

	for (size_t i = 0; i < big; i++)
		content[i] = (char)('a' + i % 26);
	content[big] = '\0';
	nt_test_write(f->dir, "proc/interrupts", content);
	assert_int_equal(nt_read_file(f->root, "proc/interrupts", &s, &n), 0);
	assert_int_equal(n, big);
	assert_memory_equal(s, content, big);
	free(s);
	free(content);
}

static void test_write(void **state)
{
	struct fixture *f = *state;
	uint64_t v;

	assert_int_equal(nt_write_file(f->root, "proc/sys/net/core/netdev_budget", "600"), 0);
	assert_int_equal(nt_read_u64(f->root, "proc/sys/net/core/netdev_budget", &v), 0);
	assert_int_equal(v, 600);
	/* never creates files */
	assert_int_equal(nt_write_file(f->root, "proc/sys/net/core/nope", "1"), -ENOENT);
	assert_false(nt_path_exists(f->root, "proc/sys/net/core/nope"));
}

static void test_list_dir(void **state)
{
	struct fixture *f = *state;
	char **v = NULL;
	size_t n = 0;

	assert_int_equal(nt_list_dir(f->root, "sys/class/net/eth0/queues", &v, &n), 0);
	assert_int_equal(n, 3);
	assert_string_equal(v[0], "rx-0");
	assert_string_equal(v[1], "rx-1");
	assert_string_equal(v[2], "tx-0");
	assert_null(v[3]);
	nt_strv_free(v);
	assert_int_equal(nt_list_dir(f->root, "sys/class/net/none", &v, &n), -ENOENT);
	assert_int_equal(nt_list_dir(f->root, "proc/empty", &v, &n), -ENOTDIR);
}

/* nt_root_keep_open(): proc/ files stay open and are read again from the start. */
static void test_keep_open(void **state)
{
	struct fixture *f = *state;
	char *v = NULL;
	size_t n = 0;

	assert_int_equal(nt_root_keep_open(f->root, true), 0);
	assert_int_equal(nt_read_file(f->root, "proc/sys/net/core/netdev_budget", &v, &n), 0);
	assert_string_equal(v, "300\n");
	free(v);
	assert_int_equal(nt_root_n_open(f->root), 1);
	/* the same file rewritten in place: the kept descriptor reads the new text */
	nt_test_write(f->dir, "proc/sys/net/core/netdev_budget", "600000\n");
	assert_int_equal(nt_read_file(f->root, "/proc/sys/net/core/netdev_budget", &v, &n), 0);
	assert_string_equal(v, "600000\n");
	assert_int_equal(n, 7);
	free(v);
	assert_int_equal(nt_root_n_open(f->root), 1);
	assert_int_equal(nt_read_line(f->root, "proc/sys/net/ipv4/tcp_rmem", &v), 0);
	free(v);
	assert_int_equal(nt_root_n_open(f->root), 2);
	/* outside proc/: opened on every read */
	assert_int_equal(nt_read_line(f->root, "sys/class/net/eth0/queues/rx-0/rps_cpus", &v), 0);
	free(v);
	assert_int_equal(nt_root_n_open(f->root), 2);
	/* missing files are not kept */
	assert_int_equal(nt_read_file(f->root, "proc/missing", &v, &n), -ENOENT);
	assert_int_equal(nt_root_n_open(f->root), 2);
	/* pruning: what was read since the last prune stays, the rest is closed */
	nt_root_prune_open(f->root);
	assert_int_equal(nt_root_n_open(f->root), 2);
	assert_int_equal(nt_read_file(f->root, "proc/empty", &v, &n), 0);
	free(v);
	assert_int_equal(nt_root_n_open(f->root), 3);
	nt_root_prune_open(f->root);
	assert_int_equal(nt_root_n_open(f->root), 1);
	assert_int_equal(nt_read_file(f->root, "proc/sys/net/core/netdev_budget", &v, &n), 0);
	assert_string_equal(v, "600000\n");
	free(v);
	assert_int_equal(nt_root_keep_open(f->root, false), 0);
	assert_int_equal(nt_root_n_open(f->root), 0);
	/* nt_root_free() closes what is still open (ASan: no leak) */
	assert_int_equal(nt_root_keep_open(f->root, true), 0);
	assert_int_equal(nt_read_file(f->root, "proc/empty", &v, &n), 0);
	free(v);
}

static void test_root_errors(void **state)
{
	struct nt_root *root = NULL;

	(void)state;
	assert_int_equal(nt_root_open("/nonexistent-nt-root", &root), -ENOENT);
	assert_null(root);
	assert_null(nt_root_free(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_read, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_large, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write, setup, teardown),
		cmocka_unit_test_setup_teardown(test_list_dir, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keep_open, setup, teardown),
		cmocka_unit_test(test_root_errors),
	};

	return cmocka_run_group_tests_name("fs", tests, NULL, NULL);
}
