// SPDX-License-Identifier: GPL-2.0
/*
 * nr_netlink - dump netdev generic-netlink objects of one device, for the
 * napiref VM tests (there is no ynl on Debian 12 and no uapi netdev.h).
 *
 *   nr_netlink napi   IFINDEX   -> "napi id=N ifindex=N irq=N pid=N", then on 6.13+
 *                                  " defer-hard-irqs=N gro-flush-timeout=N
 *                                  irq-suspend-timeout=N" and on 6.17+ " threaded=N"
 *   nr_netlink queue  IFINDEX   -> "queue id=N type=rx|tx napi=N"
 *   nr_netlink qstats IFINDEX   -> "qstats type=rx|tx queue=N rx-packets=N ..."
 *   nr_netlink pp IFINDEX       -> "pp id=N ifindex=N napi=N inflight=N inflight-mem=N
 *                                  detach-time=N" (page-pool-get, pools of IFINDEX
 *                                  only; a destroyed pool waiting for its pages
 *                                  has a detach-time)
 *   nr_netlink threaded NAPI-ID VALUE -> napi-set of threaded (6.17+; 2 = busy poll, 6.19+)
 *                                  straight to the kernel; prints its error and exits 1
 *                                  if it refuses
 *   nr_netlink ppstats IFINDEX  -> "ppstats id=N alloc-fast=N ... recycle-ring=N"
 *                                  (page-pool-stats-get; the kernel answers
 *                                  EOPNOTSUPP without CONFIG_PAGE_POOL_STATS)
 *
 * Absent attributes print as -1. Exit 0 on success, 1 on error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

/* include/uapi/linux/netdev.h (6.12), vendored: bookworm's headers lack it */
enum {
	NR_CMD_PAGE_POOL_GET = 5,
	NR_CMD_PAGE_POOL_STATS_GET = 9,
	NR_CMD_QUEUE_GET = 10,
	NR_CMD_NAPI_GET = 11,
	NR_CMD_QSTATS_GET = 12,
	NR_CMD_NAPI_SET = 14,
};

enum {
	NR_A_NAPI_IFINDEX = 1,
	NR_A_NAPI_ID = 2,
	NR_A_NAPI_IRQ = 3,
	NR_A_NAPI_PID = 4,
	NR_A_NAPI_DEFER_HARD_IRQS = 5,
	NR_A_NAPI_THREADED = 8,
	NR_A_NAPI_MAX = 8,
};

static const char *const nr_napi_names[NR_A_NAPI_MAX + 1] = {
	[5] = "defer-hard-irqs",
	[6] = "gro-flush-timeout",
	[7] = "irq-suspend-timeout",
	[8] = "threaded",
};

enum {
	NR_A_QUEUE_ID = 1,
	NR_A_QUEUE_IFINDEX = 2,
	NR_A_QUEUE_TYPE = 3,
	NR_A_QUEUE_NAPI_ID = 4,
	NR_A_QUEUE_MAX = 8,
};

enum {
	NR_A_QSTATS_IFINDEX = 1,
	NR_A_QSTATS_QUEUE_TYPE = 2,
	NR_A_QSTATS_QUEUE_ID = 3,
	NR_A_QSTATS_SCOPE = 4,
	NR_A_QSTATS_RX_PACKETS = 8,
	NR_A_QSTATS_MAX = 34,
};

enum {
	NR_A_PP_ID = 1,
	NR_A_PP_IFINDEX = 2,
	NR_A_PP_NAPI_ID = 3,
	NR_A_PP_INFLIGHT = 4,
	NR_A_PP_INFLIGHT_MEM = 5,
	NR_A_PP_DETACH_TIME = 6,
	NR_A_PP_MAX = 8,
};

enum {
	NR_A_PPS_INFO = 1, /* nest: page-pool attributes (id, ifindex) */
	NR_A_PPS_ALLOC_FAST = 8,
	NR_A_PPS_MAX = 18,
};

static const char *const nr_pps_names[NR_A_PPS_MAX + 1] = {
	[8] = "alloc-fast",
	[9] = "alloc-slow",
	[10] = "alloc-slow-high-order",
	[11] = "alloc-empty",
	[12] = "alloc-refill",
	[13] = "alloc-waive",
	[14] = "recycle-cached",
	[15] = "recycle-cache-full",
	[16] = "recycle-ring",
	[17] = "recycle-ring-full",
	[18] = "recycle-released-refcnt",
};

static unsigned int nr_ifindex;

static const char *const nr_qstats_names[NR_A_QSTATS_MAX + 1] = {
	[8] = "rx-packets",	      [9] = "rx-bytes",
	[10] = "tx-packets",	      [11] = "tx-bytes",
	[12] = "rx-alloc-fail",	      [13] = "rx-hw-drops",
	[14] = "rx-hw-drop-overruns",
};

static long long nr_get(struct nlattr *a)
{
	if (!a)
		return -1;
	if (nla_len(a) == 8)
		return (long long)nla_get_u64(a);
	return nla_get_u32(a);
}

static int nr_napi_cb(struct nl_msg *msg, void *arg)
{
	struct genlmsghdr *gh = nlmsg_data(nlmsg_hdr(msg));
	struct nlattr *tb[NR_A_NAPI_MAX + 1];
	int i;

	(void)arg;
	if (nla_parse(tb, NR_A_NAPI_MAX, genlmsg_attrdata(gh, 0), genlmsg_attrlen(gh, 0), NULL))
		return NL_SKIP;
	printf("napi id=%lld ifindex=%lld irq=%lld pid=%lld", nr_get(tb[NR_A_NAPI_ID]),
	       nr_get(tb[NR_A_NAPI_IFINDEX]), nr_get(tb[NR_A_NAPI_IRQ]), nr_get(tb[NR_A_NAPI_PID]));
	/* per-NAPI settings, where the kernel has them */
	for (i = NR_A_NAPI_DEFER_HARD_IRQS; i <= NR_A_NAPI_MAX; i++)
		if (tb[i])
			printf(" %s=%lld", nr_napi_names[i], nr_get(tb[i]));
	printf("\n");
	return NL_OK;
}

static int nr_queue_cb(struct nl_msg *msg, void *arg)
{
	struct genlmsghdr *gh = nlmsg_data(nlmsg_hdr(msg));
	struct nlattr *tb[NR_A_QUEUE_MAX + 1];

	(void)arg;
	if (nla_parse(tb, NR_A_QUEUE_MAX, genlmsg_attrdata(gh, 0), genlmsg_attrlen(gh, 0), NULL))
		return NL_SKIP;
	printf("queue id=%lld type=%s napi=%lld\n", nr_get(tb[NR_A_QUEUE_ID]),
	       nr_get(tb[NR_A_QUEUE_TYPE]) == 0 ? "rx" : "tx", nr_get(tb[NR_A_QUEUE_NAPI_ID]));
	return NL_OK;
}

static int nr_qstats_cb(struct nl_msg *msg, void *arg)
{
	struct genlmsghdr *gh = nlmsg_data(nlmsg_hdr(msg));
	struct nlattr *tb[NR_A_QSTATS_MAX + 1];
	int i;

	(void)arg;
	if (nla_parse(tb, NR_A_QSTATS_MAX, genlmsg_attrdata(gh, 0), genlmsg_attrlen(gh, 0), NULL))
		return NL_SKIP;
	printf("qstats type=%s queue=%lld", nr_get(tb[NR_A_QSTATS_QUEUE_TYPE]) == 1 ? "tx" : "rx",
	       nr_get(tb[NR_A_QSTATS_QUEUE_ID]));
	for (i = NR_A_QSTATS_RX_PACKETS; i <= NR_A_QSTATS_MAX; i++)
		if (tb[i] && nr_qstats_names[i])
			printf(" %s=%lld", nr_qstats_names[i], nr_get(tb[i]));
	printf("\n");
	return NL_OK;
}

static int nr_pp_cb(struct nl_msg *msg, void *arg)
{
	struct genlmsghdr *gh = nlmsg_data(nlmsg_hdr(msg));
	struct nlattr *tb[NR_A_PP_MAX + 1];

	(void)arg;
	if (nla_parse(tb, NR_A_PP_MAX, genlmsg_attrdata(gh, 0), genlmsg_attrlen(gh, 0), NULL))
		return NL_SKIP;
	if (nr_get(tb[NR_A_PP_IFINDEX]) != (long long)nr_ifindex)
		return NL_OK;
	printf("pp id=%lld ifindex=%lld napi=%lld inflight=%lld inflight-mem=%lld "
	       "detach-time=%lld\n",
	       nr_get(tb[NR_A_PP_ID]), nr_get(tb[NR_A_PP_IFINDEX]), nr_get(tb[NR_A_PP_NAPI_ID]),
	       nr_get(tb[NR_A_PP_INFLIGHT]), nr_get(tb[NR_A_PP_INFLIGHT_MEM]),
	       nr_get(tb[NR_A_PP_DETACH_TIME]));
	return NL_OK;
}

static int nr_ppstats_cb(struct nl_msg *msg, void *arg)
{
	struct genlmsghdr *gh = nlmsg_data(nlmsg_hdr(msg));
	struct nlattr *tb[NR_A_PPS_MAX + 1], *info[NR_A_PP_MAX + 1];
	int i;

	(void)arg;
	if (nla_parse(tb, NR_A_PPS_MAX, genlmsg_attrdata(gh, 0), genlmsg_attrlen(gh, 0), NULL) ||
	    !tb[NR_A_PPS_INFO] || nla_parse_nested(info, NR_A_PP_MAX, tb[NR_A_PPS_INFO], NULL))
		return NL_SKIP;
	if (nr_get(info[NR_A_PP_IFINDEX]) != (long long)nr_ifindex)
		return NL_OK;
	printf("ppstats id=%lld", nr_get(info[NR_A_PP_ID]));
	for (i = NR_A_PPS_ALLOC_FAST; i <= NR_A_PPS_MAX; i++)
		if (tb[i] && nr_pps_names[i])
			printf(" %s=%lld", nr_pps_names[i], nr_get(tb[i]));
	printf("\n");
	return NL_OK;
}

/* napi-set threaded = @value on NAPI @id; 0 if the kernel took it */
static int nr_set_threaded(unsigned int id, unsigned int value)
{
	struct nl_sock *sk = nl_socket_alloc();
	struct nl_msg *msg;
	int family, err;

	if (!sk || genl_connect(sk)) {
		fprintf(stderr, "genl connect failed\n");
		return 1;
	}
	family = genl_ctrl_resolve(sk, "netdev");
	msg = nlmsg_alloc();
	if (family < 0 || !msg ||
	    !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, 0, NR_CMD_NAPI_SET, 1) ||
	    nla_put_u32(msg, NR_A_NAPI_ID, id) || nla_put_u32(msg, NR_A_NAPI_THREADED, value)) {
		fprintf(stderr, "napi-set: no netdev family or message\n");
		return 1;
	}
	err = nl_send_auto(sk, msg);
	if (err >= 0)
		err = nl_wait_for_ack(sk);
	nlmsg_free(msg);
	nl_socket_free(sk);
	if (err < 0) {
		fprintf(stderr, "napi-set threaded=%u on NAPI %u: %s\n", value, id,
			nl_geterror(err));
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct nl_sock *sk;
	struct nl_msg *msg;
	nl_recvmsg_msg_cb_t cb;
	int family, cmd, attr, err;
	unsigned int ifindex;

	if (argc == 4 && !strcmp(argv[1], "threaded"))
		return nr_set_threaded(strtoul(argv[2], NULL, 0), strtoul(argv[3], NULL, 0));
	if (argc != 3) {
		fprintf(stderr, "usage: %s napi|queue|qstats|pp|ppstats IFINDEX\n", argv[0]);
		return 1;
	}
	ifindex = strtoul(argv[2], NULL, 0);
	nr_ifindex = ifindex;
	if (!strcmp(argv[1], "napi")) {
		cmd = NR_CMD_NAPI_GET;
		attr = NR_A_NAPI_IFINDEX;
		cb = nr_napi_cb;
	} else if (!strcmp(argv[1], "queue")) {
		cmd = NR_CMD_QUEUE_GET;
		attr = NR_A_QUEUE_IFINDEX;
		cb = nr_queue_cb;
	} else if (!strcmp(argv[1], "qstats")) {
		cmd = NR_CMD_QSTATS_GET;
		attr = NR_A_QSTATS_IFINDEX;
		cb = nr_qstats_cb;
	} else if (!strcmp(argv[1], "pp")) {
		/* page-pool-get dumps take no filter: the callback filters */
		cmd = NR_CMD_PAGE_POOL_GET;
		attr = 0;
		cb = nr_pp_cb;
	} else if (!strcmp(argv[1], "ppstats")) {
		cmd = NR_CMD_PAGE_POOL_STATS_GET;
		attr = 0;
		cb = nr_ppstats_cb;
	} else {
		fprintf(stderr, "unknown object '%s'\n", argv[1]);
		return 1;
	}

	sk = nl_socket_alloc();
	if (!sk || genl_connect(sk)) {
		fprintf(stderr, "genl connect failed\n");
		return 1;
	}
	family = genl_ctrl_resolve(sk, "netdev");
	if (family < 0) {
		fprintf(stderr, "netdev family: %s\n", nl_geterror(family));
		return 1;
	}
	msg = nlmsg_alloc();
	if (!msg || !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, NLM_F_DUMP, cmd, 1) ||
	    (attr && nla_put_u32(msg, attr, ifindex)) ||
	    (cmd == NR_CMD_QSTATS_GET && nla_put_u32(msg, NR_A_QSTATS_SCOPE, 1))) {
		fprintf(stderr, "message build failed\n");
		return 1;
	}
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, cb, NULL);
	err = nl_send_auto(sk, msg);
	if (err >= 0)
		err = nl_recvmsgs_default(sk);
	nlmsg_free(msg);
	nl_socket_free(sk);
	if (err < 0) {
		fprintf(stderr, "dump failed: %s\n", nl_geterror(err));
		return 1;
	}
	return 0;
}
