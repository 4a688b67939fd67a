// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The RSS family (knob-rss.c): the text forms of the table, key and hash fields, and
 * the kernel side against the fake netlink transport and an ioctl seam that keeps a
 * device's RSS state as a driver would (napiref: 128 entries, a 40-byte key).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/ethtool.h>
#include <netlink/genl/genl.h>

#include "fake-nl.h"
#include "knob-fam.h"
#include "knob-rss.h"
#include "nl.h"
#include "nt-test.h"

#define ETHTOOL_ID 21
#define INDIR	   128
#define KEYLEN	   40

/* The device behind the ioctl seam. */
static struct {
	uint32_t indir[INDIR];
	uint8_t key[KEYLEN];
	uint32_t fields[8]; /* by flow type */
	int fail;	    /* next set fails with this -errno */
	unsigned int rings; /* ETHTOOL_GRXRINGS */
	unsigned int n_srssh, n_srxfh, n_reset, n_grssh;
	bool no_rss; /* a driver without get_rxfh: ETHTOOL_GRSSH answers EOPNOTSUPP */
} dev;

static int fake_ioctl(const char *ifname, void *data)
{
	uint32_t cmd = *(uint32_t *)data;

	assert_string_equal(ifname, "eth0");
	switch (cmd) {
	case ETHTOOL_SRSSH: {
		struct ethtool_rxfh *rxfh = data;

		dev.n_srssh++;
		if (dev.fail)
			return dev.fail;
		assert_int_equal(rxfh->rss_context, 0);
		assert_int_equal(rxfh->hfunc, 0);
		dev.n_reset += rxfh->indir_size == 0;
		if (rxfh->indir_size == 0)
			for (unsigned int i = 0; i < INDIR; i++)
				dev.indir[i] = i % dev.rings;
		else if (rxfh->indir_size != ETH_RXFH_INDIR_NO_CHANGE) {
			assert_int_equal(rxfh->indir_size, INDIR);
			memcpy(dev.indir, rxfh->rss_config, sizeof(dev.indir));
		}
		if (rxfh->key_size) {
			uint32_t n =
				rxfh->indir_size == ETH_RXFH_INDIR_NO_CHANGE ? 0 : rxfh->indir_size;

			assert_int_equal(rxfh->key_size, KEYLEN);
			memcpy(dev.key, (uint8_t *)(rxfh->rss_config + n), KEYLEN);
		}
		return 0;
	}
	case ETHTOOL_GRSSH: {
		/* As ethtool_get_rxfh(): sizes first; a size other than the device's: EINVAL. */
		struct ethtool_rxfh *rxfh = data;
		uint32_t want_indir = rxfh->indir_size, want_key = rxfh->key_size;

		dev.n_grssh++;
		if (dev.no_rss)
			return -EOPNOTSUPP;
		rxfh->indir_size = INDIR;
		rxfh->key_size = KEYLEN;
		if ((want_indir && want_indir != INDIR) || (want_key && want_key != KEYLEN))
			return -EINVAL;
		rxfh->hfunc = 1; /* ETH_RSS_HASH_TOP */
		if (want_indir)
			memcpy(rxfh->rss_config, dev.indir, sizeof(dev.indir));
		if (want_key)
			memcpy((uint8_t *)(rxfh->rss_config + want_indir), dev.key, KEYLEN);
		return 0;
	}
	case ETHTOOL_GRXRINGS:
		((struct ethtool_rxnfc *)data)->data = dev.rings;
		return 0;
	case ETHTOOL_GRXFH:
	case ETHTOOL_SRXFH: {
		struct ethtool_rxnfc *nfc = data;

		if (cmd == ETHTOOL_GRXFH && nfc->flow_type == UDP_V6_FLOW) {
			nfc->data = 0; /* as virtio-net without RSS answers */
			return 0;
		}
		if (nfc->flow_type >= 8 || !dev.fields[nfc->flow_type])
			return -EINVAL;
		if (cmd == ETHTOOL_GRXFH) {
			nfc->data = dev.fields[nfc->flow_type];
			return 0;
		}
		dev.n_srxfh++;
		if (dev.fail)
			return dev.fail;
		dev.fields[nfc->flow_type] = (uint32_t)nfc->data;
		return 0;
	}
	default:
		fail_msg("unexpected ethtool ioctl %#x", cmd);
		return -EINVAL;
	}
}

struct env {
	struct fake_nl f;
	struct nt_ctx ctx;
};

static int setup(void **state)
{
	struct env *e = calloc(1, sizeof(*e));

	fake_nl_init(&e->f);
	fake_nl_family(&e->f, "ethtool", ETHTOOL_ID);
	e->ctx.nl = fake_nl_open(&e->f);
	e->ctx.kver = NT_KVER(6, 12);
	e->ctx.ethtool_ioctl = fake_ioctl;
	memset(&dev, 0, sizeof(dev));
	dev.rings = 4;
	for (unsigned int i = 0; i < INDIR; i++)
		dev.indir[i] = i % 4;
	for (unsigned int i = 0; i < KEYLEN; i++)
		dev.key[i] = (uint8_t)(0xa0 + i);
	dev.fields[TCP_V4_FLOW] = RXH_IP_SRC | RXH_IP_DST | RXH_L4_B_0_1 | RXH_L4_B_2_3;
	dev.fields[UDP_V4_FLOW] = RXH_IP_SRC | RXH_IP_DST;
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

/* Batch @b answers RSS_GET with the seam device's table and key. */
static void reply_rss(struct env *e, unsigned int b)
{
	struct nl_msg *m = fake_nl_reply(&e->f, b, ETHTOOL_ID, NT_ETHTOOL_MSG_RSS_GET);

	nla_put_u32(m, NT_ETHTOOL_A_RSS_HFUNC, 1);
	nla_put(m, NT_ETHTOOL_A_RSS_INDIR, sizeof(dev.indir), dev.indir);
	nla_put(m, NT_ETHTOOL_A_RSS_HKEY, sizeof(dev.key), dev.key);
}

static char *parse_ok(const char *key, const char *text)
{
	struct nt_err e = {};
	char *out = NULL;

	if (nt_knob_parse(nt_knob_lookup(key), text, &out, &e) < 0)
		fail_msg("%s '%s': %s", key, text, e.msg);
	return out;
}

static void parse_bad(const char *key, const char *text, const char *msg)
{
	struct nt_err e = {};
	char *out = NULL;

	assert_true(nt_knob_parse(nt_knob_lookup(key), text, &out, &e) < 0);
	assert_null(out);
	if (!strstr(e.msg, msg))
		fail_msg("%s '%s': want '%s', got '%s'", key, text, msg, e.msg);
}

static void test_indir_parse(void **state)
{
	static const struct {
		const char *in, *out;
	} ok[] = {
		{"equal 4", "equal 4"},
		{"  equal   2 ", "equal 2"},
		{"weights 1 0 0 0", "weights 1 0 0 0"},
		{"weights 1, 2,3", "weights 1 2 3"},
		{"0 1  2 3", "0 1 2 3"},
	};
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(ok); i++) {
		char *v = parse_ok("rss.indir", ok[i].in);

		assert_string_equal(v, ok[i].out);
		free(v);
	}
	parse_bad("rss.indir", "equal 0", "'equal' takes one queue count");
	parse_bad("rss.indir", "equal 2 3", "'equal' takes one queue count");
	parse_bad("rss.indir", "weights 0 0", "at least one weight above 0");
	parse_bad("rss.indir", "weights", "is not an RSS table");
	parse_bad("rss.indir", "spread 4", "is not an RSS table");
	parse_bad("rss.indir", "1 -2", "is not an RSS table");
	parse_bad("rss.indir", "4294967296", "is not an RSS table");
}

static void expect_table(const char *text, unsigned int size, const char *want)
{
	uint32_t t[64];
	char got[256] = "";

	assert_true(size <= ARRAY_SIZE(t));
	if (nt_rss_indir_expand(text, size, t) < 0)
		fail_msg("'%s' does not expand to %u entries", text, size);
	for (unsigned int i = 0; i < size; i++)
		snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%u", i ? " " : "", t[i]);
	assert_string_equal(got, want);
}

static void test_indir_expand(void **state)
{
	uint32_t t[8];

	(void)state;
	expect_table("equal 4", 8, "0 1 2 3 0 1 2 3");
	expect_table("equal 3", 8, "0 1 2 0 1 2 0 1");
	/* ethtool -X weight fills in order: the same weights, the same table. */
	expect_table("weights 1 0 0 0", 8, "0 0 0 0 0 0 0 0");
	expect_table("weights 0 1", 4, "1 1 1 1");
	expect_table("weights 1 2", 6, "0 0 1 1 1 1");
	expect_table("weights 1 1 1", 8, "0 0 1 1 1 2 2 2");
	expect_table("weights 3 1", 8, "0 0 0 0 0 0 1 1");
	expect_table("3 2 1 0", 4, "3 2 1 0");
	/* A table must have the device's size. */
	assert_int_equal(nt_rss_indir_expand("0 1 2", 4, t), -EINVAL);
	assert_int_equal(nt_rss_indir_expand("equal 2", 0, t), -EINVAL);

	assert_int_equal(nt_rss_indir_size("equal 4"), 0);
	assert_int_equal(nt_rss_indir_size("0 1 0 1"), 4);
	assert_true(nt_rss_indir_size("bogus") < 0);
	assert_int_equal(nt_rss_indir_queues("equal 4"), 4);
	assert_int_equal(nt_rss_indir_queues("weights 1 0 2 0"), 3);
	assert_int_equal(nt_rss_indir_queues("0 5 1"), 6);

	/* "queues": the listed queues in turn (what { cpus: ... } resolves to). */
	expect_table("queues 1 3", 8, "1 3 1 3 1 3 1 3");
	expect_table("queues 2", 4, "2 2 2 2");
	assert_int_equal(nt_rss_indir_size("queues 0 2"), 0);
	assert_int_equal(nt_rss_indir_queues("queues 0 2"), 3);
}

static void test_indir_queues(void **state)
{
	struct nt_err e = {};
	char *v = NULL;

	(void)state;
	assert_int_equal(nt_rss_indir_parse(" queues  0, 2 ", &v, &e), 0);
	assert_string_equal(v, "queues 0 2");
	free(v);
	v = NULL;
	assert_int_equal(nt_rss_indir_parse("queues 1 1", &v, &e), -EINVAL);
	assert_string_equal(e.msg, "'queues' names queue 1 twice");
	assert_null(v);
	assert_true(nt_knob_value_equal(nt_knob_lookup("rss.indir"), "queues 0 1", "0 1 0 1"));
	assert_false(nt_knob_value_equal(nt_knob_lookup("rss.indir"), "queues 1 0", "0 1 0 1"));
}

static void test_indir_equal_and_format(void **state)
{
	const struct nt_knob *k = nt_knob_lookup("rss.indir");
	char *s = NULL;

	(void)state;
	/* A spec is compared with a table of the table's own size. */
	assert_true(nt_knob_value_equal(k, "0 1 2 3 0 1 2 3", "equal 4"));
	assert_true(nt_knob_value_equal(k, "weights 1 1", "0 0 1 1"));
	assert_false(nt_knob_value_equal(k, "0 1 2 3 0 1 2 3", "equal 2"));
	assert_false(nt_knob_value_equal(k, "0 1", "0 1 0 1"));
	assert_false(nt_knob_value_equal(k, "equal 2", "weights 1 1"));
	assert_true(nt_knob_value_equal(k, "equal 2", "equal  2"));

	assert_int_equal(nt_knob_format(k, "0 1 2 3 0 0 0 0", &s), 0);
	assert_string_equal(s, "8 entries: q0 62.5%, q1 12.5%, q2 12.5%, q3 12.5%");
	free(s);
	{
		const uint32_t t[4] = {0, 0, 0, 1};

		/* napictl map lists every RX queue, those without entries too. */
		assert_int_equal(nt_rss_indir_summary(t, 4, 4, &s), 0);
		assert_string_equal(s, "4 entries: q0 75.0%, q1 25.0%, q2 0.0%, q3 0.0%");
		free(s);
		assert_int_equal(nt_rss_indir_summary(t, 0, 4, &s), -EINVAL);
	}
	assert_int_equal(nt_knob_format(k, "equal 4", &s), 0);
	assert_string_equal(s, "equal 4");
	free(s);
	assert_int_equal(nt_knob_format(k, "0 1 9999", &s), 0);
	assert_string_equal(s, "0 1 9999");
	free(s);
}

static void test_key_and_fields(void **state)
{
	const struct nt_knob *key = nt_knob_lookup("rss.hkey");
	const struct nt_knob *tcp4 = nt_knob_lookup("rss.hash.tcp4");
	char *v;

	(void)state;
	parse_bad("rss.hkey", "6d:5a:0", "is not a key");
	v = parse_ok("rss.hkey", "6D:5a:01");
	assert_string_equal(v, "6d:5a:01");
	free(v);
	v = parse_ok("rss.hkey", "6d5a01");
	assert_string_equal(v, "6d:5a:01");
	free(v);
	parse_bad("rss.hkey", "6d::5a", "is not a key");
	parse_bad("rss.hkey", "6g", "is not a key");
	parse_bad("rss.hkey", "", "is not a key");
	assert_true(nt_knob_value_equal(key, "6D:5A", "6d5a"));
	assert_false(nt_knob_value_equal(key, "6d:5a", "6d:5a:00"));

	v = parse_ok("rss.hash.tcp4", "ds");
	assert_string_equal(v, "sd");
	free(v);
	v = parse_ok("rss.hash.udp6", "nfds");
	assert_string_equal(v, "sdfn");
	free(v);
	parse_bad("rss.hash.tcp4", "sdd", "is not a set of hash fields");
	parse_bad("rss.hash.tcp4", "sx", "is not a set of hash fields");
	parse_bad("rss.hash.tcp4", "", "is not a set of hash fields");
	assert_true(nt_knob_value_equal(tcp4, "fnsd", "sdfn"));
	assert_false(nt_knob_value_equal(tcp4, "sd", "sdfn"));
}

static void test_read(void **state)
{
	struct env *e = *state;
	struct nt_err err = {};
	struct nlattr *tb[NT_ETHTOOL_A_RSS_MAX + 1];
	char *v = NULL;

	(void)state;
	dev.indir[5] = 0;
	reply_rss(e, 0);
	reply_rss(e, 1);
	assert_int_equal(nt_rss_ops.read(&e->ctx, nt_knob_lookup("rss.indir"), &eth0, &v, &err), 0);
	assert_int_equal(strncmp(v, "0 1 2 3 0 0 2 3 0 1", 19), 0);
	assert_int_equal(nt_rss_indir_size(v), INDIR);
	free(v);
	assert_int_equal(fake_nl_sent_cmd(&e->f, 0), NT_ETHTOOL_MSG_RSS_GET);
	assert_int_equal(fake_nl_sent_attrs(&e->f, 0, tb, NT_ETHTOOL_A_RSS_MAX), 0);
	assert_non_null(tb[NT_ETHTOOL_A_RSS_HEADER]);
	assert_int_equal(nt_rss_ops.read(&e->ctx, nt_knob_lookup("rss.hkey"), &eth0, &v, &err), 0);
	assert_int_equal(strlen(v), KEYLEN * 3 - 1);
	assert_int_equal(strncmp(v, "a0:a1:a2:", 9), 0);
	free(v);

	/* Hash fields through ETHTOOL_GRXFH; a flow type the driver does not hash: EINVAL. */
	assert_int_equal(nt_rss_ops.read(&e->ctx, nt_knob_lookup("rss.hash.tcp4"), &eth0, &v, &err),
			 0);
	assert_string_equal(v, "sdfn");
	free(v);
	assert_int_equal(
		nt_rss_ops.caps(&e->ctx, nt_knob_lookup("rss.hash.tcp6"), &eth0, NULL, &err),
		-EOPNOTSUPP);
	assert_string_equal(err.msg, "'eth0' reports no hash fields for tcp6");
	assert_int_equal(
		nt_rss_ops.caps(&e->ctx, nt_knob_lookup("rss.hash.udp6"), &eth0, NULL, &err),
		-EOPNOTSUPP);
	assert_string_equal(err.msg, "'eth0' reports no hash fields for udp6");

	/* No RSS in the driver: RSS_GET and then ETHTOOL_GRSSH answer EOPNOTSUPP. */
	dev.no_rss = true;
	fake_nl_error(&e->f, 2, -EOPNOTSUPP, NULL);
	assert_int_equal(nt_rss_ops.caps(&e->ctx, nt_knob_lookup("rss.indir"), &eth0, NULL, &err),
			 -EOPNOTSUPP);
	assert_string_equal(err.msg, "driver of 'eth0' has no RSS");
	assert_int_equal(dev.n_grssh, 1);
}

/*
 * 6.1: no RSS_GET (genetlink answers EOPNOTSUPP for the unknown command), so the table and
 * key are read through ETHTOOL_GRSSH, sizes first, as `ethtool -x` does there, and set
 * through ETHTOOL_SRSSH without trying RSS_SET. The same without ethtool netlink at all.
 */
static void test_read_ioctl(void **state)
{
	struct env *e = *state;
	const struct nt_write w[] = {{nt_knob_lookup("rss.indir"), "weights 1 0 0 0"}};
	struct nt_rss_info info = {};
	struct nt_err err = {};
	char *v = NULL;

	dev.indir[5] = 3;
	fake_nl_error(&e->f, 0, -EOPNOTSUPP, NULL);
	assert_int_equal(nt_rss_ops.read(&e->ctx, nt_knob_lookup("rss.indir"), &eth0, &v, &err), 0);
	assert_int_equal(strncmp(v, "0 1 2 3 0 3 2 3 0 1", 19), 0);
	assert_int_equal(nt_rss_indir_size(v), INDIR);
	free(v);
	assert_int_equal(dev.n_grssh, 2); /* the sizes, then the table and key */
	fake_nl_error(&e->f, 1, -EOPNOTSUPP, NULL);
	assert_int_equal(nt_rss_ops.read(&e->ctx, nt_knob_lookup("rss.hkey"), &eth0, &v, &err), 0);
	assert_int_equal(strncmp(v, "a0:a1:a2:", 9), 0);
	assert_int_equal(strlen(v), KEYLEN * 3 - 1);
	free(v);
	fake_nl_error(&e->f, 2, -EOPNOTSUPP, NULL);
	assert_int_equal(nt_rss_info_read(&e->ctx, &eth0, &info, &err), 0);
	assert_int_equal(info.n_indir, INDIR);
	assert_int_equal(info.key_len, KEYLEN);
	assert_string_equal(nt_rss_hfunc_name(info.hfunc), "toeplitz");
	assert_int_equal(info.indir[5], 3);
	nt_rss_info_done(&info);
	assert_null(info.indir);

	/* Set: straight to ETHTOOL_SRSSH, no RSS_SET sent. */
	fake_nl_error(&e->f, 3, -EOPNOTSUPP, NULL);
	assert_int_equal(nt_rss_ops.apply(&e->ctx, &eth0, w, 1, &err), 0);
	assert_int_equal(e->f.n_sent, 4);
	assert_int_equal(dev.n_srssh, 1);
	for (unsigned int i = 0; i < INDIR; i++)
		assert_int_equal(dev.indir[i], 0);

	/* No ethtool netlink family: the ioctls alone. */
	nt_nl_free(e->ctx.nl);
	e->ctx.nl = NULL;
	assert_int_equal(nt_rss_ops.read(&e->ctx, nt_knob_lookup("rss.indir"), &eth0, &v, &err), 0);
	assert_int_equal(strncmp(v, "0 0 0 0", 7), 0);
	free(v);
	e->ctx.ethtool_ioctl = NULL; /* and not live: a fixture tree */
	assert_int_equal(nt_rss_ops.caps(&e->ctx, nt_knob_lookup("rss.indir"), &eth0, NULL, &err),
			 -EOPNOTSUPP);
	assert_string_equal(err.msg, "RSS is only readable on the live system");
	assert_int_equal(nt_rss_info_read(&e->ctx, &eth0, &info, &err), -EOPNOTSUPP);
	assert_null(info.indir);
}

/* Kernel with RSS_SET: the table and key in one netlink message, no ioctl. */
static void test_apply_netlink(void **state)
{
	struct env *e = *state;
	struct nlattr *tb[NT_ETHTOOL_A_RSS_MAX + 1];
	const struct nt_write w[] = {
		{nt_knob_lookup("rss.indir"), "weights 1 0 0 0"},
		{nt_knob_lookup("rss.hkey"), NULL},
	};
	struct nt_write ww[2];
	struct nt_err err = {};
	_cleanup_free_ char *key = NULL;
	uint8_t k[KEYLEN];
	const uint32_t *sent;

	(void)state;
	memset(k, 0x11, sizeof(k));
	assert_int_equal(nt_rss_key_format(k, sizeof(k), &key), 0);
	memcpy(ww, w, sizeof(w));
	ww[1].value = key;
	reply_rss(e, 0);
	fake_nl_error(&e->f, 1, 0, NULL);
	assert_int_equal(nt_rss_ops.apply(&e->ctx, &eth0, ww, 2, &err), 0);
	assert_int_equal(e->f.n_sent, 2);
	assert_int_equal(fake_nl_sent_cmd(&e->f, 1), NT_ETHTOOL_MSG_RSS_SET);
	assert_int_equal(fake_nl_sent_attrs(&e->f, 1, tb, NT_ETHTOOL_A_RSS_MAX), 0);
	assert_non_null(tb[NT_ETHTOOL_A_RSS_INDIR]);
	assert_int_equal(nla_len(tb[NT_ETHTOOL_A_RSS_INDIR]), INDIR * 4);
	sent = nla_data(tb[NT_ETHTOOL_A_RSS_INDIR]);
	for (unsigned int i = 0; i < INDIR; i++)
		assert_int_equal(sent[i], 0);
	assert_int_equal(nla_len(tb[NT_ETHTOOL_A_RSS_HKEY]), KEYLEN);
	assert_memory_equal(nla_data(tb[NT_ETHTOOL_A_RSS_HKEY]), k, KEYLEN);
	assert_int_equal(dev.n_srssh, 0);
}

/* 6.12: no RSS_SET (genetlink answers EOPNOTSUPP), so ETHTOOL_SRSSH, as ethtool does. */
static void test_apply_ioctl(void **state)
{
	struct env *e = *state;
	const struct nt_write w[] = {
		{nt_knob_lookup("rss.indir"), "equal 2"},
		{nt_knob_lookup("rss.hash.udp4"), "sdfn"},
	};
	struct nt_err err = {};

	(void)state;
	reply_rss(e, 0);
	fake_nl_error(&e->f, 1, -EOPNOTSUPP, NULL);
	assert_int_equal(nt_rss_ops.apply(&e->ctx, &eth0, w, 2, &err), 0);
	assert_int_equal(dev.n_srssh, 1);
	for (unsigned int i = 0; i < INDIR; i++)
		assert_int_equal(dev.indir[i], i % 2);
	assert_int_equal(dev.key[0], 0xa0); /* the key was not part of it */
	assert_int_equal(dev.n_srxfh, 1);
	assert_int_equal(dev.fields[UDP_V4_FLOW],
			 RXH_IP_SRC | RXH_IP_DST | RXH_L4_B_0_1 | RXH_L4_B_2_3);

	/* The device refuses: its errno, the request named. */
	reply_rss(e, 2);
	fake_nl_error(&e->f, 3, -EOPNOTSUPP, NULL);
	dev.fail = -EBUSY;
	assert_int_equal(nt_rss_ops.apply(&e->ctx, &eth0, w, 1, &err), -EBUSY);
	assert_string_equal(err.msg, "setting rss.indir on 'eth0' (ETHTOOL_SRSSH): "
				     "Device or resource busy");
	assert_int_equal(dev.indir[1], 1);
}

/*
 * Revert writes back the table read before. The kernel's default table (i % rings) is
 * restored as a reset, so that it is not "user-set" afterwards; any other table as it is.
 */
static void test_restore_default(void **state)
{
	struct env *e = *state;
	_cleanup_free_ char *def = NULL, *other = NULL;
	struct nlattr *tb[NT_ETHTOOL_A_RSS_MAX + 1];
	struct nt_err err = {};
	size_t len = 0;

	(void)state;
	def = malloc(INDIR * 4);
	other = malloc(INDIR * 4);
	for (unsigned int i = 0; i < INDIR; i++)
		len += (size_t)sprintf(def + len, "%s%u", i ? " " : "", i % 4);
	strcpy(other, def);
	other[0] = '1'; /* entry 0 -> queue 1 */
	for (unsigned int i = 0; i < INDIR; i++)
		dev.indir[i] = 0;
	{
		const struct nt_write w[] = {{nt_knob_lookup("rss.indir"), def}};

		reply_rss(e, 0);
		fake_nl_error(&e->f, 1, -EOPNOTSUPP, NULL);
		assert_int_equal(nt_rss_ops.apply(&e->ctx, &eth0, w, 1, &err), 0);
		assert_int_equal(dev.n_reset, 1);
		assert_int_equal(dev.indir[5], 1);
		/* Over netlink: an empty INDIR attribute. */
		reply_rss(e, 2);
		fake_nl_error(&e->f, 3, 0, NULL);
		assert_int_equal(nt_rss_ops.apply(&e->ctx, &eth0, w, 1, &err), 0);
		assert_int_equal(fake_nl_sent_attrs(&e->f, 3, tb, NT_ETHTOOL_A_RSS_MAX), 0);
		assert_non_null(tb[NT_ETHTOOL_A_RSS_INDIR]);
		assert_int_equal(nla_len(tb[NT_ETHTOOL_A_RSS_INDIR]), 0);
	}
	{
		const struct nt_write w[] = {{nt_knob_lookup("rss.indir"), other}};
		const struct nt_write eq[] = {{nt_knob_lookup("rss.indir"), "equal 4"}};

		reply_rss(e, 4);
		fake_nl_error(&e->f, 5, -EOPNOTSUPP, NULL);
		assert_int_equal(nt_rss_ops.apply(&e->ctx, &eth0, w, 1, &err), 0);
		assert_int_equal(dev.n_reset, 1);
		assert_int_equal(dev.indir[0], 1);
		/* A profile's "equal 4" is the user's table, as ethtool -X equal 4 makes it. */
		reply_rss(e, 6);
		fake_nl_error(&e->f, 7, -EOPNOTSUPP, NULL);
		assert_int_equal(nt_rss_ops.apply(&e->ctx, &eth0, eq, 1, &err), 0);
		assert_int_equal(dev.n_reset, 1);
		assert_int_equal(dev.indir[0], 0);
	}
}

/* Errors found before anything is sent, and the kernel's extack over netlink. */
static void test_apply_errors(void **state)
{
	struct env *e = *state;
	const struct nt_write table[] = {{nt_knob_lookup("rss.indir"), "0 1 0 1"}};
	const struct nt_write key[] = {{nt_knob_lookup("rss.hkey"), "6d:5a"}};
	const struct nt_write ok[] = {{nt_knob_lookup("rss.indir"), "equal 4"}};
	struct nt_err err = {};

	(void)state;
	reply_rss(e, 0);
	assert_int_equal(nt_rss_ops.apply(&e->ctx, &eth0, table, 1, &err), -EINVAL);
	assert_string_equal(err.msg, "rss.indir '0 1 0 1' does not fit the 128 entries of 'eth0'");
	reply_rss(e, 1);
	assert_int_equal(nt_rss_ops.apply(&e->ctx, &eth0, key, 1, &err), -EINVAL);
	assert_string_equal(err.msg, "rss.hkey has 2 bytes, the key of 'eth0' has 40");
	assert_int_equal(e->f.n_sent, 2); /* two GETs, no SET */

	reply_rss(e, 2);
	fake_nl_error(&e->f, 3, -ENOSPC, "napiref: table full");
	assert_int_equal(nt_rss_ops.apply(&e->ctx, &eth0, ok, 1, &err), -ENOSPC);
	assert_string_equal(err.msg, "setting rss.indir on 'eth0' (netlink): No space left on "
				     "device: napiref: table full");
	assert_int_equal(dev.n_srssh, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_indir_parse),
		cmocka_unit_test(test_indir_expand),
		cmocka_unit_test(test_indir_queues),
		cmocka_unit_test(test_indir_equal_and_format),
		cmocka_unit_test(test_key_and_fields),
		cmocka_unit_test_setup_teardown(test_read, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_ioctl, setup, teardown),
		cmocka_unit_test_setup_teardown(test_apply_netlink, setup, teardown),
		cmocka_unit_test_setup_teardown(test_apply_ioctl, setup, teardown),
		cmocka_unit_test_setup_teardown(test_restore_default, setup, teardown),
		cmocka_unit_test_setup_teardown(test_apply_errors, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
