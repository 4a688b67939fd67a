/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The knob table: every tunable napitune knows, expanded from knobs.def. One row
 * gives a knob its key (the one spelling used in YAML, CLI, JSON, journal and docs),
 * its family (how it is read and written), scope, type, unit, range and the kernel
 * it needs. Parsing, validation, planning, applying and docs all derive from it.
 *
 * Values travel as text in the kernel's own format ("3" for a 2-CPU mask, "4096\t
 * 131072\t6291456" for tcp_rmem): what was read is what is journaled and restored,
 * byte for byte. nt_knob_value_equal() compares two such texts by meaning.
 */
#ifndef NT_KNOB_H
#define NT_KNOB_H

#include <stdbool.h>
#include <stdint.h>

#include "cpuset.h"
#include "error.h"
#include "string-table.h"

enum nt_fam {
	NT_FAM_SYSCTL,	 /* /proc/sys/net/... */
	NT_FAM_DEVSYSFS, /* /sys/class/net/DEV/{threaded,napi_defer_hard_irqs,...} */
	NT_FAM_QUEUE,	 /* /sys/class/net/DEV/queues/{rx,tx}-N/... */
	NT_FAM_IRQ,	 /* /proc/irq/N/smp_affinity_list */
	NT_FAM_RINGS,	 /* ethtool netlink RINGS_GET/SET */
	NT_FAM_CHANNELS, /* ethtool netlink CHANNELS_GET/SET */
	NT_FAM_COALESCE, /* ethtool netlink COALESCE_GET/SET */
	NT_FAM_FEATURES, /* GRO (ethtool ETHTOOL_GGRO/SGRO) */
	NT_FAM_NAPI,	 /* netdev netlink napi-set (6.13+) */
	NT_FAM_KTHREAD,	 /* sched_setaffinity() of napi/<dev>-<id> threads */
	NT_FAM_RSS,	 /* ethtool RSS_GET/RSS_SET or ETHTOOL_SRSSH, ETHTOOL_{G,S}RXFH */
	_NT_FAM_MAX,
};

enum nt_scope {
	NT_SCOPE_GLOBAL,
	NT_SCOPE_DEV,
	NT_SCOPE_QUEUE,
	NT_SCOPE_IRQ,
	NT_SCOPE_NAPI,
	_NT_SCOPE_MAX,
};

enum nt_type {
	NT_T_U32, /* decimal */
	NT_T_U64,
	NT_T_BOOL,	/* 0/1 */
	NT_T_ENUM,	/* a number with a name per value (names); on/off too */
	NT_T_USEC,	/* microseconds: accepts "50us", "1ms" */
	NT_T_NSEC,	/* nanoseconds: accepts "200us", "20ms" */
	NT_T_BYTES,	/* bytes: accepts "16MiB", "4k" */
	NT_T_CPUMASK,	/* kernel hex mask (rps_cpus) */
	NT_T_CPULIST,	/* cpulist (smp_affinity_list) */
	NT_T_TRIPLE,	/* three byte values "min default max" (tcp_rmem) */
	NT_T_RAW,	/* any other sysctl: text as the kernel prints it */
	NT_T_RSS_INDIR, /* RSS table "0 1 2 3 ...", or "equal N" / "weights W..." */
	NT_T_HEXKEY,	/* bytes as "6d:5a:..." (the RSS key) */
	NT_T_RXHASH,	/* hash fields in ethtool's letters ("sdfn") */
	_NT_T_MAX,
};

#define NT_KVER(a, b) ((a)*1000u + (b))

struct nt_knob {
	const char *key;
	enum nt_fam fam;
	enum nt_scope scope;
	enum nt_type type;
	const char *unit;	  /* display unit ("us", "ns", "bytes") or NULL */
	uint64_t min, max;	  /* inclusive, for scalar types; max 0 = type maximum */
	bool pow2;		  /* the kernel rounds to a power of two: require one */
	bool max_from_dev;	  /* "max" means the device's maximum (rings, channels) */
	const char *path;	  /* sysctl/sysfs/procfs file pattern, root-relative */
	int attr;		  /* netlink attribute */
	bool nla_u8;		  /* ... of type NLA_U8 (ethtool booleans), else NLA_U32 */
	unsigned int kmin;	  /* NT_KVER of the first kernel that has it, 0 = any */
	const char *const *names; /* NT_T_ENUM: the name of each value, NULL-terminated */
	const char *help;
};

#define KNOB(id, key_, ...) NT_KNOB_##id,
enum nt_knob_id {
#include "knobs.def"
	_NT_KNOB_MAX,
};
#undef KNOB

extern const struct nt_knob nt_knobs[_NT_KNOB_MAX];

DECLARE_STRING_TABLE_LOOKUP(nt_fam, enum nt_fam);
DECLARE_STRING_TABLE_LOOKUP(nt_scope, enum nt_scope);
DECLARE_STRING_TABLE_LOOKUP(nt_type, enum nt_type);

static inline enum nt_knob_id nt_knob_id(const struct nt_knob *k)
{
	return (enum nt_knob_id)(k - nt_knobs);
}

/*
 * Knob by key. Sysctls outside the table match the generic "net.*" row
 * (NT_KNOB_SYSCTL_ANY) if the name is well formed; NULL otherwise.
 */
const struct nt_knob *nt_knob_lookup(const char *key);
/* The table key closest to @key (edit distance <= 3) in @scope (-1: any), or NULL. */
const char *nt_knob_suggest(const char *key, int scope);

/* A sysctl name napitune may touch: net.*, [a-z0-9_.-] only, no empty components. */
bool nt_sysctl_name_valid(const char *name);
/* "net.core.rmem_max" -> "proc/sys/net/core/rmem_max". Caller frees. */
int nt_sysctl_path(const char *name, char **ret);

/*
 * Parses a user value (profile or CLI) into the kernel's text: units converted
 * ("50us" -> "50" for a usec knob, "200us" -> "200000" for a nsec knob, "16MiB" ->
 * "16777216", "on" -> "1"; a bare number, "2" or "2.0", is in the knob's own unit),
 * range and power-of-two checked. For "max" on a
 * max_from_dev knob, returns 0 with ret = "max". CPU-set types are not parsed here
 * (they are expressions resolved per device; see profile.h). Errors say why in reterr.
 */
int nt_knob_parse(const struct nt_knob *k, const char *text, char **ret, struct nt_err *reterr);

/*
 * Numbers with units: "50us", "1.5ms" -> nanoseconds; "16MiB", "4k", "4096" -> bytes.
 * Decimal with at most nine significant fraction digits; the result must be a whole
 * number of nanoseconds or bytes (-EINVAL) below 2^64 (-ERANGE). A duration needs a unit.
 */
int nt_parse_duration_ns(const char *s, uint64_t *ret);
int nt_parse_size(const char *s, uint64_t *ret);

/* Whether two kernel-format texts mean the same value for this knob. */
bool nt_knob_value_equal(const struct nt_knob *k, const char *a, const char *b);

/* Human text for a kernel-format value: "50 us", "on", "16777216 (16 MiB)". Caller frees. */
int nt_knob_format(const struct nt_knob *k, const char *value, char **ret);

#endif
