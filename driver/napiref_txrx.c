// SPDX-License-Identifier: GPL-2.0
/*
 * napiref data path: interrupt handlers, the NAPI poll routine, the legacy
 * (pre-NAPI) receive path and queue start/stop.
 *
 * The NAPI pattern, in order of events:
 *   1. the device writes descriptors and raises the queue IRQ (engine.c);
 *   2. napiref_isr(): napi_schedule_prep() claims the instance, the queue
 *      IRQ is masked, __napi_schedule() raises NET_RX softirq;
 *   3. napiref_poll(): at most @budget packets go to GRO; if work remains
 *      it returns @budget and is polled again with the IRQ still masked;
 *   4. once the ring is drained: napi_complete_done(), and only if that
 *      returns true the IRQ is unmasked (busy polling, deferred hard IRQs
 *      and a missed schedule all make it return false).
 *
 * Receive buffers come from one page_pool per RX queue, tied to the queue's
 * NAPI instance: a page freed by the stack on the CPU running that NAPI
 * goes straight back into the pool's cache for the next frame.
 */
#include <linux/etherdevice.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <net/busy_poll.h>
#include <net/ip.h>
#ifdef NAPIREF_HAVE_PP_HELPERS
#include <net/page_pool/helpers.h>
#else
#include <net/page_pool.h>
#endif

#include "napiref.h"

#define NAPIREF_RX_BATCH	32

/*
 * Receive buffer layout: headroom for the stack to prepend headers, the
 * frame, and struct skb_shared_info at the end (as napi_build_skb()
 * expects), carved out of a page-pool page: a small frame takes a small
 * piece of a page, so that its truesize (what sockets are charged) stays
 * small. A frame longer than NAPIREF_RX_HEAD_MAX continues in further
 * pieces attached as fragments.
 */
#define NAPIREF_RX_HEADROOM	(NET_SKB_PAD + NET_IP_ALIGN)
#define NAPIREF_RX_HEAD_MAX	(SKB_WITH_OVERHEAD(PAGE_SIZE) - NAPIREF_RX_HEADROOM)

/*
 * Generator frame: Ethernet, IPv4 and UDP headers, then zeros (the buffer
 * is recycled and may hold an earlier frame). @skb holds @len bytes.
 */
static void napiref_gen_fill(struct napiref_port *port, struct sk_buff *skb,
			     u32 len, u32 flow)
{
	struct net_device *dev = port->netdev;
	struct ethhdr *eth;
	struct udphdr *udp;
	struct iphdr *iph;
	unsigned int i;

	eth = (struct ethhdr *)skb->data;
	iph = (struct iphdr *)(eth + 1);
	udp = (struct udphdr *)(iph + 1);
	memset(udp + 1, 0, skb_headlen(skb) - NAPIREF_GEN_HDR_LEN);
	for (i = 0; i < skb_shinfo(skb)->nr_frags; i++) {
		skb_frag_t *frag = &skb_shinfo(skb)->frags[i];

		memset(skb_frag_address(frag), 0, skb_frag_size(frag));
	}

	ether_addr_copy(eth->h_dest, dev->dev_addr);
	ether_addr_copy(eth->h_source, port->gen.src_mac);
	eth->h_proto = htons(ETH_P_IP);

	iph->version = 4;
	iph->ihl = 5;
	iph->tos = 0;
	iph->tot_len = htons(len - ETH_HLEN);
	iph->id = 0;
	iph->frag_off = htons(IP_DF);
	iph->ttl = 64;
	iph->protocol = IPPROTO_UDP;
	iph->saddr = READ_ONCE(port->gen.src_ip);
	iph->daddr = READ_ONCE(port->gen.dst_ip);
	iph->check = 0;
	iph->check = ip_fast_csum(iph, iph->ihl);

	udp->source = htons(READ_ONCE(port->gen.src_port) + flow);
	udp->dest = htons(READ_ONCE(port->gen.dst_port));
	udp->len = htons(len - ETH_HLEN - sizeof(*iph));
	udp->check = 0;		/* no checksum: valid for UDP over IPv4 */

	skb->ip_summed = CHECKSUM_UNNECESSARY;
}

/*
 * Pair-mode frame: copy the sender's frame into the receive buffer (the
 * "DMA"). The wire also carries whether the sender left the L4 checksum
 * to the device (CHECKSUM_PARTIAL), as virtio-net's NEEDS_CSUM flag does,
 * so it stays valid without being computed.
 */
static bool napiref_rx_copy(struct sk_buff *skb, const struct sk_buff *src)
{
	u32 off = skb_headlen(skb);
	unsigned int i;

	if (skb_copy_bits(src, 0, skb->data, off))
		return false;
	for (i = 0; i < skb_shinfo(skb)->nr_frags; i++) {
		skb_frag_t *frag = &skb_shinfo(skb)->frags[i];

		if (skb_copy_bits(src, off, skb_frag_address(frag),
				  skb_frag_size(frag)))
			return false;
		off += skb_frag_size(frag);
	}
	if (src->ip_summed == CHECKSUM_PARTIAL)
		return skb_partial_csum_set(skb, skb_checksum_start_offset(src),
					    src->csum_offset);
	return true;
}

/*
 * A receive buffer of @len bytes from the queue's page pool, as an skb:
 * napi_build_skb() wraps the first piece without copying, the skb is
 * marked for recycling (its pages go back to the pool when it is freed),
 * and the rest of a jumbo frame becomes fragments.
 */
static struct sk_buff *napiref_rx_pp_skb(struct napiref_queue *q, u32 len)
{
	u32 n = min_t(u32, len, NAPIREF_RX_HEAD_MAX);
	unsigned int off, size;
	struct sk_buff *skb;
	struct page *page;

	size = SKB_DATA_ALIGN(NAPIREF_RX_HEADROOM + n) +
	       SKB_DATA_ALIGN(sizeof(struct skb_shared_info));
	page = page_pool_dev_alloc_frag(q->pp, &off, size);
	if (unlikely(!page))
		return NULL;
	skb = napi_build_skb(page_address(page) + off, size);
	if (unlikely(!skb)) {
		page_pool_put_full_page(q->pp, page, true);
		return NULL;
	}
	skb_mark_for_recycle(skb);
	skb_reserve(skb, NAPIREF_RX_HEADROOM);
	__skb_put(skb, n);

	for (len -= n; len; len -= n) {
		n = min_t(u32, len, PAGE_SIZE);
		size = SKB_DATA_ALIGN(n);
		page = page_pool_dev_alloc_frag(q->pp, &off, size);
		if (unlikely(!page)) {
			dev_kfree_skb_any(skb);
			return NULL;
		}
		skb_add_rx_frag(skb, skb_shinfo(skb)->nr_frags, page, off, n,
				size);
	}
	return skb;
}

/*
 * Turn a descriptor into an skb ready for the stack, or NULL when no
 * buffer could be allocated (counted as alloc_fail by the caller). The
 * sender's skb of a pair-mode frame is released either way. Legacy mode
 * has no NAPI instance and no page pool: it allocates a plain skb.
 */
static struct sk_buff *napiref_rx_build(struct napiref_queue *q,
					struct napiref_desc *d)
{
	struct net_device *dev = q->port->netdev;
	struct sk_buff *skb;

	if (q->port->legacy) {
		skb = netdev_alloc_skb(dev, d->len);
		if (skb)
			__skb_put(skb, d->len);
	} else {
		skb = napiref_rx_pp_skb(q, d->len);
	}

	if (d->skb) {
		if (likely(skb) && unlikely(!napiref_rx_copy(skb, d->skb))) {
			dev_kfree_skb_any(skb);
			skb = NULL;
		}
		if (likely(skb))
			dev_consume_skb_any(d->skb);
		else
			dev_kfree_skb_any(d->skb);
	} else if (likely(skb)) {
		napiref_gen_fill(q->port, skb, d->len, d->flow);
	}
	if (unlikely(!skb))
		return NULL;

	if (d->hash_type != PKT_HASH_TYPE_NONE)
		skb_set_hash(skb, d->hash, d->hash_type);
	skb->protocol = eth_type_trans(skb, dev);
	skb_record_rx_queue(skb, q->idx);
	return skb;
}

static unsigned int napiref_hist_bucket(int done)
{
	return done ? min_t(unsigned int, fls(done), NAPIREF_HIST_BUCKETS - 1)
		    : 0;
}

/**
 * napiref_poll - NAPI poll routine of one RX queue
 * @napi: the queue's NAPI instance
 * @budget: max RX packets to process; 0 means "TX completions only"
 *
 * Return: packets processed; exactly @budget if work may remain.
 */
int napiref_poll(struct napi_struct *napi, int budget)
{
	struct napiref_queue *q = container_of(napi, struct napiref_queue,
					       napi);
	struct napiref_desc batch[NAPIREF_RX_BATCH];
	u32 bytes = 0, alloc_fail = 0;
	int done = 0;

	/*
	 * budget 0 (netpoll): only TX completions may be done, and napiref's
	 * TX completes synchronously in napiref_start_xmit(). Never call
	 * napi_complete_done() here.
	 */
	if (unlikely(!budget))
		return 0;

	while (done < budget) {
		u32 i, n;

		n = napiref_hw_take(q, batch,
				    min_t(u32, budget - done, NAPIREF_RX_BATCH));
		if (!n)
			break;
		for (i = 0; i < n; i++) {
			struct sk_buff *skb = napiref_rx_build(q, &batch[i]);

			/* a descriptor whose buffer is lost still used budget */
			done++;
			if (unlikely(!skb)) {
				alloc_fail++;
				continue;
			}
			bytes += skb->len + ETH_HLEN;
			napi_gro_receive(napi, skb);
		}
	}

	/*
	 * The counters are NAPI-protected state: write them while the instance
	 * is still ours. Once napi_complete_done() returns true, the IRQ may
	 * fire and another CPU may run this poll. (Re-arms are counted by the
	 * device under its lock, in napiref_hw_unmask().)
	 */
	u64_stats_update_begin(&q->rx_stats.syncp);
	u64_stats_add(&q->rx_stats.packets, done - alloc_fail);
	u64_stats_add(&q->rx_stats.bytes, bytes);
	u64_stats_add(&q->rx_stats.alloc_fail, alloc_fail);
	u64_stats_inc(&q->rx_stats.polls);
	u64_stats_inc(&q->rx_stats.hist[napiref_hist_bucket(done)]);
	if (done == budget)
		u64_stats_inc(&q->rx_stats.polls_full);
	else
		u64_stats_inc(&q->rx_stats.completes);
	u64_stats_update_end(&q->rx_stats.syncp);

	/*
	 * Budget used up: return exactly @budget without completing, the core
	 * polls again with the IRQ still masked (even if the ring happens to be
	 * empty now; completing here would require returning budget - 1).
	 *
	 * Ring drained before the budget ran out: leave polling mode. Only a
	 * true return means the instance is ours to re-arm; false means a busy
	 * poller owns it, a reschedule is pending, or gro_flush_timeout /
	 * napi_defer_hard_irqs armed the core's timer instead of the IRQ.
	 */
	if (done < budget && napi_complete_done(napi, done))
		napiref_hw_unmask(q);

	return done;
}

static void napiref_count_irq(struct napiref_queue *q)
{
	u64_stats_update_begin(&q->irq_stats.syncp);
	u64_stats_inc(&q->irq_stats.irqs);
	u64_stats_update_end(&q->irq_stats.syncp);
}

/* Hard-IRQ handler, NAPI mode: mask, schedule, done. */
irqreturn_t napiref_isr(int irq, void *data)
{
	struct napiref_queue *q = data;

	napiref_count_irq(q);
	/* cause register: nothing pending (e.g. a busy poller drained it) */
	if (!READ_ONCE(q->count))
		return IRQ_NONE;

	if (napi_schedule_prep(&q->napi)) {
		napiref_hw_mask(q);
		__napi_schedule(&q->napi);
	}
	return IRQ_HANDLED;
}

/*
 * Hard-IRQ handler, legacy mode (what drivers did before NAPI): the
 * interrupt stays enabled, the device raises one interrupt per received
 * frame (napiref_hw_eoi_legacy()), and the handler pushes that frame to
 * the per-CPU backlog with netif_rx() from hard-IRQ context. Under load
 * this costs one interrupt per arrival and the backlog, not the device,
 * drops.
 */
irqreturn_t napiref_isr_legacy(int irq, void *data)
{
	struct napiref_queue *q = data;
	struct napiref_desc d;
	struct sk_buff *skb;

	napiref_count_irq(q);
	if (!napiref_hw_take(q, &d, 1))
		return IRQ_NONE;

	skb = napiref_rx_build(q, &d);
	u64_stats_update_begin(&q->rx_stats.syncp);
	if (likely(skb)) {
		u64_stats_inc(&q->rx_stats.packets);
		u64_stats_add(&q->rx_stats.bytes, skb->len + ETH_HLEN);
	} else {
		u64_stats_inc(&q->rx_stats.alloc_fail);
	}
	u64_stats_update_end(&q->rx_stats.syncp);
	if (likely(skb))
		netif_rx(skb);
	/* the device interrupts again for the next frame: napiref_irq_deliver() */
	return IRQ_HANDLED;
}

/*
 * A pool that knows its NAPI instance and net_device is listed by netdev
 * netlink (page-pool-get: napi-id, inflight pages) and may recycle pages
 * freed on the NAPI's CPU without locking. page_pool_params has no such
 * fields before 6.7: the pool then works anonymously.
 */
#ifdef NAPIREF_HAVE_PP_NETDEV
static void napiref_pp_link(struct page_pool_params *pp,
			    struct napiref_queue *q)
{
	pp->napi = &q->napi;
	pp->netdev = q->port->netdev;
}
#else
static void napiref_pp_link(struct page_pool_params *pp,
			    struct napiref_queue *q)
{
}
#endif

/*
 * One pool per RX queue, sized like the ring. No DMA mapping: the
 * "device" writes with the CPU. A NIC driver would also pass
 * PP_FLAG_DMA_MAP and the DMA direction here. Before 6.6, handing out
 * pieces of pages had to be asked for (PP_FLAG_PAGE_FRAG).
 */
#ifdef PP_FLAG_PAGE_FRAG
#define NAPIREF_PP_FLAGS	PP_FLAG_PAGE_FRAG
#else
#define NAPIREF_PP_FLAGS	0
#endif

static int napiref_rx_pool_create(struct napiref_queue *q)
{
	struct page_pool_params pp = {
		.flags		= NAPIREF_PP_FLAGS,
		.order		= 0,
		.pool_size	= q->port->ring_size,
		.nid		= NUMA_NO_NODE,
		.dev		= q->port->bdev,
	};
	struct page_pool *pool;

	napiref_pp_link(&pp, q);
	pool = page_pool_create(&pp);
	if (IS_ERR(pool))
		return PTR_ERR(pool);
	q->pp = pool;
	return 0;
}

/* After napi_disable(): pages still in flight return to the pool later. */
static void napiref_rx_pool_destroy(struct napiref_queue *q)
{
	page_pool_destroy(q->pp);
	q->pp = NULL;
}

static void napiref_queue_set_napi(struct napiref_port *port, unsigned int i,
				   struct napi_struct *napi)
{
#ifdef NAPIREF_HAVE_NAPI_IRQ
	netif_queue_set_napi(port->netdev, i, NETDEV_QUEUE_TYPE_RX, napi);
	netif_queue_set_napi(port->netdev, i, NETDEV_QUEUE_TYPE_TX, napi);
#endif
}

/*
 * One NAPI per RX queue, keyed by the queue index. With persistent NAPI
 * config (netif_napi_add_config()) the NAPI id and the per-NAPI settings
 * (defer-hard-irqs, gro-flush-timeout, irq-suspend-timeout, threaded)
 * survive down/up and ethtool -L/-G; with irq_affinity_auto the core also
 * puts back the IRQ affinity the NAPI last had. napi_config=0 registers
 * without a config, as drivers that predate 6.13 do: every re-creation
 * then gets a new NAPI id and the device-wide defaults.
 */
static void napiref_napi_add(struct napiref_queue *q)
{
#ifdef NAPIREF_HAVE_NAPI_CONFIG
	if (napiref_napi_config)
		netif_napi_add_config(q->port->netdev, &q->napi, napiref_poll,
				      q->idx);
	else
		netif_napi_add(q->port->netdev, &q->napi, napiref_poll);
#else
	netif_napi_add(q->port->netdev, &q->napi, napiref_poll);
#endif
#ifdef NAPIREF_HAVE_NAPI_IRQ
	netif_napi_set_irq(&q->napi, q->virq);
#endif
}

/*
 * Unbind the NAPI from its IRQ before free_irq(): with irq_affinity_auto the
 * binding holds an affinity notifier, which free_irq() must not find.
 */
static void napiref_napi_unbind_irq(struct napiref_queue *q)
{
#ifdef NAPIREF_HAVE_NAPI_IRQ
	netif_napi_set_irq(&q->napi, -1);
#endif
}

/* Undo napiref_queues_start() for queues [0, n). */
static void napiref_queues_teardown(struct napiref_port *port, unsigned int n)
{
	struct napiref_desc *rings[NAPIREF_MAX_QUEUES];
	unsigned int i;

	WRITE_ONCE(port->hw_nq, 0);
	napiref_gen_stop(port);

	/* 1. the device stops DMA and interrupt generation ... */
	for (i = 0; i < n; i++)
		rings[i] = napiref_hw_disable(&port->q[i]);
	/* 2. ... and no interrupt message is still travelling */
	for (i = 0; i < n; i++)
		napiref_irq_quiesce(&port->q[i]);

	/* 3. NAPI off (waits for a running poll), unlink from the queues */
	if (!port->legacy) {
		for (i = 0; i < n; i++) {
			napiref_queue_set_napi(port, i, NULL);
			napi_disable(&port->q[i].napi);
			napiref_napi_unbind_irq(&port->q[i]);
		}
	}
	for (i = 0; i < n; i++)
		free_irq(port->q[i].virq, &port->q[i]);
	for (i = 0; i < n; i++)
		napiref_rx_pool_destroy(&port->q[i]);
	if (!port->legacy) {
		for (i = 0; i < n; i++)
			netif_napi_del(&port->q[i].napi);
	}
	for (i = 0; i < n; i++)
		kvfree(rings[i]);
}

/**
 * napiref_queues_start - bring up rings, NAPI and IRQs of the active queues
 * @port: the port, rtnl held
 *
 * Order matters: NAPI is added and enabled before the IRQ can fire, the
 * page pool is created once its NAPI instance exists, and the device is
 * enabled last.
 */
int napiref_queues_start(struct napiref_port *port)
{
	struct napiref_desc *rings[NAPIREF_MAX_QUEUES];
	struct net_device *dev = port->netdev;
	unsigned int i, n = port->num_queues;
	int err;

	for (i = 0; i < n; i++) {
		rings[i] = kvcalloc(port->ring_size, sizeof(*rings[i]),
				    GFP_KERNEL);
		if (!rings[i]) {
			err = -ENOMEM;
			goto err_free_rings;
		}
	}

	for (i = 0; i < n; i++) {
		struct napiref_queue *q = &port->q[i];

		if (!port->legacy)
			napiref_napi_add(q);
		snprintf(q->irq_name, sizeof(q->irq_name), "%s-rx-%u",
			 dev->name, i);
		err = request_irq(q->virq, port->legacy ? napiref_isr_legacy :
				  napiref_isr, 0, q->irq_name, q);
		if (err) {
			if (!port->legacy) {
				napiref_napi_unbind_irq(q);
				netif_napi_del(&q->napi);
			}
			goto err_free_irqs;
		}
	}

	for (i = 0; i < n && !port->legacy; i++) {
		err = napiref_rx_pool_create(&port->q[i]);
		if (err) {
			while (i--)
				napiref_rx_pool_destroy(&port->q[i]);
			i = n;
			goto err_free_irqs;
		}
	}

	for (i = 0; i < n; i++) {
		if (port->legacy)
			continue;
		napi_enable(&port->q[i].napi);
		napiref_queue_set_napi(port, i, &port->q[i].napi);
	}

	for (i = 0; i < n; i++)
		napiref_hw_enable(&port->q[i], rings[i], port->ring_size);
	WRITE_ONCE(port->hw_nq, n);
	port->started = true;
	napiref_gen_start(port);
	return 0;

err_free_irqs:
	while (i--) {
		if (!port->legacy)
			napiref_napi_unbind_irq(&port->q[i]);
		free_irq(port->q[i].virq, &port->q[i]);
		if (!port->legacy)
			netif_napi_del(&port->q[i].napi);
	}
	i = n;
err_free_rings:
	while (i--)
		kvfree(rings[i]);
	return err;
}

void napiref_queues_stop(struct napiref_port *port)
{
	if (!port->started)
		return;
	port->started = false;
	napiref_queues_teardown(port, port->num_queues);
}

void napiref_rxq_snapshot(struct napiref_queue *q, struct napiref_rxq_snap *s)
{
	unsigned int start, b;

	do {
		start = u64_stats_fetch_begin(&q->rx_stats.syncp);
		s->packets = u64_stats_read(&q->rx_stats.packets);
		s->bytes = u64_stats_read(&q->rx_stats.bytes);
		s->polls = u64_stats_read(&q->rx_stats.polls);
		s->polls_full = u64_stats_read(&q->rx_stats.polls_full);
		s->completes = u64_stats_read(&q->rx_stats.completes);
		s->alloc_fail = u64_stats_read(&q->rx_stats.alloc_fail);
		for (b = 0; b < NAPIREF_HIST_BUCKETS; b++)
			s->hist[b] = u64_stats_read(&q->rx_stats.hist[b]);
	} while (u64_stats_fetch_retry(&q->rx_stats.syncp, start));

	do {
		start = u64_stats_fetch_begin(&q->hw_stats.syncp);
		s->ring_drops = u64_stats_read(&q->hw_stats.ring_drops);
		s->rearms = u64_stats_read(&q->hw_stats.rearms);
	} while (u64_stats_fetch_retry(&q->hw_stats.syncp, start));

	do {
		start = u64_stats_fetch_begin(&q->irq_stats.syncp);
		s->irqs = u64_stats_read(&q->irq_stats.irqs);
	} while (u64_stats_fetch_retry(&q->irq_stats.syncp, start));
}

void napiref_txq_snapshot(struct napiref_port *port, unsigned int i,
			  struct napiref_txq_snap *s)
{
	struct napiref_tx_stats *ts = &port->txs[i];
	unsigned int start;

	do {
		start = u64_stats_fetch_begin(&ts->syncp);
		s->packets = u64_stats_read(&ts->packets);
		s->bytes = u64_stats_read(&ts->bytes);
		s->drops = u64_stats_read(&ts->drops);
	} while (u64_stats_fetch_retry(&ts->syncp, start));
}
