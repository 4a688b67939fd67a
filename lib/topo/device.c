// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <netlink/genl/genl.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "device.h"
#include "fs.h"
#include "nl-netdev.h"
#include "nl.h"
#include "parse-util.h"

static int read_int(const struct nt_root *root, const char *path, int def)
{
	_cleanup_free_ char *line = NULL;
	int64_t v;

	if (nt_read_line(root, path, &line) < 0 || nt_parse_s64(line, &v) < 0)
		return def;
	return (int)v;
}

static int add_irq(struct nt_device *d, int irq)
{
	int *p;

	if (irq < 0)
		return 0;
	for (unsigned int i = 0; i < d->n_irq; i++)
		if (d->irq[i] == irq)
			return 0;
	p = realloc(d->irq, (d->n_irq + 1) * sizeof(*p));
	if (!p)
		return -ENOMEM;
	d->irq = p;
	d->irq[d->n_irq++] = irq;
	return 0;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/* MSI(-X) vectors of the device, or of its parent (virtio-net sits below virtio-pci). */
static int read_msi_irqs(const struct nt_root *root, struct nt_device *d)
{
	static const char *const dirs[] = { "device/msi_irqs", "device/../msi_irqs" };
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
			r = add_irq(d, (int)irq);
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

static int read_queues(const struct nt_root *root, struct nt_device *d)
{
	char path[256], **names = NULL;
	unsigned int nrx = 0, ntx = 0;
	int r;

	snprintf(path, sizeof(path), "sys/class/net/%s/queues", d->name);
	r = nt_list_dir(root, path, &names, NULL);
	if (r < 0)
		return r == -ENOENT ? 0 : r;
	for (char **n = names; *n; n++) {
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
		d->rx[i] = (struct nt_queue){ .index = i, .irq = -1 };
	for (unsigned int i = 0; i < ntx; i++)
		d->tx[i] = (struct nt_queue){ .index = i, .irq = -1 };
	return 0;
}

static int read_device(const struct nt_root *root, const char *name, struct nt_device *d)
{
	_cleanup_free_ char *link = NULL;
	char path[256];
	int r;

	if (strlen(name) >= sizeof(d->name))
		return -ENAMETOOLONG;
	strcpy(d->name, name);
	snprintf(path, sizeof(path), "sys/class/net/%s/ifindex", name);
	d->ifindex = read_int(root, path, -1);
	if (d->ifindex < 0)
		return -ENODEV; /* not a netdev directory (e.g. bonding_masters) */
	snprintf(path, sizeof(path), "sys/class/net/%s/device", name);
	d->physical = nt_path_exists(root, path);
	snprintf(path, sizeof(path), "sys/class/net/%s/device/driver", name);
	if (nt_read_link(root, path, &link) >= 0) {
		const char *base = strrchr(link, '/');

		snprintf(d->driver, sizeof(d->driver), "%s", base ? base + 1 : link);
	}
	snprintf(path, sizeof(path), "sys/class/net/%s/device/numa_node", name);
	d->numa_node = read_int(root, path, -1);
	r = read_queues(root, d);
	if (r < 0)
		return r;
	return read_msi_irqs(root, d);
}

/* Virtual devices have no driver link; the kernel still names their driver (veth, ...). */
static void read_driver_ioctl(struct nt_device *d)
{
	struct ethtool_drvinfo info = { .cmd = ETHTOOL_GDRVINFO };
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

static struct nt_device *find_ifindex(struct nt_device_list *l, uint32_t ifindex)
{
	for (unsigned int i = 0; i < l->n; i++)
		if (l->dev[i].ifindex == (int)ifindex)
			return &l->dev[i];
	return NULL;
}

static int napi_cb(const struct nlmsghdr *nlh _unused_, struct nlattr **tb, void *userdata)
{
	struct nt_device_list *l = userdata;
	struct nt_device *d;
	struct nt_napi *n;

	if (!tb[NT_NETDEV_A_NAPI_IFINDEX] || !tb[NT_NETDEV_A_NAPI_ID])
		return 0;
	d = find_ifindex(l, nla_get_u32(tb[NT_NETDEV_A_NAPI_IFINDEX]));
	if (!d)
		return 0;
	n = realloc(d->napi, (d->n_napi + 1) * sizeof(*n));
	if (!n)
		return -ENOMEM;
	d->napi = n;
	n = &d->napi[d->n_napi++];
	n->id = nla_get_u32(tb[NT_NETDEV_A_NAPI_ID]);
	n->irq = tb[NT_NETDEV_A_NAPI_IRQ] ? (int)nla_get_u32(tb[NT_NETDEV_A_NAPI_IRQ]) : -1;
	n->pid = tb[NT_NETDEV_A_NAPI_PID] ? (int)nla_get_u32(tb[NT_NETDEV_A_NAPI_PID]) : -1;
	return add_irq(d, n->irq);
}

static int queue_cb(const struct nlmsghdr *nlh _unused_, struct nlattr **tb, void *userdata)
{
	struct nt_device_list *l = userdata;
	struct nt_device *d;
	uint32_t id, type;

	if (!tb[NT_NETDEV_A_QUEUE_IFINDEX] || !tb[NT_NETDEV_A_QUEUE_ID] ||
	    !tb[NT_NETDEV_A_QUEUE_TYPE] || !tb[NT_NETDEV_A_QUEUE_NAPI_ID])
		return 0;
	d = find_ifindex(l, nla_get_u32(tb[NT_NETDEV_A_QUEUE_IFINDEX]));
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

static int cmp_napi(const void *a, const void *b)
{
	const struct nt_napi *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

static int dump(struct nt_nl *nl, uint8_t cmd, int maxattr, nt_nl_reply_fn cb,
		struct nt_device_list *l)
{
	const struct nt_nl_req req = { .family = NT_NETDEV_FAMILY, .cmd = cmd, .dump = true };

	return nt_nl_get(nl, &req, maxattr, cb, l, NULL);
}

static int read_netlink(struct nt_nl *nl, struct nt_device_list *l)
{
	int r;

	r = dump(nl, NT_NETDEV_CMD_NAPI_GET, NT_NETDEV_A_NAPI_MAX, napi_cb, l);
	if (r < 0)
		return r;
	r = dump(nl, NT_NETDEV_CMD_QUEUE_GET, NT_NETDEV_A_QUEUE_MAX, queue_cb, l);
	if (r < 0)
		return r;
	for (unsigned int i = 0; i < l->n; i++) {
		struct nt_device *d = &l->dev[i];

		if (d->n_napi)
			qsort(d->napi, d->n_napi, sizeof(*d->napi), cmp_napi);
		for (unsigned int q = 0; q < d->n_rx; q++) {
			const struct nt_napi *n = nt_device_find_napi(d, d->rx[q].napi_id);

			if (n)
				d->rx[q].irq = n->irq;
		}
		for (unsigned int q = 0; q < d->n_tx; q++) {
			const struct nt_napi *n = nt_device_find_napi(d, d->tx[q].napi_id);

			if (n)
				d->tx[q].irq = n->irq;
		}
	}
	l->have_netlink = true;
	return 0;
}

int nt_device_list_read(const struct nt_root *root, struct nt_nl *nl,
			struct nt_device_list *ret)
{
	struct nt_device_list l = {};
	char **names = NULL;
	size_t n = 0;
	int r;

	r = nt_list_dir(root, "sys/class/net", &names, &n);
	if (r < 0)
		return r;
	l.dev = calloc(n ? n : 1, sizeof(*l.dev));
	if (!l.dev) {
		nt_strv_free(names);
		return -ENOMEM;
	}
	for (char **p = names; *p; p++) {
		r = read_device(root, *p, &l.dev[l.n]);
		if (r >= 0 && nl && nt_nl_is_live(nl) && !l.dev[l.n].driver[0])
			read_driver_ioctl(&l.dev[l.n]);
		if (r == -ENODEV) {
			free(l.dev[l.n].rx);
			free(l.dev[l.n].tx);
			free(l.dev[l.n].irq);
			memset(&l.dev[l.n], 0, sizeof(l.dev[l.n]));
			continue;
		}
		l.n++;
		if (r < 0)
			goto fail;
	}
	nt_strv_free(names);
	names = NULL;
	/* Kernels before 6.8 have no napi-get: the list is still useful without it. */
	if (nl) {
		r = read_netlink(nl, &l);
		if (r < 0 && r != -EPFNOSUPPORT && r != -EOPNOTSUPP)
			goto fail;
	}
	for (unsigned int i = 0; i < l.n; i++)
		if (l.dev[i].n_irq)
			qsort(l.dev[i].irq, l.dev[i].n_irq, sizeof(int), cmp_int);
	*ret = l;
	return 0;
fail:
	nt_strv_free(names);
	nt_device_list_done(&l);
	return r;
}

void nt_device_list_done(struct nt_device_list *l)
{
	for (unsigned int i = 0; i < l->n; i++) {
		free(l->dev[i].rx);
		free(l->dev[i].tx);
		free(l->dev[i].napi);
		free(l->dev[i].irq);
	}
	free(l->dev);
	*l = (struct nt_device_list){};
}

const struct nt_device *nt_device_find(const struct nt_device_list *l, const char *name)
{
	for (unsigned int i = 0; i < l->n; i++)
		if (streq(l->dev[i].name, name))
			return &l->dev[i];
	return NULL;
}

const struct nt_napi *nt_device_find_napi(const struct nt_device *d, uint32_t id)
{
	if (!id)
		return NULL;
	for (unsigned int i = 0; i < d->n_napi; i++)
		if (d->napi[i].id == id)
			return &d->napi[i];
	return NULL;
}
