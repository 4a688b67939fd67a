// SPDX-License-Identifier: GPL-2.0-or-later
/* irqbalance without a ban for the IRQs a profile pins (lib/tune/writers-irqbalance.c). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nt-test.h"
#include "writers-plan.h"
#include "writers.h"

static const char profile[] = "devices:\n  - match: eth0\n    irqs: { smp_affinity: 0 }\n";

static void test_args_bans(void **state)
{
	int *irqs = NULL;
	size_t n = 0;

	(void)state;
	assert_int_equal(nt_irqbalance_args_bans("\"--foreground --banirq=7 --banirq 9 -i 11 -i\"",
						 &irqs, &n),
			 0);
	assert_int_equal(n, 3);
	assert_int_equal(irqs[0], 7);
	assert_int_equal(irqs[1], 9);
	assert_int_equal(irqs[2], 11);
	assert_int_equal(
		nt_irqbalance_args_bans("--banirq=x --banirq=99999999999 --banirq=", &irqs, &n), 0);
	assert_int_equal(n, 3);
	free(irqs);
}

static void test_running(void **state)
{
	char *dir = nt_test_mkdtemp();
	const struct nt_writer *w;
	struct wplan wp = {};

	(void)state;
	wplan_device(dir);
	wplan_open(&wp, dir, profile);
	assert_int_equal(wplan_count(&wp, NT_WRITER_IRQBALANCE), 0); /* not there */
	wplan_close(&wp);

	nt_test_write(dir, "proc/812/comm", "irqbalance\n");
	nt_test_write(dir, "proc/812/cmdline", "/usr/sbin/irqbalance\n--foreground\n--banirq=51\n");
	nt_test_write(dir, "etc/default/irqbalance",
		      "#IRQBALANCE_ONESHOT=1\nIRQBALANCE_BANNED_CPULIST=3\n");
	wplan_open(&wp, dir, profile);
	assert_int_equal(wplan_count(&wp, NT_WRITER_IRQBALANCE), 1);
	w = wplan_find(&wp, NT_WRITER_IRQBALANCE, "smp_affinity", "eth0 irq 50", "pid 812", 0);
	assert_non_null(w);
	assert_string_equal(w->setting, "IRQ 50 not banned by --banirq");
	assert_string_equal(w->detail, "running; IRQBALANCE_BANNED_CPULIST=3 keeps IRQs off CPUs, "
				       "not ours in place");
	assert_string_equal_free(
		nt_writer_describe(w),
		"irqbalance pid 812: IRQ 50 not banned by --banirq (running; "
		"IRQBALANCE_BANNED_CPULIST=3 keeps IRQs off CPUs, not ours in place)");
	wplan_close(&wp);
	nt_test_rmtree(dir);
}

static void test_enabled_not_running(void **state)
{
	char *dir = nt_test_mkdtemp(), *p;
	const char *unit = "/etc/systemd/system/multi-user.target.wants/irqbalance.service";
	const struct nt_writer *w;
	struct wplan wp = {};

	(void)state;
	wplan_device(dir);
	nt_test_write(dir, "lib/systemd/system/irqbalance.service", "[Unit]\n");
	nt_test_write(dir, "etc/default/irqbalance", "IRQBALANCE_ARGS=\"--banirq=50\"\n");
	assert_true(asprintf(&p, "%s%s", dir, unit) > 0);
	nt_test_write(dir, "etc/systemd/system/multi-user.target.wants/.keep", "");
	assert_int_equal(symlink("/lib/systemd/system/irqbalance.service", p), 0);
	free(p);
	wplan_open(&wp, dir, profile);
	assert_int_equal(wplan_count(&wp, NT_WRITER_IRQBALANCE), 1);
	assert_null(wplan_find(&wp, NT_WRITER_IRQBALANCE, "smp_affinity", "eth0 irq 50", unit, 0));
	w = wplan_find(&wp, NT_WRITER_IRQBALANCE, "smp_affinity", "eth0 irq 51", unit, 0);
	assert_non_null(w);
	assert_string_equal(w->detail, "enabled, not running; options in /etc/default/irqbalance");
	wplan_close(&wp);
	nt_test_rmtree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_args_bans),
		cmocka_unit_test(test_running),
		cmocka_unit_test(test_enabled_not_running),
	};

	return cmocka_run_group_tests_name("writers-irqbalance", tests, NULL, NULL);
}
