/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Findings over time, for a program that diagnoses periodically (the daemon): which
 * findings appeared, changed level or cleared since the last diagnosis, so that each is
 * logged once and never every tick.
 *
 * A finding is the same one from one diagnosis to the next when its rule and its subject
 * are: the device for a finding about a device, else the CPU. Its level rises at once;
 * it falls, or the finding clears, only after @settle complete diagnoses in a row said so
 * (complete: every source was read, see NT_SNAPSHOT_SKIPPABLE), so a diagnosis that could
 * not see a source never clears what only that source shows, and a finding at the edge of
 * a threshold does not flap. Events beyond @burst in @window are not returned but counted;
 * the next returned event carries that count.
 *
 * Pure computation, no I/O: unit-tested with synthetic diagnoses.
 */
#ifndef NT_TRACK_H
#define NT_TRACK_H

#include <net/if.h>
#include <stddef.h>
#include <stdint.h>

#include "diagnose.h"
#include "string-table.h"

enum nt_track_kind {
	NT_TRACK_APPEAR,
	NT_TRACK_CHANGE,
	NT_TRACK_CLEAR,
	_NT_TRACK_KIND_MAX,
};

DECLARE_STRING_TABLE_LOOKUP(nt_track_kind, enum nt_track_kind);

struct nt_track_opts {
	enum nt_level min_level; /* findings below are treated as absent (NT_LEVEL_WARN) */
	unsigned int settle;	 /* complete diagnoses before a fall or a clear, >= 1 */
	unsigned int burst;	 /* events per window, >= 1 */
	uint64_t window_ns;
};

struct nt_track_event {
	enum nt_track_kind kind;
	const struct nt_rule *rule;
	char dev[IF_NAMESIZE];	 /* "" */
	int cpu;		 /* -1 */
	enum nt_level level;	 /* the new level; a clear: NT_LEVEL_OK */
	enum nt_level old_level; /* an appear: NT_LEVEL_OK */
	uint64_t lost;		 /* packets the finding owned in the last window it was seen */
	char knob[48];		 /* the remedy's knob, "" */
	char summary[192];
	unsigned int suppressed; /* events the rate limit dropped before this one */
};

struct nt_tracker;

int nt_tracker_new(const struct nt_track_opts *o, struct nt_tracker **ret);
struct nt_tracker *nt_tracker_free(struct nt_tracker *t);
DEFINE_TRIVIAL_CLEANUP_FUNC(struct nt_tracker *, nt_tracker_free);

/*
 * Feeds the diagnosis taken at @now_ns (CLOCK_MONOTONIC). @complete: every source was
 * read. Returns the events to log (array in @ret, @ret_n entries; free() it), 0 or -ENOMEM.
 */
int nt_tracker_update(struct nt_tracker *t, const struct nt_diagnosis *d, bool complete,
		      uint64_t now_ns, struct nt_track_event **ret, size_t *ret_n);
/* Findings active now. */
size_t nt_tracker_n_active(const struct nt_tracker *t);
/* Events the rate limit dropped since the last returned one. */
unsigned int nt_tracker_suppressed(const struct nt_tracker *t);

#endif
