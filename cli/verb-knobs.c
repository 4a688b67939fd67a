// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * napictl knobs [KEY...]: the knob table (or the named rows) as text, JSON, markdown,
 * completion words or man(7) entries.
 */
#include <getopt.h>
#include <stdint.h>
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

/* The profile section a knob of @scope is written in (napitune-profile(5)). */
static const char *const section_of_scope[_NT_SCOPE_MAX] = {
	[NT_SCOPE_GLOBAL] = "sysctl", [NT_SCOPE_DEV] = "device", [NT_SCOPE_QUEUE] = "queues",
	[NT_SCOPE_IRQ] = "irqs",      [NT_SCOPE_NAPI] = "napi",
};

/* What a value may be, in words: the range of scalars, the form of the others. */
static void write_values(FILE *f, const struct nt_knob *k)
{
	uint64_t max = k->max ? k->max : (k->type == NT_T_U32 ? UINT32_MAX : UINT64_MAX);

	switch (k->type) {
	case NT_T_BOOL:
		fputs("on or off (1 or 0)", f);
		break;
	case NT_T_ENUM:
		for (size_t i = 0; k->names[i]; i++)
			fprintf(f, "%s%s (%zu)", i ? (k->names[i + 1] ? ", " : " or ") : "",
				k->names[i], i);
		break;
	case NT_T_CPUMASK:
	case NT_T_CPULIST:
		fputs("a CPU expression (see CPU EXPRESSIONS)", f);
		break;
	case NT_T_TRIPLE:
		fputs("three sizes: minimum, default, maximum", f);
		break;
	case NT_T_RAW:
		fputs("the text the kernel prints for it", f);
		break;
	case NT_T_RSS_INDIR:
		fputs("{ equal: N } (entry i to queue i % N), { weights: [W0, W1, ...] } (entries "
		      "in "
		      "proportion, as ethtool -X weight fills them) or the table itself",
		      f);
		break;
	case NT_T_HEXKEY:
		fputs("hex bytes separated by colons, as many as the device's key has", f);
		break;
	case NT_T_RXHASH:
		fputs("ethtool's letters: s d (IP source, destination), f n (L4 ports 0-1, 2-3), "
		      "m v t (L2 destination, VLAN, L3 protocol)",
		      f);
		break;
	default:
		fprintf(f, "%llu to %llu", (unsigned long long)k->min, (unsigned long long)max);
		if (k->type == NT_T_USEC || k->type == NT_T_NSEC)
			fputs(", or a duration such as 50us or 2ms", f);
		if (k->type == NT_T_BYTES)
			fputs(", or a size such as 4k or 16MiB", f);
		if (k->pow2)
			fputs("; a power of two", f);
		if (k->max_from_dev)
			fputs("; or \\(lqmax\\(rq, the device's maximum", f);
		break;
	}
}

void knobs_write_man(FILE *f)
{
	char buf[16];

	for (size_t i = 0; i < _NT_KNOB_MAX; i++) {
		const struct nt_knob *k = &nt_knobs[i];

		fputs(".TP\n.B ", f);
		roff_text(f, k->key);
		fputs("\n", f);
		roff_text(f, k->help);
		fprintf(f, ".\n.br\nIn \\fB%s:\\fR, scope %s, type %s", section_of_scope[k->scope],
			nt_scope_to_string(k->scope), nt_type_to_string(k->type));
		if (k->unit)
			fprintf(f, ", unit %s", k->unit);
		fputs(".\n.br\nValues: ", f);
		write_values(f, k);
		if (k->kmin)
			fprintf(f, ".\n.br\nKernel: %s or later.\n", kver(k, buf, sizeof(buf)));
		else
			fputs(".\n.br\nKernel: any.\n", f);
	}
}

/* Also the source of this verb's options in napictl(8) and the bash completion. */
static const struct option knobs_options[] = {{"format", required_argument, NULL, 'f'}, {}};

static int verb_knobs_run(struct napictl *ctl, int argc, char **argv)
{
	const char *format = ctl->json ? "json" : "text";
	struct nt_json j;
	char buf[16];
	int c;

	bool want[_NT_KNOB_MAX] = {};
	bool filter = false;

	while ((c = getopt_long(argc, argv, "f:", knobs_options, NULL)) >= 0) {
		if (c != 'f')
			return napictl_usage_error(
				ctl, "usage: napictl knobs [--format=FORMAT] [KEY...]");
		format = optarg;
	}
	for (int i = optind; i < argc; i++) {
		const struct nt_knob *k = nt_knob_lookup(argv[i]);
		const char *sug;

		/* nt_knob_lookup() gives any well-formed net.* name the generic row */
		if (k == &nt_knobs[NT_KNOB_SYSCTL_ANY] && !streq(argv[i], k->key))
			k = NULL;
		if (!k) {
			sug = nt_knob_suggest(argv[i], -1);
			return napictl_usage_error(ctl, "no knob '%s' in the table%s%s%s", argv[i],
						   sug ? " (did you mean '" : "", sug ?: "",
						   sug ? "'?)" : "");
		}
		want[nt_knob_id(k)] = true;
		filter = true;
	}
	if (!filter)
		for (size_t i = 0; i < _NT_KNOB_MAX; i++)
			want[i] = true;
	if (streq(format, "json")) {
		nt_json_init(&j, stdout, ctl->pretty);
		nt_json_begin_array(&j);
		for (size_t i = 0; i < _NT_KNOB_MAX; i++) {
			const struct nt_knob *k = &nt_knobs[i];

			if (!want[i])
				continue;
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
			if (want[i] && i != NT_KNOB_SYSCTL_ANY)
				printf("%s\n", nt_knobs[i].key);
	} else if (streq(format, "markdown")) {
		printf("| key | scope | family | type | unit | kernel | description |\n"
		       "|---|---|---|---|---|---|---|\n");
		for (size_t i = 0; i < _NT_KNOB_MAX; i++) {
			const struct nt_knob *k = &nt_knobs[i];

			if (!want[i])
				continue;
			printf("| `%s` | %s | %s | %s | %s | %s | %s |\n", k->key,
			       nt_scope_to_string(k->scope), nt_fam_to_string(k->fam),
			       nt_type_to_string(k->type), k->unit ?: "", kver(k, buf, sizeof(buf)),
			       k->help);
		}
	} else if (streq(format, "man")) {
		if (filter)
			return napictl_usage_error(ctl, "--format=man writes the whole table");
		knobs_write_man(stdout);
	} else if (streq(format, "text")) {
		for (size_t i = 0; i < _NT_KNOB_MAX; i++) {
			const struct nt_knob *k = &nt_knobs[i];

			if (!want[i])
				continue;
			printf("%-32s %-7s %-13s %s\n", k->key, nt_scope_to_string(k->scope),
			       nt_fam_to_string(k->fam), k->help);
		}
	} else {
		return napictl_usage_error(
			ctl, "unknown format '%s' (text, json, markdown, words, man)", format);
	}
	return 0;
}

const struct verb verb_knobs = {
	.name = "knobs",
	.args = "[--format=text|json|markdown|words|man] [KEY...]",
	.summary = "list every knob napitune knows (the one table profiles use)",
	.help = "With KEY..., only those knobs. text: key, scope, family, help; json and\n"
		"markdown: every column (scope, family, type, unit, range, kernel, help);\n"
		"words: the keys, one a line; man: the entries of napitune-profile(5).\n",
	.run = verb_knobs_run,
	.options = knobs_options,
};
