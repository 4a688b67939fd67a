// SPDX-License-Identifier: GPL-2.0-or-later
/* The sockets that dropped packets: /proc/net/udp{,6}, sock_diag, /proc/<pid>/fd (stats-sockets.h).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/inet_diag.h>
#include <linux/sock_diag.h>
#include <netlink/idiag/idiagnl.h>
#include <netlink/idiag/msg.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

#include "fs.h"
#include "nl.h"
#include "stats-sockets.h"

static int add(struct nt_sockets *s, const struct nt_sock *k)
{
	if (s->n == s->cap) {
		unsigned int cap = s->cap ? s->cap * 2 : 16;
		struct nt_sock *p = realloc(s->s, cap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		s->s = p;
		s->cap = cap;
	}
	s->s[s->n++] = *k;
	return 0;
}

/* ---- /proc/net/udp, /proc/net/udp6 ---- */

/* The next blank-separated token of [*p, end): its start and length, 0 at the end. */
static size_t token(const char **p, const char *end, const char **ret)
{
	const char *q = *p;

	while (q < end && (*q == ' ' || *q == '\t'))
		q++;
	*ret = q;
	while (q < end && *q != ' ' && *q != '\t')
		q++;
	*p = q;
	return (size_t)(q - *ret);
}

/* Exactly @n hex digits at @t into *ret. */
static int hex(const char *t, size_t n, uint32_t *ret)
{
	uint32_t v = 0;

	if (n == 0 || n > 8)
		return -EBADMSG;
	for (size_t i = 0; i < n; i++) {
		char c = t[i];
		int d = c >= '0' && c <= '9'   ? c - '0'
			: c >= 'A' && c <= 'F' ? c - 'A' + 10
			: c >= 'a' && c <= 'f' ? c - 'a' + 10
					       : -1;

		if (d < 0)
			return -EBADMSG;
		v = v << 4 | (uint32_t)d;
	}
	*ret = v;
	return 0;
}

/* A decimal number of @n digits. */
static int dec(const char *t, size_t n, uint64_t *ret)
{
	uint64_t v = 0;

	if (n == 0 || n > 19)
		return -EBADMSG;
	for (size_t i = 0; i < n; i++) {
		if (t[i] < '0' || t[i] > '9')
			return -EBADMSG;
		v = v * 10 + (uint64_t)(t[i] - '0');
	}
	*ret = v;
	return 0;
}

/*
 * "0100007F:15B3" (AF_INET) or 32 hex digits and a port (AF_INET6). The kernel prints each
 * 32-bit word of the address as a host-order number (%08X of the __be32), so storing the
 * number in host order gives back the bytes in network order.
 */
static int parse_local(const char *t, size_t n, int family, struct nt_sock *k)
{
	size_t alen = family == AF_INET6 ? 32 : 8;
	uint32_t v;

	if (n != alen + 5 || t[alen] != ':' || hex(t + alen + 1, 4, &v) < 0)
		return -EBADMSG;
	k->port = (uint16_t)v;
	for (size_t w = 0; w < alen / 8; w++) {
		if (hex(t + w * 8, 8, &v) < 0)
			return -EBADMSG;
		memcpy(k->addr + w * 4, &v, 4);
	}
	return 0;
}

/*
 * One socket line: "sl: local rem st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout
 * inode ref pointer drops" (the header of the file names the columns).
 */
static int parse_udp_line(const char *p, const char *eol, int family, struct nt_sock *k)
{
	const char *t[13];
	size_t n[13];
	uint64_t v;
	uint32_t x;

	for (unsigned int i = 0; i < ARRAY_SIZE(t); i++) {
		n[i] = token(&p, eol, &t[i]);
		if (!n[i])
			return -EBADMSG;
	}
	*k = (struct nt_sock){.proto = IPPROTO_UDP, .family = (uint8_t)family, .pid = -1};
	if (t[0][n[0] - 1] != ':' || parse_local(t[1], n[1], family, k) < 0 ||
	    hex(t[3], n[3], &x) < 0 || x > 255)
		return -EBADMSG;
	k->state = (uint8_t)x;
	/* tx_queue:rx_queue */
	if (n[4] != 17 || t[4][8] != ':' || hex(t[4] + 9, 8, &k->rmem_alloc) < 0)
		return -EBADMSG;
	if (dec(t[7], n[7], &v) < 0 || v > UINT32_MAX)
		return -EBADMSG;
	k->uid = (uint32_t)v;
	if (dec(t[9], n[9], &k->inode) < 0 || dec(t[12], n[12], &k->drops) < 0)
		return -EBADMSG;
	return 0;
}

int nt_sockets_parse_proc_udp(const char *buf, size_t len, int family, struct nt_sockets *s)
{
	const char *p = buf, *end = buf + len;
	bool header = true;

	if (family != AF_INET && family != AF_INET6)
		return -EINVAL;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p)), *q = p, *t;
		struct nt_sock k;
		int r;

		if (!eol)
			eol = end;
		if (header) {
			/* "   sl  local_address rem_address ..." */
			if (token(&q, eol, &t) != 2 || memcmp(t, "sl", 2))
				return -EBADMSG;
			header = false;
		} else if (token(&q, eol, &t)) {
			r = parse_udp_line(p, eol, family, &k);
			if (r < 0)
				return r;
			if (k.drops && add(s, &k) < 0)
				return -ENOMEM;
		}
		p = eol + 1;
	}
	return header && len ? -EBADMSG : 0;
}

/* ---- sock_diag ---- */

/* One SOCK_DIAG_BY_FAMILY reply of protocol @proto, 4-byte aligned. */
static int parse_diag_msg(struct nlmsghdr *nlh, uint8_t proto, struct nt_sockets *s)
{
	struct idiagnl_msg *m = NULL;
	struct nlattr *a;
	struct nl_addr *src;
	uint32_t mem[SK_MEMINFO_VARS] = {};
	struct nt_sock k = {.proto = proto, .pid = -1, .have_diag = true};
	int r;

	a = nlmsg_find_attr(nlh, sizeof(struct inet_diag_msg), INET_DIAG_SKMEMINFO);
	/* Only sockets whose drop counter the kernel reports (SK_MEMINFO_DROPS, 4.x) and moved. */
	if (!a || nla_len(a) < (int)sizeof(uint32_t) * (SK_MEMINFO_DROPS + 1))
		return 0;
	memcpy(mem, nla_data(a),
	       (size_t)nla_len(a) < sizeof(mem) ? (size_t)nla_len(a) : sizeof(mem));
	if (!mem[SK_MEMINFO_DROPS])
		return 0;
	r = idiagnl_msg_parse(nlh, &m);
	if (r < 0)
		return r == -NLE_NOMEM ? -ENOMEM : -EBADMSG;
	k.family = idiagnl_msg_get_family(m);
	k.state = idiagnl_msg_get_state(m);
	k.port = ntohs(idiagnl_msg_get_sport(m));
	k.uid = idiagnl_msg_get_uid(m);
	k.inode = idiagnl_msg_get_inode(m);
	k.rqueue = idiagnl_msg_get_rqueue(m);
	k.wqueue = idiagnl_msg_get_wqueue(m);
	src = idiagnl_msg_get_src(m);
	if (src && nl_addr_get_len(src) <= sizeof(k.addr))
		memcpy(k.addr, nl_addr_get_binary_addr(src), nl_addr_get_len(src));
	idiagnl_msg_put(m);
	if (k.family != AF_INET && k.family != AF_INET6)
		return -EBADMSG;
	k.drops = mem[SK_MEMINFO_DROPS];
	k.rcvbuf = mem[SK_MEMINFO_RCVBUF];
	k.rmem_alloc = mem[SK_MEMINFO_RMEM_ALLOC];
	return add(s, &k);
}

int nt_sockets_parse_diag(const void *buf, size_t len, uint8_t proto, struct nt_sockets *s,
			  bool *ret_done)
{
	const char *p = buf;
	_cleanup_free_ void *copy = NULL;
	size_t copy_len = 0;

	*ret_done = false;
	while (len >= sizeof(struct nlmsghdr)) {
		struct nlmsghdr h;
		struct nlmsgerr e;
		int r;

		memcpy(&h, p, sizeof(h));
		if (h.nlmsg_len < sizeof(h) || h.nlmsg_len > len)
			return -EBADMSG;
		switch (h.nlmsg_type) {
		case NLMSG_DONE:
			*ret_done = true;
			break;
		case NLMSG_ERROR:
			if (h.nlmsg_len < NLMSG_LENGTH(sizeof(e)))
				return -EBADMSG;
			memcpy(&e, p + NLMSG_HDRLEN, sizeof(e));
			if (e.error > 0 || e.error < -4095)
				return -EBADMSG;
			if (e.error)
				return e.error;
			break;
		case SOCK_DIAG_BY_FAMILY:
			if (h.nlmsg_len < NLMSG_LENGTH(sizeof(struct inet_diag_msg)))
				return -EBADMSG;
			/* libnl reads the message in place: give it an aligned copy. */
			if (h.nlmsg_len > copy_len) {
				free(copy);
				copy = malloc(h.nlmsg_len);
				if (!copy)
					return -ENOMEM;
				copy_len = h.nlmsg_len;
			}
			memcpy(copy, p, h.nlmsg_len);
			r = parse_diag_msg(copy, proto, s);
			if (r < 0)
				return r;
			break;
		default:
			break; /* NLMSG_NOOP and the like */
		}
		if (NLMSG_ALIGN(h.nlmsg_len) >= len)
			return 0;
		p += NLMSG_ALIGN(h.nlmsg_len);
		len -= NLMSG_ALIGN(h.nlmsg_len);
	}
	return len ? -EBADMSG : 0;
}

/*
 * SOCK_DIAG_BY_FAMILY with struct inet_diag_req_v2 (sock_diag(7)): libnl-idiag's own request
 * helper (idiagnl_send_simple) sends the TCP-only TCPDIAG_GETSOCK, so the request is built
 * here and the replies go through nt_sockets_parse_diag(), the same parser recorded dumps use.
 */
static int dump_one(struct nl_sock *sk, uint8_t family, uint8_t proto, struct nt_sockets *s)
{
	struct inet_diag_req_v2 req = {
		.sdiag_family = family,
		.sdiag_protocol = proto,
		.idiag_ext = 1 << (INET_DIAG_SKMEMINFO - 1),
		.idiag_states = ~0u,
	};
	bool done = false;
	int r;

	r = nl_send_simple(sk, SOCK_DIAG_BY_FAMILY, NLM_F_DUMP, &req, sizeof(req));
	if (r < 0)
		return r == -NLE_NOMEM ? -ENOMEM : -EIO;
	while (!done) {
		_cleanup_free_ unsigned char *buf = NULL;
		struct sockaddr_nl from;

		r = nl_recv(sk, &from, &buf, NULL);
		if (r == -NLE_NOMEM)
			return -ENOMEM;
		if (r <= 0)
			return -EIO;
		r = nt_sockets_parse_diag(buf, (size_t)r, proto, s, &done);
		if (r < 0)
			return r;
	}
	return 0;
}

int nt_sockets_read_diag(struct nt_sockets *s)
{
	static const uint8_t families[] = {AF_INET, AF_INET6};
	static const uint8_t protos[] = {IPPROTO_UDP, IPPROTO_TCP};
	struct nl_sock *sk;
	int r = 0;

	sk = nl_socket_alloc();
	if (!sk)
		return -ENOMEM;
	if (idiagnl_connect(sk) < 0) {
		r = -EPROTONOSUPPORT;
		goto out;
	}
	nl_socket_disable_auto_ack(sk);
	nl_socket_enable_msg_peek(sk);
	/* Many sockets: large dumps, and a tiny rmem_max must not break them. */
	nt_nl_sock_grow(sk, 1 << 20);
	for (size_t p = 0; p < ARRAY_SIZE(protos) && r >= 0; p++)
		for (size_t f = 0; f < ARRAY_SIZE(families) && r >= 0; f++) {
			r = dump_one(sk, families[f], protos[p], s);
			/* A kernel without IPv6 has no AF_INET6 handler. */
			if (r == -ENOENT && families[f] == AF_INET6)
				r = 0;
		}
out:
	nl_socket_free(sk);
	return r;
}

/* ---- merge ---- */

static int cmp_key(const void *a, const void *b)
{
	const struct nt_sock *x = a, *y = b;

	if (x->proto != y->proto)
		return x->proto < y->proto ? -1 : 1;
	return (x->inode > y->inode) - (x->inode < y->inode);
}

/* By (proto, inode), the sock_diag entry of a socket first: it carries more. */
static int cmp_sort(const void *a, const void *b)
{
	const struct nt_sock *x = a, *y = b;
	int r = cmp_key(a, b);

	return r ? r : (int)y->have_diag - (int)x->have_diag;
}

void nt_sockets_finish(struct nt_sockets *s)
{
	unsigned int out = 0;

	if (s->n > 1)
		qsort(s->s, s->n, sizeof(*s->s), cmp_sort);
	for (unsigned int i = 0; i < s->n; i++) {
		struct nt_sock *k = &s->s[i];

		if (out && !cmp_key(&s->s[out - 1], k)) {
			/* the same socket from /proc: the counter read later wins */
			if (k->drops > s->s[out - 1].drops)
				s->s[out - 1].drops = k->drops;
			continue;
		}
		s->s[out++] = *k;
	}
	s->n = out;
}

const struct nt_sock *nt_sockets_find(const struct nt_sockets *s, uint8_t proto, uint64_t inode)
{
	const struct nt_sock key = {.proto = proto, .inode = inode};

	return s->n ? bsearch(&key, s->s, s->n, sizeof(*s->s), cmp_key) : NULL;
}

/* ---- owners ---- */

/* "socket:[12345]" */
static bool socket_inode(const char *target, uint64_t *ret)
{
	size_t n = strlen(target);

	if (n < 10 || strncmp(target, "socket:[", 8) || target[n - 1] != ']')
		return false;
	return dec(target + 8, n - 9, ret) == 0;
}

static int cmp_pid(const void *a, const void *b)
{
	long x = strtol(*(char *const *)a, NULL, 10), y = strtol(*(char *const *)b, NULL, 10);

	return (x > y) - (x < y);
}

/* Gives socket @inode (of any protocol) the owner @pid; returns how many it named. */
static unsigned int own(const struct nt_root *root, struct nt_sockets *s, uint64_t inode, int pid)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < s->n; i++) {
		struct nt_sock *k = &s->s[i];
		_cleanup_free_ char *comm = NULL;
		char path[64];

		if (k->inode != inode || k->pid >= 0)
			continue;
		k->pid = pid;
		snprintf(path, sizeof(path), "proc/%d/comm", pid);
		if (nt_read_line(root, path, &comm) == 0)
			snprintf(k->comm, sizeof(k->comm), "%s", comm);
		n++;
	}
	return n;
}

int nt_sockets_read_owners(const struct nt_root *root, struct nt_sockets *s, int *ret_missed_owner)
{
	char **pids = NULL;
	size_t n_pids = 0;
	unsigned int left = s->n;
	bool denied = false;
	int r;

	*ret_missed_owner = 0;
	if (!left)
		return 0;
	r = nt_list_dir(root, "proc", &pids, &n_pids);
	if (r < 0)
		return r;
	qsort(pids, n_pids, sizeof(*pids), cmp_pid);
	for (size_t i = 0; i < n_pids && left; i++) {
		char path[64], **fds = NULL;
		char *end;
		long pid = strtol(pids[i], &end, 10);

		if (*end || pid <= 0 || pid > INT32_MAX)
			continue;
		snprintf(path, sizeof(path), "proc/%ld/fd", pid);
		r = nt_list_dir(root, path, &fds, NULL);
		if (r == -EACCES || r == -EPERM)
			denied = true;
		if (r < 0)
			continue; /* gone, or another user's */
		for (char **f = fds; *f && left; f++) {
			_cleanup_free_ char *target = NULL;
			char fpath[96];
			uint64_t inode;

			snprintf(fpath, sizeof(fpath), "%s/%s", path, *f);
			if (nt_read_link(root, fpath, &target) == 0 && socket_inode(target, &inode))
				left -= own(root, s, inode, (int)pid);
		}
		nt_strv_free(fds);
	}
	nt_strv_free(pids);
	*ret_missed_owner = left && denied ? -EACCES : 0;
	return 0;
}

void nt_sockets_done(struct nt_sockets *s)
{
	free(s->s);
	*s = (struct nt_sockets){};
}

const char *nt_sock_proto_name(const struct nt_sock *k)
{
	return k->proto == IPPROTO_TCP ? "tcp" : "udp";
}

void nt_sock_format_local(const struct nt_sock *k, char *buf, size_t n)
{
	char a[INET6_ADDRSTRLEN] = "?";

	if (!inet_ntop(k->family == AF_INET6 ? AF_INET6 : AF_INET, k->addr, a, sizeof(a)))
		snprintf(a, sizeof(a), "?");
	snprintf(buf, n, k->family == AF_INET6 ? "[%s]:%u" : "%s:%u", a, k->port);
}
