// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "fs.h"
#include "kthreads.h"
#include "nt-test.h"

#define STAT_FMT                                                                                   \
	"%d (%s) S 2 0 0 0 -1 69238880 0 0 0 0 %d %d 0 0 20 0 1 0 %d 0 0 "                         \
	"18446744073709551615 0 0 0 0 0 0 0 2147483647 0 0 0 0 17 %d 0 0 0 0 0 0 0 0 0 0 0 0 0\n"

static void write_thread(const char *dir, int pid, const char *comm, int ut, int st, int cpu,
			 const char *allowed)
{
	char path[64], buf[512];

	snprintf(path, sizeof(path), "proc/%d/stat", pid);
	snprintf(buf, sizeof(buf), STAT_FMT, pid, comm, ut, st, 15, cpu);
	nt_test_write(dir, path, buf);
	snprintf(path, sizeof(path), "proc/%d/schedstat", pid);
	snprintf(buf, sizeof(buf), "%d000000 %d00000 42\n", ut + st, pid);
	nt_test_write(dir, path, buf);
	snprintf(path, sizeof(path), "proc/%d/status", pid);
	snprintf(buf, sizeof(buf), "Name:\t%s\nCpus_allowed:\tf\nCpus_allowed_list:\t%s\n", comm,
		 allowed);
	nt_test_write(dir, path, buf);
}

static void test_children(void **state)
{
	char *dir = nt_test_mkdtemp();
	struct nt_root *root = NULL;
	struct nt_kthreads s;
	const struct nt_kthread *t;

	(void)state;
	write_thread(dir, 14, "ksoftirqd/0", 3, 120, 0, "0");
	write_thread(dir, 22, "ksoftirqd/1", 0, 9, 1, "1");
	write_thread(dir, 30, "kworker/0:1-events", 1, 1, 0, "0");
	write_thread(dir, 812, "napi/eth0-8193", 7, 700, 3, "0-3");
	write_thread(dir, 813, "napi/eth0-8194", 7, 70, 2, "2");
	write_thread(dir, 900, "napi/enp129s0f1-", 1, 2, 1, "0-3"); /* comm truncated */
	nt_test_write(dir, "proc/2/task/2/children", "14 22 30 812 813 900 999 ");
	assert_int_equal(nt_root_open(dir, &root), 0);
	assert_int_equal(nt_kthreads_read(root, &s), 0);
	assert_true(s.from_children);
	assert_int_equal(s.n, 5); /* the kworker is not ours; 999 exited */
	t = nt_kthreads_find(&s, 14);
	assert_int_equal(t->kind, NT_KTHREAD_KSOFTIRQD);
	assert_int_equal(t->cpu, 0);
	assert_int_equal(t->stime, 120);
	assert_int_equal(t->utime, 3);
	assert_int_equal(t->last_cpu, 0);
	assert_true(t->have_schedstat);
	assert_int_equal(t->run_delay_ns, 1400000);
	t = nt_kthreads_find(&s, 812);
	assert_int_equal(t->kind, NT_KTHREAD_NAPI);
	assert_string_equal(t->dev, "eth0");
	assert_int_equal(t->napi_id, 8193);
	assert_int_equal(t->n_allowed, 4);
	assert_int_equal(t->allowed_cpu, -1);
	assert_string_equal(t->allowed_list, "0-3");
	assert_int_equal(t->last_cpu, 3);
	t = nt_kthreads_find(&s, 813);
	assert_int_equal(t->allowed_cpu, 2);
	assert_string_equal(t->allowed_list, "2");
	t = nt_kthreads_find(&s, 900);
	assert_string_equal(t->dev, "enp129s0f1-");
	assert_int_equal(t->napi_id, 0);
	nt_kthreads_done(&s);

	/* Without CONFIG_PROC_CHILDREN: scan /proc. */
	nt_test_write(dir, "proc/2/task/2/children", "");
	assert_int_equal(nt_kthreads_read(root, &s), 0);
	assert_false(s.from_children);
	assert_int_equal(s.n, 5);
	nt_kthreads_done(&s);
	nt_root_free(root);
	nt_test_rmtree(dir);
}

static void test_parse(void **state)
{
	struct nt_kthread t;

	(void)state;
	/* A comm with spaces and parentheses is delimited by the last ')'. */
	assert_int_equal(nt_kthread_parse_stat("5 (napi/a) b-1) S 2 0 0 0 -1 0 0 0 0 0 4 6\n", &t),
			 0);
	assert_string_equal(t.comm, "napi/a) b-1");
	assert_int_equal(t.napi_id, 1);
	assert_int_equal(t.utime, 4);
	assert_int_equal(t.stime, 6);
	assert_int_equal(t.last_cpu, -1);
	assert_int_equal(nt_kthread_parse_stat("5 (bash) S 1 2\n", &t), -EBADMSG);
	assert_int_equal(nt_kthread_parse_stat("garbage", &t), -EBADMSG);
	assert_int_equal(nt_kthread_parse_stat("5 (sshd) S 2 0 0 0 -1 0 0 0 0 0 4 6\n", &t),
			 -ENOENT);
}

static void test_host(void **state)
{
	struct nt_root *root = NULL;
	struct nt_kthreads s;
	unsigned int ksoftirqd = 0;

	(void)state;
	/* Every Linux machine has one ksoftirqd per online CPU. */
	assert_int_equal(nt_root_open("/", &root), 0);
	assert_int_equal(nt_kthreads_read(root, &s), 0);
	for (unsigned int i = 0; i < s.n; i++)
		if (s.t[i].kind == NT_KTHREAD_KSOFTIRQD)
			ksoftirqd++;
	assert_true(ksoftirqd >= 1);
	nt_kthreads_done(&s);
	nt_root_free(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_children),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_host),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
