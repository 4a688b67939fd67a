// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/attr.h>

#include "nl-netdev.h"
#include "nl.h"
#include "stats-qstats.h"
#include "string-table.h"

/* Spellings of the netdev spec (Documentation/netlink/specs/netdev.yaml). */
static const char *const nt_qstat_table[_NT_QS_MAX] = {
	[NT_QS_RX_PACKETS] = "rx-packets",
	[NT_QS_RX_BYTES] = "rx-bytes",
	[NT_QS_TX_PACKETS] = "tx-packets",
	[NT_QS_TX_BYTES] = "tx-bytes",
	[NT_QS_RX_ALLOC_FAIL] = "rx-alloc-fail",
	[NT_QS_RX_HW_DROPS] = "rx-hw-drops",
	[NT_QS_RX_HW_DROP_OVERRUNS] = "rx-hw-drop-overruns",
	[NT_QS_RX_HW_DROP_RATELIMITS] = "rx-hw-drop-ratelimits",
	[NT_QS_RX_HW_GRO_PACKETS] = "rx-hw-gro-packets",
	[NT_QS_RX_HW_GRO_WIRE_PACKETS] = "rx-hw-gro-wire-packets",
};

DEFINE_STRING_TABLE_LOOKUP(nt_qstat, enum nt_qstat);

static const int qs_attr[_NT_QS_MAX] = {
	[NT_QS_RX_PACKETS] = NT_NETDEV_A_QSTATS_RX_PACKETS,
	[NT_QS_RX_BYTES] = NT_NETDEV_A_QSTATS_RX_BYTES,
	[NT_QS_TX_PACKETS] = NT_NETDEV_A_QSTATS_TX_PACKETS,
	[NT_QS_TX_BYTES] = NT_NETDEV_A_QSTATS_TX_BYTES,
	[NT_QS_RX_ALLOC_FAIL] = NT_NETDEV_A_QSTATS_RX_ALLOC_FAIL,
	[NT_QS_RX_HW_DROPS] = NT_NETDEV_A_QSTATS_RX_HW_DROPS,
	[NT_QS_RX_HW_DROP_OVERRUNS] = NT_NETDEV_A_QSTATS_RX_HW_DROP_OVERRUNS,
	[NT_QS_RX_HW_DROP_RATELIMITS] = NT_NETDEV_A_QSTATS_RX_HW_DROP_RATELIMITS,
	[NT_QS_RX_HW_GRO_PACKETS] = NT_NETDEV_A_QSTATS_RX_HW_GRO_PACKETS,
	[NT_QS_RX_HW_GRO_WIRE_PACKETS] = NT_NETDEV_A_QSTATS_RX_HW_GRO_WIRE_PACKETS,
};

struct ctx {
	struct nt_qstats_list *l;
	unsigned int cap;
};

static int reply_cb(const struct nlmsghdr *nlh _unused_, struct nlattr **tb, void *userdata)
{
	struct ctx *c = userdata;
	struct nt_qstats *q;

	if (!tb[NT_NETDEV_A_QSTATS_IFINDEX])
		return 0;
	if (c->l->n == c->cap) {
		struct nt_qstats *p;

		c->cap = c->cap ? c->cap * 2 : 16;
		p = realloc(c->l->dev, c->cap * sizeof(*p));
		if (!p)
			return -ENOMEM;
		c->l->dev = p;
	}
	q = &c->l->dev[c->l->n++];
	*q = (struct nt_qstats){.ifindex = (int)nla_get_u32(tb[NT_NETDEV_A_QSTATS_IFINDEX]),
				.have = true};
	for (unsigned int i = 0; i < _NT_QS_MAX; i++) {
		const struct nlattr *a = tb[qs_attr[i]];

		if (a && nt_nla_get_uint(a, &q->v[i]) == 0)
			q->has[i] = true;
	}
	return 0;
}

int nt_qstats_read(struct nt_nl *nl, struct nt_qstats_list *ret)
{
	struct nt_qstats_list l = {};
	const struct nt_nl_req req = {
		.family = NT_NETDEV_FAMILY, .cmd = NT_NETDEV_CMD_QSTATS_GET, .dump = true};
	struct ctx c = {.l = &l};
	int r;

	r = nt_nl_get(nl, &req, NT_NETDEV_A_QSTATS_MAX, reply_cb, &c, NULL);
	if (r < 0) {
		free(l.dev);
		/* Kernels before 6.9 reject the unknown command; before 6.3 have no family. */
		return r == -EINVAL ? -EOPNOTSUPP : r == -EPFNOSUPPORT ? -ENOENT : r;
	}
	*ret = l;
	return 0;
}

void nt_qstats_list_done(struct nt_qstats_list *l)
{
	free(l->dev);
	*l = (struct nt_qstats_list){};
}

const struct nt_qstats *nt_qstats_find(const struct nt_qstats_list *l, int ifindex)
{
	for (unsigned int i = 0; i < l->n; i++)
		if (l->dev[i].ifindex == ifindex)
			return &l->dev[i];
	return NULL;
}
