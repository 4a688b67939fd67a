/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Knob families: how a knob is read, written and probed. One file per family
 * (knob-sysctl.c, knob-sysfs.c, knob-irq.c, knob-ethtool.c, knob-napi.c,
 * knob-kthread.c), each providing a const struct nt_fam_ops, like ethtool_ops.
 * Values are the kernel's text (see knob.h).
 */
#ifndef NT_KNOB_FAM_H
#define NT_KNOB_FAM_H

#include <sys/types.h>

#include "cpuset.h"
#include "error.h"
#include "knob.h"

struct nt_root;
struct nt_nl;

/* Where the knobs are: the file tree, netlink, and seams for what neither covers. */
struct nt_ctx {
	struct nt_root *root;
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
int nt_ctx_init(struct nt_ctx *ctx, struct nt_root *root, struct nt_nl *nl, struct nt_err *reterr);

/* The object a knob is read from or written to. */
struct nt_target {
	const char *ifname; /* device scopes */
	int ifindex;
	unsigned int index; /* queue index, IRQ number or NAPI id */
	int pid;	    /* NAPI kthread */
	const char *sysctl; /* sysctl name (global scope) */
};

struct nt_write {
	const struct nt_knob *knob;
	const char *value; /* kernel text */
};

struct nt_fam_ops {
	/* Current value as kernel text. -EOPNOTSUPP (+ reason) if not available here. */
	int (*read)(struct nt_ctx *ctx, const struct nt_knob *k, const struct nt_target *t,
		    char **ret, struct nt_err *reterr);
	/*
	 * Writes several knobs of one target: one netlink message per family and device;
	 * file families write in order and stop at the first error. Reports the kernel's
	 * error (extack for netlink) in reterr, naming the knob.
	 */
	int (*apply)(struct nt_ctx *ctx, const struct nt_target *t, const struct nt_write *w,
		     size_t n, struct nt_err *reterr);
	/*
	 * 0 if @k can be set on @t; -EOPNOTSUPP with the reason otherwise. For
	 * max_from_dev knobs also the device maximum (ret_max may be NULL).
	 */
	int (*caps)(struct nt_ctx *ctx, const struct nt_knob *k, const struct nt_target *t,
		    uint64_t *ret_max, struct nt_err *reterr);
};

extern const struct nt_fam_ops nt_sysctl_ops;
extern const struct nt_fam_ops nt_devsysfs_ops;
extern const struct nt_fam_ops nt_queue_ops;
extern const struct nt_fam_ops nt_irq_ops;
extern const struct nt_fam_ops nt_rings_ops;
extern const struct nt_fam_ops nt_channels_ops;
extern const struct nt_fam_ops nt_coalesce_ops;
extern const struct nt_fam_ops nt_features_ops;
extern const struct nt_fam_ops nt_napi_ops;
extern const struct nt_fam_ops nt_kthread_ops;

/* The ops of a family (never NULL for a valid family). */
const struct nt_fam_ops *nt_fam_get(enum nt_fam f);

/* Root-relative file of a file-family knob on @t ("sys/class/net/eth0/queues/rx-1/rps_cpus"). */
int nt_knob_file(const struct nt_knob *k, const struct nt_target *t, char **ret);

/* Shared by the file families: read the first line, and write with the kernel's errno. */
int nt_fam_file_read(struct nt_ctx *ctx, const struct nt_knob *k, const struct nt_target *t,
		     char **ret, struct nt_err *reterr);
int nt_fam_file_apply(struct nt_ctx *ctx, const struct nt_target *t, const struct nt_write *w,
		      size_t n, struct nt_err *reterr);
int nt_fam_file_caps(struct nt_ctx *ctx, const struct nt_knob *k, const struct nt_target *t,
		     uint64_t *ret_max, struct nt_err *reterr);

#endif
