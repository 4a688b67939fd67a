// SPDX-License-Identifier: GPL-2.0
/*
 * napiref RSS "hardware": the receive side scaling block of the device.
 *
 * For every frame it receives, the device
 *   1. extracts the fields ethtool selects (rx-flow-hash): the IP source
 *      and destination addresses, and for TCP and UDP also the ports if the
 *      flow type is set to "sdfn";
 *   2. computes the Toeplitz hash of them with a 40-byte secret key;
 *   3. uses the low 7 bits of the hash as an index into a 128-entry
 *      indirection table, whose entries are RX queue numbers.
 * The hash travels up with the frame (skb_set_hash()), so RPS, RFS and the
 * flow limit need not compute one. Frames that are not IPv4/IPv6 get no
 * hash and go to queue 0, as on most NICs.
 *
 * The configuration is never changed in place: ethtool builds a new copy
 * and publishes it with RCU, like a NIC latching a new key and table, so
 * every frame is hashed with one consistent configuration.
 */
#include <linux/ethtool.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <net/flow_dissector.h>

#include "napiref.h"

/* addresses (2 x 16) and ports (2 x 2) of IPv6: the longest input */
#define NAPIREF_RSS_INPUT_MAX	36

/*
 * The Toeplitz hash as the Microsoft RSS specification defines it: for
 * every bit set in the input, XOR in the 32 key bits that start at that
 * bit's position. @win holds the 64 key bits from the current input byte
 * on; a 40-byte key covers inputs of up to 36 bytes.
 */
static u32 napiref_toeplitz(const u8 *key, const u8 *data, unsigned int len)
{
	unsigned int i, b;
	u32 hash = 0;
	u64 win = 0;

	for (i = 0; i < 8; i++)
		win = win << 8 | key[i];
	for (i = 0; i < len; i++) {
		for (b = 0; b < 8; b++)
			if (data[i] & (0x80 >> b))
				hash ^= (u32)(win >> (32 - b));
		win <<= 8;
		if (i + 8 < NAPIREF_RSS_KEY_SIZE)
			win |= key[i + 8];
	}
	return hash;
}

/*
 * Hash input in the order the specification gives: source address,
 * destination address (@addrs, @alen bytes: both, as the flow dissector
 * keeps them), then source and destination port if the flow type hashes on
 * them (@l4).
 */
static u32 napiref_rss_hash_input(const struct napiref_rss *rss,
				  const void *addrs, unsigned int alen,
				  __be16 sport, __be16 dport, bool l4, u8 *type)
{
	u8 in[NAPIREF_RSS_INPUT_MAX];
	unsigned int len = alen;

	memcpy(in, addrs, alen);
	if (l4) {
		memcpy(in + len, &sport, sizeof(sport));
		memcpy(in + len + sizeof(sport), &dport, sizeof(dport));
		len += sizeof(sport) + sizeof(dport);
	}
	*type = l4 ? PKT_HASH_TYPE_L4 : PKT_HASH_TYPE_L3;
	return napiref_toeplitz(rss->key, in, len);
}

static u8 napiref_rss_l4_bit(u8 ip_proto, bool v6)
{
	switch (ip_proto) {
	case IPPROTO_TCP:
		return v6 ? NAPIREF_RSS_L4_TCP6 : NAPIREF_RSS_L4_TCP4;
	case IPPROTO_UDP:
		return v6 ? NAPIREF_RSS_L4_UDP6 : NAPIREF_RSS_L4_UDP4;
	default:
		return 0;
	}
}

/**
 * napiref_rss_hash_skb - RSS hash of a frame on the wire
 * @rss: configuration of the receiving port
 * @skb: the frame, data at the Ethernet header
 * @hash: result
 * @type: PKT_HASH_TYPE_L4 if the ports were hashed, else PKT_HASH_TYPE_L3
 *
 * The flow dissector plays the device's header parser. Fragments hash on
 * the addresses only, so that all fragments of a datagram stay together.
 *
 * Return: false if the frame is not IPv4/IPv6 (no hash).
 */
bool napiref_rss_hash_skb(const struct napiref_rss *rss,
			  const struct sk_buff *skb, u32 *hash, u8 *type)
{
	struct flow_keys keys;
	unsigned int alen;
	const void *addrs;
	bool v6, l4;

	if (!skb_flow_dissect_flow_keys(skb, &keys,
					FLOW_DISSECTOR_F_STOP_AT_ENCAP))
		return false;
	v6 = keys.control.addr_type == FLOW_DISSECTOR_KEY_IPV6_ADDRS;
	if (v6) {
		addrs = &keys.addrs.v6addrs;
		alen = sizeof(keys.addrs.v6addrs);
	} else if (keys.control.addr_type == FLOW_DISSECTOR_KEY_IPV4_ADDRS) {
		addrs = &keys.addrs.v4addrs;
		alen = sizeof(keys.addrs.v4addrs);
	} else {
		return false;
	}
	l4 = !(keys.control.flags & FLOW_DIS_IS_FRAGMENT) &&
	     (rss->l4 & napiref_rss_l4_bit(keys.basic.ip_proto, v6));
	*hash = napiref_rss_hash_input(rss, addrs, alen, keys.ports.src,
				       keys.ports.dst, l4, type);
	return true;
}

/* RSS hash of a generator frame: UDP over IPv4, ports in host order. */
u32 napiref_rss_hash_udp4(const struct napiref_rss *rss, __be32 saddr,
			  __be32 daddr, u16 sport, u16 dport, u8 *type)
{
	struct flow_dissector_key_ipv4_addrs addrs = {
		.src = saddr,
		.dst = daddr,
	};

	return napiref_rss_hash_input(rss, &addrs, sizeof(addrs), htons(sport),
				      htons(dport),
				      rss->l4 & NAPIREF_RSS_L4_UDP4, type);
}

/* ethtool's default table: queues in turn (ethtool_rxfh_indir_default()) */
void napiref_rss_default_indir(struct napiref_rss *rss, u32 queues)
{
	unsigned int i;

	for (i = 0; i < NAPIREF_RSS_INDIR_SIZE; i++)
		rss->indir[i] = ethtool_rxfh_indir_default(i, queues);
}

/*
 * Configuration of a new port: the system-wide random RSS key every driver
 * starts from (netdev_rss_key_fill()), the default table, and TCP and UDP
 * over IPv4 and IPv6 hashed on addresses and ports.
 */
struct napiref_rss *napiref_rss_alloc(u32 queues)
{
	struct napiref_rss *rss;

	rss = kzalloc(sizeof(*rss), GFP_KERNEL);
	if (!rss)
		return NULL;
	netdev_rss_key_fill(rss->key, sizeof(rss->key));
	napiref_rss_default_indir(rss, queues);
	rss->l4 = NAPIREF_RSS_L4_ALL;
	return rss;
}

/* A private copy of the current configuration to modify (rtnl held). */
struct napiref_rss *napiref_rss_dup(struct napiref_port *port)
{
	return kmemdup(rtnl_dereference(port->rss), sizeof(struct napiref_rss),
		       GFP_KERNEL);
}

/* Publish @rss (rtnl held); frames already being hashed use the old one. */
void napiref_rss_replace(struct napiref_port *port, struct napiref_rss *rss)
{
	struct napiref_rss *old = rtnl_dereference(port->rss);

	rcu_assign_pointer(port->rss, rss);
	kfree_rcu(old, rcu);
}

/*
 * rx-flow-hash: TCP and UDP can hash on the addresses ("sd") or on the
 * addresses and ports ("sdfn"); other IP traffic always hashes on the
 * addresses. Returns the NAPIREF_RSS_L4_* bit of a configurable flow type,
 * 0 for a fixed "sd" one, -1 for a flow type napiref does not hash.
 */
static int napiref_rss_flow_l4_bit(u32 flow_type)
{
	switch (flow_type) {
	case TCP_V4_FLOW:
		return NAPIREF_RSS_L4_TCP4;
	case UDP_V4_FLOW:
		return NAPIREF_RSS_L4_UDP4;
	case TCP_V6_FLOW:
		return NAPIREF_RSS_L4_TCP6;
	case UDP_V6_FLOW:
		return NAPIREF_RSS_L4_UDP6;
	case SCTP_V4_FLOW:
	case AH_ESP_V4_FLOW:
	case AH_V4_FLOW:
	case ESP_V4_FLOW:
	case IPV4_FLOW:
	case SCTP_V6_FLOW:
	case AH_ESP_V6_FLOW:
	case AH_V6_FLOW:
	case ESP_V6_FLOW:
	case IPV6_FLOW:
		return 0;
	default:
		return -1;
	}
}

/* RXH_* fields of @flow_type, 0 if napiref does not hash it */
u32 napiref_rss_get_fields(const struct napiref_rss *rss, u32 flow_type)
{
	int bit = napiref_rss_flow_l4_bit(flow_type);

	if (bit < 0)
		return 0;
	if (rss->l4 & bit)
		return RXH_IP_SRC | RXH_IP_DST | RXH_L4_B_0_1 | RXH_L4_B_2_3;
	return RXH_IP_SRC | RXH_IP_DST;
}

/**
 * napiref_rss_check_fields - validate an rx-flow-hash request
 * @flow_type: ethtool flow type
 * @data: requested RXH_* fields
 * @l4_bit: set to the flow type's NAPIREF_RSS_L4_* bit (0 if fixed)
 * @extack: error message
 *
 * Return: 1 if the ports are to be hashed, 0 if not, -EINVAL.
 */
int napiref_rss_check_fields(u32 flow_type, u32 data, u8 *l4_bit,
			     struct netlink_ext_ack *extack)
{
	const u32 sd = RXH_IP_SRC | RXH_IP_DST;
	const u32 sdfn = sd | RXH_L4_B_0_1 | RXH_L4_B_2_3;
	int bit = napiref_rss_flow_l4_bit(flow_type);

	if (bit < 0) {
		NL_SET_ERR_MSG_MOD(extack, "flow type not hashed by the device");
		return -EINVAL;
	}
	*l4_bit = bit;
	if (data == sd)
		return 0;
	if (data == sdfn && bit)
		return 1;
	if (bit)
		NL_SET_ERR_MSG_MOD(extack, "fields must be sd or sdfn");
	else
		NL_SET_ERR_MSG_MOD(extack, "fields of this flow type are fixed: sd");
	return -EINVAL;
}
