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

#include <linux/genetlink.h>
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

/* The plan of @yaml on the test tree (IRQ 26 of rx-0 fires on CPU 0, 27 of rx-1 on CPU 1). */
static void plan_rss_cpus(const char *yaml, const char *want, const char *note)
{
	static const char *const dirs[] = {NULL};
	char *dir = make_tree();
	struct nt_profile *p = NULL;
	struct nt_msgs msgs = {};
	struct nt_plan plan = {};
	struct nt_topo topo = {};
	const struct nt_change *c = NULL;
	struct nt_root *root;
	struct nt_ctx ctx;

	nt_test_write(dir, "proc/irq/26/effective_affinity_list", "0\n");
	nt_test_write(dir, "proc/irq/27/effective_affinity_list", "1\n");
	assert_int_equal(nt_root_open(dir, &root), 0);
	assert_int_equal(nt_ctx_init(&ctx, root, NULL, NULL), 0);
	assert_int_equal(nt_topo_read(root, NULL, NULL, &topo, NULL), 0);
	if (nt_profile_load_buffer("c.yaml", yaml, strlen(yaml), dirs, &p, &msgs) < 0)
		fail_msg("%s", msgs.n ? msgs.msg[0] : "load failed");
	nt_msgs_done(&msgs);
	assert_int_equal(nt_plan_build(&ctx, p, &topo, NT_STAGES_ALL, &plan), 0);
	for (size_t i = 0; i < plan.n; i++)
		if (streq(plan.c[i].key, "rss.indir"))
			c = &plan.c[i];
	assert_non_null(c);
	assert_int_equal(c->stage, NT_STAGE_RSS);
	if (want)
		assert_string_equal(c->want, want);
	assert_int_equal(c->state, NT_CHANGE_UNSUPPORTED); /* a fixture tree: no RSS to read */
	assert_string_equal(c->note, note);
	nt_plan_done(&plan);
	nt_profile_free(p);
	nt_topo_done(&topo);
	nt_root_free(root);
	nt_test_rmtree(dir);
}

/*
 * rss.indir: { cpus: CPUs } resolves, through the topology's queue -> IRQ links, to the
 * RX queues whose IRQs sit on those CPUs (effective affinity, or the affinity this plan
 * sets), planned as "queues Q...".
 */
static void test_rss_cpus(void **state)
{
	static const char one[] = "devices:\n"
				  "  - match: napiref0\n"
				  "    device: { rss.indir: { cpus: \"1-3\" } }\n";
	static const char both[] = "devices:\n"
				   "  - match: napiref0\n"
				   "    device: { rss.indir: { cpus: \"all\" } }\n";
	static const char none[] = "devices:\n"
				   "  - match: napiref0\n"
				   "    device: { rss.indir: { cpus: \"2-3\" } }\n";
	static const char moved[] = "devices:\n"
				    "  - match: napiref0\n"
				    "    irqs: { smp_affinity: \"3\" }\n"
				    "    device: { rss.indir: { cpus: \"2-3\" } }\n";
	static const char *const dirs[] = {NULL};
	static const char bad[] = "devices:\n"
				  "  - match: napiref0\n"
				  "    device: { rss.indir: { cpus: \"1-x\" } }\n";
	struct nt_profile *p = NULL;
	struct nt_msgs msgs = {};

	(void)state;
	plan_rss_cpus(one, "queues 1", "RSS is only readable on the live system");
	plan_rss_cpus(both, "queues 0 1", "RSS is only readable on the live system");
	plan_rss_cpus(none, NULL, "no RX queue's IRQ sits on those CPUs");
	/* the profile moves both IRQs to CPU 3 first: both queues */
	plan_rss_cpus(moved, "queues 0 1", "RSS is only readable on the live system");
	assert_true(nt_profile_load_buffer("b.yaml", bad, strlen(bad), dirs, &p, &msgs) < 0);
	assert_null(p);
	assert_true(msgs.n_errors >= 1);
	assert_non_null(strstr(msgs.msg[0], "rss.indir"));
	nt_msgs_done(&msgs);
}

/*
 * An RSS table naming more RX queues than the device has is a plan error (the kernel would
 * refuse it halfway through an apply); one that fits is planned, here unsupported: a
 * fixture tree has neither ethtool netlink nor the RSS ioctls (6.1, its kernel, has
 * ETHTOOL_GRSSH: no version is held against the knob).
 */
static void test_rss_queues(void **state)
{
	static const char *const dirs[] = {NULL};
	static const char too_many[] = "devices:\n"
				       "  - match: napiref0\n"
				       "    device: { rss.indir: { weights: [1, 1, 0, 1] } }\n";
	static const char fits[] = "devices:\n"
				   "  - match: napiref0\n"
				   "    device: { rss.indir: { equal: 2 } }\n";
	char *dir = make_tree();
	struct nt_profile *p = NULL;
	struct nt_msgs msgs = {};
	struct nt_plan plan = {};
	struct nt_topo topo = {};
	struct nt_root *root;
	struct nt_ctx ctx;

	(void)state;
	assert_int_equal(nt_root_open(dir, &root), 0);
	assert_int_equal(nt_ctx_init(&ctx, root, NULL, NULL), 0);
	assert_int_equal(nt_topo_read(root, NULL, NULL, &topo, NULL), 0);
	assert_int_equal(
		nt_profile_load_buffer("r.yaml", too_many, strlen(too_many), dirs, &p, &msgs), 0);
	nt_msgs_done(&msgs);
	assert_int_equal(nt_plan_build(&ctx, p, &topo, NT_STAGES_ALL, &plan), -EINVAL);
	assert_int_equal(plan.msgs.n_errors, 1);
	assert_string_equal(plan.msgs.msg[0], "r.yaml:3:15: rss.indir 'weights 1 1 0 1' needs 4 "
					      "RX queues, 'napiref0' has 2");
	nt_plan_done(&plan);
	nt_profile_free(p);
	p = NULL;
	assert_int_equal(nt_profile_load_buffer("r.yaml", fits, strlen(fits), dirs, &p, &msgs), 0);
	nt_msgs_done(&msgs);
	assert_int_equal(nt_plan_build(&ctx, p, &topo, NT_STAGES_ALL, &plan), 0);
	assert_int_equal(plan.n, 1);
	assert_int_equal(plan.c[0].state, NT_CHANGE_UNSUPPORTED);
	assert_int_equal(plan.c[0].stage, NT_STAGE_RSS);
	assert_string_equal(plan.c[0].note, "RSS is only readable on the live system");
	nt_plan_done(&plan);
	nt_profile_free(p);
	nt_topo_done(&topo);
	nt_root_free(root);
	nt_test_rmtree(dir);
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

/*
 * 6.1 has no netdev netlink: NAPIs are unknown, not absent. Per-NAPI keys fall back to the
 * device files where the kernel has them (said so in the plan), and are unsupported on this
 * kernel, per key, where it has not; never an error.
 */
static void test_napi_keys_without_netlink(void **state)
{
	static const char *const dirs[] = {NULL};
	static const char yaml[] = "name: napi\n"
				   "devices:\n"
				   "  - match: [napiref0, eth1]\n"
				   "    napi:\n"
				   "      napi.defer-hard-irqs: 7\n"
				   "      napi.gro-flush-timeout: 300us\n"
				   "      napi.irq-suspend-timeout: 5ms\n"
				   "      napi.threaded: on\n";
	char *dir = make_tree();
	struct nt_profile *p = NULL;
	struct nt_msgs msgs = {};
	struct nt_plan plan = {};
	struct nt_topo topo = {};
	struct nt_root *root;
	struct nt_ctx ctx;
	unsigned int seen = 0;

	(void)state;
	nt_test_write(dir, "sys/class/net/napiref0/napi_defer_hard_irqs", "0\n");
	nt_test_write(dir, "sys/class/net/napiref0/gro_flush_timeout", "0\n");
	nt_test_write(dir, "sys/class/net/napiref0/threaded", "0\n");
	/* eth1: only gro_flush_timeout (as on kernels before 5.7 and 5.12) */
	nt_test_write(dir, "sys/class/net/eth1/ifindex", "4\n");
	nt_test_write(dir, "sys/class/net/eth1/gro_flush_timeout", "0\n");
	assert_int_equal(nt_root_open(dir, &root), 0);
	assert_int_equal(nt_ctx_init(&ctx, root, NULL, NULL), 0);
	assert_int_equal(ctx.kver, NT_KVER(6, 1));
	assert_int_equal(nt_profile_load_buffer("napi.yaml", yaml, strlen(yaml), dirs, &p, &msgs),
			 0);
	nt_msgs_done(&msgs);
	assert_int_equal(nt_topo_read(root, NULL, NULL, &topo, NULL), 0);
	assert_false(topo.have_netlink);
	assert_int_equal(nt_topo_find(&topo, "napiref0")->n_napi, 0);

	assert_int_equal(nt_plan_build(&ctx, p, &topo, NT_STAGES_ALL, &plan), 0);
	for (size_t i = 0; i < plan.msgs.n; i++)
		fail_msg("plan message: %s", plan.msgs.msg[i]);
	for (size_t i = 0; i < plan.n; i++) {
		const struct nt_change *c = &plan.c[i];
		const char *note = c->note ?: "";

		assert_null(c->error);
		if (streq(c->object, "napiref0") && streq(c->key, "napi_defer_hard_irqs")) {
			assert_int_equal(c->state, NT_CHANGE_SET);
			assert_string_equal(c->want, "7");
			assert_int_equal(c->stage, NT_STAGE_NAPI);
			assert_string_equal(note, "fallback: per-NAPI napi.defer-hard-irqs "
						  "unavailable (kernel too old); set device-wide "
						  "napi_defer_hard_irqs");
			seen |= 1u << 0;
		} else if (streq(c->object, "napiref0") && streq(c->key, "gro_flush_timeout")) {
			assert_int_equal(c->state, NT_CHANGE_SET);
			assert_string_equal(c->want, "300000");
			assert_non_null(strstr(note, "fallback: per-NAPI napi.gro-flush-timeout"));
			seen |= 1u << 1;
		} else if (streq(c->object, "napiref0") && streq(c->key, "threaded")) {
			assert_int_equal(c->state, NT_CHANGE_SET);
			assert_string_equal(c->want, "1");
			assert_non_null(strstr(note, "fallback: per-NAPI napi.threaded"));
			seen |= 1u << 2;
		} else if (streq(c->object, "napiref0 napi") &&
			   streq(c->key, "napi.irq-suspend-timeout")) {
			assert_int_equal(c->state, NT_CHANGE_UNSUPPORTED);
			assert_string_equal(note,
					    "unsupported on this kernel: per-NAPI "
					    "napi.irq-suspend-timeout unavailable (kernel too "
					    "old), and it has no device-wide file");
			seen |= 1u << 3;
		} else if (streq(c->object, "eth1") && streq(c->key, "gro_flush_timeout")) {
			assert_int_equal(c->state, NT_CHANGE_SET);
			seen |= 1u << 4;
		} else if (streq(c->object, "eth1 napi") &&
			   (streq(c->key, "napi.defer-hard-irqs") ||
			    streq(c->key, "napi.threaded"))) {
			assert_int_equal(c->state, NT_CHANGE_UNSUPPORTED);
			if (!strstr(note, "unsupported on this kernel: per-NAPI ") ||
			    !strstr(note, "does not exist on this kernel"))
				fail_msg("%s on eth1: %s", c->key, note);
			seen |= 1u << (streq(c->key, "napi.threaded") ? 5 : 6);
		} else if (streq(c->object, "eth1 napi") &&
			   streq(c->key, "napi.irq-suspend-timeout")) {
			assert_int_equal(c->state, NT_CHANGE_UNSUPPORTED);
			seen |= 1u << 7;
		} else {
			fail_msg("unexpected change %s on '%s' (%s)", c->key, c->object, note);
		}
	}
	assert_int_equal(seen, 0xff);
	assert_int_equal(plan.n, 8);
	nt_plan_done(&plan);
	nt_topo_done(&topo);
	nt_profile_free(p);
	nt_root_free(root);
	nt_test_rmtree(dir);
}

/* Threaded busy poll exists per NAPI only: never written to the device file as a fallback. */
static void test_busy_poll_no_fallback(void **state)
{
	static const char *const dirs[] = {NULL};
	static const char yaml[] = "name: busy\n"
				   "devices:\n"
				   "  - match: napiref0\n"
				   "    napi: { napi.threaded: busy-poll }\n";
	char *dir = make_tree();
	struct nt_profile *p = NULL;
	struct nt_msgs msgs = {};
	struct nt_plan plan = {};
	struct nt_topo topo = {};
	struct nt_root *root;
	struct nt_ctx ctx;

	(void)state;
	nt_test_write(dir, "sys/class/net/napiref0/threaded", "0\n");
	assert_int_equal(nt_root_open(dir, &root), 0);
	assert_int_equal(nt_ctx_init(&ctx, root, NULL, NULL), 0);
	assert_int_equal(nt_profile_load_buffer("busy.yaml", yaml, strlen(yaml), dirs, &p, &msgs),
			 0);
	nt_msgs_done(&msgs);
	assert_int_equal(nt_topo_read(root, NULL, NULL, &topo, NULL), 0);
	assert_int_equal(nt_plan_build(&ctx, p, &topo, NT_STAGES_ALL, &plan), 0);
	assert_int_equal(plan.n, 1);
	assert_string_equal(plan.c[0].key, "napi.threaded");
	assert_int_equal(plan.c[0].state, NT_CHANGE_UNSUPPORTED);
	assert_string_equal(plan.c[0].note, "unsupported on this kernel: per-NAPI napi.threaded "
					    "unavailable (kernel too old), and busy-poll has no "
					    "device-wide file");
	nt_plan_done(&plan);
	nt_topo_done(&topo);
	nt_profile_free(p);
	nt_root_free(root);
	nt_test_rmtree(dir);
}

#define CTRL_ID 16

/* napi-get of NAPI 8193 (napiref0's one NAPI) into @batch, threaded off */
static void napi_reply(struct fake_nl *f, unsigned int batch)
{
	struct nl_msg *m = fake_nl_reply(f, batch, NETDEV_ID, NT_NETDEV_CMD_NAPI_GET);

	nla_put_u32(m, NT_NETDEV_A_NAPI_IFINDEX, 3);
	nla_put_u32(m, NT_NETDEV_A_NAPI_ID, 8193);
	nla_put_u32(m, NT_NETDEV_A_NAPI_THREADED, 0);
}

/*
 * napi.threaded: busy-poll on a 7.x kernel whose napi-set policy allows threaded up to
 * @max: planned where the policy allows 2, unsupported on this kernel (said why) where not.
 */
static void plan_busy_poll(uint64_t max, enum nt_change_state want, const char *note)
{
	static const char *const dirs[] = {NULL};
	static const char yaml[] = "name: busy\n"
				   "devices:\n"
				   "  - match: napiref0\n"
				   "    napi: { napi.threaded: busy-poll }\n";
	char *dir = make_tree();
	struct nt_profile *p = NULL;
	struct nt_msgs msgs = {};
	struct nt_plan plan = {};
	struct nt_topo topo = {};
	struct nt_root *root;
	struct fake_nl f;
	struct nt_nl *nl;
	struct nt_ctx ctx;

	nt_test_write(dir, "proc/sys/kernel/osrelease", "7.2.13+deb14-amd64\n");
	fake_nl_init(&f);
	fake_nl_family(&f, "netdev", NETDEV_ID);
	fake_nl_family(&f, "nlctrl", CTRL_ID);
	napi_reply(&f, 0);			 /* topology: napi-get dump */
	fake_nl_error(&f, 1, -EOPNOTSUPP, NULL); /* queue-get */
	napi_reply(&f, 2);			 /* the per-NAPI probe of the first NAPI */
	napi_reply(&f, 3);			 /* caps of NAPI 8193 ... */
	fake_nl_policy(&f, 4, CTRL_ID, NETDEV_ID, NT_NETDEV_CMD_NAPI_SET, 1,
		       NT_NETDEV_A_NAPI_THREADED, max); /* ... and napi-set's policy */
	napi_reply(&f, 5);				/* its current value */
	nl = fake_nl_open(&f);
	assert_int_equal(nt_root_open(dir, &root), 0);
	assert_int_equal(nt_ctx_init(&ctx, root, nl, NULL), 0);
	assert_int_equal(nt_profile_load_buffer("busy.yaml", yaml, strlen(yaml), dirs, &p, &msgs),
			 0);
	nt_msgs_done(&msgs);
	assert_int_equal(nt_topo_read(root, nl, NULL, &topo, NULL), 0);
	assert_int_equal(nt_topo_find(&topo, "napiref0")->n_napi, 1);
	assert_int_equal(nt_plan_build(&ctx, p, &topo, NT_STAGES_ALL, &plan), 0);
	assert_int_equal(plan.n, 1);
	assert_string_equal(plan.c[0].key, "napi.threaded");
	assert_string_equal(plan.c[0].object, "napiref0 napi 8193");
	if (plan.c[0].state != want)
		fail_msg("state %d, want %d (%s)", plan.c[0].state, want, plan.c[0].note ?: "");
	assert_string_equal(plan.c[0].want, "2");
	if (note)
		assert_string_equal(plan.c[0].note ?: "", note);
	else
		assert_null(plan.c[0].note);
	/* the policy was asked (request 4); the value read only where it can be set */
	assert_int_equal(fake_nl_sent_cmd(&f, 4), CTRL_CMD_GETPOLICY);
	assert_int_equal(f.n_sent, want == NT_CHANGE_SET ? 6 : 5);
	nt_plan_done(&plan);
	nt_topo_done(&topo);
	nt_profile_free(p);
	nt_root_free(root);
	nt_nl_free(nl);
	fake_nl_done(&f);
	nt_test_rmtree(dir);
}

static void test_busy_poll_by_policy(void **state)
{
	(void)state;
	plan_busy_poll(2, NT_CHANGE_SET, NULL);
	plan_busy_poll(1, NT_CHANGE_UNSUPPORTED,
		       "unsupported on this kernel: napi.threaded busy-poll (its netlink policy "
		       "accepts at most on)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_napi_get),
		cmocka_unit_test(test_napi_without_irq),
		cmocka_unit_test(test_napi_keys_without_netlink),
		cmocka_unit_test(test_busy_poll_by_policy),
		cmocka_unit_test(test_busy_poll_no_fallback),
		cmocka_unit_test(test_rss_queues),
		cmocka_unit_test(test_rss_cpus),
	};

	return cmocka_run_group_tests_name("plan", tests, NULL, NULL);
}
