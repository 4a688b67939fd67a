/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Shared by the ethtool netlink families (rings, channels, coalesce). */
#ifndef NT_KNOB_ETHTOOL_H
#define NT_KNOB_ETHTOOL_H

#include "knob-fam.h"

#define NT_ETHTOOL_ATTRS 40

/* One GET reply: every u8/u32 attribute, by id. */
struct nt_ethtool_reply {
	uint64_t v[NT_ETHTOOL_ATTRS];
	bool have[NT_ETHTOOL_ATTRS];
};

/* GET for @t; -EOPNOTSUPP with the reason when the driver lacks the operation. */
int nt_ethtool_get_nl(struct nt_nl *nl, uint8_t cmd, int maxattr, const struct nt_target *t,
		      struct nt_ethtool_reply *ret, struct nt_err *reterr);
/* The same on ctx->nl; -EOPNOTSUPP when there is no netlink handle. */
int nt_ethtool_get(struct nt_ctx *ctx, uint8_t cmd, int maxattr, const struct nt_target *t,
		   struct nt_ethtool_reply *ret, struct nt_err *reterr);
/* One SET message carrying every write; the kernel's extack names the attribute. */
int nt_ethtool_set(struct nt_ctx *ctx, uint8_t cmd, const struct nt_target *t,
		   const struct nt_write *w, size_t n, struct nt_err *reterr);
/* read op: GET and format attribute k->attr. */
int nt_ethtool_read_attr(struct nt_ctx *ctx, uint8_t cmd, int maxattr, const struct nt_knob *k,
			 const struct nt_target *t, char **ret, struct nt_err *reterr);

#endif
