// SPDX-License-Identifier: GPL-2.0-or-later
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fs.h"
#include "stats-snmp.h"

static int add(struct nt_snmp *s, size_t *cap, const char *group, size_t glen, const char *name,
	       size_t nlen, uint64_t v)
{
	struct nt_snmp_entry *e;

	if (glen >= sizeof(e->group) || nlen >= sizeof(e->name))
		return 0; /* longer than any counter we look up */
	if (s->n == *cap) {
		*cap = *cap ? *cap * 2 : 256;
		e = realloc(s->e, *cap * sizeof(*e));
		if (!e)
			return -ENOMEM;
		s->e = e;
	}
	e = &s->e[s->n++];
	memcpy(e->group, group, glen);
	e->group[glen] = '\0';
	memcpy(e->name, name, nlen);
	e->name[nlen] = '\0';
	e->value = v;
	return 0;
}

int nt_snmp_parse(const char *text, struct nt_snmp *s)
{
	size_t cap = s->n;
	const char *line = text;

	while (*line) {
		const char *eol1 = strchrnul(line, '\n'), *l2, *eol2, *c1, *c2, *p, *q;
		size_t glen;

		c1 = memchr(line, ':', (size_t)(eol1 - line));
		if (!c1 || !*eol1)
			return c1 ? -EBADMSG : 0;
		l2 = eol1 + 1;
		eol2 = strchrnul(l2, '\n');
		c2 = memchr(l2, ':', (size_t)(eol2 - l2));
		glen = (size_t)(c1 - line);
		if (!c2 || (size_t)(c2 - l2) != glen || memcmp(line, l2, glen))
			return -EBADMSG;
		p = c1 + 1;
		q = c2 + 1;
		for (;;) {
			const char *ns, *ne;
			long long sv;
			unsigned long long uv;
			char *end;

			while (p < eol1 && *p == ' ')
				p++;
			while (q < eol2 && *q == ' ')
				q++;
			if (p >= eol1 || q >= eol2) {
				if (p < eol1 || q < eol2)
					return -EBADMSG;
				break;
			}
			ns = p;
			while (p < eol1 && *p != ' ')
				p++;
			ne = p;
			errno = 0;
			if (*q == '-') {
				sv = strtoll(q, &end, 10);
				uv = (unsigned long long)sv;
			} else {
				uv = strtoull(q, &end, 10);
			}
			if (end == q || errno || (end < eol2 && *end != ' '))
				return -EBADMSG;
			q = end;
			if (add(s, &cap, line, glen, ns, (size_t)(ne - ns), uv) < 0)
				return -ENOMEM;
		}
		line = *eol2 ? eol2 + 1 : eol2;
	}
	return 0;
}

static int cmp_entry(const void *a, const void *b)
{
	const struct nt_snmp_entry *x = a, *y = b;
	int r = strcmp(x->group, y->group);

	return r ? r : strcmp(x->name, y->name);
}

void nt_snmp_finish(struct nt_snmp *s)
{
	if (s->n > 1)
		qsort(s->e, s->n, sizeof(*s->e), cmp_entry);
}

int nt_snmp_read(const struct nt_root *root, const char *netdir, struct nt_snmp *ret)
{
	_cleanup_free_ char *snmp = NULL, *netstat = NULL;
	struct nt_snmp s = {};
	char path[128];
	int r;

	if (!netdir)
		netdir = "proc/net";
	snprintf(path, sizeof(path), "%s/snmp", netdir);
	r = nt_read_file(root, path, &snmp, NULL);
	if (r < 0)
		return r;
	r = nt_snmp_parse(snmp, &s);
	if (r < 0)
		goto fail;
	snprintf(path, sizeof(path), "%s/netstat", netdir);
	if (nt_read_file(root, path, &netstat, NULL) == 0) {
		r = nt_snmp_parse(netstat, &s);
		if (r < 0)
			goto fail;
		s.have_netstat = true;
	}
	nt_snmp_finish(&s);
	*ret = s;
	return 0;
fail:
	free(s.e);
	return r;
}

void nt_snmp_done(struct nt_snmp *s)
{
	free(s->e);
	*s = (struct nt_snmp){};
}

bool nt_snmp_get(const struct nt_snmp *s, const char *group, const char *name, uint64_t *ret)
{
	struct nt_snmp_entry key = {};
	const struct nt_snmp_entry *e;

	if (strlen(group) >= sizeof(key.group) || strlen(name) >= sizeof(key.name))
		return false;
	strcpy(key.group, group);
	strcpy(key.name, name);
	e = bsearch(&key, s->e, s->n, sizeof(*s->e), cmp_entry);
	if (!e)
		return false;
	*ret = e->value;
	return true;
}
