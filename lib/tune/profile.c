// SPDX-License-Identifier: GPL-2.0-or-later
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <inttypes.h>
#include <limits.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <yaml.h>

#include "config.h"
#include "lint.h"
#include "parse-util.h"
#include "profile.h"
#include "string-table.h"
#include "yaml-util.h"

static const char *const nt_irqbalance_mode_table[_NT_IRQBALANCE_MAX] = {
	[NT_IRQBALANCE_UNSET] = "unset",   [NT_IRQBALANCE_BAN] = "ban",
	[NT_IRQBALANCE_STOP] = "stop",	   [NT_IRQBALANCE_REFUSE] = "refuse",
	[NT_IRQBALANCE_IGNORE] = "ignore",
};

DEFINE_STRING_TABLE_LOOKUP(nt_irqbalance_mode, enum nt_irqbalance_mode);

static void setting_done(struct nt_setting *s)
{
	free(s->name);
	free(s->value);
	nt_cpuspec_done(&s->cpus);
	free(s->where);
}

struct nt_profile *nt_profile_free(struct nt_profile *p)
{
	if (!p)
		return NULL;
	for (size_t i = 0; i < p->n_sysctls; i++)
		setting_done(&p->sysctls[i]);
	free(p->sysctls);
	for (size_t i = 0; i < p->n_blocks; i++) {
		struct nt_devblock *b = &p->blocks[i];

		nt_devmatch_done(&b->match);
		for (size_t j = 0; j < b->n_settings; j++)
			setting_done(&b->settings[j]);
		free(b->settings);
		free(b->where);
	}
	free(p->blocks);
	free(p->name);
	free(p->description);
	free(p->path);
	free(p);
	return NULL;
}

/* ---- search path ---- */

const char *const *nt_profile_dirs(void)
{
	static const char *dirs[17];
	static char *buf;
	const char *env = getenv("NAPITUNE_PROFILE_PATH");
	size_t n = 0;

	if (dirs[0])
		return dirs;
	if (env && *env && (buf = strdup(env))) {
		for (char *save = NULL, *t = strtok_r(buf, ":", &save); t && n < 16;
		     t = strtok_r(NULL, ":", &save))
			dirs[n++] = t;
	}
	if (n == 0) {
		dirs[n++] = NAPITUNE_SYSCONFDIR "/profiles";
		dirs[n++] = NAPITUNE_DATADIR "/profiles";
	}
	dirs[n] = NULL;
	return dirs;
}

static bool is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && streq(s + a - b, suffix);
}

int nt_profile_find(const char *name_or_path, const char *const *dirs, char **ret_path,
		    struct nt_err *reterr)
{
	char *p;

	if (!*name_or_path)
		return nt_err_set(reterr, -EINVAL, "empty profile name");
	if (strchr(name_or_path, '/') || is_file(name_or_path)) {
		if (!is_file(name_or_path))
			return nt_err_set(reterr, -ENOENT, "profile file '%s' does not exist",
					  name_or_path);
		p = strdup(name_or_path);
		if (!p)
			return -ENOMEM;
		*ret_path = p;
		return 0;
	}
	for (size_t i = 0; dirs && dirs[i]; i++) {
		if (asprintf(&p, "%s/%s%s", dirs[i], name_or_path,
			     ends_with(name_or_path, ".yaml") ? "" : ".yaml") < 0)
			return -ENOMEM;
		if (is_file(p)) {
			*ret_path = p;
			return 0;
		}
		free(p);
	}
	{
		char searched[1024] = "";

		for (size_t i = 0; dirs && dirs[i]; i++)
			snprintf(searched + strlen(searched), sizeof(searched) - strlen(searched),
				 "%s%s", i ? ", " : "", dirs[i]);
		return nt_err_set(reterr, -ENOENT, "no profile '%s' (searched %s)", name_or_path,
				  searched[0] ? searched : "nothing");
	}
}

/* ---- YAML ---- */

struct loader {
	struct nt_yaml y; /* first: the pair callbacks get &l->y */
	struct nt_profile *p;
	const char *const *dirs;
	const char *stack[NT_PROFILE_INCLUDE_MAX + 1];
	unsigned int depth;
};

#define ALIAS_FIX "in profiles (write the value out, or use include:)"

static struct loader *loader_of(struct nt_yaml *y)
{
	return (struct loader *)y;
}

#define ERR(l, node, fmt, ...)	nt_yaml_err(&(l)->y, node, fmt, ##__VA_ARGS__)
#define WARN(l, node, fmt, ...) nt_yaml_warn(&(l)->y, node, fmt, ##__VA_ARGS__)
#define scalar			nt_yaml_scalar
#define node_kind		nt_yaml_node_kind

/* Scalar or list of scalars joined by @sep (tcp_rmem [a, b, c], CPU lists [0, 2]). */
static char *scalar_or_list(struct loader *l, const yaml_node_t *n, const char *key,
			    const char *sep)
{
	char *out = NULL;
	size_t len = 0;

	if (n->type == YAML_SCALAR_NODE)
		return strdup(scalar(n));
	if (n->type != YAML_SEQUENCE_NODE) {
		ERR(l, n, "'%s' expects a value, not %s", key, node_kind(n));
		return NULL;
	}
	for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
	     it++) {
		yaml_node_t *e = yaml_document_get_node(l->y.doc, *it);
		size_t el;
		char *o;

		if (!e || !scalar(e)) {
			ERR(l, e ?: n, "'%s' list items must be scalars", key);
			free(out);
			return NULL;
		}
		el = strlen(scalar(e));
		o = realloc(out, len + el + strlen(sep) + 1);
		if (!o) {
			free(out);
			return NULL;
		}
		out = o;
		if (len) {
			strcpy(out + len, sep);
			len += strlen(sep);
		}
		memcpy(out + len, scalar(e), el + 1);
		len += el;
	}
	if (!out)
		ERR(l, n, "'%s' is an empty list", key);
	return out;
}

/* The profile section of each scope: the top-level 'sysctl:', or a devices entry's. */
static const char *const scope_section_table[_NT_SCOPE_MAX] = {
	[NT_SCOPE_GLOBAL] = "sysctl", [NT_SCOPE_DEV] = "device", [NT_SCOPE_QUEUE] = "queues",
	[NT_SCOPE_IRQ] = "irqs",      [NT_SCOPE_NAPI] = "napi",
};

DEFINE_PRIVATE_STRING_TABLE_LOOKUP(scope_section, enum nt_scope);

/* Parses one knob value into @s; false on error (reported). */
static bool parse_setting(struct loader *l, const yaml_node_t *key, const char *name,
			  const struct nt_knob *k, yaml_node_t *v, struct nt_setting *s)
{
	struct nt_err e = {};
	int r;

	*s = (struct nt_setting){.knob = k};
	s->name = strdup(name);
	s->where = nt_yaml_where(&l->y, key);
	if (!s->name || !s->where)
		goto fail;
	if (k->type == NT_T_CPUMASK || k->type == NT_T_CPULIST) {
		_cleanup_free_ char *text = NULL;
		bool spread = false;
		yaml_node_t *val = v;

		if (v->type == YAML_MAPPING_NODE) {
			yaml_node_pair_t *pr = v->data.mapping.pairs.start;
			yaml_node_t *pk;

			if (v->data.mapping.pairs.top - pr != 1 ||
			    !(pk = yaml_document_get_node(l->y.doc, pr->key)) || !scalar(pk) ||
			    !streq(scalar(pk), "spread")) {
				ERR(l, v,
				    "'%s' takes a CPU expression or { spread: CPU expression }",
				    name);
				goto fail;
			}
			if (k->scope != NT_SCOPE_QUEUE && k->scope != NT_SCOPE_IRQ) {
				ERR(l, v,
				    "'spread' applies to per-queue and per-IRQ CPU sets, not '%s'",
				    name);
				goto fail;
			}
			spread = true;
			val = yaml_document_get_node(l->y.doc, pr->value);
			if (!val)
				goto fail;
		}
		text = scalar_or_list(l, val, name, ",");
		if (!text)
			goto fail;
		r = nt_cpuspec_parse(text, spread, &s->cpus, &e);
		if (r < 0) {
			ERR(l, val, "'%s': %s", name, nt_err_msg(&e, r));
			goto fail;
		}
		for (size_t i = 0; i < s->cpus.n; i++)
			if (s->cpus.terms[i].kind == NT_CPUTERM_IRQ && k->fam != NT_FAM_KTHREAD) {
				ERR(l, val,
				    "'irq' in a CPU expression is only for napi.kthread-cpus");
				goto fail;
			}
		return true;
	}
	if (k->type == NT_T_RSS_INDIR && v->type == YAML_MAPPING_NODE) {
		/*
		 * { equal: N } or { weights: [W0, W1, ...] } -> "equal N", "weights W0 W1";
		 * { cpus: CPUs } -> "cpus CPUs" (below).
		 */
		yaml_node_pair_t *pr = v->data.mapping.pairs.start;
		_cleanup_free_ char *list = NULL, *text = NULL;
		yaml_node_t *pk, *pv;

		if (v->data.mapping.pairs.top - pr != 1 ||
		    !(pk = yaml_document_get_node(l->y.doc, pr->key)) || !scalar(pk) ||
		    !(streq(scalar(pk), "equal") || streq(scalar(pk), "weights") ||
		      streq(scalar(pk), "cpus")) ||
		    !(pv = yaml_document_get_node(l->y.doc, pr->value))) {
			ERR(l, v,
			    "'%s' takes { equal: N }, { weights: [W0, W1, ...] } or "
			    "{ cpus: CPUs }",
			    name);
			goto fail;
		}
		if (streq(scalar(pk), "cpus")) {
			/*
			 * The queues whose IRQs sit on these CPUs, resolved on the topology by
			 * the plan ("queues Q..."); kept as "cpus EXPR" until then.
			 */
			list = scalar_or_list(l, pv, name, ",");
			if (!list)
				goto fail;
			r = nt_cpuspec_parse(list, false, &s->cpus, &e);
			if (r < 0) {
				ERR(l, pv, "'%s': %s", name, nt_err_msg(&e, r));
				goto fail;
			}
			for (size_t i = 0; i < s->cpus.n; i++)
				if (s->cpus.terms[i].kind == NT_CPUTERM_IRQ) {
					ERR(l, pv,
					    "'irq' in a CPU expression is only for "
					    "napi.kthread-cpus");
					goto fail;
				}
			if (asprintf(&s->value, "cpus %s", list) < 0) {
				s->value = NULL;
				goto fail;
			}
			return true;
		}
		if (streq(scalar(pk), "equal") && pv->type != YAML_SCALAR_NODE) {
			ERR(l, pv, "'%s': 'equal' takes one queue count", name);
			goto fail;
		}
		list = scalar_or_list(l, pv, name, " ");
		if (!list || asprintf(&text, "%s %s", scalar(pk), list) < 0) {
			text = NULL;
			goto fail;
		}
		r = nt_knob_parse(k, text, &s->value, &e);
		if (r < 0) {
			ERR(l, pv, "'%s': %s", name, nt_err_msg(&e, r));
			goto fail;
		}
		return true;
	}
	{
		_cleanup_free_ char *text = scalar_or_list(l, v, name, " ");

		if (!text)
			goto fail;
		if (k->type != NT_T_TRIPLE && k->type != NT_T_RAW && k->type != NT_T_RSS_INDIR &&
		    v->type != YAML_SCALAR_NODE) {
			ERR(l, v, "'%s' expects a single value, not a list", name);
			goto fail;
		}
		r = nt_knob_parse(k, text, &s->value, &e);
		if (r < 0) {
			ERR(l, v, "'%s': %s", name, nt_err_msg(&e, r));
			goto fail;
		}
	}
	return true;
fail:
	setting_done(s);
	return false;
}

static bool add_setting(struct nt_setting **v, size_t *n, struct nt_setting *s)
{
	struct nt_setting *nv = realloc(*v, (*n + 1) * sizeof(**v));

	if (!nv) {
		setting_done(s);
		return false;
	}
	*v = nv;
	nv[(*n)++] = *s;
	return true;
}

static void sysctl_pair(struct nt_yaml *y, const yaml_node_t *key, const char *name, yaml_node_t *v,
			void *userdata _unused_)
{
	struct loader *l = loader_of(y);
	const struct nt_knob *k = nt_knob_lookup(name);
	struct nt_setting s;

	if (!k) {
		const char *sug = nt_knob_suggest(name, NT_SCOPE_GLOBAL);

		if (strncmp(name, "net.", 4) != 0 && strchr(name, '.') && !strchr(name, '/') &&
		    !strstr(name, ".."))
			ERR(l, key,
			    "sysctl '%s' is outside net.*: napitune only changes network sysctls",
			    name);
		else if (sug)
			ERR(l, key, "unknown key '%s' (did you mean '%s'?)", name, sug);
		else
			ERR(l, key, "'%s' is not a valid net.* sysctl name", name);
		return;
	}
	if (k->scope != NT_SCOPE_GLOBAL) {
		ERR(l, key, "'%s' is a per-%s knob; put it under '%s:' in a devices entry", name,
		    nt_scope_to_string(k->scope), scope_section_to_string(k->scope));
		return;
	}
	if (parse_setting(l, key, name, k, v, &s))
		(void)add_setting(&l->p->sysctls, &l->p->n_sysctls, &s);
}

struct section_ud {
	struct nt_devblock *b;
	enum nt_scope scope;
};

static void section_pair(struct nt_yaml *y, const yaml_node_t *key, const char *name,
			 yaml_node_t *v, void *userdata)
{
	struct loader *l = loader_of(y);
	struct section_ud *u = userdata;
	const struct nt_knob *k = nt_knob_lookup(name);
	struct nt_setting s;

	if (!k || k->fam == NT_FAM_SYSCTL) {
		const char *sug = nt_knob_suggest(name, (int)u->scope);

		if (k)
			ERR(l, key, "'%s' is a global sysctl; put it under the top-level 'sysctl:'",
			    name);
		else if (sug)
			ERR(l, key, "unknown key '%s' (did you mean '%s'?)", name, sug);
		else if ((sug = nt_knob_suggest(name, -1)))
			ERR(l, key, "unknown key '%s' (did you mean '%s'?)", name, sug);
		else
			ERR(l, key, "unknown key '%s' in '%s:'", name,
			    scope_section_to_string(u->scope));
		return;
	}
	if (k->scope != u->scope) {
		ERR(l, key, "'%s' is a per-%s knob; put it under '%s:', not '%s:'", name,
		    nt_scope_to_string(k->scope), scope_section_to_string(k->scope),
		    scope_section_to_string(u->scope));
		return;
	}
	if (parse_setting(l, key, name, k, v, &s))
		(void)add_setting(&u->b->settings, &u->b->n_settings, &s);
}

static bool add_str(char ***v, size_t *n, const char *s)
{
	char **nv = realloc(*v, (*n + 1) * sizeof(**v));

	if (!nv)
		return false;
	*v = nv;
	nv[*n] = strdup(s);
	if (!nv[*n])
		return false;
	(*n)++;
	return true;
}

static void match_names(struct loader *l, yaml_node_t *n, struct nt_devmatch *m, bool is_driver)
{
	yaml_node_item_t one, *start, *top;

	if (n->type == YAML_SCALAR_NODE) {
		one = 0;
		start = &one;
		top = start + 1;
	} else if (n->type == YAML_SEQUENCE_NODE) {
		start = n->data.sequence.items.start;
		top = n->data.sequence.items.top;
		if (start == top)
			ERR(l, n, "empty %s list", is_driver ? "driver" : "name");
	} else {
		ERR(l, n, "'%s' must be a string or a list of strings, not %s",
		    is_driver ? "driver" : "name", node_kind(n));
		return;
	}
	for (yaml_node_item_t *it = start; it < top; it++) {
		yaml_node_t *e =
			n->type == YAML_SCALAR_NODE ? n : yaml_document_get_node(l->y.doc, *it);
		const char *s = e ? scalar(e) : NULL;

		if (!s) {
			ERR(l, e ?: n, "device match entries must be strings");
			continue;
		}
		if (is_driver) {
			bool ok = *s && strlen(s) < 64;

			for (const char *c = s; *c; c++)
				if (!isalnum((unsigned char)*c) && *c != '_' && *c != '-')
					ok = false;
			if (!ok) {
				ERR(l, e, "invalid driver name '%s'", s);
				continue;
			}
			(void)add_str(&m->drivers, &m->n_drivers, s);
		} else {
			const char *g = s[0] == '!' ? s + 1 : s;

			if (strchr(g, '/'))
				ERR(l, e, "device name '%s' contains '/'", s);
			else if (streq(g, "..") || streq(g, ".") || strstr(g, ".."))
				ERR(l, e, "device name '%s' is not a device name ('.' or '..')", s);
			else if (!nt_ifname_valid(g))
				ERR(l, e,
				    "device name '%s' is not valid (1-%d printable characters, no "
				    "spaces or ':')",
				    s, IF_NAMESIZE - 1);
			else
				(void)add_str(&m->names, &m->n_names, s);
		}
	}
}

static void match_pair(struct nt_yaml *y, const yaml_node_t *key, const char *name, yaml_node_t *v,
		       void *userdata)
{
	struct loader *l = loader_of(y);
	static const char *const known[] = {"name", "driver", "physical", NULL};
	struct nt_devmatch *m = userdata;
	bool b;

	if (streq(name, "name")) {
		match_names(l, v, m, false);
	} else if (streq(name, "driver")) {
		match_names(l, v, m, true);
	} else if (streq(name, "physical")) {
		if (!scalar(v) || nt_parse_bool(scalar(v), &b) < 0)
			ERR(l, v, "'physical' must be true or false");
		else
			m->physical = b;
	} else {
		nt_yaml_unknown_key(&l->y, key, known, "match");
	}
}

static void parse_match(struct loader *l, yaml_node_t *n, struct nt_devmatch *m)
{
	const char *s = scalar(n);

	m->physical = -1;
	if (s && streq(s, "all")) {
		m->all = true;
	} else if (s && streq(s, "physical")) {
		m->all = true;
		m->physical = 1;
	} else if (n->type == YAML_MAPPING_NODE) {
		nt_yaml_for_pairs(&l->y, n, match_pair, m);
		if (!m->n_names && !m->n_drivers && m->physical < 0)
			ERR(l, n, "empty match: say 'all', 'physical', names or drivers");
	} else {
		match_names(l, n, m, false);
	}
	if (s) {
		m->text = strdup(s);
		return;
	}
	/* "eth*, !eth9, driver ixgbe, physical" for messages */
	m->text = strdup("");
	for (size_t i = 0; m->text && i < m->n_names + m->n_drivers + 1; i++) {
		const char *part = i < m->n_names		   ? m->names[i]
				   : i < m->n_names + m->n_drivers ? m->drivers[i - m->n_names]
				   : m->physical == 1		   ? "physical"
				   : m->physical == 0		   ? "virtual"
								   : NULL;
		char *t;

		if (!part)
			continue;
		if (asprintf(&t, "%s%s%s%s", m->text, m->text[0] ? ", " : "",
			     i >= m->n_names && i < m->n_names + m->n_drivers ? "driver " : "",
			     part) < 0)
			t = NULL;
		free(m->text);
		m->text = t;
	}
}

struct block_ud {
	struct nt_devblock *b;
	bool have_match;
};

static void block_pair(struct nt_yaml *y, const yaml_node_t *key, const char *name, yaml_node_t *v,
		       void *userdata)
{
	struct loader *l = loader_of(y);
	static const char *const known[] = {"match",  "required", "device", "napi",
					    "queues", "irqs",	  NULL};
	struct block_ud *u = userdata;
	struct section_ud su = {.b = u->b};
	int scope;
	bool b;

	if (streq(name, "match")) {
		parse_match(l, v, &u->b->match);
		u->have_match = true;
		return;
	}
	if (streq(name, "required")) {
		if (!scalar(v) || nt_parse_bool(scalar(v), &b) < 0)
			ERR(l, v, "'required' must be true or false");
		else
			u->b->required = b;
		return;
	}
	scope = scope_section_from_string(name);
	if (scope > NT_SCOPE_GLOBAL) { /* 'sysctl:' is top-level only */
		su.scope = (enum nt_scope)scope;
	} else {
		const struct nt_knob *k = nt_knob_lookup(name);

		if (k && k->scope != NT_SCOPE_GLOBAL)
			ERR(l, key, "'%s' belongs under '%s:' in this devices entry", name,
			    scope_section_to_string(k->scope));
		else
			nt_yaml_unknown_key(&l->y, key, known, "a devices entry");
		return;
	}
	if (nt_yaml_expect(&l->y, v, YAML_MAPPING_NODE, name))
		nt_yaml_for_pairs(&l->y, v, section_pair, &su);
}

static void parse_devices(struct loader *l, yaml_node_t *n)
{
	if (!nt_yaml_expect(&l->y, n, YAML_SEQUENCE_NODE, "'devices'"))
		return;
	for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
	     it++) {
		yaml_node_t *e = yaml_document_get_node(l->y.doc, *it);
		struct nt_devblock *nb;
		struct block_ud u = {};

		if (!e || !nt_yaml_expect(&l->y, e, YAML_MAPPING_NODE, "a devices entry"))
			continue;
		nb = realloc(l->p->blocks, (l->p->n_blocks + 1) * sizeof(*nb));
		if (!nb)
			return;
		l->p->blocks = nb;
		u.b = &nb[l->p->n_blocks++];
		*u.b = (struct nt_devblock){.match.physical = -1, .where = nt_yaml_where(&l->y, e)};
		nt_yaml_for_pairs(&l->y, e, block_pair, &u);
		if (!u.have_match)
			ERR(l, e, "devices entry has no 'match:'");
	}
}

static int load_file(struct loader *parent, const char *path, const yaml_node_t *from);

static void parse_include(struct loader *l, yaml_node_t *n)
{
	yaml_node_item_t one = 0, *start = &one, *top = &one + 1;

	if (n->type == YAML_SEQUENCE_NODE) {
		start = n->data.sequence.items.start;
		top = n->data.sequence.items.top;
	} else if (n->type != YAML_SCALAR_NODE) {
		ERR(l, n, "'include' must be a profile name or a list of them");
		return;
	}
	for (yaml_node_item_t *it = start; it < top; it++) {
		yaml_node_t *e =
			n->type == YAML_SCALAR_NODE ? n : yaml_document_get_node(l->y.doc, *it);
		const char *s = e ? scalar(e) : NULL;
		_cleanup_free_ char *path = NULL, *dir = NULL, *local = NULL;
		struct nt_err err = {};
		int r;

		if (!s || !*s) {
			ERR(l, e ?: n, "include entries must be profile names");
			continue;
		}
		/* A name is looked up next to the including file first, then the search path. */
		dir = strdup(l->y.file);
		if (dir && strrchr(dir, '/') && !strchr(s, '/')) {
			*strrchr(dir, '/') = '\0';
			if (asprintf(&local, "%s/%s%s", dir, s,
				     ends_with(s, ".yaml") ? "" : ".yaml") < 0)
				local = NULL;
		}
		if (local && is_file(local)) {
			path = TAKE_PTR(local);
		} else {
			r = nt_profile_find(s, l->dirs, &path, &err);
			if (r < 0) {
				ERR(l, e, "include '%s': %s", s, nt_err_msg(&err, r));
				continue;
			}
		}
		(void)load_file(l, path, e);
	}
}

static void top_pair(struct nt_yaml *y, const yaml_node_t *key, const char *name, yaml_node_t *v,
		     void *userdata _unused_)
{
	struct loader *l = loader_of(y);
	static const char *const known[] = {"name",   "description", "include", "irqbalance",
					    "sysctl", "devices",     NULL};

	if (streq(name, "name") || streq(name, "description")) {
		char **dst = streq(name, "name") ? &l->p->name : &l->p->description;

		if (!nt_yaml_expect(&l->y, v, YAML_SCALAR_NODE, name))
			return;
		/* The outermost profile's name wins: it is loaded last. */
		free(*dst);
		*dst = strdup(scalar(v));
	} else if (streq(name, "include")) {
		/* handled first, see load_doc() */
	} else if (streq(name, "irqbalance")) {
		int m = nt_irqbalance_mode_from_string(scalar(v));

		/* "unset" is what no 'irqbalance:' means, not a value to write */
		if (m <= NT_IRQBALANCE_UNSET)
			ERR(l, v, "'irqbalance' must be one of ban, stop, refuse, ignore");
		else
			l->p->irqbalance = (enum nt_irqbalance_mode)m;
	} else if (streq(name, "sysctl")) {
		if (nt_yaml_expect(&l->y, v, YAML_MAPPING_NODE, "'sysctl'"))
			nt_yaml_for_pairs(&l->y, v, sysctl_pair, NULL);
	} else if (streq(name, "devices")) {
		parse_devices(l, v);
	} else {
		const struct nt_knob *k = nt_knob_lookup(name);

		if (k && k->scope == NT_SCOPE_GLOBAL)
			ERR(l, key, "sysctl '%s' belongs under 'sysctl:'", name);
		else if (k)
			ERR(l, key, "'%s' is a per-%s knob; put it under '%s:' in a devices entry",
			    name, nt_scope_to_string(k->scope), scope_section_to_string(k->scope));
		else
			nt_yaml_unknown_key(&l->y, key, known, NULL);
	}
}

static void load_doc(struct nt_yaml *y, yaml_node_t *root, void *userdata _unused_)
{
	struct loader *l = loader_of(y);

	if (!root) {
		nt_msgs_add(l->y.msgs, true, "%s: empty profile", l->y.file);
		return;
	}
	if (!nt_yaml_expect(&l->y, root, YAML_MAPPING_NODE, "a profile"))
		return;
	/* Includes first, so this file's settings override theirs. */
	for (yaml_node_pair_t *pr = root->data.mapping.pairs.start;
	     pr < root->data.mapping.pairs.top; pr++) {
		yaml_node_t *k = yaml_document_get_node(l->y.doc, pr->key);
		yaml_node_t *v = yaml_document_get_node(l->y.doc, pr->value);

		if (k && v && scalar(k) && streq(scalar(k), "include"))
			parse_include(l, v);
	}
	nt_yaml_for_pairs(&l->y, root, top_pair, NULL);
}

static void load_doc(struct nt_yaml *y, yaml_node_t *root, void *userdata _unused_);

static int load_buffer(struct loader *l, const char *buf, size_t len)
{
	return nt_yaml_parse(&l->y, buf, len, NT_PROFILE_SIZE_MAX, load_doc, NULL);
}

static int load_file(struct loader *parent, const char *path, const yaml_node_t *from)
{
	struct loader l = *parent;
	_cleanup_free_ char *buf = NULL, *real = NULL;
	size_t len = 0;
	int r;

	real = realpath(path, NULL);
	if (!real) {
		r = -errno;
		if (from)
			ERR(parent, from, "include '%s': %s", path, strerror(-r));
		else
			nt_msgs_add(parent->y.msgs, true, "%s: %s", path, strerror(-r));
		return r;
	}
	for (unsigned int i = 0; i < parent->depth; i++)
		if (streq(parent->stack[i], real)) {
			ERR(parent, from, "include cycle: '%s' includes itself", path);
			return -ELOOP;
		}
	if (parent->depth >= NT_PROFILE_INCLUDE_MAX) {
		ERR(parent, from, "includes nested deeper than %d", NT_PROFILE_INCLUDE_MAX);
		return -ELOOP;
	}
	r = nt_yaml_read_file(path, NT_PROFILE_SIZE_MAX, &buf, &len);
	if (r < 0) {
		if (from)
			ERR(parent, from, "include '%s': %s", path,
			    r == -EFBIG ? "file too large" : strerror(-r));
		else
			nt_msgs_add(parent->y.msgs, true, "%s: %s", path,
				    r == -EFBIG ? "file too large" : strerror(-r));
		return r;
	}
	l.y.file = path;
	l.stack[l.depth++] = real;
	return load_buffer(&l, buf, len);
}

static int finish(struct nt_profile *p, const char *path, int r, struct nt_profile **ret,
		  struct nt_msgs *msgs)
{
	if (r >= 0 && msgs->n_errors == 0) {
		if (!p->name) {
			const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;

			p->name = strndup(base, ends_with(base, ".yaml") ? strlen(base) - 5
									 : strlen(base));
		}
		/* Absolute, so 'napictl verify' finds it again from any directory. */
		p->path = realpath(path, NULL);
		if (!p->path)
			p->path = strdup(path);
		if (!p->name || !p->path) {
			nt_profile_free(p);
			return -ENOMEM;
		}
		nt_profile_lint(p, msgs);
		*ret = p;
		return 0;
	}
	nt_profile_free(p);
	return r < 0 ? r : -EINVAL;
}

int nt_profile_load(const char *path, const char *const *dirs, struct nt_profile **ret,
		    struct nt_msgs *msgs)
{
	struct nt_profile *p = calloc(1, sizeof(*p));
	struct loader l = {.y = {.msgs = msgs, .alias_fix = ALIAS_FIX}, .p = p, .dirs = dirs};
	int r;

	if (!p)
		return -ENOMEM;
	r = load_file(&l, path, NULL);
	return finish(p, path, r, ret, msgs);
}

int nt_profile_load_buffer(const char *path, const char *buf, size_t len, const char *const *dirs,
			   struct nt_profile **ret, struct nt_msgs *msgs)
{
	struct nt_profile *p = calloc(1, sizeof(*p));
	struct loader l = {
		.y = {.file = path, .msgs = msgs, .alias_fix = ALIAS_FIX}, .p = p, .dirs = dirs};
	int r;

	if (!p)
		return -ENOMEM;
	r = load_buffer(&l, buf, len);
	return finish(p, path, r, ret, msgs);
}
