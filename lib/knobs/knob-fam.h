/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Knob families: how a knob is read, written and probed. One file per family, each
 * providing a const struct nt_fam_ops, like ethtool_ops: knob-sysctl.c, knob-file.c
 * (device, queue and IRQ files), knob-rings.c, knob-channels.c, knob-coalesce.c (ethtool
 * netlink, sharing knob-netlink.c), knob-features.c, knob-napi.c and knob-kthread.c.
 * Values are the kernel's text (see knob.h).
 */
#ifndef NT_KNOB_FAM_H
#define NT_KNOB_FAM_H

#include "ctx.h"
#include "error.h"
#include "knob.h"

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
extern const struct nt_fam_ops nt_file_ops; /* NT_FAM_DEVSYSFS, NT_FAM_QUEUE, NT_FAM_IRQ */
extern const struct nt_fam_ops nt_rings_ops;
extern const struct nt_fam_ops nt_channels_ops;
extern const struct nt_fam_ops nt_coalesce_ops;
extern const struct nt_fam_ops nt_features_ops;
extern const struct nt_fam_ops nt_napi_ops;
extern const struct nt_fam_ops nt_kthread_ops;

/* The ops of a family (never NULL for a valid family). */
const struct nt_fam_ops *nt_fam_get(enum nt_fam f);

/* The current value of @k on @t as kernel text: its family's read (stats use it too). */
int nt_knob_read(struct nt_ctx *ctx, const struct nt_knob *k, const struct nt_target *t, char **ret,
		 struct nt_err *reterr);

/* Root-relative file of a file-family knob on @t ("sys/class/net/eth0/queues/rx-1/rps_cpus"). */
int nt_knob_file(const struct nt_knob *k, const struct nt_target *t, char **ret);

/* The file families (knob-file.c) and sysctls: first line, and writes with the kernel's errno. */
int nt_fam_file_read(struct nt_ctx *ctx, const struct nt_knob *k, const struct nt_target *t,
		     char **ret, struct nt_err *reterr);
int nt_fam_file_apply(struct nt_ctx *ctx, const struct nt_target *t, const struct nt_write *w,
		      size_t n, struct nt_err *reterr);
int nt_fam_file_caps(struct nt_ctx *ctx, const struct nt_knob *k, const struct nt_target *t,
		     uint64_t *ret_max, struct nt_err *reterr);

#endif
