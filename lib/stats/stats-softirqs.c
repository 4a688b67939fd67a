// SPDX-License-Identifier: GPL-2.0-or-later
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fs.h"
#include "stats-softirqs.h"

static int parse_header(const char *line, const char *eol, unsigned int **ret_cpus,
			unsigned int *ret_n, unsigned int *ret_max)
{
	unsigned int *cpus = NULL, n = 0, cap = 0, max = 0;
	const char *p = line;

	while (p < eol) {
		unsigned long cpu;
		char *end;

		while (p < eol && (*p == ' ' || *p == '\t'))
			p++;
		if (p >= eol)
			break;
		if (strncmp(p, "CPU", 3) != 0)
			goto bad;
		errno = 0;
		cpu = strtoul(p + 3, &end, 10);
		if (end == p + 3 || errno || cpu >= 65536)
			goto bad;
		if (n == cap) {
			unsigned int *q;

			cap = cap ? cap * 2 : 64;
			q = realloc(cpus, cap * sizeof(*q));
			if (!q) {
				free(cpus);
				return -ENOMEM;
			}
			cpus = q;
		}
		cpus[n++] = (unsigned int)cpu;
		if (cpu + 1 > max)
			max = (unsigned int)cpu + 1;
		p = end;
	}
	if (n == 0)
		goto bad;
	*ret_cpus = cpus;
	*ret_n = n;
	*ret_max = max;
	return 0;
bad:
	free(cpus);
	return -EBADMSG;
}

int nt_softirqs_parse(const char *text, struct nt_softirqs *ret)
{
	_cleanup_free_ unsigned int *cpus = NULL;
	struct nt_softirqs s = {};
	unsigned int ncol, max;
	const char *eol = strchrnul(text, '\n'), *line;
	bool have_rx = false;
	int r;

	r = parse_header(text, eol, &cpus, &ncol, &max);
	if (r < 0)
		return r;
	s.n_cpu = max;
	s.present = calloc(max, sizeof(*s.present));
	s.net_rx = calloc(max, sizeof(uint64_t));
	s.net_tx = calloc(max, sizeof(uint64_t));
	s.total = calloc(max, sizeof(uint64_t));
	if (!s.present || !s.net_rx || !s.net_tx || !s.total) {
		nt_softirqs_done(&s);
		return -ENOMEM;
	}
	for (unsigned int i = 0; i < ncol; i++)
		s.present[cpus[i]] = true;
	for (line = *eol ? eol + 1 : eol; *line; line = *eol ? eol + 1 : eol) {
		const char *colon, *p;
		uint64_t *row = NULL;
		size_t namelen;

		eol = strchrnul(line, '\n');
		colon = memchr(line, ':', (size_t)(eol - line));
		if (!colon)
			continue; /* blank line */
		p = line;
		while (*p == ' ')
			p++;
		namelen = (size_t)(colon - p);
		if (namelen == 6 && !strncmp(p, "NET_RX", 6)) {
			row = s.net_rx;
			have_rx = true;
		} else if (namelen == 6 && !strncmp(p, "NET_TX", 6)) {
			row = s.net_tx;
		}
		p = colon + 1;
		/* Rows may have fewer columns than the header (never more). */
		for (unsigned int i = 0; i < ncol; i++) {
			unsigned long long v;
			char *end;

			while (p < eol && *p == ' ')
				p++;
			if (p >= eol)
				break;
			errno = 0;
			v = strtoull(p, &end, 10);
			if (end == p || errno) {
				nt_softirqs_done(&s);
				return -EBADMSG;
			}
			if (row)
				row[cpus[i]] = v;
			s.total[cpus[i]] += v;
			p = end;
		}
	}
	if (!have_rx) {
		nt_softirqs_done(&s);
		return -EBADMSG;
	}
	*ret = s;
	return 0;
}

int nt_softirqs_read(const struct nt_root *root, struct nt_softirqs *ret)
{
	_cleanup_free_ char *text = NULL;
	int r;

	r = nt_read_file(root, "proc/softirqs", &text, NULL);
	if (r < 0)
		return r;
	return nt_softirqs_parse(text, ret);
}

void nt_softirqs_done(struct nt_softirqs *s)
{
	free(s->present);
	free(s->net_rx);
	free(s->net_tx);
	free(s->total);
	*s = (struct nt_softirqs){};
}
