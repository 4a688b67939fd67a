// SPDX-License-Identifier: GPL-2.0
/*
 * napiref "hardware": the part a real NIC implements in silicon.
 *
 * - the wire: pair mode links two ports like a cable; a frame sent on one
 *   port is written into an RX descriptor ring of the peer, the ring being
 *   chosen by a symmetric flow hash (RSS);
 * - the generator: a per-queue hrtimer engine producing UDP frames at a
 *   configured rate;
 * - ring full: the frame is dropped by the device and counted (ring_drops,
 *   rx_missed_errors) before the kernel ever sees it;
 * - interrupts: raised only while the queue is unmasked, subject to
 *   moderation (rx-usecs timer, rx-frames threshold).
 */
#include <linux/etherdevice.h>
#include <linux/skbuff.h>

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
 * Write up to @n descriptors into the ring and raise the interrupt if it
 * is due. @skb is the pair-mode frame (n == 1) or NULL for generator
 * frames. Returns the number accepted, or -ENETDOWN if the queue is not
 * started.
 *
 * Every raise happens under q->lock after checking q->enabled, so once
 * napiref_hw_disable() has cleared it no new interrupt message can be
 * sent and napiref_irq_quiesce() only has to wait for those in flight.
 */
static int napiref_hw_produce(struct napiref_queue *q, struct sk_buff *skb,
			      u32 n, u32 len, u32 hash)
{
	unsigned long flags;
	u32 i, room;

	spin_lock_irqsave(&q->lock, flags);
	if (!q->enabled) {
		spin_unlock_irqrestore(&q->lock, flags);
		return -ENETDOWN;
	}
	room = min(q->size - q->count, n);
	for (i = 0; i < room; i++) {
		struct napiref_desc *d = &q->ring[q->head];

		d->skb = skb;
		d->len = len;
		d->flow = skb ? 0 : q->gen_seq++;
		d->hash = hash;
		if (++q->head == q->size)
			q->head = 0;
	}
	q->count += room;
	if (room < n)
		napiref_hw_count_drops(q, n - room);
	if (room && !q->masked && napiref_hw_irq_due(q))
		napiref_irq_raise(q);
	spin_unlock_irqrestore(&q->lock, flags);
	return room;
}

/**
 * napiref_hw_xmit - put a frame on the wire towards @peer
 * @peer: receiving port
 * @skb: frame; consumed in all cases
 *
 * Return: true if the frame reached the peer's device (it may still be
 * dropped there because the ring is full, which the peer counts).
 */
bool napiref_hw_xmit(struct napiref_port *peer, struct sk_buff *skb)
{
	struct net_device *pdev = peer->netdev;
	struct napiref_queue *q;
	u32 nq, hash;
	int ret;

	nq = READ_ONCE(peer->hw_nq);
	if (!nq || !is_skb_forwardable(pdev, skb))
		goto drop;
	/*
	 * GRO on the receiver may rewrite the shared info of the skb, so it
	 * must not be shared with a clone kept by the sender (TCP keeps one
	 * for retransmission): take a private head, the "DMA copy".
	 */
	if (skb_unclone(skb, GFP_ATOMIC))
		goto drop;
	skb_scrub_packet(skb, !net_eq(dev_net(skb->dev), dev_net(pdev)));

	/* symmetric RSS: both directions of a flow use the same queue index */
	hash = __skb_get_hash_symmetric(skb);
	q = &peer->q[reciprocal_scale(hash, nq)];

	ret = napiref_hw_produce(q, skb, 1, skb->len, hash);
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
		u32 chunk = min_t(u64, n, NAPIREF_RING_MAX);
		int ret;

		/* the RSS hash of generated frames is set when built */
		ret = napiref_hw_produce(q, NULL, chunk, size, 0);
		if (ret < 0)
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
