// SPDX-License-Identifier: GPL-2.0
/*
 * napiref net_device: allocation, ndo ops (open/stop/xmit/stats64) and the
 * queue reconfiguration used by ethtool -L / -G.
 */
#include <linux/etherdevice.h>
#include <linux/inet.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>

#include "napiref.h"

/* Link state follows the cable: up only when both ends are up. */
static void napiref_update_carrier(struct napiref_port *port)
{
	struct napiref_port *peer = rtnl_dereference(port->peer);

	if (peer && netif_running(port->netdev) &&
	    netif_running(peer->netdev)) {
		netif_carrier_on(port->netdev);
		netif_carrier_on(peer->netdev);
	} else {
		netif_carrier_off(port->netdev);
		if (peer)
			netif_carrier_off(peer->netdev);
	}
}

static int napiref_open(struct net_device *dev)
{
	struct napiref_port *port = netdev_priv(dev);
	int err;

	err = napiref_queues_start(port);
	if (err)
		return err;
	netif_tx_start_all_queues(dev);
	napiref_update_carrier(port);
	return 0;
}

static int napiref_stop(struct net_device *dev)
{
	struct napiref_port *port = netdev_priv(dev);

	napiref_update_carrier(port);
	netif_tx_disable(dev);
	napiref_queues_stop(port);
	return 0;
}

/*
 * TX completes synchronously: the frame is handed to the wire (the peer's
 * RX ring) right here, so there is no TX ring to reclaim in NAPI poll.
 */
static netdev_tx_t napiref_start_xmit(struct sk_buff *skb,
				      struct net_device *dev)
{
	struct napiref_port *port = netdev_priv(dev);
	struct napiref_tx_stats *ts;
	struct napiref_port *peer;
	unsigned int len = skb->len;
	bool sent = false;

	ts = &port->txs[skb_get_queue_mapping(skb) % NAPIREF_MAX_QUEUES];
	skb_tx_timestamp(skb);

	rcu_read_lock();
	peer = rcu_dereference(port->peer);
	if (likely(peer))
		sent = napiref_hw_xmit(peer, skb);
	else
		dev_kfree_skb_any(skb);
	rcu_read_unlock();

	u64_stats_update_begin(&ts->syncp);
	if (likely(sent)) {
		u64_stats_inc(&ts->packets);
		u64_stats_add(&ts->bytes, len);
	} else {
		u64_stats_inc(&ts->drops);
	}
	u64_stats_update_end(&ts->syncp);
	return NETDEV_TX_OK;
}

void napiref_get_stats64(struct net_device *dev,
			 struct rtnl_link_stats64 *stats)
{
	struct napiref_port *port = netdev_priv(dev);
	unsigned int i;

	/* all queues, active or not: counters survive channel changes */
	for (i = 0; i < NAPIREF_MAX_QUEUES; i++) {
		struct napiref_rxq_snap rs;
		struct napiref_txq_snap ts;

		napiref_rxq_snapshot(&port->q[i], &rs);
		stats->rx_packets += rs.packets;
		stats->rx_bytes += rs.bytes;
		/* no buffer for a received frame: dropped by the driver */
		stats->rx_dropped += rs.alloc_fail;
		/* ring full: dropped by the device, host too slow */
		stats->rx_missed_errors += rs.ring_drops;

		napiref_txq_snapshot(port, i, &ts);
		stats->tx_packets += ts.packets;
		stats->tx_bytes += ts.bytes;
		stats->tx_dropped += ts.drops;
	}
}

/**
 * napiref_reconfigure - change queue count and/or ring size
 * @port: port, rtnl held
 * @queues: new number of combined channels
 * @ring: new RX ring size
 *
 * A running port is quiesced, rebuilt and restarted, so this works while
 * traffic flows; frames arriving meanwhile are dropped by the device.
 * A new queue count resets the RSS indirection table to the default spread
 * unless the user set one (ethtool -X): the core refuses counts that would
 * leave entries of a user table without a queue (ethtool_check_max_channel()).
 */
int napiref_reconfigure(struct napiref_port *port, u32 queues, u32 ring)
{
	struct net_device *dev = port->netdev;
	struct napiref_rss *rss = NULL;
	bool running = port->started;
	u32 old_queues = port->num_queues;
	int err;

	if (queues != old_queues && !netif_is_rxfh_configured(dev)) {
		rss = napiref_rss_dup(port);
		if (!rss)
			return -ENOMEM;
		napiref_rss_default_indir(rss, queues);
	}

	if (running) {
		netif_tx_disable(dev);
		napiref_queues_stop(port);
	}

	err = netif_set_real_num_queues(dev, queues, queues);
	if (err) {
		queues = old_queues;
		kfree(rss);
	} else if (rss) {
		napiref_rss_replace(port, rss);
	}
	port->num_queues = queues;
	port->ring_size = ring;

	if (running) {
		int err2 = napiref_queues_start(port);

		if (err2) {
			netdev_err(dev, "restart after reconfigure failed: %d\n",
				   err2);
			return err2;
		}
		netif_tx_wake_all_queues(dev);
	}
	return err;
}

static const struct net_device_ops napiref_netdev_ops = {
	.ndo_open		= napiref_open,
	.ndo_stop		= napiref_stop,
	.ndo_start_xmit		= napiref_start_xmit,
	.ndo_get_stats64	= napiref_get_stats64,
	.ndo_set_mac_address	= eth_mac_addr,
	.ndo_validate_addr	= eth_validate_addr,
};

static void napiref_gen_defaults(struct napiref_port *port)
{
	struct napiref_gen_cfg *g = &port->gen;

	g->rate = 0;
	g->size = ETH_ZLEN;
	g->flows = 1;
	g->queue_mask = GENMASK(NAPIREF_MAX_QUEUES - 1, 0);
	g->tick_us = NAPIREF_GEN_TICK_US;
	g->src_ip = in_aton("198.18.0.1");
	g->dst_ip = in_aton("198.18.0.2");
	g->src_port = 1024;
	g->dst_port = 9;
	eth_random_addr(g->src_mac);
	g->steer_rss = false;
}

struct napiref_port *napiref_port_alloc(unsigned int id, u32 queues,
					bool legacy)
{
	struct napiref_port *port;
	struct napiref_rss *rss;
	struct net_device *dev;
	struct device *bdev;
	char name[IFNAMSIZ];
	unsigned int i;
	int err;

	bdev = napiref_bus_dev_add(id);
	if (IS_ERR(bdev))
		return ERR_CAST(bdev);
	rss = napiref_rss_alloc(queues);
	if (!rss) {
		err = -ENOMEM;
		goto err_del_bdev;
	}

	snprintf(name, sizeof(name), NAPIREF_DRV_NAME "%u", id);
	dev = alloc_netdev_mqs(sizeof(*port), name, NET_NAME_PREDICTABLE,
			       ether_setup, NAPIREF_MAX_QUEUES,
			       NAPIREF_MAX_QUEUES);
	if (!dev) {
		err = -ENOMEM;
		goto err_free_rss;
	}
	SET_NETDEV_DEV(dev, bdev);

	port = netdev_priv(dev);
	port->netdev = dev;
	port->bdev = bdev;
	port->id = id;
	port->legacy = legacy;
	port->num_queues = queues;
	port->ring_size = NAPIREF_RING_DEF;
	port->tx_ring_size = NAPIREF_RING_DEF;
	RCU_INIT_POINTER(port->rss, rss);
	napiref_gen_defaults(port);
	for (i = 0; i < NAPIREF_MAX_QUEUES; i++) {
		port->q[i].port = port;
		port->q[i].idx = i;
		napiref_hw_queue_init(&port->q[i]);
		u64_stats_init(&port->txs[i].syncp);
	}

	dev->netdev_ops = &napiref_netdev_ops;
	dev->ethtool_ops = &napiref_ethtool_ops;
	napiref_set_stat_ops(dev);
	dev->priv_flags |= IFF_LIVE_ADDR_CHANGE;
	dev->hw_features = NETIF_F_SG | NETIF_F_HW_CSUM | NETIF_F_RXCSUM;
	dev->features = dev->hw_features | NETIF_F_HIGHDMA;
	dev->max_mtu = NAPIREF_MAX_MTU;
	eth_hw_addr_random(dev);

	err = netif_set_real_num_queues(dev, queues, queues);
	if (err)
		goto err_free_netdev;
	/* the generator's flow hashes (rtnl: the port is not visible yet) */
	rtnl_lock();
	err = napiref_gen_configure(port, &port->gen, NULL);
	rtnl_unlock();
	if (err)
		goto err_free_netdev;
	err = napiref_irq_map(port);
	if (err)
		goto err_free_gen;
	netif_carrier_off(dev);
	return port;

err_free_gen:
	kvfree(port->gen_hash);
err_free_netdev:
	free_netdev(dev);
err_free_rss:
	kfree(rss);
err_del_bdev:
	napiref_bus_dev_del(bdev);
	return ERR_PTR(err);
}

/* Free an unregistered (or never registered) port. */
void napiref_port_free(struct napiref_port *port)
{
	struct device *bdev = port->bdev;

	napiref_irq_unmap(port);
	kvfree(port->gen_hash);
	/* no frame can be hashed any more: the cable is cut, queues stopped */
	kfree(rcu_dereference_protected(port->rss, true));
	free_netdev(port->netdev);
	napiref_bus_dev_del(bdev);
}
