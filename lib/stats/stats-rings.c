// SPDX-License-Identifier: GPL-2.0-or-later
/* RX ring sizes for the diagnosis: ethtool netlink RINGS_GET, or a recorded "ethtool -g". */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/ethtool_netlink.h>

#include "nl.h"
#include "stats-rings.h"

int nt_rings_rx_read(struct nt_nl *nl, int ifindex, const char *ifname, struct nt_rings_rx *ret)
{
	const struct nt_nl_req req = {.family = ETHTOOL_GENL_NAME,
				      .cmd = ETHTOOL_MSG_RINGS_GET,
				      .header = ETHTOOL_A_RINGS_HEADER,
				      .ifindex = ifindex,
				      .ifname = ifname};
	struct nt_nl_attrs reply;
	int r;

	r = nt_nl_get_attrs(nl, &req, ETHTOOL_A_RINGS_MAX, &reply, NULL);
	if (r == -EPFNOSUPPORT)
		return -EOPNOTSUPP; /* no ethtool netlink (< 5.6) */
	if (r < 0)
		return r;
	if (!reply.have[ETHTOOL_A_RINGS_RX])
		return -EOPNOTSUPP;
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
