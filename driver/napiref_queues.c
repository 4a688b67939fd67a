// SPDX-License-Identifier: GPL-2.0
/*
 * napiref netdev queue stats (netdev genl qstats-get): per active queue via
 * the callbacks, history of inactive queues via get_base_stats.
 */
#include <linux/netdevice.h>

#include "napiref.h"

#ifdef NAPIREF_HAVE_STAT_OPS
#include <net/netdev_queues.h>

static void napiref_get_queue_stats_rx(struct net_device *dev, int idx,
				       struct netdev_queue_stats_rx *rx)
{
	struct napiref_port *port = netdev_priv(dev);
	struct napiref_rxq_snap s;

	napiref_rxq_snapshot(&port->q[idx], &s);
	rx->packets = s.packets;
	rx->bytes = s.bytes;
	rx->alloc_fail = s.alloc_fail;
	/* every device drop of napiref is a ring overrun */
	rx->hw_drops = s.ring_drops;
	rx->hw_drop_overruns = s.ring_drops;
}

static void napiref_get_queue_stats_tx(struct net_device *dev, int idx,
				       struct netdev_queue_stats_tx *tx)
{
	struct napiref_port *port = netdev_priv(dev);
	struct napiref_txq_snap s;

	napiref_txq_snapshot(port, idx, &s);
	tx->packets = s.packets;
	tx->bytes = s.bytes;
	tx->hw_drops = s.drops;
}

static void napiref_get_base_stats(struct net_device *dev,
				   struct netdev_queue_stats_rx *rx,
				   struct netdev_queue_stats_tx *tx)
{
	struct napiref_port *port = netdev_priv(dev);
	unsigned int i;

	rx->packets = 0;
	rx->bytes = 0;
	rx->alloc_fail = 0;
	rx->hw_drops = 0;
	rx->hw_drop_overruns = 0;
	tx->packets = 0;
	tx->bytes = 0;
	tx->hw_drops = 0;

	for (i = dev->real_num_rx_queues; i < NAPIREF_MAX_QUEUES; i++) {
		struct napiref_rxq_snap s;

		napiref_rxq_snapshot(&port->q[i], &s);
		rx->packets += s.packets;
		rx->bytes += s.bytes;
		rx->alloc_fail += s.alloc_fail;
		rx->hw_drops += s.ring_drops;
		rx->hw_drop_overruns += s.ring_drops;
	}
	for (i = dev->real_num_tx_queues; i < NAPIREF_MAX_QUEUES; i++) {
		struct napiref_txq_snap s;

		napiref_txq_snapshot(port, i, &s);
		tx->packets += s.packets;
		tx->bytes += s.bytes;
		tx->hw_drops += s.drops;
	}
}

static const struct netdev_stat_ops napiref_stat_ops = {
	.get_queue_stats_rx	= napiref_get_queue_stats_rx,
	.get_queue_stats_tx	= napiref_get_queue_stats_tx,
	.get_base_stats		= napiref_get_base_stats,
};

void napiref_set_stat_ops(struct net_device *dev)
{
	dev->stat_ops = &napiref_stat_ops;
}
#else
void napiref_set_stat_ops(struct net_device *dev)
{
}
#endif
