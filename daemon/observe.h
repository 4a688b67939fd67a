/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The daemon watches the receive path: every sample-interval a sample (the expensive
 * sources and the topology every sixth, 15 s to a minute apart, or after an event), the rules of
 * napictl diagnose over the window, the findings that appeared, changed level or cleared to the
 * journal (one fixed MESSAGE_ID per kind, systemd/napitune.catalog), and the metrics file rewritten
 * atomically.
 */
#ifndef NAPITUNE_OBSERVE_H
#define NAPITUNE_OBSERVE_H

struct manager;
struct observe;

/* Starts the timer on m->event; the first sample is taken at once. */
int observe_new(struct manager *m, struct observe **ret);
/*
 * A device appeared, left, was renamed, went up or down, or changed its channels or rings:
 * the next tick resolves the topology again (and reads every source).
 */
void observe_topology_changed(struct observe *o);
/* After a reload: the interval and the metrics file may have changed. */
void observe_reconfigure(struct observe *o);
struct observe *observe_free(struct observe *o);

#endif
