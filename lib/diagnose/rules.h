/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Shared between diagnose.c (driver, causality) and rules*.c (one function per rule). */
#ifndef NT_RULES_H
#define NT_RULES_H

#include <stdarg.h>

#include "diagnose.h"
#include "macro.h"

/* DIAGNOSE-RULES.md thresholds; see the rule table in rules.c for the sources. */
#define NT_RATE_WARN 10.0	/* drops or squeezes per second [ND-SOFTNET][ND-UDP] */
#define NT_RATIO_FLOOR 1000	/* packets in the window before a ratio counts (§1) */
#define NT_SAT_SQUEEZE 10.0	/* §3: time_squeeze per second */
#define NT_SAT_KSOFTIRQD 0.5	/* §3: ksoftirqd share of a CPU */
#define NT_SAT_SOFT 0.5		/* §3: irq+softirq share of a CPU */

struct nt_diag_ctx {
	const struct nt_rates *r;
	const struct nt_snapshot *b;
	double dt;
	bool *saturated;	/* per CPU, §3 */
	bool *ring_drop_cpu;	/* per CPU: a device whose queue IRQ runs here lost ring packets */
	/*
	 * per CPU: the part of softnet col 2 that are flow-limit drops. col 11 counts on the
	 * CPU that ran the flow limit (the enqueuing CPU), col 2 on the RPS target CPU.
	 */
	uint64_t *fl_drop;
	bool rps_any;		/* some non-loopback rx queue has RPS */
	unsigned int n_online;
	struct nt_diagnosis *d;
	unsigned int cap;
};

struct nt_finding *diag_add(struct nt_diag_ctx *c, const char *rule_id, enum nt_level level,
			    int cpu, const char *dev);
void diag_summary(struct nt_finding *f, const char *fmt, ...) _printf_(2, 3);
void diag_cause(struct nt_finding *f, const char *fmt, ...) _printf_(2, 3);
void diag_ev(struct nt_finding *f, const char *counter, const char *source, int cpu,
	     const char *dev, int queue, uint64_t delta, double rate);
void diag_ev_share(struct nt_finding *f, const char *counter, const char *source, int cpu,
		   const char *dev, double share);
/* A setting as evidence: its value and its maximum (-1 unknown). */
void diag_ev_setting(struct nt_finding *f, const char *counter, const char *source,
		     const char *dev, int64_t value, int64_t max);
/* Remedy + profile snippet for a knob in section @section ("sysctl", "device", "queues",
 * "napi", "irqs"); dev NULL for sysctl. */
void diag_remedy(struct nt_finding *f, const char *knob, const char *scope, const char *current,
		 const char *suggested, const char *section, const char *dev, const char *command,
		 const char *caveat);
void diag_remedy_text(struct nt_finding *f, const char *scope, const char *command,
		      const char *caveat);

/* The first effective CPU of any RX queue IRQ of @d, -1. */
int diag_dev_irq_cpu(const struct nt_snap_dev *d);
/* Is any RX queue IRQ of @d served by a saturated CPU? Returns that CPU or -1. */
int diag_dev_saturated_cpu(const struct nt_diag_ctx *c, const struct nt_dev_rate *dr);
const struct nt_dev_rate *diag_dev_rate(const struct nt_diag_ctx *c, const char *name);

/* Rule functions (rules.c). */
void rule_backlog(struct nt_diag_ctx *c);
void rule_squeeze(struct nt_diag_ctx *c);
void rule_flow_limit(struct nt_diag_ctx *c);
void rule_ring(struct nt_diag_ctx *c);
void rule_socket(struct nt_diag_ctx *c);
void rule_listen(struct nt_diag_ctx *c);
void rule_irq_imbalance(struct nt_diag_ctx *c);
void rule_rx_imbalance(struct nt_diag_ctx *c);
void rule_ksoftirqd(struct nt_diag_ctx *c);
void rule_single_queue(struct nt_diag_ctx *c);
void rule_busy_poll(struct nt_diag_ctx *c);
void rule_threaded(struct nt_diag_ctx *c);
void rule_gro(struct nt_diag_ctx *c);
void rule_nohandler(struct nt_diag_ctx *c);
void rule_allowance(struct nt_diag_ctx *c);
void rule_adapter(struct nt_diag_ctx *c);

/* R04 ring-overflow accounting of one device, shared by R04, R14 and causality. */
struct ring_drops {
	uint64_t std;		/* rx_missed + rx_fifo + rx_over */
	uint64_t drv;		/* matching driver counters */
	uint64_t qs;		/* qstats rx-hw-drop-overruns */
	uint64_t mac;		/* ethtool stats eth-mac FramesLostDueToIntMACRcvError */
	uint64_t total;		/* counted once: the largest of the four */
	int drv_dup_rx_dropped;	/* a driver counter moved exactly like rx_dropped (old mlx5) */
};
void diag_ring_drops(const struct nt_dev_rate *dr, struct ring_drops *ret);
bool diag_is_ring_counter(const char *name);

#endif
