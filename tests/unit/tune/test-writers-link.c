// SPDX-License-Identifier: GPL-2.0-or-later
/* The .link file udev applies to a device we tune (lib/tune/writers-link.c). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ini.h"
#include "nt-test.h"
#include "writers-plan.h"
#include "writers.h"

static const char profile[] = "devices:\n"
			      "  - match: eth0\n"
			      "    device: { rings.rx: 512, channels.combined: 1, gro: on }\n"
			      "    queues: { rps_cpus: 0 }\n";

static int match(const char *text, const struct nt_netdev_facts *d, char *unchecked)
{
	struct nt_ini ini = {};
	int r;

	assert_int_equal(nt_ini_load(text, NT_INI_CONTINUATION, &ini), 0);
	r = nt_link_match(&ini, d, unchecked, 64);
	nt_ini_done(&ini);
	return r;
}

static void test_match(void **state)
{
	const struct nt_netdev_facts d = {.ifname = "eth0",
					  .mac = "52:54:00:12:34:56",
					  .driver = "virtio_net",
					  .type = "ether"};
	char un[64];

	(void)state;
	assert_int_equal(match("[Match]\nOriginalName=en* eth*\n", &d, un), 1);
	assert_string_equal(un, "");
	assert_int_equal(match("[Match]\nOriginalName=!eth*\n", &d, un), 0);
	assert_int_equal(
		match("[Match]\nMACAddress=52:54:00:12:34:56\nDriver=virtio_*\nType=ether\n", &d,
		      un),
		1);
	assert_int_equal(match("[Match]\nMACAddress=52:54:00:AB:CD:EF\n", &d, un), 0);
	assert_int_equal(match("[Match]\nDriver=mlx5_core\n", &d, un), 0);
	/* what cannot be checked here counts as met and is named */
	assert_int_equal(match("[Match]\nPath=pci-0000:00:03.0\nOriginalName=eth0\n", &d, un), 1);
	assert_string_equal(un, "Path=");
	/* renamed by this very file: the original name is gone */
	assert_int_equal(match("[Match]\nOriginalName=ens3\n[Link]\nName=eth0\n", &d, un), 1);
	/* assignments of a list add up; an empty one clears it */
	assert_int_equal(match("[Match]\nOriginalName=eth1\nOriginalName=eth0\n", &d, un), 1);
	assert_int_equal(
		match("[Match]\nOriginalName=eth0\nOriginalName=\nOriginalName=eth1\n", &d, un), 0);
	assert_int_equal(match("[Match]\nOriginalName=eth*\nOriginalName=!eth0\n", &d, un), 0);
	/* unknown facts meet no positive list */
	assert_int_equal(
		match("[Match]\nType=wlan\n", &(struct nt_netdev_facts){.ifname = "eth0"}, un), 0);
	/* no condition: udev ignores the file */
	assert_int_equal(match("[Match]\nOriginalName=\n[Link]\nRxBufferSize=1\n", &d, un),
			 -EINVAL);
	assert_int_equal(match("[Link]\nRxBufferSize=1\n", &d, un), -EINVAL);
}

static void test_first_match_only(void **state)
{
	char *dir = nt_test_mkdtemp(), *p;
	const struct nt_writer *w;
	struct wplan wp = {};

	(void)state;
	wplan_device(dir);
	nt_test_write(dir, "usr/lib/systemd/network/99-default.link",
		      "[Match]\nOriginalName=*\n[Link]\nRxBufferSize=4\n");
	wplan_open(&wp, dir, profile);
	w = wplan_find(&wp, NT_WRITER_LINK, "rings.rx", "eth0",
		       "/usr/lib/systemd/network/99-default.link", 4);
	assert_non_null(w);
	assert_string_equal(w->setting, "RxBufferSize=4");
	assert_string_equal(w->detail, "for eth0 when udev adds it");
	wplan_close(&wp);

	/* /dev/null in /etc masks the name */
	nt_test_write(dir, "etc/systemd/network/05-no-match.link",
		      "[Match]\nOriginalName=eth9\n[Link]\nRxBufferSize=1\n");
	assert_true(asprintf(&p, "%s/etc/systemd/network/99-default.link", dir) > 0);
	assert_int_equal(symlink("/dev/null", p), 0);
	free(p);
	wplan_open(&wp, dir, profile);
	assert_int_equal(wplan_count(&wp, NT_WRITER_LINK), 0);
	wplan_close(&wp);

	nt_test_write(dir, "etc/systemd/network/10-eth0.link",
		      "[Match]\nMACAddress=52:54:00:12:34:56\n[Link]\nRxBufferSize=2\n"
		      "CombinedChannels=2\nRxBufferSize=3\nGenericReceiveOffload=no\n"
		      "ReceivePacketSteeringCPUMask=all\nMTUBytes=9000\n");
	/* a name in /etc hides the same name in /run and /usr/lib */
	nt_test_write(dir, "run/systemd/network/10-eth0.link",
		      "[Match]\nOriginalName=*\n[Link]\nRxBufferSize=99\n");
	wplan_open(&wp, dir, profile);
	/* only /etc's 10-eth0.link: 99-default.link comes later (and is masked) */
	assert_null(wplan_find(&wp, NT_WRITER_LINK, "rings.rx", "eth0",
			       "/usr/lib/systemd/network/99-default.link", 4));
	assert_null(wplan_find(&wp, NT_WRITER_LINK, "rings.rx", "eth0",
			       "/run/systemd/network/10-eth0.link", 4));
	w = wplan_find(&wp, NT_WRITER_LINK, "rings.rx", "eth0", "/etc/systemd/network/10-eth0.link",
		       4);
	assert_non_null(w);
	assert_true(w->overridden); /* RxBufferSize=3 later in the file */
	w = wplan_find(&wp, NT_WRITER_LINK, "rings.rx", "eth0", "/etc/systemd/network/10-eth0.link",
		       6);
	assert_non_null(w);
	assert_false(w->overridden);
	assert_non_null(wplan_find(&wp, NT_WRITER_LINK, "channels.combined", "eth0",
				   "/etc/systemd/network/10-eth0.link", 5));
	assert_non_null(wplan_find(&wp, NT_WRITER_LINK, "gro", "eth0",
				   "/etc/systemd/network/10-eth0.link", 7));
	assert_non_null(wplan_find(&wp, NT_WRITER_LINK, "rps_cpus", "eth0 rx-1",
				   "/etc/systemd/network/10-eth0.link", 8));
	assert_int_equal(wplan_count(&wp, NT_WRITER_LINK), 6); /* 2 rings, channels, gro, 2 rps */
	wplan_close(&wp);
	nt_test_rmtree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_first_match_only),
	};

	return cmocka_run_group_tests_name("writers-link", tests, NULL, NULL);
}
