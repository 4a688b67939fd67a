/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The receive path as metrics for Prometheus, in the text exposition format (version
 * 0.0.4) that node_exporter's textfile collector reads from *.prom files
 * (https://prometheus.io/docs/instrumenting/exposition_formats/). Names follow
 * https://prometheus.io/docs/practices/naming/: a napitune_ prefix, base units (seconds,
 * ratios 0..1, packets), counters end in _total, no timestamps (the textfile collector
 * rejects them). docs/metrics.md lists every metric, its labels and its cardinality.
 *
 * Counters are the kernel's own (softnet, link statistics, driver queue counters), as read
 * in the second sample; everything computed over the window between the two samples (the
 * shares, the saturation index, the diagnose ledger, the findings) is a gauge.
 *
 * Cardinality is bounded: per CPU a fixed set of series; at most NT_METRICS_DEVS_MAX
 * devices (loopback excluded; the first by name), at most NT_METRICS_QUEUES_MAX queues per
 * device, at most NT_METRICS_FINDINGS_MAX findings; napitune_metrics_truncated says when a
 * bound cut something off.
 */
#ifndef NT_METRICS_H
#define NT_METRICS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "diagnose.h"

#define NT_METRICS_DEVS_MAX	64
#define NT_METRICS_QUEUES_MAX	64
#define NT_METRICS_FINDINGS_MAX 64

/* What the tuning side knows; the caller fills it (diagnose does not see profiles). */
struct nt_metrics_status {
	const char *profile; /* the profile in force, NULL: none known (no info metric) */
	const char *state;   /* daemon state ("running", ...), or "none" without a daemon */
	bool have_apply;     /* last_apply and last_apply_ok are known */
	int64_t last_apply;  /* unix time of the last apply, 0: none yet */
	bool last_apply_ok;
	bool have_drift;
	uint64_t drift; /* drift events since the daemon started */
	/* NAPI re-creations whose per-NAPI settings the kernel kept, or the daemon re-applied */
	uint64_t napi_kept, napi_reapplied;
};

/*
 * Writes the metrics of the window @r (and its diagnosis @d) to @f. -EIO if writing
 * failed. @drv is the sample the driver's per-queue counters (ethtool -S) come from, for a
 * caller that reads them less often than the rest (NT_SNAPSHOT_SKIPPABLE); NULL: r->b.
 * @st may be NULL (no tuning metrics).
 */
int nt_metrics_write(FILE *f, const struct nt_rates *r, const struct nt_diagnosis *d,
		     const struct nt_snapshot *drv, const struct nt_metrics_status *st);

/*
 * The queue of a per-queue driver counter name (ethtool -S): "rx3_packets" (napiref, mlx5),
 * "rx_queue_3_packets" (virtio_net, ixgbe, i40e, ice) -> 3 and @ret_stat "packets". -ENOENT
 * for any other name.
 */
int nt_metrics_queue_stat(const char *name, unsigned int *ret_queue, const char **ret_stat);

#endif
