/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * CPU use of the kernel threads that run the receive path: ksoftirqd/N (deferred
 * softirq work of CPU N) and napi/<dev>-<napi-id> (threaded NAPI). Sources:
 * /proc/<pid>/stat fields 14 utime, 15 stime (clock ticks), 39 processor;
 * /proc/<pid>/schedstat (run time, run_delay in ns; needs CONFIG_SCHED_INFO);
 * /proc/<pid>/status Cpus_allowed_list. The thread list comes from kthreadd's
 * children (/proc/2/task/2/children, CONFIG_PROC_CHILDREN) when available, else from
 * a scan of /proc.
 */
#ifndef NT_KTHREADS_H
#define NT_KTHREADS_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

struct nt_root;

enum nt_kthread_kind {
	NT_KTHREAD_KSOFTIRQD,
	NT_KTHREAD_NAPI,
};

struct nt_kthread {
	int pid;
	enum nt_kthread_kind kind;
	int cpu; /* ksoftirqd/N: N; napi: -1 */
	char comm[32];
	char dev[IF_NAMESIZE]; /* napi: device part of the name (may be truncated by TASK_COMM_LEN)
				*/
	uint32_t napi_id;      /* napi: id part of the name, 0 if truncated away */
	uint64_t utime, stime; /* clock ticks */
	int last_cpu;	       /* CPU it last ran on */
	bool have_schedstat;
	uint64_t run_ns, run_delay_ns;
	unsigned int n_allowed; /* CPUs in Cpus_allowed_list, 0 if unknown */
	int allowed_cpu;	/* the CPU when n_allowed == 1, else -1 */
	char allowed_list[64]; /* Cpus_allowed_list as the kernel prints it, "" if unknown/longer */
};

struct nt_kthreads {
	unsigned int n;
	struct nt_kthread *t; /* sorted by pid */
	bool from_children;   /* the list came from kthreadd's children file */
};

int nt_kthreads_read(const struct nt_root *root, struct nt_kthreads *ret);
/*
 * The threads of @known read again (times, schedstat, allowed CPUs), without looking for
 * new ones: of a ksoftirqd thread with schedstat only that (utime, stime and last_cpu stay
 * those of @known; use run_ns for its CPU time). A thread that exited, whose name changed
 * or whose run time went down (a PID reused) is left out and sets *ret_gone.
 */
int nt_kthreads_reread(const struct nt_root *root, const struct nt_kthreads *known,
		       struct nt_kthreads *ret, bool *ret_gone);
void nt_kthreads_done(struct nt_kthreads *s);
const struct nt_kthread *nt_kthreads_find(const struct nt_kthreads *s, int pid);
/*
 * Parses one /proc/<pid>/stat line into @t (pid, comm, kind, times, last CPU). -EBADMSG
 * for malformed text, -ENOENT for a thread that is neither ksoftirqd nor napi.
 */
int nt_kthread_parse_stat(const char *text, struct nt_kthread *t);
/* /proc/<pid>/schedstat "run_ns run_delay_ns timeslices" into @t. -EBADMSG if malformed. */
int nt_kthread_parse_schedstat(const char *text, struct nt_kthread *t);
/*
 * The Cpus_allowed_list line of /proc/<pid>/status into @t (allowed_list, n_allowed,
 * allowed_cpu). -ENOENT without the line, -EBADMSG/-EINVAL/-ERANGE for a bad list.
 */
int nt_kthread_parse_status(const char *text, struct nt_kthread *t);
/*
 * /proc/<pid>/task/<tid>/children: space-separated PIDs, up to the first word that is not
 * one. Returns a malloc'ed array (NULL if empty) and its length.
 */
int nt_kthread_parse_children(const char *text, int **ret, size_t *ret_n);

#endif
