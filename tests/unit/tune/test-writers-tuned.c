// SPDX-License-Identifier: GPL-2.0-or-later
/* The active tuned profile and what it includes (lib/tune/writers-tuned.c). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ini.h"
#include "nt-test.h"
#include "writers-plan.h"
#include "writers.h"

static const char profile[] = "sysctl: { net.core.netdev_budget: 600 }\n"
			      "devices:\n"
			      "  - match: eth0\n"
			      "    device: { rings.rx: 512 }\n"
			      "    queues: { rps_cpus: 0 }\n"
			      "    irqs: { smp_affinity: 0 }\n";

static void test_includes(void **state)
{
	struct nt_ini ini = {};
	char **inc = NULL;

	(void)state;
	assert_int_equal(nt_ini_load("[main]\ninclude=a, b,${f:virt_check:x:y},../c\n", 0, &ini),
			 0);
	assert_int_equal(nt_tuned_includes(&ini, &inc), 0);
	assert_string_equal(inc[0], "a");
	assert_string_equal(inc[1], "b");
	assert_null(inc[2]);
	nt_strv_free(inc);
	nt_ini_done(&ini);
	assert_int_equal(nt_ini_load("[sysctl]\ninclude=a\n", 0, &ini), 0);
	assert_int_equal(nt_tuned_includes(&ini, &inc), 0);
	assert_null(inc[0]);
	nt_strv_free(inc);
	nt_ini_done(&ini);
}

static void test_profile_chain(void **state)
{
	char *dir = nt_test_mkdtemp();
	const struct nt_writer *w;
	struct wplan wp = {};

	(void)state;
	wplan_device(dir);
	nt_test_write(dir, "etc/tuned/active_profile", "top\n");
	/* /etc/tuned/NAME comes before /usr/lib/tuned/NAME */
	nt_test_write(dir, "usr/lib/tuned/top/tuned.conf", "[sysctl]\nnet.core.netdev_budget=1\n");
	nt_test_write(dir, "etc/tuned/top/tuned.conf",
		      "[main]\ninclude=base\n[my_net]\ntype=net\ndevices=eth1, eth0\n"
		      "ring=rx 1024\n[sysctl]\nnet/core/netdev_budget=2\n");
	nt_test_write(dir, "usr/lib/tuned/base/tuned.conf",
		      "[main]\ninclude=top\n" /* a loop: stops */
		      "[sysctl]\nnet.core.netdev_budget=3\n"
		      "[sysfs]\n/sys/class/net/eth*/queues/rx-0/rps_cpus=1\n"
		      "[net]\ndevices=eth9\nring=rx 64\n"
		      "[off]\ntype=sysctl\nenabled=false\nnet.core.netdev_budget=4\n"
		      "[scheduler]\nisolated_cores=1\nirq_process=false\n"
		      "[irqbalance]\nbanned_cpus=1\n");
	wplan_open(&wp, dir, profile);
	/* the including profile's option replaces the included one's */
	w = wplan_find(&wp, NT_WRITER_TUNED, "net.core.netdev_budget", "global",
		       "/etc/tuned/top/tuned.conf", 8);
	assert_non_null(w);
	assert_false(w->overridden);
	assert_string_equal(w->setting, "[sysctl] net/core/netdev_budget=2");
	assert_string_equal(w->detail, "profile 'top'");
	w = wplan_find(&wp, NT_WRITER_TUNED, "net.core.netdev_budget", "global",
		       "/usr/lib/tuned/base/tuned.conf", 4);
	assert_non_null(w);
	assert_true(w->overridden);
	assert_null(wplan_find(&wp, NT_WRITER_TUNED, "net.core.netdev_budget", "global",
			       "/usr/lib/tuned/top/tuned.conf", 2));
	/* disabled instance: nothing */
	assert_null(wplan_find(&wp, NT_WRITER_TUNED, "net.core.netdev_budget", "global",
			       "/usr/lib/tuned/base/tuned.conf", 13));
	/* [sysfs] glob: rx-0 only */
	assert_non_null(wplan_find(&wp, NT_WRITER_TUNED, "rps_cpus", "eth0 rx-0",
				   "/usr/lib/tuned/base/tuned.conf", 6));
	assert_null(wplan_find(&wp, NT_WRITER_TUNED, "rps_cpus", "eth0 rx-1",
			       "/usr/lib/tuned/base/tuned.conf", 6));
	/* [net] of another type name, devices= listing eth0; eth9's does not count */
	w = wplan_find(&wp, NT_WRITER_TUNED, "rings.rx", "eth0", "/etc/tuned/top/tuned.conf", 6);
	assert_non_null(w);
	assert_string_equal(w->value, "rx 1024");
	assert_null(wplan_find(&wp, NT_WRITER_TUNED, "rings.rx", "eth0",
			       "/usr/lib/tuned/base/tuned.conf", 9));
	/* irq_process=false: the scheduler leaves IRQs alone; [irqbalance] still counts */
	assert_null(wplan_find(&wp, NT_WRITER_TUNED, "smp_affinity", "eth0 irq 50",
			       "/usr/lib/tuned/base/tuned.conf", 15));
	assert_non_null(wplan_find(&wp, NT_WRITER_TUNED, "smp_affinity", "eth0 irq 50",
				   "/usr/lib/tuned/base/tuned.conf", 18));
	wplan_close(&wp);
	nt_test_rmtree(dir);
}

static void test_no_active_profile(void **state)
{
	char *dir = nt_test_mkdtemp();
	struct wplan wp = {};

	(void)state;
	wplan_device(dir);
	nt_test_write(dir, "usr/lib/tuned/x/tuned.conf", "[sysctl]\nnet.core.netdev_budget=1\n");
	wplan_open(&wp, dir, profile);
	assert_int_equal(wplan_count(&wp, NT_WRITER_TUNED), 0);
	wplan_close(&wp);
	/* an active profile that does not exist: tuned applies nothing of it */
	nt_test_write(dir, "etc/tuned/active_profile", "missing x\n");
	wplan_open(&wp, dir, profile);
	assert_int_equal(wplan_count(&wp, NT_WRITER_TUNED), 1);
	assert_non_null(wplan_find(&wp, NT_WRITER_TUNED, "net.core.netdev_budget", "global",
				   "/usr/lib/tuned/x/tuned.conf", 2));
	wplan_close(&wp);
	nt_test_rmtree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_includes),
		cmocka_unit_test(test_profile_chain),
		cmocka_unit_test(test_no_active_profile),
	};

	return cmocka_run_group_tests_name("writers-tuned", tests, NULL, NULL);
}
