// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>

#include "stats-snmp.h"
#include "read-fixture.h"

static void test_fixture(void **state)
{
	char *dir = nt_test_data("");
	struct nt_root *root = NULL;
	struct nt_snmp s = {};
	_cleanup_free_ char *a = read_fixture("proc/misc/snmp-6.18");
	_cleanup_free_ char *b = read_fixture("proc/misc/netstat-6.18");
	uint64_t v;

	(void)state;
	assert_int_equal(nt_snmp_parse(a, &s), 0);
	assert_int_equal(nt_snmp_parse(b, &s), 0);
	nt_snmp_finish(&s);
	assert_true(nt_snmp_get(&s, "Udp", "RcvbufErrors", &v));
	assert_true(nt_snmp_get(&s, "Udp", "MemErrors", &v));
	assert_true(nt_snmp_get(&s, "Tcp", "MaxConn", &v));
	assert_int_equal((int64_t)v, -1);
	assert_true(nt_snmp_get(&s, "TcpExt", "ListenOverflows", &v));
	assert_true(nt_snmp_get(&s, "TcpExt", "TCPBacklogDrop", &v));
	assert_true(nt_snmp_get(&s, "TcpExt", "BusyPollRxPackets", &v));
	assert_true(nt_snmp_get(&s, "IpExt", "InOctets", &v));
	assert_false(nt_snmp_get(&s, "Udp", "NoSuchCounter", &v));
	assert_false(nt_snmp_get(&s, "NoGroup", "RcvbufErrors", &v));
	nt_snmp_done(&s);
	nt_root_free(root);
	free(dir);
}

static void test_read_netns_dir(void **state)
{
	char *dir = nt_test_mkdtemp();
	struct nt_root *root = NULL;
	struct nt_snmp s;
	uint64_t v;

	(void)state;
	nt_test_write(dir, "proc/42/net/snmp", "Udp: InDatagrams RcvbufErrors\nUdp: 1000 17\n");
	assert_int_equal(nt_root_open(dir, &root), 0);
	assert_int_equal(nt_snmp_read(root, NULL, &s), -ENOENT);
	assert_int_equal(nt_snmp_read(root, "proc/42/net", &s), 0);
	assert_false(s.have_netstat);
	assert_true(nt_snmp_get(&s, "Udp", "RcvbufErrors", &v));
	assert_int_equal(v, 17);
	nt_snmp_done(&s);
	nt_root_free(root);
	nt_test_rmtree(dir);
}

static void test_bad(void **state)
{
	struct nt_snmp s = {};

	(void)state;
	assert_int_equal(nt_snmp_parse("Udp: A B\nTcp: 1 2\n", &s), -EBADMSG);
	nt_snmp_done(&s);
	assert_int_equal(nt_snmp_parse("Udp: A B\nUdp: 1\n", &s), -EBADMSG);
	nt_snmp_done(&s);
	assert_int_equal(nt_snmp_parse("Udp: A B\nUdp: 1 x\n", &s), -EBADMSG);
	nt_snmp_done(&s);
	assert_int_equal(nt_snmp_parse("Udp: A B\n", &s), -EBADMSG);
	nt_snmp_done(&s);
}

static void test_host(void **state)
{
	struct nt_root *root = NULL;
	struct nt_snmp s;
	uint64_t v;

	(void)state;
	assert_int_equal(nt_root_open("/", &root), 0);
	assert_int_equal(nt_snmp_read(root, NULL, &s), 0);
	assert_true(s.have_netstat);
	assert_true(nt_snmp_get(&s, "Udp", "InDatagrams", &v));
	nt_snmp_done(&s);
	nt_root_free(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixture),
		cmocka_unit_test(test_read_netns_dir),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_host),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
