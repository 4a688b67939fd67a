/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The daemon's configuration, /etc/napitune/napitune.yaml: one flat YAML mapping whose keys
 * are the rows of nt_dconf_keys[]. That table is the one description of the file: the
 * parser, the defaults, the checks and the documentation (napitune.yaml(5), the README)
 * come from it. Validation is as strict as for profiles: every problem with file:line:col,
 * unknown keys with "did you mean".
 *
 *   profile: balanced        # name or path; "none": monitor only
 *   on-stop: revert          # revert | keep
 *   drift: report            # report | reassert
 *   verify-interval: 30s     # how often values without notifications are checked
 *   reassert-limit: 3        # reassert: at most this many times per value ...
 *   reassert-window: 10m     # ... in this window, then back off and say so
 *   sample-interval: 10s     # how often the receive path is diagnosed
 *   metrics-file: /var/lib/prometheus/node-exporter/napitune.prom   # or "none"
 */
#ifndef NT_DAEMON_CONFIG_H
#define NT_DAEMON_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "msgs.h"
#include "string-table.h"

#define NT_DCONF_SIZE_MAX (64u << 10)

enum nt_on_stop {
	NT_ON_STOP_REVERT,
	NT_ON_STOP_KEEP,
	_NT_ON_STOP_MAX,
};

enum nt_drift_policy {
	NT_DRIFT_REPORT,
	NT_DRIFT_REASSERT,
	_NT_DRIFT_MAX,
};

DECLARE_STRING_TABLE_LOOKUP(nt_on_stop, enum nt_on_stop);
DECLARE_STRING_TABLE_LOOKUP(nt_drift_policy, enum nt_drift_policy);

struct nt_daemon_config {
	char *path;    /* the file it came from; NULL: built-in defaults */
	char *profile; /* name or path; NULL: "none", monitor only */
	enum nt_on_stop on_stop;
	enum nt_drift_policy drift;
	uint64_t verify_interval_ns;
	unsigned int reassert_limit;
	uint64_t reassert_window_ns;
	uint64_t sample_interval_ns;
	char *metrics_file; /* absolute path; NULL: "none", no metrics file */
};

enum nt_dconf_type {
	NT_DCONF_PROFILE,  /* a profile name or path, or "none" */
	NT_DCONF_ENUM,	   /* one of values[] */
	NT_DCONF_DURATION, /* "30s", "500ms", "10m": nanoseconds */
	NT_DCONF_UINT,
	NT_DCONF_PATH, /* an absolute path, or "none" */
	_NT_DCONF_TYPE_MAX,
};

DECLARE_STRING_TABLE_LOOKUP(nt_dconf_type, enum nt_dconf_type);

struct nt_dconf_key {
	const char *key;
	enum nt_dconf_type type;
	size_t offset;		   /* in struct nt_daemon_config */
	const char *const *values; /* NT_DCONF_ENUM: the names, indexed by value, NULL-ended */
	uint64_t min, max;	   /* NT_DCONF_DURATION (ns) and NT_DCONF_UINT */
	const char *def;	   /* the default, as it would be written in the file */
	const char *help;
};

extern const struct nt_dconf_key nt_dconf_keys[];
extern const size_t nt_dconf_n_keys;

/* The built-in defaults (every key's def). */
int nt_daemon_config_defaults(struct nt_daemon_config *ret);
/*
 * Loads @path over the defaults. -ENOENT if it does not exist (@ret then has the
 * defaults); -EINVAL if it is invalid (every problem in @msgs, @ret untouched).
 */
int nt_daemon_config_load(const char *path, struct nt_daemon_config *ret, struct nt_msgs *msgs);
/* The same from memory (tests, fuzzing); @path names it in messages. */
int nt_daemon_config_load_buffer(const char *path, const char *buf, size_t len,
				 struct nt_daemon_config *ret, struct nt_msgs *msgs);
void nt_daemon_config_done(struct nt_daemon_config *c);
/* Text of a key's value in @c ("30s", "balanced", "none"), as the file would say it. */
int nt_daemon_config_format(const struct nt_daemon_config *c, const struct nt_dconf_key *k,
			    char **ret);

#endif
