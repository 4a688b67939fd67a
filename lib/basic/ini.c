// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "ini.h"
#include "macro.h"

char *nt_strstrip(char *s)
{
	char *e;

	s += strspn(s, " \t\r\f\v");
	e = s + strlen(s);
	while (e > s && strchr(" \t\r\f\v\n", e[-1]))
		e--;
	*e = '\0';
	return s;
}

/* One logical line: header, assignment, comment or something else (skipped). */
static int one_line(char *l, unsigned int flags, char *section, unsigned int line, nt_ini_fn fn,
		    void *userdata)
{
	char *eq, *end;

	l = nt_strstrip(l);
	if (!*l || *l == '#' || *l == ';')
		return 0;
	if (*l == '[' && !(flags & NT_INI_NO_SECTIONS)) {
		end = strchr(l, ']');
		if (!end || end[1]) {
			section[0] = '\0'; /* systemd: an invalid header; what follows is not its */
			return 0;
		}
		*end = '\0';
		strcpy(section, nt_strstrip(l + 1));
		return 0;
	}
	eq = strchr(l, '=');
	if (!eq && (flags & NT_INI_BARE_KEYS))
		return fn(section, l, NULL, line, userdata);
	if (!eq || eq == l)
		return 0;
	*eq = '\0';
	l = nt_strstrip(l);
	if (!*l)
		return 0;
	return fn(section, l, nt_strstrip(eq + 1), line, userdata);
}

int nt_ini_parse(const char *text, unsigned int flags, nt_ini_fn fn, void *userdata)
{
	_cleanup_free_ char *buf = malloc(NT_INI_LINE_MAX + 1),
			    *section = malloc(NT_INI_LINE_MAX + 1);
	unsigned int line = 0, start = 0;
	size_t len = 0;
	bool too_long = false;
	const char *p = text;
	int r;

	if (!buf || !section)
		return -ENOMEM;
	section[0] = '\0';
	while (*p) {
		size_t n = strcspn(p, "\n");
		bool cont;

		line++;
		if (!len && !too_long)
			start = line;
		cont = (flags & NT_INI_CONTINUATION) && n > 0 && p[n - 1] == '\\';
		if (cont)
			n--; /* the backslash is replaced by a space (systemd.syntax(7)) */
		if (too_long || len + n + 1 > NT_INI_LINE_MAX) {
			too_long = true;
		} else {
			memcpy(buf + len, p, n);
			len += n;
			if (cont)
				buf[len++] = ' ';
			buf[len] = '\0';
		}
		p += n + (cont ? 1 : 0);
		if (*p == '\n')
			p++;
		if (cont && *p)
			continue;
		if (!too_long) {
			r = one_line(buf, flags, section, start, fn, userdata);
			if (r != 0)
				return r;
		}
		len = 0;
		too_long = false;
	}
	return 0;
}

static int load_one(const char *section, const char *key, const char *value, unsigned int line,
		    void *userdata)
{
	struct nt_ini *ini = userdata;
	struct nt_ini_entry *e;

	e = realloc(ini->e, (ini->n + 1) * sizeof(*e));
	if (!e)
		return -ENOMEM;
	ini->e = e;
	e = &e[ini->n];
	*e = (struct nt_ini_entry){.section = strdup(section),
				   .key = strdup(key),
				   .value = value ? strdup(value) : NULL,
				   .line = line};
	if (!e->section || !e->key || (value && !e->value)) {
		free(e->section);
		free(e->key);
		free(e->value);
		return -ENOMEM;
	}
	ini->n++;
	return 0;
}

void nt_ini_done(struct nt_ini *ini)
{
	for (size_t i = 0; i < ini->n; i++) {
		free(ini->e[i].section);
		free(ini->e[i].key);
		free(ini->e[i].value);
	}
	free(ini->e);
	*ini = (struct nt_ini){};
}

int nt_ini_load(const char *text, unsigned int flags, struct nt_ini *ret)
{
	struct nt_ini ini = {};
	int r;

	r = nt_ini_parse(text, flags, load_one, &ini);
	if (r < 0) {
		nt_ini_done(&ini);
		return r;
	}
	*ret = ini;
	return 0;
}
