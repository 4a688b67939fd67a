// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The daemon's state file: what is written is read back (any text, escaped), unknown fields
 * are skipped, a torn or corrupt file is an error, the list of changes is the journal's
 * (first original, last value per knob), and a pid that is gone is not a running daemon.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon-state.h"
#include "fs.h"
#include "nt-test.h"
#include "plan.h"

static void test_round_trip(void **state)
{
	char *dir = nt_test_mkdtemp(), *path = NULL;
	struct nt_daemon_state_change ch[] = {
		{"rps_cpus", "eth0 rx-0", "0", "f"},
		{"net.core.netdev_budget", "global", "300", "600\tx\\y\nz"},
	};
	struct nt_daemon_state st =
				       {
					       .pid = 4242,
					       .state = "running",
					       .status = "balanced: ok; 2 devices",
					       .config = "/etc/napitune/napitune.yaml",
					       .profile = "balanced",
					       .profile_path =
						       "/usr/share/napitune/profiles/balanced.yaml",
					       .adopted = true,
					       .started = 1700000000,
					       .last_apply = 1700000001,
					       .last_result = "ok",
					       .devices = 2,
					       .changed = 2,
					       .unsupported = 5,
					       .drift = 3,
					       .reasserts = 1,
					       .backed_off = 1,
					       .reloads = 9,
					       .napi_kept = 4,
					       .napi_reapplied = 5,
					       .c = ch,
					       .n = ARRAY_SIZE(ch),
				       },
			       got = {};
	struct nt_root *root;
	struct stat sb;

	(void)state;
	nt_test_write(dir, "run/napitune/.keep", "");
	assert_int_equal(nt_root_open(dir, &root), 0);
	assert_int_equal(nt_daemon_state_read(root, &got), -ENOENT);
	umask(0077);
	assert_int_equal(nt_daemon_state_write(root, &st), 0);
	umask(0022);
	assert_true(asprintf(&path, "%s/%s", dir, NT_DAEMON_STATE_FILE) > 0);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0644); /* whatever the umask: for everyone */
	assert_int_equal(nt_daemon_state_read(root, &got), 0);
	assert_int_equal(got.pid, 4242);
	assert_string_equal(got.state, "running");
	assert_string_equal(got.status, st.status);
	assert_string_equal(got.profile_path, st.profile_path);
	assert_true(got.adopted);
	assert_int_equal(got.started, 1700000000);
	assert_int_equal(got.last_apply, 1700000001);
	assert_int_equal(got.unsupported, 5);
	assert_int_equal(got.backed_off, 1);
	assert_int_equal(got.reloads, 9);
	assert_int_equal(got.napi_kept, 4);
	assert_int_equal(got.napi_reapplied, 5);
	assert_int_equal(got.n, 2);
	assert_string_equal(got.c[1].object, "global");
	assert_string_equal(got.c[1].value, "600\tx\\y\nz");
	nt_daemon_state_done(&got);

	/* fields a newer daemon adds are skipped; a broken record is an error */
	nt_test_write(dir, NT_DAEMON_STATE_FILE, "pid\t7\nfuture\tfield\nstate\tpaused\n");
	assert_int_equal(nt_daemon_state_read(root, &got), 0);
	assert_int_equal(got.pid, 7);
	assert_string_equal(got.state, "paused");
	nt_daemon_state_done(&got);
	nt_test_write(dir, NT_DAEMON_STATE_FILE, "pid\tseven\n");
	assert_int_equal(nt_daemon_state_read(root, &got), -EBADMSG);
	nt_test_write(dir, NT_DAEMON_STATE_FILE, "change\tonly\ttwo\n");
	assert_int_equal(nt_daemon_state_read(root, &got), -EBADMSG);

	assert_int_equal(nt_daemon_state_remove(root), 0);
	assert_int_equal(nt_daemon_state_remove(root), 0);
	assert_int_equal(nt_daemon_state_read(root, &got), -ENOENT);
	nt_root_free(root);
	free(path);
	nt_test_rmtree(dir);
}

static void record(struct nt_journal *j, const char *key, const char *obj, const char *have,
		   const char *want)
{
	struct nt_change c = {.key = (char *)key,
			      .object = (char *)obj,
			      .have = (char *)have,
			      .want = (char *)want,
			      .ifname = "eth0",
			      .t = {.ifindex = 2}};

	assert_int_equal(nt_journal_record(j, &c), 0);
}

static void test_changes_and_alive(void **state)
{
	char *dir = nt_test_mkdtemp();
	struct nt_daemon_state st = {.pid = 123};
	struct nt_journal *j = NULL;
	struct nt_root *root;

	(void)state;
	assert_int_equal(nt_root_open(dir, &root), 0);
	assert_int_equal(nt_journal_open(root, true, &j, NULL), 0);
	assert_int_equal(nt_journal_begin(j, "a", "/a.yaml"), 0);
	record(j, "rps_cpus", "eth0 rx-0", "0", "1");
	record(j, "rps_flow_cnt", "eth0 rx-0", "0", "128");
	assert_int_equal(nt_journal_commit(j), 0);
	assert_int_equal(nt_journal_begin(j, "b", "/b.yaml"), 0);
	record(j, "rps_cpus", "eth0 rx-0", "1", "3"); /* napitune's own 1 is not an original */
	assert_int_equal(nt_journal_commit(j), 0);
	assert_int_equal(nt_daemon_state_set_changes(&st, j), 0);
	assert_int_equal(st.n, 2);
	assert_string_equal(st.c[0].key, "rps_cpus");
	assert_string_equal(st.c[0].original, "0");
	assert_string_equal(st.c[0].value, "3");
	assert_string_equal(st.c[1].value, "128");
	/* the journal itself kept the first original on the second record, too */
	assert_string_equal(j->e[2].original, "0");
	nt_journal_free(j);

	/* alive: /proc/PID/comm is napitune */
	assert_false(nt_daemon_state_alive(root, &st));
	nt_test_write(dir, "proc/123/comm", "sshd\n");
	assert_false(nt_daemon_state_alive(root, &st));
	nt_test_write(dir, "proc/123/comm", "napitune\n");
	assert_true(nt_daemon_state_alive(root, &st));
	st.pid = 0;
	assert_false(nt_daemon_state_alive(root, &st));
	nt_daemon_state_done(&st);
	nt_root_free(root);
	nt_test_rmtree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_changes_and_alive),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
