// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Periodic diagnosis (observe.h). Sampling budget: the sources of NT_SNAPSHOT_SKIPPABLE
 * (/proc/interrupts, the driver's ethtool statistics, ring sizes, the socket tables) are
 * read on every FULL_TICKS-th tick, but not more often than every FULL_MIN_NS (at least
 * once a minute); the others every tick. The topology (devices, queues, IRQs and their
 * CPUs, device settings, NUMA nodes, ksoftirqd and napi threads) is resolved on the first
 * tick, after an rtnetlink or ethtool event (observe_topology_changed()) or a sample that
 * contradicts it (topo_stale), and at least every FULL_MAX_NS (settings written without an
 * event: RPS masks, IRQ affinity); the ticks between keep it (nt_snapshot_opts.topo_from),
 * and their full ticks parse only the devices' rows of /proc/interrupts. The files of
 * /proc stay open between ticks and are read again with pread() (nt_root_keep_open()). A tick
 * diagnoses the window since the previous tick; a full tick diagnoses the window since the previous
 * full tick, which saw every source, and only such a diagnosis may lower or clear a finding
 * (lib/diagnose/track.h).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "diagnose.h"
#include "finding.h"
#include "fs.h"
#include "log.h"
#include "manager.h"
#include "metrics.h"
#include "nl.h"
#include "observe.h"
#include "track.h"

/* MESSAGE_IDs of the finding messages (systemd/napitune.catalog explains them). */
#define MESSAGE_ID_FINDING_APPEAR "MESSAGE_ID=9235cdc9e85b4a858a4afbf0bd90376d"
#define MESSAGE_ID_FINDING_CHANGE "MESSAGE_ID=f4a64f54735e4cde8c31fc93226503d0"
#define MESSAGE_ID_FINDING_CLEAR  "MESSAGE_ID=d4f0a4ed972a4efabd995636ab5103d7"

#define NSEC_PER_SEC 1000000000ull
/*
 * The expensive sources every FULL_TICKS ticks, and at least every FULL_MAX_NS (a full tick
 * is also the window in which a finding can clear).
 */
#define FULL_TICKS  6
#define FULL_MIN_NS (15 * NSEC_PER_SEC)
#define FULL_MAX_NS (60 * NSEC_PER_SEC)
/* Complete diagnoses that must agree before a finding falls or clears. */
#define SETTLE 2
/* At most this many finding messages per window; the rest are counted. */
#define BURST	  20
#define WINDOW_NS (10 * 60 * NSEC_PER_SEC)

struct observe {
	struct manager *m;
	struct nt_root *root; /* "/", its proc/ files kept open between samples */
	sd_event_source *timer;
	struct nt_nl *nl;
	struct nt_tracker *tracker;
	struct nt_snapshot *prev; /* the last sample */
	struct nt_snapshot *full; /* the last sample that read every source; may be prev */
	int metrics_err;	  /* the last metrics-file error logged, 0: none */
	uint64_t resolved_ns;	  /* CLOCK_MONOTONIC of the last sample that resolved it all */
	bool topo_dirty;	  /* an event or a sample says the kept topology changed */
};

static void snap_free(struct nt_snapshot *s)
{
	if (s) {
		nt_snapshot_done(s);
		free(s);
	}
}

/* ---- the journal ---- */

/*
 * @b: the sample of the diagnosis, for the CPU of a device finding that names none (R04:
 * the CPU that serves the device's first RX queue interrupt).
 */
static void log_event(const struct nt_track_event *e, const struct nt_snapshot *b)
{
	const struct nt_snap_dev *dev = e->dev[0] ? nt_snapshot_find_dev(b, e->dev) : NULL;
	int cpu = e->cpu >= 0 ? e->cpu : dev ? nt_diag_dev_irq_cpu(dev) : -1;
	static const char *const ids[_NT_TRACK_KIND_MAX] = {
		[NT_TRACK_APPEAR] = MESSAGE_ID_FINDING_APPEAR,
		[NT_TRACK_CHANGE] = MESSAGE_ID_FINDING_CHANGE,
		[NT_TRACK_CLEAR] = MESSAGE_ID_FINDING_CLEAR,
	};
	char f_rule[32], f_level[32], f_old[40], f_if[48], f_cpu[32], f_lost[48], f_knob[80],
		f_kind[32], where[64] = "", limited[96] = "";
	const char *fields[12];
	size_t n = 0;
	int prio;

	snprintf(f_rule, sizeof(f_rule), "NAPITUNE_RULE=%s", e->rule->id);
	snprintf(f_level, sizeof(f_level), "NAPITUNE_LEVEL=%s", nt_level_to_string(e->level));
	snprintf(f_old, sizeof(f_old), "NAPITUNE_OLD_LEVEL=%s", nt_level_to_string(e->old_level));
	snprintf(f_lost, sizeof(f_lost), "NAPITUNE_LOST=%" PRIu64, e->lost);
	snprintf(f_kind, sizeof(f_kind), "NAPITUNE_EVENT=%s", nt_track_kind_to_string(e->kind));
	fields[n++] = ids[e->kind];
	fields[n++] = f_rule;
	fields[n++] = f_level;
	fields[n++] = f_old;
	fields[n++] = f_lost;
	fields[n++] = f_kind;
	if (e->dev[0]) {
		snprintf(f_if, sizeof(f_if), "NAPITUNE_IFNAME=%s", e->dev);
		fields[n++] = f_if;
		snprintf(where, sizeof(where), " on %s", e->dev);
	}
	if (cpu >= 0) {
		snprintf(f_cpu, sizeof(f_cpu), "NAPITUNE_CPU=%d", cpu);
		fields[n++] = f_cpu;
		snprintf(where + strlen(where), sizeof(where) - strlen(where), "%sCPU %d",
			 e->dev[0] ? ", " : " on ", cpu);
	}
	if (e->knob[0]) {
		snprintf(f_knob, sizeof(f_knob), "NAPITUNE_KNOB=%s", e->knob);
		fields[n++] = f_knob;
	}
	fields[n] = NULL;
	if (e->suppressed)
		snprintf(limited, sizeof(limited),
			 " (%u earlier finding messages were rate-limited)", e->suppressed);
	prio = e->kind == NT_TRACK_CLEAR   ? LOG_NOTICE
	       : e->level == NT_LEVEL_CRIT ? LOG_ERR
	       : e->level == NT_LEVEL_WARN ? LOG_WARNING
					   : LOG_NOTICE;
	switch (e->kind) {
	case NT_TRACK_APPEAR:
		(void)nt_log_fields(prio, 0, fields, "%s %s%s: %s: %s%s", e->rule->id,
				    e->rule->name, where, nt_level_to_string(e->level), e->summary,
				    limited);
		break;
	case NT_TRACK_CHANGE:
		(void)nt_log_fields(prio, 0, fields, "%s %s%s: %s -> %s: %s%s", e->rule->id,
				    e->rule->name, where, nt_level_to_string(e->old_level),
				    nt_level_to_string(e->level), e->summary, limited);
		break;
	default:
		(void)nt_log_fields(prio, 0, fields, "%s %s%s cleared (was %s)%s", e->rule->id,
				    e->rule->name, where, nt_level_to_string(e->old_level),
				    limited);
		break;
	}
}

/* ---- the metrics file ---- */

static int write_metrics_file(const char *path, const struct nt_rates *r,
			      const struct nt_diagnosis *d, const struct nt_snapshot *drv,
			      const struct nt_metrics_status *st)
{
	_cleanup_free_ char *tmp = NULL;
	FILE *f;
	int fd, r2;

	/* the same directory, so that rename() replaces it atomically */
	if (asprintf(&tmp, "%s.XXXXXX", path) < 0)
		return -ENOMEM;
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return -errno;
	f = fdopen(fd, "w");
	if (!f) {
		r2 = -errno;
		close(fd);
		(void)unlink(tmp);
		return r2;
	}
	r2 = nt_metrics_write(f, r, d, drv, st);
	/* mkostemp makes it 0600: node_exporter runs as its own user */
	if (r2 >= 0 && fchmod(fd, 0644) < 0)
		r2 = -errno;
	if (fclose(f) != 0 && r2 >= 0)
		r2 = -errno;
	if (r2 >= 0 && rename(tmp, path) < 0)
		r2 = -errno;
	if (r2 < 0)
		(void)unlink(tmp);
	return r2;
}

static void publish_metrics(struct observe *o, const struct nt_rates *r,
			    const struct nt_diagnosis *d, const struct nt_snapshot *drv)
{
	const struct manager *m = o->m;
	const char *path = m->config.metrics_file;
	struct nt_metrics_status st = {
		.profile = m->session->profile ? m->session->profile->name : "none",
		.state = m->st.state,
		.have_apply = true,
		.last_apply = m->st.last_apply,
		.last_apply_ok = m->st.last_result && streq(m->st.last_result, "ok"),
		.have_drift = true,
		.drift = m->st.drift,
		.napi_kept = m->st.napi_kept,
		.napi_reapplied = m->st.napi_reapplied,
	};
	int r2;

	if (!path)
		return;
	r2 = write_metrics_file(path, r, d, drv, &st);
	if (r2 == -ENOENT && r2 != o->metrics_err)
		log_notice("no directory for the metrics file %s (prometheus-node-exporter not "
			   "installed?): none is written until it exists; metrics-file: none says "
			   "so for good",
			   path);
	else if (r2 < 0 && r2 != o->metrics_err)
		log_warning_errno(r2, "cannot write the metrics file %s: %m, ignoring (said once)",
				  path);
	else if (r2 >= 0 && o->metrics_err)
		log_notice("the metrics file %s is written again", path);
	o->metrics_err = r2 < 0 ? r2 : 0;
}

/* ---- the tick ---- */

static uint64_t interval_ns(const struct observe *o)
{
	return o->m->config.sample_interval_ns;
}

static uint64_t full_every_ns(const struct observe *o)
{
	uint64_t t = FULL_TICKS * interval_ns(o);

	if (t < FULL_MIN_NS)
		return FULL_MIN_NS;
	return t < FULL_MAX_NS ? t : interval_ns(o) > FULL_MAX_NS ? interval_ns(o) : FULL_MAX_NS;
}

/* @drv: the last sample that read the driver's counters (b itself on a full tick). */
static void diagnose_window(struct observe *o, const struct nt_snapshot *a,
			    const struct nt_snapshot *b, const struct nt_snapshot *drv,
			    bool complete)
{
	struct nt_track_event *ev = NULL;
	struct nt_rates rates = {};
	struct nt_diagnosis d = {};
	size_t n = 0;
	int r;

	r = nt_rates_compute(a, b, &rates);
	if (r >= 0)
		r = nt_diagnose(&rates, &d);
	if (r >= 0)
		r = nt_tracker_update(o->tracker, &d, complete, b->t_ns, &ev, &n);
	if (r < 0) {
		log_warning_errno(r, "cannot diagnose the receive path: %m, ignoring");
	} else {
		for (size_t i = 0; i < n; i++)
			log_event(&ev[i], b);
		publish_metrics(o, &rates, &d, drv);
	}
	free(ev);
	nt_diagnosis_done(&d);
	nt_rates_done(&rates);
}

static int on_tick(sd_event_source *s, uint64_t usec, void *userdata)
{
	struct observe *o = userdata;
	struct nt_snapshot_opts opts = {.root = o->root, .live = true, .nl = o->nl};
	struct nt_snapshot *cur;
	struct timespec ts;
	uint64_t now;
	bool full, resolve;
	int r;

	(void)usec;
	(void)sd_event_source_set_time_relative(s, interval_ns(o) / 1000);
	(void)sd_event_source_set_enabled(s, SD_EVENT_ONESHOT);

	clock_gettime(CLOCK_MONOTONIC, &ts);
	now = (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
	/* half an interval of slack: a tick that is a little early still reads everything */
	resolve = !o->full || o->topo_dirty ||
		  now - o->resolved_ns + interval_ns(o) / 2 >= FULL_MAX_NS;
	full = resolve || now - o->full->t_ns + interval_ns(o) / 2 >= full_every_ns(o);
	if (!full)
		opts.skip = NT_SNAPSHOT_SKIPPABLE;
	if (!resolve)
		opts.topo_from = o->full;
	cur = calloc(1, sizeof(*cur));
	if (!cur)
		return 0;
	r = nt_snapshot_take(&opts, cur);
	if (r < 0) {
		free(cur);
		log_warning_errno(r, "cannot sample the receive path: %m, ignoring");
		return 0;
	}
	if (resolve) {
		o->resolved_ns = cur->t_ns;
		o->topo_dirty = false;
	}
	if (cur->topo_stale)
		o->topo_dirty = true;
	if (full && o->full)
		diagnose_window(o, o->full, cur, cur, true);
	else if (o->prev)
		diagnose_window(o, o->prev, cur, full ? cur : o->full, false);

	if (o->prev != o->full)
		snap_free(o->prev);
	if (full) {
		snap_free(o->full);
		o->full = cur;
		/*
		 * a tick that resolved the topology read every file it needs: the others belong
		 * to threads now gone
		 */
		if (resolve)
			nt_root_prune_open(o->root);
	}
	o->prev = cur;
	return 0;
}

/* ---- new, reconfigure, free ---- */

int observe_new(struct manager *m, struct observe **ret)
{
	struct nt_track_opts topts = {.min_level = NT_LEVEL_WARN,
				      .settle = SETTLE,
				      .burst = BURST,
				      .window_ns = WINDOW_NS};
	struct observe *o;
	int r;

	o = calloc(1, sizeof(*o));
	if (!o)
		return -ENOMEM;
	o->m = m;
	r = nt_tracker_new(&topts, &o->tracker);
	if (r >= 0)
		r = nt_root_open("/", &o->root);
	if (r >= 0)
		r = nt_root_keep_open(o->root, true);
	if (r < 0) {
		observe_free(o);
		return r;
	}
	if (nt_nl_open(&o->nl) < 0)
		o->nl = NULL; /* no genl: ethtool and qstats are not seen */
	r = sd_event_add_time_relative(m->event, &o->timer, CLOCK_MONOTONIC, 0, 0, on_tick, o);
	if (r < 0) {
		observe_free(o);
		return r;
	}
	(void)sd_event_source_set_description(o->timer, "observe");
	*ret = o;
	return 0;
}

void observe_topology_changed(struct observe *o)
{
	if (o)
		o->topo_dirty = true;
}

void observe_reconfigure(struct observe *o)
{
	if (!o)
		return;
	o->metrics_err = 0;
	(void)sd_event_source_set_time_relative(o->timer, interval_ns(o) / 1000);
	(void)sd_event_source_set_enabled(o->timer, SD_EVENT_ONESHOT);
}

struct observe *observe_free(struct observe *o)
{
	if (!o)
		return NULL;
	sd_event_source_unref(o->timer);
	if (o->prev != o->full)
		snap_free(o->prev);
	snap_free(o->full);
	nt_tracker_free(o->tracker);
	nt_nl_free(o->nl);
	nt_root_free(o->root);
	free(o);
	return NULL;
}
