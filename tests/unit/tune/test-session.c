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

/* ---- the daemon's passes: some devices, a filter, the journal following the devices ---- */

static const char queues_yaml[] = "name: q\n"
				  "sysctl: { net.core.netdev_budget: 600 }\n"
				  "devices:\n"
				  "  - match: \"eth*\"\n"
				  "    queues: { rps_cpus: 1 }\n";

static struct nt_session *open_queues(struct nt_root **ret_root)
{
	static const char *const files[][2] = {
		{"sys/class/net/eth1/ifindex", "3\n"},
		{"sys/class/net/eth0/queues/rx-0/rps_cpus", "0\n"},
		{"sys/class/net/eth1/queues/rx-0/rps_cpus", "0\n"},
	};
	_cleanup_free_ char *path = NULL;
	struct nt_session *s = NULL;
	struct nt_msgs msgs = {};

	for (size_t i = 0; i < ARRAY_SIZE(files); i++)
		nt_test_write(tmp, files[i][0], files[i][1]);
	nt_test_write(tmp, "etc/q.yaml", queues_yaml);
	assert_true(asprintf(&path, "%s/etc/q.yaml", tmp) > 0);
	assert_int_equal(nt_root_open(tmp, ret_root), 0);
	assert_int_equal(nt_session_open(*ret_root, NULL, &s, NULL), 0);
	assert_int_equal(nt_session_load(s, path, &msgs, NULL), 0);
	nt_msgs_done(&msgs);
	return s;
}

static struct nt_journal *journal(struct nt_root *root)
{
	struct nt_journal *j = NULL;

	assert_int_equal(nt_journal_open(root, false, &j, NULL), 0);
	return j;
}

/* One device: its settings only, no sysctl; a pass that changes nothing leaves no trace. */
static void test_device_pass(void **state)
{
	struct nt_root *root;
	struct nt_session *s = open_queues(&root);
	char *only[] = {"eth1", NULL};
	struct nt_apply_opts opts = {.devices = only};
	struct nt_plan plan = {}, done = {};
	struct nt_journal *j;

	(void)state;
	assert_int_equal(nt_session_plan_for(s, &opts, &plan, NULL), 0);
	assert_int_equal(nt_plan_count(&plan, NT_CHANGE_SET), 1);
	assert_int_equal(plan.msgs.n, 0); /* eth0 is not missing: it is not asked about */
	assert_int_equal(nt_session_apply_for(s, &plan, &opts, &done, NULL), 0);
	assert_string_equal_free(read_fixture_file("sys/class/net/eth1/queues/rx-0/rps_cpus"), "2");
	assert_string_equal_free(read_fixture_file("sys/class/net/eth0/queues/rx-0/rps_cpus"), "0");
	assert_string_equal_free(read_fixture_file("proc/sys/net/core/netdev_budget"), "300");
	nt_plan_done(&plan);
	nt_plan_done(&done);
	j = journal(root);
	assert_int_equal(j->n, 1);
	assert_int_equal(j->n_apply, 1);
	nt_journal_free(j);

	/* again: already set, no new generation */
	assert_int_equal(nt_session_plan_for(s, &opts, &plan, NULL), 0);
	assert_int_equal(nt_session_apply_for(s, &plan, &opts, &done, NULL), 0);
	assert_int_equal(nt_plan_count(&done, NT_CHANGE_SAME), 1);
	nt_plan_done(&plan);
	nt_plan_done(&done);
	j = journal(root);
	assert_int_equal(j->n_apply, 1);
	nt_journal_free(j);

	/* a device that left before its pass */
	only[0] = "eth7";
	assert_int_equal(nt_session_plan_for(s, &opts, &plan, NULL), -ENODEV);
	assert_int_equal(nt_session_apply_for(s, &plan, &opts, &done, NULL), -ENODEV);
	assert_int_equal(done.n, 0);
	nt_plan_done(&plan);
	nt_session_free(s);
	nt_root_free(root);
}

/* Whether the profile selects a device, from its identity: the daemon's test before a pass. */
static void test_selects(void **state)
{
	struct nt_root *root;
	struct nt_session *s = open_queues(&root);

	(void)state;
	nt_test_write(tmp, "sys/class/net/veth9/ifindex", "9\n");
	assert_int_equal(nt_session_selects(s, "eth1"), 1);
	assert_int_equal(nt_session_selects(s, "veth9"), 0);
	assert_int_equal(nt_session_selects(s, "eth7"), -ENODEV);
	nt_session_free(s);
	nt_root_free(root);
}

static bool not_eth0(void *userdata, const struct nt_change *c)
{
	(void)userdata;
	return !c->ifname || strcmp(c->ifname, "eth0") != 0;
}

/* A filter leaves changes planned but unwritten (a value the daemon stopped reasserting). */
static void test_want(void **state)
{
	struct nt_root *root;
	struct nt_session *s = open_queues(&root);
	struct nt_apply_opts opts = {.want = not_eth0};
	struct nt_plan plan = {}, done = {};
	bool skipped = false;

	(void)state;
	assert_int_equal(nt_session_plan(s, &plan, NULL), 0);
	assert_int_equal(nt_session_apply_for(s, &plan, &opts, &done, NULL), 0);
	for (size_t i = 0; i < done.n; i++)
		if (done.c[i].skip) {
			assert_string_equal(done.c[i].object, "eth0 rx-0");
			assert_int_equal(done.c[i].result, NT_RESULT_NONE);
			skipped = true;
		}
	assert_true(skipped);
	assert_string_equal_free(read_fixture_file("sys/class/net/eth0/queues/rx-0/rps_cpus"), "0");
	assert_string_equal_free(read_fixture_file("sys/class/net/eth1/queues/rx-0/rps_cpus"), "2");
	assert_string_equal_free(read_fixture_file("proc/sys/net/core/netdev_budget"), "600");
	nt_plan_done(&plan);
	nt_plan_done(&done);
	nt_session_free(s);
	nt_root_free(root);
}

static bool only_sysctl(void *userdata, const struct nt_change *c)
{
	(void)userdata;
	return strcmp(c->object, "global") == 0;
}

/* Renamed: the records follow; gone: they go; a partial revert restores and forgets. */
/*
 * Device passes whose devices left leave no empty applies behind (the journal of a host where
 * matched devices come and go must not grow): the first and the newest apply stay.
 */
static void test_journal_compacts_gone_devices(void **state)
{
	struct nt_root *root;
	struct nt_session *s = open_queues(&root);
	char *only[] = {NULL, NULL};
	struct nt_apply_opts opts = {.devices = only};
	struct nt_plan plan = {}, done = {};
	struct nt_journal *j;
	char name[16], path[64], idx[16];

	(void)state;
	assert_int_equal(nt_session_plan(s, &plan, NULL), 0);
	assert_int_equal(nt_session_apply(s, &plan, &done, NULL), 0);
	nt_plan_done(&plan);
	nt_plan_done(&done);
	for (int i = 0; i < 5; i++) {
		snprintf(name, sizeof(name), "eth%d", 10 + i);
		snprintf(path, sizeof(path), "sys/class/net/%s/ifindex", name);
		snprintf(idx, sizeof(idx), "%d\n", 10 + i);
		nt_test_write(tmp, path, idx);
		snprintf(path, sizeof(path), "sys/class/net/%s/queues/rx-0/rps_cpus", name);
		nt_test_write(tmp, path, "0\n");
		only[0] = name;
		assert_int_equal(nt_session_plan_for(s, &opts, &plan, NULL), 0);
		assert_int_equal(nt_session_apply_for(s, &plan, &opts, &done, NULL), 0);
		nt_plan_done(&plan);
		nt_plan_done(&done);
	}
	j = journal(root);
	assert_int_equal(j->n_apply, 6);
	nt_journal_free(j);
	/* eth10..eth13 leave: their applies go, the first (sysctls, eth0, eth1) and eth14's stay */
	for (int i = 0; i < 4; i++) {
		j = journal(root);
		for (size_t k = 0; k < j->n; k++)
			if (strncmp(j->e[k].ifname, "eth1", 4) == 0 &&
			    strlen(j->e[k].ifname) == 5 && j->e[k].ifname[4] == (char)('0' + i))
				assert_int_equal(nt_session_device_gone(s, j->e[k].ifindex, NULL),
						 0);
		nt_journal_free(j);
	}
	j = journal(root);
	assert_int_equal(j->n_apply, 2);
	assert_true(j->a[0].committed);
	assert_true(j->a[1].committed);
	for (size_t k = 0; k < j->n; k++)
		assert_true(j->e[k].gen == j->a[0].gen || j->e[k].gen == j->a[1].gen);
	nt_journal_free(j);
	nt_session_free(s);
	nt_root_free(root);
}

static void test_journal_follows_devices(void **state)
{
	struct nt_root *root;
	struct nt_session *s = open_queues(&root);
	struct nt_apply_opts opts = {.want = only_sysctl};
	struct nt_plan plan = {}, done = {};
	struct nt_journal *j;

	(void)state;
	assert_int_equal(nt_session_plan(s, &plan, NULL), 0);
	assert_int_equal(nt_session_apply(s, &plan, &done, NULL), 0);
	nt_plan_done(&plan);
	nt_plan_done(&done);
	j = journal(root);
	assert_int_equal(j->n, 3);
	nt_journal_free(j);

	assert_int_equal(nt_session_device_renamed(s, 3, "lan1", NULL), 0);
	j = journal(root);
	assert_int_equal(j->n, 3);
	for (size_t i = 0; i < j->n; i++)
		if (j->e[i].ifindex == 3) {
			assert_string_equal(j->e[i].ifname, "lan1");
			assert_string_equal(j->e[i].object, "lan1 rx-0");
		}
	assert_int_equal(j->n_apply, 1);
	assert_true(j->a[0].committed);
	nt_journal_free(j);

	assert_int_equal(nt_session_device_gone(s, 2, NULL), 0);
	j = journal(root);
	assert_int_equal(j->n, 2); /* eth0 rx-0 is gone for good */
	nt_journal_free(j);

	/* restore the sysctl only: it leaves the journal, lan1's record stays */
	assert_int_equal(nt_session_revert_for(s, &opts, &done, NULL), 1);
	assert_int_equal(done.n, 1);
	assert_int_equal(done.c[0].result, NT_RESULT_WRITTEN);
	nt_plan_done(&done);
	assert_string_equal_free(read_fixture_file("proc/sys/net/core/netdev_budget"), "300");
	j = journal(root);
	assert_int_equal(j->n, 1);
	assert_string_equal(j->e[0].object, "lan1 rx-0");
	nt_journal_free(j);
	nt_session_free(s);
	nt_root_free(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_apply_verify_revert, setup, teardown),
		cmocka_unit_test_setup_teardown(test_irqbalance_decision, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json, setup, teardown),
		cmocka_unit_test_setup_teardown(test_device_pass, setup, teardown),
		cmocka_unit_test_setup_teardown(test_selects, setup, teardown),
		cmocka_unit_test_setup_teardown(test_want, setup, teardown),
		cmocka_unit_test_setup_teardown(test_journal_follows_devices, setup, teardown),
		cmocka_unit_test_setup_teardown(test_journal_compacts_gone_devices, setup,
						teardown),
	};

	return cmocka_run_group_tests_name("session", tests, NULL, NULL);
}
