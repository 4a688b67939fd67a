// SPDX-License-Identifier: GPL-2.0-or-later
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/ethtool_netlink.h>

#include "knob-netlink.h"
#include "parse-util.h"

struct nt_nl_req nt_ethtool_req(uint8_t cmd, const struct nt_target *t)
{
	/* Every ethtool message has its request header at attribute 1. */
	return (struct nt_nl_req){.family = ETHTOOL_GENL_NAME,
				  .cmd = cmd,
				  .header = 1,
				  .ifindex = t->ifindex,
				  .ifname = t->ifname};
}

int nt_ethtool_get(struct nt_ctx *ctx, uint8_t cmd, int maxattr, const struct nt_target *t,
		   struct nt_nl_attrs *ret, struct nt_err *reterr)
{
	struct nt_nl_req req = nt_ethtool_req(cmd, t);
	struct nt_err e = {};
	int r;

	if (!ctx->nl)
		return nt_err_set(reterr, -EOPNOTSUPP, "ethtool netlink is not available here");
	r = nt_nl_get_attrs(ctx->nl, &req, maxattr, ret, &e);
	if (r == -EPFNOSUPPORT)
		return nt_err_set(reterr, -EOPNOTSUPP, "no ethtool netlink family in this kernel");
	if (r == -EOPNOTSUPP)
		return nt_err_set(reterr, r, "driver of '%s' does not support this setting",
				  t->ifname);
	if (r < 0)
		return nt_err_set(reterr, r, "ethtool get on '%s': %s", t->ifname,
				  nt_err_msg(&e, r));
	return 0;
}

int nt_ethtool_read_attr(struct nt_ctx *ctx, uint8_t cmd, int maxattr, const struct nt_knob *k,
			 const struct nt_target *t, char **ret, struct nt_err *reterr)
{
	struct nt_nl_attrs reply;
	char *s;
	int r;

	r = nt_ethtool_get(ctx, cmd, maxattr, t, &reply, reterr);
	if (r < 0)
		return r;
	if (k->attr >= NT_NL_ATTRS_MAX || !reply.have[k->attr])
		return nt_err_set(reterr, -EOPNOTSUPP, "driver of '%s' does not report %s",
				  t->ifname, k->key);
	if (asprintf(&s, "%" PRIu64, reply.v[k->attr]) < 0)
		return -ENOMEM;
	*ret = s;
	return 0;
}

int nt_knob_nl_set(struct nt_ctx *ctx, const struct nt_nl_req *req, const char *object,
		   const struct nt_write *w, size_t n, struct nt_err *reterr)
{
	_cleanup_free_ struct nt_nla *a = calloc(n ? n : 1, sizeof(*a));
	struct nt_err e = {};
	char keys[256] = "";
	int r;

	if (!a)
		return -ENOMEM;
	if (!ctx->nl)
		return nt_err_set(reterr, -EOPNOTSUPP, "%s netlink is not available here",
				  req->family);
	for (size_t i = 0; i < n; i++) {
		/* 4 bytes suit both the u32 and the uint policies of netdev netlink. */
		r = nt_parse_u32(w[i].value, &a[i].value);
		if (r < 0)
			return nt_err_set(reterr, r, "%s: '%s' is not a number", w[i].knob->key,
					  w[i].value);
		a[i].attr = w[i].knob->attr;
		a[i].u8 = w[i].knob->nla_u8;
		snprintf(keys + strlen(keys), sizeof(keys) - strlen(keys), "%s%s", i ? ", " : "",
			 w[i].knob->key);
	}
	r = nt_nl_set(ctx->nl, req, a, n, &e);
	if (r == -EPFNOSUPPORT)
		return nt_err_set(reterr, r, "no %s netlink family in this kernel", req->family);
	if (r < 0)
		return nt_err_set(reterr, r, "setting %s on %s: %s%s%s", keys, object, strerror(-r),
				  e.msg[0] ? ": " : "", e.msg);
	return 0;
}

int nt_ethtool_set(struct nt_ctx *ctx, uint8_t cmd, const struct nt_target *t,
		   const struct nt_write *w, size_t n, struct nt_err *reterr)
{
	struct nt_nl_req req = nt_ethtool_req(cmd, t);
	char object[IF_NAMESIZE + 2];

	snprintf(object, sizeof(object), "'%s'", t->ifname);
	return nt_knob_nl_set(ctx, &req, object, w, n, reterr);
}
