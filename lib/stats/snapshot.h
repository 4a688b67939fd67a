/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A whole-machine sample of the receive path: every stats source (stats-*.h) plus the
 * configuration the rules need (sysctls, per-device queues, RPS, IRQ placement,
 * threaded NAPI, busy-poll settings), taken at one CLOCK_MONOTONIC instant; and the
 * rates between two samples (nt_rates), with 32-bit wrap and counter-reset handling
 * (docs/diagnose-json.md, "Counters").
 *
 * Sources that cannot be read are recorded in err[] with the reason, never guessed:
 * the diagnosis says what it could not see.
 */
#ifndef NT_SNAPSHOT_H
#define NT_SNAPSHOT_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

#include "cpuset.h"
#include "string-table.h"
#include "stats-cpustat.h"
#include "stats-ethstd.h"
#include "stats-ethtool.h"
#include "interrupts.h"
#include "stats-link.h"
#include "stats-qstats.h"
#include "stats-snmp.h"
#include "stats-softirqs.h"
#include "stats-sockets.h"
#include "stats-softnet.h"
#include "kthreads.h"

struct nt_root;
struct nt_nl;

enum nt_src {
	NT_SRC_CPUS,	    /* /sys/devices/system/cpu */
	NT_SRC_SOFTNET,	    /* /proc/net/softnet_stat */
	NT_SRC_SOFTIRQS,    /* /proc/softirqs */
	NT_SRC_CPUSTAT,	    /* /proc/stat */
	NT_SRC_INTERRUPTS,  /* /proc/interrupts */
	NT_SRC_THREADS,	    /* /proc/<pid>/stat of ksoftirqd and napi threads */
	NT_SRC_SNMP,	    /* /proc/net/snmp + netstat (this netns) */
	NT_SRC_LINK,	    /* IFLA_STATS64 (or sysfs statistics) */
	NT_SRC_DEVICES,	    /* /sys/class/net: queues, RPS, threaded, IRQs */
	NT_SRC_SYSCTL,	    /* /proc/sys/net/core */
	NT_SRC_ETHTOOL,	    /* driver stats (ETHTOOL_GSTATS), live only */
	NT_SRC_QSTATS,	    /* netdev genl qstats, live only, 6.9+ */
	NT_SRC_RINGS,	    /* RX ring sizes (ethtool -g, RINGS_GET) */
	NT_SRC_ETHSTD,	    /* standard stats groups (ethtool netlink STATS_GET) */
	NT_SRC_SOCKETS,	    /* /proc/net/udp, /proc/net/udp6 (this netns) */
	NT_SRC_SOCK_DIAG,   /* sock_diag: UDP and TCP sockets, buffers, listeners (this netns) */
	NT_SRC_SOCK_OWNERS, /* /proc/<pid>/fd: the process of a socket that dropped */
	_NT_SRC_MAX,
};

DECLARE_STRING_TABLE_LOOKUP(nt_src, enum nt_src);

struct nt_snap_irq {
	unsigned int irq;
	enum nt_irq_kind kind;
	int queue;	    /* -1: not a queue's vector */
	int eff_cpu;	    /* first CPU of effective_affinity_list (else smp_affinity_list), -1 */
	unsigned int n_eff; /* CPUs in that list */
};

/* The flow types whose RSS hash fields a sample records (the rss.hash.* knobs). */
enum nt_rss_flow {
	NT_RSS_FLOW_TCP4,
	NT_RSS_FLOW_UDP4,
	NT_RSS_FLOW_TCP6,
	NT_RSS_FLOW_UDP6,
	_NT_RSS_FLOW_MAX,
};
/* "tcp4", "udp4", ... (the rss.hash.<flow> keys), NULL if out of range. */
const char *nt_rss_flow_to_string(enum nt_rss_flow f);

struct nt_snap_dev {
	char name[IF_NAMESIZE];
	int ifindex;
	bool physical; /* has a device link */
	bool loopback;
	char bus_id[64]; /* basename of the device link ("virtio2", "0000:03:00.0") */
	unsigned int n_rx, n_tx;
	unsigned int n_rps;	      /* rx queues with a non-empty rps_cpus */
	int threaded;		      /* /sys/class/net/X/threaded: 0/1, -1 unknown */
	int64_t gro_flush_timeout;    /* ns, -1 unknown */
	int64_t napi_defer_hard_irqs; /* -1 unknown */
	int gro;		      /* generic-receive-offload: 1 on, 0 off, -1 unknown */
	unsigned int n_irq;
	struct nt_snap_irq *irq;
	bool have_stats;
	struct nt_link_stats stats;
	struct nt_ethtool_stats ethtool; /* n == 0 when unavailable */
	struct nt_qstats qstats;	 /* have == false when unavailable */
	struct nt_ethstd_stats ethstd;	 /* eth-mac etc.; n == 0 when unavailable */
	/* RX ring size (ethtool -g): current and pre-set maximum, -1 unknown */
	int64_t ring_rx, ring_rx_max;
	int64_t channels_max; /* combined channels' pre-set maximum (ethtool -l), -1 unknown */
	/*
	 * RSS of the main context, read as the rss knobs read it (knob-rss.h): rss 1 with the
	 * indirection table in rss_indir, 0 no RSS (one RX queue, lo, veth, a driver without
	 * get_rxfh), -1 unknown. rss_fields: the RXH_* bits hashed per flow type
	 * (NT_RSS_FLOW_*), 0 unknown or not hashed.
	 */
	int rss;
	unsigned int n_rss_indir;
	uint32_t *rss_indir;
	uint32_t rss_fields[_NT_RSS_FLOW_MAX];
};

/* net.core.* and related values; -1 when the file is missing (e.g. in a non-init netns). */
struct nt_snap_sysctl {
	int64_t netdev_max_backlog, netdev_budget, netdev_budget_usecs, dev_weight;
	int64_t busy_read, busy_poll, rps_sock_flow_entries, flow_limit_table_len, somaxconn;
	int64_t tcp_max_syn_backlog, rmem_max, rmem_default;
	int64_t tcp_rmem[3]; /* min, default, max; -1 unknown */
	bool flow_limit_any; /* flow_limit_cpu_bitmap non-empty */
};

struct nt_snapshot {
	uint64_t t_ns; /* CLOCK_MONOTONIC */
	long clk_tck;
	int err[_NT_SRC_MAX]; /* 0, or the -errno that made the source unavailable */
	struct nt_cpus cpus;
	struct nt_softnet softnet;
	struct nt_softirqs softirqs;
	struct nt_cpustat cpustat;
	struct nt_interrupts irqs;
	struct nt_kthreads threads;
	struct nt_snmp snmp;
	struct nt_sockets socks; /* sockets with drops, named (stats-sockets.h) */
	struct nt_snap_sysctl sysctl;
	int *cpu_node; /* per CPU (nr_cpu_ids entries): NUMA node, -1 unknown */
	unsigned int n_dev;
	struct nt_snap_dev *dev; /* sorted by name */
	/*
	 * Taken with topo_from, the kept topology no longer matches what this sample read: the
	 * link statistics list a device it lacks or lack one it has (or its ifindex changed), a
	 * kept kernel thread is gone or renamed, the online CPUs changed. The caller resolves
	 * the topology again (a sample without topo_from); this sample's counters are good.
	 */
	bool topo_stale;
};

struct nt_snapshot_opts {
	const struct nt_root *root;
	/*
	 * The root is the running system: read device counters and features over
	 * netlink/ioctl. False for fixture trees (sysfs statistics only).
	 */
	bool live;
	struct nt_nl
		*nl; /* genl handle for qstats, ethtool names and standard stats; may be NULL */
	const char *netdir; /* snmp/netstat directory, NULL: "proc/net" */
	/*
	 * Sources not to read this time, 1 << enum nt_src, for a caller that reads the
	 * expensive ones less often (the daemon): NT_SNAPSHOT_SKIPPABLE only. Their err[] is
	 * -EAGAIN.
	 */
	unsigned int skip;
	/*
	 * With /proc/interrupts skipped: the sample whose IRQ names resolve the devices' queue
	 * IRQs (their CPUs are read anew), so the topology needs no /proc/interrupts; NULL:
	 * devices have no IRQs then.
	 */
	const struct nt_snapshot *irqs_from;
	/*
	 * The topology kept from an earlier sample of the same root (the daemon's last full
	 * one), NULL: resolve it. Taken over instead of read: the devices with their queues,
	 * IRQs and the IRQs' CPUs, RPS and the device settings (NT_SRC_DEVICES), the NUMA node
	 * of each CPU, which kernel threads are ksoftirqd and napi (their times are read anew).
	 * What the sample reads anyway checks it (ret->topo_stale). Takes precedence over
	 * irqs_from. If /proc/interrupts is read, only the rows of its devices' IRQs are kept.
	 */
	const struct nt_snapshot *topo_from;
	/* If set, _NT_SRC_MAX entries: the CPU time (ns, this thread) of each source is added. */
	uint64_t *cost_ns;
};

#define NT_SNAPSHOT_SKIPPABLE                                                                      \
	((1u << NT_SRC_INTERRUPTS) | (1u << NT_SRC_SOCKETS) | (1u << NT_SRC_SOCK_DIAG) |           \
	 (1u << NT_SRC_SOCK_OWNERS) | (1u << NT_SRC_ETHTOOL) | (1u << NT_SRC_RINGS) |              \
	 (1u << NT_SRC_ETHSTD))

/*
 * Takes a sample. Fails only when nothing could be read or memory ran out; single
 * unavailable sources are recorded in ret->err[]. ret is always initialised, and must
 * be released with nt_snapshot_done() after success.
 */
int nt_snapshot_take(const struct nt_snapshot_opts *opts, struct nt_snapshot *ret);
void nt_snapshot_done(struct nt_snapshot *s);
const struct nt_snap_dev *nt_snapshot_find_dev(const struct nt_snapshot *s, const char *name);

/* ---- rates between two samples ---- */

struct nt_cpu_rate {
	unsigned int cpu;
	bool valid; /* online in both samples, present in softnet */
	/* softnet deltas (mod 2^32) */
	uint64_t d_processed, d_dropped, d_squeeze, d_flow_limit, d_rps;
	uint32_t backlog_len; /* gauge at the second sample */
	/* /proc/softirqs deltas */
	uint64_t d_net_rx, d_softirq_all;
	/* /proc/stat shares of this CPU's time, -1 if unknown */
	double soft; /* (irq + softirq) / total */
	double idle; /* (idle + iowait) / total */
	/* ksoftirqd/N, -1 if unknown */
	double ksoftirqd;      /* CPU share of one CPU */
	double ksoftirqd_wait; /* run_delay share of the window */
	uint64_t d_dev_irqs;   /* interrupts of network queue vectors handled here */
};

struct nt_dev_rate {
	const struct nt_snap_dev *a, *b;
	bool valid; /* same ifindex and no counter went down */
	uint64_t d[_NT_LINK_STAT_MAX];
	uint64_t *d_irq_cpu; /* per CPU (n_cpu entries): Δ of this device's queue IRQs */
	uint64_t d_irq;	     /* total of the above */
	uint64_t *d_irq_q;   /* per b->irq[] entry: Δ of that IRQ on all CPUs */
	/* driver counters (ethtool -S), deltas aligned to b->ethtool; NULL if not comparable */
	uint64_t *d_ethtool;
	/* standard stats: Δ of b->ethstd.stat[k], 0 if absent in a or reset; valid: a has any */
	bool ethstd_valid;
	uint64_t d_ethstd[NT_ETHSTD_STATS_MAX];
	bool qstats_valid;
	uint64_t d_qs_rx_packets, d_qs_hw_drops, d_qs_hw_drop_overruns, d_qs_alloc_fail;
};

struct nt_kthread_rate {
	const struct nt_kthread *t; /* in the second sample */
	double cpu;		    /* share of one CPU */
	double wait;		    /* run_delay share of the window, -1 unknown */
};

/* A socket whose drop counter moved in the window. */
struct nt_sock_rate {
	const struct nt_sock *s; /* in the second sample */
	uint64_t d_drops;
};

struct nt_rates {
	const struct nt_snapshot *a, *b;
	double dt;	    /* seconds */
	unsigned int n_cpu; /* nr_cpu_ids; cpu[] indexed by CPU */
	struct nt_cpu_rate *cpu;
	bool cpus_changed; /* online set differs: per-CPU rates are discarded */
	unsigned int n_dev;
	struct nt_dev_rate *dev; /* devices present in both, in b's order */
	unsigned int n_kt;
	struct nt_kthread_rate *kt; /* napi and ksoftirqd threads present in both */
	unsigned int n_sock;
	struct nt_sock_rate *sock; /* most drops first */
};

/* -EINVAL if b is not later than a. */
int nt_rates_compute(const struct nt_snapshot *a, const struct nt_snapshot *b,
		     struct nt_rates *ret);
void nt_rates_done(struct nt_rates *r);
/* NUMA node of @cpu in the second sample, -1 unknown. */
int nt_rates_cpu_node(const struct nt_rates *r, unsigned int cpu);
/* Δ of a protocol counter, false if missing in either sample or it went down. */
bool nt_rates_snmp(const struct nt_rates *r, const char *group, const char *name, uint64_t *ret);
/* Δ of a 64-bit counter; false (reset) if it went down. */
static inline bool nt_delta_u64(uint64_t a, uint64_t b, uint64_t *ret)
{
	if (b < a)
		return false;
	*ret = b - a;
	return true;
}

#endif
