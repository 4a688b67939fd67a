// SPDX-License-Identifier: GPL-2.0-or-later
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/ethtool.h>
#include <linux/ethtool_netlink.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <netlink/attr.h>

#include "nl.h"
#include "parse-util.h"
#include "stats-ethtool.h"

struct strset_ctx {
	struct nt_ethtool_stats *s;
	int err;
};

static int strings_cb(const struct nlmsghdr *nlh _unused_, struct nlattr **tb, void *userdata)
{
	struct strset_ctx *c = userdata;
	struct nt_ethtool_stats *s = c->s;
	struct nlattr *sets = tb[ETHTOOL_A_STRSET_STRINGSETS], *set;
	int rem;

	if (!sets)
		return 0;
	nla_for_each_nested(set, sets, rem)
	{
		struct nlattr *a[ETHTOOL_A_STRINGSET_MAX + 1], *str;
		uint32_t count;
		int rem2;

		if (nla_type(set) != ETHTOOL_A_STRINGSETS_STRINGSET ||
		    nla_parse_nested(a, ETHTOOL_A_STRINGSET_MAX, set, NULL) < 0)
			continue;
		if (!a[ETHTOOL_A_STRINGSET_ID] ||
		    nla_get_u32(a[ETHTOOL_A_STRINGSET_ID]) != ETH_SS_STATS)
			continue;
		count = a[ETHTOOL_A_STRINGSET_COUNT] ? nla_get_u32(a[ETHTOOL_A_STRINGSET_COUNT])
						     : 0;
		if (count == 0 || count > 1u << 16)
			continue;
		s->name = calloc(count, sizeof(*s->name));
		s->v = calloc(count, sizeof(*s->v));
		if (!s->name || !s->v)
			return c->err = -ENOMEM;
		s->n = count;
		if (!a[ETHTOOL_A_STRINGSET_STRINGS])
			continue;
		nla_for_each_nested(str, a[ETHTOOL_A_STRINGSET_STRINGS], rem2)
		{
			struct nlattr *b[ETHTOOL_A_STRING_MAX + 1];
			uint32_t idx;

			if (nla_parse_nested(b, ETHTOOL_A_STRING_MAX, str, NULL) < 0 ||
			    !b[ETHTOOL_A_STRING_INDEX] || !b[ETHTOOL_A_STRING_VALUE])
				continue;
			idx = nla_get_u32(b[ETHTOOL_A_STRING_INDEX]);
			if (idx < count)
				strncpy(s->name[idx], nla_get_string(b[ETHTOOL_A_STRING_VALUE]),
					NT_ETHTOOL_NAME_MAX - 1);
		}
	}
	return 0;
}

/* ETHTOOL_A_STRSET_STRINGSETS with the one set ETH_SS_STATS. */
static int put_stats_set(struct nl_msg *msg, void *userdata _unused_)
{
	struct nlattr *sets, *set;

	sets = nla_nest_start(msg, ETHTOOL_A_STRSET_STRINGSETS);
	set = sets ? nla_nest_start(msg, ETHTOOL_A_STRINGSETS_STRINGSET) : NULL;
	if (!set || nla_put_u32(msg, ETHTOOL_A_STRINGSET_ID, ETH_SS_STATS) < 0)
		return -EMSGSIZE;
	nla_nest_end(msg, set);
	nla_nest_end(msg, sets);
	return 0;
}

static int read_names(struct nt_nl *nl, const char *ifname, struct nt_ethtool_stats *s)
{
	const struct nt_nl_req req = {.family = ETHTOOL_GENL_NAME,
				      .cmd = ETHTOOL_MSG_STRSET_GET,
				      .header = ETHTOOL_A_STRSET_HEADER,
				      .ifname = ifname,
				      .put = put_stats_set};
	struct strset_ctx c = {.s = s};
	int r;

	r = nt_nl_get(nl, &req, ETHTOOL_A_STRSET_MAX, strings_cb, &c, NULL);
	if (r == -EPFNOSUPPORT)
		return -EOPNOTSUPP; /* no ethtool netlink (< 5.6) */
	if (r < 0)
		return r;
	return c.err;
}

int nt_ethtool_stats_read_names(struct nt_nl *nl, const char *ifname, struct nt_ethtool_stats *ret)
{
	struct nt_ethtool_stats s = {};
	int r;

	r = read_names(nl, ifname, &s);
	if (r >= 0 && s.n == 0)
		r = -EOPNOTSUPP;
	if (r < 0) {
		nt_ethtool_stats_done(&s);
		return r;
	}
	*ret = s;
	return 0;
}

int nt_ethtool_stats_read(struct nt_nl *nl, const char *ifname, struct nt_ethtool_stats *ret)
{
	struct nt_ethtool_stats s = {};
	struct ethtool_stats *st = NULL;
	struct ifreq ifr = {};
	int fd, r;

	if (strlen(ifname) >= sizeof(ifr.ifr_name))
		return -EINVAL;
	r = nt_ethtool_stats_read_names(nl, ifname, &s);
	if (r < 0)
		return r;
	st = calloc(1, sizeof(*st) + s.n * sizeof(uint64_t));
	if (!st) {
		r = -ENOMEM;
		goto fail;
	}
	st->cmd = ETHTOOL_GSTATS;
	st->n_stats = s.n;
	strcpy(ifr.ifr_name, ifname);
	ifr.ifr_data = (void *)st;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		r = -errno;
		goto fail;
	}
	r = ioctl(fd, SIOCETHTOOL, &ifr) < 0 ? -errno : 0;
	close(fd);
	if (r < 0)
		goto fail;
	/* The count changed between the two calls (driver reconfigured): try again later. */
	if (st->n_stats != s.n) {
		r = -EAGAIN;
		goto fail;
	}
	memcpy(s.v, st->data, s.n * sizeof(uint64_t));
	free(st);
	*ret = s;
	return 0;
fail:
	free(st);
	nt_ethtool_stats_done(&s);
	return r;
}

int nt_ethtool_stats_parse_text(const char *text, struct nt_ethtool_stats *ret)
{
	struct nt_ethtool_stats s = {};
	unsigned int cap = 0;
	const char *line, *eol;

	for (line = text; *line; line = *eol ? eol + 1 : eol) {
		const char *p, *name;
		unsigned long long v;
		size_t len;
		char *end;

		eol = strchrnul(line, '\n');
		if (!nt_split_kv_line(line, eol, &name, &len, &p) || p == eol)
			continue; /* no counter, or "NIC statistics:" */
		errno = 0;
		v = strtoull(p, &end, 10);
		if (end == p || errno || (end != eol && *end != ' ')) {
			nt_ethtool_stats_done(&s);
			return -EBADMSG;
		}
		if (len == 0 || len >= NT_ETHTOOL_NAME_MAX) {
			nt_ethtool_stats_done(&s);
			return -EBADMSG;
		}
		if (s.n == cap) {
			void *a, *b;

			cap = cap ? cap * 2 : 32;
			a = realloc(s.name, cap * sizeof(*s.name));
			if (a)
				s.name = a;
			b = realloc(s.v, cap * sizeof(*s.v));
			if (b)
				s.v = b;
			if (!a || !b) {
				nt_ethtool_stats_done(&s);
				return -ENOMEM;
			}
		}
		memset(s.name[s.n], 0, NT_ETHTOOL_NAME_MAX);
		memcpy(s.name[s.n], name, len);
		s.v[s.n++] = v;
	}
	*ret = s;
	return 0;
}

void nt_ethtool_stats_done(struct nt_ethtool_stats *s)
{
	free(s->name);
	free(s->v);
	*s = (struct nt_ethtool_stats){};
}

int nt_ethtool_stats_find(const struct nt_ethtool_stats *s, const char *name)
{
	for (unsigned int i = 0; i < s->n; i++)
		if (!strncmp(s->name[i], name, NT_ETHTOOL_NAME_MAX))
			return (int)i;
	return -1;
}
