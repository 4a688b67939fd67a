// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * napitune, the daemon: applies the configured profile at start and to every device that
 * appears, follows devices, drift and napictl, reloads on SIGHUP and reverts on SIGTERM.
 * Run by systemd (napitune.service, Type=notify); logs to the journal with structured
 * fields when systemd started it, to stderr otherwise.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>

#include <systemd/sd-journal.h>

#include "config.h"
#include "log.h"
#include "manager.h"

#define DEFAULT_CONFIG NAPITUNE_SYSCONFDIR "/napitune.yaml"

/* The journal sink: MESSAGE, PRIORITY, ERRNO and the caller's NAPITUNE_* fields. */
static void sink_journal(int level, int err, const char *msg, const char *const *fields,
			 void *userdata)
{
	struct iovec iov[16];
	char prio[16], errf[32];
	size_t n = 0;
	_cleanup_free_ char *m = NULL;

	(void)userdata;
	if (asprintf(&m, "MESSAGE=%s", msg) < 0)
		return;
	snprintf(prio, sizeof(prio), "PRIORITY=%d", level);
	iov[n++] = (struct iovec){m, strlen(m)};
	iov[n++] = (struct iovec){prio, strlen(prio)};
	if (err > 0) {
		snprintf(errf, sizeof(errf), "ERRNO=%d", err);
		iov[n++] = (struct iovec){errf, strlen(errf)};
	}
	for (size_t i = 0; fields && fields[i] && n < ARRAY_SIZE(iov); i++)
		iov[n++] = (struct iovec){(void *)fields[i], strlen(fields[i])};
	(void)sd_journal_sendv(iov, (int)n);
}

static void help(void)
{
	printf("napitune [--config=FILE] [--log=journal|stderr] [--check]\n\n"
	       "The napitune daemon: applies the profile named in its configuration (default\n"
	       "%s) at start and to every network device that appears, reports\n"
	       "or reasserts drift, reloads on SIGHUP, reverts on SIGTERM. See napitune(8).\n\n"
	       "  -c, --config=FILE  configuration file\n"
	       "      --log=TARGET   journal (default under systemd) or stderr\n"
	       "      --check        validate the configuration and its profile, then exit\n"
	       "  -h, --help         this help\n"
	       "  -V, --version      version\n\n"
	       "Exit status: 0, 1 failure, %d invalid configuration or profile.\n",
	       DEFAULT_CONFIG, NAPITUNE_EXIT_CONFIG);
}

int main(int argc, char **argv)
{
	enum { OPT_LOG = 0x100, OPT_CHECK };
	static const struct option options[] = {
		{"config", required_argument, NULL, 'c'}, {"log", required_argument, NULL, OPT_LOG},
		{"check", no_argument, NULL, OPT_CHECK},  {"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},	  {}};
	_cleanup_(manager_freep) struct manager *m = NULL;
	const char *config = DEFAULT_CONFIG, *log = NULL;
	bool check = false;
	int c, r;

	nt_log_set_prefix("napitune");
	while ((c = getopt_long(argc, argv, "c:hV", options, NULL)) >= 0) {
		switch (c) {
		case 'c':
			config = optarg;
			break;
		case OPT_LOG:
			log = optarg;
			break;
		case OPT_CHECK:
			check = true;
			break;
		case 'h':
			help();
			return 0;
		case 'V':
			printf("napitune %s\n", NAPITUNE_VERSION);
			return 0;
		default:
			return 2;
		}
	}
	if (optind < argc) {
		log_error("unexpected argument '%s'; try 'napitune --help'", argv[optind]);
		return 2;
	}
	if (log && !streq(log, "journal") && !streq(log, "stderr")) {
		log_error("--log takes journal or stderr, not '%s'", log);
		return 2;
	}
	/* Under systemd, stderr is the journal already: write to it with fields instead. */
	if (log ? streq(log, "journal") : getenv("JOURNAL_STREAM") != NULL)
		nt_log_set_sink(sink_journal, NULL);

	r = manager_new(config, &m);
	if (r < 0)
		return r == -EINVAL ? NAPITUNE_EXIT_CONFIG : 1;
	if (check) {
		log_info("%s and its profile are valid", config);
		return 0;
	}
	r = manager_start(m);
	if (r < 0)
		return 1;
	r = manager_run(m);
	return r < 0 ? 1 : r;
}
