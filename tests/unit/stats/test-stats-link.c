// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "stats-link.h"
#include "read-fixture.h"

static void write_dev(const char *dir, const char *dev, int ifindex, unsigned int base)
{
	char path[160], val[32];

	snprintf(path, sizeof(path), "sys/class/net/%s/ifindex", dev);
	snprintf(val, sizeof(val), "%d\n", ifindex);
	nt_test_write(dir, path, val);
	for (unsigned int k = 0; k < _NT_LINK_STAT_MAX; k++) {
		snprintf(path, sizeof(path), "sys/class/net/%s/statistics/%s", dev,
			 nt_link_stat_to_string(k));
		snprintf(val, sizeof(val), "%u\n", base + k);
		nt_test_write(dir, path, val);
	}
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(nt_link_stat_to_string(NT_LINK_RX_PACKETS), "rx_packets");
	assert_string_equal(nt_link_stat_to_string(NT_LINK_RX_MISSED_ERRORS), "rx_missed_errors");
	assert_string_equal(nt_link_stat_to_string(NT_LINK_RX_NOHANDLER), "rx_nohandler");
	assert_null(nt_link_stat_to_string(_NT_LINK_STAT_MAX));
	for (unsigned int k = 0; k < _NT_LINK_STAT_MAX; k++)
		for (unsigned int j = 0; j < k; j++)
			assert_string_not_equal(nt_link_stat_to_string(k),
						nt_link_stat_to_string(j));
}

static void test_sysfs_fixture(void **state)
{
	char *dir = nt_test_mkdtemp();
	struct nt_root *root = NULL;
	struct nt_link_stats_list l = {};
	const struct nt_link_stats *s;

	(void)state;
	write_dev(dir, "eth1", 3, 1000);
	write_dev(dir, "eth0", 2, 100);
	write_dev(dir, "lo", 1, 0);
	/* not a device: no statistics directory */
	nt_test_write(dir, "sys/class/net/bonding_masters", "bond0\n");
	/* a counter the kernel does not have (old kernel): read as 0 */
	nt_test_write(dir, "sys/class/net/old0/ifindex", "9\n");
	nt_test_write(dir, "sys/class/net/old0/statistics/rx_packets", "5\n");
	assert_int_equal(nt_root_open(dir, &root), 0);
	assert_int_equal(nt_link_stats_read_sysfs(root, &l), 0);
	assert_int_equal(l.n, 4);
	/* sorted by name */
	assert_string_equal(l.link[0].name, "eth0");
	assert_string_equal(l.link[1].name, "eth1");
	assert_string_equal(l.link[2].name, "lo");
	assert_string_equal(l.link[3].name, "old0");
	s = nt_link_stats_find(&l, "eth1");
	assert_non_null(s);
	assert_int_equal(s->ifindex, 3);
	assert_int_equal(s->v[NT_LINK_RX_PACKETS], 1000 + NT_LINK_RX_PACKETS);
	assert_int_equal(s->v[NT_LINK_RX_MISSED_ERRORS], 1000 + NT_LINK_RX_MISSED_ERRORS);
	assert_int_equal(s->v[NT_LINK_RX_NOHANDLER], 1000 + NT_LINK_RX_NOHANDLER);
	s = nt_link_stats_find(&l, "old0");
	assert_non_null(s);
	assert_int_equal(s->v[NT_LINK_RX_PACKETS], 5);
	assert_int_equal(s->v[NT_LINK_RX_NOHANDLER], 0);
	assert_null(nt_link_stats_find(&l, "bonding_masters"));
	assert_null(nt_link_stats_find(&l, "eth2"));
	assert_null(nt_link_stats_find(&l, "a-name-longer-than-ifnamsiz"));
	nt_link_stats_done(&l);
	assert_int_equal(l.n, 0);
	nt_root_free(root);
	nt_test_rmtree(dir);
}

static void test_sysfs_missing(void **state)
{
	char *dir = nt_test_mkdtemp();
	struct nt_root *root = NULL;
	struct nt_link_stats_list l = {};

	(void)state;
	assert_int_equal(nt_root_open(dir, &root), 0);
	assert_int_equal(nt_link_stats_read_sysfs(root, &l), -ENOENT);
	nt_root_free(root);
	nt_test_rmtree(dir);
}

/*
 * The rtnetlink dump against the running kernel, cross-checked with the sysfs files of
 * the same devices read before and after it: both come from dev_get_stats(), so every
 * counter of the dump must lie between the two sysfs reads. A wrong libnl mapping of a
 * counter (e.g. rx_over_errors taken for rx_missed_errors) breaks this on any device
 * where the two differ, and the identity (name, ifindex) must agree on every device.
 */
static void test_netlink_vs_sysfs(void **state)
{
	struct nt_link_stats_list before = {}, nl = {}, after = {};
	struct nt_root *root = NULL;
	unsigned int common = 0;

	(void)state;
	assert_int_equal(nt_root_open("/", &root), 0);
	assert_int_equal(nt_link_stats_read_sysfs(root, &before), 0);
	assert_int_equal(nt_link_stats_read_netlink(&nl), 0);
	assert_int_equal(nt_link_stats_read_sysfs(root, &after), 0);
	assert_true(nl.n > 0);
	for (unsigned int i = 1; i < nl.n; i++)
		assert_true(strcmp(nl.link[i - 1].name, nl.link[i].name) < 0);
	for (unsigned int i = 0; i < nl.n; i++) {
		const struct nt_link_stats *n = &nl.link[i];
		const struct nt_link_stats *b = nt_link_stats_find(&before, n->name);
		const struct nt_link_stats *a = nt_link_stats_find(&after, n->name);

		assert_true(n->ifindex > 0);
		/* a device created or renamed between the reads */
		if (!b || !a || b->ifindex != n->ifindex || a->ifindex != n->ifindex)
			continue;
		common++;
		for (unsigned int k = 0; k < _NT_LINK_STAT_MAX; k++) {
			if (b->v[k] > n->v[k] || n->v[k] > a->v[k])
				fail_msg("%s %s: sysfs %llu, netlink %llu, sysfs %llu", n->name,
					 nt_link_stat_to_string(k), (unsigned long long)b->v[k],
					 (unsigned long long)n->v[k], (unsigned long long)a->v[k]);
		}
	}
	/* sysfs shows the netns of its mounter: it must be ours for this check to mean much */
	if (!nt_link_stats_find(&nl, "lo") || common < nl.n / 2 + 1)
		fail_msg("only %u of %u devices of the rtnetlink dump are in /sys/class/net: "
			 "/sys is not mounted for this network namespace",
			 common, nl.n);
	nt_link_stats_done(&before);
	nt_link_stats_done(&nl);
	nt_link_stats_done(&after);
	nt_root_free(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_sysfs_fixture),
		cmocka_unit_test(test_sysfs_missing),
		cmocka_unit_test(test_netlink_vs_sysfs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
