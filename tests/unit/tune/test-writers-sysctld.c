// SPDX-License-Identifier: GPL-2.0-or-later
/* sysctl.d files as systemd-sysctl reads them (lib/tune/writers-sysctld.c). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nt-test.h"
#include "writers-plan.h"
#include "writers.h"

static void test_normalize(void **state)
{
	(void)state;
	assert_string_equal_free(nt_sysctld_normalize("net.core.netdev_budget"),
				 "net/core/netdev_budget");
	/* sysctl.d(5): the first separator decides; dots and slashes swap after a dot */
	assert_string_equal_free(nt_sysctld_normalize("net.ipv4.conf.enp3s0/200.forwarding"),
				 "net/ipv4/conf/enp3s0.200/forwarding");
	assert_string_equal_free(nt_sysctld_normalize("net/ipv4/conf/enp3s0.200/forwarding"),
				 "net/ipv4/conf/enp3s0.200/forwarding");
}

/* The records for @name: their lines, and which one is not overridden (0: none). */
static void effective(const struct nt_sysctld *acc, const char *name, size_t n_expect,
		      unsigned int eff_line)
{
	struct nt_writers ws = {};
	unsigned int eff = 0;

	assert_int_equal(nt_sysctld_writers(acc, name, "k", "global", &ws), 0);
	assert_int_equal(ws.n, n_expect);
	for (size_t i = 0; i < ws.n; i++)
		if (!ws.w[i].overridden) {
			assert_int_equal(eff, 0); /* one at most */
			eff = ws.w[i].line;
		}
	assert_int_equal(eff, eff_line);
	nt_writers_done(&ws);
}

static void test_precedence(void **state)
{
	struct nt_sysctld acc = {};

	(void)state;
	assert_int_equal(nt_sysctld_parse(&acc, "/a.conf",
					  "net.core.x = 1\n"		    /* 1 */
					  "net.ipv4.conf.*.rp_filter = 2\n" /* 2 */
					  "-net.ipv4.conf.all.rp_filter\n"  /* 3 */
					  "net/core/x=3\n"		    /* 4 */
					  "no assignment\n"		    /* 5 */
					  "-net.core.y = 4\n"),		    /* 6 */
			 0);
	assert_int_equal(nt_sysctld_parse(&acc, "/b.conf",
					  "net.ipv4.conf.eth0.rp_filter = 0\n" /* 1 */
					  "net.core.* = 9\n"),		       /* 2 */
			 0);
	/* later explicit wins; a glob never beats an explicit name */
	effective(&acc, "net.core.x", 3, 4);
	/* explicit in an earlier file still beats a later glob */
	effective(&acc, "net/ipv4/conf/eth0/rp_filter", 2, 1);
	/* the glob for the others */
	effective(&acc, "net.ipv4.conf.eth1.rp_filter", 1, 2);
	/* "-name" alone exempts it from the glob: nothing sets it */
	effective(&acc, "net.ipv4.conf.all.rp_filter", 1, 0);
	/* "-name = value" sets it (failure ignored) */
	effective(&acc, "net.core.y", 2, 6);
	/* a glob does not cross a separator */
	effective(&acc, "net.ipv4.conf.a.b.rp_filter", 0, 0);
	nt_sysctld_done(&acc);
}

static void test_dirs_and_sysctl_conf(void **state)
{
	char *dir = nt_test_mkdtemp(), *p;
	const struct nt_writer *w;
	struct wplan wp = {};

	(void)state;
	wplan_device(dir);
	nt_test_write(dir, "usr/lib/sysctl.d/50-x.conf", "net.core.netdev_budget = 1\n");
	nt_test_write(dir, "etc/sysctl.d/50-x.conf", "# hides /usr/lib's\n");
	nt_test_write(dir, "lib/sysctl.d/40-y.conf", "net.core.netdev_budget = 2\n");
	nt_test_write(dir, "run/sysctl.d/90-z.conf", "net.core.netdev_budget = 3\n");
	nt_test_write(dir, "usr/lib/sysctl.d/95-masked.conf", "net.core.netdev_budget = 4\n");
	nt_test_write(dir, "etc/sysctl.d/not-conf.txt", "net.core.netdev_budget = 5\n");
	nt_test_write(dir, "etc/sysctl.conf", "net.core.netdev_budget = 6\n");
	assert_true(asprintf(&p, "%s/etc/sysctl.d/95-masked.conf", dir) > 0);
	assert_int_equal(symlink("/dev/null", p), 0);
	free(p);
	wplan_open(&wp, dir, "sysctl: { net.core.netdev_budget: 600 }\n");
	assert_int_equal(wplan_count(&wp, NT_WRITER_SYSCTLD), 3);
	w = wplan_find(&wp, NT_WRITER_SYSCTLD, "net.core.netdev_budget", "global",
		       "/lib/sysctl.d/40-y.conf", 1);
	assert_non_null(w);
	assert_true(w->overridden);
	w = wplan_find(&wp, NT_WRITER_SYSCTLD, "net.core.netdev_budget", "global",
		       "/run/sysctl.d/90-z.conf", 1);
	assert_non_null(w);
	assert_true(w->overridden);
	/* read last: no 99-sysctl.conf here */
	w = wplan_find(&wp, NT_WRITER_SYSCTLD, "net.core.netdev_budget", "global",
		       "/etc/sysctl.conf", 1);
	assert_non_null(w);
	assert_false(w->overridden);
	assert_string_equal(w->value, "6");
	assert_string_equal(w->setting, "net.core.netdev_budget = 6");
	wplan_close(&wp);

	/* Debian's 99-sysctl.conf link reads it in its place: not twice */
	assert_true(asprintf(&p, "%s/etc/sysctl.d/99-sysctl.conf", dir) > 0);
	assert_int_equal(symlink("../sysctl.conf", p), 0);
	free(p);
	nt_test_write(dir, "run/sysctl.d/99-zz.conf", "net.core.netdev_budget = 7\n");
	wplan_open(&wp, dir, "sysctl: { net.core.netdev_budget: 600 }\n");
	assert_int_equal(wplan_count(&wp, NT_WRITER_SYSCTLD), 4);
	assert_null(wplan_find(&wp, NT_WRITER_SYSCTLD, "net.core.netdev_budget", "global",
			       "/etc/sysctl.conf", 1));
	w = wplan_find(&wp, NT_WRITER_SYSCTLD, "net.core.netdev_budget", "global",
		       "/run/sysctl.d/99-zz.conf", 1);
	assert_non_null(w);
	assert_false(w->overridden);
	assert_non_null(wplan_find(&wp, NT_WRITER_SYSCTLD, "net.core.netdev_budget", "global",
				   "/etc/sysctl.d/99-sysctl.conf", 1));
	/* the warning names the file, the line and the setting */
	assert_int_equal(wp.plan.msgs.n, 1);
	assert_string_equal(
		wp.plan.msgs.msg[0],
		"warning: sysctl.d /run/sysctl.d/99-zz.conf:1: net.core.netdev_budget = 7 "
		"also writes net.core.netdev_budget: it will undo or be undone");
	wplan_close(&wp);
	nt_test_rmtree(dir);
}

static void test_no_sysctl_in_plan(void **state)
{
	char *dir = nt_test_mkdtemp();
	struct wplan wp = {};

	(void)state;
	wplan_device(dir);
	nt_test_write(dir, "etc/sysctl.d/10-a.conf", "net.core.netdev_budget = 1\n");
	wplan_open(&wp, dir, "devices:\n  - match: eth0\n    queues: { rps_cpus: 0 }\n");
	assert_int_equal(wplan_count(&wp, NT_WRITER_SYSCTLD), 0);
	wplan_close(&wp);
	nt_test_rmtree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normalize),
		cmocka_unit_test(test_precedence),
		cmocka_unit_test(test_dirs_and_sysctl_conf),
		cmocka_unit_test(test_no_sysctl_in_plan),
	};

	return cmocka_run_group_tests_name("writers-sysctld", tests, NULL, NULL);
}
