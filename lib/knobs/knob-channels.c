// SPDX-License-Identifier: GPL-2.0-or-later
/* Channel counts: ethtool netlink CHANNELS_GET/CHANNELS_SET (ethtool-netlink.rst). */
#include <errno.h>
#include <string.h>

#include <linux/ethtool_netlink.h>

#include "knob-netlink.h"

static int channels_read(struct nt_ctx *ctx, const struct nt_knob *k, const struct nt_target *t,
			 char **ret, struct nt_err *reterr)
{
	return nt_ethtool_read_attr(ctx, ETHTOOL_MSG_CHANNELS_GET, ETHTOOL_A_CHANNELS_MAX, k, t,
				    ret, reterr);
}

static int channels_apply(struct nt_ctx *ctx, const struct nt_target *t, const struct nt_write *w,
			  size_t n, struct nt_err *reterr)
{
	return nt_ethtool_set(ctx, ETHTOOL_MSG_CHANNELS_SET, t, w, n, reterr);
}

static int channels_caps(struct nt_ctx *ctx, const struct nt_knob *k, const struct nt_target *t,
			 uint64_t *ret_max, struct nt_err *reterr)
{
	struct nt_nl_attrs reply;
	int max_attr, r;

	switch (k->attr) {
	case ETHTOOL_A_CHANNELS_RX_COUNT:
		max_attr = ETHTOOL_A_CHANNELS_RX_MAX;
		break;
	case ETHTOOL_A_CHANNELS_TX_COUNT:
		max_attr = ETHTOOL_A_CHANNELS_TX_MAX;
		break;
	default:
		max_attr = ETHTOOL_A_CHANNELS_COMBINED_MAX;
		break;
	}
	r = nt_ethtool_get(ctx, ETHTOOL_MSG_CHANNELS_GET, ETHTOOL_A_CHANNELS_MAX, t, &reply,
			   reterr);
	if (r < 0)
		return r;
	if (!reply.have[max_attr] || reply.v[max_attr] == 0)
		return nt_err_set(reterr, -EOPNOTSUPP, "'%s' has no %s channels", t->ifname,
				  k->key + strlen("channels."));
	if (ret_max)
		*ret_max = reply.v[max_attr];
	return 0;
}

const struct nt_fam_ops nt_channels_ops = {
	.read = channels_read,
	.apply = channels_apply,
	.caps = channels_caps,
};
