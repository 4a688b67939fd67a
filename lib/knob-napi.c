// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Per-NAPI settings: netdev netlink napi-get/napi-set (6.13+; threaded 6.17+;
 * KERNEL-REFERENCE §2.2). Kernels without them make caps say so; the planner then
 * falls back to the device-wide sysfs file and tells the user.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "knob-fam.h"
#include "nl-netdev.h"
#include "nl.h"
#include "parse-util.h"

struct napi_state {
	int attr;
	bool have;
	uint64_t v;
};

static int napi_cb(const struct nlmsghdr *nlh _unused_, struct nlattr **tb, void *userdata)
{
	struct napi_state *s = userdata;

	if (tb[s->attr] && nt_nla_get_uint(tb[s->attr], &s->v) >= 0)
		s->have = true;
	return 0;
}

static int napi_get(struct nt_ctx *ctx, const struct nt_knob *k, const struct nt_target *t,
		    struct napi_state *s, struct nt_err *reterr)
{
	struct nl_msg *msg = NULL;
	struct nt_err e = {};
	int r;

	if (!ctx->nl)
		return nt_err_set(reterr, -EOPNOTSUPP, "netdev netlink is not available here");
	r = nt_nl_msg_new(ctx->nl, NT_NETDEV_FAMILY, NT_NETDEV_CMD_NAPI_GET, 0, &msg);
	if (r < 0)
		return nt_err_set(reterr, r == -ENOENT ? -EOPNOTSUPP : r,
				  "no netdev netlink family in this kernel");
	r = nt_nla_put_u32(msg, NT_NETDEV_A_NAPI_ID, t->index);
	if (r < 0) {
		nlmsg_free(msg);
		return r;
	}
	s->attr = k->attr;
	r = nt_nl_transact(ctx->nl, msg, NT_NETDEV_A_NAPI_MAX, napi_cb, s, &e);
	if (r < 0)
		return nt_err_set(reterr, r, "napi-get %u: %s%s%s", t->index, strerror(-r),
				  e.msg[0] ? ": " : "", e.msg);
	return 0;
}

static int napi_read(struct nt_ctx *ctx, const struct nt_knob *k, const struct nt_target *t,
		     char **ret, struct nt_err *reterr)
{
	struct napi_state s = {};
	char *out;
	int r;

	r = napi_get(ctx, k, t, &s, reterr);
	if (r < 0)
		return r;
	if (!s.have)
		return nt_err_set(reterr, -EOPNOTSUPP, "this kernel has no per-NAPI %s", k->key);
	if (asprintf(&out, "%" PRIu64, s.v) < 0)
		return -ENOMEM;
	*ret = out;
	return 0;
}

static int napi_apply(struct nt_ctx *ctx, const struct nt_target *t, const struct nt_write *w,
		      size_t n, struct nt_err *reterr)
{
	struct nl_msg *msg = NULL;
	struct nt_err e = {};
	char keys[256] = "";
	int r;

	if (!ctx->nl)
		return nt_err_set(reterr, -EOPNOTSUPP, "netdev netlink is not available here");
	r = nt_nl_msg_new(ctx->nl, NT_NETDEV_FAMILY, NT_NETDEV_CMD_NAPI_SET, 0, &msg);
	if (r < 0)
		return nt_err_set(reterr, r, "no netdev netlink family in this kernel");
	r = nt_nla_put_u32(msg, NT_NETDEV_A_NAPI_ID, t->index);
	for (size_t i = 0; r >= 0 && i < n; i++) {
		uint32_t v;

		/* 4 bytes suit both the u32 and the uint policies (§2.2). */
		r = nt_parse_u32(w[i].value, &v);
		if (r >= 0)
			r = nt_nla_put_u32(msg, w[i].knob->attr, v);
		snprintf(keys + strlen(keys), sizeof(keys) - strlen(keys), "%s%s", i ? ", " : "",
			 w[i].knob->key);
	}
	if (r < 0) {
		nlmsg_free(msg);
		return nt_err_set(reterr, r, "cannot build the napi-set request: %s", strerror(-r));
	}
	r = nt_nl_transact(ctx->nl, msg, 0, NULL, NULL, &e);
	if (r < 0)
		return nt_err_set(reterr, r, "napi-set %s on NAPI %u: %s%s%s", keys, t->index,
				  strerror(-r), e.msg[0] ? ": " : "", e.msg);
	return 0;
}

static int napi_caps(struct nt_ctx *ctx, const struct nt_knob *k, const struct nt_target *t,
		     uint64_t *ret_max _unused_, struct nt_err *reterr)
{
	struct napi_state s = {};
	int r;

	if (ctx->kver && k->kmin && ctx->kver < k->kmin)
		return nt_err_set(reterr, -EOPNOTSUPP, "per-NAPI %s needs kernel %u.%u", k->key,
				  k->kmin / 1000, k->kmin % 1000);
	r = napi_get(ctx, k, t, &s, reterr);
	if (r < 0)
		return r;
	if (!s.have)
		return nt_err_set(reterr, -EOPNOTSUPP, "this kernel has no per-NAPI %s", k->key);
	return 0;
}

const struct nt_fam_ops nt_napi_ops = {
	.read = napi_read,
	.apply = napi_apply,
	.caps = napi_caps,
};
