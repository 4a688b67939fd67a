// SPDX-License-Identifier: GPL-2.0
/*
 * napiref "hardware": the part a real NIC implements in silicon.
 *
 * - the wire: pair mode links two ports like a cable; a frame sent on one
 *   port is written into an RX descriptor ring of the peer, the ring being
 *   chosen by the peer's RSS block (napiref_rss.c);
 * - the generator: per-queue hrtimer engines producing UDP frames at a
 *   configured rate, into their own queue or through RSS;
 * - ring full: the frame is dropped by the device and counted (ring_drops,
 *   rx_missed_errors) before the kernel ever sees it;
 * - interrupts: raised only while the queue is unmasked, subject to
 *   moderation (rx-usecs timer, rx-frames threshold).
 */
#include <linux/etherdevice.h>
#include <linux/rtnetlink.h>
#include <linux/skbuff.h>
#include <linux/slab.h>

#include "napiref.h"

/*
 * Moderation decision, called with q->lock held for an enabled, unmasked
 * queue holding at least one descriptor. Returns true if the interrupt
 * must be raised now; otherwise the moderation timer is armed.
 */
static bool napiref_hw_irq_due(struct napiref_queue *q)
{
	u32 usecs = READ_ONCE(q->port->rx_usecs);
	u32 frames = READ_ONCE(q->port->rx_frames);

	if (!usecs || (frames && q->count >= frames)) {
		if (q->mod_armed) {
			/* never waits: the callback may be spinning on q->lock */
			hrtimer_try_to_cancel(&q->mod_timer);
			q->mod_armed = false;
		}
		return true;
	}
	if (!q->mod_armed) {
		q->mod_armed = true;
		hrtimer_start(&q->mod_timer, ns_to_ktime((u64)usecs * NSEC_PER_USEC),
			      HRTIMER_MODE_REL_HARD);
	}
	return false;
}

static enum hrtimer_restart napiref_mod_timer_fn(struct hrtimer *t)
{
	struct napiref_queue *q = container_of(t, struct napiref_queue,
					       mod_timer);
	unsigned long flags;

	spin_lock_irqsave(&q->lock, flags);
	q->mod_armed = false;
	if (q->enabled && !q->masked && q->count)
		napiref_irq_raise(q);
	spin_unlock_irqrestore(&q->lock, flags);
	return HRTIMER_NORESTART;
}

static void napiref_hw_count_drops(struct napiref_queue *q, u32 n)
{
	u64_stats_update_begin(&q->hw_stats.syncp);
	u64_stats_add(&q->hw_stats.ring_drops, n);
	u64_stats_update_end(&q->hw_stats.syncp);
}

/*
 * Write the @total descriptors @descs into the ring, as far as there is
 * room, and raise the interrupt if it is due. With @sel, only those i with
 * sel[i] == @want are for this queue. Returns the number accepted, or
 * -ENETDOWN if the queue is not started.
 *
 * Every raise happens under q->lock after checking q->enabled, so once
 * napiref_hw_disable() has cleared it no new interrupt message can be
 * sent and napiref_irq_quiesce() only has to wait for those in flight.
 */
static int napiref_hw_produce(struct napiref_queue *q,
			      const struct napiref_desc *descs, u32 total,
			      const u8 *sel, u8 want)
{
	unsigned long flags;
	u32 i, n = 0, room;

	spin_lock_irqsave(&q->lock, flags);
	if (!q->enabled) {
		spin_unlock_irqrestore(&q->lock, flags);
		return -ENETDOWN;
	}
	room = q->size - q->count;
	for (i = 0; i < total; i++) {
		if (sel && sel[i] != want)
			continue;
		if (n++ >= room)
			continue;
		q->ring[q->head] = descs[i];
		if (++q->head == q->size)
			q->head = 0;
	}
	if (n > room) {
		napiref_hw_count_drops(q, n - room);
		n = room;
	}
	q->count += n;
	if (n && !q->masked && napiref_hw_irq_due(q))
		napiref_irq_raise(q);
	spin_unlock_irqrestore(&q->lock, flags);
	return n;
}

/**
 * napiref_hw_xmit - put a frame on the wire towards @peer
 * @peer: receiving port
 * @skb: frame; consumed in all cases
 *
 * The peer's RSS block hashes the frame and picks the RX queue. The frame
 * stays in the sender's skb until the peer's poll copies it into a
 * receive buffer; only its bytes are read, so a clone is fine.
 *
 * Return: true if the frame reached the peer's device (it may still be
 * dropped there because the ring is full, which the peer counts).
 */
bool napiref_hw_xmit(struct napiref_port *peer, struct sk_buff *skb)
{
	struct napiref_desc d = { .skb = skb, .len = skb->len };
	const struct napiref_rss *rss;
	u32 nq, qi = 0;
	int ret;

	nq = READ_ONCE(peer->hw_nq);
	if (!nq || !is_skb_forwardable(peer->netdev, skb))
		goto drop;

	/* caller holds rcu_read_lock() */
	rss = rcu_dereference(peer->rss);
	if (napiref_rss_hash_skb(rss, skb, &d.hash, &d.hash_type))
		qi = napiref_rss_queue(rss, d.hash);
	else
		d.hash_type = PKT_HASH_TYPE_NONE;	/* not IP: queue 0 */
	if (unlikely(qi >= nq))
		goto drop;

	ret = napiref_hw_produce(&peer->q[qi], &d, 1, NULL, 0);
	if (ret < 0)
		goto drop;
	if (ret == 0)
		dev_kfree_skb_any(skb);		/* ring full: hw drop */
	return true;

drop:
	dev_kfree_skb_any(skb);
	return false;
}

/* Driver side: take up to @max descriptors from the ring. */
u32 napiref_hw_take(struct napiref_queue *q, struct napiref_desc *out,
		    u32 max)
{
	unsigned long flags;
	u32 i, n;

	spin_lock_irqsave(&q->lock, flags);
	n = min(q->count, max);
	for (i = 0; i < n; i++) {
		out[i] = q->ring[q->tail];
		q->ring[q->tail].skb = NULL;
		if (++q->tail == q->size)
			q->tail = 0;
	}
	q->count -= n;
	spin_unlock_irqrestore(&q->lock, flags);
	return n;
}

/* Driver writes the queue's interrupt mask register. */
void napiref_hw_mask(struct napiref_queue *q)
{
	unsigned long flags;

	spin_lock_irqsave(&q->lock, flags);
	q->masked = true;
	spin_unlock_irqrestore(&q->lock, flags);
}

/*
 * Unmask: like a level-triggered cause register, descriptors that arrived
 * while masked raise the interrupt as soon as it is unmasked, so a packet
 * landing between the poll's last look at the ring and the unmask is not
 * stranded.
 */
void napiref_hw_unmask(struct napiref_queue *q)
{
	unsigned long flags;

	spin_lock_irqsave(&q->lock, flags);
	q->masked = false;
	u64_stats_update_begin(&q->hw_stats.syncp);
	u64_stats_inc(&q->hw_stats.rearms);
	u64_stats_update_end(&q->hw_stats.syncp);
	if (q->enabled && q->count && napiref_hw_irq_due(q))
		napiref_irq_raise(q);
	spin_unlock_irqrestore(&q->lock, flags);
}

/*
 * End of interrupt in legacy (per-frame interrupt) mode, after the handler
 * took the one frame the interrupt was for. Like a NIC without NAPI
 * support, which asserts an interrupt for every received frame, the device
 * raises the next one while frames are still waiting in the ring. Called
 * once the handler has returned: an interrupt arriving while the handler
 * still runs would be dropped by the IRQ core as already in progress.
 */
void napiref_hw_eoi_legacy(struct napiref_queue *q)
{
	unsigned long flags;

	spin_lock_irqsave(&q->lock, flags);
	if (q->enabled && !q->masked && q->count && napiref_hw_irq_due(q))
		napiref_irq_raise(q);
	spin_unlock_irqrestore(&q->lock, flags);
}

void napiref_hw_enable(struct napiref_queue *q, struct napiref_desc *ring,
		       u32 size)
{
	unsigned long flags;

	spin_lock_irqsave(&q->lock, flags);
	q->ring = ring;
	q->size = size;
	q->head = 0;
	q->tail = 0;
	q->count = 0;
	q->masked = false;
	q->enabled = true;
	spin_unlock_irqrestore(&q->lock, flags);
}

/*
 * Stop the device writing into the ring and raising the interrupt. Returns
 * the ring; the caller frees it once the NAPI instance is disabled.
 */
struct napiref_desc *napiref_hw_disable(struct napiref_queue *q)
{
	struct napiref_desc *ring;
	unsigned long flags;

	spin_lock_irqsave(&q->lock, flags);
	q->enabled = false;
	spin_unlock_irqrestore(&q->lock, flags);

	/* nobody re-arms it once !enabled */
	hrtimer_cancel(&q->mod_timer);
	q->mod_armed = false;

	spin_lock_irqsave(&q->lock, flags);
	while (q->count) {
		dev_kfree_skb_any(q->ring[q->tail].skb);
		if (++q->tail == q->size)
			q->tail = 0;
		q->count--;
	}
	ring = q->ring;
	q->ring = NULL;
	q->size = 0;
	spin_unlock_irqrestore(&q->lock, flags);
	return ring;
}

/* ---------------------------- generator -------------------------------- */

/*
 * Write @n frames of engine @q: its next flows in turn, each with the RSS
 * hash computed when the generator was configured. They go to the engine's
 * own queue, or with steer=rss to the queue the indirection table gives,
 * like frames from the wire.
 */
static int napiref_gen_burst(struct napiref_queue *q, u32 n, u32 size)
{
	struct napiref_desc batch[NAPIREF_GEN_BATCH];
	struct napiref_port *port = q->port;
	const struct napiref_rss *rss;
	u8 dest[NAPIREF_GEN_BATCH];
	unsigned long used = 0;
	unsigned int qi;
	u32 i, nq;

	for (i = 0; i < n; i++) {
		u32 f = q->gen_flow;

		if (++q->gen_flow >= port->gen.flows)
			q->gen_flow = 0;
		batch[i] = (struct napiref_desc){
			.len = size,
			.flow = f,
			.hash = port->gen_hash[f],
			.hash_type = port->gen_hash_type,
		};
	}
	if (!port->gen.steer_rss)
		return napiref_hw_produce(q, batch, n, NULL, 0);

	rcu_read_lock();
	rss = rcu_dereference(port->rss);
	for (i = 0; i < n; i++) {
		dest[i] = napiref_rss_queue(rss, batch[i].hash);
		__set_bit(dest[i], &used);
	}
	rcu_read_unlock();

	nq = READ_ONCE(port->hw_nq);
	for_each_set_bit(qi, &used, NAPIREF_MAX_QUEUES)
		if (qi < nq)
			napiref_hw_produce(&port->q[qi], batch, n, dest, qi);
	return n;
}

static enum hrtimer_restart napiref_gen_timer_fn(struct hrtimer *t)
{
	struct napiref_queue *q = container_of(t, struct napiref_queue,
					       gen_timer);
	struct napiref_port *port = q->port;
	u32 rate = READ_ONCE(port->gen.rate);
	u32 size = READ_ONCE(port->gen.size);
	u64 now = ktime_get_ns();
	u64 elapsed, n, period;

	if (!rate)
		return HRTIMER_NORESTART;

	/* credit in packet-nanoseconds; cap a late tick to 10 ms of traffic */
	elapsed = min_t(u64, now - q->gen_last_ns, 10 * NSEC_PER_MSEC);
	q->gen_last_ns = now;
	q->gen_credit += elapsed * rate;
	n = div_u64(q->gen_credit, NSEC_PER_SEC);
	q->gen_credit -= n * NSEC_PER_SEC;

	while (n) {
		u32 chunk = min_t(u64, n, NAPIREF_GEN_BATCH);

		if (napiref_gen_burst(q, chunk, size) < 0)
			break;
		n -= chunk;
	}

	period = max_t(u64, div_u64(NSEC_PER_SEC, rate),
		       (u64)READ_ONCE(port->gen.tick_us) * NSEC_PER_USEC);
	hrtimer_forward_now(t, ns_to_ktime(period));
	return HRTIMER_RESTART;
}

/* Start the generator on the configured, started queues (rtnl held). */
void napiref_gen_start(struct napiref_port *port)
{
	unsigned int i;

	if (!port->gen.rate || !port->started)
		return;
	for (i = 0; i < port->num_queues; i++) {
		struct napiref_queue *q = &port->q[i];

		if (!(port->gen.queue_mask & BIT(i)) || q->gen_running)
			continue;
		q->gen_last_ns = ktime_get_ns();
		q->gen_credit = 0;
		q->gen_flow = 0;
		q->gen_running = true;
		hrtimer_start(&q->gen_timer,
			      ns_to_ktime(port->gen.tick_us * NSEC_PER_USEC),
			      HRTIMER_MODE_REL_HARD);
	}
}

void napiref_gen_stop(struct napiref_port *port)
{
	unsigned int i;

	for (i = 0; i < NAPIREF_MAX_QUEUES; i++) {
		struct napiref_queue *q = &port->q[i];

		if (!q->gen_running)
			continue;
		hrtimer_cancel(&q->gen_timer);
		q->gen_running = false;
	}
}

/**
 * napiref_gen_configure - apply a generator and/or RSS configuration
 * @port: port, rtnl held
 * @g: generator configuration (may be &port->gen)
 * @rss: new RSS configuration to publish, or NULL to keep the current one
 *
 * The generator knows its flows in advance, so the device's RSS hash of
 * each is computed here once (per flow) instead of per frame in the timer.
 * The engines are stopped while the configuration changes and restarted.
 * On error nothing has changed and @rss is freed.
 *
 * Return: 0 or -ENOMEM.
 */
int napiref_gen_configure(struct napiref_port *port,
			  const struct napiref_gen_cfg *g,
			  struct napiref_rss *rss)
{
	const struct napiref_rss *hr = rss ?: rtnl_dereference(port->rss);
	u32 f, *hash;
	u8 type = PKT_HASH_TYPE_L3;

	hash = kvmalloc_array(g->flows, sizeof(*hash), GFP_KERNEL);
	if (!hash) {
		kfree(rss);
		return -ENOMEM;
	}
	for (f = 0; f < g->flows; f++)
		hash[f] = napiref_rss_hash_udp4(hr, g->src_ip, g->dst_ip,
						g->src_port + f, g->dst_port,
						&type);

	napiref_gen_stop(port);
	if (g != &port->gen)
		port->gen = *g;
	if (rss)
		napiref_rss_replace(port, rss);
	kvfree(port->gen_hash);
	port->gen_hash = hash;
	port->gen_hash_type = type;
	napiref_gen_start(port);
	return 0;
}

static void napiref_timer_init(struct hrtimer *t,
			       enum hrtimer_restart (*fn)(struct hrtimer *))
{
#ifdef NAPIREF_HAVE_HRTIMER_SETUP
	hrtimer_setup(t, fn, CLOCK_MONOTONIC, HRTIMER_MODE_REL_HARD);
#else
	hrtimer_init(t, CLOCK_MONOTONIC, HRTIMER_MODE_REL_HARD);
	t->function = fn;
#endif
}

void napiref_hw_queue_init(struct napiref_queue *q)
{
	spin_lock_init(&q->lock);
	napiref_timer_init(&q->mod_timer, napiref_mod_timer_fn);
	napiref_timer_init(&q->gen_timer, napiref_gen_timer_fn);
	u64_stats_init(&q->rx_stats.syncp);
	u64_stats_init(&q->hw_stats.syncp);
	u64_stats_init(&q->irq_stats.syncp);
}
