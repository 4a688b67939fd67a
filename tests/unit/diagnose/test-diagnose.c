// SPDX-License-Identifier: GPL-2.0-or-later
#define _GNU_SOURCE
/*
 * Every rule fires on its fixture pair (tests/fixture/nt-fixture.c scenarios) with the
 * documented level and remedy knob; healthy pairs stay quiet; causality names one root;
 * every remedy knob is a knob of lib/knobs/knobs.def and every profile snippet loads.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "diagnose.h"
#include "fs.h"
#include "json.h"
#include "knob.h"
#include "nt-fixture.h"
#include "nt-test.h"
#include "profile.h"
#include "rules.h"

struct run {
	char *dir;
	struct nt_snapshot a, b;
	struct nt_rates r;
	struct nt_diagnosis d;
};

static void take(const char *dir, const char *scen, int phase, struct nt_snapshot *s)
{
	struct nt_root *root = NULL;
	struct nt_snapshot_opts o = {};
	struct nt_fx *fx = calloc(1, sizeof(*fx));
	char *sub;

	assert_non_null(fx);
	assert_true(asprintf(&sub, "%s/%c", dir, phase ? 'b' : 'a') > 0);
	assert_int_equal(mkdir(sub, 0755), 0);
	assert_int_equal(nt_fx_scenario(scen, phase, fx), 0);
	assert_int_equal(nt_fx_write(sub, fx), 0);
	assert_int_equal(nt_root_open(sub, &root), 0);
	o.root = root;
	assert_int_equal(nt_snapshot_take(&o, s), 0);
	/* The sampling interval is part of the fixture: 5 s. */
	s->t_ns = phase ? 6000000000ull : 1000000000ull;
	s->clk_tck = 100;
	nt_root_free(root);
	free(sub);
	free(fx);
}

static struct run *run(const char *scen)
{
	struct run *x = calloc(1, sizeof(*x));

	assert_non_null(x);
	x->dir = nt_test_mkdtemp();
	take(x->dir, scen, 0, &x->a);
	take(x->dir, scen, 1, &x->b);
	assert_int_equal(nt_rates_compute(&x->a, &x->b, &x->r), 0);
	assert_int_equal(nt_diagnose(&x->r, &x->d), 0);
	return x;
}

static void run_free(struct run *x)
{
	nt_diagnosis_done(&x->d);
	nt_rates_done(&x->r);
	nt_snapshot_done(&x->a);
	nt_snapshot_done(&x->b);
	nt_test_rmtree(x->dir);
	free(x);
}

/* Phase 1 of @scen below @dir/b, changed by @change first (NULL: as it is). */
static void write_b(const char *dir, const char *scen, void (*change)(struct nt_fx *))
{
	struct nt_fx *fx = calloc(1, sizeof(*fx));
	char *sub;

	assert_non_null(fx);
	assert_true(asprintf(&sub, "%s/b", dir) > 0);
	nt_test_rmtree(strdup(sub));
	assert_int_equal(mkdir(sub, 0755), 0);
	assert_int_equal(nt_fx_scenario(scen, 1, fx), 0);
	if (change)
		change(fx);
	assert_int_equal(nt_fx_write(sub, fx), 0);
	free(sub);
	free(fx);
}

/* A sample of @dir/b that keeps the topology of @from (the daemon's cheap tick). */
static void take_kept(const char *dir, const struct nt_snapshot *from, struct nt_snapshot *s)
{
	struct nt_snapshot_opts o = {.topo_from = from, .skip = NT_SNAPSHOT_SKIPPABLE};
	struct nt_root *root = NULL;
	char *sub;

	assert_true(asprintf(&sub, "%s/b", dir) > 0);
	assert_int_equal(nt_root_open(sub, &root), 0);
	o.root = root;
	assert_int_equal(nt_snapshot_take(&o, s), 0);
	s->t_ns = 6000000000ull;
	s->clk_tck = 100;
	nt_root_free(root);
	free(sub);
}

static void add_device(struct nt_fx *fx)
{
	fx->dev[fx->n_dev] = fx->dev[fx->n_dev - 1];
	fx->dev[fx->n_dev].name = "eth9";
	fx->n_dev++;
}

static void drop_device(struct nt_fx *fx)
{
	fx->n_dev--;
}

static void cpu_offline(struct nt_fx *fx)
{
	fx->cpu[fx->ncpu - 1].offline = true;
}

/*
 * The daemon's cheap ticks keep the topology of its last full sample (topo_from): the
 * devices, their IRQs and the kernel threads are taken over, the counters read anew and
 * the rates the same as from a sample that resolved everything; a device that left or
 * appeared, a kernel thread that exited, a CPU gone offline make the sample say the kept
 * topology is stale.
 */
static void test_topology_kept(void **state)
{
	struct run *x = run("r01");
	struct nt_snapshot s = {};
	struct nt_rates r = {};
	char path[4096];

	(void)state;
	assert_true(x->a.n_dev >= 2);
	assert_true(x->a.threads.n >= 2);
	take_kept(x->dir, &x->a, &s);
	assert_false(s.topo_stale);
	assert_int_equal(s.n_dev, x->a.n_dev);
	for (unsigned int i = 0; i < s.n_dev; i++) {
		assert_string_equal(s.dev[i].name, x->b.dev[i].name);
		assert_int_equal(s.dev[i].n_rx, x->a.dev[i].n_rx);
		assert_int_equal(s.dev[i].n_irq, x->a.dev[i].n_irq);
		for (unsigned int q = 0; q < s.dev[i].n_irq; q++)
			assert_int_equal(s.dev[i].irq[q].irq, x->a.dev[i].irq[q].irq);
		if (s.dev[i].n_irq)
			assert_ptr_not_equal(s.dev[i].irq, x->a.dev[i].irq); /* its own copy */
		/* the counters are this sample's */
		assert_int_equal(s.dev[i].have_stats, x->b.dev[i].have_stats);
		assert_memory_equal(&s.dev[i].stats, &x->b.dev[i].stats, sizeof(s.dev[i].stats));
	}
	assert_int_equal(s.threads.n, x->a.threads.n);
	assert_int_equal(nt_rates_compute(&x->a, &s, &r), 0);
	for (unsigned int c = 0; c < r.n_cpu && c < x->r.n_cpu; c++) {
		assert_true(r.cpu[c].ksoftirqd == x->r.cpu[c].ksoftirqd);
		assert_int_equal(r.cpu[c].d_dropped, x->r.cpu[c].d_dropped);
	}
	for (unsigned int i = 0; i < r.n_dev; i++)
		assert_memory_equal(r.dev[i].d, x->r.dev[i].d, sizeof(r.dev[i].d));
	nt_rates_done(&r);
	nt_snapshot_done(&s);

	/* a kernel thread exited */
	snprintf(path, sizeof(path), "%s/b/proc/%d", x->dir, x->a.threads.t[0].pid);
	nt_test_rmtree(strdup(path));
	take_kept(x->dir, &x->a, &s);
	assert_true(s.topo_stale);
	assert_int_equal(s.threads.n, x->a.threads.n - 1);
	nt_snapshot_done(&s);

	{
		static void (*const change[])(struct nt_fx *) = {add_device, drop_device,
								 cpu_offline};

		for (size_t i = 0; i < ARRAY_SIZE(change); i++) {
			write_b(x->dir, "r01", change[i]);
			take_kept(x->dir, &x->a, &s);
			assert_true(s.topo_stale);
			nt_snapshot_done(&s);
		}
	}
	/* as it was: not stale */
	write_b(x->dir, "r01", NULL);
	take_kept(x->dir, &x->a, &s);
	assert_false(s.topo_stale);
	nt_snapshot_done(&s);
	run_free(x);
}

static const struct nt_finding *find(const struct nt_diagnosis *d, const char *id, int cpu)
{
	for (unsigned int i = 0; i < d->n; i++)
		if (d->f[i].rule && streq(d->f[i].rule->id, id) && (cpu < 0 || d->f[i].cpu == cpu))
			return &d->f[i];
	return NULL;
}

static void dump(const struct nt_diagnosis *d)
{
	struct nt_json j;

	nt_json_init(&j, stderr, true);
	nt_diagnosis_write_json(d, &j);
	nt_json_finish(&j);
}

static const struct {
	const char *scen, *rule;
	enum nt_level level;
	bool tunable;
	const char *knob, *suggested; /* NULL: not checked */
	enum nt_level verdict;
} cases[] = {
	{"r01", "R01", NT_LEVEL_CRIT, true, "net.core.netdev_max_backlog", "2000", NT_LEVEL_CRIT},
	{"r01-rps", "R01", NT_LEVEL_CRIT, true, "rps_cpus", "numa-local", NT_LEVEL_CRIT},
	/* CPU 0 saturated by eth0's queue 0 while CPUs 1-3 idle: RPS for it, not the budget */
	{"r02", "R02", NT_LEVEL_WARN, true, "rps_cpus", "numa-local,!0", NT_LEVEL_WARN},
	{"r03", "R03", NT_LEVEL_WARN, true, "net.core.netdev_max_backlog", "2000", NT_LEVEL_WARN},
	{"r04", "R04", NT_LEVEL_CRIT, true, "rings.rx", "max", NT_LEVEL_CRIT},
	{"r04-cpu", "R07", NT_LEVEL_WARN, true, "smp_affinity", NULL, NT_LEVEL_CRIT},
	/* the sink asks for more than rmem_max: the sysctl */
	{"r05", "R05", NT_LEVEL_WARN, true, "net.core.rmem_max", "8388608", NT_LEVEL_WARN},
	/* the listener asked for somaxconn or more: the sysctl */
	{"r06", "R06", NT_LEVEL_CRIT, true, "net.core.somaxconn", "8192", NT_LEVEL_CRIT},
	{"r08", "R08", NT_LEVEL_WARN, true, "rps_cpus", "numa-local,!3", NT_LEVEL_WARN},
	{"r09", "R09", NT_LEVEL_WARN, true, "rps_cpus", "numa-local,!1", NT_LEVEL_WARN},
	{"r10", "R10", NT_LEVEL_WARN, true, "rps_cpus", "numa-local", NT_LEVEL_WARN},
	{"r11", "R11", NT_LEVEL_WARN, true, "net.core.busy_read", "50", NT_LEVEL_WARN},
	{"r12", "R12", NT_LEVEL_WARN, true, "napi.kthread-cpus", "irq", NT_LEVEL_WARN},
	{"r13", "R13", NT_LEVEL_WARN, true, "gro", "on", NT_LEVEL_WARN},
	{"r14", "R14", NT_LEVEL_NOTE, false, NULL, NULL, NT_LEVEL_OK},
	{"r15", "R15", NT_LEVEL_WARN, false, NULL, NULL, NT_LEVEL_OK},
	{"r16", "R16", NT_LEVEL_WARN, false, NULL, NULL, NT_LEVEL_OK},
	/* a value far below the default: doubling it would not help; suggest 2x the default */
	{"r02-low", "R02", NT_LEVEL_WARN, true, "net.core.netdev_budget", "600", NT_LEVEL_WARN},
	{"r06-low", "R06", NT_LEVEL_CRIT, true, "net.core.somaxconn", "8192", NT_LEVEL_CRIT},
	/* IRQs masked under overload: no IRQ counted, the effective affinity tells */
	{"r07-masked", "R07", NT_LEVEL_WARN, true, "smp_affinity", NULL, NT_LEVEL_WARN},
	/* one channel on a NIC with queue IRQs: more channels, not RPS */
	{"r10-nic", "R10", NT_LEVEL_WARN, true, "channels.combined", "max", NT_LEVEL_WARN},
	/* recorded ethtool -g: the ring grows to the device's pre-set maximum, as a number */
	{"r04-ring", "R04", NT_LEVEL_CRIT, true, "rings.rx", "4096", NT_LEVEL_CRIT},
	/* ring at its maximum: it cannot grow; more channels where there are fewer than CPUs */
	{"r04-ring-max-2q", "R04", NT_LEVEL_CRIT, true, "channels.combined", "max", NT_LEVEL_CRIT},
	/* ... a queue per CPU already: only faster draining (text remedy, no knob) */
	{"r04-ring-max", "R04", NT_LEVEL_CRIT, true, NULL, NULL, NT_LEVEL_CRIT},
	/* ... and on a saturated IRQ CPU: spread the queue IRQs */
	{"r04-cpu-max", "R04", NT_LEVEL_CRIT, true, "smp_affinity", NULL, NT_LEVEL_CRIT},
	/* the application set a small SO_RCVBUF itself: no sysctl, ask for rmem_max */
	{"r05-app", "R05", NT_LEVEL_WARN, true, "", "212992", NT_LEVEL_WARN},
	/* no SO_RCVBUF: the default is the knob */
	{"r05-default", "R05", NT_LEVEL_WARN, true, "net.core.rmem_default", "8388608",
	 NT_LEVEL_WARN},
	/* the buffer was not seen (no sock_diag): no knob is guessed */
	{"r05-unknown", "R05", NT_LEVEL_WARN, true, "", "", NT_LEVEL_WARN},
	/* an autotuned TCP socket: tcp_rmem's max; one fixed by SO_RCVBUF: the application */
	{"r05-tcp", "R05", NT_LEVEL_WARN, true, "net.ipv4.tcp_rmem", "[4096, 131072, 12582912]",
	 NT_LEVEL_WARN},
	{"r05-tcp-app", "R05", NT_LEVEL_WARN, true, "", "", NT_LEVEL_WARN},
	/* listen(fd, 2) below somaxconn: the application; unseen listener: no knob */
	{"r06-app", "R06", NT_LEVEL_CRIT, true, "", "4096", NT_LEVEL_CRIT},
	{"r06-unknown", "R06", NT_LEVEL_CRIT, true, "", "", NT_LEVEL_CRIT},
	/* spread before budget: two CPUs saturated by loopback, two idle: RPS on lo to those */
	{"r02-lo", "R02", NT_LEVEL_WARN, true, "rps_cpus", "numa-local,!0,!1", NT_LEVEL_WARN},
	/* ... no idle CPU: no knob (a budget cannot add CPU time) */
	{"r02-busy", "R02", NT_LEVEL_WARN, true, "", NULL, NT_LEVEL_WARN},
	/* ... headroom: the budget */
	{"r02-headroom", "R02", NT_LEVEL_WARN, true, "net.core.netdev_budget", "600",
	 NT_LEVEL_WARN},
	/* ... two busy queue IRQs on the CPU: one per CPU; one of two queues: more channels */
	{"r02-irqs", "R02", NT_LEVEL_WARN, true, "smp_affinity", "{ spread: numa-local }",
	 NT_LEVEL_WARN},
	{"r02-channels", "R02", NT_LEVEL_WARN, true, "channels.combined", "max", NT_LEVEL_WARN},
	/* loopback on one CPU, RPS off: R08 names lo (a snippet for "all" skips it) */
	{"r08-lo", "R08", NT_LEVEL_WARN, true, "rps_cpus", "numa-local,!3", NT_LEVEL_WARN},
	/* RSS sends 95% of eth0 to queue 2, whose CPU saturates: spread the table */
	{"r17", "R17", NT_LEVEL_WARN, true, "rss.indir", "{ equal: 4 }", NT_LEVEL_WARN},
	/* an even table, UDP hashed on addresses only: hash the ports */
	{"r17-fields", "R17", NT_LEVEL_WARN, true, "rss.hash.udp4", "sdfn", NT_LEVEL_WARN},
};

static void test_rules_fire(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct run *x = run(cases[i].scen);
		const struct nt_finding *f = find(&x->d, cases[i].rule, -1);

		if (!f || f->level != cases[i].level || f->tunable != cases[i].tunable ||
		    x->d.level != cases[i].verdict) {
			dump(&x->d);
			fail_msg("%s: %s level %s (want %s), verdict %s (want %s)", cases[i].scen,
				 cases[i].rule, f ? nt_level_to_string(f->level) : "missing",
				 nt_level_to_string(cases[i].level), nt_level_to_string(x->d.level),
				 nt_level_to_string(cases[i].verdict));
		}
		if (cases[i].knob)
			assert_string_equal(f->remedy.knob, cases[i].knob);
		if (cases[i].suggested)
			assert_string_equal(f->remedy.suggested, cases[i].suggested);
		assert_true(f->summary[0] && f->cause[0] && f->n_ev > 0);
		/* Quoted names take no possessive ("'eth0''s" reads badly). */
		for (unsigned int k = 0; k < x->d.n; k++) {
			assert_null(strstr(x->d.f[k].summary, "''s"));
			assert_null(strstr(x->d.f[k].cause, "''s"));
			assert_null(strstr(x->d.f[k].remedy.caveat, "''s"));
		}
		run_free(x);
	}
}

static void test_healthy_quiet(void **state)
{
	static const char *const healthy[] = {"healthy-idle", "healthy-busy", "big"};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(healthy); i++) {
		struct run *x = run(healthy[i]);

		if (x->d.n != 0) {
			dump(&x->d);
			fail_msg("%s: %u findings on a healthy machine", healthy[i], x->d.n);
		}
		assert_int_equal(x->d.level, NT_LEVEL_OK);
		assert_int_equal(x->d.lost_total, 0);
		run_free(x);
	}
}

static void test_rules_silent_elsewhere(void **state)
{
	/* A rule fires only on its own scenario(s): no warning spills into healthy ones and
	 * each scenario's warnings are explained by its rule or causality. */
	struct run *x = run("healthy-busy");

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		assert_int_equal(nt_diagnosis_count(&x->d, cases[i].rule, NT_LEVEL_NOTE), 0);
	run_free(x);
}

static void test_one_busy_queue_not_r07(void **state)
{
	/* One busy queue's IRQ lands on its own CPU while the others idle: 100 % of the
	 * device's IRQs on one CPU, but the IRQs are spread: the ring, not affinity. */
	struct run *x = run("r04-onequeue");

	(void)state;
	if (nt_diagnosis_count(&x->d, "R07", NT_LEVEL_NOTE) != 0 || !find(&x->d, "R04", -1)) {
		dump(&x->d);
		fail_msg("r04-onequeue: want R04 and no R07");
	}
	run_free(x);
}

static void test_r04_ethmac(void **state)
{
	/* Only the MAC's standard counter (ethtool -S --groups eth-mac) sees the overflow. */
	struct run *x = run("r04-ethmac");
	const struct nt_finding *f = find(&x->d, "R04", -1);
	bool mac = false;

	(void)state;
	if (!f) {
		dump(&x->d);
		fail_msg("r04-ethmac: no R04");
	}
	assert_int_equal(f->level, NT_LEVEL_CRIT); /* 5000 of 105000 */
	assert_string_equal(f->dev, "eth0");
	assert_int_equal(f->lost, 5000);
	assert_int_equal(x->d.lost_ring, 5000);
	for (unsigned int i = 0; i < f->n_ev; i++) {
		assert_string_not_equal(f->ev[i].counter, "rx_missed_errors");
		if (streq(f->ev[i].counter, "FramesLostDueToIntMACRcvError")) {
			assert_string_equal(f->ev[i].source, "ethtool stats eth-mac");
			assert_string_equal(f->ev[i].dev, "eth0");
			assert_int_equal(f->ev[i].delta, 5000);
			mac = true;
		}
	}
	assert_true(mac);
	/* the rates: deltas aligned to the second sample's counters */
	for (unsigned int i = 0; i < x->r.n_dev; i++) {
		const struct nt_dev_rate *dr = &x->r.dev[i];

		if (!streq(dr->b->name, "eth0"))
			continue;
		assert_true(dr->ethstd_valid);
		assert_int_equal(dr->b->ethstd.n, 3);
		assert_int_equal(dr->d_ethstd[0], 100000); /* FramesReceivedOK */
		assert_int_equal(dr->d_ethstd[1], 5000);   /* FramesLostDueToIntMACRcvError */
		assert_int_equal(dr->d_ethstd[2], 0);	   /* etherStatsUndersizePkts */
	}
	run_free(x);
}

static void test_rates_ethstd(void **state)
{
	/* Counters are matched by group and id; one that is new or went down gives 0. */
	struct nt_snapshot a = {.t_ns = 1000000000ull}, b = {.t_ns = 2000000000ull};
	struct nt_snap_dev da = {.name = "eth0", .ifindex = 2, .have_stats = true};
	struct nt_snap_dev db = da;
	struct nt_rates r;

	(void)state;
	assert_int_equal(nt_ethstd_stats_parse_text("eth-mac-FramesReceivedOK: 100\n"
						    "eth-mac-FramesLostDueToIntMACRcvError: 50\n"
						    "rmon-etherStatsJabbers: 9\n",
						    &da.ethstd),
			 0);
	assert_int_equal(nt_ethstd_stats_parse_text("eth-phy-SymbolErrorDuringCarrier: 4\n"
						    "eth-mac-FramesReceivedOK: 160\n"
						    "eth-mac-FramesLostDueToIntMACRcvError: 70\n"
						    "rmon-etherStatsJabbers: 2\n",
						    &db.ethstd),
			 0);
	a.n_dev = b.n_dev = 1;
	a.dev = &da;
	b.dev = &db;
	assert_int_equal(nt_rates_compute(&a, &b, &r), 0);
	assert_int_equal(r.n_dev, 1);
	assert_true(r.dev[0].ethstd_valid);
	assert_int_equal(r.dev[0].d_ethstd[0], 0); /* SymbolErrorDuringCarrier: new */
	assert_int_equal(r.dev[0].d_ethstd[1], 60);
	assert_int_equal(r.dev[0].d_ethstd[2], 20);
	assert_int_equal(r.dev[0].d_ethstd[3], 0); /* etherStatsJabbers went down */
	nt_rates_done(&r);
	/* none in the first sample: nothing to compare */
	da.ethstd.n = 0;
	assert_int_equal(nt_rates_compute(&a, &b, &r), 0);
	assert_false(r.dev[0].ethstd_valid);
	nt_rates_done(&r);
}

static void test_ring_drops_counted_once(void **state)
{
	/* The MAC counter and rx_missed_errors count the same frames: the larger one counts. */
	struct nt_snap_dev b = {};
	struct nt_dev_rate dr = {.b = &b, .valid = true};
	struct nt_ring_drops rd;

	(void)state;
	assert_int_equal(nt_ethstd_stats_parse_text("eth-mac-FramesReceivedOK: 9\n"
						    "eth-mac-FramesLostDueToIntMACRcvError: 7\n",
						    &b.ethstd),
			 0);
	dr.ethstd_valid = true;
	dr.d_ethstd[0] = 100000;
	dr.d_ethstd[1] = 4000;
	dr.d[NT_LINK_RX_MISSED_ERRORS] = 5000;
	nt_ring_drops(&dr, &rd);
	assert_int_equal(rd.mac, 4000);
	assert_int_equal(rd.std, 5000);
	assert_int_equal(rd.total, 5000);
	dr.d_ethstd[1] = 6000;
	nt_ring_drops(&dr, &rd);
	assert_int_equal(rd.total, 6000);
	/* not comparable between the samples: not counted */
	dr.ethstd_valid = false;
	nt_ring_drops(&dr, &rd);
	assert_int_equal(rd.mac, 0);
	assert_int_equal(rd.total, 5000);
}

static void test_causality(void **state)
{
	struct run *x;
	const struct nt_finding *root, *f;

	(void)state;
	/* All IRQs on saturated CPU 0: IRQ placement is the root, ring and squeeze follow. */
	x = run("r04-cpu");
	root = find(&x->d, "R07", -1);
	assert_non_null(root);
	assert_int_equal(root->caused_by, -1);
	assert_ptr_equal(root, &x->d.f[0]);
	f = find(&x->d, "R04", -1);
	assert_non_null(f);
	assert_int_equal(f->caused_by, 0);
	assert_int_equal(f->cpu, 0);
	f = find(&x->d, "R02", 0);
	assert_non_null(f);
	assert_int_equal(f->caused_by, 0);
	assert_int_equal(root->n_consequences, 3); /* R04, R02, R08 */
	assert_int_equal(root->lost_with_consequences, 5000);
	assert_int_equal(x->d.lost_ring, 5000);
	assert_int_equal(x->d.lost_total, 5000);
	run_free(x);

	/* Backlog drops on the CPU that RPS sends everything to: an RPS problem. */
	x = run("r01-rps");
	root = &x->d.f[0];
	assert_string_equal(root->rule->id, "R01");
	assert_string_equal(root->remedy.knob, "rps_cpus");
	f = find(&x->d, "R02", 1);
	assert_non_null(f);
	assert_int_equal(f->caused_by, 0);
	/* veth0's rx_dropped are those backlog drops: no R14, counted once. */
	assert_null(find(&x->d, "R14", -1));
	assert_int_equal(x->d.lost_total, 3000);
	run_free(x);

	/* ksoftirqd is a consequence of the squeezed CPU. */
	x = run("r09");
	f = find(&x->d, "R09", 1);
	assert_non_null(f);
	assert_true(f->caused_by >= 0);
	assert_string_equal(x->d.f[f->caused_by].rule->id, "R02");
	run_free(x);

	/* GRO off explains the saturated CPU before the budget does. */
	x = run("r13");
	assert_string_equal(x->d.f[0].rule->id, "R13");
	f = find(&x->d, "R02", 0);
	assert_non_null(f);
	assert_int_equal(f->caused_by, 0);
	run_free(x);

	/*
	 * Backlog drops from bursts on a single-channel NIC whose IRQ CPU is not saturated:
	 * the backlog is the one root cause; one channel is only worth a note (R10).
	 */
	x = run("r01-nic-burst");
	assert_string_equal(x->d.f[0].rule->id, "R01");
	assert_string_equal(x->d.f[0].remedy.knob, "net.core.netdev_max_backlog");
	f = find(&x->d, "R10", -1);
	assert_non_null(f);
	assert_int_equal(f->level, NT_LEVEL_NOTE);
	for (unsigned int i = 1; i < x->d.n; i++)
		assert_true(x->d.f[i].level < NT_LEVEL_WARN || x->d.f[i].caused_by >= 0);
	run_free(x);

	/* A single-queue veth: R10 is the root. */
	x = run("r10");
	assert_string_equal(x->d.f[0].rule->id, "R10");
	assert_int_equal(find(&x->d, "R02", 0)->caused_by, 0);
	run_free(x);
}

static void test_double_counting(void **state)
{
	struct run *x;

	(void)state;
	/* flow-limit drops are inside softnet dropped: R03 only, once. */
	x = run("r03");
	assert_null(find(&x->d, "R01", -1));
	assert_int_equal(x->d.lost_flow_limit, 200);
	assert_int_equal(x->d.lost_backlog, 0);
	assert_int_equal(x->d.lost_total, 200);
	run_free(x);
	/* RPS: col 11 on the enqueuing CPU, col 2 on the target; still R03 only, once. */
	x = run("r03-rps");
	assert_null(find(&x->d, "R01", -1));
	assert_int_equal(find(&x->d, "R03", -1)->lost, 200);
	assert_int_equal(x->d.lost_flow_limit, 200);
	assert_int_equal(x->d.lost_backlog, 0);
	assert_int_equal(x->d.lost_total, 200);
	run_free(x);
	/* backlog drops also in veth0 rx_dropped: no R14 residual. */
	x = run("r01");
	assert_null(find(&x->d, "R14", -1));
	assert_int_equal(x->d.lost_total, 1000);
	run_free(x);
	/* rx_dropped without backlog drops: R14, not tunable, not the verdict. */
	x = run("r14");
	assert_int_equal(find(&x->d, "R14", -1)->lost, 300);
	assert_int_equal(x->d.lost_other, 300);
	run_free(x);
}

static void test_edge_cases(void **state)
{
	struct run *x;
	const struct nt_finding *f;

	(void)state;
	/* 32-bit softnet wrap: 4 drops across the wrap, a note, not 4 billion. */
	x = run("wrap");
	f = find(&x->d, "R01", 1);
	assert_non_null(f);
	assert_int_equal(f->level, NT_LEVEL_NOTE);
	assert_int_equal(f->lost, 4);
	assert_int_equal(x->r.cpu[1].d_processed, 0x1f0 + 0x10 + 500);
	assert_int_equal(x->d.level, NT_LEVEL_OK);
	run_free(x);
	/* A device counter went down (driver reload): the device is skipped. */
	x = run("reset");
	assert_int_equal(x->d.n, 0);
	for (unsigned int i = 0; i < x->r.n_dev; i++)
		if (streq(x->r.dev[i].b->name, "eth0"))
			assert_false(x->r.dev[i].valid);
	run_free(x);
	/* CPU 3 went offline: per-CPU deltas of the window are discarded. */
	x = run("cpu-offline");
	assert_true(x->r.cpus_changed);
	assert_true(x->d.cpus_changed);
	assert_null(find(&x->d, "R01", -1));
	run_free(x);
}

static const struct nt_evidence *find_ev(const struct nt_finding *f, const char *counter)
{
	for (unsigned int i = 0; i < f->n_ev; i++)
		if (streq(f->ev[i].counter, counter))
			return &f->ev[i];
	return NULL;
}

static void test_ring_size(void **state)
{
	const struct nt_evidence *e;
	const struct nt_finding *f;
	struct run *x;
	char *json = NULL;
	size_t len = 0;
	struct nt_json j;
	FILE *m;

	(void)state;
	/* 256 of 4096: grow to the number, shown as the current value and in the command. */
	x = run("r04-ring");
	f = find(&x->d, "R04", -1);
	assert_non_null(f);
	e = find_ev(f, "rx ring size");
	assert_non_null(e);
	assert_true(e->is_setting);
	assert_int_equal(e->value, 256);
	assert_int_equal(e->max, 4096);
	assert_string_equal(e->dev, "eth0");
	assert_string_equal(f->remedy.knob, "rings.rx");
	assert_string_equal(f->remedy.current, "256");
	assert_string_equal(f->remedy.suggested, "4096");
	assert_string_equal(f->remedy.command, "ethtool -G eth0 rx 4096");
	assert_true(f->remedy.bounces_link);
	assert_non_null(strstr(f->profile, "rings.rx: 4096\n"));
	assert_non_null(strstr(f->cause, "the ring is too small"));
	m = open_memstream(&json, &len);
	assert_non_null(m);
	nt_json_init(&j, m, false);
	nt_diagnosis_write_json(&x->d, &j);
	nt_json_finish(&j);
	fclose(m);
	assert_non_null(strstr(json, "{\"counter\":\"rx ring size\",\"source\":\"ethtool -g\","
				     "\"device\":\"eth0\",\"value\":256,\"max\":4096}"));
	free(json);
	run_free(x);

	/* No recorded ethtool -g: unknown, never guessed; "max" as the value. */
	x = run("r04");
	f = find(&x->d, "R04", -1);
	assert_non_null(f);
	assert_null(find_ev(f, "rx ring size"));
	assert_string_equal(f->remedy.knob, "rings.rx");
	assert_string_equal(f->remedy.current, "");
	assert_string_equal(f->remedy.suggested, "max");
	assert_non_null(strstr(f->remedy.command, "<pre-set max>"));
	for (unsigned int i = 0; i < x->b.n_dev; i++) {
		assert_int_equal(x->b.dev[i].ring_rx, -1);
		assert_int_equal(x->b.dev[i].ring_rx_max, -1);
	}
	assert_int_equal(x->b.err[NT_SRC_RINGS], 0);
	run_free(x);

	/* At the maximum, 4 queues on 4 CPUs, CPU not saturated: only faster draining. */
	x = run("r04-ring-max");
	f = find(&x->d, "R04", -1);
	assert_non_null(f);
	e = find_ev(f, "rx ring size");
	assert_non_null(e);
	assert_int_equal(e->value, 4096);
	assert_int_equal(e->max, 4096);
	assert_string_equal(f->remedy.knob, "");
	assert_string_equal(f->profile, "");
	assert_non_null(strstr(f->cause, "at its pre-set maximum (4096 descriptors)"));
	assert_non_null(strstr(f->remedy.command, "ethtool -C eth0 adaptive-rx off rx-usecs"));
	assert_null(strstr(f->remedy.command, "ethtool -G"));
	run_free(x);

	/* At the maximum with 2 queues on 4 CPUs: more channels share the bursts. */
	x = run("r04-ring-max-2q");
	f = find(&x->d, "R04", -1);
	assert_non_null(f);
	assert_string_equal(f->remedy.knob, "channels.combined");
	assert_true(f->remedy.bounces_link);
	assert_non_null(strstr(f->remedy.caveat, "the ring cannot grow"));
	run_free(x);

	/* At the maximum, IRQs all on saturated CPU 0: spread them; R07 stays the root. */
	x = run("r04-cpu-max");
	f = find(&x->d, "R04", -1);
	assert_non_null(f);
	assert_int_equal(f->cpu, 0);
	assert_string_equal(f->remedy.knob, "smp_affinity");
	assert_non_null(strstr(f->cause, "already at its pre-set maximum"));
	assert_true(f->caused_by >= 0);
	assert_string_equal(x->d.f[f->caused_by].rule->id, "R07");
	run_free(x);
}

static const struct nt_evidence *find_socket_ev(const struct nt_finding *f, unsigned int nth)
{
	for (unsigned int i = 0; i < f->n_ev; i++)
		if (f->ev[i].is_socket && nth-- == 0)
			return &f->ev[i];
	return NULL;
}

static void test_socket_named(void **state)
{
	const struct nt_evidence *e;
	const struct nt_finding *f;
	struct run *x;

	(void)state;
	/* The socket and its process are named; the fix is in the application. */
	x = run("r05-app");
	f = find(&x->d, "R05", -1);
	assert_non_null(f);
	e = find_socket_ev(f, 0);
	assert_non_null(e);
	assert_string_equal(e->counter, "socket drops");
	assert_string_equal(e->source, "sock_diag");
	assert_int_equal(e->delta, 500);
	assert_string_equal(e->sock.proto, "udp");
	assert_string_equal(e->sock.local, "10.0.0.2:9999");
	assert_int_equal(e->sock.pid, 4242);
	assert_string_equal(e->sock.command, "python3");
	assert_int_equal(e->sock.uid, 1000);
	assert_int_equal(e->sock.inode, 5001);
	assert_int_equal(e->sock.rcvbuf, 4608);
	assert_int_equal(e->sock.backlog, -1);
	assert_int_equal(e->sock.limit_set_by, NT_LIMIT_APP);
	/* the quieter socket second: 7 drops in the window */
	e = find_socket_ev(f, 1);
	assert_non_null(e);
	assert_string_equal(e->sock.local, "[::1]:53");
	assert_int_equal(e->delta, 7);
	assert_int_equal(e->sock.pid, -1);
	assert_int_equal(e->sock.limit_set_by, NT_LIMIT_DEFAULT);
	assert_string_equal(f->remedy.scope, "app");
	assert_string_equal(f->remedy.current, "4608");
	assert_string_equal(f->profile, "");
	assert_non_null(strstr(f->remedy.command, "python3 (pid 4242)"));
	assert_non_null(strstr(f->remedy.command, "udp 10.0.0.2:9999"));
	assert_non_null(strstr(f->remedy.command, "SO_RCVBUF, 212992"));
	assert_non_null(strstr(f->remedy.caveat, "rmem_default does not apply"));
	assert_non_null(strstr(f->cause, "chose itself"));
	run_free(x);

	/* Capped: the sysctl, and the process still named. */
	x = run("r05");
	f = find(&x->d, "R05", -1);
	assert_int_equal(find_socket_ev(f, 0)->sock.limit_set_by, NT_LIMIT_CAPPED);
	assert_int_equal(find_socket_ev(f, 0)->sock.rcvbuf, 16384);
	assert_non_null(strstr(f->remedy.command, "python3 (pid 4242)"));
	assert_non_null(strstr(f->profile, "net.core.rmem_max: 8388608"));
	run_free(x);

	/* The listener, its queue and the application's backlog. */
	x = run("r06-app");
	f = find(&x->d, "R06", -1);
	assert_non_null(f);
	e = find_socket_ev(f, 0);
	assert_non_null(e);
	assert_string_equal(e->counter, "listener drops");
	assert_int_equal(e->delta, 50);
	assert_string_equal(e->sock.proto, "tcp");
	assert_string_equal(e->sock.local, "10.0.0.2:8080");
	assert_string_equal(e->sock.command, "server");
	assert_int_equal(e->sock.backlog, 2);
	assert_int_equal(e->sock.accept_queue, 3);
	assert_int_equal(e->sock.limit_set_by, NT_LIMIT_APP);
	assert_string_equal(f->remedy.scope, "app");
	assert_string_equal(f->remedy.current, "2");
	assert_non_null(strstr(f->remedy.command, "listen(fd of tcp 10.0.0.2:8080, 4096)"));
	assert_non_null(strstr(f->remedy.command, "server (pid 4242)"));
	assert_non_null(strstr(f->remedy.caveat, "somaxconn does not limit this listener"));
	run_free(x);

	/* Not seen: no knob, and the way to find out; /proc still names the socket. */
	x = run("r05-unknown");
	f = find(&x->d, "R05", -1);
	e = find_socket_ev(f, 0);
	assert_non_null(e);
	assert_string_equal(e->source, "/proc/net/udp");
	assert_int_equal(e->sock.rcvbuf, -1);
	assert_int_equal(e->sock.limit_set_by, NT_LIMIT_UNKNOWN);
	assert_string_equal(f->remedy.scope, "none");
	assert_non_null(strstr(f->remedy.command, "ss -uamn 'sport = :9999'"));
	assert_int_equal(x->d.err[NT_SRC_SOCK_DIAG], -ENOTCONN);
	run_free(x);
}

static void test_remedies_are_knobs(void **state)
{
	static const char *const dirs[] = {NULL};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct run *x = run(cases[i].scen);

		for (unsigned int k = 0; k < x->d.n; k++) {
			const struct nt_finding *f = &x->d.f[k];
			struct nt_profile *p = NULL;
			struct nt_msgs msgs = {};

			if (!f->remedy.knob[0]) {
				assert_string_equal(f->profile, "");
				continue;
			}
			if (!nt_knob_lookup(f->remedy.knob))
				fail_msg("%s: remedy knob '%s' is not in lib/knobs/knobs.def",
					 f->rule->id, f->remedy.knob);
			if (nt_profile_load_buffer("snippet", f->profile, strlen(f->profile), dirs,
						   &p, &msgs) < 0) {
				for (size_t e = 0; e < msgs.n; e++)
					fprintf(stderr, "%s\n", msgs.msg[e]);
				fail_msg("%s: profile snippet does not load:\n%s", f->rule->id,
					 f->profile);
			}
			nt_profile_free(p);
			nt_msgs_done(&msgs);
		}
		run_free(x);
	}
}

/*
 * R17: one RX queue takes the packets and saturates its CPU. The device's RSS table (and
 * hash fields) in the sample tell why: a table skewed to that queue is the root, the
 * squeeze and the one busy CPU (R08) follow; an even table with UDP hashed on addresses
 * only: the hash fields; an even table hashing the ports: one flow, noted, never the root;
 * no RSS on the device: not R17. Spread evenly, the same saturation is not R17.
 */
static void test_rss_imbalance(void **state)
{
	const struct nt_finding *root, *f;
	const struct nt_snap_dev *d;
	struct run *x;

	(void)state;
	x = run("r17");
	d = &x->b.dev[0];
	assert_string_equal(d->name, "eth0");
	assert_int_equal(d->rss, 1);
	assert_int_equal(d->n_rss_indir, 128);
	root = &x->d.f[0];
	if (!streq(root->rule->id, "R17")) {
		dump(&x->d);
		fail_msg("r17: the first root is %s, not R17", root->rule->id);
	}
	assert_int_equal(root->cpu, 2);
	assert_non_null(strstr(root->summary, "RX queue 2 receives 95%"));
	assert_non_null(strstr(root->cause, "points 77% of its entries at queue 2"));
	assert_string_equal(root->remedy.scope, "device");
	assert_non_null(strstr(root->profile, "rss.indir: { equal: 4 }"));
	assert_non_null(strstr(root->remedy.caveat, "weights"));
	f = find(&x->d, "R02", 2);
	assert_non_null(f);
	assert_int_equal(f->caused_by, 0);
	f = find(&x->d, "R08", -1);
	if (f)
		assert_int_equal(f->caused_by, 0);
	run_free(x);

	x = run("r17-fields");
	assert_int_equal(x->b.dev[0].rss_fields[NT_RSS_FLOW_UDP4], 0x30); /* RXH_IP_SRC|DST */
	root = &x->d.f[0];
	if (!streq(root->rule->id, "R17")) {
		dump(&x->d);
		fail_msg("r17-fields: the first root is %s, not R17", root->rule->id);
	}
	assert_non_null(strstr(root->cause, "udp4 is hashed on the addresses only"));
	assert_string_equal(root->remedy.current, "sd");
	assert_non_null(strstr(root->profile, "rss.hash.udp4: sdfn"));
	assert_non_null(strstr(root->remedy.command, "ethtool -N eth0 rx-flow-hash udp4 sdfn"));
	run_free(x);

	x = run("r17-flow");
	f = find(&x->d, "R17", -1);
	if (!f || f->level != NT_LEVEL_NOTE || f->tunable) {
		dump(&x->d);
		fail_msg("r17-flow: want R17 as a note, not tunable");
	}
	assert_non_null(strstr(f->cause, "one flow cannot be spread"));
	assert_string_equal(f->remedy.knob, "");
	assert_string_equal(f->profile, "");
	assert_false(streq(x->d.f[0].rule->id, "R17"));
	for (unsigned int i = 0; i < x->d.n; i++)
		if (x->d.f[i].caused_by >= 0)
			assert_false(streq(x->d.f[x->d.f[i].caused_by].rule->id, "R17"));
	run_free(x);

	x = run("r17-norss");
	assert_int_equal(x->b.dev[0].rss, 0);
	if (nt_diagnosis_count(&x->d, "R17", NT_LEVEL_NOTE) != 0) {
		dump(&x->d);
		fail_msg("r17-norss: R17 on a device without RSS");
	}
	run_free(x);

	x = run("r17-even");
	if (nt_diagnosis_count(&x->d, "R17", NT_LEVEL_NOTE) != 0) {
		dump(&x->d);
		fail_msg("r17-even: R17 on evenly spread queues");
	}
	run_free(x);
}

static void test_rule_table(void **state)
{
	(void)state;
	assert_int_equal(nt_rules_n, 17);
	for (unsigned int i = 0; i < nt_rules_n; i++) {
		char id[16];

		snprintf(id, sizeof(id), "R%02u", i + 1);
		assert_string_equal(nt_rules[i].id, id);
		assert_non_null(nt_rules[i].eval);
		assert_true(strlen(nt_rules[i].threshold) > 10);
		assert_ptr_equal(nt_rule_find(id), &nt_rules[i]);
	}
	assert_null(nt_rule_find("R99"));
}

static void test_spread_before_budget(void **state)
{
	struct run *x;
	const struct nt_finding *f, *g;

	(void)state;
	/* Both saturated CPUs get the same snippet, naming lo (match: all skips it). */
	x = run("r02-lo");
	f = find(&x->d, "R02", 0);
	g = find(&x->d, "R02", 1);
	assert_non_null(f);
	assert_non_null(g);
	assert_string_equal(f->profile,
			    "# napictl diagnose R02\ndevices:\n  - match: lo\n    queues:\n"
			    "      rps_cpus: numa-local,!0,!1\n");
	assert_string_equal(strchr(g->profile, '\n'), strchr(f->profile, '\n'));
	assert_string_equal(f->remedy.scope, "queue");
	assert_string_equal(f->remedy.command, "echo c > /sys/class/net/lo/queues/rx-0/rps_cpus");
	assert_non_null(strstr(f->cause, "cannot add CPU time"));
	assert_int_equal(nt_diagnosis_count(&x->d, "R08", NT_LEVEL_NOTE), 0);
	run_free(x);

	x = run("r08-lo");
	f = find(&x->d, "R08", 3);
	assert_non_null(f);
	assert_string_equal(f->dev, "lo");
	assert_non_null(strstr(f->profile, "  - match: lo\n"));
	run_free(x);

	/* Nowhere to spread to: no knob and no snippet, never the budget. */
	x = run("r02-busy");
	f = find(&x->d, "R02", 0);
	assert_non_null(f);
	assert_string_equal(f->remedy.knob, "");
	assert_string_equal(f->remedy.scope, "none");
	assert_string_equal(f->profile, "");
	assert_non_null(strstr(f->cause, "no other CPU of its node idles"));
	run_free(x);

	/* A budget below the kernel default goes back up even on a saturated CPU. */
	x = run("r02-low");
	f = find(&x->d, "R02", 0);
	assert_non_null(f);
	assert_string_equal(f->remedy.knob, "net.core.netdev_budget");
	run_free(x);

	/* Two busy queue IRQs on the CPU: the command names them. */
	x = run("r02-irqs");
	f = find(&x->d, "R02", 0);
	assert_non_null(f);
	assert_non_null(strstr(f->remedy.command, "for N in 10100 10101 (RX queue IRQs of eth0"));
	run_free(x);

	/* Channels: a number when the maximum is known, else "max"; the link bounces. */
	x = run("r02-channels");
	f = find(&x->d, "R02", 0);
	assert_non_null(f);
	assert_true(f->remedy.bounces_link);
	assert_string_equal(f->remedy.current, "2");
	run_free(x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_topology_kept),
		cmocka_unit_test(test_rss_imbalance),
		cmocka_unit_test(test_rule_table),
		cmocka_unit_test(test_rules_fire),
		cmocka_unit_test(test_healthy_quiet),
		cmocka_unit_test(test_rules_silent_elsewhere),
		cmocka_unit_test(test_causality),
		cmocka_unit_test(test_one_busy_queue_not_r07),
		cmocka_unit_test(test_r04_ethmac),
		cmocka_unit_test(test_ring_drops_counted_once),
		cmocka_unit_test(test_rates_ethstd),
		cmocka_unit_test(test_double_counting),
		cmocka_unit_test(test_edge_cases),
		cmocka_unit_test(test_remedies_are_knobs),
		cmocka_unit_test(test_ring_size),
		cmocka_unit_test(test_socket_named),
		cmocka_unit_test(test_spread_before_budget),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
