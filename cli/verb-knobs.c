// SPDX-License-Identifier: GPL-2.0-or-later
/* napictl knobs: the knob table as text, JSON, markdown or completion words. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "knob.h"
#include "log.h"
#include "napictl.h"
#include "json.h"

static const char *kver(const struct nt_knob *k, char *buf, size_t n)
{
	if (!k->kmin)
		return "any";
	snprintf(buf, n, "%u.%u", k->kmin / 1000, k->kmin % 1000);
	return buf;
}

static int verb_knobs_run(struct napictl *ctl, int argc, char **argv)
{
	static const struct option options[] = {{"format", required_argument, NULL, 'f'}, {}};
	const char *format = ctl->json ? "json" : "text";
	struct nt_json j;
	char buf[16];
	int c;

	while ((c = getopt_long(argc, argv, "f:", options, NULL)) >= 0) {
		if (c != 'f')
			return napictl_usage_error(ctl, "usage: napictl knobs [--format=FORMAT]");
		format = optarg;
	}
	if (streq(format, "json")) {
		nt_json_init(&j, stdout, ctl->pretty);
		nt_json_begin_array(&j);
		for (size_t i = 0; i < _NT_KNOB_MAX; i++) {
			const struct nt_knob *k = &nt_knobs[i];

			nt_json_begin_object(&j);
			nt_json_kv_string(&j, "key", k->key);
			nt_json_kv_string(&j, "family", nt_fam_to_string(k->fam));
			nt_json_kv_string(&j, "scope", nt_scope_to_string(k->scope));
			nt_json_kv_string(&j, "type", nt_type_to_string(k->type));
			nt_json_kv_string(&j, "unit", k->unit);
			nt_json_kv_u64(&j, "min", k->min);
			if (k->max)
				nt_json_kv_u64(&j, "max", k->max);
			nt_json_kv_string(&j, "kernel", kver(k, buf, sizeof(buf)));
			nt_json_kv_string(&j, "help", k->help);
			nt_json_end_object(&j);
		}
		nt_json_end_array(&j);
		nt_json_finish(&j);
	} else if (streq(format, "words")) {
		for (size_t i = 0; i < _NT_KNOB_MAX; i++)
			if (i != NT_KNOB_SYSCTL_ANY)
				printf("%s\n", nt_knobs[i].key);
	} else if (streq(format, "markdown")) {
		printf("| key | scope | family | type | unit | kernel | description |\n"
		       "|---|---|---|---|---|---|---|\n");
		for (size_t i = 0; i < _NT_KNOB_MAX; i++) {
			const struct nt_knob *k = &nt_knobs[i];

			printf("| `%s` | %s | %s | %s | %s | %s | %s |\n", k->key,
			       nt_scope_to_string(k->scope), nt_fam_to_string(k->fam),
			       nt_type_to_string(k->type), k->unit ?: "", kver(k, buf, sizeof(buf)),
			       k->help);
		}
	} else if (streq(format, "text")) {
		for (size_t i = 0; i < _NT_KNOB_MAX; i++) {
			const struct nt_knob *k = &nt_knobs[i];

			printf("%-32s %-7s %-13s %s\n", k->key, nt_scope_to_string(k->scope),
			       nt_fam_to_string(k->fam), k->help);
		}
	} else {
		return napictl_usage_error(ctl, "unknown format '%s' (text, json, markdown, words)",
					   format);
	}
	return 0;
}

const struct verb verb_knobs = {
	.name = "knobs",
	.args = "[--format=text|json|markdown|words]",
	.summary = "list every knob napitune knows (the one table profiles use)",
	.run = verb_knobs_run,
};
