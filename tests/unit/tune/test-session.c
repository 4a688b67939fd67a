// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A session on a fixture root, as napictl and the daemon drive it: load, plan, apply,
 * what is applied, revert; the irqbalance decision; the JSON document.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fs.h"
#include "json.h"
#include "nt-test.h"
#include "session.h"

static char *tmp;

static const char profile_yaml[] = "name: pin\n"
				   "%s"
				   "sysctl: { net.core.netdev_budget: 600 }\n"
				   "devices:\n"
				   "  - match: eth0\n"
				   "    irqs: { smp_affinity: { spread: all } }\n";

static int setup(void **state)
{
	static const char *const files[][2] = {
		{"sys/devices/system/cpu/possible", "0-3\n"},
		{"sys/devices/system/cpu/online", "0-3\n"},
		{"proc/sys/kernel/osrelease", "6.12.0-test\n"},
		{"proc/sys/net/core/netdev_budget", "300\n"},
		{"sys/class/net/eth0/ifindex", "2\n"},
		{"sys/class/net/eth0/device/msi_irqs/40", "msix\n"},
		{"sys/class/net/eth0/device/msi_irqs/41", "msix\n"},
		{"proc/irq/40/smp_affinity_list", "0-3\n"},
		{"proc/irq/41/smp_affinity_list", "0-3\n"},
	};

	tmp = nt_test_mkdtemp();
	for (size_t i = 0; i < ARRAY_SIZE(files); i++)
		nt_test_write(tmp, files[i][0], files[i][1]);
	*state = tmp;
	return 0;
}

static int teardown(void **state)
{
	nt_test_rmtree(*state); /* frees tmp */
	tmp = NULL;
	return 0;
}

/* The profile as a file below the fixture, with an optional 'irqbalance:' line. */
static char *write_profile(const char *irqbalance_line)
{
	char *path, buf[512];

	snprintf(buf, sizeof(buf), profile_yaml, irqbalance_line);
	nt_test_write(tmp, "etc/pin.yaml", buf);
	assert_true(asprintf(&path, "%s/etc/pin.yaml", tmp) > 0);
	return path;
}

static struct nt_session *open_loaded(struct nt_root **ret_root, const char *irqbalance_line)
{
	_cleanup_free_ char *path = write_profile(irqbalance_line);
	struct nt_session *s = NULL;
	struct nt_msgs msgs = {};

	assert_int_equal(nt_root_open(tmp, ret_root), 0);
	assert_int_equal(nt_session_open(*ret_root, NULL, &s, NULL), 0);
	assert_null(s->nl); /* a fixture root: no netlink */
	assert_int_equal(nt_session_load(s, path, &msgs, NULL), 0);
	nt_msgs_done(&msgs);
	return s;
}

static char *read_fixture_file(const char *rel)
{
	struct nt_root *root;
	char *line = NULL;

	assert_int_equal(nt_root_open(tmp, &root), 0);
	assert_int_equal(nt_read_line(root, rel, &line), 0);
	nt_root_free(root);
	return line;
}

static void test_apply_verify_revert(void **state)
{
	struct nt_root *root;
	struct nt_session *s = open_loaded(&root, "");
	struct nt_plan plan = {}, done = {};
	char *applied = NULL;
	struct nt_err e = {};

	(void)state;
	assert_int_equal(nt_session_applied(s, &applied, &e), -ENOENT);
	assert_int_equal(nt_session_plan(s, &plan, NULL), 0);
	assert_int_equal(nt_plan_count(&plan, NT_CHANGE_SET), 3); /* budget, IRQ 40, IRQ 41 */
	assert_non_null(nt_topo_find(&s->topo, "eth0"));
	assert_int_equal(nt_session_apply(s, &plan, &done, NULL), 0);
	assert_int_equal(nt_plan_count(&done, NT_CHANGE_SET), 3);
	assert_string_equal_free(read_fixture_file("proc/irq/41/smp_affinity_list"), "1");
	nt_plan_done(&done);
	assert_int_equal(nt_session_applied(s, &applied, NULL), 0);
	assert_non_null(strstr(applied, "/etc/pin.yaml"));
	free(applied);
	assert_int_equal(nt_session_revert(s, &done, NULL), 1);
	assert_int_equal(nt_plan_count(&done, NT_CHANGE_SET), 3);
	assert_string_equal_free(read_fixture_file("proc/sys/net/core/netdev_budget"), "300");
	nt_plan_done(&done);
	assert_int_equal(nt_session_revert(s, &done, NULL), 0); /* nothing left */
	assert_int_equal(done.n, 0);
	nt_plan_done(&plan);
	nt_session_free(s);
	nt_root_free(root);
}

/* irqbalance runs: without 'irqbalance:' apply refuses before the journal; 'ignore' warns. */
static void test_irqbalance_decision(void **state)
{
	struct nt_root *root;
	struct nt_session *s;
	struct nt_plan plan = {}, done = {};
	struct nt_err e = {};

	(void)state;
	nt_test_write(tmp, "proc/4242/comm", "irqbalance\n");
	s = open_loaded(&root, "");
	assert_int_equal(nt_session_plan(s, &plan, NULL), 0);
	assert_true(plan.irqbalance_running);
	assert_true(plan.sets_irq_affinity);
	assert_int_equal(nt_session_apply(s, &plan, &done, &e), -EBUSY);
	assert_non_null(strstr(e.msg, "irqbalance is running"));
	assert_int_equal(done.n, 0);
	assert_string_equal_free(read_fixture_file("proc/irq/41/smp_affinity_list"), "0-3");
	nt_plan_done(&plan);
	nt_session_free(s);
	nt_root_free(root);

	s = open_loaded(&root, "irqbalance: ignore\n");
	assert_int_equal(nt_session_plan(s, &plan, NULL), 0);
	assert_int_equal(nt_session_apply(s, &plan, &done, NULL), 0);
	assert_int_equal(done.msgs.n, 1);
	assert_non_null(strstr(done.msgs.msg[0], "warning: irqbalance is running"));
	nt_plan_done(&done);
	assert_int_equal(nt_session_revert(s, &done, NULL), 1);
	nt_plan_done(&done);
	nt_plan_done(&plan);
	nt_session_free(s);
	nt_root_free(root);
}

static void test_json(void **state)
{
	struct nt_root *root;
	struct nt_session *s = open_loaded(&root, "irqbalance: ban\n");
	struct nt_plan plan = {};
	char *buf = NULL;
	size_t len = 0;
	struct nt_json j;
	FILE *f;

	(void)state;
	assert_int_equal(nt_session_plan(s, &plan, NULL), 0);
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	nt_json_init(&j, f, false);
	nt_session_write_json(s, "plan", &plan, NT_SESSION_JSON_ONLY_SETS, &j);
	nt_json_finish(&j);
	fclose(f);
	assert_non_null(strstr(buf, "{\"verb\":\"plan\",\"profile\":\"pin\",\"path\":"));
	assert_non_null(strstr(buf, "\"change\":3,\"same\":0,\"unsupported\":0,"
				    "\"irqbalance_running\":false,\"irqbalance\":\"ban\""));
	assert_non_null(strstr(buf, "\"object\":\"eth0 irq 41\""));
	assert_null(strstr(buf, "\"result\""));
	assert_non_null(strstr(buf, "\"errors\":[],\"warnings\":[]}"));
	free(buf);
	nt_plan_done(&plan);
	nt_session_free(s);
	nt_root_free(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_apply_verify_revert, setup, teardown),
		cmocka_unit_test_setup_teardown(test_irqbalance_decision, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json, setup, teardown),
	};

	return cmocka_run_group_tests_name("session", tests, NULL, NULL);
}
