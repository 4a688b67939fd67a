/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * napictl's verb interface. Each verb lives in its own verb-*.c file and defines a
 * `const struct verb verb_<name>` there; napictl.c lists them in one array.
 */
#ifndef NAPICTL_H
#define NAPICTL_H

#include <stdbool.h>

#include "macro.h"

struct nt_root;

/* Exit statuses shared by all verbs (documented in napictl(8)). */
enum {
	NAPICTL_EXIT_OK = 0,
	NAPICTL_EXIT_FAILURE = 1,
	NAPICTL_EXIT_USAGE = 2,
};

struct napictl {
	bool json;
	bool pretty;
	const char *root_dir; /* --root: where /proc and /sys are read (tests) */
	struct nt_root *root;
	const char *netns;	 /* --netns: name under /run/netns or path, NULL = ours */
	const char *journal_dir; /* journal directory below root, NULL = NT_JOURNAL_DIR */
	bool usage_error;	 /* set by napictl_usage_error() */
};

struct verb {
	const char *name;
	const char *args;    /* usage after the verb name */
	const char *summary; /* one line for `napictl --help` */
	const char *help;    /* extra lines for `napictl VERB --help`, may be NULL */
	/*
	 * argv[0] is the verb name. Returns 0 on success, a negative errno on failure
	 * (after logging it once), or a positive verb-specific exit status.
	 */
	int (*run)(struct napictl *ctl, int argc, char **argv);
};

/* Logs a usage error and marks it so the exit status is 2. Returns -EINVAL. */
int napictl_usage_error(struct napictl *ctl, const char *fmt, ...) _printf_(2, 3);

extern const struct verb verb_cpuset;
extern const struct verb verb_diagnose;
extern const struct verb verb_check;
extern const struct verb verb_plan;
extern const struct verb verb_apply;
extern const struct verb verb_verify;
extern const struct verb verb_revert;
extern const struct verb verb_status;
extern const struct verb verb_knobs;
extern const struct verb verb_map;
extern const struct verb verb_monitor;

#endif
