// SPDX-License-Identifier: GPL-2.0-or-later
/* RX ring sizes for the diagnosis: RINGS_GET against the fake transport, and "ethtool -g" text. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/ethtool_netlink.h>
#include <netlink/genl/genl.h>

#include "fake-nl.h"
#include "nl.h"
#include "nt-test.h"
#include "stats-rings.h"

#define ETHTOOL_ID 21

struct env {
	struct fake_nl f;
	struct nt_nl *nl;
};

static int setup(void **state)
{
	struct env *e = calloc(1, sizeof(*e));

	fake_nl_init(&e->f);
	fake_nl_family(&e->f, "ethtool", ETHTOOL_ID);
	e->nl = fake_nl_open(&e->f);
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	struct env *e = *state;

	nt_nl_free(e->nl);
	fake_nl_done(&e->f);
	free(e);
	return 0;
}

static void test_rings_rx_read(void **state)
{
	struct env *e = *state;
	struct nt_rings_rx rx = {.cur = -7, .max = -7};
	struct nlattr *tb[ETHTOOL_A_RINGS_MAX + 1], *hdr[ETHTOOL_A_HEADER_MAX + 1];
	struct nl_msg *m;

	m = fake_nl_reply(&e->f, 0, ETHTOOL_ID, ETHTOOL_MSG_RINGS_GET);
	nla_put_u32(m, ETHTOOL_A_RINGS_RX_MAX, 4096);
	nla_put_u32(m, ETHTOOL_A_RINGS_TX_MAX, 2048);
	nla_put_u32(m, ETHTOOL_A_RINGS_RX, 256);
	nla_put_u32(m, ETHTOOL_A_RINGS_TX, 512);
	/* a driver that reports no maximum (0) */
	m = fake_nl_reply(&e->f, 1, ETHTOOL_ID, ETHTOOL_MSG_RINGS_GET);
	nla_put_u32(m, ETHTOOL_A_RINGS_RX_MAX, 0);
	nla_put_u32(m, ETHTOOL_A_RINGS_RX, 1024);
	/* TX only */
	m = fake_nl_reply(&e->f, 2, ETHTOOL_ID, ETHTOOL_MSG_RINGS_GET);
	nla_put_u32(m, ETHTOOL_A_RINGS_TX, 512);
	fake_nl_error(&e->f, 3, -EOPNOTSUPP, NULL);

	assert_int_equal(nt_rings_rx_read(e->nl, 7, "eth0", &rx), 0);
	assert_int_equal(rx.cur, 256);
	assert_int_equal(rx.max, 4096);
	assert_int_equal(fake_nl_sent_cmd(&e->f, 0), ETHTOOL_MSG_RINGS_GET);
	assert_int_equal(fake_nl_sent_attrs(&e->f, 0, tb, ETHTOOL_A_RINGS_MAX), 0);
	assert_non_null(tb[ETHTOOL_A_RINGS_HEADER]);
	assert_int_equal(
		nla_parse_nested(hdr, ETHTOOL_A_HEADER_MAX, tb[ETHTOOL_A_RINGS_HEADER], NULL), 0);
	assert_int_equal(nla_get_u32(hdr[ETHTOOL_A_HEADER_DEV_INDEX]), 7);

	assert_int_equal(nt_rings_rx_read(e->nl, 7, "eth0", &rx), 0);
	assert_int_equal(rx.cur, 1024);
	assert_int_equal(rx.max, -1);

	rx = (struct nt_rings_rx){.cur = -7, .max = -7};
	assert_int_equal(nt_rings_rx_read(e->nl, 7, "eth0", &rx), -EOPNOTSUPP);
	assert_int_equal(rx.cur, -7); /* untouched on failure */

	assert_int_equal(nt_rings_rx_read(e->nl, 7, "eth0", &rx), -EOPNOTSUPP);
	assert_int_equal(rx.max, -7);
	assert_int_equal(e->f.n_sent, 4);
}

static void test_rings_rx_parse_text(void **state)
{
	/* ethtool 6.1 output (tabs), and an older one with 0 for unsupported rings. */
	static const char ethtool61[] = "Ring parameters for eth0:\n"
					"Pre-set maximums:\n"
					"RX:\t\t\t4096\n"
					"RX Mini:\t\tn/a\n"
					"RX Jumbo:\t\tn/a\n"
					"TX:\t\t\t4096\n"
					"Current hardware settings:\n"
					"RX:\t\t\t256\n"
					"RX Mini:\t\tn/a\n"
					"RX Jumbo:\t\tn/a\n"
					"TX:\t\t\t256\n"
					"RX Buf Len:\t\tn/a\n"
					"TX Push:\t\toff\n";
	static const char old[] = "Ring parameters for virtio0:\nPre-set maximums:\nRX:\t\t256\n"
				  "RX Mini:\t0\nRX Jumbo:\t0\nTX:\t\t256\n"
				  "Current hardware settings:\nRX:\t\t256\nRX Mini:\t0\n";
	struct nt_rings_rx rx = {.cur = -7, .max = -7};

	(void)state;
	assert_int_equal(nt_rings_rx_parse_text(ethtool61, &rx), 0);
	assert_int_equal(rx.cur, 256);
	assert_int_equal(rx.max, 4096);
	assert_int_equal(nt_rings_rx_parse_text(old, &rx), 0);
	assert_int_equal(rx.cur, 256);
	assert_int_equal(rx.max, 256);
	/* n/a and 0 maximum: unknown */
	assert_int_equal(nt_rings_rx_parse_text("Pre-set maximums:\nRX:\t0\n"
						"Current hardware settings:\nRX:\tn/a\n",
						&rx),
			 0);
	assert_int_equal(rx.cur, -1);
	assert_int_equal(rx.max, -1);
	/* only the current section (e.g. a trimmed recording) */
	assert_int_equal(nt_rings_rx_parse_text("Current hardware settings:\nRX: 512\n", &rx), 0);
	assert_int_equal(rx.cur, 512);
	assert_int_equal(rx.max, -1);
	/* not ethtool -g text, garbage numbers, out of range: rejected, ret untouched */
	rx = (struct nt_rings_rx){.cur = -7, .max = -7};
	assert_int_equal(nt_rings_rx_parse_text("NIC statistics:\n     rx_packets: 1\n", &rx),
			 -EBADMSG);
	assert_int_equal(nt_rings_rx_parse_text("", &rx), -EBADMSG);
	assert_int_equal(nt_rings_rx_parse_text("RX:\t\t256\n", &rx), -EBADMSG);
	assert_int_equal(nt_rings_rx_parse_text("Pre-set maximums:\nRX:\t4096x\n", &rx), -EBADMSG);
	assert_int_equal(nt_rings_rx_parse_text("Pre-set maximums:\nRX:\t-1\n", &rx), -EBADMSG);
	assert_int_equal(nt_rings_rx_parse_text("Pre-set maximums:\nRX:\t4294967296\n", &rx),
			 -EBADMSG);
	assert_int_equal(rx.cur, -7);
	assert_int_equal(rx.max, -7);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_rings_rx_read, setup, teardown),
		cmocka_unit_test(test_rings_rx_parse_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
