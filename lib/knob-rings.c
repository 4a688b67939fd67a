// SPDX-License-Identifier: GPL-2.0-or-later
/* Ring sizes: ethtool netlink RINGS_GET/RINGS_SET (KERNEL-REFERENCE §3.2). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/ethtool_netlink.h>

#include "knob-ethtool.h"
#include "knob-rings.h"

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
	struct nt_ethtool_reply reply;
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

int nt_rings_rx_read(struct nt_nl *nl, const struct nt_target *t, struct nt_rings_rx *ret,
		     struct nt_err *reterr)
{
	struct nt_ethtool_reply reply;
	int r;

	r = nt_ethtool_get_nl(nl, ETHTOOL_MSG_RINGS_GET, ETHTOOL_A_RINGS_MAX, t, &reply, reterr);
	if (r < 0)
		return r;
	if (!reply.have[ETHTOOL_A_RINGS_RX])
		return nt_err_set(reterr, -EOPNOTSUPP, "driver of '%s' does not report rings.rx",
				  t->ifname);
	*ret = (struct nt_rings_rx){
		.cur = (int64_t)reply.v[ETHTOOL_A_RINGS_RX],
		.max = reply.have[ETHTOOL_A_RINGS_RX_MAX] && reply.v[ETHTOOL_A_RINGS_RX_MAX]
			       ? (int64_t)reply.v[ETHTOOL_A_RINGS_RX_MAX]
			       : -1,
	};
	return 0;
}

/* The value of an "RX:" line: a number, or -1 for "n/a". */
static int parse_rx_line(const char *p, const char *eol, int64_t *ret)
{
	unsigned long long v;
	char *end;

	while (*p == ' ' || *p == '\t')
		p++;
	if (eol - p == 3 && !strncmp(p, "n/a", 3)) {
		*ret = -1;
		return 0;
	}
	if (*p < '0' || *p > '9')
		return -EBADMSG;
	errno = 0;
	v = strtoull(p, &end, 10);
	while (end < eol && (*end == ' ' || *end == '\t'))
		end++;
	if (errno || end != eol || v > UINT32_MAX)
		return -EBADMSG;
	*ret = (int64_t)v;
	return 0;
}

int nt_rings_rx_parse_text(const char *text, struct nt_rings_rx *ret)
{
	struct nt_rings_rx x = {.cur = -1, .max = -1};
	int64_t *section = NULL;
	bool seen = false;
	const char *line, *eol;

	for (line = text; *line; line = *eol ? eol + 1 : eol) {
		int r;

		eol = strchrnul(line, '\n');
		if (!strncmp(line, "Pre-set maximums:", 17)) {
			section = &x.max;
			continue;
		}
		if (!strncmp(line, "Current hardware settings:", 26)) {
			section = &x.cur;
			continue;
		}
		if (!section || strncmp(line, "RX:", 3))
			continue;
		r = parse_rx_line(line + 3, eol, section);
		if (r < 0)
			return r;
		seen = true;
		section = NULL; /* one RX line per section */
	}
	if (!seen)
		return -EBADMSG;
	if (x.max == 0)
		x.max = -1;
	*ret = x;
	return 0;
}

const struct nt_fam_ops nt_rings_ops = {
	.read = rings_read,
	.apply = rings_apply,
	.caps = rings_caps,
};
