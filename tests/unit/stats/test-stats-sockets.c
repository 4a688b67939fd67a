// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The sockets that dropped: /proc/net/udp{,6} text, sock_diag replies (built as the kernel
 * sends them, at any alignment), the merge of both, and the owners from a /proc tree.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/netlink.h>
#include <linux/sock_diag.h>

#include "fs.h"
#include "nt-fixture.h"
#include "nt-test.h"
#include "stats-sockets.h"

/* Lines as 6.12 prints them (the first two sockets have drops). */
static const char udp4[] =
	"   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  "
	"timeout inode ref pointer drops             \n"
	"10852: 0200000A:270F 00000000:0000 07 00000000:00001200 00:00000000 00000000  1000"
	"        0 558082 2 000000007526e032 2904        \n"
	"  119: 0100007F:0035 0100007F:1F90 01 00000000:00000000 00:00000000 00000000     0"
	"        0 4242 2 0000000000000000 7\n"
	"  200: 00000000:0044 00000000:0000 07 00000000:00000000 00:00000000 00000000     0"
	"        0 999 2 0000000000000000 0\n";

static const char udp6[] =
	"  sl  local_address                         remote_address                        st "
	"tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n"
	"  111: 00000000000000000000000001000000:0035 00000000000000000000000000000000:0000 07 "
	"00000000:00000000 00:00000000 00000000   101        0 31337 2 0000000000000000 5\n";

static void test_parse_proc_udp(void **state)
{
	struct nt_sockets s = {};
	char buf[64];

	(void)state;
	assert_int_equal(nt_sockets_parse_proc_udp(udp4, strlen(udp4), AF_INET, &s), 0);
	assert_int_equal(nt_sockets_parse_proc_udp(udp6, strlen(udp6), AF_INET6, &s), 0);
	nt_sockets_finish(&s);
	/* the socket without drops is not kept */
	assert_int_equal(s.n, 3);
	assert_null(nt_sockets_find(&s, IPPROTO_UDP, 999));
	{
		const struct nt_sock *k = nt_sockets_find(&s, IPPROTO_UDP, 558082);

		assert_non_null(k);
		assert_int_equal(k->drops, 2904);
		assert_int_equal(k->uid, 1000);
		assert_int_equal(k->rmem_alloc, 0x1200);
		assert_int_equal(k->state, 7);
		assert_int_equal(k->pid, -1);
		assert_false(k->have_diag);
		nt_sock_format_local(k, buf, sizeof(buf));
		assert_string_equal(buf, "10.0.0.2:9999");
		assert_string_equal(nt_sock_proto_name(k), "udp");
		k = nt_sockets_find(&s, IPPROTO_UDP, 4242);
		assert_non_null(k);
		nt_sock_format_local(k, buf, sizeof(buf));
		assert_string_equal(buf, "127.0.0.1:53");
		k = nt_sockets_find(&s, IPPROTO_UDP, 31337);
		assert_non_null(k);
		assert_int_equal(k->family, AF_INET6);
		nt_sock_format_local(k, buf, sizeof(buf));
		assert_string_equal(buf, "[::1]:53");
		assert_null(nt_sockets_find(&s, IPPROTO_TCP, 31337));
	}
	nt_sockets_done(&s);
}

static void test_parse_proc_udp_bad(void **state)
{
	static const char *const bad[] = {
		/* no header */
		"10852: 0200000A:270F 00000000:0000 07 00000000:00000000 00:00000000 00000000 0 "
		"0 1 2 0 3\n",
		/* a column short */
		"  sl  local\n   1: 0200000A:270F 00000000:0000 07 00000000:00000000 00:00000000 "
		"00000000 0 0 1 2 0\n",
		/* not hex */
		"  sl  local\n   1: 0200G00A:270F 00000000:0000 07 00000000:00000000 00:00000000 "
		"00000000 0 0 1 2 0 3\n",
		/* drops not a number */
		"  sl  local\n   1: 0200000A:270F 00000000:0000 07 00000000:00000000 00:00000000 "
		"00000000 0 0 1 2 0 x\n",
		/* an IPv6 address in the IPv4 file */
		"  sl  local\n   1: 00000000000000000000000001000000:0035 0:0 07 00000000:00000000 "
		"00:00000000 00000000 0 0 1 2 0 3\n",
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		struct nt_sockets s = {};

		assert_int_equal(nt_sockets_parse_proc_udp(bad[i], strlen(bad[i]), AF_INET, &s),
				 -EBADMSG);
		nt_sockets_done(&s);
	}
	{
		struct nt_sockets s = {};

		/* a buffer cut in the middle of a line is malformed, not read past its end */
		assert_int_equal(nt_sockets_parse_proc_udp(udp4, 200, AF_INET, &s), -EBADMSG);
		assert_int_equal(nt_sockets_parse_proc_udp(udp4, 0, AF_INET, &s), 0);
		assert_int_equal(nt_sockets_parse_proc_udp(udp4, strlen(udp4), AF_UNIX, &s),
				 -EINVAL);
		nt_sockets_done(&s);
	}
}

static const struct nt_fx fx_socks = {
	.n_sock = 4,
	.sock =
		{
			{.proto = IPPROTO_UDP,
			 .addr = "10.0.0.2",
			 .port = 9999,
			 .state = 7,
			 .inode = 558082,
			 .uid = 1000,
			 .drops = 3000,
			 .rcvbuf = 4608,
			 .rmem = 4352},
			{.proto = IPPROTO_UDP,
			 .addr = "10.0.0.2",
			 .port = 53,
			 .state = 7,
			 .inode = 77},
			{.proto = IPPROTO_TCP,
			 .addr = "10.0.0.2",
			 .port = 8080,
			 .state = 10,
			 .inode = 900,
			 .drops = 50,
			 .rcvbuf = 131072,
			 .rqueue = 3,
			 .wqueue = 2},
			{.proto = IPPROTO_TCP,
			 .v6 = true,
			 .addr = "fe80::1",
			 .port = 22,
			 .state = 1,
			 .inode = 901,
			 .drops = 4,
			 .rcvbuf = 6291456},
		},
};

static void test_parse_diag(void **state)
{
	char *mem = malloc(8192 + 1);
	struct nt_sockets s = {};
	const struct nt_sock *k;
	bool done;
	int n;
	char buf[64];

	(void)state;
	assert_non_null(mem);
	/* UDP: one socket with drops; the one without is skipped; at an odd address */
	n = nt_fx_sock_diag(&fx_socks, IPPROTO_UDP, mem + 1, 8192);
	assert_true(n > 0);
	assert_int_equal(nt_sockets_parse_diag(mem + 1, (size_t)n, IPPROTO_UDP, &s, &done), 0);
	assert_true(done);
	n = nt_fx_sock_diag(&fx_socks, IPPROTO_TCP, mem, 8192);
	assert_int_equal(nt_sockets_parse_diag(mem, (size_t)n, IPPROTO_TCP, &s, &done), 0);
	assert_true(done);
	/* /proc sees the UDP socket as well: one entry, the sock_diag fields kept */
	assert_int_equal(nt_sockets_parse_proc_udp(udp4, strlen(udp4), AF_INET, &s), 0);
	nt_sockets_finish(&s);
	assert_int_equal(s.n, 4); /* 558082 (both), 4242 (/proc), 900, 901 */
	k = nt_sockets_find(&s, IPPROTO_UDP, 558082);
	assert_non_null(k);
	assert_true(k->have_diag);
	assert_int_equal(k->rcvbuf, 4608);
	assert_int_equal(k->drops, 3000); /* the larger count: read later */
	assert_int_equal(k->port, 9999);
	k = nt_sockets_find(&s, IPPROTO_TCP, 900);
	assert_non_null(k);
	assert_int_equal(k->state, NT_SOCK_LISTEN);
	assert_int_equal(k->rqueue, 3);
	assert_int_equal(k->wqueue, 2);
	assert_string_equal(nt_sock_proto_name(k), "tcp");
	k = nt_sockets_find(&s, IPPROTO_TCP, 901);
	assert_non_null(k);
	nt_sock_format_local(k, buf, sizeof(buf));
	assert_string_equal(buf, "[fe80::1]:22");
	nt_sockets_done(&s);
	free(mem);
}

static void test_parse_diag_bad(void **state)
{
	char mem[4096];
	struct nt_sockets s = {};
	struct nlmsghdr h;
	struct nlmsgerr e = {.error = -ENOENT};
	bool done;
	int n;

	(void)state;
	n = nt_fx_sock_diag(&fx_socks, IPPROTO_TCP, mem, sizeof(mem));
	/* cut short: the length says more than there is */
	assert_int_equal(nt_sockets_parse_diag(mem, 20, IPPROTO_TCP, &s, &done), -EBADMSG);
	assert_int_equal(nt_sockets_parse_diag(mem, (size_t)n - 3, IPPROTO_TCP, &s, &done),
			 -EBADMSG);
	/* a reply too short for inet_diag_msg */
	h = (struct nlmsghdr){.nlmsg_len = NLMSG_LENGTH(8), .nlmsg_type = SOCK_DIAG_BY_FAMILY};
	memset(mem, 0, sizeof(mem));
	memcpy(mem, &h, sizeof(h));
	assert_int_equal(nt_sockets_parse_diag(mem, h.nlmsg_len, IPPROTO_TCP, &s, &done), -EBADMSG);
	/* the kernel's error: no UDP diag module, say */
	h = (struct nlmsghdr){.nlmsg_len = NLMSG_LENGTH(sizeof(e)), .nlmsg_type = NLMSG_ERROR};
	memcpy(mem, &h, sizeof(h));
	memcpy(mem + NLMSG_HDRLEN, &e, sizeof(e));
	assert_int_equal(nt_sockets_parse_diag(mem, h.nlmsg_len, IPPROTO_UDP, &s, &done), -ENOENT);
	assert_false(done);
	/* what was read before the error stays; nothing at all adds nothing */
	nt_sockets_done(&s);
	assert_int_equal(nt_sockets_parse_diag(mem, 0, IPPROTO_UDP, &s, &done), 0);
	assert_int_equal(s.n, 0);
	nt_sockets_done(&s);
}

static void test_owners(void **state)
{
	char *dir = nt_test_mkdtemp();
	struct nt_root *root = NULL;
	struct nt_sockets s = {};
	const struct nt_sock *k;
	char *link;
	int missed;

	(void)state;
	nt_test_write(dir, "proc/4242/comm", "udp-sink\n");
	nt_test_write(dir, "proc/4242/fd/0", "");
	nt_test_write(dir, "proc/17/comm", "other\n");
	nt_test_write(dir, "proc/17/fd/0", "");
	nt_test_write(dir, "proc/self", "");
	assert_true(asprintf(&link, "%s/proc/4242/fd/5", dir) > 0);
	assert_int_equal(symlink("socket:[558082]", link), 0);
	free(link);
	assert_true(asprintf(&link, "%s/proc/17/fd/3", dir) > 0);
	assert_int_equal(symlink("pipe:[558082]", link), 0);
	free(link);
	assert_int_equal(nt_root_open(dir, &root), 0);
	assert_int_equal(nt_sockets_parse_proc_udp(udp4, strlen(udp4), AF_INET, &s), 0);
	nt_sockets_finish(&s);
	assert_int_equal(nt_sockets_read_owners(root, &s, &missed), 0);
	assert_int_equal(missed, 0);
	k = nt_sockets_find(&s, IPPROTO_UDP, 558082);
	assert_int_equal(k->pid, 4242);
	assert_string_equal(k->comm, "udp-sink");
	/* nobody holds 4242: no owner, and no process was hidden from us */
	k = nt_sockets_find(&s, IPPROTO_UDP, 4242);
	assert_int_equal(k->pid, -1);
	assert_string_equal(k->comm, "");
	nt_sockets_done(&s);
	/* no socket: nothing to look for */
	assert_int_equal(nt_sockets_read_owners(root, &s, &missed), 0);
	assert_int_equal(missed, 0);
	nt_root_free(root);
	nt_test_rmtree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_proc_udp), cmocka_unit_test(test_parse_proc_udp_bad),
		cmocka_unit_test(test_parse_diag),     cmocka_unit_test(test_parse_diag_bad),
		cmocka_unit_test(test_owners),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
