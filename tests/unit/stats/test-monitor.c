// SPDX-License-Identifier: GPL-2.0-or-later
/* lib/stats/monitor.c: per-second rates of one monitor sample, from fixture snapshot pairs. */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fs.h"
#include "json.h"
#include "monitor.h"
#include "nt-fixture.h"
#include "nt-test.h"
#include "snapshot.h"

/* napiref's per-queue counters (driver/napiref_ethtool.c) on eth0, 5 s apart. */
static const char *const ethtool_ab[2] = {
	"NIC statistics:\n     rx0_packets: 1000\n     rx0_polls: 100\n     rx0_ring_drops: 0\n"
	"     rx1_packets: 0\n     rx1_polls: 0\n     rx2_packets: 7\n",
	"NIC statistics:\n     rx0_packets: 6000\n     rx0_polls: 600\n     rx0_ring_drops: 50\n"
	"     rx1_packets: 0\n     rx1_polls: 0\n     rx2_packets: 507\n",
};

static void take(const char *dir, int phase, const char *ethtool, struct nt_snapshot *s)
{
	struct nt_fx *fx = calloc(1, sizeof(*fx));
	struct nt_snapshot_opts o = {};
	struct nt_root *root = NULL;
	char *sub;

	assert_non_null(fx);
	assert_true(asprintf(&sub, "%s/%c", dir, phase ? 'b' : 'a') > 0);
	assert_int_equal(mkdir(sub, 0755), 0);
	assert_int_equal(nt_fx_scenario("r01", phase, fx), 0);
	fx->dev[0].ethtool = ethtool;
	assert_int_equal(nt_fx_write(sub, fx), 0);
	assert_int_equal(nt_root_open(sub, &root), 0);
	o.root = root;
	assert_int_equal(nt_snapshot_take(&o, s), 0);
	s->t_ns = phase ? 6000000000ull : 1000000000ull; /* 5 s */
	nt_root_free(root);
	free(sub);
	free(fx);
}

static const struct nt_mon_dev *dev(const struct nt_mon_sample *s, const char *name)
{
	for (unsigned int i = 0; i < s->n_dev; i++)
		if (!strcmp(s->dev[i].name, name))
			return &s->dev[i];
	return NULL;
}

static void sample(const char *const *eth, struct nt_mon_sample *ret, char **dir,
		   struct nt_snapshot *a, struct nt_snapshot *b)
{
	struct nt_rates r;

	*dir = nt_test_mkdtemp();
	take(*dir, 0, eth ? eth[0] : NULL, a);
	take(*dir, 1, eth ? eth[1] : NULL, b);
	assert_int_equal(nt_rates_compute(a, b, &r), 0);
	assert_int_equal(nt_mon_compute(&r, ret), 0);
	nt_rates_done(&r);
}

static void test_rates(void **state)
{
	struct nt_snapshot a, b;
	struct nt_mon_sample s;
	const struct nt_mon_dev *d;
	char *dir;

	(void)state;
	sample(ethtool_ab, &s, &dir, &a, &b);
	assert_int_equal(s.n_cpu, 4);
	assert_true(fabs(s.dt - 5.0) < 1e-9);
	/* CPU 0: +500 processed, +400 NET_RX, softirq 3 of 500 ticks */
	assert_true(fabs(s.cpu[0].processed - 100) < 1e-9);
	assert_true(fabs(s.cpu[0].net_rx - 80) < 1e-9);
	assert_true(fabs(s.cpu[0].softirq_pct - 0.6) < 1e-9);
	assert_true(fabs(s.cpu[0].backlog_drops) < 1e-9);
	/* r01: CPU 2 drops 1000 backlog packets in 5 s */
	assert_int_equal(s.cpu[2].cpu, 2);
	assert_true(fabs(s.cpu[2].backlog_drops - 200) < 1e-9);
	assert_true(fabs(s.cpu[2].squeezes) < 1e-9);

	assert_null(dev(&s, "lo")); /* loopback is left out */
	d = dev(&s, "eth0");
	assert_non_null(d);
	assert_true(d->valid);
	assert_true(fabs(d->rx_pps - 320) < 1e-9);
	assert_true(fabs(d->irqs - 320) < 1e-9); /* 4 queue vectors x 400 in 5 s */
	assert_int_equal(d->n_queue, 4);
	/* rx-0: driver packets and polls: 5000 packets in 500 polls */
	assert_true(fabs(d->queue[0].pps - 1000) < 1e-9);
	assert_true(fabs(d->queue[0].drops - 10) < 1e-9);
	assert_true(fabs(d->queue[0].packets_per_poll - 10) < 1e-9);
	assert_true(fabs(d->queue[0].irqs - 80) < 1e-9);
	/* rx-1: no polls in the window: packets per poll unknown, not 0 */
	assert_true(fabs(d->queue[1].pps) < 1e-9);
	assert_true(d->queue[1].packets_per_poll < 0);
	/* rx-2: packets but no poll or drop counter */
	assert_true(fabs(d->queue[2].pps - 100) < 1e-9);
	assert_true(d->queue[2].drops < 0 && d->queue[2].packets_per_poll < 0);
	/* rx-3: IRQs only */
	assert_true(d->queue[3].pps < 0);
	assert_true(fabs(d->queue[3].irqs - 80) < 1e-9);
	d = dev(&s, "veth0");
	assert_true(fabs(d->rx_dropped - 200) < 1e-9);
	assert_true(d->irqs < 0); /* veth has no IRQs: unknown, not 0 */
	assert_true(d->queue[0].pps < 0 && d->queue[0].irqs < 0);
	nt_mon_done(&s);
	nt_snapshot_done(&a);
	nt_snapshot_done(&b);
	nt_test_rmtree(dir);
}

static void test_json(void **state)
{
	struct nt_snapshot a, b;
	struct nt_mon_sample s;
	char *dir, *buf = NULL;
	struct nt_json j;
	size_t len = 0;
	FILE *f;

	(void)state;
	sample(ethtool_ab, &s, &dir, &a, &b);
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	nt_json_init(&j, f, false);
	nt_mon_write_json(&s, 7, 1700000000123ull, &j);
	nt_json_finish(&j);
	fclose(f);
	/* one line per sample */
	assert_non_null(strchr(buf, '\n'));
	assert_ptr_equal(strchr(buf, '\n'), buf + len - 1);
	assert_non_null(strstr(buf, "{\"schema\":1,\"seq\":7,\"time_ms\":1700000000123,"
				    "\"interval\":5,\"cpus\":[{\"cpu\":0,\"net_rx\":80,"));
	assert_non_null(strstr(buf, "{\"index\":0,\"pps\":1000,\"drops\":10,\"irqs\":80,"
				    "\"packets_per_poll\":10}"));
	assert_non_null(strstr(buf, "{\"index\":3,\"pps\":null,\"drops\":null,\"irqs\":80,"
				    "\"packets_per_poll\":null}"));
	free(buf);
	nt_mon_done(&s);
	nt_snapshot_done(&a);
	nt_snapshot_done(&b);
	nt_test_rmtree(dir);
}

static void test_counter_reset(void **state)
{
	static const char *const reset[2] = {
		"NIC statistics:\n     rx0_packets: 9000\n     rx0_polls: 900\n",
		"NIC statistics:\n     rx0_packets: 10\n     rx0_polls: 1\n",
	};
	struct nt_snapshot a, b;
	struct nt_mon_sample s;
	char *dir;

	(void)state;
	sample(reset, &s, &dir, &a, &b);
	/* a counter that went down (driver reload) counts 0 for the window, not 2^64 */
	assert_true(fabs(dev(&s, "eth0")->queue[0].pps) < 1e-9);
	assert_true(dev(&s, "eth0")->queue[0].packets_per_poll < 0);
	nt_mon_done(&s);
	nt_snapshot_done(&a);
	nt_snapshot_done(&b);
	nt_test_rmtree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rates),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_counter_reset),
	};

	return cmocka_run_group_tests_name("monitor", tests, NULL, NULL);
}
