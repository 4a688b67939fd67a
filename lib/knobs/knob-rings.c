// SPDX-License-Identifier: GPL-2.0-or-later
/* Ring sizes: ethtool netlink RINGS_GET/RINGS_SET (ethtool-netlink.rst). */
#include <errno.h>

#include <linux/ethtool_netlink.h>

#include "knob-netlink.h"

static int rings_read(struct nt_ctx *ctx, const struct nt_knob *k, const struct nt_target *t,
		      char **ret, struct nt_err *reterr)
{
	return nt_ethtool_read_attr(ctx, ETHTOOL_MSG_RINGS_GET, ETHTOOL_A_RINGS_MAX, k, t, ret,
				    reterr);
}

static int rings_apply(struct nt_ctx *ctx, const struct nt_target *t, const struct nt_write *w,
		       size_t n, struct nt_err *reterr)
{
	return nt_ethtool_set(ctx, ETHTOOL_MSG_RINGS_SET, t, w, n, reterr);
}

static int rings_caps(struct nt_ctx *ctx, const struct nt_knob *k, const struct nt_target *t,
		      uint64_t *ret_max, struct nt_err *reterr)
{
	int max_attr =
		k->attr == ETHTOOL_A_RINGS_RX ? ETHTOOL_A_RINGS_RX_MAX : ETHTOOL_A_RINGS_TX_MAX;
	struct nt_nl_attrs reply;
	int r;

	r = nt_ethtool_get(ctx, ETHTOOL_MSG_RINGS_GET, ETHTOOL_A_RINGS_MAX, t, &reply, reterr);
	if (r < 0)
		return r;
	if (!reply.have[max_attr] || reply.v[max_attr] == 0)
		return nt_err_set(reterr, -EOPNOTSUPP, "'%s' reports no maximum for %s", t->ifname,
				  k->key);
	if (ret_max)
		*ret_max = reply.v[max_attr];
	return 0;
}

const struct nt_fam_ops nt_rings_ops = {
	.read = rings_read,
	.apply = rings_apply,
	.caps = rings_caps,
};
