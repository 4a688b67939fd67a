// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * gen-docs TEMPLATE: copies TEMPLATE to stdout, replacing @VERSION@, @SYSCONFDIR@ and
 * @DATADIR@ in any line, and every line that is exactly one of the directives below with
 * text made from napitune's own tables, so the man pages and the bash completion cannot
 * drift from the code:
 *
 *   @NAPICTL_OPTIONS@   napictl_options[] as man(7) .TP entries
 *   @NAPICTL_VERBS@     napictl_verbs[]: usage, summary, help, options
 *   @KNOBS@             nt_knobs[] (knobs.def), as `napictl knobs --format=man` prints it
 *   @DCONF_KEYS@        nt_dconf_keys[], the daemon's configuration keys
 *   @BASH_TABLES@       shell variables and functions for the bash completion
 *
 * Built and run at build time only (docs/meson.build); not installed.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "daemon-config.h"
#include "knob.h"
#include "macro.h"
#include "napictl.h"

static void write_subst(FILE *out, const char *line)
{
	static const struct {
		const char *name, *value;
	} vars[] = {
		{"@VERSION@", NAPITUNE_VERSION},
		{"@SYSCONFDIR@", NAPITUNE_SYSCONFDIR},
		{"@DATADIR@", NAPITUNE_DATADIR},
	};

	while (*line) {
		size_t i;

		for (i = 0; i < ARRAY_SIZE(vars); i++)
			if (strncmp(line, vars[i].name, strlen(vars[i].name)) == 0)
				break;
		if (i < ARRAY_SIZE(vars)) {
			fputs(vars[i].value, out);
			line += strlen(vars[i].name);
		} else {
			fputc(*line++, out);
		}
	}
}

/* A preformatted block (a verb's help): no filling, so its columns stay. */
static void write_nofill(FILE *out, const char *text)
{
	fputs(".nf\n", out);
	while (*text) {
		size_t n = strcspn(text, "\n");
		char *line = strndup(text, n);

		if (!line)
			exit(EXIT_FAILURE);
		if (n == 0)
			fputs(".sp\n", out);
		else {
			roff_text(out, line);
			fputc('\n', out);
		}
		free(line);
		text += n;
		if (*text == '\n')
			text++;
	}
	fputs(".fi\n", out);
}

/* @text as a sentence: a full stop after it unless it has one. */
static void write_sentence(FILE *out, const char *text)
{
	roff_text(out, text);
	fputs(*text && text[strlen(text) - 1] == '.' ? "\n" : ".\n", out);
}

/* The argument name a usage line gives "--NAME=" ("SEC" in "[--interval=SEC]"), or VALUE. */
static void write_arg_name(FILE *out, const char *args, const char *name)
{
	char pat[64];
	const char *p;

	snprintf(pat, sizeof(pat), "--%s=", name);
	p = strstr(args, pat);
	if (!p) {
		fputs("VALUE", out);
		return;
	}
	p += strlen(pat);
	fprintf(out, "%.*s", (int)strcspn(p, " ]"), p);
}

static void write_option_flags(FILE *out, const char *name, int shortopt, const char *arg)
{
	if (shortopt)
		fprintf(out, "\\fB\\-%c\\fR, ", shortopt);
	fputs("\\fB\\-\\-", out);
	roff_text(out, name);
	fputs("\\fR", out);
	if (arg) {
		fputs("=\\fI", out);
		roff_text(out, arg);
		fputs("\\fR", out);
	}
	fputc('\n', out);
}

static void write_napictl_options(FILE *out)
{
	for (size_t i = 0; i < napictl_n_options; i++) {
		const struct napictl_option *o = &napictl_options[i];

		fputs(".TP\n", out);
		write_option_flags(out, o->name, o->val < NAPICTL_OPT_LONG_ONLY ? o->val : 0,
				   o->arg);
		write_sentence(out, o->help);
	}
}

static void write_napictl_verbs(FILE *out)
{
	for (size_t i = 0; i < napictl_n_verbs; i++) {
		const struct verb *v = napictl_verbs[i];

		fputs(".SS \"", out);
		roff_text(out, v->name);
		fputs("\"\n.B napictl\n.RI [ OPTIONS ]\n.B ", out);
		roff_text(out, v->name);
		fputc('\n', out);
		if (*v->args) {
			roff_text(out, v->args);
			fputc('\n', out);
		}
		fputs(".PP\n", out);
		write_sentence(out, v->summary);
		if (v->help) {
			fputs(".PP\n", out);
			write_nofill(out, v->help);
		}
		if (v->options && v->options[0].name) {
			fputs(".PP\nOptions:", out);
			for (const struct option *o = v->options; o->name; o++) {
				fputs(o == v->options ? " \\fB\\-\\-" : ", \\fB\\-\\-", out);
				roff_text(out, o->name);
				fputs("\\fR", out);
				if (o->has_arg == required_argument) {
					fputs("=\\fI", out);
					write_arg_name(out, v->args, o->name);
					fputs("\\fR", out);
				}
			}
			fputs(".\n", out);
		}
	}
}

static void write_duration(FILE *out, uint64_t ns)
{
	if (ns % (3600ull * 1000000000) == 0)
		fprintf(out, "%lluh", (unsigned long long)(ns / (3600ull * 1000000000)));
	else if (ns % (60ull * 1000000000) == 0)
		fprintf(out, "%llumin", (unsigned long long)(ns / (60ull * 1000000000)));
	else if (ns % 1000000000 == 0)
		fprintf(out, "%llus", (unsigned long long)(ns / 1000000000));
	else
		fprintf(out, "%lluns", (unsigned long long)ns);
}

static void write_dconf_keys(FILE *out)
{
	for (size_t i = 0; i < nt_dconf_n_keys; i++) {
		const struct nt_dconf_key *k = &nt_dconf_keys[i];

		fputs(".TP\n\\fB", out);
		roff_text(out, k->key);
		fputs(":\\fR \\fI", out);
		roff_text(out, k->def);
		fputs("\\fR\n", out);
		write_sentence(out, k->help);
		fputs(".br\n", out);
		switch (k->type) {
		case NT_DCONF_PROFILE:
			fputs("A profile name, a path, or none.", out);
			break;
		case NT_DCONF_PATH:
			fputs("An absolute path, or none.", out);
			break;
		case NT_DCONF_ENUM:
			fputs("One of:", out);
			for (size_t j = 0; k->values[j]; j++) {
				fputs(j ? ", " : " ", out);
				roff_text(out, k->values[j]);
			}
			fputs(".", out);
			break;
		case NT_DCONF_DURATION:
			fputs("A duration (ms, s, min, h) from ", out);
			write_duration(out, k->min);
			fputs(" to ", out);
			write_duration(out, k->max);
			fputs(".", out);
			break;
		case NT_DCONF_UINT:
			fprintf(out, "A whole number from %llu to %llu.",
				(unsigned long long)k->min, (unsigned long long)k->max);
			break;
		default:
			break;
		}
		fputs(" Default: ", out);
		roff_text(out, k->def);
		fputs(".\n", out);
	}
}

/*
 * The words after "--NAME=" in a usage line ("[--format=text|json]"): the values to
 * complete if they are a '|' list; "DIR": directories; anything else: nothing.
 */
static void write_bash_values(FILE *out, const char *args, const char *name)
{
	char pat[64];
	const char *p;
	size_t n;

	snprintf(pat, sizeof(pat), "--%s=", name);
	p = strstr(args, pat);
	if (!p)
		return;
	p += strlen(pat);
	n = strcspn(p, " ]");
	if (n == 3 && strncmp(p, "DIR", 3) == 0) {
		fputs("@dir", out);
		return;
	}
	if (memchr(p, '|', n))
		for (size_t i = 0; i < n; i++)
			fputc(p[i] == '|' ? ' ' : p[i], out);
}

static void write_bash_tables(FILE *out)
{
	fputs("_napictl_verbs='", out);
	for (size_t i = 0; i < napictl_n_verbs; i++)
		fprintf(out, "%s%s", i ? " " : "", napictl_verbs[i]->name);
	fputs("'\n_napictl_global_opts='", out);
	for (size_t i = 0; i < napictl_n_options; i++) {
		const struct napictl_option *o = &napictl_options[i];

		fprintf(out, "%s--%s%s", i ? " " : "", o->name, o->arg ? "=" : "");
		if (o->val < NAPICTL_OPT_LONG_ONLY)
			fprintf(out, " -%c", o->val);
	}
	fputs("'\n# Global options that take a value (also as a separate word).\n"
	      "_napictl_global_with_arg='",
	      out);
	for (size_t i = 0, first = 1; i < napictl_n_options; i++)
		if (napictl_options[i].arg) {
			fprintf(out, "%s--%s", first ? "" : " ", napictl_options[i].name);
			first = 0;
		}
	fputs("'\n_napictl_knobs='", out);
	for (size_t i = 0, first = 1; i < _NT_KNOB_MAX; i++)
		if (i != NT_KNOB_SYSCTL_ANY) {
			fprintf(out, "%s%s", first ? "" : " ", nt_knobs[i].key);
			first = 0;
		}
	fputs("'\n\n# _napictl_verb VERB: sets opts (its options) and args (what its operands "
	      "are:\n"
	      "# profile, dev, knob or nothing).\n"
	      "_napictl_verb()\n{\n\topts='' args=''\n\tcase $1 in\n",
	      out);
	for (size_t i = 0; i < napictl_n_verbs; i++) {
		const struct verb *v = napictl_verbs[i];

		fprintf(out, "\t%s)\n\t\topts='--help", v->name);
		for (const struct option *o = v->options; o && o->name; o++)
			fprintf(out, " --%s%s", o->name,
				o->has_arg == required_argument ? "=" : "");
		fprintf(out, "'\n\t\targs=%s\n\t\t;;\n",
			strstr(v->args, "PROFILE") ? "profile"
			: strstr(v->args, "DEV")   ? "dev"
			: strstr(v->args, "KEY")   ? "knob"
						   : "");
	}
	fputs("\tesac\n}\n\n# _napictl_values VERB OPTION: the values of a verb's option ('@dir': "
	      "directories).\n_napictl_values()\n{\n\tcase $1:$2 in\n",
	      out);
	for (size_t i = 0; i < napictl_n_options; i++)
		if (napictl_options[i].arg) {
			fprintf(out, "\t:--%s) echo '", napictl_options[i].name);
			if (streq(napictl_options[i].arg, "DIR"))
				fputs("@dir", out);
			fputs("' ;;\n", out);
		}
	for (size_t i = 0; i < napictl_n_verbs; i++) {
		const struct verb *v = napictl_verbs[i];

		for (const struct option *o = v->options; o && o->name; o++)
			if (o->has_arg == required_argument) {
				fprintf(out, "\t%s:--%s) echo '", v->name, o->name);
				write_bash_values(out, v->args, o->name);
				fputs("' ;;\n", out);
			}
	}
	fputs("\tesac\n}\n", out);
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		void (*write)(FILE *out);
	} directives[] = {
		{"@NAPICTL_OPTIONS@", write_napictl_options},
		{"@NAPICTL_VERBS@", write_napictl_verbs},
		{"@KNOBS@", knobs_write_man},
		{"@DCONF_KEYS@", write_dconf_keys},
		{"@BASH_TABLES@", write_bash_tables},
	};
	char *line = NULL;
	size_t size = 0;
	ssize_t n;
	FILE *in;

	if (argc != 2) {
		fprintf(stderr, "usage: gen-docs TEMPLATE\n");
		return 2;
	}
	in = fopen(argv[1], "re");
	if (!in) {
		fprintf(stderr, "gen-docs: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	while ((n = getline(&line, &size, in)) >= 0) {
		size_t i;

		if (n > 0 && line[n - 1] == '\n')
			line[--n] = '\0';
		for (i = 0; i < ARRAY_SIZE(directives); i++)
			if (streq(line, directives[i].name))
				break;
		if (i < ARRAY_SIZE(directives))
			directives[i].write(stdout);
		else {
			write_subst(stdout, line);
			fputc('\n', stdout);
		}
	}
	free(line);
	fclose(in);
	return fflush(stdout) == 0 && !ferror(stdout) ? 0 : 1;
}
