// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * napictl monitor: a live view of the receive path, refreshed every --interval seconds:
 * per CPU NET_RX/s, softirq %, backlog drops/s, squeezes/s; per device and rx queue
 * packets/s, drops/s, IRQs/s and packets per NAPI poll (where the driver counts polls).
 * Redraws in place with ANSI escapes on a terminal; otherwise prints one block per sample.
 * --json prints one JSON object per sample per line (docs/monitor-json.md). Read-only.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fs.h"
#include "json.h"
#include "log.h"
#include "monitor.h"
#include "napictl.h"
#include "nl.h"
#include "parse-util.h"
#include "snapshot.h"

/* A rate right-aligned in @w columns; "-" when unknown. */
static void col(double v, int w, int prec)
{
	if (v < 0)
		printf(" %*s", w, "-");
	else
		printf(" %*.*f", w, prec, v);
}

static void print_text(const struct nt_mon_sample *s, unsigned int seq, bool tty, double interval)
{
	char when[32];
	time_t now = time(NULL);
	struct tm tm;

	strftime(when, sizeof(when), "%H:%M:%S", localtime_r(&now, &tm));
	if (tty)
		printf("\033[H\033[2J"); /* home, clear screen */
	printf("napictl monitor  %s  sample %u  every %.1f s%s\n\n", when, seq, interval,
	       tty ? "  (Ctrl-C quits)" : "");
	printf("%-5s %10s %9s %12s %10s %10s\n", "CPU", "NET_RX/s", "softirq%", "processed/s",
	       "drops/s", "squeeze/s");
	for (unsigned int i = 0; i < s->n_cpu; i++) {
		const struct nt_mon_cpu *c = &s->cpu[i];

		printf("%-5u", c->cpu);
		col(c->net_rx, 10, 0);
		col(c->softirq_pct, 9, 1);
		col(c->processed, 12, 0);
		col(c->backlog_drops, 10, 0);
		col(c->squeezes, 10, 0);
		printf("\n");
	}
	printf("\n%-16s %11s %11s %9s %9s %9s %9s\n", "DEVICE/QUEUE", "rx pkts/s", "tx pkts/s",
	       "drops/s", "missed/s", "IRQs/s", "pkts/poll");
	for (unsigned int i = 0; i < s->n_dev; i++) {
		const struct nt_mon_dev *d = &s->dev[i];

		printf("%-16s", d->name);
		col(d->rx_pps, 11, 0);
		col(d->tx_pps, 11, 0);
		col(d->rx_dropped, 9, 0);
		col(d->rx_missed, 9, 0);
		col(d->irqs, 9, 0);
		printf(" %9s\n", "");
		for (unsigned int q = 0; q < d->n_queue; q++) {
			const struct nt_mon_queue *x = &d->queue[q];
			char name[24];

			/* Queues nothing reports on would be rows of dashes. */
			if (x->pps < 0 && x->drops < 0 && x->irqs < 0)
				continue;
			snprintf(name, sizeof(name), "  rx-%u", x->index);
			printf("%-16s", name);
			col(x->pps, 11, 0);
			printf(" %11s", "");
			col(x->drops, 9, 0);
			printf(" %9s", "");
			col(x->irqs, 9, 0);
			col(x->packets_per_poll, 9, 1);
			printf("\n");
		}
	}
	if (!tty)
		printf("\n");
	fflush(stdout);
}

static void sleep_s(double sec)
{
	struct timespec ts = {.tv_sec = (time_t)sec,
			      .tv_nsec = (long)((sec - (double)(time_t)sec) * 1e9)};

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static int take(const struct nt_snapshot_opts *o, struct nt_snapshot *s)
{
	int r = nt_snapshot_take(o, s);

	if (r < 0)
		return log_error_errno(r, "cannot sample the receive path below '%s': %m",
				       nt_root_path(o->root));
	return 0;
}

/* Also the source of this verb's options in napictl(8) and the bash completion. */
static const struct option monitor_options[] = {
	{"interval", required_argument, NULL, 'i'}, {"count", required_argument, NULL, 'n'}, {}};

static int verb_monitor_run(struct napictl *ctl, int argc, char **argv)
{
	_cleanup_(nt_nl_freep) struct nt_nl *nl = NULL;
	struct nt_snapshot a = {}, b = {};
	struct nt_snapshot_opts o = {.root = ctl->root};
	double interval = 1;
	uint32_t count = 0;
	bool tty;
	int c, r = 0;

	while ((c = getopt_long(argc, argv, "i:n:", monitor_options, NULL)) >= 0) {
		switch (c) {
		case 'i': {
			char *end;

			interval = strtod(optarg, &end);
			if (*end || !(interval >= 0.1 && interval <= 3600))
				return napictl_usage_error(ctl,
							   "--interval must be 0.1-3600 seconds, "
							   "got '%s'",
							   optarg);
			break;
		}
		case 'n':
			if (nt_parse_u32(optarg, &count) < 0 || count == 0)
				return napictl_usage_error(ctl,
							   "--count must be a positive number, "
							   "got '%s'",
							   optarg);
			break;
		default:
			return napictl_usage_error(ctl, "usage: napictl monitor [--interval=SEC] "
							"[--count=N]");
		}
	}
	if (optind < argc)
		return napictl_usage_error(ctl, "napictl monitor takes no arguments");
	o.live = streq(ctl->root_dir, "/");
	if (o.live && nt_nl_open(&nl) < 0)
		nl = NULL; /* no genl: no driver counters, device rates still work */
	o.nl = nl;
	tty = !ctl->json && isatty(STDOUT_FILENO);
	r = take(&o, &a);
	if (r < 0)
		return r;
	for (uint32_t seq = 1; count == 0 || seq <= count; seq++) {
		struct nt_mon_sample s = {};
		struct nt_rates rates = {};
		struct timespec now;

		sleep_s(interval);
		r = take(&o, &b);
		if (r < 0)
			break;
		r = nt_rates_compute(&a, &b, &rates);
		if (r >= 0)
			r = nt_mon_compute(&rates, &s);
		if (r < 0) {
			log_error_errno(r, "cannot compute rates: %m");
			nt_rates_done(&rates);
			nt_snapshot_done(&b);
			break;
		}
		if (ctl->json) {
			struct nt_json j;

			clock_gettime(CLOCK_REALTIME, &now);
			nt_json_init(&j, stdout, false);
			nt_mon_write_json(
				&s, seq,
				(uint64_t)now.tv_sec * 1000 + (uint64_t)now.tv_nsec / 1000000, &j);
			nt_json_finish(&j);
			fflush(stdout);
		} else {
			print_text(&s, seq, tty, interval);
		}
		nt_mon_done(&s);
		nt_rates_done(&rates);
		nt_snapshot_done(&a);
		a = b;
		b = (struct nt_snapshot){};
	}
	nt_snapshot_done(&a);
	return r < 0 ? r : 0;
}

const struct verb verb_monitor = {
	.name = "monitor",
	.args = "[--interval=SEC] [--count=N]",
	.summary = "live view of NET_RX, softirq time, drops, IRQs and packets per poll",
	.help = "Every SEC seconds (default 1) shows, per CPU: NET_RX softirqs/s, softirq share\n"
		"of its time, packets processed/s, backlog drops/s, time squeezes/s; per device:\n"
		"rx/tx packets/s, rx_dropped/s, rx_missed/s, queue IRQs/s; per rx queue: "
		"packets/s,\n"
		"drops/s (driver counters), IRQs/s and packets per NAPI poll where the driver\n"
		"counts polls (napiref). '-' means no source gives the value. Redraws in place\n"
		"on a terminal, prints one block per sample otherwise. Runs until interrupted, or\n"
		"N samples with --count. --json prints one JSON object per sample per line\n"
		"(docs/monitor-json.md). Read-only.\n"
		"\n"
		"Exit status: 0 success, 1 failure, 2 usage error.\n",
	.run = verb_monitor_run,
	.options = monitor_options,
};
