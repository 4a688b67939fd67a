// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Every kind of other writer at once, on the fixture tree tests/data/writers/root (one
 * file per kind, laid out as on a machine) with tests/data/writers/profiles/writers.yaml:
 * the records, the plan's warnings, their JSON (lib/tune/writers.c, session.c).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fs.h"
#include "json.h"
#include "nt-test.h"
#include "session.h"
#include "writers.h"

struct fx {
	struct nt_root *root;
	struct nt_session *s;
	struct nt_plan plan;
};

static void fx_open(struct fx *f)
{
	char *root = nt_test_data("writers/root"),
	     *prof = nt_test_data("writers/profiles/writers.yaml");
	struct nt_msgs msgs = {};

	assert_int_equal(nt_root_open(root, &f->root), 0);
	assert_int_equal(nt_session_open(f->root, NULL, &f->s, NULL), 0);
	assert_int_equal(nt_session_load(f->s, prof, &msgs, NULL), 0);
	nt_msgs_done(&msgs);
	assert_int_equal(nt_session_plan(f->s, &f->plan, NULL), 0);
	assert_int_equal(nt_session_writers(f->s, &f->plan, NULL), 0);
	free(root);
	free(prof);
}

static void fx_close(struct fx *f)
{
	nt_plan_done(&f->plan);
	nt_session_free(f->s);
	nt_root_free(f->root);
}

static const struct nt_change *change(const struct fx *f, const char *key, const char *object)
{
	for (size_t i = 0; i < f->plan.n; i++)
		if (streq(f->plan.c[i].key, key) && streq(f->plan.c[i].object, object))
			return &f->plan.c[i];
	fail_msg("no change %s of %s", key, object);
	return NULL;
}

/* The descriptions of @key on @object's writers that are not overridden, joined by '|'. */
static char *writers_of(const struct fx *f, const char *key, const char *object)
{
	const struct nt_writer *w[8];
	size_t n = nt_writers_of(&f->plan.writers, change(f, key, object), w, ARRAY_SIZE(w));
	char *out = strdup("");

	assert_true(n <= ARRAY_SIZE(w));
	for (size_t i = 0; i < n; i++) {
		char *d = nt_writer_describe(w[i]), *o;

		assert_true(asprintf(&o, "%s%s%s", out, i ? "|" : "", d) > 0);
		free(out);
		free(d);
		out = o;
	}
	return out;
}

static void test_every_kind(void **state)
{
	struct fx f = {};

	(void)state;
	fx_open(&f);
	for (int k = 0; k < _NT_WRITER_MAX; k++) {
		bool found = false;

		for (size_t i = 0; i < f.plan.writers.n && !found; i++)
			found = f.plan.writers.w[i].kind == (enum nt_writer_kind)k;
		if (!found)
			fail_msg("no writer of kind %s", nt_writer_kind_to_string(k));
	}
	assert_string_equal_free(writers_of(&f, "net.core.netdev_budget", "global"),
				 "sysctl.d /etc/sysctl.conf:3: net.core.netdev_budget = 800");
	assert_string_equal_free(
		writers_of(&f, "net.core.netdev_max_backlog", "global"),
		"sysctl.d /etc/sysctl.d/50-net.conf:1: net/core/netdev_max_backlog = 2000|"
		"tuned /usr/lib/tuned/net-base/tuned.conf:9: [sysctl] "
		"net.core.netdev_max_backlog=5000 (profile 'net-base')");
	assert_string_equal_free(
		writers_of(&f, "rings.rx", "eth0"),
		"tuned /etc/tuned/napi-test/tuned.conf:9: [net] ring=rx 2048 (profile 'napi-test')|"
		"udev-link /etc/systemd/network/10-eth0.link:6: RxBufferSize=1024 (for eth0 when "
		"udev adds it)|"
		"networkmanager /etc/NetworkManager/system-connections/wired.nmconnection:8: "
		"[ethtool] ring-rx=8192 (connection 'wired eth0')");
	assert_string_equal_free(
		writers_of(&f, "smp_affinity", "eth0 irq 50"),
		"tuned /usr/lib/tuned/net-base/tuned.conf:12: [scheduler] isolated_cores=2-3 "
		"(profile 'net-base')|"
		"irqbalance pid 777: IRQ 50 not banned by --banirq (running; options in "
		"/etc/default/irqbalance)");
	/* --banirq=51 */
	assert_string_equal_free(writers_of(&f, "smp_affinity", "eth0 irq 51"),
				 "tuned /usr/lib/tuned/net-base/tuned.conf:12: [scheduler] "
				 "isolated_cores=2-3 (profile 'net-base')");
	fx_close(&f);
}

static void test_warnings(void **state)
{
	struct fx f = {};
	bool seen = false;

	(void)state;
	fx_open(&f);
	assert_int_equal(f.plan.msgs.n_errors, 0);
	for (size_t i = 0; i < f.plan.msgs.n; i++) {
		assert_non_null(strstr(f.plan.msgs.msg[i], "it will undo or be undone"));
		seen |= streq(
			f.plan.msgs.msg[i],
			"warning: tuned /etc/tuned/napi-test/tuned.conf:6: [sysfs] "
			"/sys/class/net/eth0/queues/rx-*/rps_cpus=f (profile 'napi-test') also "
			"writes rps_cpus of eth0 rx-0, eth0 rx-1: it will undo or be undone");
	}
	assert_true(seen);
	fx_close(&f);
}

static void test_json(void **state)
{
	struct fx f = {};
	char *buf = NULL;
	size_t size = 0;
	FILE *mem = open_memstream(&buf, &size);
	struct nt_json j;

	(void)state;
	assert_non_null(mem);
	fx_open(&f);
	nt_json_init(&j, mem, false);
	nt_session_write_json(f.s, "plan", &f.plan, 0, &j);
	nt_json_finish(&j);
	fclose(mem);
	assert_non_null(strstr(buf,
			       "\"writers\":[{\"kind\":\"sysctl.d\",\"source\":\"/etc/sysctl.d/"
			       "10-low.conf\",\"line\":2,\"key\":\"net.core.netdev_budget\","
			       "\"object\":\"global\",\"setting\":\"net.core.netdev_budget = 400\","
			       "\"value\":\"400\",\"overridden\":true}"));
	assert_non_null(strstr(buf, "\"kind\":\"networkmanager\""));
	assert_non_null(strstr(buf, "\"kind\":\"udev-link\""));
	assert_non_null(strstr(buf, "\"kind\":\"irqbalance\""));
	assert_non_null(strstr(buf, "\"kind\":\"tuned\""));
	free(buf);
	fx_close(&f);
}

static void test_matches(void **state)
{
	struct nt_writer w = {.key = "rings.rx", .object = "eth0"};
	struct nt_change c = {.key = "rings.rx", .object = "eth0"};

	(void)state;
	assert_true(nt_writer_matches(&w, &c));
	c.object = "eth1";
	assert_false(nt_writer_matches(&w, &c));
	c.object = "eth0";
	c.key = "rings.tx";
	assert_false(nt_writer_matches(&w, &c));
	assert_string_equal(nt_writer_kind_to_string(NT_WRITER_LINK), "udev-link");
	assert_int_equal(nt_writer_kind_from_string("tuned"), NT_WRITER_TUNED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_kind),
		cmocka_unit_test(test_warnings),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_matches),
	};

	return cmocka_run_group_tests_name("writers", tests, NULL, NULL);
}
