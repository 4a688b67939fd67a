// SPDX-License-Identifier: GPL-2.0
/*
 * ethtool-json - the JSON output of "ethtool --json -x/-c/-g DEV" for the
 * kernel's driver selftests, read from ethtool netlink (RSS_GET,
 * COALESCE_GET, RINGS_GET).
 *
 * Debian 12's ethtool 6.1 knows --json only for a few commands (-k among
 * them, not -x, -c or -g), so selftests that read those fail before they
 * test the driver. Installed as "ethtool" first in PATH, this helper
 * answers exactly these three requests from the kernel and hands every
 * other command line to the real ethtool (REAL_ETHTOOL, default
 * /usr/sbin/ethtool). The keys are those of newer ethtool releases:
 *
 *   -x: ifname, rss-indirection-table, rss-hash-key, rss-hash-function
 *   -c: ifname and every coalescing parameter the driver reports
 *   -g: ifname and every ring parameter the driver reports
 *
 *   ethtool --json -x DEV [context N] | --json -c DEV | --json -g DEV
 *
 * Exit 0, or 1 with "netlink error: ..." on stderr like ethtool.
 */
#include <linux/ethtool_netlink.h>
#include <linux/genetlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * RSS_GET came with 6.2, after Debian 12's uapi headers (linux-libc-dev
 * 6.1): vendored from include/uapi/linux/ethtool_netlink.h.
 */
enum {
	EJ_MSG_RSS_GET = 38,
};

enum {
	EJ_A_RSS_CONTEXT = 2,
	EJ_A_RSS_HFUNC = 3,
	EJ_A_RSS_INDIR = 4,
	EJ_A_RSS_HKEY = 5,
};

struct ej_name {
	int attr;
	const char *name;
	bool is_bool;
};

/* include/uapi/linux/ethtool_netlink.h; JSON names as ethtool prints them */
static const struct ej_name ej_coalesce[] = {
	{ETHTOOL_A_COALESCE_RX_USECS, "rx-usecs", false},
	{ETHTOOL_A_COALESCE_RX_MAX_FRAMES, "rx-frames", false},
	{ETHTOOL_A_COALESCE_RX_USECS_IRQ, "rx-usecs-irq", false},
	{ETHTOOL_A_COALESCE_RX_MAX_FRAMES_IRQ, "rx-frames-irq", false},
	{ETHTOOL_A_COALESCE_TX_USECS, "tx-usecs", false},
	{ETHTOOL_A_COALESCE_TX_MAX_FRAMES, "tx-frames", false},
	{ETHTOOL_A_COALESCE_TX_USECS_IRQ, "tx-usecs-irq", false},
	{ETHTOOL_A_COALESCE_TX_MAX_FRAMES_IRQ, "tx-frames-irq", false},
	{ETHTOOL_A_COALESCE_STATS_BLOCK_USECS, "stats-block-usecs", false},
	{ETHTOOL_A_COALESCE_USE_ADAPTIVE_RX, "adaptive-rx", true},
	{ETHTOOL_A_COALESCE_USE_ADAPTIVE_TX, "adaptive-tx", true},
	{ETHTOOL_A_COALESCE_PKT_RATE_LOW, "pkt-rate-low", false},
	{ETHTOOL_A_COALESCE_PKT_RATE_HIGH, "pkt-rate-high", false},
	{ETHTOOL_A_COALESCE_RATE_SAMPLE_INTERVAL, "sample-interval", false},
	{0, NULL, false},
};

static const struct ej_name ej_rings[] = {
	{ETHTOOL_A_RINGS_RX_MAX, "rx-max", false},
	{ETHTOOL_A_RINGS_RX_MINI_MAX, "rx-mini-max", false},
	{ETHTOOL_A_RINGS_RX_JUMBO_MAX, "rx-jumbo-max", false},
	{ETHTOOL_A_RINGS_TX_MAX, "tx-max", false},
	{ETHTOOL_A_RINGS_RX, "rx", false},
	{ETHTOOL_A_RINGS_RX_MINI, "rx-mini", false},
	{ETHTOOL_A_RINGS_RX_JUMBO, "rx-jumbo", false},
	{ETHTOOL_A_RINGS_TX, "tx", false},
	{ETHTOOL_A_RINGS_RX_BUF_LEN, "rx-buf-len", false},
	{ETHTOOL_A_RINGS_CQE_SIZE, "cqe-size", false},
	{0, NULL, false},
};

#define EJ_MAXATTR 64

struct ej_req {
	const char *dev;
	const struct ej_name *names; /* NULL: RSS */
	int err;
};

static void ej_print_named(struct nlattr **tb, const struct ej_name *n)
{
	for (; n->name; n++) {
		if (!tb[n->attr])
			continue;
		if (n->is_bool)
			printf(",\n\t\"%s\": %s", n->name,
			       nla_get_u8(tb[n->attr]) ? "true" : "false");
		else
			printf(",\n\t\"%s\": %u", n->name, nla_get_u32(tb[n->attr]));
	}
}

static void ej_print_rss(struct nlattr **tb)
{
	static const char *const hfunc[] = {"toeplitz", "xor", "crc32"};
	const uint8_t *key;
	const uint32_t *indir;
	int i, n;

	if (tb[EJ_A_RSS_INDIR]) {
		indir = nla_data(tb[EJ_A_RSS_INDIR]);
		n = nla_len(tb[EJ_A_RSS_INDIR]) / sizeof(*indir);
		printf(",\n\t\"rss-indirection-table\": [");
		for (i = 0; i < n; i++)
			printf("%s%u", i ? "," : "", indir[i]);
		printf("]");
	}
	if (tb[EJ_A_RSS_HKEY]) {
		key = nla_data(tb[EJ_A_RSS_HKEY]);
		n = nla_len(tb[EJ_A_RSS_HKEY]);
		printf(",\n\t\"rss-hash-key\": [");
		for (i = 0; i < n; i++)
			printf("%s%u", i ? "," : "", key[i]);
		printf("]");
	}
	if (tb[EJ_A_RSS_HFUNC]) {
		uint32_t f = nla_get_u32(tb[EJ_A_RSS_HFUNC]);

		for (i = 0; i < 3; i++)
			if (f & (1u << i))
				printf(",\n\t\"rss-hash-function\": \"%s\"", hfunc[i]);
	}
}

static int ej_reply_cb(struct nl_msg *msg, void *arg)
{
	struct genlmsghdr *gh = nlmsg_data(nlmsg_hdr(msg));
	struct nlattr *tb[EJ_MAXATTR + 1];
	struct ej_req *req = arg;

	if (nla_parse(tb, EJ_MAXATTR, genlmsg_attrdata(gh, 0), genlmsg_attrlen(gh, 0), NULL))
		return NL_SKIP;
	printf("[ {\n\t\"ifname\": \"%s\"", req->dev);
	if (req->names)
		ej_print_named(tb, req->names);
	else
		ej_print_rss(tb);
	printf("\n} ]\n");
	return NL_OK;
}

static int ej_error_cb(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct ej_req *req = arg;

	(void)nla;
	req->err = e->error;
	return NL_STOP;
}

static int ej_get(const char *dev, int cmd, unsigned int context)
{
	struct ej_req req = {.dev = dev};
	struct nlattr *hdr;
	struct nl_sock *sk;
	struct nl_msg *msg;
	int family, err;

	if (cmd == ETHTOOL_MSG_COALESCE_GET)
		req.names = ej_coalesce;
	else if (cmd == ETHTOOL_MSG_RINGS_GET)
		req.names = ej_rings;

	sk = nl_socket_alloc();
	if (!sk || genl_connect(sk))
		return -1;
	family = genl_ctrl_resolve(sk, ETHTOOL_GENL_NAME);
	msg = nlmsg_alloc();
	if (family < 0 || !msg ||
	    !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, 0, cmd, ETHTOOL_GENL_VERSION))
		return -1;
	/* the header nest is attribute 1 of every ethtool message */
	hdr = nla_nest_start(msg, 1);
	if (!hdr || nla_put_string(msg, ETHTOOL_A_HEADER_DEV_NAME, dev))
		return -1;
	nla_nest_end(msg, hdr);
	if (cmd == EJ_MSG_RSS_GET && context && nla_put_u32(msg, EJ_A_RSS_CONTEXT, context))
		return -1;
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, ej_reply_cb, &req);
	nl_socket_modify_err_cb(sk, NL_CB_CUSTOM, ej_error_cb, &req);
	err = nl_send_auto(sk, msg);
	if (err >= 0)
		err = nl_recvmsgs_default(sk);
	nlmsg_free(msg);
	nl_socket_free(sk);
	if (req.err) {
		fprintf(stderr, "netlink error: %s\n", strerror(-req.err));
		return -1;
	}
	return err < 0 ? -1 : 0;
}

int main(int argc, char **argv)
{
	const char *real = getenv("REAL_ETHTOOL");
	unsigned int context = 0;
	int cmd = 0;

	if (argc >= 4 && !strcmp(argv[1], "--json")) {
		if (!strcmp(argv[2], "-x") || !strcmp(argv[2], "--show-rxfh-indir"))
			cmd = EJ_MSG_RSS_GET;
		else if (!strcmp(argv[2], "-c") || !strcmp(argv[2], "--show-coalesce"))
			cmd = ETHTOOL_MSG_COALESCE_GET;
		else if (!strcmp(argv[2], "-g") || !strcmp(argv[2], "--show-ring"))
			cmd = ETHTOOL_MSG_RINGS_GET;
		if (cmd == EJ_MSG_RSS_GET && argc == 6 && !strcmp(argv[4], "context"))
			context = strtoul(argv[5], NULL, 0);
		else if (argc != 4)
			cmd = 0;
	}
	if (cmd)
		return ej_get(argv[3], cmd, context) ? 1 : 0;

	argv[0] = (char *)(real ? real : "/usr/sbin/ethtool");
	execv(argv[0], argv);
	perror(argv[0]);
	return 1;
}
