// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Who set a socket's limit (lib/diagnose/sockets.c): a receive buffer from its size and the
 * sysctls (UDP and TCP), a listen backlog from somaxconn; what cannot be told is unknown.
 */
#include <netinet/in.h>
#include <string.h>

#include "nt-test.h"
#include "sockets.h"

static const struct nt_snap_sysctl sc = {
	.rmem_default = 212992,
	.rmem_max = 212992,
	.tcp_rmem = {4096, 131072, 6291456},
	.somaxconn = 4096,
};

static void test_rcvbuf_origin(void **state)
{
	static const struct {
		uint8_t proto;
		uint32_t rcvbuf;
		enum nt_limit_origin want;
	} cases[] = {
		/* UDP: rmem_default is the default, 2 x rmem_max a capped request */
		{IPPROTO_UDP, 212992, NT_LIMIT_DEFAULT},
		{IPPROTO_UDP, 425984, NT_LIMIT_CAPPED},
		/* setsockopt(SO_RCVBUF, 2304), below the default; 150000, above it */
		{IPPROTO_UDP, 4608, NT_LIMIT_APP},
		{IPPROTO_UDP, 300000, NT_LIMIT_APP},
		/* TCP: the autotuning range is the default, from tcp_rmem's default to its max */
		{IPPROTO_TCP, 131072, NT_LIMIT_DEFAULT},
		{IPPROTO_TCP, 1048576, NT_LIMIT_DEFAULT},
		{IPPROTO_TCP, 6291456, NT_LIMIT_DEFAULT},
		{IPPROTO_TCP, 425984, NT_LIMIT_CAPPED},
		/* locked by SO_RCVBUF outside the range */
		{IPPROTO_TCP, 8192, NT_LIMIT_APP},
		{IPPROTO_TCP, 8388608, NT_LIMIT_APP},
	};
	struct nt_snap_sysctl x = sc;
	struct nt_sock k = {.have_diag = true};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		k.proto = cases[i].proto;
		k.rcvbuf = cases[i].rcvbuf;
		if (nt_rcvbuf_origin(&k, &sc) != cases[i].want)
			fail_msg("case %zu: %s rcvbuf %u: %s, want %s", i,
				 k.proto == IPPROTO_UDP ? "udp" : "tcp", k.rcvbuf,
				 nt_limit_origin_to_string(nt_rcvbuf_origin(&k, &sc)),
				 nt_limit_origin_to_string(cases[i].want));
	}
	/* not seen through sock_diag: unknown, whatever the size */
	k = (struct nt_sock){.proto = IPPROTO_UDP, .rcvbuf = 4608};
	assert_int_equal(nt_rcvbuf_origin(&k, &sc), NT_LIMIT_UNKNOWN);
	/* rmem_default equal to twice rmem_max: default or capped, cannot tell */
	k.have_diag = true;
	k.rcvbuf = 425984;
	x.rmem_default = 425984;
	assert_int_equal(nt_rcvbuf_origin(&k, &x), NT_LIMIT_UNKNOWN);
	/* unreadable sysctls: only what is known */
	x = sc;
	x.rmem_default = -1;
	assert_int_equal(nt_rcvbuf_origin(&k, &x), NT_LIMIT_CAPPED);
	k.rcvbuf = 4608;
	assert_int_equal(nt_rcvbuf_origin(&k, &x), NT_LIMIT_UNKNOWN);
	x = sc;
	x.tcp_rmem[2] = -1;
	k.proto = IPPROTO_TCP;
	assert_int_equal(nt_rcvbuf_origin(&k, &x), NT_LIMIT_UNKNOWN);
}

static void test_backlog_origin(void **state)
{
	struct nt_sock k = {.proto = IPPROTO_TCP, .state = NT_SOCK_LISTEN, .have_diag = true};

	(void)state;
	k.wqueue = 4096; /* listen(fd, 65535) with somaxconn 4096 */
	assert_int_equal(nt_backlog_origin(&k, 4096), NT_LIMIT_CAPPED);
	k.wqueue = 8192; /* somaxconn lowered after listen() */
	assert_int_equal(nt_backlog_origin(&k, 4096), NT_LIMIT_CAPPED);
	k.wqueue = 2; /* listen(fd, 2) */
	assert_int_equal(nt_backlog_origin(&k, 4096), NT_LIMIT_APP);
	assert_int_equal(nt_backlog_origin(&k, -1), NT_LIMIT_UNKNOWN);
	k.state = 1; /* not a listener */
	assert_int_equal(nt_backlog_origin(&k, 4096), NT_LIMIT_UNKNOWN);
	k.state = NT_SOCK_LISTEN;
	k.have_diag = false;
	assert_int_equal(nt_backlog_origin(&k, 4096), NT_LIMIT_UNKNOWN);
}

static void test_origin_names(void **state)
{
	(void)state;
	assert_string_equal(nt_limit_origin_to_string(NT_LIMIT_APP), "app");
	assert_string_equal(nt_limit_origin_to_string(NT_LIMIT_CAPPED), "capped");
	assert_string_equal(nt_limit_origin_to_string(NT_LIMIT_DEFAULT), "default");
	assert_string_equal(nt_limit_origin_to_string(NT_LIMIT_UNKNOWN), "unknown");
	assert_int_equal(nt_limit_origin_from_string("app"), NT_LIMIT_APP);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rcvbuf_origin),
		cmocka_unit_test(test_backlog_origin),
		cmocka_unit_test(test_origin_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
