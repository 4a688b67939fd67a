// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * napictl metrics: the receive path as Prometheus text, once (lib/diagnose/metrics.h): two
 * samples --interval seconds apart, the diagnosis between them, and what the daemon's state
 * file says of the profile; without a running daemon, what napictl apply left in the journal
 * of original values (journal.h): the last apply's profile, time and whether it completed.
 * The daemon writes the same text to its metrics file; this verb is for a cron job or a
 * machine without the daemon (node_exporter's textfile collector: write to a temporary
 * file, then rename it).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "daemon-state.h"
#include "diagnose.h"
#include "fs.h"
#include "journal.h"
#include "log.h"
#include "metrics.h"
#include "napictl.h"
#include "nl.h"

enum { OPT_SECOND = 0x100 };

/* Also the source of this verb's options in napictl(8) and the bash completion. */
static const struct option metrics_options[] = {
	{"interval", required_argument, NULL, 'i'},
	{"second-root", required_argument, NULL, OPT_SECOND},
	{}};

/*
 * Without the daemon: the profile napictl apply left in force (the journal; none after a
 * revert or before any apply). False when the journal cannot be read (not root): then
 * nothing is said of the profile rather than something wrong.
 */
static bool status_from_journal(const struct napictl *ctl, struct nt_journal **ret_j,
				struct nt_metrics_status *ret)
{
	const struct nt_journal_apply *a;
	struct nt_err e = {};

	if (nt_journal_open_dir(ctl->root, ctl->journal_dir, false, ret_j, &e) < 0)
		return false;
	a = nt_journal_last(*ret_j);
	*ret = (struct nt_metrics_status){.profile = a ? a->profile : "none", .state = "none"};
	if (a) {
		ret->have_apply = true;
		ret->last_apply = (int64_t)a->when;
		/* a failed apply is rolled back and dropped; one not committed was interrupted */
		ret->last_apply_ok = a->committed;
	}
	return true;
}

static int verb_metrics_run(struct napictl *ctl, int argc, char **argv)
{
	_cleanup_(nt_journal_freep) struct nt_journal *j = NULL;
	struct nt_snapshot a = {}, b = {};
	struct nt_daemon_state st = {};
	struct nt_metrics_status ms = {};
	struct nt_rates rates = {};
	struct nt_diagnosis d = {};
	const char *second_dir = NULL;
	double interval = 5;
	bool have_st;
	int c, r;

	while ((c = getopt_long(argc, argv, "i:", metrics_options, NULL)) >= 0) {
		switch (c) {
		case 'i': {
			char *end;

			interval = strtod(optarg, &end);
			if (*end || !(interval >= 0.1 && interval <= 60))
				return napictl_usage_error(
					ctl, "--interval must be 0.1-60 seconds, got '%s'", optarg);
			break;
		}
		case OPT_SECOND:
			second_dir = optarg;
			break;
		default:
			return napictl_usage_error(
				ctl, "usage: napictl metrics [--interval=SEC] [--second-root=DIR]");
		}
	}
	if (optind < argc)
		return napictl_usage_error(ctl, "napictl metrics takes no arguments");
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
	/* The tuning side: what a running daemon published (daemon-state.h). */
	have_st = !ctl->journal_dir && nt_daemon_state_read(ctl->root, &st) >= 0 &&
		  nt_daemon_state_alive(ctl->root, &st);
	if (have_st) {
		ms = (struct nt_metrics_status){
			.profile = st.profile ?: "none",
			.state = st.state,
			.have_apply = true,
			.last_apply = st.last_apply,
			.last_apply_ok = st.last_result && streq(st.last_result, "ok"),
			.have_drift = true,
			.drift = st.drift,
			.napi_kept = st.napi_kept,
			.napi_reapplied = st.napi_reapplied,
		};
	} else {
		have_st = status_from_journal(ctl, &j, &ms);
	}
	r = nt_metrics_write(stdout, &rates, &d, NULL, have_st ? &ms : NULL);
	if (r >= 0 && fflush(stdout) != 0)
		r = -errno;
	if (r < 0)
		log_error_errno(r, "cannot write the metrics: %m");
out:
	nt_daemon_state_done(&st);
	nt_diagnosis_done(&d);
	nt_rates_done(&rates);
	nt_snapshot_done(&a);
	nt_snapshot_done(&b);
	return r;
}

const struct verb verb_metrics = {
	.name = "metrics",
	.args = "[--interval=SEC] [--second-root=DIR]",
	.summary = "print the receive path's counters, shares and findings as Prometheus text",
	.help = "Samples the receive path twice, SEC seconds apart (default 5), diagnoses the\n"
		"window as 'napictl diagnose' does and prints the metrics of docs/metrics.md in\n"
		"the Prometheus text format, once: per-CPU softnet counters and shares, "
		"per-device\n"
		"and per-queue packets and drops by layer, the lost packets by layer, one series\n"
		"per active finding, the saturation index, the profile in force and its last\n"
		"apply (from the daemon while it runs, else from what napictl apply left in\n"
		"/run/napitune) and the daemon's drift count. For node_exporter's textfile\n"
		"collector write to a temporary file in its directory and rename it (the daemon\n"
		"does this itself with metrics-file). --second-root=DIR as for diagnose.\n"
		"\n"
		"Exit status: 0 success, 1 failure, 2 usage error.\n",
	.run = verb_metrics_run,
	.options = metrics_options,
};
