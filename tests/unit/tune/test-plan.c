// SPDX-License-Identifier: GPL-2.0-or-later
// nt-pin-check: fixture (the kernel release below is test data)
/*
 * The planner resolves a device's IRQs through the one topology model, exactly as
 * `napictl map` does: the IRQ a NAPI reports (napi-get, 6.8+), else the queue named in
 * /proc/interrupts. Here napiref0 as on Debian 12's 6.1 kernel: a virtual device (no MSI
 * vectors, no device link) whose NAPIs report no IRQ, but whose queue IRQs are named
 * "napiref0-rx-N".
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/genl/genl.h>

#include "fake-nl.h"
#include "fs.h"
#include "nl-netdev.h"
#include "nl.h"
#include "nt-test.h"
#include "plan.h"

#define NETDEV_ID 20

static char *make_tree(void)
{
	char *dir = nt_test_mkdtemp();
	static const char *const files[][2] = {
		{"sys/devices/system/cpu/possible", "0-3\n"},
		{"sys/devices/system/cpu/online", "0-3\n"},
		{"proc/sys/kernel/osrelease", "6.1.0-26-amd64\n"},
		{"sys/class/net/napiref0/ifindex", "3\n"},
		{"sys/class/net/napiref0/queues/rx-0/rps_cpus", "0\n"},
		{"sys/class/net/napiref0/queues/rx-1/rps_cpus", "0\n"},
		{"sys/class/net/napiref0/queues/tx-0/xps_cpus", "0\n"},
		{"sys/class/net/napiref0/queues/tx-1/xps_cpus", "0\n"},
		{"sys/class/net/lo/ifindex", "1\n"},
		{"proc/interrupts",
		 "           CPU0       CPU1       CPU2       CPU3\n"
		 "  26:        100          0          0          0  napiref   0-edge  "
		 "napiref0-rx-0\n"
		 "  27:          0        200          0          0  napiref   1-edge  "
		 "napiref0-rx-1\n"
		 " NMI:          0          0          0          0  Non-maskable interrupts\n"},
		{"proc/irq/26/smp_affinity_list", "0-3\n"},
		{"proc/irq/27/smp_affinity_list", "0-3\n"},
	};

	for (size_t i = 0; i < ARRAY_SIZE(files); i++)
		nt_test_write(dir, files[i][0], files[i][1]);
	return dir;
}

static const char profile_yaml[] = "name: pin\n"
				   "devices:\n"
				   "  - match: napiref0\n"
				   "    irqs: { smp_affinity: { spread: all } }\n";

/* Plans the profile and checks it pins IRQs 26 and 27, the ones the topology gives rx-0/1. */
static void plan_finds_queue_irqs(struct nt_nl *nl)
{
	static const char *const dirs[] = {NULL};
	char *dir = make_tree();
	const struct nt_topo_dev *d;
	struct nt_profile *p = NULL;
	struct nt_msgs msgs = {};
	struct nt_plan plan = {};
	struct nt_topo topo = {};
	struct nt_root *root;
	struct nt_ctx ctx;
	size_t found = 0;

	assert_int_equal(nt_root_open(dir, &root), 0);
	assert_int_equal(nt_ctx_init(&ctx, root, nl, NULL), 0);
	assert_int_equal(nt_profile_load_buffer("pin.yaml", profile_yaml, strlen(profile_yaml),
						dirs, &p, &msgs),
			 0);
	nt_msgs_done(&msgs);
	assert_int_equal(nt_topo_read(root, nl, NULL, &topo, NULL), 0);
	d = nt_topo_find(&topo, "napiref0");
	assert_non_null(d);
	assert_int_equal(d->rx[0].irq, 26);
	assert_int_equal(d->rx[1].irq, 27);
	assert_int_equal(d->rx[0].irq_src, NT_IRQ_SRC_NAME);

	assert_int_equal(nt_plan_build(&ctx, p, &topo, NT_STAGES_ALL, &plan), 0);
	for (size_t i = 0; i < plan.n; i++) {
		const struct nt_change *c = &plan.c[i];

		assert_string_equal(c->key, "smp_affinity");
		assert_int_equal(c->state, NT_CHANGE_SET);
		if (streq(c->object, "napiref0 irq 26")) {
			assert_int_equal(c->t.index, 26);
			assert_string_equal(c->want, "0");
			found++;
		} else if (streq(c->object, "napiref0 irq 27")) {
			assert_string_equal(c->want, "1");
			found++;
		} else {
			fail_msg("unexpected change on '%s' (%s)", c->object, c->note ?: "");
		}
	}
	assert_int_equal(found, 2);
	assert_true(plan.sets_irq_affinity);
	nt_plan_done(&plan);
	nt_topo_done(&topo);
	nt_profile_free(p);
	nt_root_free(root);
	nt_test_rmtree(dir);
}

/* 6.1: no napi-get at all (the netdev family has no NAPI commands before 6.8). */
static void test_no_napi_get(void **state)
{
	struct fake_nl f;
	struct nt_nl *nl;

	(void)state;
	fake_nl_init(&f);
	fake_nl_family(&f, "netdev", NETDEV_ID);
	fake_nl_error(&f, 0, -EOPNOTSUPP, NULL); /* NAPI_GET: unknown command */
	nl = fake_nl_open(&f);
	plan_finds_queue_irqs(nl);
	nt_nl_free(nl);
	fake_nl_done(&f);
	plan_finds_queue_irqs(NULL); /* a fixture tree without netlink */
}

/* napi-get and queue-get answer, but the driver never called netif_napi_set_irq(). */
static void test_napi_without_irq(void **state)
{
	struct fake_nl f;
	struct nt_nl *nl;

	(void)state;
	fake_nl_init(&f);
	fake_nl_family(&f, "netdev", NETDEV_ID);
	for (uint32_t q = 0; q < 2; q++) {
		struct nl_msg *m = fake_nl_reply(&f, 0, NETDEV_ID, NT_NETDEV_CMD_NAPI_GET);

		nla_put_u32(m, NT_NETDEV_A_NAPI_IFINDEX, 3);
		nla_put_u32(m, NT_NETDEV_A_NAPI_ID, 8193 + q);
		m = fake_nl_reply(&f, 1, NETDEV_ID, NT_NETDEV_CMD_QUEUE_GET);
		nla_put_u32(m, NT_NETDEV_A_QUEUE_IFINDEX, 3);
		nla_put_u32(m, NT_NETDEV_A_QUEUE_TYPE, NT_NETDEV_QUEUE_TYPE_RX);
		nla_put_u32(m, NT_NETDEV_A_QUEUE_ID, q);
		nla_put_u32(m, NT_NETDEV_A_QUEUE_NAPI_ID, 8193 + q);
	}
	nl = fake_nl_open(&f);
	plan_finds_queue_irqs(nl);
	nt_nl_free(nl);
	fake_nl_done(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_napi_get),
		cmocka_unit_test(test_napi_without_irq),
	};

	return cmocka_run_group_tests_name("plan", tests, NULL, NULL);
}
