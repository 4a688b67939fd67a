/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Profiles: YAML (libyaml) -> struct nt_profile. Keys are knob keys (knob.h),
 * grouped by scope:
 *
 *   include: [balanced]            # names or paths, applied first
 *   irqbalance: ban                # ban | stop | refuse | ignore
 *   sysctl:    { net.core.netdev_budget: 600, net.ipv4.tcp_rmem: [4096, 131072, 16MiB] }
 *   devices:
 *     - match: physical            # all | physical | "eth*" | ["eth*", "!eth9"] |
 *                                  # { name: [...], driver: [...], physical: true }
 *       required: false            # missing devices: error instead of warning
 *       device: { channels.combined: max, gro: on, coalesce.rx-usecs: 50us }
 *       napi:   { napi.defer-hard-irqs: 2, napi.kthread-cpus: irq }
 *       queues: { rps_cpus: numa-local, rps_flow_cnt: 4096, xps_cpus: { spread: all } }
 *       irqs:   { smp_affinity: { spread: "numa-local,!0" } }
 *
 * CPU expressions: comma-separated terms "all", "numa-local", "irq" (kthreads),
 * "none", N, N-M, each optionally prefixed by '!' to exclude; only exclusions means
 * "all but". { spread: EXPR } gives queue/IRQ i the i-th CPU of the set.
 *
 * Validation is strict and collects every problem with file:line:col.
 */
#ifndef NT_PROFILE_H
#define NT_PROFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "cpuspec.h"
#include "devmatch.h"
#include "error.h"
#include "knob.h"
#include "msgs.h"

#define NT_PROFILE_SIZE_MAX    (1u << 20)
#define NT_PROFILE_DEPTH_MAX   8
#define NT_PROFILE_INCLUDE_MAX 8

enum nt_irqbalance_mode {
	NT_IRQBALANCE_UNSET, /* refuse if it runs and the profile sets IRQ affinity */
	NT_IRQBALANCE_BAN,   /* keep running, ban our IRQs (IRQBALANCE_BANNED_IRQS drop-in) */
	NT_IRQBALANCE_STOP,  /* stop irqbalance.service for the duration */
	NT_IRQBALANCE_REFUSE,
	NT_IRQBALANCE_IGNORE, /* the user takes responsibility */
	_NT_IRQBALANCE_MAX,
};

DECLARE_STRING_TABLE_LOOKUP(nt_irqbalance_mode, enum nt_irqbalance_mode);

struct nt_setting {
	const struct nt_knob *knob;
	char *name;		/* the key as written (sysctl name for generic ones) */
	char *value;		/* kernel text of a scalar ("max" allowed); NULL: CPU type */
	struct nt_cpuspec cpus; /* CPU types */
	char *where;		/* "file:line:col" */
};

struct nt_devblock {
	struct nt_devmatch match;
	bool required;
	struct nt_setting *settings;
	size_t n_settings;
	char *where;
};

struct nt_profile {
	char *name;
	char *description;
	char *path;
	enum nt_irqbalance_mode irqbalance;
	struct nt_setting *sysctls; /* in order; later ones override earlier */
	size_t n_sysctls;
	struct nt_devblock *blocks; /* included profiles' blocks first */
	size_t n_blocks;
};

/*
 * Finds a profile: a path (contains '/' or names an existing file) or a name looked up
 * as NAME.yaml / NAME in each of @dirs (NULL-terminated; the first hit wins).
 */
int nt_profile_find(const char *name_or_path, const char *const *dirs, char **ret_path,
		    struct nt_err *reterr);

/*
 * Loads and validates. Returns -EINVAL if msgs has errors (the profile is then not
 * returned); warnings alone do not fail. @dirs resolves include: names.
 */
int nt_profile_load(const char *path, const char *const *dirs, struct nt_profile **ret,
		    struct nt_msgs *msgs);
/* Parses from memory (fuzzing, tests); @path names it in messages. */
int nt_profile_load_buffer(const char *path, const char *buf, size_t len, const char *const *dirs,
			   struct nt_profile **ret, struct nt_msgs *msgs);
struct nt_profile *nt_profile_free(struct nt_profile *p);
DEFINE_TRIVIAL_CLEANUP_FUNC(struct nt_profile *, nt_profile_free);

/* Default search path: $NAPITUNE_PROFILE_PATH (colon-separated) or the built-in dirs. */
const char *const *nt_profile_dirs(void);

#endif
