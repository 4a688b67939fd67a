/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The sockets that dropped packets, by name: each socket's drop counter (sk_drops), its
 * receive buffer (sk_rcvbuf), for listeners the accept queue and its limit, and the process
 * that holds it. Three kernel interfaces, each readable alone:
 *
 *  - /proc/net/udp and /proc/net/udp6: one line per UDP socket with its "drops" column
 *    (sk_drops), rx_queue (sk_rmem_alloc), uid and inode (net/ipv4/udp.c udp4_format_sock(),
 *    net/ipv6/datagram.c __ip6_dgram_sock_seq_show()); per network namespace;
 *  - sock_diag (NETLINK_SOCK_DIAG, SOCK_DIAG_BY_FAMILY with INET_DIAG_SKMEMINFO; sock_diag(7)):
 *    UDP and TCP sockets of IPv4 and IPv6 with SK_MEMINFO_DROPS, SK_MEMINFO_RCVBUF and
 *    SK_MEMINFO_RMEM_ALLOC; for a TCP listener idiag_rqueue is the accept queue length and
 *    idiag_wqueue its limit, sk_max_ack_backlog (net/ipv4/tcp_diag.c tcp_diag_get_info()).
 *    Any user may dump the sockets of its network namespace;
 *  - /proc/<pid>/fd/N -> "socket:[inode]" and /proc/<pid>/comm (proc(5)): the owner. Another
 *    user's /proc/<pid>/fd needs root (ptrace access): such owners stay unknown and the
 *    collector says so (ret_missed_owner), it never guesses.
 *
 * Only sockets whose drop counter is not zero are kept. sk_drops starts at 0 when the socket
 * is created, so a socket missing from the earlier of two samples has all of its drops in
 * the window between them (snapshot.h, nt_rates).
 */
#ifndef NT_STATS_SOCKETS_H
#define NT_STATS_SOCKETS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct nt_root;

struct nt_sock {
	uint8_t proto;	  /* IPPROTO_UDP or IPPROTO_TCP */
	uint8_t family;	  /* AF_INET or AF_INET6 */
	uint8_t state;	  /* the kernel's TCP_* state (UDP: 7 unconnected, 1 connected) */
	uint8_t addr[16]; /* local address, network order (4 bytes for AF_INET) */
	uint16_t port;	  /* local port */
	uint32_t uid;
	uint64_t inode;
	uint64_t drops; /* sk_drops */
	/* sock_diag only: */
	bool have_diag;
	uint32_t rcvbuf;     /* SK_MEMINFO_RCVBUF (bytes) */
	uint32_t rmem_alloc; /* SK_MEMINFO_RMEM_ALLOC (bytes queued) */
	uint32_t rqueue;     /* LISTEN: connections in the accept queue */
	uint32_t wqueue;     /* LISTEN: its limit, min(listen() backlog, somaxconn) */
	/* owner (/proc/<pid>/fd), pid -1 when not seen */
	int pid;
	char comm[16];
};

struct nt_sockets {
	unsigned int n;
	struct nt_sock *s; /* by (proto, inode) after nt_sockets_finish() */
	unsigned int cap;
};

/* TCP_LISTEN of include/net/tcp_states.h. */
#define NT_SOCK_LISTEN 10

/*
 * Adds the sockets with drops of one /proc/net/udp (@family AF_INET) or /proc/net/udp6
 * (AF_INET6) text of @len bytes (no terminating NUL needed). -EBADMSG on a malformed line.
 */
int nt_sockets_parse_proc_udp(const char *buf, size_t len, int family, struct nt_sockets *s);
/*
 * Adds the sockets with drops of sock_diag replies to a dump of protocol @proto
 * (IPPROTO_UDP, IPPROTO_TCP; the replies do not name it): netlink messages (inet_diag_msg
 * with attributes) back to back in @buf, as recv(2) returns them, any alignment. Sets
 * *ret_done when an NLMSG_DONE ends a dump. Returns the kernel's -errno of an NLMSG_ERROR,
 * -EBADMSG when a message is malformed.
 */
int nt_sockets_parse_diag(const void *buf, size_t len, uint8_t proto, struct nt_sockets *s,
			  bool *ret_done);
/* Dumps UDP and TCP, IPv4 and IPv6, from sock_diag of the caller's network namespace. */
int nt_sockets_read_diag(struct nt_sockets *s);
/*
 * Sorts and merges what the sources added (the same socket from /proc and sock_diag).
 * Call after the last parse or read.
 */
void nt_sockets_finish(struct nt_sockets *s);
/*
 * Finds the process of every socket in /proc/<pid>/fd below @root. Sets *ret_missed_owner
 * to -EACCES when a socket stayed without owner while some process's descriptors could not
 * be read; to 0 otherwise (a socket that no process holds has no owner to find).
 */
int nt_sockets_read_owners(const struct nt_root *root, struct nt_sockets *s, int *ret_missed_owner);
void nt_sockets_done(struct nt_sockets *s);
const struct nt_sock *nt_sockets_find(const struct nt_sockets *s, uint8_t proto, uint64_t inode);
/* "udp" or "tcp". */
const char *nt_sock_proto_name(const struct nt_sock *k);
/* "10.0.0.2:9999", "[::1]:53"; @n >= 56 holds any. */
void nt_sock_format_local(const struct nt_sock *k, char *buf, size_t n);

#endif
