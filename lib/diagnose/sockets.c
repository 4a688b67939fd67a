// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * R05 and R06 with the socket named (sockets.h).
 *
 * Who set a receive buffer. setsockopt(SO_RCVBUF) caps the request at net.core.rmem_max,
 * doubles it ("The kernel doubles this value (to allow space for bookkeeping overhead) when
 * it is set using setsockopt(2)", socket(7)) and locks the size (SOCK_RCVBUF_LOCK in
 * sk_userlocks, net/core/sock.c __sock_set_rcvbuf()). sock_diag does not export
 * sk_userlocks: neither inet_diag_msg nor its attributes carry it (include/uapi/linux/
 * inet_diag.h). So the origin is read from the size (SK_MEMINFO_RCVBUF) and the sysctls:
 *  - UDP starts at net.core.rmem_default (sock_init_data()): that size is the default;
 *    twice net.core.rmem_max is a request that rmem_max capped; anything else the
 *    application chose (SO_RCVBUF below the cap, or SO_RCVBUFFORCE);
 *  - TCP starts at tcp_rmem's default and autotuning moves it up to tcp_rmem's max unless
 *    SO_RCVBUF locked it (tcp(7), Documentation/networking/ip-sysctl.rst): twice rmem_max is
 *    capped, the tcp_rmem range is the default, anything else the application chose.
 * What this cannot tell: an application that asks for exactly rmem_max looks capped (a
 * larger rmem_max helps it only if it asks for more); a default socket created before
 * rmem_default changed looks application-set; an application size inside TCP's autotuning
 * range looks autotuned; rmem_default equal to twice rmem_max is ambiguous (unknown).
 *
 * Who set a listen backlog. listen() caps the backlog at net.core.somaxconn ("If the
 * backlog argument is greater than the value in /proc/sys/net/core/somaxconn, then it is
 * silently capped to that value", listen(2)) and sock_diag reports the result as a
 * listener's idiag_wqueue (sk_max_ack_backlog, net/ipv4/tcp_diag.c). Below somaxconn the
 * application chose it; at (or above, when somaxconn was lowered later) somaxconn the sysctl
 * capped it. A new somaxconn applies at the application's next listen() call. The SYN queue
 * has the same limit (inet_csk_reqsk_queue_is_full(), include/net/inet_connection_sock.h).
 */
#define _GNU_SOURCE
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "sockets.h"
#include "string-table.h"

static const char *const nt_limit_origin_table[_NT_LIMIT_ORIGIN_MAX] = {
	[NT_LIMIT_UNKNOWN] = "unknown",
	[NT_LIMIT_DEFAULT] = "default",
	[NT_LIMIT_APP] = "app",
	[NT_LIMIT_CAPPED] = "capped",
};

DEFINE_STRING_TABLE_LOOKUP(nt_limit_origin, enum nt_limit_origin);

/* PC's example for rmem_max and rmem_default; twice the current value once it is larger. */
#define RMEM_SUGGESTED 8388608LL

enum nt_limit_origin nt_rcvbuf_origin(const struct nt_sock *k, const struct nt_snap_sysctl *sc)
{
	int64_t buf = k->rcvbuf, capped = sc->rmem_max > 0 ? 2 * sc->rmem_max : -1;

	if (!k->have_diag || buf <= 0)
		return NT_LIMIT_UNKNOWN;
	if (k->proto == IPPROTO_UDP) {
		if (buf == sc->rmem_default && buf == capped)
			return NT_LIMIT_UNKNOWN;
		if (buf == sc->rmem_default)
			return NT_LIMIT_DEFAULT;
		if (buf == capped)
			return NT_LIMIT_CAPPED;
		return sc->rmem_default > 0 && capped > 0 ? NT_LIMIT_APP : NT_LIMIT_UNKNOWN;
	}
	if (buf == capped)
		return NT_LIMIT_CAPPED;
	if (sc->tcp_rmem[1] <= 0 || sc->tcp_rmem[2] <= 0)
		return NT_LIMIT_UNKNOWN;
	if (buf >= sc->tcp_rmem[1] && buf <= sc->tcp_rmem[2])
		return NT_LIMIT_DEFAULT;
	return capped > 0 ? NT_LIMIT_APP : NT_LIMIT_UNKNOWN;
}

enum nt_limit_origin nt_backlog_origin(const struct nt_sock *k, int64_t somaxconn)
{
	if (!k->have_diag || k->state != NT_SOCK_LISTEN || somaxconn < 0)
		return NT_LIMIT_UNKNOWN;
	return (int64_t)k->wqueue >= somaxconn ? NT_LIMIT_CAPPED : NT_LIMIT_APP;
}

static double per_s(const struct nt_diag_ctx *c, uint64_t d)
{
	return (double)d / c->dt;
}

/* "udp 10.0.0.2:9999" */
static void sock_name(const struct nt_sock *k, char *buf, size_t n)
{
	size_t len;

	snprintf(buf, n, "%s ", nt_sock_proto_name(k));
	len = strlen(buf);
	nt_sock_format_local(k, buf + len, n - len);
}

/* "python3 (pid 1234)", or what napictl could not see, never a guess. */
static void owner_name(const struct nt_diag_ctx *c, const struct nt_sock *k, char *buf, size_t n)
{
	if (k->pid >= 0)
		snprintf(buf, n, "%s (pid %d)", k->comm[0] ? k->comm : "?", k->pid);
	else if (c->b->err[NT_SRC_SOCK_OWNERS])
		snprintf(buf, n, "a process of uid %u that napictl cannot see (run as root)",
			 k->uid);
	else
		snprintf(buf, n, "a process of uid %u (not found in /proc: gone?)", k->uid);
}

/* Does @k belong to the finding: UDP, TCP other than listeners, or listeners? */
enum sock_kind { KIND_UDP, KIND_TCP, KIND_LISTEN };

static bool of_kind(const struct nt_sock *k, enum sock_kind kind)
{
	switch (kind) {
	case KIND_UDP:
		return k->proto == IPPROTO_UDP;
	case KIND_TCP:
		return k->proto == IPPROTO_TCP && k->state != NT_SOCK_LISTEN;
	default:
		return k->proto == IPPROTO_TCP && k->state == NT_SOCK_LISTEN;
	}
}

/* Evidence: the sockets of @kind with the most drops (up to 3); returns the top one. */
static const struct nt_sock *ev_sockets(const struct nt_diag_ctx *c, struct nt_finding *f,
					enum sock_kind kind)
{
	const struct nt_snap_sysctl *sc = &c->b->sysctl;
	const struct nt_sock *top = NULL;
	unsigned int shown = 0;

	for (unsigned int i = 0; i < c->r->n_sock && shown < 3; i++) {
		const struct nt_sock_rate *sr = &c->r->sock[i];
		const struct nt_sock *k = sr->s;
		struct nt_evidence *e;

		if (!of_kind(k, kind) || f->n_ev >= NT_EVIDENCE_MAX)
			continue;
		if (!top)
			top = k;
		shown++;
		nt_finding_ev(f, kind == KIND_LISTEN ? "listener drops" : "socket drops",
			      k->have_diag	      ? "sock_diag"
			      : k->family == AF_INET6 ? "/proc/net/udp6"
						      : "/proc/net/udp",
			      -1, NULL, -1, sr->d_drops, per_s(c, sr->d_drops));
		e = &f->ev[f->n_ev - 1];
		e->is_socket = true;
		e->sock = (struct nt_ev_socket){
			.inode = k->inode,
			.uid = k->uid,
			.pid = k->pid,
			.rcvbuf = k->have_diag ? (int64_t)k->rcvbuf : -1,
			.accept_queue = kind == KIND_LISTEN ? (int64_t)k->rqueue : -1,
			.backlog = kind == KIND_LISTEN ? (int64_t)k->wqueue : -1,
			.limit_set_by = kind == KIND_LISTEN ? nt_backlog_origin(k, sc->somaxconn)
							    : nt_rcvbuf_origin(k, sc),
		};
		snprintf(e->sock.proto, sizeof(e->sock.proto), "%s", nt_sock_proto_name(k));
		nt_sock_format_local(k, e->sock.local, sizeof(e->sock.local));
		if (k->pid >= 0)
			snprintf(e->sock.command, sizeof(e->sock.command), "%s", k->comm);
	}
	return top;
}

/* Sets the remedy's current and suggested values of an application-level fix. */
static void remedy_app(struct nt_finding *f, const char *cmd, const char *caveat, int64_t cur,
		       int64_t sug)
{
	nt_finding_remedy_text(f, "app", cmd, caveat);
	if (cur >= 0)
		snprintf(f->remedy.current, sizeof(f->remedy.current), "%lld", (long long)cur);
	if (sug >= 0)
		snprintf(f->remedy.suggested, sizeof(f->remedy.suggested), "%lld", (long long)sug);
}

static int64_t grow(int64_t cur, int64_t floor)
{
	return cur >= floor ? 2 * cur : floor;
}

/* A receive-buffer remedy through rmem_max (capped) or rmem_default (UDP default). */
static void remedy_rmem(struct nt_finding *f, const char *key, int64_t cur, const char *tail,
			const char *caveat)
{
	char curs[24] = "", sug[24], cmd[320];

	if (cur >= 0)
		snprintf(curs, sizeof(curs), "%lld", (long long)cur);
	snprintf(sug, sizeof(sug), "%lld", (long long)grow(cur, RMEM_SUGGESTED));
	snprintf(cmd, sizeof(cmd), "sysctl -w %s=%s  # %s", key, sug, tail);
	nt_finding_remedy(f, key, "global", curs, sug, "sysctl", NULL, cmd, caveat);
}

static void udp_remedy(const struct nt_diag_ctx *c, struct nt_finding *f, const struct nt_sock *k)
{
	const struct nt_snap_sysctl *sc = &c->b->sysctl;
	char sock[64], who[72], tail[160], cmd[320], caveat[320];
	int64_t sug;

	if (!k) {
		nt_finding_cause(f, "receiving applications read slower than datagrams arrive, or "
				    "their receive buffers are too small; no socket's drop counter "
				    "moved in the window (closed since?) [PC]");
		nt_finding_remedy_text(
			f, "none",
			"ss -uamnp  # the socket whose d<drops> grows; its rb tells who "
			"set the size",
			"napictl names the fix when it sees the socket that drops");
		return;
	}
	sock_name(k, sock, sizeof(sock));
	owner_name(c, k, who, sizeof(who));
	switch (nt_rcvbuf_origin(k, sc)) {
	case NT_LIMIT_APP:
		sug = sc->rmem_max > (int64_t)k->rcvbuf / 2 ? sc->rmem_max : (int64_t)k->rcvbuf;
		nt_finding_cause(
			f,
			"%s of %s drops at a full receive buffer of %u bytes that the "
			"application chose itself (setsockopt SO_RCVBUF %u, doubled by the "
			"kernel; the default net.core.rmem_default is %lld) [socket(7)]",
			sock, who, k->rcvbuf, k->rcvbuf / 2, (long long)sc->rmem_default);
		snprintf(cmd, sizeof(cmd),
			 "change %s: setsockopt(SO_RCVBUF, %lld) on %s instead of %u; or read "
			 "faster (more threads, SO_REUSEPORT) [CF-1M]",
			 who, (long long)sug, sock, k->rcvbuf / 2);
		snprintf(
			caveat, sizeof(caveat),
			"the application sets this size itself: net.core.rmem_default does not "
			"apply to a socket that sets its own, and net.core.rmem_max (%lld) already "
			"allows %lld; no sysctl changes this socket [socket(7)]",
			(long long)sc->rmem_max, (long long)sug);
		remedy_app(f, cmd, caveat, k->rcvbuf, sug);
		return;
	case NT_LIMIT_CAPPED:
		nt_finding_cause(f,
				 "%s of %s drops at a full receive buffer of %u bytes: the "
				 "application asks for more and net.core.rmem_max (%lld) caps the "
				 "request (the kernel doubles it) [socket(7)]",
				 sock, who, k->rcvbuf, (long long)sc->rmem_max);
		snprintf(tail, sizeof(tail), "%s gets more at its next setsockopt(SO_RCVBUF)", who);
		remedy_rmem(f, "net.core.rmem_max", sc->rmem_max, tail,
			    "rmem_max only caps what applications ask for: the socket grows when "
			    "the application sets SO_RCVBUF again (restart it if it does so once); "
			    "more reader threads/SO_REUSEPORT first [PC][CF-1M]");
		return;
	case NT_LIMIT_DEFAULT:
		nt_finding_cause(f,
				 "%s of %s drops at a full receive buffer of %u bytes, the default "
				 "net.core.rmem_default: the application does not set SO_RCVBUF "
				 "[socket(7)]",
				 sock, who, k->rcvbuf);
		snprintf(tail, sizeof(tail), "then restart %s: only new sockets get it", who);
		remedy_rmem(f, "net.core.rmem_default", sc->rmem_default, tail,
			    "rmem_default is the size of every new non-TCP socket and applies "
			    "only to sockets created afterwards; better: the application sets "
			    "SO_RCVBUF (within net.core.rmem_max) [PC]");
		return;
	default:
		nt_finding_cause(f,
				 "%s of %s drops at a full receive buffer; napictl cannot tell who "
				 "set its size (%s) [PC]",
				 sock, who,
				 k->have_diag ? "net.core.rmem_default is twice net.core.rmem_max"
					      : "sock_diag did not show its buffer");
		snprintf(cmd, sizeof(cmd),
			 "ss -uamn 'sport = :%u'  # skmem rb = %lld (rmem_default): raise "
			 "net.core.rmem_default; = %lld (2 x rmem_max): raise net.core.rmem_max; "
			 "else the application's SO_RCVBUF",
			 k->port, (long long)sc->rmem_default, (long long)2 * sc->rmem_max);
		nt_finding_remedy_text(f, "none", cmd, "");
		return;
	}
}

static void tcp_remedy(const struct nt_diag_ctx *c, struct nt_finding *f, const struct nt_sock *k)
{
	const struct nt_snap_sysctl *sc = &c->b->sysctl;
	char sock[64], who[72], tail[160], cmd[320], sug[64];

	if (!k) {
		nt_finding_cause(f, "applications read too slowly or TCP is under tcp_mem "
				    "pressure: the stack prunes and drops queued data; no socket's "
				    "drop counter moved in the window [HOTSOS][CF-TCPMEM]");
		nt_finding_remedy_text(
			f, "none",
			"ss -tmnp  # the sockets whose d<drops> grow; rb tells who set "
			"their size",
			"napictl names the fix when it sees the socket that drops");
		return;
	}
	sock_name(k, sock, sizeof(sock));
	owner_name(c, k, who, sizeof(who));
	switch (nt_rcvbuf_origin(k, sc)) {
	case NT_LIMIT_APP:
		nt_finding_cause(f,
				 "%s of %s drops at a full receive buffer of %u bytes that the "
				 "application fixed with SO_RCVBUF, which also turns off "
				 "receive-buffer autotuning [tcp(7)]",
				 sock, who, k->rcvbuf);
		snprintf(cmd, sizeof(cmd),
			 "change %s: remove its setsockopt(SO_RCVBUF) on %s so autotuning works "
			 "(up to net.ipv4.tcp_rmem's max, %lld), or ask for more; or read faster",
			 who, sock, (long long)sc->tcp_rmem[2]);
		remedy_app(f, cmd,
			   "net.ipv4.tcp_rmem does not apply to a socket with its own SO_RCVBUF "
			   "[tcp(7)]",
			   k->rcvbuf, -1);
		return;
	case NT_LIMIT_CAPPED:
		nt_finding_cause(f,
				 "%s of %s drops at a full receive buffer of %u bytes: the "
				 "application asks for more with SO_RCVBUF and net.core.rmem_max "
				 "(%lld) caps it [socket(7)]",
				 sock, who, k->rcvbuf, (long long)sc->rmem_max);
		snprintf(tail, sizeof(tail), "%s gets more at its next setsockopt(SO_RCVBUF)", who);
		remedy_rmem(f, "net.core.rmem_max", sc->rmem_max, tail,
			    "an application's SO_RCVBUF also turns off TCP autotuning; large "
			    "buffers make tcp_collapse cause latency spikes [tcp(7)][CF-SPIKE]");
		return;
	case NT_LIMIT_DEFAULT:
		nt_finding_cause(f,
				 "%s of %s drops with an autotuned receive buffer of %u bytes "
				 "(net.ipv4.tcp_rmem %lld %lld %lld): autotuning cannot grow it "
				 "further, or TCP is under tcp_mem pressure [tcp(7)][CF-TCPMEM]",
				 sock, who, k->rcvbuf, (long long)sc->tcp_rmem[0],
				 (long long)sc->tcp_rmem[1], (long long)sc->tcp_rmem[2]);
		snprintf(sug, sizeof(sug), "[%lld, %lld, %lld]", (long long)sc->tcp_rmem[0],
			 (long long)sc->tcp_rmem[1], (long long)grow(sc->tcp_rmem[2], 6291456));
		snprintf(cmd, sizeof(cmd), "sysctl -w net.ipv4.tcp_rmem='%lld %lld %lld'",
			 (long long)sc->tcp_rmem[0], (long long)sc->tcp_rmem[1],
			 (long long)grow(sc->tcp_rmem[2], 6291456));
		snprintf(tail, sizeof(tail), "%lld %lld %lld", (long long)sc->tcp_rmem[0],
			 (long long)sc->tcp_rmem[1], (long long)sc->tcp_rmem[2]);
		nt_finding_remedy(
			f, "net.ipv4.tcp_rmem", "netns", tail, sug, "sysctl", NULL, cmd,
			"application first; large buffers make tcp_collapse cause latency "
			"spikes [CF-SPIKE]; tcp_mem is global; an application SO_RCVBUF "
			"inside this range looks the same");
		return;
	default:
		nt_finding_cause(f,
				 "%s of %s drops at a full receive buffer; napictl cannot tell who "
				 "set its size (sock_diag did not show it) [HOTSOS]",
				 sock, who);
		snprintf(cmd, sizeof(cmd),
			 "ss -tmn 'sport = :%u'  # skmem rb = %lld (2 x rmem_max): raise "
			 "net.core.rmem_max; within tcp_rmem: raise its max; else the "
			 "application's SO_RCVBUF",
			 k->port, (long long)2 * sc->rmem_max);
		nt_finding_remedy_text(f, "none", cmd, "");
		return;
	}
}

void nt_rule_socket(struct nt_diag_ctx *c)
{
	const struct nt_rates *r = c->r;
	uint64_t rcvbuf = 0, mem = 0, indg = 0, insegs = 0, t = 0, v;
	static const char *const tcp[] = {"TCPRcvQDrop", "TCPBacklogDrop", "RcvPruned", "OfoPruned",
					  "TCPOFODrop"};
	struct nt_finding *f;

	(void)nt_rates_snmp(r, "Udp", "RcvbufErrors", &rcvbuf);
	(void)nt_rates_snmp(r, "Udp", "MemErrors", &mem);
	(void)nt_rates_snmp(r, "Udp", "InDatagrams", &indg);
	(void)nt_rates_snmp(r, "Tcp", "InSegs", &insegs);
	if (rcvbuf + mem) {
		uint64_t n = rcvbuf + mem;
		double ratio = indg + n ? (double)n / (double)(indg + n) : 0;
		bool warn =
			per_s(c, n) > NT_RATE_WARN || (indg + n >= NT_RATIO_FLOOR && ratio > 0.01);
		const struct nt_sock *top;

		f = nt_finding_add(c, warn ? NT_LEVEL_WARN : NT_LEVEL_NOTE, -1, NULL);
		if (!f)
			return;
		f->lost = n;
		nt_finding_summary(
			f, "%llu UDP datagrams dropped at full socket buffers (%.1f/s, %.2f%%)",
			(unsigned long long)n, per_s(c, n), ratio * 100);
		nt_finding_ev(f, "Udp RcvbufErrors", "/proc/net/snmp", -1, NULL, -1, rcvbuf,
			      per_s(c, rcvbuf));
		if (mem)
			nt_finding_ev(f, "Udp MemErrors", "/proc/net/snmp", -1, NULL, -1, mem,
				      per_s(c, mem));
		nt_finding_ev(f, "Udp InDatagrams", "/proc/net/snmp", -1, NULL, -1, indg,
			      per_s(c, indg));
		top = ev_sockets(c, f, KIND_UDP);
		if (mem > rcvbuf) {
			nt_finding_cause(
				f, "global UDP memory (net.ipv4.udp_mem) is exhausted [KUDP]");
			nt_finding_remedy_text(
				f, "global", "sysctl net.ipv4.udp_mem  # raise the limits",
				"udp_mem is global; find the socket that hoards memory first");
		} else {
			udp_remedy(c, f, top);
		}
	}
	for (size_t i = 0; i < ARRAY_SIZE(tcp); i++)
		if (nt_rates_snmp(r, "TcpExt", tcp[i], &v))
			t += v;
	if (t) {
		double ratio = insegs ? (double)t / (double)insegs : 0;
		bool warn =
			per_s(c, t) > NT_RATE_WARN || (insegs >= NT_RATIO_FLOOR && ratio > 0.01);

		f = nt_finding_add(c, warn ? NT_LEVEL_WARN : NT_LEVEL_NOTE, -1, NULL);
		if (!f)
			return;
		f->lost = t;
		nt_finding_summary(f,
				   "%llu TCP segments dropped or pruned for lack of receive memory "
				   "(%.1f/s)",
				   (unsigned long long)t, per_s(c, t));
		for (size_t i = 0; i < ARRAY_SIZE(tcp); i++)
			if (nt_rates_snmp(r, "TcpExt", tcp[i], &v) && v) {
				char name[48];

				snprintf(name, sizeof(name), "TcpExt %s", tcp[i]);
				nt_finding_ev(f, name, "/proc/net/netstat", -1, NULL, -1, v,
					      per_s(c, v));
			}
		nt_finding_ev(f, "Tcp InSegs", "/proc/net/snmp", -1, NULL, -1, insegs,
			      per_s(c, insegs));
		tcp_remedy(c, f, ev_sockets(c, f, KIND_TCP));
	}
}

/* ---- R06 ---- */

static void listen_remedy(const struct nt_diag_ctx *c, struct nt_finding *f,
			  const struct nt_sock *k, bool syn)
{
	int64_t somaxconn = c->b->sysctl.somaxconn;
	const char *queue = syn ? "SYN queue" : "accept queue";
	char sock[64], who[72], cmd[320], caveat[320], curs[24], sug[24];
	int64_t s;

	if (!k || nt_backlog_origin(k, somaxconn) == NT_LIMIT_UNKNOWN) {
		nt_finding_cause(f,
				 "an application %s or its listen() backlog (min(backlog, "
				 "net.core.somaxconn)) is too small; napictl %s [KSNMP][KIP]",
				 syn ? "receives a connection burst or SYN flood"
				     : "accept()s too slowly",
				 k ? "cannot see the listener's backlog (sock_diag)"
				   : "saw no listener's drop counter move");
		if (k)
			snprintf(cmd, sizeof(cmd),
				 "ss -ltn 'sport = :%u'  # Send-Q is the backlog: = "
				 "net.core.somaxconn (%lld): raise it; below: the application's "
				 "listen() backlog",
				 k->port, (long long)somaxconn);
		else
			snprintf(cmd, sizeof(cmd),
				 "ss -ltnp  # a listener with Recv-Q > Send-Q overflows; Send-Q = "
				 "net.core.somaxconn (%lld): raise it; below: the application's "
				 "listen() backlog",
				 (long long)somaxconn);
		nt_finding_remedy_text(f, "none", cmd, "");
		return;
	}
	sock_name(k, sock, sizeof(sock));
	owner_name(c, k, who, sizeof(who));
	if (nt_backlog_origin(k, somaxconn) == NT_LIMIT_APP) {
		nt_finding_cause(f,
				 "%s of %s listens with a backlog of %u (listen(fd, %u)), below "
				 "net.core.somaxconn (%lld): its %s overflows (%u queued at the "
				 "sample) [listen(2)]",
				 sock, who, k->wqueue, k->wqueue, (long long)somaxconn, queue,
				 k->rqueue);
		snprintf(cmd, sizeof(cmd),
			 "change %s: listen(fd of %s, %lld) instead of %u; or accept() faster", who,
			 sock, (long long)somaxconn, k->wqueue);
		snprintf(caveat, sizeof(caveat),
			 "net.core.somaxconn does not limit this listener, only its own listen() "
			 "backlog does%s; a bigger queue also hides a slow accept loop "
			 "[listen(2)][KIP]",
			 syn ? "; keep net.ipv4.tcp_syncookies=1 for SYN floods" : "");
		remedy_app(f, cmd, caveat, k->wqueue, somaxconn);
		return;
	}
	nt_finding_cause(f,
			 "%s of %s asks for a listen() backlog of at least net.core.somaxconn "
			 "(%lld), which caps it at %u: its %s overflows [listen(2)][KIP]",
			 sock, who, (long long)somaxconn, k->wqueue, queue);
	/* Twice the current value, never less than twice the default 4096 [KIP]. */
	s = somaxconn > 4096 ? 2 * somaxconn : 8192;
	if (s < 2 * (int64_t)k->wqueue)
		s = 2 * (int64_t)k->wqueue;
	snprintf(curs, sizeof(curs), "%lld", (long long)somaxconn);
	snprintf(sug, sizeof(sug), "%lld", (long long)s);
	snprintf(cmd, sizeof(cmd),
		 "sysctl -w net.core.somaxconn=%s  # %s gets it at its next listen()", sug, who);
	nt_finding_remedy(f, "net.core.somaxconn", "netns", curs, sug, "sysctl", NULL, cmd,
			  syn ? "takes effect when the application calls listen() again (restart "
				"it if it listens once); keep net.ipv4.tcp_syncookies=1 for SYN "
				"floods [KIP]"
			      : "takes effect when the application calls listen() again (restart "
				"it if it listens once); a bigger queue hides a slow accept loop "
				"[listen(2)][KIP]");
}

void nt_rule_listen(struct nt_diag_ctx *c)
{
	const struct nt_rates *r = c->r;
	uint64_t ovf = 0, drops = 0, reqq = 0, cookies = 0, worst;
	enum nt_level lvl;
	struct nt_finding *f;

	(void)nt_rates_snmp(r, "TcpExt", "ListenOverflows", &ovf);
	(void)nt_rates_snmp(r, "TcpExt", "ListenDrops", &drops);
	(void)nt_rates_snmp(r, "TcpExt", "TCPReqQFullDrop", &reqq);
	(void)nt_rates_snmp(r, "TcpExt", "TCPReqQFullDoCookies", &cookies);
	worst = ovf > reqq ? ovf : reqq;
	if (cookies > worst)
		worst = cookies;
	/* ListenDrops alone may be allocation failures, not a queue problem [KSNMP]. */
	if (!worst)
		return;
	lvl = per_s(c, worst) > 5   ? NT_LEVEL_CRIT
	      : per_s(c, worst) > 1 ? NT_LEVEL_WARN
				    : NT_LEVEL_NOTE;
	f = nt_finding_add(c, lvl, -1, NULL);
	if (!f)
		return;
	f->lost = drops > ovf ? drops : ovf;
	nt_finding_summary(f,
			   "listen queues overflowed: %llu accept-queue overflows, %llu SYN-queue "
			   "drops (%.1f/s)",
			   (unsigned long long)ovf, (unsigned long long)reqq, per_s(c, worst));
	nt_finding_ev(f, "TcpExt ListenOverflows", "/proc/net/netstat", -1, NULL, -1, ovf,
		      per_s(c, ovf));
	nt_finding_ev(f, "TcpExt ListenDrops", "/proc/net/netstat", -1, NULL, -1, drops,
		      per_s(c, drops));
	if (reqq)
		nt_finding_ev(f, "TcpExt TCPReqQFullDrop", "/proc/net/netstat", -1, NULL, -1, reqq,
			      per_s(c, reqq));
	if (cookies)
		nt_finding_ev(f, "TcpExt TCPReqQFullDoCookies", "/proc/net/netstat", -1, NULL, -1,
			      cookies, per_s(c, cookies));
	listen_remedy(c, f, ev_sockets(c, f, KIND_LISTEN), ovf < reqq);
}
