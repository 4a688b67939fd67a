// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * napictl's tables: its verbs and its options before the verb. napictl.c parses and
 * prints help from them; docs/gen-docs.c makes napictl(8) and the bash completion from
 * the same tables, so none of them can list a verb or an option that does not exist.
 */
#include <errno.h>
#include <stdarg.h>

#include "log.h"
#include "napictl.h"

const struct verb *const napictl_verbs[] = {
	&verb_cpuset, &verb_diagnose, &verb_check, &verb_plan, &verb_apply,   &verb_verify,
	&verb_revert, &verb_status,   &verb_knobs, &verb_map,  &verb_monitor, &verb_metrics,
};
const size_t napictl_n_verbs = ARRAY_SIZE(napictl_verbs);

const struct napictl_option napictl_options[] = {
	{"help", 'h', NULL, "show this help, or a verb's help with VERB --help"},
	{"version", 'V', NULL, "show the version"},
	{"json", 'j', NULL, "machine-readable output (JSON)"},
	{"pretty", NAPICTL_OPT_PRETTY, NULL, "indent JSON output (implies --json)"},
	{"debug", 'd', NULL, "debug messages on stderr"},
	{"root", NAPICTL_OPT_ROOT, "DIR", "read /proc and /sys below DIR (for tests)"},
	{"netns", NAPICTL_OPT_NETNS, "NAME",
	 "run the verb inside network namespace NAME (a name under /run/netns as 'ip netns add' "
	 "makes, or a path such as /proc/PID/ns/net), like 'ip -n NAME'; needs CAP_SYS_ADMIN. "
	 "apply/revert/status/verify then use that namespace's own journal "
	 "(/run/napitune/netns/COOKIE): a plain 'napictl revert' never undoes it, 'napictl "
	 "--netns=NAME revert' does. Not with --root."},
};
const size_t napictl_n_options = ARRAY_SIZE(napictl_options);
_Static_assert(ARRAY_SIZE(napictl_options) <= NAPICTL_OPTIONS_MAX, "raise NAPICTL_OPTIONS_MAX");

int napictl_usage_error(struct napictl *ctl, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	(void)nt_log_fieldsv(LOG_ERR, 0, NULL, fmt, ap);
	va_end(ap);
	ctl->usage_error = true;
	return -EINVAL;
}
