// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * napictl: inspect and tune the Linux receive path (NAPI, IRQs, RPS/XPS, rings,
 * coalescing, sysctls). This file only dispatches; verbs live in verb-*.c.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "fs.h"
#include "journal.h"
#include "log.h"
#include "napictl.h"
#include "netns.h"

/* Every verb napictl has; help is generated from this list. */
static const struct verb *const verbs[] = {
	&verb_cpuset, &verb_diagnose, &verb_check, &verb_plan, &verb_apply,   &verb_verify,
	&verb_revert, &verb_status,   &verb_knobs, &verb_map,  &verb_monitor,
};

int napictl_usage_error(struct napictl *ctl, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	(void)nt_log_fieldsv(LOG_ERR, 0, NULL, fmt, ap);
	va_end(ap);
	ctl->usage_error = true;
	return -EINVAL;
}

static void help(FILE *f)
{
	fprintf(f, "Usage: napictl [OPTIONS] VERB [ARGS...]\n"
		   "\n"
		   "Inspect and tune the Linux network receive path.\n"
		   "\n"
		   "Verbs:\n");
	for (size_t i = 0; i < ARRAY_SIZE(verbs); i++)
		fprintf(f, "  %-10s %s\n", verbs[i]->name, verbs[i]->summary);
	fprintf(f,
		"\n"
		"Options:\n"
		"  -h, --help          show this help, or a verb's help with VERB --help\n"
		"  -V, --version       show the version\n"
		"  -j, --json          machine-readable output (JSON)\n"
		"      --pretty        indent JSON output\n"
		"  -d, --debug         debug messages on stderr\n"
		"      --root=DIR      read /proc and /sys below DIR (for tests)\n"
		"      --netns=NAME    run the verb inside network namespace NAME (a name under\n"
		"                      /run/netns as 'ip netns add' makes, or a path such as\n"
		"                      /proc/PID/ns/net), like 'ip -n NAME'; needs\n"
		"                      CAP_SYS_ADMIN. apply/revert/status/verify then use that\n"
		"                      namespace's own journal (/run/napitune/netns/COOKIE): a\n"
		"                      plain 'napictl revert' never undoes it, 'napictl\n"
		"                      --netns=NAME revert' does. Not with --root.\n"
		"\n"
		"Exit status: 0 success, 1 failure, 2 usage error; some verbs document more.\n");
}

static void verb_help(const struct verb *v)
{
	printf("Usage: napictl [OPTIONS] %s %s\n\n%s\n", v->name, v->args, v->summary);
	if (v->help)
		printf("\n%s", v->help);
}

static const struct verb *find_verb(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(verbs); i++)
		if (streq(verbs[i]->name, name))
			return verbs[i];
	return NULL;
}

/*
 * --netns: joins the network namespace (and a private mount namespace with a fresh /sys)
 * before anything opens /sys or a netlink socket. Writes into another netns are journaled
 * in a directory named by its cookie; the netns we started in keeps the main journal.
 */
static int enter_netns(struct napictl *ctl, char *journal_dir, size_t size)
{
	_cleanup_free_ char *path = NULL;
	_cleanup_close_ int fd = -EBADF;
	uint64_t ours, theirs;
	int r;

	r = nt_netns_path(ctl->netns, &path);
	if (r == -EINVAL)
		return napictl_usage_error(ctl,
					   "--netns='%s': not a name under %s nor an absolute "
					   "path",
					   ctl->netns, NT_NETNS_RUN_DIR);
	if (r < 0)
		return log_error_errno(r, "--netns: %m");
	fd = nt_netns_open(path);
	if (fd == -ENOENT)
		return napictl_usage_error(ctl,
					   "network namespace '%s' not found: %s does not exist "
					   "(see 'ip netns list')",
					   ctl->netns, path);
	if (fd == -EINVAL)
		return napictl_usage_error(ctl, "--netns: '%s' is not a network namespace", path);
	if (fd == -EACCES || fd == -EPERM)
		return log_error_errno(fd,
				       "cannot open network namespace '%s': %m (entering a "
				       "network namespace needs CAP_SYS_ADMIN: run as root)",
				       path);
	if (fd < 0)
		return log_error_errno(fd, "cannot open network namespace '%s': %m", path);
	r = nt_netns_cookie(&ours);
	if (r < 0)
		return log_error_errno(r, "cannot identify the current network namespace "
					  "(SO_NETNS_COOKIE, Linux >= 5.14): %m");
	r = nt_netns_enter(fd);
	if (r == -EPERM)
		return log_error_errno(r,
				       "cannot enter network namespace '%s': %m (needs "
				       "CAP_SYS_ADMIN: run as root)",
				       ctl->netns);
	if (r < 0)
		return log_error_errno(r, "cannot enter network namespace '%s': %m", ctl->netns);
	r = nt_netns_cookie(&theirs);
	if (r < 0)
		return log_error_errno(r, "cannot identify network namespace '%s': %m", ctl->netns);
	if (theirs != ours) {
		snprintf(journal_dir, size, NT_JOURNAL_NETNS_DIR_FMT, theirs);
		ctl->journal_dir = journal_dir;
	}
	log_debug("in network namespace '%s' (%s), journal /%s", ctl->netns, path,
		  ctl->journal_dir ?: NT_JOURNAL_DIR);
	return 0;
}

static int run(int argc, char **argv)
{
	enum { OPT_ROOT = 0x100, OPT_PRETTY, OPT_NETNS };
	static const struct option options[] = {{"help", no_argument, NULL, 'h'},
						{"version", no_argument, NULL, 'V'},
						{"json", no_argument, NULL, 'j'},
						{"pretty", no_argument, NULL, OPT_PRETTY},
						{"debug", no_argument, NULL, 'd'},
						{"root", required_argument, NULL, OPT_ROOT},
						{"netns", required_argument, NULL, OPT_NETNS},
						{}};
	_cleanup_(nt_root_freep) struct nt_root *root = NULL;
	struct napictl ctl = {.root_dir = "/"};
	char journal_dir[64];
	bool root_set = false;
	const struct verb *v;
	int c, r;

	/* Options stop at the verb; the verb parses the rest itself. */
	while ((c = getopt_long(argc, argv, "+hVjd", options, NULL)) >= 0) {
		switch (c) {
		case 'h':
			help(stdout);
			return NAPICTL_EXIT_OK;
		case 'V':
			printf("napictl %s\n", NAPITUNE_VERSION);
			return NAPICTL_EXIT_OK;
		case 'j':
			ctl.json = true;
			break;
		case OPT_PRETTY:
			ctl.json = true;
			ctl.pretty = true;
			break;
		case 'd':
			nt_log_set_max_level(LOG_DEBUG);
			break;
		case OPT_ROOT:
			ctl.root_dir = optarg;
			root_set = true;
			break;
		case OPT_NETNS:
			ctl.netns = optarg;
			break;
		default:
			fprintf(stderr, "Try 'napictl --help'.\n");
			return NAPICTL_EXIT_USAGE;
		}
	}
	if (ctl.netns && root_set) {
		log_error("--netns and --root cannot be combined: --root reads a fixture tree, "
			  "not a live network namespace");
		return NAPICTL_EXIT_USAGE;
	}
	if (optind >= argc) {
		help(stderr);
		return NAPICTL_EXIT_USAGE;
	}
	v = find_verb(argv[optind]);
	if (!v) {
		log_error("unknown verb '%s'; try 'napictl --help'", argv[optind]);
		return NAPICTL_EXIT_USAGE;
	}
	argc -= optind;
	argv += optind;
	if (argc > 1 && (streq(argv[1], "--help") || streq(argv[1], "-h"))) {
		verb_help(v);
		return NAPICTL_EXIT_OK;
	}
	if (ctl.netns) {
		/* Before the root fd: it must see the new /sys mount. */
		r = enter_netns(&ctl, journal_dir, sizeof(journal_dir));
		if (r < 0)
			return ctl.usage_error ? NAPICTL_EXIT_USAGE : NAPICTL_EXIT_FAILURE;
	}
	r = nt_root_open(ctl.root_dir, &root);
	if (r < 0) {
		log_error_errno(r, "cannot open root directory '%s': %m", ctl.root_dir);
		return NAPICTL_EXIT_FAILURE;
	}
	ctl.root = root;
	optind = 0; /* reset getopt for the verb's own parsing */
	r = v->run(&ctl, argc, argv);
	if (r < 0)
		return ctl.usage_error ? NAPICTL_EXIT_USAGE : NAPICTL_EXIT_FAILURE;
	return r;
}

int main(int argc, char **argv)
{
	nt_log_set_prefix("napictl");
	return run(argc, argv);
}
