// SPDX-License-Identifier: GPL-2.0-or-later
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpuset.h"
#include "fs.h"
#include "parse-util.h"
#include "kthreads.h"

static bool classify(struct nt_kthread *t)
{
	if (!strncmp(t->comm, "ksoftirqd/", 10)) {
		uint32_t cpu;

		if (nt_parse_u32(t->comm + 10, &cpu) < 0)
			return false;
		t->kind = NT_KTHREAD_KSOFTIRQD;
		t->cpu = (int)cpu;
		return true;
	}
	if (!strncmp(t->comm, "napi/", 5)) {
		const char *name = t->comm + 5, *dash = strrchr(name, '-');
		size_t len = dash ? (size_t)(dash - name) : strlen(name);
		uint32_t id = 0;

		t->kind = NT_KTHREAD_NAPI;
		t->cpu = -1;
		if (dash && nt_parse_u32(dash + 1, &id) == 0)
			t->napi_id = id;
		else
			len = strlen(name);
		if (len >= sizeof(t->dev))
			len = sizeof(t->dev) - 1;
		memcpy(t->dev, name, len);
		t->dev[len] = '\0';
		return true;
	}
	return false;
}

int nt_kthread_parse_stat(const char *text, struct nt_kthread *t)
{
	const char *open = strchr(text, '('), *close = strrchr(text, ')'), *p;
	unsigned long long v[40] = {};
	size_t len;
	int pid, field;

	if (!open || !close || close < open || sscanf(text, "%d", &pid) != 1)
		return -EBADMSG;
	*t = (struct nt_kthread){.pid = pid, .cpu = -1, .last_cpu = -1, .allowed_cpu = -1};
	len = (size_t)(close - open - 1);
	if (len >= sizeof(t->comm))
		len = sizeof(t->comm) - 1;
	memcpy(t->comm, open + 1, len);
	t->comm[len] = '\0';
	/* Field 3 is the state letter; numbers follow. */
	p = close + 1;
	for (field = 3; field <= 39 && *p; field++) {
		char *end;

		while (*p == ' ' || *p == '\n')
			p++;
		if (!*p)
			break;
		if (field == 3) {
			while (*p && *p != ' ')
				p++;
			continue;
		}
		errno = 0;
		v[field] = strtoull(p, &end, 10);
		if (end == p) { /* negative values (priority, nice) */
			long long s = strtoll(p, &end, 10);

			if (end == p)
				return -EBADMSG;
			v[field] = (unsigned long long)s;
		}
		p = end;
	}
	if (field <= 15)
		return -EBADMSG;
	t->utime = v[14];
	t->stime = v[15];
	if (field > 39)
		t->last_cpu = (int)v[39];
	if (!classify(t))
		return -ENOENT;
	return 0;
}

static void read_extra(const struct nt_root *root, struct nt_kthread *t)
{
	_cleanup_free_ char *sched = NULL, *status = NULL;
	char path[64];

	snprintf(path, sizeof(path), "proc/%d/schedstat", t->pid);
	if (nt_read_line(root, path, &sched) == 0) {
		unsigned long long run, delay;

		if (sscanf(sched, "%llu %llu", &run, &delay) == 2) {
			t->have_schedstat = true;
			t->run_ns = run;
			t->run_delay_ns = delay;
		}
	}
	if (t->kind != NT_KTHREAD_NAPI)
		return;
	snprintf(path, sizeof(path), "proc/%d/status", t->pid);
	if (nt_read_file(root, path, &status, NULL) == 0) {
		const char *l = strstr(status, "\nCpus_allowed_list:");
		struct nt_cpuset *set;

		if (!l)
			return;
		l += strlen("\nCpus_allowed_list:");
		while (*l == ' ' || *l == '\t')
			l++;
		set = malloc(sizeof(*set));
		if (!set)
			return;
		{
			char buf[4096];
			size_t n = strcspn(l, "\n");

			if (n < sizeof(buf)) {
				memcpy(buf, l, n);
				buf[n] = '\0';
				if (nt_cpuset_parse_list(buf, set, NULL) == 0) {
					if (n < sizeof(t->allowed_list))
						memcpy(t->allowed_list, buf, n + 1);
					t->n_allowed = nt_cpuset_count(set);
					if (t->n_allowed == 1)
						t->allowed_cpu = nt_cpuset_next(set, 0);
				}
			}
		}
		free(set);
	}
}

static int add_pid(const struct nt_root *root, int pid, struct nt_kthreads *s, size_t *cap)
{
	_cleanup_free_ char *text = NULL;
	struct nt_kthread t;
	char path[64];
	int r;

	snprintf(path, sizeof(path), "proc/%d/stat", pid);
	r = nt_read_file(root, path, &text, NULL);
	if (r < 0)
		return 0; /* the thread exited */
	if (nt_kthread_parse_stat(text, &t) < 0)
		return 0;
	read_extra(root, &t);
	if (s->n == *cap) {
		struct nt_kthread *p;

		*cap = *cap ? *cap * 2 : 64;
		p = realloc(s->t, *cap * sizeof(*p));
		if (!p)
			return -ENOMEM;
		s->t = p;
	}
	s->t[s->n++] = t;
	return 0;
}

static int cmp_pid(const void *a, const void *b)
{
	const struct nt_kthread *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

int nt_kthreads_read(const struct nt_root *root, struct nt_kthreads *ret)
{
	_cleanup_free_ char *children = NULL;
	struct nt_kthreads s = {};
	size_t cap = 0;
	int r;

	if (nt_read_file(root, "proc/2/task/2/children", &children, NULL) == 0 && children[0]) {
		s.from_children = true;
		for (char *p = children; *p;) {
			char *end;
			long pid = strtol(p, &end, 10);

			if (end == p)
				break;
			r = add_pid(root, (int)pid, &s, &cap);
			if (r < 0)
				goto fail;
			p = end;
			while (*p == ' ' || *p == '\n')
				p++;
		}
	} else {
		char **names = NULL;
		size_t n = 0;

		r = nt_list_dir(root, "proc", &names, &n);
		if (r < 0)
			return r;
		for (size_t i = 0; i < n; i++) {
			uint32_t pid;

			if (!isdigit((unsigned char)names[i][0]) ||
			    nt_parse_u32(names[i], &pid) < 0)
				continue;
			r = add_pid(root, (int)pid, &s, &cap);
			if (r < 0) {
				nt_strv_free(names);
				goto fail;
			}
		}
		nt_strv_free(names);
	}
	if (s.n) /* no kthread (a fixture tree without /proc): s.t is NULL */
		qsort(s.t, s.n, sizeof(*s.t), cmp_pid);
	*ret = s;
	return 0;
fail:
	free(s.t);
	return r;
}

void nt_kthreads_done(struct nt_kthreads *s)
{
	free(s->t);
	*s = (struct nt_kthreads){};
}

const struct nt_kthread *nt_kthreads_find(const struct nt_kthreads *s, int pid)
{
	const struct nt_kthread key = {.pid = pid};

	return s->n ? bsearch(&key, s->t, s->n, sizeof(*s->t), cmp_pid) : NULL;
}
