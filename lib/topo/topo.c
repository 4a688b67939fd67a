// SPDX-License-Identifier: GPL-2.0-or-later
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/ethtool.h>
#include <linux/ethtool_netlink.h>
#include <linux/sockios.h>

#include "cpuset.h"
#include "fs.h"
#include "kthreads.h"
#include "nl-netdev.h"
#include "nl.h"
#include "parse-util.h"
#include "string-table.h"
#include "topo.h"

static const char *const nt_irq_src_table[_NT_IRQ_SRC_MAX] = {
	[NT_IRQ_SRC_NONE] = NULL, /* unknown: null in JSON */
	[NT_IRQ_SRC_NAPI] = "napi",
	[NT_IRQ_SRC_NAME] = "irq-name",
};

DEFINE_STRING_TABLE_LOOKUP(nt_irq_src, enum nt_irq_src);

static const char *const nt_napi_src_table[_NT_NAPI_SRC_MAX] = {
	[NT_NAPI_SRC_NONE] = "none",
	[NT_NAPI_SRC_NETLINK] = "netlink",
	[NT_NAPI_SRC_KTHREAD] = "kthread-names",
};

DEFINE_STRING_TABLE_LOOKUP(nt_napi_src, enum nt_napi_src);

/* A cpulist file as the kernel prints it; NULL if missing. -ENOMEM only on OOM. */
static int read_list(const struct nt_root *root, const char *path, char **ret)
{
	char *line = NULL;
	int r;

	r = nt_read_line(root, path, &line);
	if (r == -ENOMEM)
		return r;
	*ret = r < 0 ? NULL : line;
	return 0;
}

/* A hex CPU mask file (rps_cpus, xps_cpus): the raw mask and its cpulist; NULLs if unknown. */
static int read_mask(const struct nt_root *root, const char *path, struct nt_cpuset *tmp,
		     struct nt_topo_queue *q)
{
	char *line = NULL;
	int r;

	r = nt_read_line(root, path, &line);
	if (r == -ENOMEM)
		return r;
	if (r < 0)
		return 0;
	if (nt_cpuset_parse_mask(line, tmp, NULL) < 0) {
		free(line);
		return 0;
	}
	r = nt_cpuset_format_list(tmp, &q->cpus);
	if (r < 0) {
		free(line);
		return r;
	}
	q->mask = line;
	return 0;
}

static int cmp_irq(const void *a, const void *b)
{
	const struct nt_topo_irq *x = a, *y = b;

	return (x->irq > y->irq) - (x->irq < y->irq);
}

static int cmp_napi(const void *a, const void *b)
{
	const struct nt_topo_napi *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

static int add_irq(struct nt_topo_dev *d, unsigned int irq, struct nt_topo_irq **ret)
{
	struct nt_topo_irq *p;

	for (unsigned int i = 0; i < d->n_irq; i++)
		if (d->irq[i].irq == irq) {
			if (ret)
				*ret = &d->irq[i];
			return 0;
		}
	p = realloc(d->irq, (d->n_irq + 1) * sizeof(*p));
	if (!p)
		return -ENOMEM;
	d->irq = p;
	p = &d->irq[d->n_irq++];
	*p = (struct nt_topo_irq){.irq = irq, .queue = -1};
	if (ret)
		*ret = p;
	return 0;
}

static int add_napi(struct nt_topo_dev *d, uint32_t id, int irq, int pid)
{
	struct nt_topo_napi *p = realloc(d->napi, (d->n_napi + 1) * sizeof(*p));

	if (!p)
		return -ENOMEM;
	d->napi = p;
	d->napi[d->n_napi++] =
		(struct nt_topo_napi){.id = id, .irq = irq, .pid = pid, .last_cpu = -1};
	return 0;
}

/* An entry of /sys/class/net that is a device (bonding_masters is not). */
static bool is_netdev(const struct nt_root *root, const char *name)
{
	char path[IF_NAMESIZE + 32];

	if (strlen(name) >= IF_NAMESIZE)
		return false;
	snprintf(path, sizeof(path), "sys/class/net/%s/ifindex", name);
	return nt_path_exists(root, path);
}

int nt_netdev_names(const struct nt_root *root, char ***ret, size_t *ret_n)
{
	char **names = NULL;
	size_t n = 0, k = 0;
	int r;

	r = nt_list_dir(root, "sys/class/net", &names, &n);
	if (r < 0)
		return r;
	for (size_t i = 0; i < n; i++) {
		if (!is_netdev(root, names[i])) {
			free(names[i]);
			continue;
		}
		names[k++] = names[i];
	}
	names[k] = NULL;
	*ret = names;
	if (ret_n)
		*ret_n = k;
	return 0;
}

/* ---- sysfs: one device ---- */

/* MSI(-X) vectors of the device, or of its parent (virtio-net sits below virtio-pci). */
static int read_msi_irqs(const struct nt_root *root, struct nt_topo_dev *d)
{
	static const char *const dirs[] = {"device/msi_irqs", "device/../msi_irqs"};
	char path[256];
	int r;

	for (size_t i = 0; i < ARRAY_SIZE(dirs); i++) {
		char **names = NULL;

		snprintf(path, sizeof(path), "sys/class/net/%s/%s", d->name, dirs[i]);
		if (nt_list_dir(root, path, &names, NULL) < 0)
			continue;
		for (char **n = names; *n; n++) {
			uint32_t irq;

			if (nt_parse_u32(*n, &irq) < 0)
				continue;
			r = add_irq(d, irq, NULL);
			if (r < 0) {
				nt_strv_free(names);
				return r;
			}
		}
		nt_strv_free(names);
		return 0;
	}
	return 0;
}

static int read_queues(const struct nt_root *root, struct nt_topo_dev *d)
{
	char path[256], **names = NULL;
	unsigned int nrx = 0, ntx = 0;
	int r;

	snprintf(path, sizeof(path), "sys/class/net/%s/queues", d->name);
	r = nt_list_dir(root, path, &names, NULL);
	if (r < 0 && r != -ENOENT)
		return r;
	for (char **n = names; n && *n; n++) {
		if (strncmp(*n, "rx-", 3) == 0)
			nrx++;
		else if (strncmp(*n, "tx-", 3) == 0)
			ntx++;
	}
	nt_strv_free(names);
	d->rx = calloc(nrx ? nrx : 1, sizeof(*d->rx));
	d->tx = calloc(ntx ? ntx : 1, sizeof(*d->tx));
	if (!d->rx || !d->tx)
		return -ENOMEM;
	d->n_rx = nrx;
	d->n_tx = ntx;
	for (unsigned int i = 0; i < nrx; i++)
		d->rx[i] = (struct nt_topo_queue){.index = i, .irq = -1, .rps_flow_cnt = -1};
	for (unsigned int i = 0; i < ntx; i++)
		d->tx[i] = (struct nt_topo_queue){.index = i, .irq = -1, .rps_flow_cnt = -1};
	return 0;
}

/* Virtual devices have no driver link; the kernel still names their driver (veth, ...). */
static void read_driver_ioctl(struct nt_topo_dev *d)
{
	struct ethtool_drvinfo info = {.cmd = ETHTOOL_GDRVINFO};
	struct ifreq ifr = {};
	_cleanup_close_ int fd = -EBADF;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", d->name);
	ifr.ifr_data = (void *)&info;
	if (ioctl(fd, SIOCETHTOOL, &ifr) < 0)
		return;
	snprintf(d->driver, sizeof(d->driver), "%.*s", (int)sizeof(info.driver), info.driver);
}

int nt_topo_read_ident(const struct nt_root *root, bool live, const char *name,
		       struct nt_topo_dev *d)
{
	char path[256];

	*d = (struct nt_topo_dev){};
	snprintf(d->name, sizeof(d->name), "%s", name);
	snprintf(path, sizeof(path), "sys/class/net/%s/ifindex", name);
	d->ifindex = (int)nt_read_s64_or(root, path, -1);
	if (d->ifindex < 0)
		return -ENODEV;
	snprintf(path, sizeof(path), "sys/class/net/%s/device", name);
	d->physical = nt_path_exists(root, path);
	(void)nt_read_link_base(root, path, d->bus_id, sizeof(d->bus_id));
	snprintf(path, sizeof(path), "sys/class/net/%s/device/driver", name);
	(void)nt_read_link_base(root, path, d->driver, sizeof(d->driver));
	if (live && !d->driver[0])
		read_driver_ioctl(d);
	return 0;
}

/* -ENODEV if the device went away since it was listed. */
static int read_sysfs(const struct nt_root *root, const char *name, bool live,
		      struct nt_topo_dev *d)
{
	char path[256];
	int r;

	r = nt_topo_read_ident(root, live, name, d);
	if (r < 0)
		return r;
	snprintf(path, sizeof(path), "sys/class/net/%s/device/numa_node", name);
	d->numa_node = (int)nt_read_s64_or(root, path, -1);
	snprintf(path, sizeof(path), "sys/class/net/%s/threaded", name);
	d->threaded = (int)nt_read_s64_or(root, path, -1);
	r = read_queues(root, d);
	if (r < 0)
		return r;
	return read_msi_irqs(root, d);
}

/* ---- netlink: NAPIs and queue -> NAPI of every device ---- */

static struct nt_topo_dev *find_ifindex(struct nt_topo *t, uint32_t ifindex)
{
	for (unsigned int i = 0; i < t->n; i++)
		if (t->dev[i].ifindex == (int)ifindex)
			return &t->dev[i];
	return NULL;
}

static int napi_cb(const struct nlmsghdr *nlh _unused_, struct nlattr **tb, void *userdata)
{
	struct nt_topo_dev *d;
	int irq, pid, r;

	if (!tb[NT_NETDEV_A_NAPI_IFINDEX] || !tb[NT_NETDEV_A_NAPI_ID])
		return 0;
	d = find_ifindex(userdata, nla_get_u32(tb[NT_NETDEV_A_NAPI_IFINDEX]));
	if (!d)
		return 0; /* not one of the devices asked for */
	irq = tb[NT_NETDEV_A_NAPI_IRQ] ? (int)nla_get_u32(tb[NT_NETDEV_A_NAPI_IRQ]) : -1;
	pid = tb[NT_NETDEV_A_NAPI_PID] ? (int)nla_get_u32(tb[NT_NETDEV_A_NAPI_PID]) : -1;
	r = add_napi(d, nla_get_u32(tb[NT_NETDEV_A_NAPI_ID]), irq, pid);
	if (r < 0 || irq < 0)
		return r;
	return add_irq(d, (unsigned int)irq, NULL);
}

static int queue_cb(const struct nlmsghdr *nlh _unused_, struct nlattr **tb, void *userdata)
{
	struct nt_topo_dev *d;
	uint32_t id, type;

	if (!tb[NT_NETDEV_A_QUEUE_IFINDEX] || !tb[NT_NETDEV_A_QUEUE_ID] ||
	    !tb[NT_NETDEV_A_QUEUE_TYPE] || !tb[NT_NETDEV_A_QUEUE_NAPI_ID])
		return 0;
	d = find_ifindex(userdata, nla_get_u32(tb[NT_NETDEV_A_QUEUE_IFINDEX]));
	if (!d)
		return 0;
	id = nla_get_u32(tb[NT_NETDEV_A_QUEUE_ID]);
	type = nla_get_u32(tb[NT_NETDEV_A_QUEUE_TYPE]);
	if (type == NT_NETDEV_QUEUE_TYPE_RX && id < d->n_rx)
		d->rx[id].napi_id = nla_get_u32(tb[NT_NETDEV_A_QUEUE_NAPI_ID]);
	else if (type == NT_NETDEV_QUEUE_TYPE_TX && id < d->n_tx)
		d->tx[id].napi_id = nla_get_u32(tb[NT_NETDEV_A_QUEUE_NAPI_ID]);
	return 0;
}

struct dump_filter {
	int attr;
	uint32_t ifindex;
};

static int put_ifindex(struct nl_msg *msg, void *userdata)
{
	const struct dump_filter *f = userdata;

	return nla_put_u32(msg, f->attr, f->ifindex) < 0 ? -ENOMEM : 0;
}

/*
 * One dump; with one device asked for (the daemon's hotplug), only its rows: napi-get and
 * queue-get dumps take an ifindex since they exist (6.8, Documentation/netlink/specs/
 * netdev.yaml), so a machine with thousands of devices costs the same as one. A kernel
 * that refuses the attribute gets the unfiltered dump; the callbacks drop other devices.
 */
static int dump(struct nt_nl *nl, struct nt_topo *t, uint8_t cmd, int filter_attr, int maxattr,
		nt_nl_reply_fn cb)
{
	struct dump_filter f = {.attr = filter_attr};
	struct nt_nl_req req = {.family = NT_NETDEV_FAMILY, .cmd = cmd, .dump = true};
	int r;

	if (t->n == 1 && t->dev[0].ifindex > 0) {
		f.ifindex = (uint32_t)t->dev[0].ifindex;
		req.put = put_ifindex;
		req.put_userdata = &f;
	}
	r = nt_nl_get(nl, &req, maxattr, cb, t, NULL);
	if (r == -EINVAL && req.put) {
		req.put = NULL;
		r = nt_nl_get(nl, &req, maxattr, cb, t, NULL);
	}
	return r;
}

/* Kernels before 6.8 have no napi-get (before 6.3 no netdev family): fine, not an error. */
static int read_netlink(struct nt_nl *nl, struct nt_topo *t)
{
	int r;

	r = dump(nl, t, NT_NETDEV_CMD_NAPI_GET, NT_NETDEV_A_NAPI_IFINDEX, NT_NETDEV_A_NAPI_MAX,
		 napi_cb);
	if (r == -EPFNOSUPPORT || r == -EOPNOTSUPP)
		return 0;
	if (r < 0)
		return r;
	t->have_netlink = true;
	r = dump(nl, t, NT_NETDEV_CMD_QUEUE_GET, NT_NETDEV_A_QUEUE_IFINDEX, NT_NETDEV_A_QUEUE_MAX,
		 queue_cb);
	return r == -EOPNOTSUPP ? 0 : r;
}

/* ---- per device: IRQs, NAPIs, queues, channels ---- */

/* IRQs: the device's own (MSI vectors, NAPI IRQs) plus every name that matches. */
static int collect_irqs(const struct nt_root *root, const struct nt_interrupts *irqs,
			struct nt_topo_dev *d)
{
	const char *bus_id = d->bus_id[0] ? d->bus_id : NULL;
	struct nt_topo_irq *x;
	char path[96];
	int r;

	for (unsigned int i = 0; irqs && i < irqs->n; i++) {
		enum nt_irq_kind kind;
		int queue;

		if (nt_irq_name_match(irqs->irq[i].name, d->name, bus_id, &kind, &queue) < 0)
			continue;
		r = add_irq(d, irqs->irq[i].irq, &x);
		if (r < 0)
			return r;
		x->matched = true;
		x->kind = kind;
		x->queue = queue;
	}
	for (unsigned int i = 0; i < d->n_irq; i++) {
		const struct nt_irq *row;

		x = &d->irq[i];
		row = irqs ? nt_interrupts_find(irqs, x->irq) : NULL;
		if (row && row->name[0]) {
			x->name = strdup(row->name);
			if (!x->name)
				return -ENOMEM;
			/* A vector from msi_irqs whose name is this device's: classify it too. */
			if (!x->matched &&
			    nt_irq_name_match(row->name, d->name, bus_id, &x->kind, &x->queue) == 0)
				x->matched = true;
		}
		snprintf(path, sizeof(path), "proc/irq/%u/smp_affinity_list", x->irq);
		r = read_list(root, path, &x->affinity);
		if (r < 0)
			return r;
		snprintf(path, sizeof(path), "proc/irq/%u/effective_affinity_list", x->irq);
		r = read_list(root, path, &x->effective);
		if (r < 0)
			return r;
	}
	if (d->n_irq)
		qsort(d->irq, d->n_irq, sizeof(*d->irq), cmp_irq);
	return 0;
}

/* The IRQ whose name says it serves queue @q of direction @rx, or -1. */
static int irq_by_name(const struct nt_topo_dev *d, unsigned int q, bool rx)
{
	int found = -1;

	for (unsigned int i = 0; i < d->n_irq; i++) {
		const struct nt_topo_irq *x = &d->irq[i];

		if (!x->matched || x->queue != (int)q || x->kind == NT_IRQ_DEVICE)
			continue;
		if (x->kind == (rx ? NT_IRQ_QUEUE_TX : NT_IRQ_QUEUE_RX))
			continue;
		if (found >= 0)
			return -1; /* two candidates: do not pick one */
		found = (int)x->irq;
	}
	return found;
}

static int collect_napis(const struct nt_kthreads *kt, bool have_netlink, struct nt_topo_dev *d)
{
	int r;

	if (have_netlink) {
		d->napi_src = NT_NAPI_SRC_NETLINK;
	} else if (kt) {
		/*
		 * No napi-get (kernel < 6.8): threaded NAPIs still name their kthread
		 * napi/<dev>-<id>. Names cut by TASK_COMM_LEN carry no id and are skipped.
		 */
		for (unsigned int i = 0; i < kt->n; i++) {
			const struct nt_kthread *t = &kt->t[i];

			if (t->kind != NT_KTHREAD_NAPI || !t->napi_id || !streq(t->dev, d->name))
				continue;
			r = add_napi(d, t->napi_id, -1, t->pid);
			if (r < 0)
				return r;
			d->napi_src = NT_NAPI_SRC_KTHREAD;
		}
	}
	if (d->n_napi)
		qsort(d->napi, d->n_napi, sizeof(*d->napi), cmp_napi);
	for (unsigned int i = 0; kt && i < d->n_napi; i++) {
		struct nt_topo_napi *n = &d->napi[i];
		const struct nt_kthread *t = n->pid > 0 ? nt_kthreads_find(kt, n->pid) : NULL;

		if (!t || t->kind != NT_KTHREAD_NAPI)
			continue;
		n->have_kthread = true;
		n->last_cpu = t->last_cpu;
		snprintf(n->allowed, sizeof(n->allowed), "%s", t->allowed_list);
	}
	return 0;
}

/* A queue's IRQ: the one its NAPI reports (napi-get, 6.8+), else the one named after it. */
static int collect_queues(const struct nt_root *root, struct nt_topo_dev *d, struct nt_cpuset *tmp)
{
	char path[160];
	int r;

	for (unsigned int dir = 0; dir < 2; dir++) {
		bool rx = dir == 0;
		unsigned int n = rx ? d->n_rx : d->n_tx;

		for (unsigned int i = 0; i < n; i++) {
			struct nt_topo_queue *q = rx ? &d->rx[i] : &d->tx[i];
			const struct nt_topo_napi *napi = nt_topo_find_napi(d, q->napi_id);

			if (napi && napi->irq >= 0) {
				q->irq = napi->irq;
				q->irq_src = NT_IRQ_SRC_NAPI;
			} else {
				q->irq = irq_by_name(d, i, rx);
				q->irq_src = q->irq >= 0 ? NT_IRQ_SRC_NAME : NT_IRQ_SRC_NONE;
			}
			snprintf(path, sizeof(path), "sys/class/net/%s/queues/%s-%u/%s", d->name,
				 rx ? "rx" : "tx", i, rx ? "rps_cpus" : "xps_cpus");
			r = read_mask(root, path, tmp, q);
			if (r < 0)
				return r;
			if (rx) {
				snprintf(path, sizeof(path),
					 "sys/class/net/%s/queues/rx-%u/rps_flow_cnt", d->name, i);
				q->rps_flow_cnt = nt_read_s64_or(root, path, -1);
			}
		}
	}
	return 0;
}

static void read_channels(struct nt_nl *nl, struct nt_topo_dev *d)
{
	const struct nt_nl_req req = {.family = ETHTOOL_GENL_NAME,
				      .cmd = ETHTOOL_MSG_CHANNELS_GET,
				      .header = ETHTOOL_A_CHANNELS_HEADER,
				      .ifindex = d->ifindex,
				      .ifname = d->name};
	struct nt_topo_channels *c = &d->channels;
	struct nt_nl_attrs rep;
	const struct {
		int64_t *dst;
		int attr;
	} map[] = {
		{&c->rx_max, ETHTOOL_A_CHANNELS_RX_MAX},
		{&c->tx_max, ETHTOOL_A_CHANNELS_TX_MAX},
		{&c->other_max, ETHTOOL_A_CHANNELS_OTHER_MAX},
		{&c->combined_max, ETHTOOL_A_CHANNELS_COMBINED_MAX},
		{&c->rx, ETHTOOL_A_CHANNELS_RX_COUNT},
		{&c->tx, ETHTOOL_A_CHANNELS_TX_COUNT},
		{&c->other, ETHTOOL_A_CHANNELS_OTHER_COUNT},
		{&c->combined, ETHTOOL_A_CHANNELS_COMBINED_COUNT},
	};

	/* Drivers without get_channels (EOPNOTSUPP) simply have no channel counts. */
	if (nt_nl_get_attrs(nl, &req, ETHTOOL_A_CHANNELS_MAX, &rep, NULL) < 0)
		return;
	c->have = true;
	for (size_t i = 0; i < ARRAY_SIZE(map); i++)
		*map[i].dst = rep.have[map[i].attr] ? (int64_t)rep.v[map[i].attr] : -1;
}

static bool wanted(char *const *only, const char *name)
{
	if (!only)
		return true;
	for (char *const *p = only; *p; p++)
		if (streq(*p, name))
			return true;
	return false;
}

/* The sysfs part of every device asked for, in name order. */
/* @only's names, each checked to be a network device here; -ENODEV with *ret_n its index. */
static int only_names(const struct nt_root *root, char *const *only, char ***ret, size_t *ret_n)
{
	size_t n = 0;
	char **names;

	while (only[n])
		n++;
	names = calloc(n + 1, sizeof(*names));
	if (!names)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		if (!is_netdev(root, only[i])) {
			nt_strv_free(names);
			*ret_n = i;
			return -ENODEV;
		}
		names[i] = strdup(only[i]);
		if (!names[i]) {
			nt_strv_free(names);
			return -ENOMEM;
		}
	}
	*ret = names;
	*ret_n = n;
	return 0;
}

static int read_devices(const struct nt_root *root, struct nt_nl *nl, char *const *only,
			struct nt_topo *t, struct nt_err *reterr)
{
	char **names = NULL;
	size_t n = 0;
	int r;

	/* Named devices need no listing: a machine may have thousands (the daemon's hotplug). */
	r = only ? only_names(root, only, &names, &n) : nt_netdev_names(root, &names, &n);
	if (r == -ENODEV)
		return nt_err_set(reterr, r, "no network device '%s' here", only[n]);
	if (r < 0)
		return nt_err_set(reterr, r, "cannot list the network devices: %s", strerror(-r));
	t->dev = calloc(n ? n : 1, sizeof(*t->dev));
	if (!t->dev) {
		r = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		struct nt_topo_dev *d = &t->dev[t->n];

		if (!wanted(only, names[i]))
			continue;
		t->n++;
		r = read_sysfs(root, names[i], nl && nt_nl_is_live(nl), d);
		if (r == -ENODEV) {
			/* gone since the listing */
			free(d->rx);
			free(d->tx);
			free(d->irq);
			*d = (struct nt_topo_dev){};
			t->n--;
			continue;
		}
		if (r < 0)
			goto out;
	}
	r = 0;
out:
	nt_strv_free(names);
	return r;
}

/*
 * NAPI kthreads exist only in threaded mode (Documentation/networking/napi.rst, "Threaded
 * NAPI"): the scan of every /proc/PID is skipped when no device is threaded (sysfs
 * "threaded", or a NAPI with a thread pid from napi-get).
 */
static bool need_kthreads(const struct nt_topo *t)
{
	for (unsigned int i = 0; i < t->n; i++) {
		if (t->dev[i].threaded != 0)
			return true;
		for (unsigned int k = 0; k < t->dev[i].n_napi; k++)
			if (t->dev[i].napi[k].pid > 0)
				return true;
	}
	return false;
}

int nt_topo_read(const struct nt_root *root, struct nt_nl *nl, char *const *only,
		 struct nt_topo *ret, struct nt_err *reterr)
{
	_cleanup_free_ struct nt_cpuset *tmp = malloc(sizeof(*tmp));
	struct nt_interrupts irqs = {};
	struct nt_kthreads kt = {};
	struct nt_topo t = {};
	int r;

	if (!tmp)
		return -ENOMEM;
	r = read_devices(root, nl, only, &t, reterr);
	if (r < 0)
		goto out;
	if (nl) {
		r = read_netlink(nl, &t);
		if (r < 0)
			goto out;
	}
	t.err_interrupts = nt_interrupts_read(root, &irqs);
	if (need_kthreads(&t))
		t.err_kthreads = nt_kthreads_read(root, &kt);
	if (t.err_interrupts == -ENOMEM || t.err_kthreads == -ENOMEM) {
		r = -ENOMEM;
		goto out;
	}
	for (unsigned int i = 0; i < t.n; i++) {
		struct nt_topo_dev *d = &t.dev[i];

		r = collect_irqs(root, t.err_interrupts ? NULL : &irqs, d);
		if (r >= 0)
			r = collect_napis(t.err_kthreads ? NULL : &kt, t.have_netlink, d);
		if (r >= 0)
			r = collect_queues(root, d, tmp);
		if (r < 0)
			goto out;
		if (nl)
			read_channels(nl, d);
	}
	*ret = t;
	t = (struct nt_topo){};
	r = 0;
out:
	nt_topo_done(&t);
	nt_interrupts_done(&irqs);
	nt_kthreads_done(&kt);
	return r;
}

void nt_topo_done(struct nt_topo *t)
{
	for (unsigned int i = 0; i < t->n; i++) {
		struct nt_topo_dev *d = &t->dev[i];

		for (unsigned int k = 0; k < d->n_irq; k++) {
			free(d->irq[k].name);
			free(d->irq[k].affinity);
			free(d->irq[k].effective);
		}
		for (unsigned int k = 0; k < d->n_rx; k++) {
			free(d->rx[k].cpus);
			free(d->rx[k].mask);
		}
		for (unsigned int k = 0; k < d->n_tx; k++) {
			free(d->tx[k].cpus);
			free(d->tx[k].mask);
		}
		free(d->irq);
		free(d->napi);
		free(d->rss.entries);
		free(d->rx);
		free(d->tx);
	}
	free(t->dev);
	*t = (struct nt_topo){};
}

const struct nt_topo_dev *nt_topo_find(const struct nt_topo *t, const char *name)
{
	for (unsigned int i = 0; i < t->n; i++)
		if (streq(t->dev[i].name, name))
			return &t->dev[i];
	return NULL;
}

const struct nt_topo_napi *nt_topo_find_napi(const struct nt_topo_dev *d, uint32_t id)
{
	if (!id)
		return NULL;
	for (unsigned int i = 0; i < d->n_napi; i++)
		if (d->napi[i].id == id)
			return &d->napi[i];
	return NULL;
}

const struct nt_topo_irq *nt_topo_find_irq(const struct nt_topo_dev *d, int irq)
{
	for (unsigned int i = 0; irq >= 0 && i < d->n_irq; i++)
		if (d->irq[i].irq == (unsigned int)irq)
			return &d->irq[i];
	return NULL;
}
