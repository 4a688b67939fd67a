// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Diagnose compute time on a synthetic machine of 256 CPUs and 2000 IRQs (goal <= 10 ms),
 * excluding the sampling sleep; also the time to take one sample of that fixture tree and
 * of this machine's real /proc and /sys.
 *
 *   bench-diagnose TMPDIR        fixtures + one live sample
 *   bench-diagnose --live N      N live samples of this machine only: best and median (ms);
 *                                bench/diagnose/vm.sh runs this inside the test VM
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "diagnose.h"
#include "fs.h"
#include "nl.h"
#include "nt-fixture.h"

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int sample(const char *dir, bool live, struct nt_nl *nl, struct nt_snapshot *s)
{
	struct nt_root *root = NULL;
	struct nt_snapshot_opts o = {.live = live, .nl = nl};
	int r = nt_root_open(dir, &root);

	if (r < 0)
		return r;
	o.root = root;
	r = nt_snapshot_take(&o, s);
	nt_root_free(root);
	return r;
}

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return a < b ? -1 : a > b;
}

static int live_only(int n)
{
	struct nt_nl *nl = NULL;
	double *t = calloc((size_t)n, sizeof(*t));
	struct nt_snapshot s = {};
	int r = 0;

	if (!t || n < 1)
		return 1;
	(void)nt_nl_open(&nl);
	for (int i = 0; i < n && r == 0; i++) {
		double t0 = now_ms();

		r = sample("/", true, nl, &s);
		t[i] = now_ms() - t0;
		if (r == 0 && i == n - 1) {
			unsigned int bad = 0;

			for (int k = 0; k < _NT_SRC_MAX; k++)
				bad += s.err[k] != 0;
			printf("one live sample (/proc, /sys, rtnetlink, ethtool, qstats; %u CPUs, "
			       "%u IRQs, %u devices, %u kthreads, %u sources unavailable): ",
			       s.cpus.nr_cpu_ids, s.irqs.n, s.n_dev, s.threads.n, bad);
		}
		if (r == 0)
			nt_snapshot_done(&s);
	}
	nt_nl_free(nl);
	if (r < 0) {
		fprintf(stderr, "live sample failed: %d\n", r);
		free(t);
		return 1;
	}
	qsort(t, (size_t)n, sizeof(*t), cmp_double);
	printf("best %.1f ms, median %.1f ms over %d samples\n", t[0], t[n / 2], n);
	free(t);
	return 0;
}

int main(int argc, char **argv)
{
	static struct nt_fx fx;
	const char *tmp = argc > 1 ? argv[1] : "/tmp";
	char a[4096], b[4096];
	struct nt_snapshot sa, sb;
	int iters = 50;
	double t0, best = 1e9, total = 0, sample_ms;

	if (argc > 2 && !strcmp(argv[1], "--live"))
		return live_only(atoi(argv[2]));

	snprintf(a, sizeof(a), "%s/a", tmp);
	snprintf(b, sizeof(b), "%s/b", tmp);
	mkdir(a, 0755);
	mkdir(b, 0755);
	if (nt_fx_scenario("big", 0, &fx) < 0 || nt_fx_write(a, &fx) < 0 ||
	    nt_fx_scenario("big", 1, &fx) < 0 || nt_fx_write(b, &fx) < 0) {
		fprintf(stderr, "cannot write fixtures below %s\n", tmp);
		return 1;
	}
	t0 = now_ms();
	if (sample(a, false, NULL, &sa) < 0 || sample(b, false, NULL, &sb) < 0) {
		fprintf(stderr, "cannot sample the fixtures\n");
		return 1;
	}
	sample_ms = (now_ms() - t0) / 2;
	sb.t_ns = sa.t_ns + 5000000000ull;
	printf("fixture: %u CPUs, %u IRQs, %u devices\n", sb.cpus.nr_cpu_ids, sb.irqs.n, sb.n_dev);
	for (int i = 0; i < iters; i++) {
		struct nt_rates r;
		struct nt_diagnosis d;
		double t;

		t0 = now_ms();
		if (nt_rates_compute(&sa, &sb, &r) < 0 || nt_diagnose(&r, &d) < 0)
			return 1;
		t = now_ms() - t0;
		total += t;
		if (t < best)
			best = t;
		nt_diagnosis_done(&d);
		nt_rates_done(&r);
	}
	printf("diagnose compute (rates + rules), 256 CPUs / 2000 IRQs: best %.3f ms, mean %.3f "
	       "ms over %d runs (goal <= 10 ms): %s\n",
	       best, total / iters, iters, best <= 10 ? "OK" : "OVER GOAL");
	printf("one sample of the fixture tree (read + parse): %.2f ms\n", sample_ms);
	nt_snapshot_done(&sa);
	nt_snapshot_done(&sb);
	{
		struct nt_nl *nl = NULL;
		struct nt_snapshot s;

		(void)nt_nl_open(&nl);
		t0 = now_ms();
		if (sample("/", true, nl, &s) == 0) {
			printf("one live sample of this machine (/proc, /sys, rtnetlink, ethtool, "
			       "qstats): %.2f ms (%u CPUs, %u IRQs, %u devices, %u kthreads)\n",
			       now_ms() - t0, s.cpus.nr_cpu_ids, s.irqs.n, s.n_dev, s.threads.n);
			nt_snapshot_done(&s);
		}
		nt_nl_free(nl);
	}
	return best <= 10 ? 0 : 1;
}
