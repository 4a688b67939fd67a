// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/netlink.h>
#include <netlink/route/link.h>

#include "fs.h"
#include "nl.h"
#include "stats-link.h"
#include "string-table.h"
#include "topo.h"

static const char *const nt_link_stat_table[_NT_LINK_STAT_MAX] = {
	[NT_LINK_RX_PACKETS] = "rx_packets",
	[NT_LINK_TX_PACKETS] = "tx_packets",
	[NT_LINK_RX_BYTES] = "rx_bytes",
	[NT_LINK_TX_BYTES] = "tx_bytes",
	[NT_LINK_RX_ERRORS] = "rx_errors",
	[NT_LINK_TX_ERRORS] = "tx_errors",
	[NT_LINK_RX_DROPPED] = "rx_dropped",
	[NT_LINK_TX_DROPPED] = "tx_dropped",
	[NT_LINK_MULTICAST] = "multicast",
	[NT_LINK_COLLISIONS] = "collisions",
	[NT_LINK_RX_LENGTH_ERRORS] = "rx_length_errors",
	[NT_LINK_RX_OVER_ERRORS] = "rx_over_errors",
	[NT_LINK_RX_CRC_ERRORS] = "rx_crc_errors",
	[NT_LINK_RX_FRAME_ERRORS] = "rx_frame_errors",
	[NT_LINK_RX_FIFO_ERRORS] = "rx_fifo_errors",
	[NT_LINK_RX_MISSED_ERRORS] = "rx_missed_errors",
	[NT_LINK_RX_NOHANDLER] = "rx_nohandler",
};

DEFINE_STRING_TABLE_LOOKUP(nt_link_stat, enum nt_link_stat);

/* libnl's rtnl_link_stat_id_t of each counter. */
static const int rtnl_id[_NT_LINK_STAT_MAX] = {
	[NT_LINK_RX_PACKETS] = RTNL_LINK_RX_PACKETS,
	[NT_LINK_TX_PACKETS] = RTNL_LINK_TX_PACKETS,
	[NT_LINK_RX_BYTES] = RTNL_LINK_RX_BYTES,
	[NT_LINK_TX_BYTES] = RTNL_LINK_TX_BYTES,
	[NT_LINK_RX_ERRORS] = RTNL_LINK_RX_ERRORS,
	[NT_LINK_TX_ERRORS] = RTNL_LINK_TX_ERRORS,
	[NT_LINK_RX_DROPPED] = RTNL_LINK_RX_DROPPED,
	[NT_LINK_TX_DROPPED] = RTNL_LINK_TX_DROPPED,
	[NT_LINK_MULTICAST] = RTNL_LINK_MULTICAST,
	[NT_LINK_COLLISIONS] = RTNL_LINK_COLLISIONS,
	[NT_LINK_RX_LENGTH_ERRORS] = RTNL_LINK_RX_LEN_ERR,
	[NT_LINK_RX_OVER_ERRORS] = RTNL_LINK_RX_OVER_ERR,
	[NT_LINK_RX_CRC_ERRORS] = RTNL_LINK_RX_CRC_ERR,
	[NT_LINK_RX_FRAME_ERRORS] = RTNL_LINK_RX_FRAME_ERR,
	[NT_LINK_RX_FIFO_ERRORS] = RTNL_LINK_RX_FIFO_ERR,
	[NT_LINK_RX_MISSED_ERRORS] = RTNL_LINK_RX_MISSED_ERR,
	[NT_LINK_RX_NOHANDLER] = RTNL_LINK_RX_NOHANDLER,
};

static int cmp_name(const void *a, const void *b)
{
	const struct nt_link_stats *x = a, *y = b;

	return strcmp(x->name, y->name);
}

int nt_link_stats_read_sysfs(const struct nt_root *root, struct nt_link_stats_list *ret)
{
	struct nt_link_stats_list l = {};
	char **names = NULL;
	size_t n = 0;
	int r;

	r = nt_netdev_names(root, &names, &n);
	if (r < 0)
		return r;
	l.link = calloc(n ? n : 1, sizeof(*l.link));
	if (!l.link) {
		nt_strv_free(names);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		struct nt_link_stats *s = &l.link[l.n];
		char path[128];
		uint64_t v;

		snprintf(path, sizeof(path), "sys/class/net/%s/statistics", names[i]);
		if (!nt_path_exists(root, path))
			continue; /* a fixture tree that records none */
		strcpy(s->name, names[i]);
		snprintf(path, sizeof(path), "sys/class/net/%s/ifindex", names[i]);
		s->ifindex = nt_read_u64(root, path, &v) == 0 ? (int)v : 0;
		for (unsigned int k = 0; k < _NT_LINK_STAT_MAX; k++) {
			snprintf(path, sizeof(path), "sys/class/net/%s/statistics/%s", names[i],
				 nt_link_stat_table[k]);
			s->v[k] = nt_read_u64(root, path, &v) == 0 ? v : 0;
		}
		l.n++;
	}
	nt_strv_free(names);
	qsort(l.link, l.n, sizeof(*l.link), cmp_name);
	*ret = l;
	return 0;
}

static int nle_to_errno(int e)
{
	switch (e < 0 ? -e : e) {
	case NLE_NOMEM:
		return -ENOMEM;
	case NLE_PERM:
		return -EPERM;
	case NLE_NOACCESS:
		return -EACCES;
	case NLE_OPNOTSUPP:
		return -EOPNOTSUPP;
	case NLE_AF_NOSUPPORT:
		return -EAFNOSUPPORT;
	default:
		return -EIO;
	}
}

int nt_link_stats_read_netlink(struct nt_link_stats_list *ret)
{
	struct nt_link_stats_list l = {};
	struct nl_cache *cache = NULL;
	struct nl_sock *sk;
	struct nl_object *o;
	int r, n;

	sk = nl_socket_alloc();
	if (!sk)
		return -ENOMEM;
	r = nl_connect(sk, NETLINK_ROUTE);
	if (r < 0) {
		r = nle_to_errno(r);
		goto out;
	}
	/* One RTM_NEWLINK of a device with many queues can exceed a small rmem_max. */
	nt_nl_sock_grow(sk, 1 << 20);
	r = rtnl_link_alloc_cache(sk, AF_UNSPEC, &cache);
	if (r < 0) {
		r = nle_to_errno(r);
		goto out;
	}
	n = nl_cache_nitems(cache);
	l.link = calloc(n > 0 ? (size_t)n : 1, sizeof(*l.link));
	if (!l.link) {
		r = -ENOMEM;
		goto out;
	}
	for (o = nl_cache_get_first(cache); o && (int)l.n < n; o = nl_cache_get_next(o)) {
		struct rtnl_link *link = (struct rtnl_link *)o;
		struct nt_link_stats *s = &l.link[l.n];
		const char *name = rtnl_link_get_name(link);

		if (!name || strlen(name) >= sizeof(s->name))
			continue;
		strcpy(s->name, name);
		s->ifindex = rtnl_link_get_ifindex(link);
		for (unsigned int k = 0; k < _NT_LINK_STAT_MAX; k++)
			s->v[k] = rtnl_link_get_stat(link, (rtnl_link_stat_id_t)rtnl_id[k]);
		l.n++;
	}
	qsort(l.link, l.n, sizeof(*l.link), cmp_name);
	*ret = l;
	l.link = NULL;
	r = 0;
out:
	free(l.link);
	if (cache)
		nl_cache_free(cache);
	nl_socket_free(sk);
	return r;
}

void nt_link_stats_done(struct nt_link_stats_list *l)
{
	free(l->link);
	*l = (struct nt_link_stats_list){};
}

const struct nt_link_stats *nt_link_stats_find(const struct nt_link_stats_list *l, const char *name)
{
	struct nt_link_stats key = {};

	if (strlen(name) >= sizeof(key.name))
		return NULL;
	strcpy(key.name, name);
	return bsearch(&key, l->link, l->n, sizeof(*l->link), cmp_name);
}
