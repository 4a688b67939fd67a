/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * napictl's verb interface. Each verb lives in its own verb-*.c file and defines a
 * `const struct verb verb_<name>` there; napictl.c lists them in one array.
 */
#ifndef NAPICTL_H
#define NAPICTL_H

#include <stdbool.h>
#include <stdio.h>

#include "macro.h"

struct nt_root;
struct option;

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
	const char *args;	      /* usage after the verb name */
	const char *summary;	      /* one line for `napictl --help` */
	const char *help;	      /* extra lines for `napictl VERB --help`, may be NULL */
	const struct option *options; /* the verb's getopt_long() table, NULL: none */
	/*
	 * argv[0] is the verb name. Returns 0 on success, a negative errno on failure
	 * (after logging it once), or a positive verb-specific exit status.
	 */
	int (*run)(struct napictl *ctl, int argc, char **argv);
};

/*
 * napictl's options before the verb. The one list: getopt_long() in napictl.c, --help,
 * napictl(8) and the bash completion are made from it. @val is the short option letter,
 * or >= NAPICTL_OPT_LONG_ONLY for options without one.
 */
enum {
	NAPICTL_OPT_LONG_ONLY = 0x100,
	NAPICTL_OPT_ROOT = NAPICTL_OPT_LONG_ONLY,
	NAPICTL_OPT_PRETTY,
	NAPICTL_OPT_NETNS,
};

struct napictl_option {
	const char *name;
	int val;
	const char *arg;  /* the argument's name, NULL: takes none */
	const char *help; /* one paragraph, wrapped by whoever prints it */
};

#define NAPICTL_OPTIONS_MAX 16 /* verbs.c checks it at build time */

extern const struct napictl_option napictl_options[];
extern const size_t napictl_n_options;

/* Every verb napictl has, in the order of `napictl --help`. */
extern const struct verb *const napictl_verbs[];
extern const size_t napictl_n_verbs;

/* Logs a usage error and marks it so the exit status is 2. Returns -EINVAL. */
int napictl_usage_error(struct napictl *ctl, const char *fmt, ...) _printf_(2, 3);

struct nt_snapshot;
/*
 * verb-diagnose.c: the two samples of a diagnose window (diagnose, metrics): the live system
 * SEC seconds apart, or --root then @second_dir (recorded trees, @interval apart). Logs.
 */
int napictl_sample_window(struct napictl *ctl, double interval, const char *second_dir,
			  struct nt_snapshot *ret_a, struct nt_snapshot *ret_b);

/* roff.c: @s as man(7) text: '\\' and '-' escaped, no line starts with '.' or '\''. */
void roff_text(FILE *f, const char *s);
/* verb-knobs.c: the knob table as man(7) .TP entries (napitune-profile(5)). */
void knobs_write_man(FILE *f);

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
extern const struct verb verb_metrics;

#endif
