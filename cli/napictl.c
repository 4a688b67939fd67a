// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * napictl: inspect and tune the Linux receive path (NAPI, IRQs, RPS/XPS, rings,
 * coalescing, sysctls). This file only dispatches; verbs live in verb-*.c.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "fs.h"
#include "log.h"
#include "napictl.h"

/* Every verb napictl has; help is generated from this list. */
static const struct verb *const verbs[] = {
	&verb_cpuset,
	&verb_diagnose,
	&verb_check,
	&verb_plan,
	&verb_apply,
	&verb_verify,
	&verb_revert,
	&verb_status,
	&verb_knobs,
	&verb_map,
	&verb_monitor,
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
	fprintf(f,
		"Usage: napictl [OPTIONS] VERB [ARGS...]\n"
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

static int run(int argc, char **argv)
{
	enum { OPT_ROOT = 0x100, OPT_PRETTY };
	static const struct option options[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "json", no_argument, NULL, 'j' },
		{ "pretty", no_argument, NULL, OPT_PRETTY },
		{ "debug", no_argument, NULL, 'd' },
		{ "root", required_argument, NULL, OPT_ROOT },
		{}
	};
	_cleanup_(nt_root_freep) struct nt_root *root = NULL;
	struct napictl ctl = { .root_dir = "/" };
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
			break;
		default:
			fprintf(stderr, "Try 'napictl --help'.\n");
			return NAPICTL_EXIT_USAGE;
		}
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
	if ((v->flags & VERB_WRITES) && geteuid() != 0) {
		log_error("'napictl %s' changes the system and must run as root", v->name);
		return NAPICTL_EXIT_FAILURE;
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
