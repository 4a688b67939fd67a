// SPDX-License-Identifier: GPL-2.0-or-later
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fs.h"
#include "journal.h"
#include "nt-test.h"
#include "plan.h"

static struct nt_change change(const char *key, const char *object, const char *have,
			       const char *want)
{
	struct nt_change c = {.knob = nt_knob_lookup(key),
			      .key = (char *)key,
			      .object = (char *)object,
			      .ifname = (char *)"eth0",
			      .have = (char *)have,
			      .want = (char *)want};

	c.t = (struct nt_target){.ifname = "eth0", .ifindex = 3, .index = 1, .pid = -1};
	return c;
}

static void append_raw(const char *dir, const char *text)
{
	char *p;
	int fd;

	assert_true(asprintf(&p, "%s/%s", dir, NT_JOURNAL_FILE) > 0);
	fd = open(p, O_WRONLY | O_APPEND);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	free(p);
}

static void test_roundtrip_torn_drop(void **state)
{
	char *dir = nt_test_mkdtemp();
	struct nt_root *root = NULL;
	struct nt_journal *j = NULL;
	struct nt_change c1 = change("net.ipv4.tcp_rmem", "global", "4096\t131072\t6291456",
				     "4096\t131072\t16777216");
	struct nt_change c2 = change("rps_cpus", "eth0 rx-1", "0", "f");
	struct nt_err e = {};

	(void)state;
	assert_int_equal(nt_root_open(dir, &root), 0);
	assert_int_equal(nt_journal_open(root, true, &j, NULL), 0);
	assert_false(nt_journal_exists(j));
	assert_int_equal(nt_journal_begin(j, "p\tone", "/x/p.yaml"), 0);
	assert_int_equal(nt_journal_record(j, &c1), 0);
	assert_int_equal(nt_journal_commit(j), 0);
	assert_int_equal(nt_journal_begin(j, "two", "/x/two.yaml"), 0);
	assert_int_equal(nt_journal_record(j, &c2), 0);
	nt_journal_free(j);
	/* A crash in the middle of a record leaves a torn last line: ignored. */
	append_raw(dir, "E\t2\trps_cpus\teth0\t3\t0\t-1\teth0 rx-0\t0");

	assert_int_equal(nt_journal_open(root, true, &j, &e), 0);
	assert_int_equal(j->n, 2);
	assert_string_equal(j->e[0].original, "4096\t131072\t6291456");
	assert_string_equal(j->e[0].value, "4096\t131072\t16777216");
	assert_string_equal(j->e[1].object, "eth0 rx-1");
	assert_int_equal(j->e[1].ifindex, 3);
	assert_int_equal(j->e[1].index, 1);
	assert_int_equal(j->e[1].pid, -1);
	assert_int_equal(j->n_apply, 2);
	assert_string_equal(j->a[0].profile, "p\tone");
	assert_true(j->a[0].committed);
	assert_false(j->a[1].committed);
	/* the last committed one is what is applied */
	assert_string_equal(nt_journal_last(j)->profile, "p\tone");
	/* Dropping generation 2 keeps generation 1 intact. */
	j->gen = 2;
	assert_int_equal(nt_journal_drop_current(j), 0);
	nt_journal_free(j);
	assert_int_equal(nt_journal_open(root, false, &j, &e), 0);
	assert_int_equal(j->n, 1);
	assert_int_equal(j->n_apply, 1);
	nt_journal_free(j);

	/* A corrupt record is an error with its line, not silently skipped. */
	append_raw(dir, "\nE\tx\n");
	assert_int_equal(nt_journal_open(root, false, &j, &e), -EBADMSG);
	assert_non_null(strstr(e.msg, "/run/napitune/journal:5: corrupt record"));
	nt_root_free(root);
	nt_test_rmtree(dir);
}

/* napictl --netns: a journal of its own per netns directory, one lock for all of them. */
static void test_netns_dir(void **state)
{
	const char *nsdir = "run/napitune/netns/42";
	char *dir = nt_test_mkdtemp();
	struct nt_root *root = NULL;
	struct nt_journal *j = NULL, *k = NULL;
	struct nt_change c = change("rps_cpus", "eth0 rx-0", "0", "3");
	struct nt_err e = {};
	char path[64];

	(void)state;
	snprintf(path, sizeof(path), NT_JOURNAL_NETNS_DIR_FMT, (uint64_t)42);
	assert_string_equal(path, nsdir);
	assert_int_equal(nt_root_open(dir, &root), 0);
	/* Reading a netns journal that was never written: empty, nothing created. */
	assert_int_equal(nt_journal_open_dir(root, nsdir, false, &j, &e), 0);
	assert_false(nt_journal_exists(j));
	assert_false(nt_path_exists(root, "run"));
	nt_journal_free(j);

	assert_int_equal(nt_journal_open_dir(root, nsdir, true, &j, &e), 0);
	assert_string_equal(j->file, "run/napitune/netns/42/journal");
	assert_int_equal(nt_journal_begin(j, "ns", "/x/ns.yaml"), 0);
	assert_int_equal(nt_journal_record(j, &c), 0);
	assert_int_equal(nt_journal_commit(j), 0);
	assert_true(nt_path_exists(root, "run/napitune/netns/42/journal"));
	assert_false(nt_path_exists(root, NT_JOURNAL_FILE));
	/* The lock is shared: no other writer, whatever its journal. */
	assert_int_equal(nt_journal_open(root, true, &k, &e), -EBUSY);
	assert_non_null(strstr(e.msg, "run/napitune/lock"));
	assert_int_equal(nt_journal_open_dir(root, "run/napitune/netns/7", true, &k, &e), -EBUSY);
	/* The main journal and another netns's know nothing of it. */
	assert_int_equal(nt_journal_open(root, false, &k, &e), 0);
	assert_false(nt_journal_exists(k));
	k = nt_journal_free(k);
	assert_int_equal(nt_journal_open_dir(root, "run/napitune/netns/7", false, &k, &e), 0);
	assert_false(nt_journal_exists(k));
	k = nt_journal_free(k);
	nt_journal_free(j);

	/* Read back, then a complete revert removes the journal and its directory. */
	assert_int_equal(nt_journal_open_dir(root, nsdir, true, &j, &e), 0);
	assert_int_equal(j->n, 1);
	assert_string_equal(j->e[0].object, "eth0 rx-0");
	assert_true(nt_journal_last(j)->committed);
	assert_int_equal(nt_journal_remove(j), 0);
	nt_journal_free(j);
	assert_false(nt_path_exists(root, nsdir));
	assert_true(nt_path_exists(root, "run/napitune/lock"));

	/* A rolled-back apply (drop_current of the only generation) leaves nothing either. */
	assert_int_equal(nt_journal_open_dir(root, nsdir, true, &j, &e), 0);
	assert_int_equal(nt_journal_begin(j, "ns", "/x/ns.yaml"), 0);
	assert_int_equal(nt_journal_record(j, &c), 0);
	assert_int_equal(nt_journal_drop_current(j), 0);
	nt_journal_free(j);
	assert_false(nt_path_exists(root, nsdir));

	/* Errors name the netns journal. */
	nt_test_write(dir, "run/napitune/netns/42/journal", "X\t1\n");
	assert_int_equal(nt_journal_open_dir(root, nsdir, false, &j, &e), -EBADMSG);
	assert_non_null(strstr(e.msg, "/run/napitune/netns/42/journal:1: corrupt record"));
	nt_root_free(root);
	nt_test_rmtree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip_torn_drop),
		cmocka_unit_test(test_netns_dir),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
