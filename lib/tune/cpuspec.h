/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * CPU-set expressions of profiles: comma-separated terms "all", "numa-local", "irq"
 * (kthreads: their IRQ's CPUs), "none", N, N-M, each optionally prefixed by '!' to
 * exclude; only exclusions means "all but". With { spread: EXPR } object i gets the i-th
 * CPU of the set. Parsed once with the profile, evaluated per device (its NUMA node),
 * queue, IRQ or NAPI on this machine.
 */
#ifndef NT_CPUSPEC_H
#define NT_CPUSPEC_H

#include <stdbool.h>
#include <stddef.h>

#include "cpuset.h"
#include "error.h"
#include "string-table.h"

enum nt_cputerm_kind {
	NT_CPUTERM_ALL,
	NT_CPUTERM_NUMA_LOCAL,
	NT_CPUTERM_IRQ,
	NT_CPUTERM_NONE,
	NT_CPUTERM_LIST,
	_NT_CPUTERM_MAX,
};

DECLARE_STRING_TABLE_LOOKUP(nt_cputerm_kind, enum nt_cputerm_kind);

struct nt_cputerm {
	enum nt_cputerm_kind kind;
	bool exclude;
	struct nt_cpuset *set; /* NT_CPUTERM_LIST */
};

struct nt_cpuspec {
	bool spread;
	size_t n;
	struct nt_cputerm *terms;
	char *text;
};

/* "numa-local,!0" etc.; -EINVAL with the reason. */
int nt_cpuspec_parse(const char *text, bool spread, struct nt_cpuspec *ret, struct nt_err *reterr);
void nt_cpuspec_done(struct nt_cpuspec *s);
/*
 * Evaluates against this machine: @numa_local the device's node CPUs (NULL: all
 * online), @irq the IRQ's CPUs (NULL: 'irq' is an error). Result is within the
 * online CPUs; a listed CPU that does not exist or is offline is an error.
 */
int nt_cpuspec_eval(const struct nt_cpuspec *s, const struct nt_cpus *cpus,
		    const struct nt_cpuset *numa_local, const struct nt_cpuset *irq,
		    struct nt_cpuset *ret, struct nt_err *reterr);
/* The i-th CPU of a set (cyclic), for spreading. -ENOENT if the set is empty. */
int nt_cpuset_nth(const struct nt_cpuset *s, unsigned int i);

#endif
