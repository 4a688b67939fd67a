// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Interrupt coalescing: ethtool netlink COALESCE_GET/COALESCE_SET (ethtool-netlink.rst).
 * GET includes an attribute when the driver supports it (or it is non-zero);
 * SET rejects unsupported ones, so caps only offers what GET returned.
 */
#include <errno.h>

#include <linux/ethtool_netlink.h>

#include "knob-netlink.h"

static int coalesce_read(struct nt_ctx *ctx, const struct nt_knob *k, const struct nt_target *t,
			 char **ret, struct nt_err *reterr)
{
	return nt_ethtool_read_attr(ctx, ETHTOOL_MSG_COALESCE_GET, ETHTOOL_A_COALESCE_MAX, k, t,
				    ret, reterr);
}

static int coalesce_apply(struct nt_ctx *ctx, const struct nt_target *t, const struct nt_write *w,
			  size_t n, struct nt_err *reterr)
{
	return nt_ethtool_set(ctx, ETHTOOL_MSG_COALESCE_SET, t, w, n, reterr);
}

static int coalesce_caps(struct nt_ctx *ctx, const struct nt_knob *k, const struct nt_target *t,
			 uint64_t *ret_max _unused_, struct nt_err *reterr)
{
	struct nt_nl_attrs reply;
	int r;

	r = nt_ethtool_get(ctx, ETHTOOL_MSG_COALESCE_GET, ETHTOOL_A_COALESCE_MAX, t, &reply,
			   reterr);
	if (r < 0)
		return r;
	if (!reply.have[k->attr])
		return nt_err_set(reterr, -EOPNOTSUPP, "driver of '%s' does not support %s",
				  t->ifname, k->key);
	return 0;
}

const struct nt_fam_ops nt_coalesce_ops = {
	.read = coalesce_read,
	.apply = coalesce_apply,
	.caps = coalesce_caps,
};
