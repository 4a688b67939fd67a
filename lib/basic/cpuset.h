/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * CPU sets of up to NT_CPUS_MAX CPUs, in the two text forms the kernel uses:
 *  - hex masks in comma-separated 32-bit groups, most significant first
 *    ("ff,ffffffff"), as in rps_cpus, xps_cpus and /proc/irq/N/smp_affinity;
 *  - cpulists ("0-3,8,10-11"), as in smp_affinity_list and .../cpu/online.
 * Formatting reproduces exactly what the kernel prints, so a value read, parsed and
 * formatted again compares equal to the file.
 */
#ifndef NT_CPUSET_H
#define NT_CPUSET_H

#include <stdbool.h>
#include <stdint.h>

#include "error.h"

struct nt_root;

#define NT_CPUS_MAX 8192

struct nt_cpuset {
	uint64_t bits[NT_CPUS_MAX / 64];
};

void nt_cpuset_zero(struct nt_cpuset *s);
/* -ERANGE if cpu >= NT_CPUS_MAX. */
int nt_cpuset_set(struct nt_cpuset *s, unsigned int cpu);
void nt_cpuset_clear(struct nt_cpuset *s, unsigned int cpu);
bool nt_cpuset_isset(const struct nt_cpuset *s, unsigned int cpu);
unsigned int nt_cpuset_count(const struct nt_cpuset *s);
bool nt_cpuset_is_empty(const struct nt_cpuset *s);
bool nt_cpuset_equal(const struct nt_cpuset *a, const struct nt_cpuset *b);
/* a is a subset of b. */
bool nt_cpuset_is_subset(const struct nt_cpuset *a, const struct nt_cpuset *b);
/* First set CPU >= from, or -1. Iterate: for (c = next(s, 0); c >= 0; c = next(s, c + 1)). */
int nt_cpuset_next(const struct nt_cpuset *s, unsigned int from);
/* Highest set CPU, or -1 if empty. */
int nt_cpuset_last(const struct nt_cpuset *s);
void nt_cpuset_and(struct nt_cpuset *dst, const struct nt_cpuset *a, const struct nt_cpuset *b);
void nt_cpuset_or(struct nt_cpuset *dst, const struct nt_cpuset *a, const struct nt_cpuset *b);
void nt_cpuset_andnot(struct nt_cpuset *dst, const struct nt_cpuset *a, const struct nt_cpuset *b);

#define NT_CPUSET_FOREACH(cpu, s)                                                                  \
	for (int cpu = nt_cpuset_next((s), 0); cpu >= 0;                                           \
	     cpu = nt_cpuset_next((s), (unsigned int)cpu + 1))

/*
 * Parsers accept exactly what the kernel prints, plus one trailing newline.
 * On malformed input they return -EINVAL and say why in reterr (may be NULL);
 * a CPU number >= NT_CPUS_MAX gives -ERANGE.
 */
int nt_cpuset_parse_list(const char *s, struct nt_cpuset *ret, struct nt_err *reterr);
int nt_cpuset_parse_mask(const char *s, struct nt_cpuset *ret, struct nt_err *reterr);

/* "0-3,8,10-11"; "" for the empty set. Caller frees. */
int nt_cpuset_format_list(const struct nt_cpuset *s, char **ret);
/*
 * The kernel's mask format for a bitmap of @nbits bits (nr_cpu_ids): groups of 8
 * hex digits, the first only as wide as its bits need. -ERANGE if a CPU >= nbits
 * is set or nbits is 0 or > NT_CPUS_MAX.
 */
int nt_cpuset_format_mask(const struct nt_cpuset *s, unsigned int nbits, char **ret);

/* The machine's CPUs, from /sys/devices/system/cpu. */
struct nt_cpus {
	struct nt_cpuset possible;
	struct nt_cpuset online;
	unsigned int nr_cpu_ids; /* highest possible CPU + 1: the kernel's mask width */
};

int nt_cpus_read(const struct nt_root *root, struct nt_cpus *ret);

/*
 * Checks that every CPU of @s exists and is online. -EINVAL for a CPU that does
 * not exist ("CPU 9 does not exist: this machine has CPUs 0-3"), -ENXIO for one
 * that exists but is offline. An empty set passes: callers decide if it is allowed.
 */
int nt_cpuset_check(const struct nt_cpuset *s, const struct nt_cpus *cpus, struct nt_err *reterr);

#endif
