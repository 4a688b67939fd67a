// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Apply, rollback and revert on a fixture root: a failure injected before every
 * write k of an N-write apply leaves the tree exactly as before; so does a crash
 * (child exits) at every k followed by revert.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "apply.h"
#include "fs.h"
#include "nt-test.h"

static char *tmp;

static void make_fixture(const char *d)
{
	nt_test_write(d, "sys/devices/system/cpu/possible", "0-3\n");
	nt_test_write(d, "sys/devices/system/cpu/online", "0-3\n");
	nt_test_write(d, "proc/sys/kernel/osrelease", "6.18.0-test\n");
	nt_test_write(d, "proc/sys/net/core/netdev_budget", "300\n");
	nt_test_write(d, "proc/sys/net/core/busy_poll", "0\n");
	nt_test_write(d, "proc/sys/net/core/rmem_max", "212992\n");
	nt_test_write(d, "proc/sys/net/ipv4/tcp_rmem", "4096\t131072\t6291456\n");
	nt_test_write(d, "proc/sys/net/ipv4/tcp_fastopen", "1\n");
	nt_test_write(d, "sys/class/net/eth0/ifindex", "2\n");
	nt_test_write(d, "sys/class/net/eth0/device/numa_node", "-1\n");
	nt_test_write(d, "sys/class/net/eth0/device/msi_irqs/40", "msix\n");
	nt_test_write(d, "sys/class/net/eth0/device/msi_irqs/41", "msix\n");
	nt_test_write(d, "sys/class/net/eth0/threaded", "0\n");
	nt_test_write(d, "sys/class/net/eth0/napi_defer_hard_irqs", "0\n");
	nt_test_write(d, "sys/class/net/eth0/gro_flush_timeout", "0\n");
	for (int q = 0; q < 2; q++) {
		char p[128];

		snprintf(p, sizeof(p), "sys/class/net/eth0/queues/rx-%d/rps_cpus", q);
		nt_test_write(d, p, "0\n");
		snprintf(p, sizeof(p), "sys/class/net/eth0/queues/rx-%d/rps_flow_cnt", q);
		nt_test_write(d, p, "0\n");
		snprintf(p, sizeof(p), "sys/class/net/eth0/queues/tx-%d/xps_cpus", q);
		nt_test_write(d, p, "0\n");
	}
	nt_test_write(d, "proc/irq/40/smp_affinity_list", "0-3\n");
	nt_test_write(d, "proc/irq/41/smp_affinity_list", "0-3\n");
	nt_test_write(d, "sys/class/net/lo/ifindex", "1\n");
}

static const char profile_yaml[] =
	"name: fixture\n"
	"sysctl:\n"
	"  net.core.netdev_budget: 600\n"
	"  net.core.busy_poll: 50us\n"
	"  net.ipv4.tcp_rmem: [4096, 131072, 16MiB]\n"
	"  net.ipv4.tcp_fastopen: 3\n"
	"devices:\n"
	"  - match: eth*\n"
	"    device: { threaded: on, napi_defer_hard_irqs: 2, gro_flush_timeout: 200us }\n"
	"    queues: { rps_cpus: \"1-3\", rps_flow_cnt: 4096, xps_cpus: { spread: all } }\n"
	"    irqs: { smp_affinity: { spread: \"!0\" } }\n";

/* Every file below sys/ and proc/ with its content, one string. */
static char *snap_buf;

static int snap_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	char *content = NULL, *n;
	size_t len = 0;
	FILE *f;

	(void)st;
	(void)ftw;
	if (flag != FTW_F || strstr(path, "/run/"))
		return 0;
	f = fopen(path, "re");
	assert_non_null(f);
	if (getdelim(&content, &len, '\0', f) < 0) {
		free(content);
		content = strdup("");
	}
	fclose(f);
	/* The kernel prints a newline whatever was written; fixture files do not. */
	content[strcspn(content, "\n")] = '\0';
	assert_true(asprintf(&n, "%s%s=%s\n", snap_buf, path + strlen(tmp), content) > 0);
	free(snap_buf);
	free(content);
	snap_buf = n;
	return 0;
}

static char *snapshot(void)
{
	snap_buf = strdup("");
	assert_int_equal(nftw(tmp, snap_one, 16, FTW_PHYS), 0);
	return snap_buf;
}

struct ctx_bundle {
	struct nt_root *root;
	struct nt_ctx ctx;
	struct nt_profile *p;
};

static void open_all(struct ctx_bundle *b)
{
	static const char *const dirs[] = {NULL};
	struct nt_msgs d = {};

	assert_int_equal(nt_root_open(tmp, &b->root), 0);
	assert_int_equal(nt_ctx_init(&b->ctx, b->root, NULL, NULL), 0);
	assert_int_equal(b->ctx.kver, NT_KVER(6, 18));
	assert_int_equal(nt_profile_load_buffer("fixture.yaml", profile_yaml, strlen(profile_yaml),
						dirs, &b->p, &d),
			 0);
	nt_msgs_done(&d);
}

static void close_all(struct ctx_bundle *b)
{
	nt_profile_free(b->p);
	nt_root_free(b->root);
}

static int setup(void **state)
{
	(void)state;
	tmp = nt_test_mkdtemp();
	make_fixture(tmp);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	nt_test_rmtree(tmp);
	tmp = NULL;
	return 0;
}

static size_t count_sets(struct ctx_bundle *b, struct nt_plan *plan)
{
	struct nt_topo topo = {};
	size_t n;
	int r;

	assert_int_equal(nt_topo_read(b->ctx.root, b->ctx.nl, NULL, &topo, NULL), 0);
	r = nt_plan_build(&b->ctx, b->p, &topo, NT_STAGES_ALL, plan);
	if (r < 0)
		fail_msg("plan failed: %s", plan->msgs.n ? plan->msgs.msg[0] : "?");
	nt_topo_done(&topo);
	n = nt_plan_count(plan, NT_CHANGE_SET);
	return n;
}

static void test_plan(void **state)
{
	struct ctx_bundle b;
	struct nt_plan plan = {};
	const char *want_order[] = {"net.core.netdev_budget", "threaded", "rps_cpus",
				    "smp_affinity"};
	size_t oi = 0;

	(void)state;
	open_all(&b);
	/* 4 sysctls, 3 device, 2x3 queue, 2 IRQ */
	assert_int_equal(count_sets(&b, &plan), 15);
	/* stages: sysctl, device, queues, IRQs */
	for (size_t i = 0; i < plan.n && oi < ARRAY_SIZE(want_order); i++)
		if (streq(plan.c[i].key, want_order[oi]))
			oi++;
	assert_int_equal(oi, ARRAY_SIZE(want_order));
	for (size_t i = 0; i < plan.n; i++) {
		const struct nt_change *c = &plan.c[i];

		if (streq(c->object, "eth0 tx-1") && streq(c->key, "xps_cpus"))
			assert_string_equal(c->want, "2"); /* spread: CPU 1 of 0-3 */
		if (streq(c->object, "eth0 irq 41"))
			assert_string_equal(c->want, "2"); /* spread over !0 = 1-3 */
		if (streq(c->key, "rps_cpus"))
			assert_string_equal(c->want, "e");
		if (streq(c->key, "gro_flush_timeout"))
			assert_string_equal(c->want, "200000");
	}
	nt_plan_done(&plan);
	close_all(&b);
}

static int fail_at(void *userdata, unsigned int step, const struct nt_change *c)
{
	unsigned int k = *(unsigned int *)userdata;

	(void)c;
	return step == k ? -EIO : 0;
}

static void test_rollback_every_step(void **state)
{
	struct ctx_bundle b;
	struct nt_plan plan = {};
	_cleanup_free_ char *before = NULL;
	size_t n;

	(void)state;
	open_all(&b);
	n = count_sets(&b, &plan);
	nt_plan_done(&plan);
	before = snapshot();
	for (unsigned int k = 0; k < n; k++) {
		struct nt_apply_opts o = {.before_write = fail_at, .userdata = &k};
		_cleanup_(nt_journal_freep) struct nt_journal *j = NULL;
		_cleanup_free_ char *after = NULL;
		struct nt_plan done = {};
		size_t written = 0, failed = 0;

		assert_int_equal(nt_journal_open(b.root, true, &j, NULL), 0);
		assert_int_equal(nt_apply(&b.ctx, b.p, j, &o, &done), -EIO);
		for (size_t i = 0; i < done.n; i++) {
			written += done.c[i].result == NT_RESULT_ROLLED_BACK;
			failed += done.c[i].result == NT_RESULT_FAILED;
			assert_int_not_equal(done.c[i].result, NT_RESULT_ROLLBACK_FAILED);
			assert_int_not_equal(done.c[i].result, NT_RESULT_WRITTEN);
		}
		assert_int_equal(written, k);
		assert_int_equal(failed, 1);
		after = snapshot();
		if (!streq(before, after))
			fail_msg("step %u: state differs after rollback:\n%s\nvs\n%s", k, before,
				 after);
		/* A completely rolled-back apply leaves no journal behind. */
		assert_false(nt_path_exists(b.root, NT_JOURNAL_FILE));
		nt_plan_done(&done);
	}
	close_all(&b);
}

static void test_apply_verify_revert(void **state)
{
	struct ctx_bundle b;
	struct nt_plan plan = {}, done = {};
	_cleanup_free_ char *before = NULL, *after = NULL, *applied = NULL;
	struct nt_journal *j = NULL;

	(void)state;
	open_all(&b);
	before = snapshot();
	assert_int_equal(nt_journal_open(b.root, true, &j, NULL), 0);
	assert_int_equal(nt_apply(&b.ctx, b.p, j, NULL, &done), 0);
	assert_int_equal(nt_plan_count(&done, NT_CHANGE_SET), 15);
	nt_plan_done(&done);
	nt_journal_free(j);
	applied = snapshot();
	assert_string_not_equal(before, applied);
	/* verify: nothing left to change */
	assert_int_equal(count_sets(&b, &plan), 0);
	/* the IRQs are still pinned by the profile (for irqbalance: ban/stop/refuse) */
	assert_true(plan.sets_irq_affinity);
	nt_plan_done(&plan);
	/* a second apply is a no-op that keeps the first originals */
	assert_int_equal(nt_journal_open(b.root, true, &j, NULL), 0);
	assert_int_equal(nt_journal_last(j)->committed, true);
	assert_string_equal(nt_journal_last(j)->profile, "fixture");
	assert_int_equal(nt_apply(&b.ctx, b.p, j, NULL, &done), 0);
	assert_int_equal(nt_plan_count(&done, NT_CHANGE_SET), 0);
	nt_plan_done(&done);
	/* Another process cannot take the lock meanwhile. */
	{
		struct nt_journal *j2 = NULL;
		struct nt_err e = {};
		pid_t pid = fork();

		if (pid == 0)
			_exit(nt_journal_open(b.root, true, &j2, &e) == -EBUSY ? 0 : 1);
		int st;

		assert_int_equal(waitpid(pid, &st, 0), pid);
		assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	assert_int_equal(nt_revert(&b.ctx, j, NULL, &done), 0);
	assert_int_equal(nt_plan_count(&done, NT_CHANGE_SET), 15);
	nt_plan_done(&done);
	nt_journal_free(j);
	after = snapshot();
	assert_string_equal(before, after);
	assert_false(nt_path_exists(b.root, NT_JOURNAL_FILE));
	/* idempotent */
	assert_int_equal(nt_journal_open(b.root, true, &j, NULL), 0);
	assert_false(nt_journal_exists(j));
	assert_int_equal(nt_revert(&b.ctx, j, NULL, &done), 0);
	assert_int_equal(done.n, 0);
	nt_plan_done(&done);
	nt_journal_free(j);
	close_all(&b);
}

static int crash_at(void *userdata, unsigned int step, const struct nt_change *c)
{
	(void)c;
	if (step == *(unsigned int *)userdata)
		_exit(42); /* as if SIGKILLed between two writes */
	return 0;
}

static void test_crash_then_revert(void **state)
{
	struct ctx_bundle b;
	struct nt_plan plan = {};
	_cleanup_free_ char *before = NULL;
	size_t n;

	(void)state;
	open_all(&b);
	n = count_sets(&b, &plan);
	nt_plan_done(&plan);
	before = snapshot();
	for (unsigned int k = 0; k <= n; k++) {
		_cleanup_free_ char *after = NULL;
		struct nt_journal *j = NULL;
		struct nt_plan done = {};
		int st;
		pid_t pid = fork();

		assert_true(pid >= 0);
		if (pid == 0) {
			struct nt_apply_opts o = {.before_write = crash_at, .userdata = &k};

			if (nt_journal_open(b.root, true, &j, NULL) < 0)
				_exit(1);
			_exit(nt_apply(&b.ctx, b.p, j, &o, &done) == 0 ? 0 : 2);
		}
		assert_int_equal(waitpid(pid, &st, 0), pid);
		assert_true(WIFEXITED(st));
		assert_int_equal(WEXITSTATUS(st), k < n ? 42 : 0);
		assert_int_equal(nt_journal_open(b.root, true, &j, NULL), 0);
		assert_int_equal(nt_revert(&b.ctx, j, NULL, &done), 0);
		nt_plan_done(&done);
		nt_journal_free(j);
		after = snapshot();
		if (!streq(before, after))
			fail_msg("crash at %u: revert did not restore:\n%s\nvs\n%s", k, before,
				 after);
	}
	close_all(&b);
}

static void test_plan_errors(void **state)
{
	static const char *const dirs[] = {NULL};
	static const char yaml[] = "sysctl:\n"
				   "  net.core.netdev_budgit: 5\n"
				   "devices:\n"
				   "  - match: eth0\n"
				   "    queues: { rps_cpus: 0-9 }\n"
				   "  - match: [eth7]\n"
				   "    required: true\n"
				   "    device: { threaded: on }\n"
				   "  - match: [eth8]\n"
				   "    device: { threaded: on }\n"
				   "  - match: eth0\n"
				   "    device: { rings.rx: max }\n"
				   "    napi: { napi.defer-hard-irqs: 2 }\n";
	struct ctx_bundle b;
	struct nt_profile *p = NULL;
	struct nt_topo topo = {};
	struct nt_plan plan = {};
	struct nt_msgs d = {};
	char all[4096] = "";
	size_t napi_seen;

	(void)state;
	open_all(&b);
	assert_int_equal(nt_profile_load_buffer("e.yaml", yaml, strlen(yaml), dirs, &p, &d), 0);
	nt_msgs_done(&d);
	assert_int_equal(nt_topo_read(b.ctx.root, b.ctx.nl, NULL, &topo, NULL), 0);
	assert_int_equal(nt_plan_build(&b.ctx, p, &topo, NT_STAGES_ALL, &plan), -EINVAL);
	for (size_t i = 0; i < plan.msgs.n; i++) {
		strcat(all, plan.msgs.msg[i]);
		strcat(all, "\n");
	}
	assert_non_null(strstr(all, "e.yaml:2:3: sysctl 'net.core.netdev_budgit' does not exist "
				    "on this kernel (did you mean 'net.core.netdev_budget'?)"));
	if (!strstr(all, "rps_cpus on 'eth0': CPU 4 does not exist: this machine has CPUs 0-3"))
		fail_msg("got:\n%s", all);
	assert_non_null(strstr(all, "device 'eth7' does not exist (required: true)"));
	assert_non_null(strstr(all, "warning: device 'eth8' does not exist, skipped"));
	/* No netlink here: per-device ethtool knobs are unsupported, never silently dropped. */
	napi_seen = 0;
	for (size_t i = 0; i < plan.n; i++) {
		if (streq(plan.c[i].key, "rings.rx")) {
			assert_int_equal(plan.c[i].state, NT_CHANGE_UNSUPPORTED);
			assert_non_null(strstr(plan.c[i].note, "not available"));
		}
		/* NAPIs unknown without netlink: the device file, said so */
		assert_false(streq(plan.c[i].key, "napi.defer-hard-irqs"));
		if (streq(plan.c[i].key, "napi_defer_hard_irqs")) {
			assert_int_equal(plan.c[i].state, NT_CHANGE_SET);
			assert_non_null(strstr(plan.c[i].note, "fallback: per-NAPI"));
			napi_seen++;
		}
	}
	assert_int_equal(napi_seen, 1);
	nt_plan_done(&plan);
	nt_topo_done(&topo);
	nt_profile_free(p);
	close_all(&b);
}

/* Kernels without per-NAPI config: the device-wide file, planned in the NAPI stage, said so. */
static void test_napi_fallback(void **state)
{
	static const char *const dirs[] = {NULL};
	static const char yaml[] =
		"devices:\n"
		"  - match: eth0\n"
		"    napi: { napi.defer-hard-irqs: 2, napi.gro-flush-timeout: 20us,\n"
		"            napi.irq-suspend-timeout: 1ms }\n";
	struct nt_topo_napi napis[2] = {{.id = 300, .irq = 40, .pid = -1},
					{.id = 301, .irq = 41, .pid = -1}};
	struct ctx_bundle b;
	struct nt_profile *p = NULL;
	struct nt_topo topo = {};
	struct nt_plan plan = {};
	struct nt_msgs d = {};
	size_t seen = 0;

	(void)state;
	open_all(&b);
	b.ctx.kver = NT_KVER(6, 12);
	assert_int_equal(nt_profile_load_buffer("f.yaml", yaml, strlen(yaml), dirs, &p, &d), 0);
	nt_msgs_done(&d);
	assert_int_equal(nt_topo_read(b.ctx.root, b.ctx.nl, NULL, &topo, NULL), 0);
	for (unsigned int i = 0; i < topo.n; i++)
		if (streq(topo.dev[i].name, "eth0")) {
			topo.dev[i].napi = napis;
			topo.dev[i].n_napi = 2;
		}
	assert_int_equal(nt_plan_build(&b.ctx, p, &topo, 1u << NT_STAGE_NAPI, &plan), 0);
	for (size_t i = 0; i < plan.n; i++) {
		const struct nt_change *c = &plan.c[i];

		if (streq(c->key, "napi_defer_hard_irqs")) {
			assert_string_equal(c->object, "eth0");
			assert_string_equal(c->want, "2");
			assert_int_equal(c->state, NT_CHANGE_SET);
			assert_string_equal(c->note,
					    "fallback: per-NAPI napi.defer-hard-irqs "
					    "unavailable (kernel too old); set device-wide "
					    "napi_defer_hard_irqs");
			seen++;
		} else if (streq(c->key, "gro_flush_timeout")) {
			assert_string_equal(c->want, "20000");
			seen++;
		} else if (streq(c->key, "napi.irq-suspend-timeout")) {
			/* no device-wide file: unsupported, per NAPI, never silently dropped */
			assert_int_equal(c->state, NT_CHANGE_UNSUPPORTED);
			assert_string_equal(c->note, "needs kernel 6.13 (this is 6.12)");
			seen++;
		}
	}
	assert_int_equal(seen, 4);
	for (unsigned int i = 0; i < topo.n; i++)
		if (streq(topo.dev[i].name, "eth0")) {
			topo.dev[i].napi = NULL;
			topo.dev[i].n_napi = 0;
		}
	nt_plan_done(&plan);
	nt_topo_done(&topo);
	nt_profile_free(p);
	close_all(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_plan, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rollback_every_step, setup, teardown),
		cmocka_unit_test_setup_teardown(test_apply_verify_revert, setup, teardown),
		cmocka_unit_test_setup_teardown(test_crash_then_revert, setup, teardown),
		cmocka_unit_test_setup_teardown(test_plan_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_napi_fallback, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
