// SPDX-License-Identifier: GPL-2.0-or-later
/* lib/topo: the one topology model on fixture trees, with the netdev and ethtool families faked. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/ethtool_netlink.h>
#include <netlink/genl/genl.h>

#include "fake-nl.h"
#include "fs.h"
#include "json.h"
#include "topo.h"
#include "nl-netdev.h"
#include "nl.h"
#include "nt-test.h"

#define NETDEV_ID  20
#define ETHTOOL_ID 21
#define PCI	   "sys/devices/pci0000:00/0000:03:00.0"

static void write_thread(const char *dir, int pid, const char *comm, int cpu, const char *allowed)
{
	char path[64], buf[512];

	snprintf(path, sizeof(path), "proc/%d/stat", pid);
	snprintf(buf, sizeof(buf),
		 "%d (%s) S 2 0 0 0 -1 69238880 0 0 0 0 5 7 0 0 20 0 1 0 15 0 0 "
		 "18446744073709551615 0 0 0 0 0 0 0 2147483647 0 0 0 0 17 %d 0 0 0 0 0 0 0 0 0 0 "
		 "0 0 0\n",
		 pid, comm, cpu);
	nt_test_write(dir, path, buf);
	snprintf(path, sizeof(path), "proc/%d/status", pid);
	snprintf(buf, sizeof(buf), "Name:\t%s\nCpus_allowed_list:\t%s\n", comm, allowed);
	nt_test_write(dir, path, buf);
}

/*
 * eth0: a PCI NIC with 2 combined queues, vectors 41/42 named eth0-TxRx-0/1, 40 "eth0"
 * (link/misc), 43 not named after the device; veth0: virtual, 2 queues, no IRQs.
 */
static char *make_tree(void)
{
	char *dir = nt_test_mkdtemp(), path[512];
	static const char *const files[][2] = {
		{"sys/class/net/eth0/ifindex", "2\n"},
		{"sys/class/net/eth0/threaded", "1\n"},
		{PCI "/numa_node", "1\n"},
		{PCI "/msi_irqs/40", "msix\n"},
		{PCI "/msi_irqs/41", "msix\n"},
		{PCI "/msi_irqs/42", "msix\n"},
		{PCI "/msi_irqs/43", "msix\n"},
		{"sys/class/net/eth0/queues/rx-0/rps_cpus", "00000000,00000000\n"},
		{"sys/class/net/eth0/queues/rx-0/rps_flow_cnt", "0\n"},
		{"sys/class/net/eth0/queues/rx-1/rps_cpus", "00000000,0000000e\n"},
		{"sys/class/net/eth0/queues/rx-1/rps_flow_cnt", "4096\n"},
		{"sys/class/net/eth0/queues/tx-0/xps_cpus", "00000000,00000001\n"},
		{"sys/class/net/eth0/queues/tx-1/xps_cpus", "00000000,00000002\n"},
		{"sys/class/net/veth0/ifindex", "5\n"},
		{"sys/class/net/veth0/threaded", "0\n"},
		{"sys/class/net/veth0/queues/rx-0/rps_cpus", "0\n"},
		{"sys/class/net/veth0/queues/rx-1/rps_cpus", "0\n"},
		{"sys/class/net/veth0/queues/tx-0/xps_cpus", "0\n"},
		{"sys/class/net/veth0/queues/tx-1/xps_cpus", "0\n"},
		{"proc/interrupts",
		 "            CPU0       CPU1       CPU2       CPU3\n"
		 "  40:          1          0          0          0  IR-PCI-MSIX-0000:03:00.0 "
		 "0-edge  eth0\n"
		 "  41:        100          0          0          0  IR-PCI-MSIX-0000:03:00.0 "
		 "1-edge  eth0-TxRx-0\n"
		 "  42:          0        200          0          0  IR-PCI-MSIX-0000:03:00.0 "
		 "2-edge  eth0-TxRx-1\n"
		 "  43:          0          0          0          0  IR-PCI-MSIX-0000:03:00.0 "
		 "3-edge  fdir\n"
		 " NMI:          0          0          0          0  Non-maskable interrupts\n"},
		{"proc/irq/40/smp_affinity_list", "0-3\n"},
		{"proc/irq/40/effective_affinity_list", "0\n"},
		{"proc/irq/41/smp_affinity_list", "0\n"},
		{"proc/irq/41/effective_affinity_list", "0\n"},
		{"proc/irq/42/smp_affinity_list", "0-3\n"},
		{"proc/irq/42/effective_affinity_list", "1\n"},
		{"proc/irq/43/smp_affinity_list", "0-3\n"},
		{"proc/2/task/2/children", "700 701 702 "},
		{"sys/bus/pci/drivers/ixgbe/bind", ""},
	};

	for (size_t i = 0; i < ARRAY_SIZE(files); i++)
		nt_test_write(dir, files[i][0], files[i][1]);
	write_thread(dir, 700, "napi/eth0-513", 3, "3");
	write_thread(dir, 701, "napi/eth0-514", 2, "0-3");
	write_thread(dir, 702, "ksoftirqd/0", 0, "0");
	snprintf(path, sizeof(path), "%s/" PCI "/driver", dir);
	assert_int_equal(symlink("../../../bus/pci/drivers/ixgbe", path), 0);
	snprintf(path, sizeof(path), "%s/sys/class/net/eth0/device", dir);
	assert_int_equal(symlink("../../../devices/pci0000:00/0000:03:00.0", path), 0);
	return dir;
}

static void napi(struct fake_nl *f, uint32_t ifindex, uint32_t id, int irq, int pid)
{
	struct nl_msg *m = fake_nl_reply(f, 0, NETDEV_ID, NT_NETDEV_CMD_NAPI_GET);

	nla_put_u32(m, NT_NETDEV_A_NAPI_IFINDEX, ifindex);
	nla_put_u32(m, NT_NETDEV_A_NAPI_ID, id);
	if (irq >= 0)
		nla_put_u32(m, NT_NETDEV_A_NAPI_IRQ, (uint32_t)irq);
	if (pid >= 0)
		nla_put_u32(m, NT_NETDEV_A_NAPI_PID, (uint32_t)pid);
}

static void queue(struct fake_nl *f, uint32_t ifindex, uint32_t type, uint32_t id, uint32_t napi_id)
{
	struct nl_msg *m = fake_nl_reply(f, 1, NETDEV_ID, NT_NETDEV_CMD_QUEUE_GET);

	nla_put_u32(m, NT_NETDEV_A_QUEUE_IFINDEX, ifindex);
	nla_put_u32(m, NT_NETDEV_A_QUEUE_TYPE, type);
	nla_put_u32(m, NT_NETDEV_A_QUEUE_ID, id);
	if (napi_id)
		nla_put_u32(m, NT_NETDEV_A_QUEUE_NAPI_ID, napi_id);
}

/* eth0 reports NAPIs, their IRQs (513 only) and kthreads, and the queue mapping; veth0 has
 * two NAPIs (GRO on) but, like the real veth, no queue mapping. */
static void fake_kernel(struct fake_nl *f)
{
	struct nl_msg *m;

	fake_nl_init(f);
	fake_nl_family(f, "netdev", NETDEV_ID);
	fake_nl_family(f, "ethtool", ETHTOOL_ID);
	napi(f, 5, 600, -1, -1);
	napi(f, 5, 599, -1, -1);
	napi(f, 2, 514, -1, 701);
	napi(f, 2, 513, 41, 700);
	for (uint32_t q = 0; q < 2; q++) {
		queue(f, 2, NT_NETDEV_QUEUE_TYPE_RX, q, 513 + q);
		queue(f, 2, NT_NETDEV_QUEUE_TYPE_TX, q, 513 + q);
		queue(f, 5, NT_NETDEV_QUEUE_TYPE_RX, q, 0);
		queue(f, 5, NT_NETDEV_QUEUE_TYPE_TX, q, 0);
	}
	/* CHANNELS_GET: eth0 (batch 2), veth0 (batch 3) */
	m = fake_nl_reply(f, 2, ETHTOOL_ID, ETHTOOL_MSG_CHANNELS_GET);
	nla_put_u32(m, ETHTOOL_A_CHANNELS_COMBINED_MAX, 8);
	nla_put_u32(m, ETHTOOL_A_CHANNELS_COMBINED_COUNT, 2);
	nla_put_u32(m, ETHTOOL_A_CHANNELS_OTHER_MAX, 1);
	nla_put_u32(m, ETHTOOL_A_CHANNELS_OTHER_COUNT, 1);
	fake_nl_error(f, 3, -EOPNOTSUPP, NULL);
}

static void test_netlink(void **state)
{
	char *dir = make_tree();
	const struct nt_topo_dev *d;
	const struct nt_topo_napi *n;
	const struct nt_topo_irq *x;
	struct nt_root *root;
	struct nt_topo m = {};
	struct fake_nl f;
	struct nt_nl *nl;

	(void)state;
	fake_kernel(&f);
	nl = fake_nl_open(&f);
	assert_int_equal(nt_root_open(dir, &root), 0);
	assert_int_equal(nt_topo_read(root, nl, NULL, &m, NULL), 0);
	assert_int_equal(m.n, 2);
	assert_int_equal(m.err_interrupts, 0);
	assert_int_equal(m.err_kthreads, 0);

	d = nt_topo_find(&m, "eth0");
	assert_non_null(d);
	assert_string_equal(d->driver, "ixgbe");
	assert_string_equal(d->bus_id, "0000:03:00.0");
	assert_int_equal(d->numa_node, 1);
	assert_int_equal(d->threaded, 1);
	assert_int_equal(d->napi_src, NT_NAPI_SRC_NETLINK);
	assert_true(d->channels.have);
	assert_int_equal(d->channels.combined, 2);
	assert_int_equal(d->channels.combined_max, 8);
	assert_int_equal(d->channels.other, 1);
	assert_int_equal(d->channels.rx, -1);
	/* rx-0: NAPI 513 reports IRQ 41 itself */
	assert_int_equal(d->rx[0].napi_id, 513);
	assert_int_equal(d->rx[0].irq, 41);
	assert_int_equal(d->rx[0].irq_src, NT_IRQ_SRC_NAPI);
	assert_string_equal(d->rx[0].cpus, "");
	assert_int_equal(d->rx[0].rps_flow_cnt, 0);
	/* rx-1: NAPI 514 reports no IRQ: the name eth0-TxRx-1 gives 42 */
	assert_int_equal(d->rx[1].napi_id, 514);
	assert_int_equal(d->rx[1].irq, 42);
	assert_int_equal(d->rx[1].irq_src, NT_IRQ_SRC_NAME);
	assert_string_equal(d->rx[1].cpus, "1-3");
	assert_string_equal(d->rx[1].mask, "00000000,0000000e");
	assert_int_equal(d->rx[1].rps_flow_cnt, 4096);
	assert_string_equal(d->tx[1].cpus, "1");
	assert_int_equal(d->tx[1].rps_flow_cnt, -1);
	/* kthreads: pid from napi-get, allowed CPUs and last CPU from /proc */
	n = nt_topo_find_napi(d, 513);
	assert_non_null(n);
	assert_int_equal(n->pid, 700);
	assert_true(n->have_kthread);
	assert_string_equal(n->allowed, "3");
	assert_int_equal(n->last_cpu, 3);
	n = nt_topo_find_napi(d, 514);
	assert_string_equal(n->allowed, "0-3");
	assert_int_equal(n->last_cpu, 2);
	/* IRQs: 40 (device vector), 41/42 queue vectors, 43 unnamed after eth0 */
	assert_int_equal(d->n_irq, 4);
	x = nt_topo_find_irq(d, 42);
	assert_true(x->matched);
	assert_int_equal(x->kind, NT_IRQ_QUEUE_RXTX);
	assert_int_equal(x->queue, 1);
	assert_string_equal(x->affinity, "0-3");
	assert_string_equal(x->effective, "1");
	x = nt_topo_find_irq(d, 40);
	assert_true(x->matched);
	assert_int_equal(x->kind, NT_IRQ_DEVICE);
	x = nt_topo_find_irq(d, 43);
	assert_false(x->matched);
	assert_string_equal(x->name, "fdir");
	assert_null(x->effective);

	/* veth0: NAPIs exist, the queue mapping is unknown and stays unknown */
	d = nt_topo_find(&m, "veth0");
	assert_non_null(d);
	assert_false(d->channels.have);
	assert_int_equal(d->n_napi, 2);
	assert_int_equal(d->napi[0].id, 599);
	assert_int_equal(d->napi[0].irq, -1);
	assert_int_equal(d->napi[0].pid, -1);
	for (unsigned int q = 0; q < 2; q++) {
		assert_int_equal(d->rx[q].napi_id, 0);
		assert_int_equal(d->rx[q].irq, -1);
		assert_int_equal(d->rx[q].irq_src, NT_IRQ_SRC_NONE);
		assert_int_equal(d->tx[q].napi_id, 0);
	}
	assert_int_equal(d->n_irq, 0);
	assert_int_equal(fake_nl_sent_cmd(&f, 2), ETHTOOL_MSG_CHANNELS_GET);
	nt_topo_done(&m);
	nt_root_free(root);
	nt_nl_free(nl);
	fake_nl_done(&f);
	nt_test_rmtree(dir);
}

static void test_without_netlink(void **state)
{
	char *dir = make_tree();
	const struct nt_topo_dev *d;
	struct nt_root *root;
	struct nt_topo m = {};

	(void)state;
	assert_int_equal(nt_root_open(dir, &root), 0);
	assert_int_equal(nt_topo_read(root, NULL, NULL, &m, NULL), 0);
	d = nt_topo_find(&m, "eth0");
	/* kernel without napi-get: NAPI ids only from the threaded kthreads' names */
	assert_int_equal(d->napi_src, NT_NAPI_SRC_KTHREAD);
	assert_int_equal(d->n_napi, 2);
	assert_int_equal(d->napi[0].id, 513);
	assert_int_equal(d->napi[0].pid, 700);
	assert_int_equal(d->napi[0].irq, -1);
	assert_string_equal(d->napi[0].allowed, "3");
	assert_false(d->channels.have);
	/* ...but no queue->NAPI link; the IRQ comes from the vector names */
	assert_int_equal(d->rx[0].napi_id, 0);
	assert_int_equal(d->rx[0].irq, 41);
	assert_int_equal(d->rx[0].irq_src, NT_IRQ_SRC_NAME);
	assert_int_equal(d->tx[1].irq, 42);
	d = nt_topo_find(&m, "veth0");
	assert_int_equal(d->napi_src, NT_NAPI_SRC_NONE);
	assert_int_equal(d->n_napi, 0);
	nt_topo_done(&m);
	nt_root_free(root);
	nt_test_rmtree(dir);
}

static void test_only_and_missing(void **state)
{
	char *dir = make_tree(), *only[] = {"veth0", NULL}, *bad[] = {"eth0", "eth9", NULL};
	struct nt_root *root;
	struct nt_topo m = {};
	struct nt_err e = {};

	(void)state;
	assert_int_equal(nt_root_open(dir, &root), 0);
	assert_int_equal(nt_topo_read(root, NULL, only, &m, NULL), 0);
	assert_int_equal(m.n, 1);
	assert_string_equal(m.dev[0].name, "veth0");
	nt_topo_done(&m);
	assert_int_equal(nt_topo_read(root, NULL, bad, &m, &e), -ENODEV);
	assert_non_null(strstr(e.msg, "'eth9'"));
	/* no /proc/interrupts: reported, the rest still mapped */
	nt_test_write(dir, "proc/interrupts", "garbage without a header\n");
	assert_int_equal(nt_topo_read(root, NULL, NULL, &m, NULL), 0);
	assert_true(m.err_interrupts < 0);
	assert_int_equal(nt_topo_find(&m, "eth0")->rx[0].irq, -1);
	nt_topo_done(&m);
	nt_root_free(root);
	nt_test_rmtree(dir);
}

/*
 * One device asked for (the daemon's hotplug pass): the napi-get and queue-get dumps carry
 * its ifindex, so the kernel sends its rows only; a kernel that refuses the filter
 * (-EINVAL) is asked again without it.
 */
static void test_one_device_dump_filter(void **state)
{
	char *dir = make_tree(), *only[] = {"eth0", NULL};
	struct nlattr *tb[NT_NETDEV_A_QUEUE_MAX + 1];
	struct nt_root *root;
	struct nt_topo m = {};
	struct fake_nl f;
	struct nt_nl *nl;

	(void)state;
	fake_nl_init(&f);
	fake_nl_family(&f, "netdev", NETDEV_ID);
	fake_nl_family(&f, "ethtool", ETHTOOL_ID);
	napi(&f, 2, 513, 41, 700);
	queue(&f, 2, NT_NETDEV_QUEUE_TYPE_RX, 0, 513);
	fake_nl_error(&f, 2, -EOPNOTSUPP, NULL); /* channels */
	nl = fake_nl_open(&f);
	assert_int_equal(nt_root_open(dir, &root), 0);
	assert_int_equal(nt_topo_read(root, nl, only, &m, NULL), 0);
	assert_int_equal(m.n, 1);
	assert_int_equal(m.dev[0].rx[0].napi_id, 513);
	assert_int_equal(fake_nl_sent_cmd(&f, 0), NT_NETDEV_CMD_NAPI_GET);
	assert_int_equal(fake_nl_sent_attrs(&f, 0, tb, NT_NETDEV_A_NAPI_MAX), 0);
	assert_non_null(tb[NT_NETDEV_A_NAPI_IFINDEX]);
	assert_int_equal(nla_get_u32(tb[NT_NETDEV_A_NAPI_IFINDEX]), 2);
	assert_int_equal(fake_nl_sent_cmd(&f, 1), NT_NETDEV_CMD_QUEUE_GET);
	assert_int_equal(fake_nl_sent_attrs(&f, 1, tb, NT_NETDEV_A_QUEUE_MAX), 0);
	assert_non_null(tb[NT_NETDEV_A_QUEUE_IFINDEX]);
	assert_int_equal(nla_get_u32(tb[NT_NETDEV_A_QUEUE_IFINDEX]), 2);
	nt_topo_done(&m);
	nt_nl_free(nl);
	fake_nl_done(&f);

	/* the filter refused: the whole dump, other devices' rows dropped */
	fake_nl_init(&f);
	fake_nl_family(&f, "netdev", NETDEV_ID);
	fake_nl_family(&f, "ethtool", ETHTOOL_ID);
	fake_nl_error(&f, 0, -EINVAL, "unknown attribute");
	for (uint32_t ifindex = 2; ifindex <= 5; ifindex += 3) {
		struct nl_msg *r = fake_nl_reply(&f, 1, NETDEV_ID, NT_NETDEV_CMD_NAPI_GET);

		nla_put_u32(r, NT_NETDEV_A_NAPI_IFINDEX, ifindex);
		nla_put_u32(r, NT_NETDEV_A_NAPI_ID, ifindex == 2 ? 513 : 600);
	}
	fake_nl_error(&f, 2, -EINVAL, "unknown attribute");
	for (uint32_t ifindex = 2; ifindex <= 5; ifindex += 3) {
		struct nl_msg *r = fake_nl_reply(&f, 3, NETDEV_ID, NT_NETDEV_CMD_QUEUE_GET);

		nla_put_u32(r, NT_NETDEV_A_QUEUE_IFINDEX, ifindex);
		nla_put_u32(r, NT_NETDEV_A_QUEUE_TYPE, NT_NETDEV_QUEUE_TYPE_RX);
		nla_put_u32(r, NT_NETDEV_A_QUEUE_ID, 0);
		nla_put_u32(r, NT_NETDEV_A_QUEUE_NAPI_ID, ifindex == 2 ? 513 : 600);
	}
	fake_nl_error(&f, 4, -EOPNOTSUPP, NULL);
	nl = fake_nl_open(&f);
	assert_int_equal(nt_topo_read(root, nl, only, &m, NULL), 0);
	assert_int_equal(m.n, 1);
	assert_int_equal(m.dev[0].n_napi, 1);
	assert_int_equal(m.dev[0].napi[0].id, 513);
	assert_int_equal(m.dev[0].rx[0].napi_id, 513);
	assert_int_equal(fake_nl_sent_attrs(&f, 1, tb, NT_NETDEV_A_NAPI_MAX), 0);
	assert_null(tb[NT_NETDEV_A_NAPI_IFINDEX]);
	nt_topo_done(&m);
	nt_nl_free(nl);
	fake_nl_done(&f);
	nt_root_free(root);
	nt_test_rmtree(dir);
}

/* What identifies a device, without its queues and IRQs. */
static void test_ident(void **state)
{
	char *dir = make_tree();
	struct nt_root *root;
	struct nt_topo_dev d;

	(void)state;
	assert_int_equal(nt_root_open(dir, &root), 0);
	assert_int_equal(nt_topo_read_ident(root, false, "eth0", &d), 0);
	assert_string_equal(d.name, "eth0");
	assert_int_equal(d.ifindex, 2);
	assert_true(d.physical);
	assert_string_equal(d.bus_id, "0000:03:00.0");
	assert_string_equal(d.driver, "ixgbe");
	assert_int_equal(d.n_rx, 0);
	assert_int_equal(nt_topo_read_ident(root, false, "veth0", &d), 0);
	assert_false(d.physical);
	assert_string_equal(d.driver, "");
	assert_int_equal(nt_topo_read_ident(root, false, "eth9", &d), -ENODEV);
	nt_root_free(root);
	nt_test_rmtree(dir);
}

/* @m as napictl map --json writes it (the caller frees it) */
static char *topo_json(const struct nt_topo *m)
{
	char *buf = NULL;
	size_t len = 0;
	struct nt_json j;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	nt_json_init(&j, f, false);
	nt_topo_write_json(m, &j);
	nt_json_finish(&j);
	fclose(f);
	return buf;
}

static void test_json(void **state)
{
	char *dir = make_tree(), *buf = NULL;
	struct nt_root *root;
	struct nt_topo m = {};

	(void)state;
	assert_int_equal(nt_root_open(dir, &root), 0);
	assert_int_equal(nt_topo_read(root, NULL, NULL, &m, NULL), 0);
	buf = topo_json(&m);
	assert_non_null(strstr(buf, "\"schema\":1"));
	assert_non_null(strstr(buf, "\"napi_source\":\"kthread-names\""));
	/* rx-1 of eth0: unknown NAPI is null, the RPS list and flow count are given */
	assert_non_null(strstr(buf,
			       "{\"index\":1,\"napi_id\":null,\"irq\":42,\"irq_source\":"
			       "\"irq-name\",\"irq_affinity\":\"0-3\",\"irq_effective\":\"1\","
			       "\"kthread_pid\":null,\"kthread_cpus\":null,\"kthread_last_cpu\":"
			       "null,\"rps_cpus\":\"1-3\",\"rps_mask\":\"00000000,0000000e\","
			       "\"rps_flow_cnt\":4096}"));
	/* No one filled the RSS summary: null, the kernel did not say. */
	assert_non_null(strstr(buf, "\"rss\":null,\"napis\""));
	free(buf);

	/* Filled (napictl map does it through the rss knobs): the table's summary. */
	m.dev[0].rss = (struct nt_topo_rss){
		.have = true, .size = 128, .key_len = 40, .hfunc = "toeplitz", .n_queues = 2};
	m.dev[0].rss.entries = calloc(2, sizeof(unsigned int));
	assert_non_null(m.dev[0].rss.entries);
	m.dev[0].rss.entries[0] = 96;
	m.dev[0].rss.entries[1] = 32;
	buf = topo_json(&m);
	assert_non_null(strstr(buf,
			       "\"rss\":{\"table_size\":128,\"hash_function\":\"toeplitz\","
			       "\"key_len\":40,\"queues\":[{\"queue\":0,\"entries\":96,"
			       "\"share\":0.75},{\"queue\":1,\"entries\":32,\"share\":0.25}]}"));
	free(buf);
	nt_topo_done(&m);
	nt_root_free(root);
	nt_test_rmtree(dir);
}

static char *make_simple_tree(void)
{
	char *dir = nt_test_mkdtemp(), path[512];
	static const char *const files[][2] = {
		{"sys/class/net/eth0/ifindex", "2\n"},
		{"sys/class/net/eth0/device/numa_node", "1\n"},
		{"sys/class/net/eth0/device/msi_irqs/45", "msix\n"},
		{"sys/class/net/eth0/device/msi_irqs/41", "msix\n"},
		{"sys/class/net/eth0/device/msi_irqs/42", "msix\n"},
		{"sys/class/net/eth0/queues/rx-0/rps_cpus", "0\n"},
		{"sys/class/net/eth0/queues/rx-1/rps_cpus", "0\n"},
		{"sys/class/net/eth0/queues/tx-0/xps_cpus", "0\n"},
		{"sys/class/net/eth0/queues/tx-1/xps_cpus", "0\n"},
		{"sys/class/net/lo/ifindex", "1\n"},
		{"sys/class/net/lo/queues/rx-0/rps_cpus", "0\n"},
		{"sys/class/net/lo/queues/tx-0/xps_cpus", "0\n"},
		{"sys/class/net/bonding_masters", "\n"},
		{"sys/bus/pci/drivers/ixgbe/bind", ""},
	};

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		nt_test_write(dir, files[i][0], files[i][1]);
	snprintf(path, sizeof(path), "%s/sys/class/net/eth0/device/driver", dir);
	assert_int_equal(symlink("../../../../bus/pci/drivers/ixgbe", path), 0);
	return dir;
}

/* ---- a device described by sysfs alone, then by netdev netlink ---- */

static void test_sysfs_only(void **state)
{
	char *dir = make_simple_tree();
	struct nt_topo l = {};
	const struct nt_topo_dev *d;
	struct nt_root *root;

	(void)state;
	assert_int_equal(nt_root_open(dir, &root), 0);
	assert_int_equal(nt_topo_read(root, NULL, NULL, &l, NULL), 0);
	assert_int_equal(l.n, 2); /* bonding_masters is not a device */
	assert_false(l.have_netlink);
	d = nt_topo_find(&l, "eth0");
	assert_non_null(d);
	assert_int_equal(d->ifindex, 2);
	assert_string_equal(d->driver, "ixgbe");
	assert_true(d->physical);
	assert_int_equal(d->numa_node, 1);
	assert_int_equal(d->n_rx, 2);
	assert_int_equal(d->n_tx, 2);
	assert_int_equal(d->n_irq, 3);
	assert_int_equal(d->irq[0].irq, 41);
	assert_int_equal(d->irq[2].irq, 45);
	assert_int_equal(d->rx[1].irq, -1);
	d = nt_topo_find(&l, "lo");
	assert_non_null(d);
	assert_false(d->physical);
	assert_string_equal(d->driver, "");
	assert_int_equal(d->numa_node, -1);
	assert_null(nt_topo_find(&l, "eth9"));
	nt_topo_done(&l);
	nt_root_free(root);
	nt_test_rmtree(dir);
}

static void test_with_netlink(void **state)
{
	char *dir = make_simple_tree();
	struct nt_topo l = {};
	const struct nt_topo_dev *d;
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
	assert_int_equal(nt_topo_read(root, nl, NULL, &l, NULL), 0);
	assert_true(l.have_netlink);
	d = nt_topo_find(&l, "eth0");
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
	assert_null(nt_topo_find_napi(d, 0));
	assert_non_null(nt_topo_find_napi(d, 514));
	assert_int_equal(fake_nl_sent_cmd(&f, 0), NT_NETDEV_CMD_NAPI_GET);
	assert_int_equal(fake_nl_sent_cmd(&f, 1), NT_NETDEV_CMD_QUEUE_GET);
	nt_topo_done(&l);
	nt_root_free(root);
	nt_nl_free(nl);
	fake_nl_done(&f);
	nt_test_rmtree(dir);
}

static void test_old_kernel_without_netdev_family(void **state)
{
	char *dir = make_simple_tree();
	struct nt_topo l = {};
	struct nt_root *root;
	struct fake_nl f;
	struct nt_nl *nl;

	(void)state;
	fake_nl_init(&f); /* no "netdev" family: kernel < 6.3 */
	nl = fake_nl_open(&f);
	assert_int_equal(nt_root_open(dir, &root), 0);
	assert_int_equal(nt_topo_read(root, nl, NULL, &l, NULL), 0);
	assert_false(l.have_netlink);
	assert_int_equal(l.n, 2);
	nt_topo_done(&l);
	nt_root_free(root);
	nt_nl_free(nl);
	fake_nl_done(&f);
	nt_test_rmtree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_netlink),
		cmocka_unit_test(test_without_netlink),
		cmocka_unit_test(test_only_and_missing),
		cmocka_unit_test(test_one_device_dump_filter),
		cmocka_unit_test(test_ident),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_sysfs_only),
		cmocka_unit_test(test_with_netlink),
		cmocka_unit_test(test_old_kernel_without_netdev_family),
	};

	return cmocka_run_group_tests_name("topo", tests, NULL, NULL);
}
