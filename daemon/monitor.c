// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <linux/ethtool_netlink.h>
#include <linux/rtnetlink.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

#include "macro.h"
#include "monitor.h"
#include "nl.h"

struct monitor {
	struct nl_sock *rtnl;
	struct nl_sock *ethnl;
	mon_event_fn fn;
	void *userdata;
};

static uint64_t now_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

static int on_rtnl(struct nl_msg *msg, void *userdata)
{
	struct monitor *m = userdata;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nlattr *tb[IFLA_MAX + 1];
	struct ifinfomsg *ifi;
	struct mon_event ev = {.when_usec = now_usec()};

	if (nlh->nlmsg_type != RTM_NEWLINK && nlh->nlmsg_type != RTM_DELLINK)
		return NL_OK;
	if (nlmsg_parse(nlh, sizeof(*ifi), tb, IFLA_MAX, NULL) < 0)
		return NL_OK;
	ifi = nlmsg_data(nlh);
	ev.kind = nlh->nlmsg_type == RTM_NEWLINK ? MON_LINK_NEW : MON_LINK_DEL;
	ev.ifindex = ifi->ifi_index;
	ev.flags = ifi->ifi_flags;
	if (tb[IFLA_IFNAME])
		nla_strlcpy(ev.ifname, tb[IFLA_IFNAME], sizeof(ev.ifname));
	m->fn(&ev, m->userdata);
	return NL_OK;
}

static int on_ethtool(struct nl_msg *msg, void *userdata)
{
	static const struct {
		uint8_t cmd;
		enum mon_kind kind;
	} kinds[] = {
		{ETHTOOL_MSG_CHANNELS_NTF, MON_CHANNELS},
		{ETHTOOL_MSG_RINGS_NTF, MON_RINGS},
		{ETHTOOL_MSG_COALESCE_NTF, MON_COALESCE},
		{ETHTOOL_MSG_FEATURES_NTF, MON_FEATURES},
	};
	struct monitor *m = userdata;
	struct genlmsghdr *gh = genlmsg_hdr(nlmsg_hdr(msg));
	struct nlattr *tb[2], *hdr[ETHTOOL_A_HEADER_MAX + 1];
	struct mon_event ev = {.when_usec = now_usec(), .kind = MON_OVERRUN};

	for (size_t i = 0; i < ARRAY_SIZE(kinds); i++)
		if (kinds[i].cmd == gh->cmd)
			ev.kind = kinds[i].kind;
	if (ev.kind == MON_OVERRUN) /* a notification we do not follow */
		return NL_OK;
	/* Attribute 1 of every ethtool message is its request header. */
	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, 1, NULL) < 0 || !tb[1] ||
	    nla_parse_nested(hdr, ETHTOOL_A_HEADER_MAX, tb[1], NULL) < 0)
		return NL_OK;
	if (hdr[ETHTOOL_A_HEADER_DEV_INDEX])
		ev.ifindex = (int)nla_get_u32(hdr[ETHTOOL_A_HEADER_DEV_INDEX]);
	if (hdr[ETHTOOL_A_HEADER_DEV_NAME])
		nla_strlcpy(ev.ifname, hdr[ETHTOOL_A_HEADER_DEV_NAME], sizeof(ev.ifname));
	m->fn(&ev, m->userdata);
	return NL_OK;
}

/* A non-blocking multicast listener: no sequence checks, our callback for every message. */
static int listener(int protocol, nl_recvmsg_msg_cb_t cb, struct monitor *m, struct nl_sock **ret)
{
	struct nl_sock *sk = nl_socket_alloc();

	if (!sk)
		return -ENOMEM;
	nl_socket_disable_seq_check(sk);
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, cb, m);
	if (nl_connect(sk, protocol) < 0 || nl_socket_set_nonblocking(sk) < 0) {
		nl_socket_free(sk);
		return -EPROTONOSUPPORT;
	}
	/* A burst of hotplug events must not overflow the queue (ENOBUFS loses events). */
	nt_nl_sock_grow(sk, 4 << 20);
	*ret = sk;
	return 0;
}

int monitor_new(mon_event_fn fn, void *userdata, struct monitor **ret, bool *ret_have_ethtool)
{
	struct monitor *m = calloc(1, sizeof(*m));
	int grp, r;

	if (!m)
		return -ENOMEM;
	m->fn = fn;
	m->userdata = userdata;
	r = listener(NETLINK_ROUTE, on_rtnl, m, &m->rtnl);
	if (r >= 0 && nl_socket_add_membership(m->rtnl, RTNLGRP_LINK) < 0)
		r = -EPROTONOSUPPORT;
	if (r < 0) {
		monitor_free(m);
		return r;
	}
	*ret_have_ethtool = false;
	if (listener(NETLINK_GENERIC, on_ethtool, m, &m->ethnl) >= 0) {
		grp = genl_ctrl_resolve_grp(m->ethnl, ETHTOOL_GENL_NAME,
					    ETHTOOL_MCGRP_MONITOR_NAME);
		if (grp >= 0 && nl_socket_add_membership(m->ethnl, grp) >= 0) {
			*ret_have_ethtool = true;
		} else {
			nl_socket_free(m->ethnl);
			m->ethnl = NULL;
		}
	}
	*ret = m;
	return 0;
}

struct monitor *monitor_free(struct monitor *m)
{
	if (!m)
		return NULL;
	if (m->rtnl)
		nl_socket_free(m->rtnl);
	if (m->ethnl)
		nl_socket_free(m->ethnl);
	free(m);
	return NULL;
}

int monitor_rtnl_fd(const struct monitor *m)
{
	return m->rtnl ? nl_socket_get_fd(m->rtnl) : -1;
}

int monitor_ethtool_fd(const struct monitor *m)
{
	return m->ethnl ? nl_socket_get_fd(m->ethnl) : -1;
}

static int drain(struct monitor *m, struct nl_sock *sk)
{
	for (;;) {
		int r = nl_recvmsgs_default(sk);

		if (r >= 0)
			continue;
		if (r == -NLE_AGAIN)
			return 0;
		if (r == -NLE_NOMEM || r == -NLE_DUMP_INTR) {
			/* ENOBUFS: the kernel dropped notifications we never saw */
			struct mon_event ev = {.kind = MON_OVERRUN, .when_usec = now_usec()};

			m->fn(&ev, m->userdata);
			continue;
		}
		return -EIO;
	}
}

int monitor_read_rtnl(struct monitor *m)
{
	return drain(m, m->rtnl);
}

int monitor_read_ethtool(struct monitor *m)
{
	return m->ethnl ? drain(m, m->ethnl) : 0;
}
