/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * /proc/stat "cpu" lines: time per CPU in USER_HZ ticks (proc(5)): user nice system
 * idle iowait irq softirq steal guest guest_nice. Older kernels print fewer fields;
 * missing ones read as 0. guest time is already included in user. Host-global.
 */
#ifndef NT_STATS_CPUSTAT_H
#define NT_STATS_CPUSTAT_H

#include <stdbool.h>
#include <stdint.h>

struct nt_root;

struct nt_cpustat_cpu {
	bool present;
	uint64_t user, nice, system, idle, iowait, irq, softirq, steal;
};

struct nt_cpustat {
	unsigned int n_cpu; /* highest cpuN + 1; cpu[] indexed by CPU */
	struct nt_cpustat_cpu *cpu;
	struct nt_cpustat_cpu all; /* the aggregate "cpu" line */
};

/* Sum of all fields of @c (guest excluded: it is inside user). */
uint64_t nt_cpustat_total(const struct nt_cpustat_cpu *c);

int nt_cpustat_parse(const char *text, struct nt_cpustat *ret);
int nt_cpustat_read(const struct nt_root *root, struct nt_cpustat *ret);
void nt_cpustat_done(struct nt_cpustat *s);

#endif
