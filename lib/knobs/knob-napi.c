// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Per-NAPI settings: netdev netlink napi-get/napi-set (6.13+; threaded 6.17+;
 * Documentation/netlink/specs/netdev.yaml). Kernels without them make caps say so; the planner then
 * falls back to the device-wide sysfs file and tells the user.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "knob-netlink.h"
#include "nl-netdev.h"

static struct nt_nl_req napi_req(uint8_t cmd, const struct nt_target *t)
{
	return (struct nt_nl_req){.family = NT_NETDEV_FAMILY,
				  .cmd = cmd,
				  .id_attr = NT_NETDEV_A_NAPI_ID,
				  .id = t->index};
}

/* napi-get of the NAPI @t: the value of @k's attribute; -EOPNOTSUPP if it has none. */
static int napi_get(struct nt_ctx *ctx, const struct nt_knob *k, const struct nt_target *t,
		    uint64_t *ret, struct nt_err *reterr)
{
	struct nt_nl_req req = napi_req(NT_NETDEV_CMD_NAPI_GET, t);
	struct nt_nl_attrs a;
	struct nt_err e = {};
	int r;

	if (!ctx->nl)
		return nt_err_set(reterr, -EOPNOTSUPP, "netdev netlink is not available here");
	r = nt_nl_get_attrs(ctx->nl, &req, NT_NETDEV_A_NAPI_MAX, &a, &e);
	if (r == -EPFNOSUPPORT)
		return nt_err_set(reterr, -EOPNOTSUPP, "no netdev netlink family in this kernel");
	if (r < 0)
		return nt_err_set(reterr, r, "napi-get %u: %s%s%s", t->index, strerror(-r),
				  e.msg[0] ? ": " : "", e.msg);
	if (!a.have[k->attr])
		return nt_err_set(reterr, -EOPNOTSUPP, "this kernel has no per-NAPI %s", k->key);
	*ret = a.v[k->attr];
	return 0;
}

static int napi_read(struct nt_ctx *ctx, const struct nt_knob *k, const struct nt_target *t,
		     char **ret, struct nt_err *reterr)
{
	uint64_t v;
	char *out;
	int r;

	r = napi_get(ctx, k, t, &v, reterr);
	if (r < 0)
		return r;
	if (asprintf(&out, "%" PRIu64, v) < 0)
		return -ENOMEM;
	*ret = out;
	return 0;
}

static int napi_apply(struct nt_ctx *ctx, const struct nt_target *t, const struct nt_write *w,
		      size_t n, struct nt_err *reterr)
{
	struct nt_nl_req req = napi_req(NT_NETDEV_CMD_NAPI_SET, t);
	char object[32];

	snprintf(object, sizeof(object), "NAPI %u", t->index);
	return nt_knob_nl_set(ctx, &req, object, w, n, reterr);
}

/*
 * Supported if napi-get reports the attribute. For enum knobs (threaded), the values this
 * kernel accepts come from napi-set's policy (CTRL_CMD_GETPOLICY), not from its version:
 * @ret_max is the policy's maximum, or the knob's "on" (1) if the policy cannot be read.
 */
static int napi_caps(struct nt_ctx *ctx, const struct nt_knob *k, const struct nt_target *t,
		     uint64_t *ret_max, struct nt_err *reterr)
{
	uint64_t v, max;
	int r;

	if (ctx->kver && k->kmin && ctx->kver < k->kmin)
		return nt_err_set(reterr, -EOPNOTSUPP, "per-NAPI %s needs kernel %u.%u", k->key,
				  k->kmin / 1000, k->kmin % 1000);
	r = napi_get(ctx, k, t, &v, reterr);
	if (r < 0 || !ret_max || k->type != NT_T_ENUM)
		return r;
	r = nt_nl_policy_range(ctx->nl, NT_NETDEV_FAMILY, NT_NETDEV_CMD_NAPI_SET, k->attr, NULL,
			       &max, NULL);
	*ret_max = r < 0 ? 1 : max;
	return 0;
}

const struct nt_fam_ops nt_napi_ops = {
	.read = napi_read,
	.apply = napi_apply,
	.caps = napi_caps,
};
