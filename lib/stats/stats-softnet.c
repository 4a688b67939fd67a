// SPDX-License-Identifier: GPL-2.0-or-later
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cpuset.h"
#include "fs.h"
#include "stats-softnet.h"

#define SOFTNET_COLS_MAX 32

static int parse_line(const char *line, uint32_t *v, unsigned int *ret_n)
{
	unsigned int n = 0;
	const char *p = line;

	for (;;) {
		unsigned long x;
		char *end;

		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0' || *p == '\n')
			break;
		if (n == SOFTNET_COLS_MAX)
			return -EBADMSG;
		errno = 0;
		x = strtoul(p, &end, 16);
		if (end == p || errno || x > UINT32_MAX ||
		    (*end && *end != ' ' && *end != '\t' && *end != '\n'))
			return -EBADMSG;
		v[n++] = (uint32_t)x;
		p = end;
	}
	*ret_n = n;
	return 0;
}

static int cmp_cpu(const void *a, const void *b)
{
	const struct nt_softnet_cpu *x = a, *y = b;

	return (x->cpu > y->cpu) - (x->cpu < y->cpu);
}

int nt_softnet_parse(const char *text, const struct nt_cpuset *online, struct nt_softnet *ret)
{
	struct nt_softnet s = {};
	size_t cap = 0;
	int next_cpu = online ? nt_cpuset_next(online, 0) : 0;
	const char *line = text;

	while (*line) {
		const char *eol = strchrnul(line, '\n');
		uint32_t v[SOFTNET_COLS_MAX];
		struct nt_softnet_cpu *c;
		unsigned int n;
		int r;

		r = parse_line(line, v, &n);
		if (r < 0 || (n > 0 && n < 9) || (n > 0 && s.n > 0 && n != s.ncols)) {
			free(s.cpu);
			return -EBADMSG;
		}
		line = *eol ? eol + 1 : eol;
		if (n == 0)
			continue;
		if (s.n == cap) {
			struct nt_softnet_cpu *p;

			cap = cap ? cap * 2 : 64;
			p = realloc(s.cpu, cap * sizeof(*p));
			if (!p) {
				free(s.cpu);
				return -ENOMEM;
			}
			s.cpu = p;
		}
		if (s.n == 0) {
			s.ncols = n;
			s.have_cpu_id = n >= 13;
		}
		c = &s.cpu[s.n++];
		*c = (struct nt_softnet_cpu){
			.processed = v[0],
			.dropped = v[1],
			.time_squeeze = v[2],
			.received_rps = n >= 10 ? v[9] : 0,
			.flow_limit_count = n >= 11 ? v[10] : 0,
			.backlog_len = n >= 12 ? v[11] : 0,
			.input_qlen = n >= 14 ? v[13] : 0,
			.process_qlen = n >= 15 ? v[14] : 0,
		};
		if (s.have_cpu_id) {
			c->cpu = v[12];
		} else {
			if (next_cpu < 0) { /* more lines than online CPUs */
				free(s.cpu);
				return -EBADMSG;
			}
			c->cpu = (unsigned int)next_cpu;
			next_cpu = online ? nt_cpuset_next(online, (unsigned int)next_cpu + 1)
					  : next_cpu + 1;
		}
	}
	if (s.n > 1)
		qsort(s.cpu, s.n, sizeof(*s.cpu), cmp_cpu);
	for (unsigned int i = 1; i < s.n; i++)
		if (s.cpu[i].cpu == s.cpu[i - 1].cpu) {
			free(s.cpu);
			return -EBADMSG;
		}
	*ret = s;
	return 0;
}

int nt_softnet_read(const struct nt_root *root, const struct nt_cpuset *online,
		    struct nt_softnet *ret)
{
	_cleanup_free_ char *text = NULL;
	int r;

	r = nt_read_file(root, "proc/net/softnet_stat", &text, NULL);
	if (r < 0)
		return r;
	return nt_softnet_parse(text, online, ret);
}

void nt_softnet_done(struct nt_softnet *s)
{
	free(s->cpu);
	*s = (struct nt_softnet){};
}

const struct nt_softnet_cpu *nt_softnet_find(const struct nt_softnet *s, unsigned int cpu)
{
	const struct nt_softnet_cpu key = {.cpu = cpu};

	return s->n ? bsearch(&key, s->cpu, s->n, sizeof(*s->cpu), cmp_cpu) : NULL;
}
