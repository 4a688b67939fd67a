// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * napictl diagnose: two samples of the receive path --interval seconds apart, the rules
 * of lib/diagnose/rules.c, one root cause per problem with its consequences, the fix as a knob and
 * a profile snippet. Read-only. Exit: 0 healthy (notes allowed), 3 warnings, 4 critical.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "diagnose.h"
#include "fs.h"
#include "json.h"
#include "log.h"
#include "napictl.h"
#include "nl.h"
#include "parse-util.h"

enum {
	DIAGNOSE_EXIT_WARN = 3,
	DIAGNOSE_EXIT_CRIT = 4,
};

struct colors {
	const char *red, *yellow, *cyan, *bold, *dim, *off;
};

static const char *level_color(const struct colors *c, enum nt_level l)
{
	return l == NT_LEVEL_CRIT ? c->red : l == NT_LEVEL_WARN ? c->yellow : c->cyan;
}

/* "python3[1234]", or the uid when the process was not seen. */
static const char *socket_owner(const struct nt_ev_socket *k, char *buf, size_t n)
{
	if (k->pid >= 0)
		snprintf(buf, n, "%s[%d]", k->command, k->pid);
	else
		snprintf(buf, n, "uid %lld (process not seen)", (long long)k->uid);
	return buf;
}

/* ", rcvbuf 4608 set by the application", ", backlog 2 (3 queued) ...". */
static const char *socket_limit(const struct nt_ev_socket *k, char *buf, size_t n)
{
	static const char *const by[_NT_LIMIT_ORIGIN_MAX] = {
		[NT_LIMIT_UNKNOWN] = "",
		[NT_LIMIT_DEFAULT] = " (the default)",
		[NT_LIMIT_APP] = " set by the application",
		[NT_LIMIT_CAPPED] = " capped by the sysctl",
	};

	if (k->backlog >= 0)
		snprintf(buf, n, ", backlog %lld (%lld queued)%s", (long long)k->backlog,
			 (long long)k->accept_queue, by[k->limit_set_by]);
	else if (k->rcvbuf >= 0)
		snprintf(buf, n, ", rcvbuf %lld%s", (long long)k->rcvbuf, by[k->limit_set_by]);
	else
		buf[0] = '\0';
	return buf;
}

static void print_finding(const struct nt_finding *f, const struct colors *c, bool consequence)
{
	const char *ind = consequence ? "    " : "";

	printf("%s%s%s%-4s%s %s%s%s %s\n", ind, c->bold, level_color(c, f->level),
	       nt_level_to_string(f->level), c->off, c->bold, f->rule ? f->rule->id : "", c->off,
	       f->summary);
	if (consequence)
		return;
	printf("     cause:  %s\n", f->cause);
	for (unsigned int i = 0; i < f->n_ev; i++) {
		const struct nt_evidence *e = &f->ev[i];
		char where[64] = "", owner[64], limit[96];

		if (e->cpu >= 0)
			snprintf(where, sizeof(where), " CPU %d", e->cpu);
		if (e->dev[0])
			snprintf(where + strlen(where), sizeof(where) - strlen(where), " '%s'",
				 e->dev);
		if (e->is_setting && e->max >= 0)
			printf("     %s%-34s%s %10lld of max %lld%s  (%s)\n", c->dim, e->counter,
			       c->off, (long long)e->value, (long long)e->max, where, e->source);
		else if (e->is_setting)
			printf("     %s%-34s%s %10lld (max unknown)%s  (%s)\n", c->dim, e->counter,
			       c->off, (long long)e->value, where, e->source);
		else if (e->is_socket)
			printf("     %s%-34s%s %10llu (%.1f/s) %s %s %s%s  (%s)\n", c->dim,
			       e->counter, c->off, (unsigned long long)e->delta, e->rate,
			       e->sock.proto, e->sock.local,
			       socket_owner(&e->sock, owner, sizeof(owner)),
			       socket_limit(&e->sock, limit, sizeof(limit)), e->source);
		else if (e->is_share)
			printf("     %s%-34s%s %6.1f %%%s  (%s)\n", c->dim, e->counter, c->off,
			       e->rate * 100, where, e->source);
		else
			printf("     %s%-34s%s %10llu (%.1f/s)%s  (%s)\n", c->dim, e->counter,
			       c->off, (unsigned long long)e->delta, e->rate, where, e->source);
	}
	if (!f->remedy.knob[0] && streq(f->remedy.scope, "app"))
		printf("     fix:    %sin the application%s%s%s%s%s\n", c->bold, c->off,
		       f->remedy.current[0] ? " " : "", f->remedy.current,
		       f->remedy.suggested[0] ? " -> " : "", f->remedy.suggested);
	if (f->remedy.knob[0])
		printf("     fix:    %s%s%s %s -> %s%s (%s)%s\n", c->bold, f->remedy.knob, c->off,
		       f->remedy.current[0] ? f->remedy.current : "?", f->remedy.suggested,
		       f->remedy.bounces_link ? ", bounces the link" : "", f->remedy.scope, "");
	if (f->remedy.command[0])
		printf("     run:    %s\n", f->remedy.command);
	if (f->remedy.caveat[0])
		printf("     note:   %s\n", f->remedy.caveat);
	if (f->profile[0]) {
		const char *p = f->profile;

		printf("     profile snippet:\n");
		while (*p) {
			const char *e = strchr(p, '\n');
			int len = e ? (int)(e - p) : (int)strlen(p);

			printf("       %.*s\n", len, p);
			p += len + (e ? 1 : 0);
		}
	}
}

static void print_text(const struct nt_diagnosis *d, bool verbose, const struct colors *c)
{
	unsigned int shown = 0, notes = 0;

	printf("%sReceive path over %.1f s:%s ", c->bold, d->interval, c->off);
	if (d->level == NT_LEVEL_OK)
		printf("healthy");
	else
		printf("%s%s%s", level_color(c, d->level),
		       d->level == NT_LEVEL_CRIT ? "CRITICAL" : "WARNING", c->off);
	printf(", %llu packets lost", (unsigned long long)d->lost_total);
	if (d->lost_total)
		printf(" (backlog %llu, flow-limit %llu, ring %llu, socket %llu, listen %llu, "
		       "not tunable %llu)",
		       (unsigned long long)d->lost_backlog, (unsigned long long)d->lost_flow_limit,
		       (unsigned long long)d->lost_ring, (unsigned long long)d->lost_socket,
		       (unsigned long long)d->lost_listen, (unsigned long long)d->lost_other);
	printf("\n");
	if (d->cpus_changed)
		printf("CPUs went on/offline during the window: per-CPU counters were "
		       "discarded.\n");
	for (unsigned int i = 0; i < d->n; i++) {
		const struct nt_finding *f = &d->f[i];

		if (f->caused_by >= 0)
			continue;
		if (f->level < NT_LEVEL_WARN && !verbose) {
			notes++;
			continue;
		}
		printf("\n");
		if (f->level >= NT_LEVEL_WARN && f->tunable && shown++ == 0 && f->n_consequences)
			printf("%sRoot cause%s (fix this first; %u consequence%s below):\n",
			       c->bold, c->off, f->n_consequences,
			       f->n_consequences == 1 ? "" : "s");
		else if (!f->tunable)
			printf("%sNot a tuning problem:%s\n", c->bold, c->off);
		print_finding(f, c, false);
		for (unsigned int k = i + 1; k < d->n && d->f[k].caused_by == (int)i; k++)
			print_finding(&d->f[k], c, true);
		if (f->n_consequences)
			printf("     %u lost packets in all, counted once\n",
			       (unsigned)f->lost_with_consequences);
	}
	if (notes)
		printf("\n%u note%s below the warning thresholds (show with -v).\n", notes,
		       notes == 1 ? "" : "s");
	for (unsigned int i = 0; i < _NT_SRC_MAX; i++)
		if (d->err[i] && d->err[i] != -ENOTCONN)
			printf("Not seen: %s (%s)%s\n", nt_src_to_string(i), strerror(-d->err[i]),
			       d->err[i] == -EACCES || d->err[i] == -EPERM ? "; run as root" : "");
}

static int take(struct napictl *ctl, const struct nt_root *root, bool live, struct nt_nl *nl,
		struct nt_snapshot *s)
{
	struct nt_snapshot_opts o = {.root = root, .live = live, .nl = nl};
	int r;

	r = nt_snapshot_take(&o, s);
	if (r < 0)
		return log_error_errno(r, "cannot sample the receive path below '%s': %m",
				       nt_root_path(root));
	(void)ctl;
	return 0;
}

int napictl_sample_window(struct napictl *ctl, double interval, const char *second_dir,
			  struct nt_snapshot *ret_a, struct nt_snapshot *ret_b)
{
	_cleanup_(nt_root_freep) struct nt_root *second = NULL;
	_cleanup_(nt_nl_freep) struct nt_nl *nl = NULL;
	struct nt_snapshot a = {}, b = {};
	bool live;
	int r;

	live = streq(ctl->root_dir, "/") && !second_dir;
	if (live && nt_nl_open(&nl) < 0)
		nl = NULL; /* no genl: ethtool/qstats are reported as not seen */
	r = take(ctl, ctl->root, live, nl, &a);
	if (r < 0)
		return r;
	if (second_dir) {
		r = nt_root_open(second_dir, &second);
		if (r < 0) {
			nt_snapshot_done(&a);
			return log_error_errno(r, "cannot open '%s': %m", second_dir);
		}
		r = take(ctl, second, false, NULL, &b);
		if (r < 0) {
			nt_snapshot_done(&a);
			return r;
		}
		/* Recorded trees: the interval is what the user says it was. */
		b.t_ns = a.t_ns + (uint64_t)(interval * 1e9 + 0.5); /* interval > 0 */
	} else {
		struct timespec ts = {.tv_sec = (time_t)interval,
				      .tv_nsec =
					      (long)((interval - (double)(time_t)interval) * 1e9)};

		while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
			;
		r = take(ctl, ctl->root, live, nl, &b);
		if (r < 0) {
			nt_snapshot_done(&a);
			return r;
		}
	}
	*ret_a = a;
	*ret_b = b;
	return 0;
}

enum { OPT_SECOND = 0x100 };
/* Also the source of this verb's options in napictl(8) and the bash completion. */
static const struct option diagnose_options[] = {
	{"interval", required_argument, NULL, 'i'},
	{"verbose", no_argument, NULL, 'v'},
	{"second-root", required_argument, NULL, OPT_SECOND},
	{}};

static int verb_diagnose_run(struct napictl *ctl, int argc, char **argv)
{
	struct nt_snapshot a = {}, b = {};
	struct nt_rates rates = {};
	struct nt_diagnosis d = {};
	const char *second_dir = NULL;
	double interval = 5;
	bool verbose = false;
	struct colors col = {"", "", "", "", "", ""};
	int c, r;

	while ((c = getopt_long(argc, argv, "i:v", diagnose_options, NULL)) >= 0) {
		switch (c) {
		case 'i': {
			char *end;

			interval = strtod(optarg, &end);
			if (*end || !(interval >= 0.1 && interval <= 60))
				return napictl_usage_error(ctl,
							   "--interval must be 0.1-60 seconds, "
							   "got '%s'",
							   optarg);
			break;
		}
		case 'v':
			verbose = true;
			break;
		case OPT_SECOND:
			second_dir = optarg;
			break;
		default:
			return napictl_usage_error(ctl, "usage: napictl diagnose [--interval=SEC] "
							"[-v] [--second-root=DIR]");
		}
	}
	if (optind < argc)
		return napictl_usage_error(ctl, "napictl diagnose takes no arguments");
	r = napictl_sample_window(ctl, interval, second_dir, &a, &b);
	if (r < 0)
		return r;
	r = nt_rates_compute(&a, &b, &rates);
	if (r >= 0)
		r = nt_diagnose(&rates, &d);
	if (r < 0) {
		log_error_errno(r, "cannot compute the diagnosis: %m");
		goto out;
	}
	if (ctl->json) {
		struct nt_json j;

		nt_json_init(&j, stdout, ctl->pretty);
		nt_diagnosis_write_json(&d, &j);
		nt_json_finish(&j);
	} else {
		if (isatty(STDOUT_FILENO) && !getenv("NO_COLOR"))
			col = (struct colors){"\033[31m", "\033[33m", "\033[36m",
					      "\033[1m",  "\033[2m",  "\033[0m"};
		print_text(&d, verbose, &col);
	}
	r = d.level == NT_LEVEL_CRIT   ? DIAGNOSE_EXIT_CRIT
	    : d.level == NT_LEVEL_WARN ? DIAGNOSE_EXIT_WARN
				       : 0;
out:
	nt_diagnosis_done(&d);
	nt_rates_done(&rates);
	nt_snapshot_done(&a);
	nt_snapshot_done(&b);
	return r;
}

const struct verb verb_diagnose = {
	.name = "diagnose",
	.args = "[--interval=SEC] [-v] [--second-root=DIR]",
	.summary = "find packet drops and softirq saturation, name the cause and the fix",
	.help = "Samples every receive-path counter twice, SEC seconds apart (default 5), and\n"
		"applies the rules R01-R16 (docs/diagnose-json.md). When several fire, one root\n"
		"cause is named and the others are listed as its consequences; each lost packet\n"
		"is counted once. Every finding gives the knob to change and a profile snippet\n"
		"for 'napictl apply'. Notes below the warning thresholds are shown with -v.\n"
		"Read-only; as non-root, sources the kernel hides are listed as 'Not seen'.\n"
		"--second-root=DIR compares the tree of --root (first sample) with DIR (second\n"
		"sample) recorded SEC seconds later, without sleeping.\n"
		"\n"
		"Exit status: 0 healthy (notes only), 3 warnings, 4 critical,\n"
		"1 failure, 2 usage error.\n",
	.run = verb_diagnose_run,
	.options = diagnose_options,
};
