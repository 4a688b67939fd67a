/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * struct nt_ctx: the machine the knob families read and write. The file tree (a root
 * directory: "/" or a test fixture), the netlink handle, the CPUs and the kernel version
 * the planner checks knobs against, and seams for the few operations that neither files
 * nor netlink cover (sched_{get,set}affinity, the GRO ioctl), which tests replace.
 */
#ifndef NT_CTX_H
#define NT_CTX_H

#include <stdbool.h>
#include <sys/types.h>

#include "cpuset.h"
#include "error.h"

struct nt_root;
struct nt_nl;

/* Where the knobs are: the file tree, netlink, and seams for what neither covers. */
struct nt_ctx {
	const struct nt_root *root;
	struct nt_nl *nl; /* NULL: netlink families are unavailable */
	struct nt_cpus cpus;
	unsigned int kver; /* NT_KVER() of the running kernel, 0 = unknown */
	bool live;	   /* root is "/": ioctl and sched_*affinity act on this host */
	/* Seams for tests (NULL = the real syscalls, only when live). */
	int (*get_affinity)(pid_t pid, struct nt_cpuset *ret);
	int (*set_affinity)(pid_t pid, const struct nt_cpuset *s);
	int (*gro_get)(const char *ifname, bool *ret);
	int (*gro_set)(const char *ifname, bool on);
};

/* Fills cpus and kver from ctx->root; sets live if the root is "/". */
int nt_ctx_init(struct nt_ctx *ctx, const struct nt_root *root, struct nt_nl *nl,
		struct nt_err *reterr);

#endif
