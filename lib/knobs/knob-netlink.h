/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared by the netlink families: ethtool GETs of a device (rings, channels, coalesce) and
 * the one SET message that carries several knobs of one object (ethtool and napi-set).
 * Requests go through nl.h's one GET and one SET helper.
 */
#ifndef NT_KNOB_NETLINK_H
#define NT_KNOB_NETLINK_H

#include "knob-fam.h"
#include "nl.h"

/* The ethtool request of @cmd about the device of @t (header nest, by ifindex or name). */
struct nt_nl_req nt_ethtool_req(uint8_t cmd, const struct nt_target *t);

/* GET for @t; -EOPNOTSUPP with the reason when the driver lacks the operation. */
int nt_ethtool_get(struct nt_ctx *ctx, uint8_t cmd, int maxattr, const struct nt_target *t,
		   struct nt_nl_attrs *ret, struct nt_err *reterr);
/* read op: GET and format attribute k->attr. */
int nt_ethtool_read_attr(struct nt_ctx *ctx, uint8_t cmd, int maxattr, const struct nt_knob *k,
			 const struct nt_target *t, char **ret, struct nt_err *reterr);

/* One SET message carrying every write; the kernel's extack names the attribute. */
int nt_ethtool_set(struct nt_ctx *ctx, uint8_t cmd, const struct nt_target *t,
		   const struct nt_write *w, size_t n, struct nt_err *reterr);

/*
 * apply op of a netlink family: one SET message (@req) carrying every write of @w, each
 * with its knob's attribute and wire type. The error names the knobs and @object ("'eth0'",
 * "NAPI 513") and carries the kernel's extack.
 */
int nt_knob_nl_set(struct nt_ctx *ctx, const struct nt_nl_req *req, const char *object,
		   const struct nt_write *w, size_t n, struct nt_err *reterr);

#endif
