// SPDX-License-Identifier: GPL-2.0-or-later
/* NetworkManager connections with ethtool settings for a device (lib/tune/writers-nm.c). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ini.h"
#include "nt-test.h"
#include "writers-plan.h"
#include "writers.h"

static const char profile[] = "devices:\n"
			      "  - match: eth0\n"
			      "    device: { rings.rx: 512, coalesce.rx-usecs: 8, gro: on }\n";

static bool matches(const char *text, const char *mac)
{
	const struct nt_netdev_facts d = {.ifname = "eth0", .mac = mac};
	struct nt_ini ini = {};
	bool r;

	assert_int_equal(nt_ini_load(text, 0, &ini), 0);
	r = nt_nm_matches(&ini, &d);
	nt_ini_done(&ini);
	return r;
}

static void test_match(void **state)
{
	(void)state;
	assert_true(matches("[connection]\ninterface-name=eth0\n", NULL));
	assert_false(matches("[connection]\ninterface-name=eth1\n", NULL));
	assert_true(matches("[ethernet]\nmac-address=52:54:00:12:34:56\n", "52:54:00:12:34:56"));
	assert_true(matches("[ethernet]\nmac-address=52:54:00:12:34:56\n", "52:54:00:12:34:56"));
	assert_false(matches("[ethernet]\nmac-address=52:54:00:12:34:57\n", "52:54:00:12:34:56"));
	assert_false(matches("[ethernet]\nmac-address=52:54:00:12:34:57\n", NULL));
	assert_true(matches("[match]\ninterface-name=en*;eth*;\n", NULL));
	assert_false(matches("[match]\ninterface-name=eth*;!eth0;\n", NULL));
	assert_true(matches("[match]\ninterface-name=!eth1;\n", NULL));
	/* a connection for no device in particular: not ours to guess */
	assert_false(matches("[connection]\nid=any\n[ethtool]\nring-rx=1\n", NULL));
}

static void test_connections(void **state)
{
	char *dir = nt_test_mkdtemp();
	const struct nt_writer *w;
	struct wplan wp = {};

	(void)state;
	wplan_device(dir);
	nt_test_write(dir, "etc/NetworkManager/system-connections/a.nmconnection",
		      "[connection]\nid=wired\ninterface-name=eth0\n[ethtool]\nring-rx=1024\n"
		      "coalesce-rx-usecs=50\nfeature-gro=false\nfeature-tso=false\n");
	nt_test_write(dir, "usr/lib/NetworkManager/system-connections/a.nmconnection",
		      "[connection]\nid=hidden\ninterface-name=eth0\n[ethtool]\nring-rx=1\n");
	nt_test_write(dir, "run/NetworkManager/system-connections/b.nmconnection",
		      "[connection]\nid=by-mac\n[ethernet]\nmac-address=52:54:00:12:34:56\n"
		      "[ethtool]\nring-rx=2048\n");
	nt_test_write(dir, "etc/NetworkManager/system-connections/c.nmconnection",
		      "[connection]\nid=other\ninterface-name=eth1\n[ethtool]\nring-rx=4\n");
	wplan_open(&wp, dir, profile);
	assert_int_equal(wplan_count(&wp, NT_WRITER_NM), 4);
	w = wplan_find(&wp, NT_WRITER_NM, "rings.rx", "eth0",
		       "/etc/NetworkManager/system-connections/a.nmconnection", 5);
	assert_non_null(w);
	assert_string_equal(w->setting, "[ethtool] ring-rx=1024");
	assert_string_equal(w->detail, "connection 'wired'");
	assert_non_null(wplan_find(&wp, NT_WRITER_NM, "coalesce.rx-usecs", "eth0",
				   "/etc/NetworkManager/system-connections/a.nmconnection", 6));
	assert_non_null(wplan_find(&wp, NT_WRITER_NM, "gro", "eth0",
				   "/etc/NetworkManager/system-connections/a.nmconnection", 7));
	assert_non_null(wplan_find(&wp, NT_WRITER_NM, "rings.rx", "eth0",
				   "/run/NetworkManager/system-connections/b.nmconnection", 6));
	wplan_close(&wp);
	nt_test_rmtree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_connections),
	};

	return cmocka_run_group_tests_name("writers-nm", tests, NULL, NULL);
}
