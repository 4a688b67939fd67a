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

/* A number in a thread name, "%u" in the kernel: digits only (no blanks, no 0x). */
static int parse_name_u32(const char *s, uint32_t *ret)
{
	if (!*s || s[strspn(s, "0123456789")])
		return -EINVAL;
	return nt_parse_u32(s, ret);
}

static bool classify(struct nt_kthread *t)
{
	if (!strncmp(t->comm, "ksoftirqd/", 10)) {
		uint32_t cpu;

		if (parse_name_u32(t->comm + 10, &cpu) < 0 || cpu >= NT_CPUS_MAX)
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
		if (dash && parse_name_u32(dash + 1, &id) == 0)
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

/* A PID, leading blanks skipped: 1..2^22 - 1 (pid_max is at most 2^22, proc(5)). */
static const char *parse_pid(const char *p, int *ret)
{
	unsigned long v;
	char *end;

	while (*p == ' ' || *p == '\n')
		p++;
	if (!isdigit((unsigned char)*p))
		return NULL;
	errno = 0;
	v = strtoul(p, &end, 10);
	if (errno || v == 0 || v >= (1ul << 22))
		return NULL;
	*ret = (int)v;
	return end;
}

int nt_kthread_parse_stat(const char *text, struct nt_kthread *t)
{
	const char *open = strchr(text, '('), *close = strrchr(text, ')'), *p;
	unsigned long long v[40] = {};
	size_t len;
	int pid, field;

	if (!open || !close || close < open || !parse_pid(text, &pid))
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

int nt_kthread_parse_schedstat(const char *text, struct nt_kthread *t)
{
	unsigned long long v[2];
	const char *p = text;

	for (int i = 0; i < 2; i++) {
		char *end;

		while (*p == ' ')
			p++;
		if (!isdigit((unsigned char)*p))
			return -EBADMSG;
		errno = 0;
		v[i] = strtoull(p, &end, 10);
		if (errno || (*end && *end != ' ' && *end != '\n'))
			return -EBADMSG;
		p = end;
	}
	t->have_schedstat = true;
	t->run_ns = v[0];
	t->run_delay_ns = v[1];
	return 0;
}

int nt_kthread_parse_status(const char *text, struct nt_kthread *t)
{
	static const char key[] = "\nCpus_allowed_list:";
	_cleanup_free_ struct nt_cpuset *set = NULL;
	const char *l = strstr(text, key);
	char buf[4096];
	size_t n;
	int r;

	if (!l)
		return -ENOENT;
	l += strlen(key);
	while (*l == ' ' || *l == '\t')
		l++;
	n = strcspn(l, "\n");
	if (n >= sizeof(buf))
		return -EBADMSG;
	memcpy(buf, l, n);
	buf[n] = '\0';
	set = malloc(sizeof(*set));
	if (!set)
		return -ENOMEM;
	r = nt_cpuset_parse_list(buf, set, NULL);
	if (r < 0)
		return r;
	if (n < sizeof(t->allowed_list))
		memcpy(t->allowed_list, buf, n + 1);
	t->n_allowed = nt_cpuset_count(set);
	if (t->n_allowed == 1)
		t->allowed_cpu = nt_cpuset_next(set, 0);
	return 0;
}

static void read_extra(const struct nt_root *root, struct nt_kthread *t)
{
	_cleanup_free_ char *sched = NULL, *status = NULL;
	char path[64];

	snprintf(path, sizeof(path), "proc/%d/schedstat", t->pid);
	/* Without CONFIG_SCHED_INFO there is no file and have_schedstat stays false. */
	if (nt_read_line(root, path, &sched) == 0)
		(void)nt_kthread_parse_schedstat(sched, t);
	if (t->kind != NT_KTHREAD_NAPI)
		return;
	snprintf(path, sizeof(path), "proc/%d/status", t->pid);
	if (nt_read_file(root, path, &status, NULL) == 0)
		(void)nt_kthread_parse_status(status, t);
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

int nt_kthread_parse_children(const char *text, int **ret, size_t *ret_n)
{
	int *pids = NULL, pid;
	size_t n = 0, cap = 0;
	const char *p = text;

	/* Space-separated PIDs; anything else ends the list. */
	while ((p = parse_pid(p, &pid))) {
		if (n == cap) {
			int *q;

			cap = cap ? cap * 2 : 64;
			q = realloc(pids, cap * sizeof(*q));
			if (!q) {
				free(pids);
				return -ENOMEM;
			}
			pids = q;
		}
		pids[n++] = pid;
	}
	*ret = pids;
	*ret_n = n;
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
		_cleanup_free_ int *pids = NULL;
		size_t n;

		r = nt_kthread_parse_children(children, &pids, &n);
		if (r < 0)
			return r;
		s.from_children = true;
		for (size_t i = 0; i < n; i++) {
			r = add_pid(root, pids[i], &s, &cap);
			if (r < 0)
				goto fail;
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

int nt_kthreads_reread(const struct nt_root *root, const struct nt_kthreads *known,
		       struct nt_kthreads *ret, bool *ret_gone)
{
	struct nt_kthreads s = {.from_children = known->from_children};
	bool gone = false;

	if (known->n) {
		s.t = calloc(known->n, sizeof(*s.t));
		if (!s.t)
			return -ENOMEM;
	}
	for (unsigned int i = 0; i < known->n; i++) {
		_cleanup_free_ char *text = NULL;
		struct nt_kthread *t = &s.t[s.n];
		char path[64];

		/*
		 * ksoftirqd/N stays on CPU N: its run time and wait are all a sample needs, and
		 * schedstat has both (the times of stat stay those of @known).
		 */
		if (known->t[i].kind == NT_KTHREAD_KSOFTIRQD && known->t[i].have_schedstat) {
			*t = known->t[i];
			snprintf(path, sizeof(path), "proc/%d/schedstat", t->pid);
			if (nt_read_line(root, path, &text) < 0 ||
			    nt_kthread_parse_schedstat(text, t) < 0 ||
			    t->run_ns < known->t[i].run_ns) {
				gone = true;
				continue;
			}
			s.n++;
			continue;
		}
		snprintf(path, sizeof(path), "proc/%d/stat", known->t[i].pid);
		if (nt_read_file(root, path, &text, NULL) < 0 ||
		    nt_kthread_parse_stat(text, t) < 0 || strcmp(t->comm, known->t[i].comm)) {
			gone = true;
			continue;
		}
		read_extra(root, t);
		s.n++;
	}
	/* known is sorted by pid, and so is what is left of it */
	*ret = s;
	*ret_gone = gone;
	return 0;
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
