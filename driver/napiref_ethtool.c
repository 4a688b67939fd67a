// SPDX-License-Identifier: GPL-2.0
/*
 * napiref ethtool ops: -i, -g/-G, -l/-L, -c/-C, -x/-X, -n/-N rx-flow-hash,
 * -S, -S --groups eth-mac.
 *
 * ethtool -S layout: per active queue "rx<q>_<name>" for every entry of
 * napiref_rxq_stats_desc[], then "tx<q>_<name>" per active queue, then
 * device totals over all queues (including inactive ones) as
 * "total_<name>".
 */
#include <linux/ethtool.h>
#include <linux/netdevice.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/stddef.h>

#include "napiref.h"

struct napiref_stat_desc {
	char name[ETH_GSTRING_LEN];
	size_t offset;
};

#define NAPIREF_RXQ_STAT(str, field) \
	{ .name = str, .offset = offsetof(struct napiref_rxq_snap, field) }
#define NAPIREF_TXQ_STAT(str, field) \
	{ .name = str, .offset = offsetof(struct napiref_txq_snap, field) }

static const struct napiref_stat_desc napiref_rxq_stats_desc[] = {
	NAPIREF_RXQ_STAT("packets", packets),
	NAPIREF_RXQ_STAT("bytes", bytes),
	NAPIREF_RXQ_STAT("irqs", irqs),
	NAPIREF_RXQ_STAT("polls", polls),
	NAPIREF_RXQ_STAT("polls_full", polls_full),
	NAPIREF_RXQ_STAT("completes", completes),
	NAPIREF_RXQ_STAT("rearms", rearms),
	NAPIREF_RXQ_STAT("ring_drops", ring_drops),
	NAPIREF_RXQ_STAT("alloc_fail", alloc_fail),
	NAPIREF_RXQ_STAT("ppp_0", hist[0]),
	NAPIREF_RXQ_STAT("ppp_1", hist[1]),
	NAPIREF_RXQ_STAT("ppp_2_3", hist[2]),
	NAPIREF_RXQ_STAT("ppp_4_7", hist[3]),
	NAPIREF_RXQ_STAT("ppp_8_15", hist[4]),
	NAPIREF_RXQ_STAT("ppp_16_31", hist[5]),
	NAPIREF_RXQ_STAT("ppp_32_63", hist[6]),
	NAPIREF_RXQ_STAT("ppp_64_plus", hist[7]),
};

static const struct napiref_stat_desc napiref_txq_stats_desc[] = {
	NAPIREF_TXQ_STAT("packets", packets),
	NAPIREF_TXQ_STAT("bytes", bytes),
	NAPIREF_TXQ_STAT("drops", drops),
};

#define NAPIREF_RXQ_NSTATS	ARRAY_SIZE(napiref_rxq_stats_desc)
#define NAPIREF_TXQ_NSTATS	ARRAY_SIZE(napiref_txq_stats_desc)

const char *const napiref_fail_names[NAPIREF_FAIL_NUM] = {
	[NAPIREF_FAIL_RING]	= "ring",
	[NAPIREF_FAIL_CHANNELS]	= "channels",
	[NAPIREF_FAIL_COALESCE]	= "coalesce",
	[NAPIREF_FAIL_RSS]	= "rss",
};

/*
 * Error injection, as netdevsim's set_err: when armed through debugfs
 * (napiref<N>/fail/<kind>), the next set of that kind fails with the chosen
 * errno and extack message, once, as if the device had refused it. The
 * core has validated the request already. The message reaches the user
 * where the request came over netlink and the op takes an extack (rings
 * and coalescing on 6.12; channels have no extack, RSS is set by ioctl).
 */
static int napiref_fail_take(struct napiref_port *port,
			     enum napiref_fail_op op,
			     struct netlink_ext_ack *extack)
{
	struct napiref_fail *f = &port->fail[op];
	int err = f->err;

	ASSERT_RTNL();
	if (!err)
		return 0;
	f->err = 0;
#ifdef NL_SET_ERR_MSG_FMT_MOD
	NL_SET_ERR_MSG_FMT_MOD(extack, "%s", f->msg);
#else
	NL_SET_ERR_MSG_MOD(extack, "injected error");
#endif
	return -err;
}

static void napiref_get_drvinfo(struct net_device *dev,
				struct ethtool_drvinfo *info)
{
	strscpy(info->driver, NAPIREF_DRV_NAME, sizeof(info->driver));
	strscpy(info->version, NAPIREF_DRV_VERSION, sizeof(info->version));
	strscpy(info->bus_info, dev_name(dev->dev.parent),
		sizeof(info->bus_info));
}

static void napiref_get_ringparam(struct net_device *dev,
				  struct ethtool_ringparam *ring,
				  struct kernel_ethtool_ringparam *kring,
				  struct netlink_ext_ack *extack)
{
	struct napiref_port *port = netdev_priv(dev);

	ring->rx_max_pending = NAPIREF_RING_MAX;
	ring->tx_max_pending = NAPIREF_RING_MAX;
	ring->rx_pending = port->ring_size;
	ring->tx_pending = port->tx_ring_size;
}

static int napiref_set_ringparam(struct net_device *dev,
				 struct ethtool_ringparam *ring,
				 struct kernel_ethtool_ringparam *kring,
				 struct netlink_ext_ack *extack)
{
	struct napiref_port *port = netdev_priv(dev);
	int err;

	err = napiref_fail_take(port, NAPIREF_FAIL_RING, extack);
	if (err)
		return err;
	if (ring->rx_pending < NAPIREF_RING_MIN ||
	    ring->tx_pending < NAPIREF_RING_MIN) {
		NL_SET_ERR_MSG_MOD(extack, "ring size below minimum (64)");
		return -EINVAL;
	}
	/* TX completes synchronously: the TX size is recorded only */
	port->tx_ring_size = ring->tx_pending;
	if (ring->rx_pending == port->ring_size)
		return 0;
	return napiref_reconfigure(port, port->num_queues, ring->rx_pending);
}

static void napiref_get_channels(struct net_device *dev,
				 struct ethtool_channels *ch)
{
	struct napiref_port *port = netdev_priv(dev);

	ch->max_combined = NAPIREF_MAX_QUEUES;
	ch->combined_count = port->num_queues;
}

static int napiref_set_channels(struct net_device *dev,
				struct ethtool_channels *ch)
{
	struct napiref_port *port = netdev_priv(dev);
	int err;

	err = napiref_fail_take(port, NAPIREF_FAIL_CHANNELS, NULL);
	if (err)
		return err;
	/* the core already rejected rx/tx/other counts (max 0) */
	if (!ch->combined_count)
		return -EINVAL;
	if (ch->combined_count == port->num_queues)
		return 0;
	return napiref_reconfigure(port, ch->combined_count, port->ring_size);
}

static int napiref_get_coalesce(struct net_device *dev,
				struct ethtool_coalesce *ec,
				struct kernel_ethtool_coalesce *kec,
				struct netlink_ext_ack *extack)
{
	struct napiref_port *port = netdev_priv(dev);

	ec->rx_coalesce_usecs = port->rx_usecs;
	ec->rx_max_coalesced_frames = port->rx_frames;
	return 0;
}

/* Takes effect on the next moderation decision, no restart needed. */
static int napiref_set_coalesce(struct net_device *dev,
				struct ethtool_coalesce *ec,
				struct kernel_ethtool_coalesce *kec,
				struct netlink_ext_ack *extack)
{
	struct napiref_port *port = netdev_priv(dev);
	int err;

	err = napiref_fail_take(port, NAPIREF_FAIL_COALESCE, extack);
	if (err)
		return err;
	if (ec->rx_coalesce_usecs > USEC_PER_SEC) {
		NL_SET_ERR_MSG_MOD(extack, "rx-usecs above 1000000");
		return -EINVAL;
	}
	if (ec->rx_max_coalesced_frames > NAPIREF_RING_MAX) {
		NL_SET_ERR_MSG_MOD(extack, "rx-frames above max ring size");
		return -EINVAL;
	}
	WRITE_ONCE(port->rx_usecs, ec->rx_coalesce_usecs);
	WRITE_ONCE(port->rx_frames, ec->rx_max_coalesced_frames);
	return 0;
}

/* ------------------------------- RSS ---------------------------------- */

static u32 napiref_get_rxfh_key_size(struct net_device *dev)
{
	return NAPIREF_RSS_KEY_SIZE;
}

static u32 napiref_get_rxfh_indir_size(struct net_device *dev)
{
	return NAPIREF_RSS_INDIR_SIZE;
}

static void napiref_rss_read(struct net_device *dev, u32 *indir, u8 *key)
{
	struct napiref_port *port = netdev_priv(dev);
	const struct napiref_rss *rss;
	unsigned int i;

	rcu_read_lock();
	rss = rcu_dereference(port->rss);
	for (i = 0; indir && i < NAPIREF_RSS_INDIR_SIZE; i++)
		indir[i] = rss->indir[i];
	if (key)
		memcpy(key, rss->key, NAPIREF_RSS_KEY_SIZE);
	rcu_read_unlock();
}

/*
 * ethtool -X: a new table (the core checked every entry against the
 * number of RX rings, ETHTOOL_GRXRINGS) and/or a new key. A new key
 * changes the generator's precomputed flow hashes too.
 */
static int napiref_rss_write(struct net_device *dev, const u32 *indir,
			     const u8 *key, u8 hfunc,
			     struct netlink_ext_ack *extack)
{
	struct napiref_port *port = netdev_priv(dev);
	struct napiref_rss *rss;
	unsigned int i;
	int err;

	err = napiref_fail_take(port, NAPIREF_FAIL_RSS, extack);
	if (err)
		return err;
	if (hfunc != ETH_RSS_HASH_NO_CHANGE && hfunc != ETH_RSS_HASH_TOP) {
		NL_SET_ERR_MSG_MOD(extack, "only the Toeplitz hash is supported");
		return -EOPNOTSUPP;
	}
	if (!indir && !key)
		return 0;
	for (i = 0; indir && i < NAPIREF_RSS_INDIR_SIZE; i++)
		if (indir[i] >= port->num_queues)
			return -EINVAL;

	rss = napiref_rss_dup(port);
	if (!rss)
		return -ENOMEM;
	for (i = 0; indir && i < NAPIREF_RSS_INDIR_SIZE; i++)
		rss->indir[i] = indir[i];
	if (!key) {
		napiref_rss_replace(port, rss);
		return 0;
	}
	memcpy(rss->key, key, NAPIREF_RSS_KEY_SIZE);
	return napiref_gen_configure(port, &port->gen, rss);
}

#ifdef NAPIREF_HAVE_RXFH_PARAM
static int napiref_get_rxfh(struct net_device *dev,
			    struct ethtool_rxfh_param *rxfh)
{
	rxfh->hfunc = ETH_RSS_HASH_TOP;
	napiref_rss_read(dev, rxfh->indir, rxfh->key);
	return 0;
}

static int napiref_set_rxfh(struct net_device *dev,
			    struct ethtool_rxfh_param *rxfh,
			    struct netlink_ext_ack *extack)
{
	return napiref_rss_write(dev, rxfh->indir, rxfh->key, rxfh->hfunc,
				 extack);
}
#else
static int napiref_get_rxfh(struct net_device *dev, u32 *indir, u8 *key,
			    u8 *hfunc)
{
	if (hfunc)
		*hfunc = ETH_RSS_HASH_TOP;
	napiref_rss_read(dev, indir, key);
	return 0;
}

static int napiref_set_rxfh(struct net_device *dev, const u32 *indir,
			    const u8 *key, const u8 hfunc)
{
	return napiref_rss_write(dev, indir, key, hfunc, NULL);
}
#endif

/* ethtool -n DEV rx-flow-hash TYPE */
static int napiref_rss_fields_get(struct net_device *dev, u32 flow_type,
				  u32 *data)
{
	struct napiref_port *port = netdev_priv(dev);

	rcu_read_lock();
	*data = napiref_rss_get_fields(rcu_dereference(port->rss), flow_type);
	rcu_read_unlock();
	return *data ? 0 : -EINVAL;
}

/*
 * ethtool -N DEV rx-flow-hash TYPE sd|sdfn. The generator's flows are
 * UDP over IPv4: a change of udp4 changes their precomputed hashes.
 */
static int napiref_rss_fields_set(struct net_device *dev, u32 flow_type,
				  u32 data, struct netlink_ext_ack *extack)
{
	struct napiref_port *port = netdev_priv(dev);
	struct napiref_rss *rss;
	u8 bit;
	int l4;

	l4 = napiref_fail_take(port, NAPIREF_FAIL_RSS, extack);
	if (l4)
		return l4;
	l4 = napiref_rss_check_fields(flow_type, data, &bit, extack);
	if (l4 < 0)
		return l4;
	if (!bit)
		return 0;
	rss = napiref_rss_dup(port);
	if (!rss)
		return -ENOMEM;
	if (l4)
		rss->l4 |= bit;
	else
		rss->l4 &= ~bit;
	if (bit != NAPIREF_RSS_L4_UDP4) {
		napiref_rss_replace(port, rss);
		return 0;
	}
	return napiref_gen_configure(port, &port->gen, rss);
}

#ifdef NAPIREF_HAVE_RXFH_FIELDS
static int napiref_get_rxfh_fields(struct net_device *dev,
				   struct ethtool_rxfh_fields *fields)
{
	return napiref_rss_fields_get(dev, fields->flow_type, &fields->data);
}

static int napiref_set_rxfh_fields(struct net_device *dev,
				   const struct ethtool_rxfh_fields *fields,
				   struct netlink_ext_ack *extack)
{
	return napiref_rss_fields_set(dev, fields->flow_type, fields->data,
				      extack);
}
#endif

#ifdef NAPIREF_HAVE_RX_RING_COUNT
/* the RX rings an indirection table may point to (ETHTOOL_GRXRINGS) */
static u32 napiref_get_rx_ring_count(struct net_device *dev)
{
	struct napiref_port *port = netdev_priv(dev);

	return port->num_queues;
}
#endif

/*
 * ETHTOOL_GRXRINGS: the RX rings an indirection table may point to. Before
 * get/set_rxfh_fields() existed, rx-flow-hash also went through here.
 */
static int napiref_get_rxnfc(struct net_device *dev,
			     struct ethtool_rxnfc *info, u32 *rule_locs)
{
	struct napiref_port *port = netdev_priv(dev);
	u32 data;
	int err;

	switch (info->cmd) {
	case ETHTOOL_GRXRINGS:
		info->data = port->num_queues;
		return 0;
	case ETHTOOL_GRXFH:
		err = napiref_rss_fields_get(dev, info->flow_type, &data);
		info->data = data;
		return err;
	default:
		return -EOPNOTSUPP;
	}
}

#ifndef NAPIREF_HAVE_RXFH_FIELDS
static int napiref_set_rxnfc(struct net_device *dev,
			     struct ethtool_rxnfc *info)
{
	if (info->cmd != ETHTOOL_SRXFH)
		return -EOPNOTSUPP;
	return napiref_rss_fields_set(dev, info->flow_type, info->data, NULL);
}
#endif

static int napiref_get_sset_count(struct net_device *dev, int sset)
{
	unsigned int nq = dev->real_num_rx_queues;

	if (sset != ETH_SS_STATS)
		return -EOPNOTSUPP;
	return nq * (NAPIREF_RXQ_NSTATS + NAPIREF_TXQ_NSTATS) +
	       NAPIREF_RXQ_NSTATS + NAPIREF_TXQ_NSTATS;
}

static void napiref_get_strings(struct net_device *dev, u32 sset, u8 *data)
{
	unsigned int nq = dev->real_num_rx_queues;
	unsigned int q, i;

	if (sset != ETH_SS_STATS)
		return;
	for (q = 0; q < nq; q++)
		for (i = 0; i < NAPIREF_RXQ_NSTATS; i++)
			ethtool_sprintf(&data, "rx%u_%s", q,
					napiref_rxq_stats_desc[i].name);
	for (q = 0; q < nq; q++)
		for (i = 0; i < NAPIREF_TXQ_NSTATS; i++)
			ethtool_sprintf(&data, "tx%u_%s", q,
					napiref_txq_stats_desc[i].name);
	for (i = 0; i < NAPIREF_RXQ_NSTATS; i++)
		ethtool_sprintf(&data, "total_rx_%s",
				napiref_rxq_stats_desc[i].name);
	for (i = 0; i < NAPIREF_TXQ_NSTATS; i++)
		ethtool_sprintf(&data, "total_tx_%s",
				napiref_txq_stats_desc[i].name);
}

static u64 napiref_stat_at(const void *snap, size_t offset)
{
	return *(const u64 *)((const u8 *)snap + offset);
}

static void napiref_get_ethtool_stats(struct net_device *dev,
				      struct ethtool_stats *stats, u64 *data)
{
	struct napiref_port *port = netdev_priv(dev);
	unsigned int nq = dev->real_num_rx_queues;
	struct napiref_rxq_snap rs, rtot = {};
	struct napiref_txq_snap ts, ttot = {};
	unsigned int q, i;

	for (q = 0; q < NAPIREF_MAX_QUEUES; q++) {
		napiref_rxq_snapshot(&port->q[q], &rs);
		for (i = 0; i < NAPIREF_RXQ_NSTATS; i++) {
			size_t off = napiref_rxq_stats_desc[i].offset;
			u64 v = napiref_stat_at(&rs, off);

			*(u64 *)((u8 *)&rtot + off) += v;
			if (q < nq)
				*data++ = v;
		}
	}
	for (q = 0; q < NAPIREF_MAX_QUEUES; q++) {
		napiref_txq_snapshot(port, q, &ts);
		for (i = 0; i < NAPIREF_TXQ_NSTATS; i++) {
			size_t off = napiref_txq_stats_desc[i].offset;
			u64 v = napiref_stat_at(&ts, off);

			*(u64 *)((u8 *)&ttot + off) += v;
			if (q < nq)
				*data++ = v;
		}
	}
	for (i = 0; i < NAPIREF_RXQ_NSTATS; i++)
		*data++ = napiref_stat_at(&rtot, napiref_rxq_stats_desc[i].offset);
	for (i = 0; i < NAPIREF_TXQ_NSTATS; i++)
		*data++ = napiref_stat_at(&ttot, napiref_txq_stats_desc[i].offset);
}

/*
 * IEEE 802.3 MAC counters (ethtool -S --groups eth-mac, netlink STATS_GET):
 * only those the device keeps, over all queues like stats64. The core
 * pre-fills every field with ETHTOOL_STAT_NOT_SET and omits the ones left so.
 */
static void napiref_get_eth_mac_stats(struct net_device *dev,
				      struct ethtool_eth_mac_stats *mac)
{
	struct napiref_port *port = netdev_priv(dev);
	u64 rx_frames = 0, rx_octets = 0, rx_lost = 0;
	u64 tx_frames = 0, tx_octets = 0;
	unsigned int q;

	for (q = 0; q < NAPIREF_MAX_QUEUES; q++) {
		struct napiref_rxq_snap rs;
		struct napiref_txq_snap ts;

		napiref_rxq_snapshot(&port->q[q], &rs);
		rx_frames += rs.packets;
		rx_octets += rs.bytes;
		/* ring full: the "MAC" had no descriptor for the frame */
		rx_lost += rs.ring_drops;
		napiref_txq_snapshot(port, q, &ts);
		tx_frames += ts.packets;
		tx_octets += ts.bytes;
	}
	mac->FramesReceivedOK = rx_frames;
	mac->OctetsReceivedOK = rx_octets;
	mac->FramesLostDueToIntMACRcvError = rx_lost;
	mac->FramesTransmittedOK = tx_frames;
	mac->OctetsTransmittedOK = tx_octets;
}

const struct ethtool_ops napiref_ethtool_ops = {
	.supported_coalesce_params	= ETHTOOL_COALESCE_RX_USECS |
					  ETHTOOL_COALESCE_RX_MAX_FRAMES,
	.get_drvinfo			= napiref_get_drvinfo,
	.get_link			= ethtool_op_get_link,
	.get_ringparam			= napiref_get_ringparam,
	.set_ringparam			= napiref_set_ringparam,
	.get_channels			= napiref_get_channels,
	.set_channels			= napiref_set_channels,
	.get_coalesce			= napiref_get_coalesce,
	.set_coalesce			= napiref_set_coalesce,
	.get_rxnfc			= napiref_get_rxnfc,
#ifdef NAPIREF_HAVE_RX_RING_COUNT
	.get_rx_ring_count		= napiref_get_rx_ring_count,
#endif
	.get_rxfh_key_size		= napiref_get_rxfh_key_size,
	.get_rxfh_indir_size		= napiref_get_rxfh_indir_size,
	.get_rxfh			= napiref_get_rxfh,
	.set_rxfh			= napiref_set_rxfh,
#ifdef NAPIREF_HAVE_RXFH_FIELDS
	.get_rxfh_fields		= napiref_get_rxfh_fields,
	.set_rxfh_fields		= napiref_set_rxfh_fields,
#else
	.set_rxnfc			= napiref_set_rxnfc,
#endif
	.get_sset_count			= napiref_get_sset_count,
	.get_strings			= napiref_get_strings,
	.get_ethtool_stats		= napiref_get_ethtool_stats,
	.get_eth_mac_stats		= napiref_get_eth_mac_stats,
};
