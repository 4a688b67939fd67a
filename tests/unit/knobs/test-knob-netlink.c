// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The netlink knob families (rings, channels, coalesce, napi) against the fake
 * transport: what is read, what one SET message carries, and how the kernel's
 * error and extack reach the user.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/ethtool_netlink.h>
#include <netlink/genl/genl.h>

#include "fake-nl.h"
#include "knob-fam.h"
#include "nl-netdev.h"
#include "nl.h"
#include "nt-test.h"

#define ETHTOOL_ID 21
#define NETDEV_ID  20

struct env {
	struct fake_nl f;
	struct nt_ctx ctx;
};

static int setup(void **state)
{
	struct env *e = calloc(1, sizeof(*e));

	fake_nl_init(&e->f);
	fake_nl_family(&e->f, "ethtool", ETHTOOL_ID);
	fake_nl_family(&e->f, "netdev", NETDEV_ID);
	e->ctx.nl = fake_nl_open(&e->f);
	e->ctx.kver = NT_KVER(6, 18);
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	struct env *e = *state;

	nt_nl_free(e->ctx.nl);
	fake_nl_done(&e->f);
	free(e);
	return 0;
}

static const struct nt_target eth0 = {.ifname = "eth0", .ifindex = 7};

static void test_coalesce_read_caps(void **state)
{
	struct env *e = *state;
	struct nt_err err = {};
	struct nl_msg *m;
	char *v = NULL;

	for (unsigned int b = 0; b < 3; b++) {
		m = fake_nl_reply(&e->f, b, ETHTOOL_ID, ETHTOOL_MSG_COALESCE_GET);
		nla_put_u32(m, ETHTOOL_A_COALESCE_RX_USECS, 50);
		nla_put_u8(m, ETHTOOL_A_COALESCE_USE_ADAPTIVE_RX, 1);
	}
	assert_int_equal(
		nt_coalesce_ops.read(&e->ctx, nt_knob_lookup("coalesce.rx-usecs"), &eth0, &v, &err),
		0);
	assert_string_equal(v, "50");
	free(v);
	assert_int_equal(nt_coalesce_ops.caps(&e->ctx, nt_knob_lookup("coalesce.adaptive-rx"),
					      &eth0, NULL, &err),
			 0);
	/* Not in the GET reply: the driver does not support it; SET would get EINVAL. */
	assert_int_equal(nt_coalesce_ops.caps(&e->ctx, nt_knob_lookup("coalesce.tx-frames"), &eth0,
					      NULL, &err),
			 -EOPNOTSUPP);
	assert_string_equal(err.msg, "driver of 'eth0' does not support coalesce.tx-frames");
	/* The request named the device by ifindex inside a nested header. */
	{
		struct nlattr *tb[ETHTOOL_A_COALESCE_MAX + 1], *hdr[ETHTOOL_A_HEADER_MAX + 1];

		assert_int_equal(fake_nl_sent_cmd(&e->f, 0), ETHTOOL_MSG_COALESCE_GET);
		assert_int_equal(fake_nl_sent_attrs(&e->f, 0, tb, ETHTOOL_A_COALESCE_MAX), 0);
		assert_non_null(tb[ETHTOOL_A_COALESCE_HEADER]);
		assert_true(nla_type(tb[ETHTOOL_A_COALESCE_HEADER]) & NLA_F_NESTED ||
			    tb[ETHTOOL_A_COALESCE_HEADER]->nla_type & NLA_F_NESTED);
		assert_int_equal(nla_parse_nested(hdr, ETHTOOL_A_HEADER_MAX,
						  tb[ETHTOOL_A_COALESCE_HEADER], NULL),
				 0);
		assert_int_equal(nla_get_u32(hdr[ETHTOOL_A_HEADER_DEV_INDEX]), 7);
	}
}

static void test_coalesce_one_message(void **state)
{
	struct env *e = *state;
	const struct nt_write w[] = {
		{nt_knob_lookup("coalesce.rx-usecs"), "8"},
		{nt_knob_lookup("coalesce.adaptive-rx"), "0"},
		{nt_knob_lookup("coalesce.rx-frames"), "16"},
	};
	struct nlattr *tb[ETHTOOL_A_COALESCE_MAX + 1];
	struct nt_err err = {};

	fake_nl_error(&e->f, 0, 0, NULL);
	assert_int_equal(nt_coalesce_ops.apply(&e->ctx, &eth0, w, ARRAY_SIZE(w), &err), 0);
	assert_int_equal(e->f.n_sent, 1); /* one SET per family per device */
	assert_int_equal(fake_nl_sent_cmd(&e->f, 0), ETHTOOL_MSG_COALESCE_SET);
	assert_int_equal(fake_nl_sent_attrs(&e->f, 0, tb, ETHTOOL_A_COALESCE_MAX), 0);
	assert_int_equal(nla_get_u32(tb[ETHTOOL_A_COALESCE_RX_USECS]), 8);
	assert_int_equal(nla_get_u32(tb[ETHTOOL_A_COALESCE_RX_MAX_FRAMES]), 16);
	/* adaptive-rx is NLA_U8 on the wire */
	assert_int_equal(nla_len(tb[ETHTOOL_A_COALESCE_USE_ADAPTIVE_RX]), 1);
	assert_int_equal(nla_get_u8(tb[ETHTOOL_A_COALESCE_USE_ADAPTIVE_RX]), 0);
	assert_null(tb[ETHTOOL_A_COALESCE_TX_USECS]);
}

static void test_set_error_extack(void **state)
{
	struct env *e = *state;
	const struct nt_write w[] = {{nt_knob_lookup("rings.rx"), "8192"}};
	struct nt_err err = {};

	fake_nl_error(&e->f, 0, -EINVAL, "requested ring size exceeds maximum");
	assert_int_equal(nt_rings_ops.apply(&e->ctx, &eth0, w, 1, &err), -EINVAL);
	assert_string_equal(err.msg, "setting rings.rx on 'eth0': Invalid argument: requested "
				     "ring size exceeds maximum");
	assert_int_equal(fake_nl_sent_cmd(&e->f, 0), ETHTOOL_MSG_RINGS_SET);
}

static void test_channels_caps(void **state)
{
	struct env *e = *state;
	struct nt_err err = {};
	uint64_t max = 0;
	struct nl_msg *m;

	for (unsigned int b = 0; b < 2; b++) {
		m = fake_nl_reply(&e->f, b, ETHTOOL_ID, ETHTOOL_MSG_CHANNELS_GET);
		nla_put_u32(m, ETHTOOL_A_CHANNELS_RX_MAX, 0);
		nla_put_u32(m, ETHTOOL_A_CHANNELS_COMBINED_MAX, 8);
		nla_put_u32(m, ETHTOOL_A_CHANNELS_COMBINED_COUNT, 4);
	}
	assert_int_equal(nt_channels_ops.caps(&e->ctx, nt_knob_lookup("channels.combined"), &eth0,
					      &max, &err),
			 0);
	assert_int_equal(max, 8);
	assert_int_equal(
		nt_channels_ops.caps(&e->ctx, nt_knob_lookup("channels.rx"), &eth0, &max, &err),
		-EOPNOTSUPP);
	assert_string_equal(err.msg, "'eth0' has no rx channels");
}

static void test_driver_without_op(void **state)
{
	struct env *e = *state;
	struct nt_err err = {};
	char *v = NULL;

	fake_nl_error(&e->f, 0, -EOPNOTSUPP, NULL);
	assert_int_equal(nt_rings_ops.read(&e->ctx, nt_knob_lookup("rings.rx"), &eth0, &v, &err),
			 -EOPNOTSUPP);
	assert_null(v);
	assert_string_equal(err.msg, "driver of 'eth0' does not support this setting");
}

static void test_napi_set_and_read(void **state)
{
	struct env *e = *state;
	const struct nt_target napi = {.ifname = "eth0", .ifindex = 7, .index = 513};
	const struct nt_write w[] = {
		{nt_knob_lookup("napi.defer-hard-irqs"), "2"},
		{nt_knob_lookup("napi.gro-flush-timeout"), "200000"},
	};
	struct nlattr *tb[NT_NETDEV_A_NAPI_MAX + 1];
	struct nt_err err = {};
	struct nl_msg *m;
	char *v = NULL;

	fake_nl_error(&e->f, 0, 0, NULL);
	assert_int_equal(nt_napi_ops.apply(&e->ctx, &napi, w, 2, &err), 0);
	assert_int_equal(fake_nl_sent_cmd(&e->f, 0), NT_NETDEV_CMD_NAPI_SET);
	assert_int_equal(fake_nl_sent_attrs(&e->f, 0, tb, NT_NETDEV_A_NAPI_MAX), 0);
	assert_int_equal(nla_get_u32(tb[NT_NETDEV_A_NAPI_ID]), 513);
	assert_int_equal(nla_get_u32(tb[NT_NETDEV_A_NAPI_DEFER_HARD_IRQS]), 2);
	assert_int_equal(nla_len(tb[NT_NETDEV_A_NAPI_GRO_FLUSH_TIMEOUT]), 4);
	assert_int_equal(nla_get_u32(tb[NT_NETDEV_A_NAPI_GRO_FLUSH_TIMEOUT]), 200000);
	/* napi-get: the uint timeout may come as 8 bytes */
	m = fake_nl_reply(&e->f, 1, NETDEV_ID, NT_NETDEV_CMD_NAPI_GET);
	nla_put_u32(m, NT_NETDEV_A_NAPI_ID, 513);
	nla_put_u64(m, NT_NETDEV_A_NAPI_IRQ_SUSPEND_TIMEOUT, 5000000000ULL);
	assert_int_equal(nt_napi_ops.read(&e->ctx, nt_knob_lookup("napi.irq-suspend-timeout"),
					  &napi, &v, &err),
			 0);
	assert_string_equal(v, "5000000000");
	free(v);
}

static void test_napi_unsupported_kernel(void **state)
{
	struct env *e = *state;
	const struct nt_target napi = {.ifname = "eth0", .ifindex = 7, .index = 513};
	struct nt_err err = {};

	e->ctx.kver = NT_KVER(6, 12);
	assert_int_equal(nt_napi_ops.caps(&e->ctx, nt_knob_lookup("napi.defer-hard-irqs"), &napi,
					  NULL, &err),
			 -EOPNOTSUPP);
	assert_string_equal(err.msg, "per-NAPI napi.defer-hard-irqs needs kernel 6.13");
	e->ctx.kver = NT_KVER(6, 13);
	assert_int_equal(
		nt_napi_ops.caps(&e->ctx, nt_knob_lookup("napi.threaded"), &napi, NULL, &err),
		-EOPNOTSUPP);
	assert_string_equal(err.msg, "per-NAPI napi.threaded needs kernel 6.17");
	assert_int_equal(e->f.n_sent, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_coalesce_read_caps, setup, teardown),
		cmocka_unit_test_setup_teardown(test_coalesce_one_message, setup, teardown),
		cmocka_unit_test_setup_teardown(test_set_error_extack, setup, teardown),
		cmocka_unit_test_setup_teardown(test_channels_caps, setup, teardown),
		cmocka_unit_test_setup_teardown(test_driver_without_op, setup, teardown),
		cmocka_unit_test_setup_teardown(test_napi_set_and_read, setup, teardown),
		cmocka_unit_test_setup_teardown(test_napi_unsupported_kernel, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
