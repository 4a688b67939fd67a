// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * CPU affinity of threaded-NAPI kthreads (napi/<dev>-<id>); the pid comes from
 * napi-get. sched_{get,set}affinity act on this host, so only when live (or a seam).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "knob-fam.h"

static int sys_get(pid_t pid, struct nt_cpuset *ret)
{
	size_t sz = CPU_ALLOC_SIZE(NT_CPUS_MAX);
	cpu_set_t *set = CPU_ALLOC(NT_CPUS_MAX);

	if (!set)
		return -ENOMEM;
	if (sched_getaffinity(pid, sz, set) < 0) {
		int r = -errno;

		CPU_FREE(set);
		return r;
	}
	nt_cpuset_zero(ret);
	for (unsigned int c = 0; c < NT_CPUS_MAX; c++)
		if (CPU_ISSET_S(c, sz, set))
			(void)nt_cpuset_set(ret, c);
	CPU_FREE(set);
	return 0;
}

static int sys_set(pid_t pid, const struct nt_cpuset *s)
{
	size_t sz = CPU_ALLOC_SIZE(NT_CPUS_MAX);
	cpu_set_t *set = CPU_ALLOC(NT_CPUS_MAX);
	int r = 0;

	if (!set)
		return -ENOMEM;
	CPU_ZERO_S(sz, set);
	NT_CPUSET_FOREACH (c, s)
		CPU_SET_S((size_t)c, sz, set);
	if (sched_setaffinity(pid, sz, set) < 0)
		r = -errno;
	CPU_FREE(set);
	return r;
}

static int check(struct nt_ctx *ctx, const struct nt_target *t, struct nt_err *reterr)
{
	if (t->pid <= 0)
		return nt_err_set(reterr, -EOPNOTSUPP, "NAPI %u has no kthread (not threaded)",
				  t->index);
	if (!ctx->live && !ctx->get_affinity)
		return nt_err_set(reterr, -EOPNOTSUPP,
				  "kthread affinity is only available on the live system");
	return 0;
}

static int kthread_read(struct nt_ctx *ctx, const struct nt_knob *k _unused_,
			const struct nt_target *t, char **ret, struct nt_err *reterr)
{
	struct nt_cpuset s;
	int r;

	r = check(ctx, t, reterr);
	if (r < 0)
		return r;
	r = (ctx->get_affinity ?: sys_get)(t->pid, &s);
	if (r < 0)
		return nt_err_set(reterr, r, "affinity of pid %d: %s", t->pid, strerror(-r));
	return nt_cpuset_format_list(&s, ret);
}

static int kthread_apply(struct nt_ctx *ctx, const struct nt_target *t, const struct nt_write *w,
			 size_t n, struct nt_err *reterr)
{
	for (size_t i = 0; i < n; i++) {
		struct nt_cpuset s;
		int r;

		r = check(ctx, t, reterr);
		if (r < 0)
			return r;
		r = nt_cpuset_parse_list(w[i].value, &s, reterr);
		if (r < 0)
			return r;
		r = (ctx->set_affinity ?: sys_set)(t->pid, &s);
		if (r < 0)
			return nt_err_set(reterr, r, "pinning pid %d (NAPI %u) to %s: %s", t->pid,
					  t->index, w[i].value, strerror(-r));
	}
	return 0;
}

static int kthread_caps(struct nt_ctx *ctx, const struct nt_knob *k _unused_,
			const struct nt_target *t, uint64_t *ret_max _unused_,
			struct nt_err *reterr)
{
	return check(ctx, t, reterr);
}

const struct nt_fam_ops nt_kthread_ops = {
	.read = kthread_read,
	.apply = kthread_apply,
	.caps = kthread_caps,
};
