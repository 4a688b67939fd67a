/* SPDX-License-Identifier: GPL-2.0 */
/*
 * napiref - reference multi-queue NAPI driver with a software "hardware".
 *
 * Shared private header: device model, per-queue state and the functions
 * each napiref_*.c file exports to the others.
 */
#ifndef _NAPIREF_H_
#define _NAPIREF_H_

#include <linux/atomic.h>
#include <linux/cpumask.h>
#include <linux/hrtimer.h>
#include <linux/interrupt.h>
#include <linux/irq_work.h>
#include <linux/list.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/smp.h>
#include <linux/spinlock.h>
#include <linux/u64_stats_sync.h>

#define NAPIREF_DRV_NAME	"napiref"
#define NAPIREF_DRV_VERSION	"1.0"

#define NAPIREF_MAX_QUEUES	16
#define NAPIREF_DEF_QUEUES	4
#define NAPIREF_MAX_PORTS	64
#define NAPIREF_RING_MIN	64
#define NAPIREF_RING_DEF	1024
#define NAPIREF_RING_MAX	4096
#define NAPIREF_MAX_MTU		9000

/* packets-per-poll histogram: 0, 1, 2-3, 4-7, 8-15, 16-31, 32-63, 64+ */
#define NAPIREF_HIST_BUCKETS	8

/* generator limits */
#define NAPIREF_GEN_MAX_RATE	10000000U
#define NAPIREF_GEN_HDR_LEN	(ETH_HLEN + 20 + 8)
#define NAPIREF_GEN_TICK_US	100
#define NAPIREF_GEN_TICK_MIN_US	5
#define NAPIREF_GEN_BATCH	32	/* frames the generator prepares at once */

/* RSS: Toeplitz key and indirection table sizes (ethtool -x) */
#define NAPIREF_RSS_KEY_SIZE	40
#define NAPIREF_RSS_INDIR_SIZE	128

/* flow types whose RSS input may include the L4 ports (ethtool "sdfn") */
#define NAPIREF_RSS_L4_TCP4	BIT(0)
#define NAPIREF_RSS_L4_UDP4	BIT(1)
#define NAPIREF_RSS_L4_TCP6	BIT(2)
#define NAPIREF_RSS_L4_UDP6	BIT(3)
#define NAPIREF_RSS_L4_ALL	GENMASK(3, 0)

/*
 * Kernel API differences are probed by Kbuild against the headers (see
 * Kbuild for the list) and passed as NAPIREF_HAVE_* / NAPIREF_NEED_*.
 */

struct napiref_port;

/* module parameter napi_config: register NAPIs with persistent config */
extern bool napiref_napi_config;

/*
 * One RX descriptor, as the device writes it: a pair-mode frame carries the
 * sender's skb, which the poll routine copies into a receive buffer (the
 * "DMA"); a generator frame carries no skb, the poll routine writes its
 * content from @len and @flow. @hash and @hash_type are the RSS result.
 */
struct napiref_desc {
	struct sk_buff *skb;
	u32 len;
	u32 hash;
	u32 flow;
	u8 hash_type;		/* enum pkt_hash_types */
};

/*
 * RSS configuration of a port. It is never changed in place: a new copy is
 * published with RCU, so the device hashes every frame with one consistent
 * key, table and field set (napiref_rss.c).
 */
struct napiref_rss {
	u8 key[NAPIREF_RSS_KEY_SIZE];
	u8 indir[NAPIREF_RSS_INDIR_SIZE];	/* entry -> RX queue */
	u8 l4;			/* NAPIREF_RSS_L4_*: hash on ports too */
	struct rcu_head rcu;
};

/* Error injection (debugfs napiref<N>/fail/): the next set of one kind */
enum napiref_fail_op {
	NAPIREF_FAIL_RING,
	NAPIREF_FAIL_CHANNELS,
	NAPIREF_FAIL_COALESCE,
	NAPIREF_FAIL_RSS,
	NAPIREF_FAIL_NUM,
};

#define NAPIREF_FAIL_MSG_LEN	64

struct napiref_fail {
	int err;		/* positive errno; 0: not armed */
	char msg[NAPIREF_FAIL_MSG_LEN];
};

/* Per-queue counters written by the NAPI poll (or the legacy handler). */
struct napiref_rx_stats {
	u64_stats_t packets;
	u64_stats_t bytes;
	u64_stats_t polls;
	u64_stats_t polls_full;
	u64_stats_t completes;
	u64_stats_t alloc_fail;
	u64_stats_t hist[NAPIREF_HIST_BUCKETS];
	struct u64_stats_sync syncp;
};

/*
 * Counters written by the "hardware" under the ring lock. rearms counts
 * unmask register writes: it cannot live in rx_stats, since once
 * napi_complete_done() returns true another CPU may already be polling.
 */
struct napiref_hw_stats {
	u64_stats_t ring_drops;
	u64_stats_t rearms;
	struct u64_stats_sync syncp;
};

/* Counter written by the hard-IRQ handler. */
struct napiref_irq_stats {
	u64_stats_t irqs;
	struct u64_stats_sync syncp;
};

/* Snapshot used by ethtool -S, stats64 and stat_ops. */
struct napiref_rxq_snap {
	u64 packets;
	u64 bytes;
	u64 irqs;
	u64 polls;
	u64 polls_full;
	u64 completes;
	u64 rearms;
	u64 ring_drops;
	u64 alloc_fail;
	u64 hist[NAPIREF_HIST_BUCKETS];
};

struct napiref_txq_snap {
	u64 packets;
	u64 bytes;
	u64 drops;
};

struct napiref_tx_stats {
	u64_stats_t packets;
	u64_stats_t bytes;
	u64_stats_t drops;
	struct u64_stats_sync syncp;
};

/*
 * One RX queue = one descriptor ring + one IRQ vector + one NAPI instance.
 * The struct lives as long as the port; the ring memory, the IRQ action and
 * the NAPI instance exist only while the queue is started.
 */
struct napiref_queue {
	struct napiref_port *port;
	unsigned int idx;

	/* --- "hardware" state, protected by @lock --- */
	spinlock_t lock;
	struct napiref_desc *ring;
	u32 size;
	u32 head;		/* producer index */
	u32 tail;		/* consumer index */
	u32 count;
	bool enabled;		/* queue started: the device may DMA into it */
	bool masked;		/* queue interrupt masked by the driver */
	bool mod_armed;		/* moderation timer running */
	struct hrtimer mod_timer;

	/* --- interrupt vector --- */
	unsigned int virq;
	unsigned int irq_cpu;	/* effective affinity, set by the irq_chip */
	unsigned long irq_pending;	/* bit 0: IRQ message in flight */
	atomic_t irq_inflight;
	call_single_data_t csd;
	struct irq_work irq_work;
	char irq_name[IFNAMSIZ + 8];

	/* --- generator --- */
	struct hrtimer gen_timer;
	u64 gen_last_ns;
	u64 gen_credit;
	u32 gen_flow;		/* next flow of this engine */
	bool gen_running;

	/* --- driver side --- */
	struct napi_struct napi;
	struct page_pool *pp;	/* RX buffers, NAPI mode only */
	struct napiref_rx_stats rx_stats;
	struct napiref_hw_stats hw_stats;
	struct napiref_irq_stats irq_stats;
};

struct napiref_gen_cfg {
	u32 rate;		/* packets per second per queue */
	u32 size;		/* frame size without FCS */
	u32 flows;
	u32 queue_mask;
	u32 tick_us;		/* arrival granularity: frames due are */
				/* written every max(1/rate, tick) */
	__be32 src_ip;
	__be32 dst_ip;
	u16 src_port;
	u16 dst_port;
	u8 src_mac[ETH_ALEN];
	bool steer_rss;		/* frames go through RSS, not to their engine's queue */
};

struct napiref_port {
	struct net_device *netdev;
	struct device *bdev;	/* the port's device on the napiref bus */
	struct napiref_port __rcu *peer;
	unsigned int id;
	bool legacy;		/* IRQ per packet + netif_rx, no NAPI */
	bool started;		/* queues started (rtnl) */

	/* configuration, changed under rtnl */
	u32 num_queues;
	u32 ring_size;
	u32 tx_ring_size;
	u32 rx_usecs;
	u32 rx_frames;
	struct napiref_gen_cfg gen;
	struct napiref_rss __rcu *rss;
	struct napiref_fail fail[NAPIREF_FAIL_NUM];

	/* RSS hash of every generator flow, computed when configured */
	u32 *gen_hash;
	u8 gen_hash_type;

	/* number of queues the "hardware" spreads received packets over */
	u32 hw_nq;

	struct napiref_queue q[NAPIREF_MAX_QUEUES];
	struct napiref_tx_stats txs[NAPIREF_MAX_QUEUES];
	struct dentry *ddir;
};

struct napiref_pair {
	unsigned int id;
	struct napiref_port *port[2];
	struct list_head list;
};

/* napiref_bus.c */
int napiref_bus_init(void);
void napiref_bus_exit(void);
struct device *napiref_bus_dev_add(unsigned int id);
void napiref_bus_dev_del(struct device *dev);

/* napiref_main.c */
int napiref_pair_new(u32 queues, bool legacy);
int napiref_pair_del(unsigned int id);
void napiref_pairs_show(struct seq_file *m);

/* napiref_netdev.c */
struct napiref_port *napiref_port_alloc(unsigned int id, u32 queues,
					bool legacy);
void napiref_port_free(struct napiref_port *port);
int napiref_reconfigure(struct napiref_port *port, u32 queues, u32 ring);
void napiref_get_stats64(struct net_device *dev,
			 struct rtnl_link_stats64 *stats);

/* napiref_txrx.c */
int napiref_queues_start(struct napiref_port *port);
void napiref_queues_stop(struct napiref_port *port);
int napiref_poll(struct napi_struct *napi, int budget);
irqreturn_t napiref_isr(int irq, void *data);
irqreturn_t napiref_isr_legacy(int irq, void *data);
void napiref_rxq_snapshot(struct napiref_queue *q,
			  struct napiref_rxq_snap *s);
void napiref_txq_snapshot(struct napiref_port *port, unsigned int i,
			  struct napiref_txq_snap *s);

/* napiref_irq.c */
int napiref_irq_domain_init(void);
void napiref_irq_domain_exit(void);
int napiref_irq_map(struct napiref_port *port);
void napiref_irq_unmap(struct napiref_port *port);
void napiref_irq_raise(struct napiref_queue *q);
void napiref_irq_quiesce(struct napiref_queue *q);

/* napiref_rss.c */
struct napiref_rss *napiref_rss_alloc(u32 queues);
struct napiref_rss *napiref_rss_dup(struct napiref_port *port);
void napiref_rss_default_indir(struct napiref_rss *rss, u32 queues);
void napiref_rss_replace(struct napiref_port *port, struct napiref_rss *rss);
bool napiref_rss_hash_skb(const struct napiref_rss *rss,
			  const struct sk_buff *skb, u32 *hash, u8 *type);
u32 napiref_rss_hash_udp4(const struct napiref_rss *rss, __be32 saddr,
			  __be32 daddr, u16 sport, u16 dport, u8 *type);
u32 napiref_rss_get_fields(const struct napiref_rss *rss, u32 flow_type);
int napiref_rss_check_fields(u32 flow_type, u32 data, u8 *l4_bit,
			     struct netlink_ext_ack *extack);

static inline u32 napiref_rss_queue(const struct napiref_rss *rss, u32 hash)
{
	return rss->indir[hash % NAPIREF_RSS_INDIR_SIZE];
}

/* napiref_engine.c */
int napiref_gen_configure(struct napiref_port *port,
			  const struct napiref_gen_cfg *g,
			  struct napiref_rss *rss);
void napiref_hw_queue_init(struct napiref_queue *q);
void napiref_hw_enable(struct napiref_queue *q, struct napiref_desc *ring,
		       u32 size);
struct napiref_desc *napiref_hw_disable(struct napiref_queue *q);
bool napiref_hw_xmit(struct napiref_port *peer, struct sk_buff *skb);
u32 napiref_hw_take(struct napiref_queue *q, struct napiref_desc *out,
		    u32 max);
void napiref_hw_mask(struct napiref_queue *q);
void napiref_hw_unmask(struct napiref_queue *q);
void napiref_hw_eoi_legacy(struct napiref_queue *q);
void napiref_gen_start(struct napiref_port *port);
void napiref_gen_stop(struct napiref_port *port);

/* napiref_ethtool.c */
extern const struct ethtool_ops napiref_ethtool_ops;
extern const char *const napiref_fail_names[NAPIREF_FAIL_NUM];

/* napiref_queues.c */
void napiref_set_stat_ops(struct net_device *dev);

/* napiref_debugfs.c */
int napiref_debugfs_init(void);
void napiref_debugfs_exit(void);
void napiref_debugfs_port_add(struct napiref_port *port);
void napiref_debugfs_port_del(struct napiref_port *port);

#endif /* _NAPIREF_H_ */
