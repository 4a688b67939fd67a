// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The receive path as Prometheus text (metrics.h). One family at a time: its # HELP and
 * # TYPE lines, then every sample of it, so the file is valid for the text format's
 * "all lines of a metric family together" rule.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "finding.h"
#include "macro.h"
#include "metrics.h"
#include "rules.h"

static void family(FILE *f, const char *name, const char *type, const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* A label value: backslash, double quote and line feed escaped (exposition format). */
static void label_value(FILE *f, const char *v)
{
	for (; *v; v++) {
		if (*v == '\\' || *v == '"')
			fputc('\\', f);
		if (*v == '\n') {
			fputs("\\n", f);
			continue;
		}
		fputc(*v, f);
	}
}

static void gauge_value(FILE *f, double v)
{
	fprintf(f, " %.6g\n", v);
}

/* ---- devices and queues ---- */

static bool dev_listed(const struct nt_snap_dev *d)
{
	return !d->loopback && d->have_stats;
}

/* Devices written: the first NT_METRICS_DEVS_MAX listed ones (b->dev is sorted by name). */
static unsigned int devs_end(const struct nt_snapshot *b, bool *truncated)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < b->n_dev; i++)
		if (dev_listed(&b->dev[i]) && ++n == NT_METRICS_DEVS_MAX) {
			for (unsigned int k = i + 1; k < b->n_dev; k++)
				if (dev_listed(&b->dev[k]))
					*truncated = true;
			return i + 1;
		}
	return b->n_dev;
}

int nt_metrics_queue_stat(const char *name, unsigned int *ret_queue, const char **ret_stat)
{
	const char *p;
	char *end;
	unsigned long q;

	if (strncmp(name, "rx_queue_", 9) == 0)
		p = name + 9;
	else if (strncmp(name, "rx", 2) == 0)
		p = name + 2;
	else
		return -ENOENT;
	if (*p < '0' || *p > '9')
		return -ENOENT;
	errno = 0;
	q = strtoul(p, &end, 10);
	if (errno || end == p || *end != '_' || !end[1] || q > UINT32_MAX)
		return -ENOENT;
	*ret_queue = (unsigned int)q;
	*ret_stat = end + 1;
	return 0;
}

/* Link counters of the drops by layer: the R04 ring counters, the core's, no handler. */
static const struct {
	enum nt_link_stat stat;
	const char *counter, *layer;
} link_drops[] = {
	{NT_LINK_RX_MISSED_ERRORS, "rx_missed_errors", "ring"},
	{NT_LINK_RX_FIFO_ERRORS, "rx_fifo_errors", "ring"},
	{NT_LINK_RX_OVER_ERRORS, "rx_over_errors", "ring"},
	{NT_LINK_RX_DROPPED, "rx_dropped", "core"},
	{NT_LINK_RX_NOHANDLER, "rx_nohandler", "nohandler"},
};

/* The device of @drv that is @d (same ifindex and name), or NULL. */
static const struct nt_snap_dev *drv_dev(const struct nt_snapshot *drv, const struct nt_snapshot *b,
					 const struct nt_snap_dev *d)
{
	const struct nt_snap_dev *x;

	if (drv == b)
		return d;
	x = nt_snapshot_find_dev(drv, d->name);

	return x && x->ifindex == d->ifindex ? x : NULL;
}

static void write_devices(FILE *f, const struct nt_snapshot *b, const struct nt_snapshot *drv,
			  bool *truncated)
{
	unsigned int end = devs_end(b, truncated);

	family(f, "napitune_device_rx_packets_total", "counter",
	       "Packets received by the device (IFLA_STATS64 rx_packets).");
	for (unsigned int i = 0; i < end; i++)
		if (dev_listed(&b->dev[i])) {
			fputs("napitune_device_rx_packets_total{device=\"", f);
			label_value(f, b->dev[i].name);
			fprintf(f, "\"} %" PRIu64 "\n", b->dev[i].stats.v[NT_LINK_RX_PACKETS]);
		}
	family(f, "napitune_device_rx_drops_total", "counter",
	       "Received packets the device or the core dropped, by layer (ring: the RX ring "
	       "was full; core: dropped before the protocols; nohandler: no protocol) and "
	       "kernel counter.");
	for (unsigned int i = 0; i < end; i++) {
		if (!dev_listed(&b->dev[i]))
			continue;
		for (size_t k = 0; k < ARRAY_SIZE(link_drops); k++) {
			fputs("napitune_device_rx_drops_total{device=\"", f);
			label_value(f, b->dev[i].name);
			fprintf(f, "\",layer=\"%s\",counter=\"%s\"} %" PRIu64 "\n",
				link_drops[k].layer, link_drops[k].counter,
				b->dev[i].stats.v[link_drops[k].stat]);
		}
	}

	family(f, "napitune_queue_rx_packets_total", "counter",
	       "Packets received by one RX queue (the driver's per-queue counter, ethtool -S).");
	for (unsigned int i = 0; i < end; i++) {
		const struct nt_snap_dev *d =
			dev_listed(&b->dev[i]) ? drv_dev(drv, b, &b->dev[i]) : NULL;

		for (unsigned int k = 0; d && k < d->ethtool.n; k++) {
			const char *stat;
			unsigned int q;

			if (nt_metrics_queue_stat(d->ethtool.name[k], &q, &stat) < 0 ||
			    !streq(stat, "packets"))
				continue;
			if (q >= NT_METRICS_QUEUES_MAX) {
				*truncated = true;
				continue;
			}
			fputs("napitune_queue_rx_packets_total{device=\"", f);
			label_value(f, d->name);
			fprintf(f, "\",queue=\"%u\"} %" PRIu64 "\n", q, d->ethtool.v[k]);
		}
	}
	family(f, "napitune_queue_rx_drops_total", "counter",
	       "Packets one RX queue lost because its ring was full or could not be refilled "
	       "(the driver's per-queue counter, ethtool -S), by counter.");
	for (unsigned int i = 0; i < end; i++) {
		const struct nt_snap_dev *d =
			dev_listed(&b->dev[i]) ? drv_dev(drv, b, &b->dev[i]) : NULL;

		for (unsigned int k = 0; d && k < d->ethtool.n; k++) {
			const char *stat;
			unsigned int q;

			if (nt_metrics_queue_stat(d->ethtool.name[k], &q, &stat) < 0 ||
			    q >= NT_METRICS_QUEUES_MAX || !nt_is_ring_counter(d->ethtool.name[k]))
				continue;
			fputs("napitune_queue_rx_drops_total{device=\"", f);
			label_value(f, d->name);
			fprintf(f, "\",queue=\"%u\",counter=\"", q);
			label_value(f, stat);
			fprintf(f, "\"} %" PRIu64 "\n", d->ethtool.v[k]);
		}
	}
}

/* ---- CPUs ---- */

static const struct {
	const char *name, *help;
	size_t offset;
} softnet_counters[] = {
	{"napitune_softnet_processed_total",
	 "Packets this CPU's NET_RX softirq processed (/proc/net/softnet_stat column 1; 32 bits, "
	 "wraps).",
	 offsetof(struct nt_softnet_cpu, processed)},
	{"napitune_softnet_dropped_total",
	 "Packets dropped because this CPU's backlog was full, flow-limit drops included "
	 "(softnet_stat column 2).",
	 offsetof(struct nt_softnet_cpu, dropped)},
	{"napitune_softnet_time_squeeze_total",
	 "NET_RX runs that ended with work left because the budget or the time ran out "
	 "(softnet_stat column 3).",
	 offsetof(struct nt_softnet_cpu, time_squeeze)},
	{"napitune_softnet_flow_limit_total",
	 "Packets the RPS flow limit dropped on this CPU (softnet_stat column 11).",
	 offsetof(struct nt_softnet_cpu, flow_limit_count)},
};

/*
 * How close a CPU is to NET_RX saturation as diagnose defines it (docs/diagnose-json.md,
 * "Levels"): saturated = busy (time_squeeze > NT_SAT_SQUEEZE/s or ksoftirqd >=
 * NT_SAT_KSOFTIRQD) and under pressure (irq+softirq >= NT_SAT_SOFT, or drops). Each
 * criterion as a fraction of its threshold; the index is min(max(busy), max(pressure)), so
 * it reaches 1 where diagnose calls the CPU saturated. -1: unknown.
 */
static double saturation_index(const struct nt_cpu_rate *x, double dt)
{
	double busy = 0, pressure = 0;

	if (!x->valid || dt <= 0)
		return -1;
	busy = (double)x->d_squeeze / dt / NT_SAT_SQUEEZE;
	if (x->ksoftirqd >= 0 && x->ksoftirqd / NT_SAT_KSOFTIRQD > busy)
		busy = x->ksoftirqd / NT_SAT_KSOFTIRQD;
	if (x->soft >= 0)
		pressure = x->soft / NT_SAT_SOFT;
	if (x->d_dropped > 0 && pressure < 1)
		pressure = 1;
	return busy < pressure ? busy : pressure;
}

enum cpu_gauge { G_SOFT, G_NET_RX, G_KSOFTIRQD, G_SATURATION, _G_MAX };

static double cpu_gauge(const struct nt_rates *r, unsigned int cpu, enum cpu_gauge g)
{
	const struct nt_cpu_rate *x = &r->cpu[cpu];

	switch (g) {
	case G_SOFT:
		return x->soft;
	case G_NET_RX:
		return x->d_softirq_all ? (double)x->d_net_rx / (double)x->d_softirq_all : -1;
	case G_KSOFTIRQD:
		return x->ksoftirqd;
	case G_SATURATION:
		return saturation_index(x, r->dt);
	default:
		return -1;
	}
}

static void write_cpus(FILE *f, const struct nt_rates *r, const struct nt_diagnosis *d)
{
	static const struct {
		const char *name, *help;
	} gauges[_G_MAX] = {
		[G_SOFT] = {"napitune_cpu_softirq_time_ratio",
			    "Share of this CPU's time in hard and soft interrupt context over the "
			    "last window (/proc/stat irq+softirq over all)."},
		[G_NET_RX] = {"napitune_cpu_net_rx_softirq_ratio",
			      "Share of this CPU's softirqs in the last window that were NET_RX "
			      "(/proc/softirqs)."},
		[G_KSOFTIRQD] = {"napitune_cpu_ksoftirqd_ratio",
				 "Share of one CPU that ksoftirqd/N ran in the last window: "
				 "softirq work deferred to the thread."},
		[G_SATURATION] = {"napitune_softirq_saturation_ratio",
				  "NET_RX saturation index of this CPU over the last window: 1 or "
				  "more where napictl diagnose calls the CPU saturated."},
	};
	const struct nt_softnet *sn = &r->b->softnet;

	for (size_t k = 0; k < ARRAY_SIZE(softnet_counters); k++) {
		family(f, softnet_counters[k].name, "counter", softnet_counters[k].help);
		for (unsigned int i = 0; i < sn->n; i++)
			fprintf(f, "%s{cpu=\"%u\"} %" PRIu32 "\n", softnet_counters[k].name,
				sn->cpu[i].cpu,
				*(const uint32_t *)((const char *)&sn->cpu[i] +
						    softnet_counters[k].offset));
	}
	for (unsigned int g = 0; g < _G_MAX; g++) {
		family(f, gauges[g].name, "gauge", gauges[g].help);
		for (unsigned int cpu = 0; cpu < r->n_cpu; cpu++) {
			double v;

			if (!r->cpu[cpu].valid)
				continue;
			v = cpu_gauge(r, cpu, g);
			if (v < 0)
				continue;
			fprintf(f, "%s{cpu=\"%u\"}", gauges[g].name, cpu);
			gauge_value(f, v);
		}
	}
	family(f, "napitune_softirq_saturated_cpus", "gauge",
	       "CPUs NET_RX-saturated in the last window (napictl diagnose's definition).");
	fprintf(f, "napitune_softirq_saturated_cpus %u\n", d->n_saturated);
}

/* ---- the diagnosis ---- */

static bool same_series(const struct nt_finding *a, const struct nt_finding *b)
{
	return a->rule == b->rule && a->cpu == b->cpu && streq(a->dev, b->dev);
}

static void write_diagnosis(FILE *f, const struct nt_diagnosis *d, bool *truncated)
{
	const struct {
		const char *layer;
		uint64_t v;
	} lost[] = {
		{"backlog", d->lost_backlog}, {"flow_limit", d->lost_flow_limit},
		{"ring", d->lost_ring},	      {"socket", d->lost_socket},
		{"listen", d->lost_listen},   {"other", d->lost_other},
	};
	unsigned int written = 0;

	family(f, "napitune_diagnosis_window_seconds", "gauge",
	       "Length of the window the gauges of the diagnosis describe.");
	fprintf(f, "napitune_diagnosis_window_seconds");
	gauge_value(f, d->interval);
	family(f, "napitune_diagnosis_lost_packets", "gauge",
	       "Packets lost in the last window by layer, every packet counted once (the "
	       "ledger of napictl diagnose).");
	for (size_t i = 0; i < ARRAY_SIZE(lost); i++)
		fprintf(f, "napitune_diagnosis_lost_packets{layer=\"%s\"} %" PRIu64 "\n",
			lost[i].layer, lost[i].v);
	family(f, "napitune_diagnosis_level", "gauge",
	       "Verdict of the last window: 0 ok, 1 note, 2 warn, 3 crit (tunable findings "
	       "only).");
	fprintf(f, "napitune_diagnosis_level %d\n", (int)d->level);
	family(f, "napitune_finding", "gauge",
	       "One series per active finding: its level as a number (1 note, 2 warn, 3 "
	       "crit), labelled with the rule, the level, and the device or CPU it is about.");
	for (unsigned int i = 0; i < d->n; i++) {
		const struct nt_finding *x = &d->f[i];
		bool dup = false;

		if (!x->rule || x->level == NT_LEVEL_OK)
			continue;
		/* one series per rule, device and CPU: the highest level */
		for (unsigned int k = 0; k < d->n && !dup; k++)
			dup = k != i && same_series(x, &d->f[k]) &&
			      (d->f[k].level > x->level || (d->f[k].level == x->level && k < i));
		if (dup)
			continue;
		if (written++ == NT_METRICS_FINDINGS_MAX) {
			*truncated = true;
			break;
		}
		fprintf(f, "napitune_finding{rule=\"%s\",name=\"%s\",level=\"%s\",device=\"",
			x->rule->id, x->rule->name, nt_level_to_string(x->level));
		label_value(f, x->dev);
		fputs("\",cpu=\"", f);
		if (x->cpu >= 0)
			fprintf(f, "%d", x->cpu);
		fprintf(f, "\"} %d\n", (int)x->level);
	}
	family(f, "napitune_source_up", "gauge",
	       "Whether a source of counters could be read (1) or not (0); one the daemon reads "
	       "less often counts as read between its reads.");
	for (unsigned int i = 0; i < _NT_SRC_MAX; i++)
		fprintf(f, "napitune_source_up{source=\"%s\"} %d\n", nt_src_to_string(i),
			d->err[i] == 0 || d->err[i] == -EAGAIN);
}

static void write_status(FILE *f, const struct nt_metrics_status *st)
{
	if (st->profile) {
		family(f, "napitune_profile_info", "gauge",
		       "The profile napitune enforces (value always 1) and the daemon's state.");
		fputs("napitune_profile_info{profile=\"", f);
		label_value(f, st->profile);
		fputs("\",state=\"", f);
		label_value(f, st->state ?: "none");
		fputs("\"} 1\n", f);
	}
	if (st->have_drift) {
		family(f, "napitune_drift_events_total", "counter",
		       "Values someone else changed after napitune set them, since the daemon "
		       "started.");
		fprintf(f, "napitune_drift_events_total %" PRIu64 "\n", st->drift);
		family(f, "napitune_napi_recreated_total", "counter",
		       "A device's NAPIs re-created (down/up, ethtool -L/-G) after the profile's "
		       "per-NAPI settings were applied: kept by the kernel (persistent NAPI "
		       "config) "
		       "or re-applied by the daemon, since it started.");
		fprintf(f, "napitune_napi_recreated_total{settings=\"kept\"} %" PRIu64 "\n",
			st->napi_kept);
		fprintf(f, "napitune_napi_recreated_total{settings=\"reapplied\"} %" PRIu64 "\n",
			st->napi_reapplied);
	}
	if (st->have_apply) {
		family(f, "napitune_last_apply_timestamp_seconds", "gauge",
		       "Unix time of the last apply of the profile, 0: none yet.");
		fprintf(f, "napitune_last_apply_timestamp_seconds %" PRId64 "\n", st->last_apply);
		family(f, "napitune_last_apply_success", "gauge",
		       "Whether the last apply succeeded (1) or failed and was rolled back (0).");
		fprintf(f, "napitune_last_apply_success %d\n", st->last_apply_ok);
	}
}

int nt_metrics_write(FILE *f, const struct nt_rates *r, const struct nt_diagnosis *d,
		     const struct nt_snapshot *drv, const struct nt_metrics_status *st)
{
	bool truncated = false;

	write_cpus(f, r, d);
	write_devices(f, r->b, drv ?: r->b, &truncated);
	write_diagnosis(f, d, &truncated);
	if (st)
		write_status(f, st);
	family(f, "napitune_metrics_truncated", "gauge",
	       "1 when a cardinality bound (devices, queues, findings) left series out.");
	fprintf(f, "napitune_metrics_truncated %d\n", truncated);
	return ferror(f) ? -EIO : 0;
}
