// SPDX-License-Identifier: GPL-2.0-or-later
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fs.h"
#include "stats-cpustat.h"

uint64_t nt_cpustat_total(const struct nt_cpustat_cpu *c)
{
	return c->user + c->nice + c->system + c->idle + c->iowait + c->irq + c->softirq + c->steal;
}

static int parse_fields(const char *p, const char *eol, struct nt_cpustat_cpu *c)
{
	uint64_t v[8] = {};
	unsigned int n = 0;

	while (p < eol && n < 10) {
		unsigned long long x;
		char *end;

		while (p < eol && *p == ' ')
			p++;
		if (p >= eol)
			break;
		errno = 0;
		x = strtoull(p, &end, 10);
		if (end == p || errno)
			return -EBADMSG;
		if (n < 8)
			v[n] = x;
		n++;
		p = end;
	}
	if (n < 4)
		return -EBADMSG;
	*c = (struct nt_cpustat_cpu){
		.present = true,
		.user = v[0],
		.nice = v[1],
		.system = v[2],
		.idle = v[3],
		.iowait = v[4],
		.irq = v[5],
		.softirq = v[6],
		.steal = v[7],
	};
	return 0;
}

int nt_cpustat_parse(const char *text, struct nt_cpustat *ret)
{
	struct nt_cpustat s = {};
	const char *line, *eol;
	bool have_all = false;
	int r;

	for (line = text; *line; line = *eol ? eol + 1 : eol) {
		unsigned long cpu;
		char *end;

		eol = strchrnul(line, '\n');
		if (strncmp(line, "cpu", 3) != 0)
			continue;
		if (line[3] == ' ') {
			r = parse_fields(line + 3, eol, &s.all);
			if (r < 0)
				goto fail;
			have_all = true;
			continue;
		}
		errno = 0;
		cpu = strtoul(line + 3, &end, 10);
		if (end == line + 3 || errno || *end != ' ' || cpu >= 65536) {
			r = -EBADMSG;
			goto fail;
		}
		if (cpu >= s.n_cpu) {
			unsigned int n = (unsigned int)cpu + 1;
			struct nt_cpustat_cpu *p;

			if (n < s.n_cpu * 2)
				n = s.n_cpu * 2;
			p = realloc(s.cpu, n * sizeof(*p));
			if (!p) {
				r = -ENOMEM;
				goto fail;
			}
			memset(p + s.n_cpu, 0, (n - s.n_cpu) * sizeof(*p));
			s.cpu = p;
			s.n_cpu = n;
		}
		r = parse_fields(end, eol, &s.cpu[cpu]);
		if (r < 0)
			goto fail;
	}
	if (!have_all) {
		r = -EBADMSG;
		goto fail;
	}
	/* Trim to highest present CPU + 1. */
	while (s.n_cpu > 0 && !s.cpu[s.n_cpu - 1].present)
		s.n_cpu--;
	*ret = s;
	return 0;
fail:
	free(s.cpu);
	return r;
}

int nt_cpustat_read(const struct nt_root *root, struct nt_cpustat *ret)
{
	_cleanup_free_ char *text = NULL;
	int r;

	r = nt_read_file(root, "proc/stat", &text, NULL);
	if (r < 0)
		return r;
	return nt_cpustat_parse(text, ret);
}

void nt_cpustat_done(struct nt_cpustat *s)
{
	free(s->cpu);
	*s = (struct nt_cpustat){};
}
