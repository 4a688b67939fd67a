/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Building a finding: the evaluation context the rules share (rates, saturated CPUs,
 * flow-limit split) and the helpers that fill a struct nt_finding (summary, cause,
 * evidence, remedy and its profile snippet). The rules (rules.c) and the driver
 * (diagnose.c) use it; it uses neither.
 */
#ifndef NT_FINDING_H
#define NT_FINDING_H

#include <stdarg.h>

#include "diagnose.h"
#include "macro.h"

/* Thresholds shared by the rules; nt_rules[] in rules.c names their sources. */
#define NT_RATE_WARN   10.0 /* drops or squeezes per second [ND-SOFTNET][ND-UDP] */
#define NT_RATIO_FLOOR 1000 /* packets in the window before a ratio counts */
/* A NET_RX-saturated CPU (docs/diagnose-json.md, "Levels"): */
#define NT_SAT_SQUEEZE	 10.0 /* time_squeeze per second */
#define NT_SAT_KSOFTIRQD 0.5  /* ksoftirqd share of a CPU */
#define NT_SAT_SOFT	 0.5  /* irq+softirq share of a CPU */

struct nt_diag_ctx {
	const struct nt_rule *rule; /* the rule being evaluated: its findings carry it */
	const struct nt_rates *r;
	const struct nt_snapshot *b;
	double dt;
	bool *saturated;     /* per CPU */
	bool *ring_drop_cpu; /* per CPU: a device whose queue IRQ runs here lost ring packets */
	/*
	 * per CPU: the part of softnet col 2 that are flow-limit drops. col 11 counts on the
	 * CPU that ran the flow limit (the enqueuing CPU), col 2 on the RPS target CPU.
	 */
	uint64_t *fl_drop;
	bool rps_any; /* some rx queue has RPS */
	unsigned int n_online;
	struct nt_diagnosis *d;
	unsigned int cap;
};

/* A new finding of the current rule (c->rule); NULL when out of memory. */
struct nt_finding *nt_finding_add(struct nt_diag_ctx *c, enum nt_level level, int cpu,
				  const char *dev);
void nt_finding_summary(struct nt_finding *f, const char *fmt, ...) _printf_(2, 3);
void nt_finding_cause(struct nt_finding *f, const char *fmt, ...) _printf_(2, 3);
void nt_finding_ev(struct nt_finding *f, const char *counter, const char *source, int cpu,
		   const char *dev, int queue, uint64_t delta, double rate);
void nt_finding_ev_share(struct nt_finding *f, const char *counter, const char *source, int cpu,
			 const char *dev, double share);
/* A setting as evidence: its value and its maximum (-1 unknown). */
void nt_finding_ev_setting(struct nt_finding *f, const char *counter, const char *source,
			   const char *dev, int64_t value, int64_t max);
/* Remedy + profile snippet for a knob in section @section ("sysctl", "device", "queues",
 * "napi", "irqs"); dev NULL for sysctl. */
void nt_finding_remedy(struct nt_finding *f, const char *knob, const char *scope,
		       const char *current, const char *suggested, const char *section,
		       const char *dev, const char *command, const char *caveat);
void nt_finding_remedy_text(struct nt_finding *f, const char *scope, const char *command,
			    const char *caveat);
/*
 * The remedy of a queue or budget that is too small: double sysctl @key (current @cur, -1
 * unknown), never below twice the kernel default @dflt (netdev_max_backlog 1000,
 * netdev_budget 300 [PC]).
 */
void nt_finding_remedy_double(struct nt_finding *f, const char *key, int64_t cur, long long dflt,
			      const char *caveat);

/* The first effective CPU of any RX queue IRQ of @d, -1. */
int nt_diag_dev_irq_cpu(const struct nt_snap_dev *d);
/* Is any RX queue IRQ of @d served by a saturated CPU? Returns that CPU or -1. */
int nt_diag_dev_saturated_cpu(const struct nt_diag_ctx *c, const struct nt_dev_rate *dr);
const struct nt_dev_rate *nt_diag_dev_rate(const struct nt_diag_ctx *c, const char *name);

#endif
