// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sysctl.d files as systemd-sysctl reads them (sysctl.d(5)): /etc/sysctl.d, /run/sysctl.d,
 * /usr/local/lib/sysctl.d, /usr/lib/sysctl.d (and /lib/sysctl.d of a split /usr); a file
 * name in an earlier directory hides the same name in later ones, a link to /dev/null
 * masks it; files are read in the lexical order of their names, and a later assignment of
 * a name replaces an earlier one. A name may be a glob (written to every match), but an
 * explicit name beats a glob whatever the order, and "-name" alone exempts it from globs.
 * /etc/sysctl.conf is read last, as procps's "sysctl --system" does, unless a
 * 99-sysctl.conf (Debian's link to it) is among the files.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fs.h"
#include "ini.h"
#include "knob-fam.h"
#include "plan.h"
#include "writers.h"

static const char *const dirs[] = {
	"etc/sysctl.d",	    "run/sysctl.d", "usr/local/lib/sysctl.d",
	"usr/lib/sysctl.d", "lib/sysctl.d", NULL,
};

char *nt_sysctld_normalize(const char *name)
{
	char *s = strdup(name), *sep;

	if (!s)
		return NULL;
	sep = strpbrk(s, "./");
	if (sep && *sep == '.')
		for (char *p = s; *p; p++)
			*p = *p == '.' ? '/' : *p == '/' ? '.' : *p;
	return s;
}

static void entry_done(struct nt_sysctld_entry *e)
{
	free(e->name);
	free(e->setting);
	free(e->value);
	free(e->path);
}

void nt_sysctld_done(struct nt_sysctld *acc)
{
	for (size_t i = 0; i < acc->n; i++)
		entry_done(&acc->e[i]);
	free(acc->e);
	*acc = (struct nt_sysctld){};
}

struct parse_ud {
	struct nt_sysctld *acc;
	const char *path;
};

static int one(const char *section _unused_, const char *key, const char *value, unsigned int line,
	       void *userdata)
{
	struct parse_ud *u = userdata;
	struct nt_sysctld_entry e = {.line = line}, *v;
	bool dash = key[0] == '-';

	if (dash)
		key++;
	key += strspn(key, " \t");
	if (!*key || (!value && !dash))
		return 0; /* not an assignment: systemd-sysctl skips it */
	e.glob = strpbrk(key, "*?[") != NULL;
	if (!value && e.glob)
		return 0; /* "-glob" alone means nothing */
	e.name = nt_sysctld_normalize(key);
	e.path = strdup(u->path);
	e.value = value ? strdup(value) : NULL;
	if (value && asprintf(&e.setting, "%s%s = %s", dash ? "-" : "", key, value) < 0)
		e.setting = NULL;
	if (!e.name || !e.path || (value && (!e.value || !e.setting))) {
		entry_done(&e);
		return -ENOMEM;
	}
	v = realloc(u->acc->e, (u->acc->n + 1) * sizeof(*v));
	if (!v) {
		entry_done(&e);
		return -ENOMEM;
	}
	u->acc->e = v;
	v[u->acc->n++] = e;
	return 0;
}

int nt_sysctld_parse(struct nt_sysctld *acc, const char *path, const char *text)
{
	struct parse_ud u = {.acc = acc, .path = path};

	return nt_ini_parse(text, NT_INI_NO_SECTIONS | NT_INI_BARE_KEYS, one, &u);
}

static bool entry_matches(const struct nt_sysctld_entry *e, const char *name)
{
	return e->glob ? fnmatch(e->name, name, FNM_PATHNAME) == 0 : streq(e->name, name);
}

int nt_sysctld_writers(const struct nt_sysctld *acc, const char *name, const char *key,
		       const char *object, struct nt_writers *ws)
{
	_cleanup_free_ char *n = nt_sysctld_normalize(name);
	ssize_t eff = -1, last_glob = -1;
	int r;

	if (!n)
		return -ENOMEM;
	for (size_t i = 0; i < acc->n; i++) {
		if (!entry_matches(&acc->e[i], n))
			continue;
		if (acc->e[i].glob)
			last_glob = (ssize_t)i;
		else
			eff = (ssize_t)i;
	}
	if (eff < 0)
		eff = last_glob;
	for (size_t i = 0; i < acc->n; i++) {
		const struct nt_sysctld_entry *e = &acc->e[i];
		struct nt_writer w = {
			.kind = NT_WRITER_SYSCTLD,
			.source = e->path,
			.line = e->line,
			.key = (char *)key,
			.object = (char *)object,
			.setting = e->setting,
			.value = e->value,
			.overridden = (ssize_t)i != eff,
		};

		if (!e->value || !entry_matches(e, n))
			continue;
		r = nt_writers_add(ws, &w);
		if (r < 0)
			return r;
	}
	return 0;
}

static int read_all(const struct nt_root *root, struct nt_sysctld *acc)
{
	char **files = NULL;
	bool have_99 = false;
	int r;

	r = nt_writers_conf_files(root, dirs, ".conf", &files);
	if (r < 0)
		return r;
	for (char **f = files; *f && r >= 0; f++) {
		_cleanup_free_ char *text = NULL, *shown = NULL;
		const char *base = strrchr(*f, '/') + 1;

		have_99 |= streq(base, "99-sysctl.conf");
		if (nt_read_file(root, *f, &text, NULL) < 0)
			continue;
		if (asprintf(&shown, "/%s", *f) < 0)
			r = -ENOMEM;
		else
			r = nt_sysctld_parse(acc, shown, text);
	}
	nt_strv_free(files);
	if (r >= 0 && !have_99) {
		_cleanup_free_ char *text = NULL;

		if (nt_read_file(root, "etc/sysctl.conf", &text, NULL) >= 0)
			r = nt_sysctld_parse(acc, "/etc/sysctl.conf", text);
	}
	return r;
}

int nt_writers_sysctld(const struct nt_root *root, const struct nt_plan *plan,
		       struct nt_writers *ws)
{
	struct nt_sysctld acc = {};
	bool any = false;
	int r;

	for (size_t i = 0; i < plan->n && !any; i++)
		any = plan->c[i].knob->fam == NT_FAM_SYSCTL;
	if (!any)
		return 0;
	r = read_all(root, &acc);
	for (size_t i = 0; i < plan->n && r >= 0; i++) {
		const struct nt_change *c = &plan->c[i];
		_cleanup_free_ char *path = NULL;

		if (c->knob->fam != NT_FAM_SYSCTL || nt_knob_file(c->knob, &c->t, &path) < 0 ||
		    strncmp(path, "proc/sys/", 9) != 0)
			continue;
		r = nt_sysctld_writers(&acc, path + 9, c->key, c->object, ws);
	}
	nt_sysctld_done(&acc);
	return r;
}
