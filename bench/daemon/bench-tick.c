// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The daemon's per-tick cost (daemon/observe.c), split by source, for its three kinds of
 * tick: one that resolves the topology and reads every source, a full one that keeps the
 * topology (nt_snapshot_opts.topo_from: /proc/interrupts parsed for the devices' IRQs only)
 * and reads every source, and a cheap one that keeps it and skips NT_SNAPSHOT_SKIPPABLE;
 * each followed by what the daemon does with it (rates, diagnosis, metrics text). The
 * daemon's schedule (observe.c): the topology resolved every 60 s (and after an event), a
 * full tick every 6 ticks but at most every 15 s, the metrics file on every tick. The CPU share at
 * an interval is the cost of 60 s of ticks over 60 s. All figures are CPU time of the thread
 * (CLOCK_THREAD_CPUTIME_ID), kernel time included.
 *
 *   bench-tick TMPDIR N [--keep-open]   the synthetic 256-CPU / 2000-IRQ machine of
 *                                       bench/diagnose
 *   bench-tick --live N [--keep-open]   this machine's /proc and /sys
 * --keep-open: the proc/ files stay open and are read with pread(), as in the daemon.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "diagnose.h"
#include "fs.h"
#include "macro.h"
#include "metrics.h"
#include "nl.h"
#include "nt-fixture.h"

/* CPU time, not wall time: the machine this runs on is shared */
static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

struct cost {
	uint64_t src[_NT_SRC_MAX];
	uint64_t sample, diagnose, metrics;
};

/* One tick: a sample after @prev (full or cheap), the diagnosis and the metrics text. */
enum kind { RESOLVE, FULL, CHEAP, _KIND_MAX };

static int tick(const struct nt_root *root, bool live, struct nt_nl *nl, enum kind kind,
		const struct nt_snapshot *prev, struct nt_snapshot *cur, struct cost *c)
{
	struct nt_snapshot_opts o = {.root = root, .live = live, .nl = nl, .cost_ns = c->src};
	struct nt_rates r = {};
	struct nt_diagnosis d = {};
	uint64_t t0 = now_ns();
	FILE *f;
	int ret;

	if (kind == CHEAP)
		o.skip = NT_SNAPSHOT_SKIPPABLE;
	if (kind != RESOLVE)
		o.topo_from = prev;
	ret = nt_snapshot_take(&o, cur);
	if (ret < 0)
		return ret;
	if (cur->topo_stale) {
		fprintf(stderr, "the kept topology was found stale: the machine changed\n");
		return -ESTALE;
	}
	c->sample += now_ns() - t0;
	if (!live) /* recorded trees: the fixture's 5 s */
		cur->t_ns = prev->t_ns + 5000000000ull;
	t0 = now_ns();
	ret = nt_rates_compute(prev, cur, &r);
	if (ret >= 0)
		ret = nt_diagnose(&r, &d);
	c->diagnose += now_ns() - t0;
	t0 = now_ns();
	f = fopen("/dev/null", "w");
	if (ret >= 0 && f)
		ret = nt_metrics_write(f, &r, &d, prev, NULL);
	if (f)
		fclose(f);
	c->metrics += now_ns() - t0;
	nt_diagnosis_done(&d);
	nt_rates_done(&r);
	return ret;
}

static void report(const char *what, const struct cost *c, int n)
{
	double total = (double)(c->sample + c->diagnose + c->metrics) / n / 1e6;

	printf("%-7s tick: %.2f ms (sample %.2f, diagnose %.2f, metrics %.2f)\n", what, total,
	       (double)c->sample / n / 1e6, (double)c->diagnose / n / 1e6,
	       (double)c->metrics / n / 1e6);
	printf("  by source:");
	for (unsigned int i = 0; i < _NT_SRC_MAX; i++)
		if (c->src[i] / n >= 1000)
			printf(" %s %.2f", nt_src_to_string(i), (double)c->src[i] / n / 1e6);
	printf(" (ms)\n");
}

int main(int argc, char **argv)
{
	static struct nt_fx fx;
	bool live = argc > 1 && !strcmp(argv[1], "--live");
	int n = argc > 2 ? atoi(argv[2]) : 20;
	static const char *const names[_KIND_MAX] = {"resolve", "full", "cheap"};
	struct cost cost[_KIND_MAX] = {};
	struct nt_root *ra = NULL, *rb = NULL;
	struct nt_snapshot base = {}, cur;
	struct nt_nl *nl = NULL;
	static const unsigned int intervals[] = {1, 10};
	double avg;

	if (argc < 2 || n < 1) {
		fprintf(stderr, "usage: bench-tick TMPDIR|--live [N]\n");
		return 2;
	}
	if (live) {
		if (nt_root_open("/", &ra) < 0)
			return 1;
		/* as the daemon does: proc/ files stay open, pread() */
		if (argc > 3 && !strcmp(argv[3], "--keep-open") && nt_root_keep_open(ra, true) < 0)
			return 1;
		rb = ra;
		(void)nt_nl_open(&nl);
	} else {
		char a[4096], b[4096];

		snprintf(a, sizeof(a), "%s/a", argv[1]);
		snprintf(b, sizeof(b), "%s/b", argv[1]);
		mkdir(a, 0755);
		mkdir(b, 0755);
		if (nt_fx_scenario("big", 0, &fx) < 0 || nt_fx_write(a, &fx) < 0 ||
		    nt_fx_scenario("big", 1, &fx) < 0 || nt_fx_write(b, &fx) < 0 ||
		    nt_root_open(a, &ra) < 0 || nt_root_open(b, &rb) < 0) {
			fprintf(stderr, "cannot write the fixtures below %s\n", argv[1]);
			return 1;
		}
		if (argc > 3 && !strcmp(argv[3], "--keep-open") && nt_root_keep_open(rb, true) < 0)
			return 1;
	}
	{
		struct nt_snapshot_opts o = {.root = ra, .live = live, .nl = nl};

		if (nt_snapshot_take(&o, &base) < 0)
			return 1;
	}
	printf("%s: %u CPUs, %u IRQs, %u devices, %u kthreads; %d ticks of each kind\n",
	       live ? "this machine" : "fixture", base.cpus.nr_cpu_ids, base.irqs.n, base.n_dev,
	       base.threads.n, n);
	for (int i = 0; i < n; i++)
		for (int k = 0; k < _KIND_MAX; k++) {
			if (tick(rb, live, nl, k, &base, &cur, &cost[k]) < 0)
				return 1;
			nt_snapshot_done(&cur);
		}
	for (int k = 0; k < _KIND_MAX; k++)
		report(names[k], &cost[k], n);
	for (size_t i = 0; i < ARRAY_SIZE(intervals); i++) {
		unsigned int s = intervals[i], every = 6 * s, ticks = s >= 60 ? 1 : 60 / s;
		unsigned int cnt[_KIND_MAX] = {}, writes = 0, last_full = 0;
		double total = 0;

		/* observe.c: FULL_TICKS, FULL_MIN_NS, FULL_MAX_NS */
		if (every < 15)
			every = 15;
		for (unsigned int k = 0; k < ticks; k++) {
			unsigned int t = k * s;

			if (k == 0) {
				cnt[RESOLVE]++;
			} else if (t - last_full >= every) {
				cnt[FULL]++;
				last_full = t;
			} else {
				cnt[CHEAP]++;
				writes++; /* the metrics file: every tick */
			}
		}
		for (int k = 0; k < _KIND_MAX; k++)
			total += (double)cnt[k] * (double)(cost[k].sample + cost[k].diagnose +
							   (k == CHEAP ? 0 : cost[k].metrics));
		total += (double)writes * (double)cost[CHEAP].metrics;
		avg = total / ticks / n / 1e6;
		printf("at %2u s, per %u s: %u resolve, %u full, %u cheap ticks (%u write the "
		       "metrics file): average %.2f ms = %.3f %% of a CPU (goal 0.1 %%)\n",
		       s, ticks * s, cnt[RESOLVE], cnt[FULL], cnt[CHEAP], writes, avg,
		       avg / s / 10);
	}
	nt_snapshot_done(&base);
	if (rb != ra)
		nt_root_free(rb);
	nt_root_free(ra);
	nt_nl_free(nl);
	return 0;
}
