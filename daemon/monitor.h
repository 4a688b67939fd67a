/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel's notifications the daemon follows, as events: rtnetlink link messages
 * (RTNLGRP_LINK: a device appeared, left, was renamed, went up or down) and ethtool
 * netlink's "monitor" group (ETHTOOL_MSG_*_NTF: someone changed channels, rings,
 * coalescing or features). Two libnl sockets, non-blocking, whose fds go into sd-event.
 * NAPI instances have no notifications of their own: they are re-read after these.
 */
#ifndef NAPITUNE_MONITOR_H
#define NAPITUNE_MONITOR_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

enum mon_kind {
	MON_LINK_NEW, /* RTM_NEWLINK: new, renamed, or flags changed */
	MON_LINK_DEL, /* RTM_DELLINK */
	MON_CHANNELS, /* ETHTOOL_MSG_CHANNELS_NTF */
	MON_RINGS,    /* ETHTOOL_MSG_RINGS_NTF: threaded NAPI kthreads are re-created */
	MON_COALESCE, /* ETHTOOL_MSG_COALESCE_NTF */
	MON_FEATURES, /* ETHTOOL_MSG_FEATURES_NTF */
	MON_OVERRUN,  /* the socket overflowed (ENOBUFS): events were lost, resync all */
};

struct mon_event {
	enum mon_kind kind;
	int ifindex;
	char ifname[IF_NAMESIZE];
	unsigned int flags; /* MON_LINK_NEW: ifi_flags */
	uint64_t when_usec; /* CLOCK_MONOTONIC, when the daemon read it */
};

typedef void (*mon_event_fn)(const struct mon_event *ev, void *userdata);

struct monitor;

/*
 * Opens both sockets and joins their groups. The ethtool socket is optional (a kernel
 * without ethtool netlink): *ret_have_ethtool says whether it is there.
 */
int monitor_new(mon_event_fn fn, void *userdata, struct monitor **ret, bool *ret_have_ethtool);
struct monitor *monitor_free(struct monitor *m);
/* The fds to poll (-1 for a missing socket). */
int monitor_rtnl_fd(const struct monitor *m);
int monitor_ethtool_fd(const struct monitor *m);
/* Reads everything queued on one socket and calls the event function for each message. */
int monitor_read_rtnl(struct monitor *m);
int monitor_read_ethtool(struct monitor *m);

#endif
