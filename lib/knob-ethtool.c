// SPDX-License-Identifier: GPL-2.0-or-later
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <linux/ethtool_netlink.h>

#include "knob-ethtool.h"
#include "nl.h"
#include "parse-util.h"

#define ETHTOOL_FAMILY "ethtool"

struct get_state {
	int maxattr;
	struct nt_ethtool_reply *reply;
};

static int get_cb(const struct nlmsghdr *nlh _unused_, struct nlattr **tb, void *userdata)
{
	struct get_state *s = userdata;

	for (int i = 2; i <= s->maxattr && i < NT_ETHTOOL_ATTRS; i++) {
		if (!tb[i])
			continue;
		if (nla_len(tb[i]) == 1)
			s->reply->v[i] = nla_get_u8(tb[i]);
		else if (nla_len(tb[i]) == 4)
			s->reply->v[i] = nla_get_u32(tb[i]);
		else
			continue; /* nests (profiles) are not knobs */
		s->reply->have[i] = true;
	}
	return 0;
}

static int need_nl(struct nt_ctx *ctx, struct nt_err *reterr)
{
	if (!ctx->nl)
		return nt_err_set(reterr, -EOPNOTSUPP, "ethtool netlink is not available here");
	return 0;
}

int nt_ethtool_get_nl(struct nt_nl *nl, uint8_t cmd, int maxattr, const struct nt_target *t,
		      struct nt_ethtool_reply *ret, struct nt_err *reterr)
{
	struct nt_ethtool_reply reply = {};
	struct get_state s = {.maxattr = maxattr, .reply = &reply};
	struct nl_msg *msg = NULL;
	struct nt_err e = {};
	int r;

	r = nt_nl_msg_new(nl, ETHTOOL_FAMILY, cmd, 0, &msg);
	if (r < 0)
		return nt_err_set(reterr, r == -ENOENT ? -EOPNOTSUPP : r,
				  "no ethtool netlink family in this kernel");
	r = nt_ethnl_put_header(msg, 1, t->ifindex, t->ifname, 0);
	if (r < 0) {
		nlmsg_free(msg);
		return r;
	}
	r = nt_nl_transact(nl, msg, maxattr, get_cb, &s, &e);
	if (r == -EOPNOTSUPP)
		return nt_err_set(reterr, r, "driver of '%s' does not support this setting",
				  t->ifname);
	if (r < 0)
		return nt_err_set(reterr, r, "ethtool get on '%s': %s", t->ifname,
				  nt_err_msg(&e, r));
	*ret = reply;
	return 0;
}

int nt_ethtool_get(struct nt_ctx *ctx, uint8_t cmd, int maxattr, const struct nt_target *t,
		   struct nt_ethtool_reply *ret, struct nt_err *reterr)
{
	int r;

	r = need_nl(ctx, reterr);
	if (r < 0)
		return r;
	return nt_ethtool_get_nl(ctx->nl, cmd, maxattr, t, ret, reterr);
}

static bool attr_is_u8(uint8_t cmd, int attr)
{
	return cmd == ETHTOOL_MSG_COALESCE_SET && (attr == ETHTOOL_A_COALESCE_USE_ADAPTIVE_RX ||
						   attr == ETHTOOL_A_COALESCE_USE_ADAPTIVE_TX);
}

int nt_ethtool_set(struct nt_ctx *ctx, uint8_t cmd, const struct nt_target *t,
		   const struct nt_write *w, size_t n, struct nt_err *reterr)
{
	struct nl_msg *msg = NULL;
	struct nt_err e = {};
	char keys[256] = "";
	int r;

	r = need_nl(ctx, reterr);
	if (r < 0)
		return r;
	r = nt_nl_msg_new(ctx->nl, ETHTOOL_FAMILY, cmd, 0, &msg);
	if (r < 0)
		return nt_err_set(reterr, r, "no ethtool netlink family in this kernel");
	r = nt_ethnl_put_header(msg, 1, t->ifindex, t->ifname, 0);
	for (size_t i = 0; r >= 0 && i < n; i++) {
		uint32_t v;

		r = nt_parse_u32(w[i].value, &v);
		if (r < 0)
			break;
		if (attr_is_u8(cmd, w[i].knob->attr))
			r = nt_nla_put_u8(msg, w[i].knob->attr, v ? 1 : 0);
		else
			r = nt_nla_put_u32(msg, w[i].knob->attr, v);
		snprintf(keys + strlen(keys), sizeof(keys) - strlen(keys), "%s%s", i ? ", " : "",
			 w[i].knob->key);
	}
	if (r < 0) {
		nlmsg_free(msg);
		return nt_err_set(reterr, r, "cannot build the ethtool request: %s", strerror(-r));
	}
	r = nt_nl_transact(ctx->nl, msg, 0, NULL, NULL, &e);
	if (r < 0)
		return nt_err_set(reterr, r, "setting %s on '%s': %s%s%s", keys, t->ifname,
				  strerror(-r), e.msg[0] ? ": " : "", e.msg);
	return 0;
}

int nt_ethtool_read_attr(struct nt_ctx *ctx, uint8_t cmd, int maxattr, const struct nt_knob *k,
			 const struct nt_target *t, char **ret, struct nt_err *reterr)
{
	struct nt_ethtool_reply reply;
	char *s;
	int r;

	r = nt_ethtool_get(ctx, cmd, maxattr, t, &reply, reterr);
	if (r < 0)
		return r;
	if (k->attr >= NT_ETHTOOL_ATTRS || !reply.have[k->attr])
		return nt_err_set(reterr, -EOPNOTSUPP, "driver of '%s' does not report %s",
				  t->ifname, k->key);
	if (asprintf(&s, "%" PRIu64, reply.v[k->attr]) < 0)
		return -ENOMEM;
	*ret = s;
	return 0;
}
