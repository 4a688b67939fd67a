// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The active tuned profile (tuned.conf(5), tuned-profiles(7)): /etc/tuned/active_profile
 * names one or more profiles (merged in that order); a profile is the first of
 * /etc/tuned/profiles/NAME, /etc/tuned/NAME, /usr/lib/tuned/profiles/NAME and
 * /usr/lib/tuned/NAME holding a tuned.conf; "[main] include=" profiles load first and the
 * including profile's options replace theirs. A section is a plugin instance of the type
 * its "type=" names, else of its own name; "enabled=false" turns it off. What writes our
 * values:
 *   [sysctl]     name=value, a sysctl;
 *   [sysfs]      /sys/path=value, globs allowed: device, queue files;
 *   [net]        ring=, channels=, coalesce=, features= in ethtool's words, for the
 *                devices in devices= (all when absent);
 *   [scheduler]  isolated_cores= moves IRQs off those CPUs (unless irq_process=false);
 *   [irqbalance] banned_cpus= has irqbalance keep IRQs off them;
 *   [irq]        affinity= pins IRQs.
 * Values written with tuned's ${variables} or ${f:functions} are reported as written.
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
#include "parse-util.h"
#include "plan.h"
#include "writers.h"

/* Profiles of one chain at most (tuned has no limit; this bounds a hostile tree). */
#define INCLUDE_MAX 32

static const char *const profile_dirs[] = {
	"etc/tuned/profiles", "etc/tuned", "usr/lib/tuned/profiles", "usr/lib/tuned", NULL,
};

/* The value of @key in @section (the last one), or NULL. */
static const char *section_get(const struct nt_ini *ini, const char *section, const char *key)
{
	const char *v = NULL;

	for (size_t i = 0; i < ini->n; i++)
		if (streq(ini->e[i].section, section) && streq(ini->e[i].key, key))
			v = ini->e[i].value;
	return v;
}

static bool is_false(const char *v)
{
	bool b;

	return v && nt_parse_bool(v, &b) >= 0 && !b;
}

/* Does the "word value word value" list @v name @word (ethtool -G/-L/-C/-K words)? */
static bool names_word(const char *v, const char *word)
{
	size_t l = strlen(word);
	bool even = true;

	for (const char *p = v + strspn(v, " \t"); *p; even = !even) {
		size_t n = strcspn(p, " \t");

		if (even && n == l && strncmp(p, word, l) == 0)
			return true;
		p += n;
		p += strspn(p, " \t");
	}
	return false;
}

/* [net]: the ethtool words of @option that set knob @key. */
static bool net_sets(const char *option, const char *value, const char *key)
{
	static const char *const map[][3] = {
		{"ring", "rx", "rings.rx"},
		{"ring", "tx", "rings.tx"},
		{"channels", "rx", "channels.rx"},
		{"channels", "tx", "channels.tx"},
		{"channels", "combined", "channels.combined"},
		{"coalesce", "rx-usecs", "coalesce.rx-usecs"},
		{"coalesce", "rx-frames", "coalesce.rx-frames"},
		{"coalesce", "tx-usecs", "coalesce.tx-usecs"},
		{"coalesce", "tx-frames", "coalesce.tx-frames"},
		{"coalesce", "adaptive-rx", "coalesce.adaptive-rx"},
		{"coalesce", "adaptive-tx", "coalesce.adaptive-tx"},
		{"features", "gro", "gro"},
		{"features", "generic-receive-offload", "gro"},
	};

	for (size_t i = 0; i < ARRAY_SIZE(map); i++)
		if (streq(option, map[i][0]) && streq(key, map[i][2]) &&
		    names_word(value, map[i][1]))
			return true;
	return false;
}

/* devices= of a [net] instance: comma or space separated names or globs; absent: all. */
static bool device_listed(const char *devices, const char *ifname)
{
	_cleanup_free_ char *copy = NULL;
	char *save = NULL;

	if (!devices)
		return true;
	copy = strdup(devices);
	if (!copy)
		return false;
	for (char *t = strtok_r(copy, ", \t", &save); t; t = strtok_r(NULL, ", \t", &save))
		if (fnmatch(t, ifname, 0) == 0)
			return true;
	return false;
}

/* Does option @e of a section of @type write change @c? */
static bool option_writes(const struct nt_ini *ini, const struct nt_ini_entry *e, const char *type,
			  const struct nt_change *c)
{
	enum nt_fam f = c->knob->fam;

	if (!e->value)
		return false;
	if (streq(type, "sysctl")) {
		_cleanup_free_ char *path = NULL, *a = NULL;

		if (f != NT_FAM_SYSCTL || nt_knob_file(c->knob, &c->t, &path) < 0 ||
		    strncmp(path, "proc/sys/", 9) != 0)
			return false;
		a = nt_sysctld_normalize(e->key);
		return a && streq(a, path + 9);
	}
	if (streq(type, "sysfs")) {
		_cleanup_free_ char *path = NULL, *full = NULL;

		if ((f != NT_FAM_DEVSYSFS && f != NT_FAM_QUEUE) ||
		    nt_knob_file(c->knob, &c->t, &path) < 0 || asprintf(&full, "/%s", path) < 0)
			return false;
		return fnmatch(e->key, full, FNM_PATHNAME) == 0;
	}
	if (streq(type, "net"))
		return c->ifname &&
		       device_listed(section_get(ini, e->section, "devices"), c->ifname) &&
		       net_sets(e->key, e->value, c->key);
	if (f != NT_FAM_IRQ)
		return false;
	if (streq(type, "scheduler"))
		return streq(e->key, "isolated_cores") &&
		       !is_false(section_get(ini, e->section, "irq_process"));
	if (streq(type, "irqbalance"))
		return streq(e->key, "banned_cpus");
	if (streq(type, "irq"))
		return streq(e->key, "affinity");
	return false;
}

int nt_tuned_writers(const struct nt_ini *ini, const char *path, const char *profile,
		     const struct nt_plan *plan, struct nt_writers *ws)
{
	const char *section = NULL, *type = NULL;
	_cleanup_free_ char *detail = NULL;
	bool off = false;
	int r;

	if (asprintf(&detail, "profile '%s'", profile) < 0)
		return -ENOMEM;

	for (size_t i = 0; i < ini->n; i++) {
		const struct nt_ini_entry *e = &ini->e[i];
		_cleanup_free_ char *setting = NULL;

		/* a section's entries are mostly consecutive: look its type up once per run */
		if (!section || !streq(section, e->section)) {
			section = e->section;
			type = section_get(ini, section, "type") ?: section;
			off = is_false(section_get(ini, section, "enabled"));
		}
		if (off || streq(e->section, "main") || streq(e->key, "type") ||
		    streq(e->key, "enabled") || streq(e->key, "devices") ||
		    streq(e->key, "replace"))
			continue;
		for (size_t k = 0; k < plan->n; k++) {
			const struct nt_change *c = &plan->c[k];
			struct nt_writer w = {.kind = NT_WRITER_TUNED,
					      .source = (char *)path,
					      .line = e->line,
					      .key = c->key,
					      .object = c->object,
					      .ifname = c->ifname,
					      .value = e->value,
					      .detail = detail};

			if (!option_writes(ini, e, type, c))
				continue;
			if (!setting &&
			    asprintf(&setting, "[%s] %s=%s", e->section, e->key, e->value) < 0)
				return -ENOMEM;
			w.setting = setting;
			r = nt_writers_add(ws, &w);
			if (r < 0)
				return r;
		}
	}
	return 0;
}

int nt_tuned_includes(const struct nt_ini *ini, char ***ret)
{
	const char *inc = section_get(ini, "main", "include");
	_cleanup_free_ char *copy = NULL;
	char **v = calloc(1, sizeof(char *)), *save = NULL;
	size_t n = 0;

	if (!v)
		return -ENOMEM;
	copy = inc ? strdup(inc) : NULL;
	if (inc && !copy) {
		free(v);
		return -ENOMEM;
	}
	for (char *t = copy ? strtok_r(copy, ", \t", &save) : NULL; t;
	     t = strtok_r(NULL, ", \t", &save)) {
		char **nv;

		if (strchr(t, '$') || strchr(t, '/') || streq(t, ".") || streq(t, ".."))
			continue; /* a tuned variable or function, or not a profile name */
		nv = realloc(v, (n + 2) * sizeof(*nv));
		if (!nv || !(nv[n] = strdup(t))) {
			nt_strv_free(nv ?: v);
			return -ENOMEM;
		}
		v = nv;
		v[++n] = NULL;
	}
	*ret = v;
	return 0;
}

struct chain {
	const struct nt_root *root;
	const struct nt_plan *plan;
	struct nt_writers *ws;
	char *seen[INCLUDE_MAX]; /* profiles loaded or being loaded: each is loaded once */
	size_t n_seen;
};

/* Loads @name and, first, what it includes (tuned's merge order). */
static int load_profile(struct chain *ch, const char *name)
{
	_cleanup_free_ char *text = NULL, *rel = NULL, *shown = NULL;
	struct nt_ini ini = {};
	char **inc = NULL;
	int r;

	if (strchr(name, '/') || streq(name, ".") || streq(name, "..") || ch->n_seen >= INCLUDE_MAX)
		return 0;
	for (size_t i = 0; i < ch->n_seen; i++)
		if (streq(ch->seen[i], name))
			return 0; /* loaded already, or an include loop */
	ch->seen[ch->n_seen] = strdup(name);
	if (!ch->seen[ch->n_seen])
		return -ENOMEM;
	ch->n_seen++;
	for (const char *const *d = profile_dirs; *d && !text; d++) {
		free(rel);
		if (asprintf(&rel, "%s/%s/tuned.conf", *d, name) < 0)
			return -ENOMEM;
		if (nt_read_file(ch->root, rel, &text, NULL) < 0)
			text = NULL;
	}
	if (!text)
		return 0; /* tuned would refuse the profile: nothing of it is applied */
	if (asprintf(&shown, "/%s", rel) < 0)
		return -ENOMEM;
	r = nt_ini_load(text, 0, &ini);
	if (r < 0)
		return r;
	r = nt_tuned_includes(&ini, &inc);
	for (char **p = inc; r >= 0 && p && *p; p++)
		r = load_profile(ch, *p);
	nt_strv_free(inc);
	if (r >= 0)
		r = nt_tuned_writers(&ini, shown, name, ch->plan, ch->ws);
	nt_ini_done(&ini);
	return r;
}

/*
 * "[net] ring=rx 4096" and "[net] ring=rx 512": the same plugin instance, which tuned merges
 * across the chain, the later profile's options replacing the earlier's.
 */
static bool same_section(const char *a, const char *b)
{
	size_t l = strcspn(a, "]");

	return l == strcspn(b, "]") && strncmp(a, b, l) == 0;
}

int nt_writers_tuned(const struct nt_root *root, const struct nt_plan *plan, struct nt_writers *ws)
{
	_cleanup_free_ char *active = NULL;
	struct chain ch = {.root = root, .plan = plan, .ws = ws};
	size_t first = ws->n;
	char *save = NULL;
	int r = 0;

	if (nt_read_line(root, "etc/tuned/active_profile", &active) < 0)
		return 0; /* no tuned, or no profile active */
	for (char *t = strtok_r(active, " \t", &save); t && r >= 0;
	     t = strtok_r(NULL, " \t", &save))
		r = load_profile(&ch, t);
	for (size_t i = 0; i < ch.n_seen; i++)
		free(ch.seen[i]);
	if (r < 0)
		return r;
	/* A later profile's setting of the same value replaces an earlier one's. */
	for (size_t i = first; i < ws->n; i++)
		for (size_t k = i + 1; k < ws->n && !ws->w[i].overridden; k++)
			ws->w[i].overridden = streq(ws->w[i].key, ws->w[k].key) &&
					      streq(ws->w[i].object, ws->w[k].object) &&
					      same_section(ws->w[i].setting, ws->w[k].setting);
	return 0;
}
