/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * /proc/net/softnet_stat: one line per online CPU, every field %08x of a 32-bit
 * counter. The column count tells the kernel generation (softnet_seq_show() in the
 * kernel's net/core/net-procfs.c):
 *   9  (2.6.23)  processed dropped time_squeeze 0*5 cpu_collision
 *   11 (<= 5.9)  + received_rps flow_limit_count
 *   13 (5.10+)   + backlog_len cpu_id
 *   15 (6.4+)    + input_qlen process_qlen
 * Without the CPU id column, line order is online CPU order. Host-global (not per netns).
 */
#ifndef NT_STATS_SOFTNET_H
#define NT_STATS_SOFTNET_H

#include <stdbool.h>
#include <stdint.h>

struct nt_root;
struct nt_cpuset;

struct nt_softnet_cpu {
	unsigned int cpu;
	uint32_t processed;
	uint32_t dropped; /* backlog + flow-limit drops, on the target CPU */
	uint32_t time_squeeze;
	uint32_t received_rps;
	uint32_t flow_limit_count;
	uint32_t backlog_len;  /* gauge; 13+ columns */
	uint32_t input_qlen;   /* gauge; 15 columns */
	uint32_t process_qlen; /* gauge; 15 columns */
};

struct nt_softnet {
	unsigned int n;
	unsigned int ncols;	    /* columns of the first line: 9, 11, 13 or 15 (or more) */
	bool have_cpu_id;	    /* ids came from column 13, else from @online order */
	struct nt_softnet_cpu *cpu; /* sorted by cpu */
};

/*
 * Parses the file's text. @online (may be NULL: CPUs 0..n-1) names the CPUs of
 * lines that carry no CPU id column. -EBADMSG on malformed text (fewer than 9
 * columns, a non-hex field, a line with a different column count).
 */
int nt_softnet_parse(const char *text, const struct nt_cpuset *online, struct nt_softnet *ret);
int nt_softnet_read(const struct nt_root *root, const struct nt_cpuset *online,
		    struct nt_softnet *ret);
void nt_softnet_done(struct nt_softnet *s);
const struct nt_softnet_cpu *nt_softnet_find(const struct nt_softnet *s, unsigned int cpu);

/* Delta of a 32-bit counter that may have wrapped once. */
static inline uint32_t nt_delta_u32(uint32_t a, uint32_t b)
{
	return b - a;
}

#endif
