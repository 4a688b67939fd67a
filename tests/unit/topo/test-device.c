// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <netlink/genl/genl.h>

#include "device.h"
#include "fake-nl.h"
#include "fs.h"
#include "nl-netdev.h"
#include "nl.h"
#include "nt-test.h"

static char *make_tree(void)
{
	char *dir = nt_test_mkdtemp(), path[512];
	static const char *const files[][2] = {
		{ "sys/class/net/eth0/ifindex", "2\n" },
		{ "sys/class/net/eth0/device/numa_node", "1\n" },
		{ "sys/class/net/eth0/device/msi_irqs/45", "msix\n" },
		{ "sys/class/net/eth0/device/msi_irqs/41", "msix\n" },
		{ "sys/class/net/eth0/device/msi_irqs/42", "msix\n" },
		{ "sys/class/net/eth0/queues/rx-0/rps_cpus", "0\n" },
		{ "sys/class/net/eth0/queues/rx-1/rps_cpus", "0\n" },
		{ "sys/class/net/eth0/queues/tx-0/xps_cpus", "0\n" },
		{ "sys/class/net/eth0/queues/tx-1/xps_cpus", "0\n" },
		{ "sys/class/net/lo/ifindex", "1\n" },
		{ "sys/class/net/lo/queues/rx-0/rps_cpus", "0\n" },
		{ "sys/class/net/lo/queues/tx-0/xps_cpus", "0\n" },
		{ "sys/class/net/bonding_masters", "\n" },
		{ "sys/bus/pci/drivers/ixgbe/bind", "" },
	};

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		nt_test_write(dir, files[i][0], files[i][1]);
	snprintf(path, sizeof(path), "%s/sys/class/net/eth0/device/driver", dir);
	assert_int_equal(symlink("../../../../bus/pci/drivers/ixgbe", path), 0);
	return dir;
}

static void test_sysfs_only(void **state)
{
	char *dir = make_tree();
	struct nt_device_list l = {};
	const struct nt_device *d;
	struct nt_root *root;

	(void)state;
	assert_int_equal(nt_root_open(dir, &root), 0);
	assert_int_equal(nt_device_list_read(root, NULL, &l), 0);
	assert_int_equal(l.n, 2); /* bonding_masters is not a device */
	assert_false(l.have_netlink);
	d = nt_device_find(&l, "eth0");
	assert_non_null(d);
	assert_int_equal(d->ifindex, 2);
	assert_string_equal(d->driver, "ixgbe");
	assert_true(d->physical);
	assert_int_equal(d->numa_node, 1);
	assert_int_equal(d->n_rx, 2);
	assert_int_equal(d->n_tx, 2);
	assert_int_equal(d->n_irq, 3);
	assert_int_equal(d->irq[0], 41);
	assert_int_equal(d->irq[2], 45);
	assert_int_equal(d->rx[1].irq, -1);
	d = nt_device_find(&l, "lo");
	assert_non_null(d);
	assert_false(d->physical);
	assert_string_equal(d->driver, "");
	assert_int_equal(d->numa_node, -1);
	assert_null(nt_device_find(&l, "eth9"));
	nt_device_list_done(&l);
	nt_root_free(root);
	nt_test_rmtree(dir);
}

static void napi(struct fake_nl *f, uint32_t ifindex, uint32_t id, int irq, int pid)
{
	struct nl_msg *m = fake_nl_reply(f, 0, 20, NT_NETDEV_CMD_NAPI_GET);

	nla_put_u32(m, NT_NETDEV_A_NAPI_IFINDEX, ifindex);
	nla_put_u32(m, NT_NETDEV_A_NAPI_ID, id);
	if (irq >= 0)
		nla_put_u32(m, NT_NETDEV_A_NAPI_IRQ, (uint32_t)irq);
	if (pid >= 0)
		nla_put_u32(m, NT_NETDEV_A_NAPI_PID, (uint32_t)pid);
}

static void queue(struct fake_nl *f, uint32_t ifindex, uint32_t type, uint32_t id, uint32_t napi_id)
{
	struct nl_msg *m = fake_nl_reply(f, 1, 20, NT_NETDEV_CMD_QUEUE_GET);

	nla_put_u32(m, NT_NETDEV_A_QUEUE_IFINDEX, ifindex);
	nla_put_u32(m, NT_NETDEV_A_QUEUE_TYPE, type);
	nla_put_u32(m, NT_NETDEV_A_QUEUE_ID, id);
	if (napi_id)
		nla_put_u32(m, NT_NETDEV_A_QUEUE_NAPI_ID, napi_id);
}

static void test_with_netlink(void **state)
{
	char *dir = make_tree();
	struct nt_device_list l = {};
	const struct nt_device *d;
	struct nt_root *root;
	struct fake_nl f;
	struct nt_nl *nl;

	(void)state;
	fake_nl_init(&f);
	fake_nl_family(&f, "netdev", 20);
	/* dumps come in descending id order */
	napi(&f, 2, 514, 42, 777);
	napi(&f, 2, 513, 41, -1);
	napi(&f, 99, 600, 50, -1); /* another netns' ifindex: ignored */
	queue(&f, 2, NT_NETDEV_QUEUE_TYPE_RX, 0, 513);
	queue(&f, 2, NT_NETDEV_QUEUE_TYPE_RX, 1, 514);
	queue(&f, 2, NT_NETDEV_QUEUE_TYPE_TX, 0, 513);
	queue(&f, 2, NT_NETDEV_QUEUE_TYPE_TX, 1, 0);
	queue(&f, 2, NT_NETDEV_QUEUE_TYPE_RX, 7, 514); /* beyond sysfs queues: ignored */
	nl = fake_nl_open(&f);
	assert_int_equal(nt_root_open(dir, &root), 0);
	assert_int_equal(nt_device_list_read(root, nl, &l), 0);
	assert_true(l.have_netlink);
	d = nt_device_find(&l, "eth0");
	assert_int_equal(d->n_napi, 2);
	assert_int_equal(d->napi[0].id, 513);
	assert_int_equal(d->napi[0].irq, 41);
	assert_int_equal(d->napi[0].pid, -1);
	assert_int_equal(d->napi[1].pid, 777);
	assert_int_equal(d->rx[0].napi_id, 513);
	assert_int_equal(d->rx[0].irq, 41);
	assert_int_equal(d->rx[1].irq, 42);
	assert_int_equal(d->tx[0].irq, 41);
	assert_int_equal(d->tx[1].napi_id, 0);
	assert_int_equal(d->tx[1].irq, -1);
	assert_int_equal(d->n_irq, 3);
	assert_null(nt_device_find_napi(d, 0));
	assert_non_null(nt_device_find_napi(d, 514));
	assert_int_equal(fake_nl_sent_cmd(&f, 0), NT_NETDEV_CMD_NAPI_GET);
	assert_int_equal(fake_nl_sent_cmd(&f, 1), NT_NETDEV_CMD_QUEUE_GET);
	nt_device_list_done(&l);
	nt_root_free(root);
	nt_nl_free(nl);
	fake_nl_done(&f);
	nt_test_rmtree(dir);
}

static void test_old_kernel_without_netdev_family(void **state)
{
	char *dir = make_tree();
	struct nt_device_list l = {};
	struct nt_root *root;
	struct fake_nl f;
	struct nt_nl *nl;

	(void)state;
	fake_nl_init(&f); /* no "netdev" family: kernel < 6.3 */
	nl = fake_nl_open(&f);
	assert_int_equal(nt_root_open(dir, &root), 0);
	assert_int_equal(nt_device_list_read(root, nl, &l), 0);
	assert_false(l.have_netlink);
	assert_int_equal(l.n, 2);
	nt_device_list_done(&l);
	nt_root_free(root);
	nt_nl_free(nl);
	fake_nl_done(&f);
	nt_test_rmtree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sysfs_only),
		cmocka_unit_test(test_with_netlink),
		cmocka_unit_test(test_old_kernel_without_netdev_family),
	};

	return cmocka_run_group_tests_name("device", tests, NULL, NULL);
}
