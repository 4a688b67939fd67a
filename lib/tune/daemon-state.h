/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the daemon tells everyone else: ROOT/run/napitune/daemon.state, rewritten atomically
 * (a new file renamed over the old) after every change of state, world-readable, so
 * `napictl status` shows the daemon's view without root (the journal itself is root's).
 * Tab-separated records (parse-util.h's TSV), one per line:
 *
 *   <field>\t<value>                            pid, state, profile, ... (the struct below)
 *   change\t<key>\t<object>\t<original>\t<value> what the daemon changed (from the journal)
 *
 * Unknown fields are ignored when read, so newer daemons can add some.
 */
#ifndef NT_DAEMON_STATE_H
#define NT_DAEMON_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "journal.h"

#define NT_DAEMON_STATE_FILE NT_JOURNAL_DIR "/daemon.state"

struct nt_root;

struct nt_daemon_state_change {
	char *key, *object, *original, *value;
};

struct nt_daemon_state {
	int pid;
	char *state;	    /* starting, running, watching, paused, failed, stopping */
	char *status;	    /* the one line systemd shows (STATUS=) */
	char *config;	    /* configuration file, or "(defaults)" */
	char *profile;	    /* name of the profile enforced, or "none" */
	char *profile_path; /* its file */
	bool adopted;	    /* napictl applied it while the daemon ran */
	int64_t started;    /* unix time */
	int64_t last_apply; /* unix time of the last apply, 0: none */
	char *last_result;  /* "ok", or what went wrong */
	uint64_t devices;   /* devices the profile tuned */
	uint64_t changed;   /* values napitune changed (journaled) */
	uint64_t unsupported;
	uint64_t drift;	    /* drift events seen since start */
	uint64_t reasserts; /* values written again */
	uint64_t backed_off;
	uint64_t reloads;
	/*
	 * A device's NAPIs re-created (down/up, ethtool -L/-G) with the profile's per-NAPI
	 * values: kept by the kernel (persistent NAPI config), or gone and applied again.
	 */
	uint64_t napi_kept;
	uint64_t napi_reapplied;
	struct nt_daemon_state_change *c;
	size_t n;
};

int nt_daemon_state_write(const struct nt_root *root, const struct nt_daemon_state *st);
/* -ENOENT: no daemon state (no daemon ran since boot, or it stopped cleanly). */
int nt_daemon_state_read(const struct nt_root *root, struct nt_daemon_state *ret);
int nt_daemon_state_remove(const struct nt_root *root);
void nt_daemon_state_done(struct nt_daemon_state *st);
/* Fills st->c from the journal's records: the first original and the last value per knob. */
int nt_daemon_state_set_changes(struct nt_daemon_state *st, const struct nt_journal *j);
/* Whether st->pid is a running napitune (a crash leaves the file behind). */
bool nt_daemon_state_alive(const struct nt_root *root, const struct nt_daemon_state *st);

#endif
