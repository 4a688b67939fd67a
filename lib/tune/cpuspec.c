// SPDX-License-Identifier: GPL-2.0-or-later
/* CPU-set expressions of profiles: parsed once, evaluated per device, queue or NAPI. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cpuspec.h"

static const char *const nt_cputerm_kind_table[_NT_CPUTERM_MAX] = {
	[NT_CPUTERM_ALL] = "all",
	[NT_CPUTERM_NUMA_LOCAL] = "numa-local",
	[NT_CPUTERM_IRQ] = "irq",
	[NT_CPUTERM_NONE] = "none",
	/* NT_CPUTERM_LIST: written as the CPUs themselves */
};

DEFINE_STRING_TABLE_LOOKUP(nt_cputerm_kind, enum nt_cputerm_kind);

void nt_cpuspec_done(struct nt_cpuspec *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->terms[i].set);
	free(s->terms);
	free(s->text);
	*s = (struct nt_cpuspec){};
}

int nt_cpuspec_parse(const char *text, bool spread, struct nt_cpuspec *ret, struct nt_err *reterr)
{
	struct nt_cpuspec s = {.spread = spread};
	const char *p = text;
	int r = 0;

	if (strlen(text) > 4096)
		return nt_err_set(reterr, -EINVAL, "CPU expression too long");
	s.text = strdup(text);
	if (!s.text)
		return -ENOMEM;
	while (*p) {
		struct nt_cputerm t = {};
		struct nt_cputerm *nt;
		char tok[256];
		int kind;
		size_t n;

		while (isspace((unsigned char)*p))
			p++;
		n = strcspn(p, ",");
		while (n > 0 && isspace((unsigned char)p[n - 1]))
			n--;
		if (n == 0 || n >= sizeof(tok)) {
			r = nt_err_set(reterr, -EINVAL,
				       "empty or overlong term in CPU expression '%s'", text);
			goto fail;
		}
		memcpy(tok, p, n);
		tok[n] = '\0';
		p += n;
		while (isspace((unsigned char)*p))
			p++;
		if (*p == ',')
			p++;
		if (tok[0] == '!') {
			t.exclude = true;
			memmove(tok, tok + 1, strlen(tok));
		}
		kind = nt_cputerm_kind_from_string(tok);
		if (kind >= 0) {
			t.kind = (enum nt_cputerm_kind)kind;
		} else if (isdigit((unsigned char)tok[0])) {
			struct nt_err e = {};

			t.kind = NT_CPUTERM_LIST;
			t.set = malloc(sizeof(*t.set));
			if (!t.set) {
				r = -ENOMEM;
				goto fail;
			}
			r = nt_cpuset_parse_list(tok, t.set, &e);
			if (r < 0) {
				free(t.set);
				r = nt_err_set(reterr, r, "CPU expression '%s': %s", text,
					       nt_err_msg(&e, r));
				goto fail;
			}
		} else {
			r = nt_err_set(
				reterr, -EINVAL,
				"unknown CPU term '%s' in '%s' (use all, numa-local, irq, none, "
				"N or N-M, '!' to exclude)",
				tok, text);
			goto fail;
		}
		if (t.kind == NT_CPUTERM_NONE && t.exclude) {
			r = nt_err_set(reterr, -EINVAL, "'!none' makes no sense in '%s'", text);
			goto fail;
		}
		nt = realloc(s.terms, (s.n + 1) * sizeof(*nt));
		if (!nt) {
			free(t.set);
			r = -ENOMEM;
			goto fail;
		}
		s.terms = nt;
		s.terms[s.n++] = t;
	}
	if (s.n == 0) {
		r = nt_err_set(reterr, -EINVAL, "empty CPU expression (write 'none' for no CPUs)");
		goto fail;
	}
	*ret = s;
	return 0;
fail:
	nt_cpuspec_done(&s);
	return r;
}

int nt_cpuspec_eval(const struct nt_cpuspec *s, const struct nt_cpus *cpus,
		    const struct nt_cpuset *numa_local, const struct nt_cpuset *irq,
		    struct nt_cpuset *ret, struct nt_err *reterr)
{
	struct nt_cpuset inc, exc, tmp;
	bool any_pos = false;
	int r;

	nt_cpuset_zero(&inc);
	nt_cpuset_zero(&exc);
	for (size_t i = 0; i < s->n; i++) {
		const struct nt_cputerm *t = &s->terms[i];
		struct nt_cpuset *dst = t->exclude ? &exc : &inc;

		if (!t->exclude)
			any_pos = true;
		switch (t->kind) {
		case NT_CPUTERM_ALL:
			nt_cpuset_or(dst, dst, &cpus->online);
			break;
		case NT_CPUTERM_NUMA_LOCAL:
			nt_cpuset_or(dst, dst, numa_local ? numa_local : &cpus->online);
			break;
		case NT_CPUTERM_IRQ:
			if (!irq)
				return nt_err_set(reterr, -EINVAL,
						  "'irq' is not known here (no IRQ for this NAPI)");
			nt_cpuset_or(dst, dst, irq);
			break;
		case NT_CPUTERM_NONE:
			break;
		case NT_CPUTERM_LIST:
			r = nt_cpuset_check(t->set, cpus, reterr);
			if (r < 0)
				return r;
			nt_cpuset_or(dst, dst, t->set);
			break;
		default:
			break;
		}
	}
	if (!any_pos)
		inc = cpus->online;
	nt_cpuset_andnot(&tmp, &inc, &exc);
	nt_cpuset_and(ret, &tmp, &cpus->online);
	return 0;
}

int nt_cpuset_nth(const struct nt_cpuset *s, unsigned int i)
{
	unsigned int n = nt_cpuset_count(s), k = 0;

	if (n == 0)
		return -ENOENT;
	i %= n;
	NT_CPUSET_FOREACH (c, s) {
		if (k++ == i)
			return c;
	}
	return -ENOENT;
}
