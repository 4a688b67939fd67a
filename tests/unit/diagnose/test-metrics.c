// SPDX-License-Identifier: GPL-2.0-or-later
#define _GNU_SOURCE
/*
 * The metrics writer (lib/diagnose/metrics.c) on fixture pairs: the values of the
 * diagnosis and the kernel counters, the text format's rules (HELP and TYPE once per
 * family, the family's samples together, escaped label values), the cardinality bounds
 * and the per-queue driver counter names. promtool's own check runs in tests/cli.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "diagnose.h"
#include "fs.h"
#include "metrics.h"
#include "nt-fixture.h"
#include "nt-test.h"
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
	s->t_ns = phase ? 6000000000ull : 1000000000ull; /* 5 s, as the fixtures say */
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

static char *render(const struct nt_rates *r, const struct nt_diagnosis *d,
		    const struct nt_metrics_status *st)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(nt_metrics_write(f, r, d, NULL, st), 0);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static bool has_line(const char *text, const char *line)
{
	size_t n = strlen(line);

	for (const char *p = text; (p = strstr(p, line)); p++)
		if ((p == text || p[-1] == '\n') && p[n] == '\n')
			return true;
	return false;
}

static unsigned int count_prefix(const char *text, const char *prefix)
{
	unsigned int n = 0;

	for (const char *p = text; *p;) {
		const char *e = strchr(p, '\n');

		n += strncmp(p, prefix, strlen(prefix)) == 0;
		if (!e)
			break;
		p = e + 1;
	}
	return n;
}

/*
 * The exposition format's structure: every family has one HELP and one TYPE line, before
 * its samples, and its samples are contiguous; no timestamps; no NaN or Inf.
 */
static void check_structure(const char *text)
{
	char seen[128][96];
	unsigned int n_seen = 0;
	char cur[96] = "";

	for (const char *p = text; *p;) {
		const char *e = strchr(p, '\n');
		char line[512], name[96];
		size_t len;

		assert_non_null(e); /* every line ends in \n */
		len = (size_t)(e - p);
		assert_true(len < sizeof(line));
		memcpy(line, p, len);
		line[len] = '\0';
		p = e + 1;
		if (sscanf(line, "# TYPE %95s", name) == 1) {
			for (unsigned int i = 0; i < n_seen; i++)
				assert_string_not_equal(seen[i], name);
			assert_true(n_seen < 128);
			strcpy(seen[n_seen++], name);
			strcpy(cur, name);
			assert_true(strstr(line, " counter") || strstr(line, " gauge"));
			assert_true(!!strstr(line, " counter") ==
				    (strlen(name) > 6 && streq(name + strlen(name) - 6, "_total")));
			continue;
		}
		if (line[0] == '#') {
			assert_true(strncmp(line, "# HELP ", 7) == 0);
			continue;
		}
		len = strcspn(line, "{ ");
		assert_true(len == strlen(cur) && strncmp(line, cur, len) == 0);
		/* value, and nothing after it: no timestamps */
		{
			const char *v = strrchr(line, ' ');
			char *end;

			assert_non_null(v);
			(void)strtod(v + 1, &end);
			assert_true(*end == '\0' && end != v + 1);
			assert_null(strstr(v, "nan"));
			assert_null(strstr(v, "inf"));
			if (strchr(line, '}'))
				assert_ptr_equal(strchr(strrchr(line, '}'), ' '), v);
		}
	}
	assert_true(n_seen > 10);
}

static void test_r04_cpu(void **state)
{
	struct run *x = run("r04-cpu");
	char *t;

	(void)state;
	t = render(&x->r, &x->d, NULL);
	check_structure(t);
	assert_true(has_line(t, "napitune_device_rx_drops_total{device=\"eth0\",layer=\"ring\","
				"counter=\"rx_missed_errors\"} 5000"));
	assert_true(has_line(t, "napitune_diagnosis_lost_packets{layer=\"ring\"} 5000"));
	assert_true(has_line(t, "napitune_diagnosis_lost_packets{layer=\"backlog\"} 0"));
	assert_true(has_line(t, "napitune_diagnosis_window_seconds 5"));
	assert_true(has_line(t, "napitune_diagnosis_level 3"));
	assert_true(has_line(t, "napitune_softirq_saturated_cpus 1"));
	assert_true(has_line(t, "napitune_finding{rule=\"R04\",name=\"ring-overflow\","
				"level=\"crit\",device=\"eth0\",cpu=\"0\"} 3"));
	assert_true(has_line(t, "napitune_finding{rule=\"R02\",name=\"time-squeeze\","
				"level=\"warn\",device=\"\",cpu=\"0\"} 2"));
	assert_true(has_line(t, "napitune_softnet_time_squeeze_total{cpu=\"0\"} 500"));
	assert_true(has_line(t, "napitune_source_up{source=\"softnet_stat\"} 1"));
	assert_true(has_line(t, "napitune_metrics_truncated 0"));
	/* the saturated CPU's index reaches 1, the idle ones stay at 0 */
	{
		const char *p = strstr(t, "napitune_softirq_saturation_ratio{cpu=\"0\"} ");

		assert_non_null(p);
		assert_true(strtod(p + strlen("napitune_softirq_saturation_ratio{cpu=\"0\"} "),
				   NULL) >= 1.0);
		assert_true(has_line(t, "napitune_softirq_saturation_ratio{cpu=\"1\"} 0"));
	}
	/* no daemon: no tuning metrics */
	assert_null(strstr(t, "napitune_profile_info"));
	assert_null(strstr(t, "napitune_last_apply"));
	free(t);
	run_free(x);
}

static void test_healthy(void **state)
{
	struct run *x = run("healthy-busy");
	char *t;

	(void)state;
	t = render(&x->r, &x->d, NULL);
	check_structure(t);
	assert_int_equal(count_prefix(t, "napitune_finding{"), 0);
	assert_true(has_line(t, "napitune_diagnosis_level 0"));
	assert_true(has_line(t, "napitune_softirq_saturated_cpus 0"));
	free(t);
	run_free(x);
}

static void test_status(void **state)
{
	struct run *x = run("healthy-idle");
	struct nt_metrics_status st = {
		.profile = "my\"prof\\ile",
		.state = "running",
		.have_apply = true,
		.last_apply = 1700000000,
		.last_apply_ok = false,
		.have_drift = true,
		.drift = 7,
		.napi_kept = 3,
		.napi_reapplied = 2,
	};
	char *t;

	(void)state;
	t = render(&x->r, &x->d, &st);
	check_structure(t);
	assert_true(has_line(
		t, "napitune_profile_info{profile=\"my\\\"prof\\\\ile\",state=\"running\"} 1"));
	assert_true(has_line(t, "napitune_drift_events_total 7"));
	assert_true(has_line(t, "napitune_napi_recreated_total{settings=\"kept\"} 3"));
	assert_true(has_line(t, "napitune_napi_recreated_total{settings=\"reapplied\"} 2"));
	assert_true(has_line(t, "napitune_last_apply_timestamp_seconds 1700000000"));
	assert_true(has_line(t, "napitune_last_apply_success 0"));
	free(t);
	run_free(x);
}

/* Driver per-queue counters, an odd device name, and the queue bound. */
static void test_queues_and_escaping(void **state)
{
	static const char *const names[] = {
		"rx0_packets",	      "rx0_ring_drops",	  "rx0_bytes",
		"rx_queue_1_packets", "rx_queue_1_drops", "tx0_packets",
		"rx99_packets",	      "rx_packets",	  "rx1_alloc_fail",
	};
	struct run *x = run("healthy-busy");
	struct nt_snap_dev *d = NULL;
	char *t;

	(void)state;
	for (unsigned int i = 0; i < x->b.n_dev && !d; i++)
		if (!x->b.dev[i].loopback && x->b.dev[i].have_stats)
			d = &x->b.dev[i];
	assert_non_null(d);
	nt_ethtool_stats_done(&d->ethtool);
	d->ethtool.n = ARRAY_SIZE(names);
	d->ethtool.name = calloc(d->ethtool.n, sizeof(*d->ethtool.name));
	d->ethtool.v = calloc(d->ethtool.n, sizeof(*d->ethtool.v));
	assert_non_null(d->ethtool.name);
	assert_non_null(d->ethtool.v);
	for (unsigned int i = 0; i < d->ethtool.n; i++) {
		strcpy(d->ethtool.name[i], names[i]);
		d->ethtool.v[i] = 100 + i;
	}
	strcpy(d->name, "a\"b\\c");
	t = render(&x->r, &x->d, NULL);
	check_structure(t);
	assert_true(has_line(
		t, "napitune_queue_rx_packets_total{device=\"a\\\"b\\\\c\",queue=\"0\"} 100"));
	assert_true(has_line(
		t, "napitune_queue_rx_packets_total{device=\"a\\\"b\\\\c\",queue=\"1\"} 103"));
	assert_true(has_line(t, "napitune_queue_rx_drops_total{device=\"a\\\"b\\\\c\",queue=\"0\","
				"counter=\"ring_drops\"} 101"));
	assert_true(has_line(t, "napitune_queue_rx_drops_total{device=\"a\\\"b\\\\c\",queue=\"1\","
				"counter=\"drops\"} 104"));
	assert_true(has_line(t, "napitune_queue_rx_drops_total{device=\"a\\\"b\\\\c\",queue=\"1\","
				"counter=\"alloc_fail\"} 108"));
	assert_int_equal(count_prefix(t, "napitune_queue_rx_packets_total{"), 2);
	assert_int_equal(count_prefix(t, "napitune_queue_rx_drops_total{"), 3);
	/* queue 99 is beyond NT_METRICS_QUEUES_MAX: left out, and said so */
	assert_true(has_line(t, "napitune_metrics_truncated 1"));
	free(t);
	run_free(x);
}

/* At most NT_METRICS_FINDINGS_MAX series; one per rule, device and CPU (the highest level). */
static void test_findings_bounded(void **state)
{
	struct run *x = run("healthy-idle");
	struct nt_diagnosis d = {};
	const struct nt_rule *r04 = nt_rule_find("R04");
	char *t;

	(void)state;
	assert_non_null(r04);
	d.n = NT_METRICS_FINDINGS_MAX + 10;
	d.f = calloc(d.n, sizeof(*d.f));
	assert_non_null(d.f);
	for (unsigned int i = 0; i < d.n; i++) {
		d.f[i].rule = r04;
		d.f[i].level = NT_LEVEL_WARN;
		d.f[i].cpu = (int)i;
		d.f[i].caused_by = -1;
	}
	/* the same series twice: the crit one is written, once */
	d.f[1].cpu = 0;
	d.f[1].level = NT_LEVEL_CRIT;
	t = render(&x->r, &d, NULL);
	check_structure(t);
	assert_int_equal(count_prefix(t, "napitune_finding{"), NT_METRICS_FINDINGS_MAX);
	assert_int_equal(count_prefix(t, "napitune_finding{rule=\"R04\",name=\"ring-overflow\","
					 "level=\"crit\",device=\"\",cpu=\"0\"} 3"),
			 1);
	assert_int_equal(count_prefix(t, "napitune_finding{rule=\"R04\",name=\"ring-overflow\","
					 "level=\"warn\",device=\"\",cpu=\"0\"}"),
			 0);
	assert_true(has_line(t, "napitune_metrics_truncated 1"));
	free(t);
	free(d.f);
	run_free(x);
}

static void test_queue_stat_names(void **state)
{
	static const struct {
		const char *name;
		int r;
		unsigned int q;
		const char *stat;
	} cases[] = {
		{"rx0_packets", 0, 0, "packets"},
		{"rx12_ring_drops", 0, 12, "ring_drops"},
		{"rx_queue_3_packets", 0, 3, "packets"},
		{"rx_queue_3_", -ENOENT, 0, NULL},
		{"rx_packets", -ENOENT, 0, NULL},
		{"rx3packets", -ENOENT, 0, NULL},
		{"tx0_packets", -ENOENT, 0, NULL},
		{"rx99999999999_packets", -ENOENT, 0, NULL},
		{"rx", -ENOENT, 0, NULL},
		{"", -ENOENT, 0, NULL},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		unsigned int q = 0;
		const char *stat = NULL;

		assert_int_equal(nt_metrics_queue_stat(cases[i].name, &q, &stat), cases[i].r);
		if (cases[i].r == 0) {
			assert_int_equal(q, cases[i].q);
			assert_string_equal(stat, cases[i].stat);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_r04_cpu),		 cmocka_unit_test(test_healthy),
		cmocka_unit_test(test_status),		 cmocka_unit_test(test_queues_and_escaping),
		cmocka_unit_test(test_findings_bounded), cmocka_unit_test(test_queue_stat_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
