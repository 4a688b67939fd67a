// SPDX-License-Identifier: GPL-2.0-or-later
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fs.h"
#include "knob-fam.h"
#include "knob-rss.h"
#include "parse-util.h"
#include "snapshot.h"
#include "stats-rings.h"
#include "topo.h"

static const char *const nt_src_table[_NT_SRC_MAX] = {
	[NT_SRC_CPUS] = "cpus",
	[NT_SRC_SOFTNET] = "softnet_stat",
	[NT_SRC_SOFTIRQS] = "softirqs",
	[NT_SRC_CPUSTAT] = "stat",
	[NT_SRC_INTERRUPTS] = "interrupts",
	[NT_SRC_THREADS] = "kthreads",
	[NT_SRC_SNMP] = "snmp",
	[NT_SRC_LINK] = "link_stats",
	[NT_SRC_DEVICES] = "devices",
	[NT_SRC_SYSCTL] = "sysctl",
	[NT_SRC_ETHTOOL] = "ethtool_stats",
	[NT_SRC_QSTATS] = "qstats",
	[NT_SRC_RINGS] = "ring_sizes",
	[NT_SRC_ETHSTD] = "ethtool_std_stats",
	[NT_SRC_SOCKETS] = "sockets",
	[NT_SRC_SOCK_DIAG] = "sock_diag",
	[NT_SRC_SOCK_OWNERS] = "socket_owners",
};

DEFINE_STRING_TABLE_LOOKUP(nt_src, enum nt_src);

/* A numeric knob read through its family (knobs.def has its file), -1 if unreadable. */
static int64_t read_knob(struct nt_ctx *ctx, enum nt_knob_id id, const struct nt_target *t)
{
	_cleanup_free_ char *v = NULL;
	int64_t x;

	if (nt_knob_read(ctx, &nt_knobs[id], t, &v, NULL) < 0 || nt_parse_s64(v, &x) < 0)
		return -1;
	return x;
}

/* A three-value sysctl ("4096\t131072\t6291456"); -1 each when unreadable. */
static void read_triple(struct nt_ctx *ctx, enum nt_knob_id id, int64_t ret[3])
{
	static const struct nt_target global = {};
	_cleanup_free_ char *v = NULL;
	long long x[3];

	ret[0] = ret[1] = ret[2] = -1;
	if (nt_knob_read(ctx, &nt_knobs[id], &global, &v, NULL) < 0 ||
	    sscanf(v, "%lld %lld %lld", &x[0], &x[1], &x[2]) != 3)
		return;
	for (int i = 0; i < 3; i++)
		ret[i] = x[i];
}

static void read_sysctls(struct nt_ctx *ctx, struct nt_snap_sysctl *s, int *err)
{
	static const struct nt_target global = {};
	_cleanup_free_ char *bitmap = NULL;

	s->netdev_max_backlog = read_knob(ctx, NT_KNOB_CORE_NETDEV_MAX_BACKLOG, &global);
	s->netdev_budget = read_knob(ctx, NT_KNOB_CORE_NETDEV_BUDGET, &global);
	s->netdev_budget_usecs = read_knob(ctx, NT_KNOB_CORE_NETDEV_BUDGET_USECS, &global);
	s->dev_weight = read_knob(ctx, NT_KNOB_CORE_DEV_WEIGHT, &global);
	s->busy_read = read_knob(ctx, NT_KNOB_CORE_BUSY_READ, &global);
	s->busy_poll = read_knob(ctx, NT_KNOB_CORE_BUSY_POLL, &global);
	s->rps_sock_flow_entries = read_knob(ctx, NT_KNOB_CORE_RPS_SOCK_FLOW_ENTRIES, &global);
	s->flow_limit_table_len = read_knob(ctx, NT_KNOB_CORE_FLOW_LIMIT_TABLE_LEN, &global);
	s->somaxconn = read_knob(ctx, NT_KNOB_CORE_SOMAXCONN, &global);
	s->tcp_max_syn_backlog = read_knob(ctx, NT_KNOB_IPV4_TCP_MAX_SYN_BACKLOG, &global);
	s->rmem_max = read_knob(ctx, NT_KNOB_CORE_RMEM_MAX, &global);
	s->rmem_default = read_knob(ctx, NT_KNOB_CORE_RMEM_DEFAULT, &global);
	read_triple(ctx, NT_KNOB_IPV4_TCP_RMEM, s->tcp_rmem);
	if (nt_knob_read(ctx, &nt_knobs[NT_KNOB_CORE_FLOW_LIMIT_CPU_BITMAP], &global, &bitmap,
			 NULL) == 0) {
		struct nt_cpuset *set = malloc(sizeof(*set));

		if (set && nt_cpuset_parse_mask(bitmap, set, NULL) == 0)
			s->flow_limit_any = !nt_cpuset_is_empty(set);
		free(set);
	}
	/*
	 * The global net.core table is absent outside the initial netns
	 * (net/core/sysctl_net_core.c: netdev_max_backlog is in net_core_table, init_net only).
	 */
	*err = s->netdev_max_backlog < 0 ? -ENOENT : 0;
}

/* First CPU and count of a cpulist file, or -1. */
static void read_affinity(const struct nt_root *root, unsigned int irq, struct nt_snap_irq *q,
			  struct nt_cpuset *tmp)
{
	static const char *const files[] = {"effective_affinity_list", "smp_affinity_list"};

	q->eff_cpu = -1;
	q->n_eff = 0;
	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		_cleanup_free_ char *line = NULL;
		char path[96];

		snprintf(path, sizeof(path), "proc/irq/%u/%s", irq, files[i]);
		if (nt_read_line(root, path, &line) < 0 ||
		    nt_cpuset_parse_list(line, tmp, NULL) < 0)
			continue;
		if (nt_cpuset_is_empty(tmp))
			continue;
		q->eff_cpu = nt_cpuset_next(tmp, 0);
		q->n_eff = nt_cpuset_count(tmp);
		return;
	}
}

static int add_irq(struct nt_snap_dev *d, unsigned int irq, enum nt_irq_kind kind, int queue)
{
	struct nt_snap_irq *p;

	for (unsigned int i = 0; i < d->n_irq; i++)
		if (d->irq[i].irq == irq)
			return 0;
	p = realloc(d->irq, (d->n_irq + 1) * sizeof(*p));
	if (!p)
		return -ENOMEM;
	d->irq = p;
	d->irq[d->n_irq++] = (struct nt_snap_irq){.irq = irq, .kind = kind, .queue = queue};
	return 0;
}

/*
 * The pre-set maximum of combined channels (ETHTOOL_MSG_CHANNELS_GET through the knob family,
 * read-only), on the live system; -1 when unknown or the device has none.
 */
static int64_t read_channels_max(struct nt_ctx *ctx, const char *name)
{
	const struct nt_knob *k = &nt_knobs[NT_KNOB_CHANNELS_COMBINED];
	const struct nt_target dev = {.ifname = name};
	uint64_t max;

	if (!ctx->live || !ctx->nl || nt_fam_get(k->fam)->caps(ctx, k, &dev, &max, NULL) < 0 ||
	    max > INT32_MAX)
		return -1;
	return (int64_t)max;
}

static const char *const rss_flow_table[_NT_RSS_FLOW_MAX] = {
	[NT_RSS_FLOW_TCP4] = "tcp4",
	[NT_RSS_FLOW_UDP4] = "udp4",
	[NT_RSS_FLOW_TCP6] = "tcp6",
	[NT_RSS_FLOW_UDP6] = "udp6",
};

const char *nt_rss_flow_to_string(enum nt_rss_flow f)
{
	return (unsigned int)f < _NT_RSS_FLOW_MAX ? rss_flow_table[f] : NULL;
}

static const enum nt_knob_id rss_flow_knob[_NT_RSS_FLOW_MAX] = {
	[NT_RSS_FLOW_TCP4] = NT_KNOB_RSS_HASH_TCP4,
	[NT_RSS_FLOW_UDP4] = NT_KNOB_RSS_HASH_UDP4,
	[NT_RSS_FLOW_TCP6] = NT_KNOB_RSS_HASH_TCP6,
	[NT_RSS_FLOW_UDP6] = NT_KNOB_RSS_HASH_UDP6,
};

/*
 * RSS of a multi-queue device: on the live system through the rss knobs' reader
 * (RSS_GET or ETHTOOL_GRSSH, ETHTOOL_GRXFH); fixture trees record
 * napitune-fixture/<dev>/rss-indir (an rss.indir value, expanded to 128 entries if it is
 * "equal N" or "weights ...", or "none") and rss-hash-<flow> (ethtool's letters).
 */
static int read_rss(struct nt_ctx *ctx, const char *name, struct nt_snap_dev *d)
{
	const struct nt_target dev = {.ifname = name};
	char path[256];
	int r;

	d->rss = -1;
	if (d->n_rx < 2 || d->loopback) {
		d->rss = 0;
		return 0;
	}
	if (ctx->live) {
		struct nt_rss_info info = {};

		r = nt_rss_info_read(ctx, &dev, &info, NULL);
		if (r == -ENOMEM)
			return r;
		if (r == -EOPNOTSUPP)
			d->rss = 0;
		if (r >= 0) {
			d->rss = 1;
			d->rss_indir = TAKE_PTR(info.indir);
			d->n_rss_indir = info.n_indir;
		}
	} else {
		_cleanup_free_ char *text = NULL;
		int n;

		snprintf(path, sizeof(path), "napitune-fixture/%s/rss-indir", name);
		if (nt_read_line(ctx->root, path, &text) == 0) {
			n = streq(text, "none") ? 0 : nt_rss_indir_size(text);
			if (n == 0 && !streq(text, "none"))
				n = 128; /* a spec: the size of napiref's (and many NICs') table */
			d->rss = 0;
			if (n > 0) {
				d->rss_indir = calloc((size_t)n, sizeof(*d->rss_indir));
				if (!d->rss_indir)
					return -ENOMEM;
				if (nt_rss_indir_expand(text, (unsigned int)n, d->rss_indir) < 0) {
					free(d->rss_indir);
					d->rss_indir = NULL;
					d->rss = -1;
				} else {
					d->rss = 1;
					d->n_rss_indir = (unsigned int)n;
				}
			}
		}
	}
	if (d->rss != 1)
		return 0;
	for (unsigned int f = 0; f < _NT_RSS_FLOW_MAX; f++) {
		_cleanup_free_ char *v = NULL;
		uint32_t bits;

		if (ctx->live) {
			if (nt_knob_read(ctx, &nt_knobs[rss_flow_knob[f]], &dev, &v, NULL) < 0)
				continue;
		} else {
			snprintf(path, sizeof(path), "napitune-fixture/%s/rss-hash-%s", name,
				 rss_flow_table[f]);
			if (nt_read_line(ctx->root, path, &v) < 0)
				continue;
		}
		if (nt_rss_fields_parse(v, &bits) == 0)
			d->rss_fields[f] = bits;
	}
	return 0;
}

static int read_device(struct nt_ctx *ctx, const struct nt_interrupts *irqs, const char *name,
		       struct nt_snap_dev *d, struct nt_cpuset *tmp)
{
	const struct nt_target dev = {.ifname = name};
	const struct nt_root *root = ctx->root;
	char path[256], **q = NULL;
	_cleanup_free_ char *gro = NULL;
	int64_t type;
	int r;

	snprintf(d->name, sizeof(d->name), "%s", name);
	snprintf(path, sizeof(path), "sys/class/net/%s/ifindex", name);
	d->ifindex = (int)nt_read_s64_or(root, path, -1);
	snprintf(path, sizeof(path), "sys/class/net/%s/type", name);
	type = nt_read_s64_or(root, path, -1);
	d->loopback = type == 772 || streq(name, "lo"); /* ARPHRD_LOOPBACK */
	snprintf(path, sizeof(path), "sys/class/net/%s/device", name);
	d->physical = nt_read_link_base(root, path, d->bus_id, sizeof(d->bus_id)) == 0;
	d->threaded = (int)read_knob(ctx, NT_KNOB_DEV_THREADED, &dev);
	d->gro_flush_timeout = read_knob(ctx, NT_KNOB_DEV_GRO_FLUSH_TIMEOUT, &dev);
	d->napi_defer_hard_irqs = read_knob(ctx, NT_KNOB_DEV_NAPI_DEFER_HARD_IRQS, &dev);
	/* GRO: the ioctl on the live system; fixture trees record napitune-fixture/<dev>/gro. */
	d->gro = -1;
	if (ctx->live) {
		if (nt_knob_read(ctx, &nt_knobs[NT_KNOB_GRO], &dev, &gro, NULL) == 0)
			d->gro = streq(gro, "1");
	} else {
		snprintf(path, sizeof(path), "napitune-fixture/%s/gro", name);
		if (nt_path_exists(root, path))
			d->gro = (int)nt_read_s64_or(root, path, -1);
	}

	snprintf(path, sizeof(path), "sys/class/net/%s/queues", name);
	if (nt_list_dir(root, path, &q, NULL) == 0) {
		for (char **e = q; *e; e++) {
			_cleanup_free_ char *mask = NULL;
			struct nt_target queue = dev;

			if (!strncmp(*e, "tx-", 3)) {
				d->n_tx++;
				continue;
			}
			if (sscanf(*e, "rx-%u", &queue.index) != 1)
				continue;
			d->n_rx++;
			if (nt_knob_read(ctx, &nt_knobs[NT_KNOB_QUEUE_RPS_CPUS], &queue, &mask,
					 NULL) == 0 &&
			    nt_cpuset_parse_mask(mask, tmp, NULL) == 0 && !nt_cpuset_is_empty(tmp))
				d->n_rps++;
		}
		nt_strv_free(q);
	}

	/* IRQs: MSI vectors of the device (or its virtio parent) and names in /proc/interrupts. */
	for (unsigned int i = 0; i < irqs->n; i++) {
		enum nt_irq_kind kind;
		int queue;

		if (nt_irq_name_match(irqs->irq[i].name, name, d->physical ? d->bus_id : NULL,
				      &kind, &queue) == 0) {
			r = add_irq(d, irqs->irq[i].irq, kind, queue);
			if (r < 0)
				return r;
		}
	}
	for (unsigned int i = 0; i < d->n_irq; i++)
		read_affinity(root, d->irq[i].irq, &d->irq[i], tmp);
	d->channels_max = d->n_irq ? read_channels_max(ctx, name) : -1;
	return read_rss(ctx, name, d);
}

static int cmp_dev(const void *a, const void *b)
{
	return strcmp(((const struct nt_snap_dev *)a)->name, ((const struct nt_snap_dev *)b)->name);
}

static int read_devices(struct nt_ctx *ctx, const struct nt_interrupts *irqs, struct nt_snapshot *s)
{
	_cleanup_free_ struct nt_cpuset *tmp = malloc(sizeof(*tmp));
	char **names = NULL;
	size_t n = 0;
	int r;

	if (!tmp)
		return -ENOMEM;
	r = nt_netdev_names(ctx->root, &names, &n);
	if (r < 0)
		return r;
	s->dev = calloc(n ? n : 1, sizeof(*s->dev));
	if (!s->dev) {
		nt_strv_free(names);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		r = read_device(ctx, irqs, names[i], &s->dev[s->n_dev], tmp);
		s->n_dev++;
		if (r < 0) {
			nt_strv_free(names);
			return r;
		}
	}
	nt_strv_free(names);
	qsort(s->dev, s->n_dev, sizeof(*s->dev), cmp_dev);
	return 0;
}

/*
 * The devices of an earlier sample, their configuration and IRQs (deep copies), without
 * the counters of that sample.
 */
static int copy_devices(const struct nt_snapshot *from, struct nt_snapshot *s)
{
	s->dev = calloc(from->n_dev ? from->n_dev : 1, sizeof(*s->dev));
	if (!s->dev)
		return -ENOMEM;
	for (unsigned int i = 0; i < from->n_dev; i++) {
		const struct nt_snap_dev *f = &from->dev[i];
		struct nt_snap_dev *d = &s->dev[i];

		*d = (struct nt_snap_dev){
			.ifindex = f->ifindex,
			.physical = f->physical,
			.loopback = f->loopback,
			.n_rx = f->n_rx,
			.n_tx = f->n_tx,
			.n_rps = f->n_rps,
			.threaded = f->threaded,
			.gro_flush_timeout = f->gro_flush_timeout,
			.napi_defer_hard_irqs = f->napi_defer_hard_irqs,
			.gro = f->gro,
			.channels_max = f->channels_max,
		};
		memcpy(d->name, f->name, sizeof(d->name));
		memcpy(d->bus_id, f->bus_id, sizeof(d->bus_id));
		s->n_dev++;
		if (f->n_irq) {
			d->irq = malloc(f->n_irq * sizeof(*d->irq));
			if (!d->irq)
				return -ENOMEM;
			memcpy(d->irq, f->irq, f->n_irq * sizeof(*d->irq));
			d->n_irq = f->n_irq;
		}
	}
	return 0;
}

/* NUMA node of each CPU from sys/devices/system/node/node<N>/cpulist; -1 where unknown. */
static int read_cpu_nodes(const struct nt_root *root, unsigned int n_cpu, int **ret)
{
	_cleanup_free_ struct nt_cpuset *set = malloc(sizeof(*set));
	_cleanup_free_ int *node = calloc(n_cpu ? n_cpu : 1, sizeof(*node));
	char **e = NULL;

	if (!set || !node)
		return -ENOMEM;
	for (unsigned int c = 0; c < n_cpu; c++)
		node[c] = -1;
	if (nt_list_dir(root, "sys/devices/system/node", &e, NULL) == 0) {
		for (char **p = e; *p; p++) {
			_cleanup_free_ char *list = NULL;
			char path[96], *end;
			long id;

			if (strncmp(*p, "node", 4))
				continue;
			id = strtol(*p + 4, &end, 10);
			if (*end || id < 0 || id > INT32_MAX)
				continue;
			snprintf(path, sizeof(path), "sys/devices/system/node/%s/cpulist", *p);
			if (nt_read_line(root, path, &list) < 0 ||
			    nt_cpuset_parse_list(list, set, NULL) < 0)
				continue;
			NT_CPUSET_FOREACH (cpu, set)
				if ((unsigned int)cpu < n_cpu)
					node[cpu] = (int)id;
		}
		nt_strv_free(e);
	}
	*ret = TAKE_PTR(node);
	return 0;
}

/*
 * The sockets that dropped (stats-sockets.h): /proc/net/udp{,6} of the namespace, sock_diag
 * (live; a recorded tree has the dumps' bytes in napitune-fixture/sock_diag-{udp,tcp}), then
 * their processes.
 */
static void read_sockets(const struct nt_snapshot_opts *o, struct nt_snapshot *s)
{
	static const struct {
		const char *file;
		int family;
	} udp[] = {{"udp", AF_INET}, {"udp6", AF_INET6}};
	static const struct {
		const char *file;
		uint8_t proto;
	} diag[] = {{"sock_diag-udp", IPPROTO_UDP}, {"sock_diag-tcp", IPPROTO_TCP}};
	int r, missed;
	bool any = false;

	for (size_t i = 0; i < ARRAY_SIZE(udp) && !s->err[NT_SRC_SOCKETS]; i++) {
		_cleanup_free_ char *text = NULL;
		char path[128];
		size_t size;

		snprintf(path, sizeof(path), "%s/%s", o->netdir ?: "proc/net", udp[i].file);
		r = nt_read_file(o->root, path, &text, &size);
		if (r == -ENOENT && udp[i].family == AF_INET6)
			continue; /* no IPv6 */
		if (r == 0)
			r = nt_sockets_parse_proc_udp(text, size, udp[i].family, &s->socks);
		s->err[NT_SRC_SOCKETS] = r;
	}
	if (o->live) {
		s->err[NT_SRC_SOCK_DIAG] = nt_sockets_read_diag(&s->socks);
	} else {
		for (size_t i = 0; i < ARRAY_SIZE(diag) && !s->err[NT_SRC_SOCK_DIAG]; i++) {
			_cleanup_free_ char *bytes = NULL;
			char path[64];
			size_t size;
			bool done;

			snprintf(path, sizeof(path), "napitune-fixture/%s", diag[i].file);
			r = nt_read_file(o->root, path, &bytes, &size);
			if (r == -ENOENT)
				continue;
			if (r == 0)
				r = nt_sockets_parse_diag(bytes, size, diag[i].proto, &s->socks,
							  &done);
			s->err[NT_SRC_SOCK_DIAG] = r;
			any = true;
		}
		/* not recorded: like the other live-only sources */
		if (!any)
			s->err[NT_SRC_SOCK_DIAG] = -ENOTCONN;
	}
	nt_sockets_finish(&s->socks);
	r = nt_sockets_read_owners(o->root, &s->socks, &missed);
	s->err[NT_SRC_SOCK_OWNERS] = r < 0 ? r : missed;
}

/*
 * The counters of every device. They list the machine's devices anyway: with a kept
 * topology, a device they have and it lacks, one it has and they lack, or a changed
 * ifindex (a device re-created under its name) make it stale.
 */
static int attach_link_stats(const struct nt_snapshot_opts *o, struct nt_snapshot *s)
{
	struct nt_link_stats_list l = {};
	unsigned int found = 0;
	int r;

	r = o->live ? nt_link_stats_read_netlink(&l) : nt_link_stats_read_sysfs(o->root, &l);
	if (r < 0)
		return r;
	for (unsigned int i = 0; i < s->n_dev; i++) {
		const struct nt_link_stats *st = nt_link_stats_find(&l, s->dev[i].name);

		if (st) {
			s->dev[i].stats = *st;
			s->dev[i].have_stats = true;
			found++;
			/* sysfs statistics of a fixture tree carry no ifindex */
			if (o->topo_from && st->ifindex > 0 && st->ifindex != s->dev[i].ifindex)
				s->topo_stale = true;
		}
	}
	if (o->topo_from && (found != s->n_dev || l.n != s->n_dev))
		s->topo_stale = true;
	nt_link_stats_done(&l);
	return 0;
}

/*
 * A per-device driver source: read live over ethtool netlink (or its ioctl), or from the
 * recorded text of the matching ethtool command in napitune-fixture/<dev>/<fixture>.
 */
struct dev_source {
	const char *fixture;
	int (*read)(struct nt_nl *nl, struct nt_snap_dev *d);
	int (*parse)(const char *text, struct nt_snap_dev *d);
};

/*
 * Devices without the source (veth: EOPNOTSUPP; no recorded file: ENOENT; gone since the
 * listing: ENODEV) are not an error; the source fails only if no device had it.
 */
static int attach_dev_source(const struct nt_snapshot_opts *o, struct nt_snapshot *s,
			     const struct dev_source *src)
{
	int first_err = 0;
	bool any = false;

	if (o->live && !o->nl)
		return -ENOTCONN;
	for (unsigned int i = 0; i < s->n_dev; i++) {
		struct nt_snap_dev *d = &s->dev[i];
		int r;

		if (d->loopback)
			continue;
		if (o->live) {
			r = src->read(o->nl, d);
		} else {
			_cleanup_free_ char *text = NULL;
			char path[128];

			snprintf(path, sizeof(path), "napitune-fixture/%s/%s", d->name,
				 src->fixture);
			r = nt_read_file(o->root, path, &text, NULL);
			if (r == 0)
				r = src->parse(text, d);
		}
		if (r == 0)
			any = true;
		else if (r != -EOPNOTSUPP && r != -ENOENT && r != -ENODEV && !first_err)
			first_err = r;
		if (r == -ENOMEM)
			return r;
	}
	return any ? 0 : first_err;
}

/* Driver-private counters: ETHTOOL_GSTATS, or "ethtool -S DEV". */
static int ethtool_read(struct nt_nl *nl, struct nt_snap_dev *d)
{
	return nt_ethtool_stats_read(nl, d->name, &d->ethtool);
}

static int ethtool_parse(const char *text, struct nt_snap_dev *d)
{
	return nt_ethtool_stats_parse_text(text, &d->ethtool);
}

/* RX ring sizes: RINGS_GET, or "ethtool -g DEV". */
static int rings_set(int r, const struct nt_rings_rx *rx, struct nt_snap_dev *d)
{
	if (r == 0) {
		d->ring_rx = rx->cur;
		d->ring_rx_max = rx->max;
	}
	return r;
}

static int rings_read(struct nt_nl *nl, struct nt_snap_dev *d)
{
	struct nt_rings_rx rx;

	return rings_set(nt_rings_rx_read(nl, d->ifindex, d->name, &rx), &rx, d);
}

static int rings_parse(const char *text, struct nt_snap_dev *d)
{
	struct nt_rings_rx rx;

	return rings_set(nt_rings_rx_parse_text(text, &rx), &rx, d);
}

/* Standard statistics groups: STATS_GET, or "ethtool -S DEV --all-groups". */
static int ethstd_read(struct nt_nl *nl, struct nt_snap_dev *d)
{
	return nt_ethstd_stats_read(nl, d->name, &d->ethstd);
}

static int ethstd_parse(const char *text, struct nt_snap_dev *d)
{
	return nt_ethstd_stats_parse_text(text, &d->ethstd);
}

static const struct dev_source src_ethtool = {"ethtool-S", ethtool_read, ethtool_parse};
static const struct dev_source src_rings = {"ethtool-g", rings_read, rings_parse};
static const struct dev_source src_ethstd = {"ethtool-S-groups", ethstd_read, ethstd_parse};

static int attach_qstats(const struct nt_snapshot_opts *o, struct nt_snapshot *s)
{
	struct nt_qstats_list l = {};
	int r;

	if (!o->live || !o->nl)
		return -ENOTCONN;
	r = nt_qstats_read(o->nl, &l);
	if (r < 0)
		return r;
	for (unsigned int i = 0; i < s->n_dev; i++) {
		const struct nt_qstats *q = nt_qstats_find(&l, s->dev[i].ifindex);

		if (q)
			s->dev[i].qstats = *q;
	}
	nt_qstats_list_done(&l);
	return 0;
}

/*
 * With a kept topology only its devices' IRQs are looked up in /proc/interrupts (dev_rates()):
 * their rows alone are parsed. A device IRQ the file no longer has is found by dev_rates()
 * missing, as before; the topology is re-resolved on an event or after FULL_MAX_NS anyway.
 */
static int read_dev_interrupts(const struct nt_root *root, const struct nt_snapshot *topo,
			       struct nt_interrupts *ret)
{
	_cleanup_free_ unsigned int *irqs = NULL;
	size_t n = 0;

	for (unsigned int i = 0; i < topo->n_dev; i++)
		n += topo->dev[i].n_irq;
	irqs = malloc((n ? n : 1) * sizeof(*irqs));
	if (!irqs)
		return -ENOMEM;
	n = 0;
	for (unsigned int i = 0; i < topo->n_dev; i++)
		for (unsigned int q = 0; q < topo->dev[i].n_irq; q++)
			irqs[n++] = topo->dev[i].irq[q].irq;
	return nt_interrupts_read_only(root, irqs, n, ret);
}

/* CPU time of this thread: what a sample costs the machine, whatever else runs */
static uint64_t cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* @stmt, its time added to o->cost_ns[@src] when the caller asked for it */
#define TIMED(src, stmt)                                                                           \
	do {                                                                                       \
		uint64_t t0_ = o->cost_ns ? cpu_ns() : 0;                                          \
		stmt;                                                                              \
		if (o->cost_ns)                                                                    \
			o->cost_ns[src] += cpu_ns() - t0_;                                         \
	} while (0)

static bool skip(const struct nt_snapshot_opts *o, enum nt_src src)
{
	return o->skip & NT_SNAPSHOT_SKIPPABLE & (1u << src);
}

int nt_snapshot_take(const struct nt_snapshot_opts *o, struct nt_snapshot *ret)
{
	/* Read-only use of the knob readers: the files and the GRO ioctl of knobs.def. */
	struct nt_ctx ctx = {.root = o->root, .nl = o->nl, .live = o->live};
	struct nt_snapshot *s = ret;
	struct timespec ts;
	int r;

	*s = (struct nt_snapshot){};
	clock_gettime(CLOCK_MONOTONIC, &ts);
	s->t_ns = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
	s->clk_tck = sysconf(_SC_CLK_TCK);
	if (s->clk_tck <= 0)
		s->clk_tck = 100;

	TIMED(NT_SRC_CPUS, s->err[NT_SRC_CPUS] = nt_cpus_read(o->root, &s->cpus));
	TIMED(NT_SRC_SOFTNET,
	      s->err[NT_SRC_SOFTNET] = nt_softnet_read(
		      o->root, s->err[NT_SRC_CPUS] ? NULL : &s->cpus.online, &s->softnet));
	TIMED(NT_SRC_SOFTIRQS, s->err[NT_SRC_SOFTIRQS] = nt_softirqs_read(o->root, &s->softirqs));
	TIMED(NT_SRC_CPUSTAT, s->err[NT_SRC_CPUSTAT] = nt_cpustat_read(o->root, &s->cpustat));
	if (skip(o, NT_SRC_INTERRUPTS))
		s->err[NT_SRC_INTERRUPTS] = -EAGAIN;
	else if (o->topo_from)
		TIMED(NT_SRC_INTERRUPTS, s->err[NT_SRC_INTERRUPTS] = read_dev_interrupts(
						 o->root, o->topo_from, &s->irqs));
	else
		TIMED(NT_SRC_INTERRUPTS,
		      s->err[NT_SRC_INTERRUPTS] = nt_interrupts_read(o->root, &s->irqs));
	if (o->topo_from && o->topo_from->err[NT_SRC_CPUS] == 0 && s->err[NT_SRC_CPUS] == 0 &&
	    (s->cpus.nr_cpu_ids != o->topo_from->cpus.nr_cpu_ids ||
	     !nt_cpuset_equal(&s->cpus.online, &o->topo_from->cpus.online)))
		s->topo_stale = true;
	if (o->topo_from && o->topo_from->err[NT_SRC_THREADS] == 0) {
		bool gone = false;

		TIMED(NT_SRC_THREADS, s->err[NT_SRC_THREADS] = nt_kthreads_reread(
					      o->root, &o->topo_from->threads, &s->threads, &gone));
		s->topo_stale |= gone;
	} else {
		TIMED(NT_SRC_THREADS,
		      s->err[NT_SRC_THREADS] = nt_kthreads_read(o->root, &s->threads));
	}
	TIMED(NT_SRC_SNMP, s->err[NT_SRC_SNMP] = nt_snmp_read(o->root, o->netdir, &s->snmp));
	if (skip(o, NT_SRC_SOCKETS) || skip(o, NT_SRC_SOCK_DIAG) || skip(o, NT_SRC_SOCK_OWNERS))
		s->err[NT_SRC_SOCKETS] = s->err[NT_SRC_SOCK_DIAG] = s->err[NT_SRC_SOCK_OWNERS] =
			-EAGAIN;
	else
		TIMED(NT_SRC_SOCKETS, read_sockets(o, s));
	TIMED(NT_SRC_SYSCTL, read_sysctls(&ctx, &s->sysctl, &s->err[NT_SRC_SYSCTL]));
	if (o->topo_from && !s->topo_stale && o->topo_from->cpu_node &&
	    s->cpus.nr_cpu_ids == o->topo_from->cpus.nr_cpu_ids) {
		size_t n = s->cpus.nr_cpu_ids ? s->cpus.nr_cpu_ids : 1;

		r = 0;
		s->cpu_node = malloc(n * sizeof(*s->cpu_node));
		if (!s->cpu_node) {
			r = -ENOMEM;
			goto fail;
		}
		memcpy(s->cpu_node, o->topo_from->cpu_node, n * sizeof(*s->cpu_node));
	} else {
		TIMED(NT_SRC_CPUS, r = read_cpu_nodes(o->root, s->cpus.nr_cpu_ids, &s->cpu_node));
		if (r < 0)
			goto fail;
	}
	if (o->topo_from) {
		TIMED(NT_SRC_DEVICES, r = copy_devices(o->topo_from, s));
		if (r < 0)
			goto fail;
		r = o->topo_from->err[NT_SRC_DEVICES];
	} else {
		/* without /proc/interrupts this time, an earlier sample's IRQ names find the
		 * queues' */
		TIMED(NT_SRC_DEVICES, r = read_devices(&ctx,
						       skip(o, NT_SRC_INTERRUPTS) && o->irqs_from
							       ? &o->irqs_from->irqs
							       : &s->irqs,
						       s));
		if (r == -ENOMEM)
			goto fail;
	}
	s->err[NT_SRC_DEVICES] = r;
	TIMED(NT_SRC_LINK, s->err[NT_SRC_LINK] = s->n_dev ? attach_link_stats(o, s) : -ENOENT);
	for (unsigned int i = 0; i < s->n_dev; i++)
		s->dev[i].ring_rx = s->dev[i].ring_rx_max = -1;
	TIMED(NT_SRC_ETHTOOL,
	      s->err[NT_SRC_ETHTOOL] =
		      skip(o, NT_SRC_ETHTOOL) ? -EAGAIN : attach_dev_source(o, s, &src_ethtool));
	TIMED(NT_SRC_QSTATS, s->err[NT_SRC_QSTATS] = attach_qstats(o, s));
	TIMED(NT_SRC_RINGS, s->err[NT_SRC_RINGS] = skip(o, NT_SRC_RINGS)
							   ? -EAGAIN
							   : attach_dev_source(o, s, &src_rings));
	TIMED(NT_SRC_ETHSTD,
	      s->err[NT_SRC_ETHSTD] =
		      skip(o, NT_SRC_ETHSTD) ? -EAGAIN : attach_dev_source(o, s, &src_ethstd));
	for (unsigned int i = 0; i < _NT_SRC_MAX; i++)
		if (s->err[i] == -ENOMEM) {
			r = -ENOMEM;
			goto fail;
		}
	if (s->err[NT_SRC_SOFTNET] && s->err[NT_SRC_CPUSTAT] && s->err[NT_SRC_SNMP] &&
	    s->err[NT_SRC_DEVICES]) {
		r = s->err[NT_SRC_SOFTNET];
		goto fail;
	}
	return 0;
fail:
	nt_snapshot_done(s);
	return r;
}

void nt_snapshot_done(struct nt_snapshot *s)
{
	nt_softnet_done(&s->softnet);
	nt_softirqs_done(&s->softirqs);
	nt_cpustat_done(&s->cpustat);
	nt_interrupts_done(&s->irqs);
	nt_kthreads_done(&s->threads);
	nt_snmp_done(&s->snmp);
	nt_sockets_done(&s->socks);
	free(s->cpu_node);
	s->cpu_node = NULL;
	for (unsigned int i = 0; i < s->n_dev; i++) {
		free(s->dev[i].irq);
		free(s->dev[i].rss_indir);
		nt_ethtool_stats_done(&s->dev[i].ethtool);
	}
	free(s->dev);
	s->dev = NULL;
	s->n_dev = 0;
}

const struct nt_snap_dev *nt_snapshot_find_dev(const struct nt_snapshot *s, const char *name)
{
	struct nt_snap_dev key = {};

	if (strlen(name) >= sizeof(key.name))
		return NULL;
	strcpy(key.name, name);
	return bsearch(&key, s->dev, s->n_dev, sizeof(*s->dev), cmp_dev);
}

/* ---- rates ---- */

static double share(uint64_t part, uint64_t total)
{
	return total ? (double)part / (double)total : -1.0;
}

static void cpu_rates(const struct nt_snapshot *a, const struct nt_snapshot *b, struct nt_rates *r)
{
	for (unsigned int c = 0; c < r->n_cpu; c++) {
		struct nt_cpu_rate *x = &r->cpu[c];
		const struct nt_softnet_cpu *sa, *sb;

		x->cpu = c;
		x->soft = x->idle = x->ksoftirqd = x->ksoftirqd_wait = -1.0;
		if (r->cpus_changed)
			continue;
		sa = nt_softnet_find(&a->softnet, c);
		sb = nt_softnet_find(&b->softnet, c);
		if (sa && sb) {
			x->valid = true;
			x->d_processed = nt_delta_u32(sa->processed, sb->processed);
			x->d_dropped = nt_delta_u32(sa->dropped, sb->dropped);
			x->d_squeeze = nt_delta_u32(sa->time_squeeze, sb->time_squeeze);
			x->d_flow_limit = nt_delta_u32(sa->flow_limit_count, sb->flow_limit_count);
			x->d_rps = nt_delta_u32(sa->received_rps, sb->received_rps);
			x->backlog_len = sb->backlog_len;
		}
		if (c < a->softirqs.n_cpu && c < b->softirqs.n_cpu && a->softirqs.present[c] &&
		    b->softirqs.present[c]) {
			(void)nt_delta_u64(a->softirqs.net_rx[c], b->softirqs.net_rx[c],
					   &x->d_net_rx);
			(void)nt_delta_u64(a->softirqs.total[c], b->softirqs.total[c],
					   &x->d_softirq_all);
		}
		if (c < a->cpustat.n_cpu && c < b->cpustat.n_cpu && a->cpustat.cpu[c].present &&
		    b->cpustat.cpu[c].present) {
			const struct nt_cpustat_cpu *ca = &a->cpustat.cpu[c],
						    *cb = &b->cpustat.cpu[c];
			uint64_t ta = nt_cpustat_total(ca), tb = nt_cpustat_total(cb);

			if (tb > ta) {
				x->soft = share((cb->irq - ca->irq) + (cb->softirq - ca->softirq),
						tb - ta);
				x->idle = share((cb->idle - ca->idle) + (cb->iowait - ca->iowait),
						tb - ta);
			}
		}
	}
}

static void kthread_rates(const struct nt_snapshot *a, const struct nt_snapshot *b,
			  struct nt_rates *r)
{
	double ticks = r->dt * (double)b->clk_tck;

	for (unsigned int i = 0; i < b->threads.n; i++) {
		const struct nt_kthread *tb = &b->threads.t[i];
		const struct nt_kthread *ta = nt_kthreads_find(&a->threads, tb->pid);
		struct nt_kthread_rate *k;

		if (!ta || strcmp(ta->comm, tb->comm))
			continue;
		k = &r->kt[r->n_kt++];
		k->t = tb;
		/* schedstat's run time (ns) where both have it: nt_kthreads_reread() keeps
		 * the clock ticks of stat as they were */
		if (ta->have_schedstat && tb->have_schedstat && tb->run_ns >= ta->run_ns)
			k->cpu = (double)(tb->run_ns - ta->run_ns) / (r->dt * 1e9);
		else
			k->cpu = ticks > 0 ? (double)((tb->utime + tb->stime) -
						      (ta->utime + ta->stime)) /
						     ticks
					   : 0;
		k->wait = -1.0;
		if (ta->have_schedstat && tb->have_schedstat &&
		    tb->run_delay_ns >= ta->run_delay_ns)
			k->wait = (double)(tb->run_delay_ns - ta->run_delay_ns) / (r->dt * 1e9);
		/*
		 * One thread cannot use or wait for more than the window: the per-thread files
		 * are read a little after the sample's timestamp, which a slow machine stretches.
		 */
		if (k->cpu > 1.0)
			k->cpu = 1.0;
		if (k->wait > 1.0)
			k->wait = 1.0;
		if (tb->kind == NT_KTHREAD_KSOFTIRQD && tb->cpu >= 0 &&
		    (unsigned int)tb->cpu < r->n_cpu) {
			r->cpu[tb->cpu].ksoftirqd = k->cpu;
			r->cpu[tb->cpu].ksoftirqd_wait = k->wait;
		}
	}
}

static int dev_rates(const struct nt_snapshot *a, const struct nt_snapshot *b, struct nt_rates *r)
{
	for (unsigned int i = 0; i < b->n_dev; i++) {
		const struct nt_snap_dev *db = &b->dev[i], *da = nt_snapshot_find_dev(a, db->name);
		struct nt_dev_rate *x;

		if (!da)
			continue;
		x = &r->dev[r->n_dev++];
		x->a = da;
		x->b = db;
		x->valid = da->ifindex == db->ifindex && da->have_stats && db->have_stats;
		for (unsigned int k = 0; x->valid && k < _NT_LINK_STAT_MAX; k++)
			if (!nt_delta_u64(da->stats.v[k], db->stats.v[k], &x->d[k]))
				x->valid = false; /* counter reset: skip this device */
		if (!x->valid)
			memset(x->d, 0, sizeof(x->d));
		/* Queue vector interrupts per CPU. */
		if (db->n_irq && !r->cpus_changed && a->irqs.n_col == b->irqs.n_col) {
			x->d_irq_cpu = calloc(r->n_cpu, sizeof(uint64_t));
			x->d_irq_q = calloc(db->n_irq, sizeof(uint64_t));
			if (!x->d_irq_cpu || !x->d_irq_q)
				return -ENOMEM;
			for (unsigned int q = 0; q < db->n_irq; q++) {
				const struct nt_irq *ia, *ib;

				if (db->irq[q].kind == NT_IRQ_DEVICE ||
				    db->irq[q].kind == NT_IRQ_QUEUE_TX)
					continue;
				ia = nt_interrupts_find(&a->irqs, db->irq[q].irq);
				ib = nt_interrupts_find(&b->irqs, db->irq[q].irq);
				if (!ia || !ib)
					continue;
				for (unsigned int col = 0; col < b->irqs.n_col; col++) {
					unsigned int cpu = b->irqs.col_cpu[col];
					uint64_t d;

					if (cpu >= r->n_cpu || a->irqs.col_cpu[col] != cpu ||
					    !nt_delta_u64(ia->count[col], ib->count[col], &d))
						continue;
					x->d_irq_cpu[cpu] += d;
					x->d_irq_q[q] += d;
					x->d_irq += d;
					r->cpu[cpu].d_dev_irqs += d;
				}
			}
		}
		/* Driver counters: compare only when the name lists are identical. */
		if (da->ethtool.n && da->ethtool.n == db->ethtool.n &&
		    !memcmp(da->ethtool.name, db->ethtool.name,
			    db->ethtool.n * sizeof(*db->ethtool.name))) {
			x->d_ethtool = calloc(db->ethtool.n, sizeof(uint64_t));
			if (!x->d_ethtool)
				return -ENOMEM;
			for (unsigned int k = 0; k < db->ethtool.n; k++)
				if (!nt_delta_u64(da->ethtool.v[k], db->ethtool.v[k],
						  &x->d_ethtool[k]))
					x->d_ethtool[k] = 0;
		}
		/* Standard counters: matched by group and id, a counter that went down gives 0. */
		x->ethstd_valid = da->ethstd.n && db->ethstd.n;
		for (unsigned int k = 0; x->ethstd_valid && k < db->ethstd.n; k++) {
			const struct nt_ethstd_stat *sb = &db->ethstd.stat[k];

			for (unsigned int j = 0; j < da->ethstd.n; j++)
				if (da->ethstd.stat[j].group == sb->group &&
				    da->ethstd.stat[j].id == sb->id) {
					if (!nt_delta_u64(da->ethstd.stat[j].v, sb->v,
							  &x->d_ethstd[k]))
						x->d_ethstd[k] = 0;
					break;
				}
		}
		if (da->qstats.have && db->qstats.have) {
			const struct nt_qstats *qa = &da->qstats, *qb = &db->qstats;

			x->qstats_valid = true;
#define QS(field, id)                                                                              \
	do {                                                                                       \
		if (qa->has[id] && qb->has[id] && !nt_delta_u64(qa->v[id], qb->v[id], &x->field))  \
			x->qstats_valid = false;                                                   \
	} while (0)
			QS(d_qs_rx_packets, NT_QS_RX_PACKETS);
			QS(d_qs_hw_drops, NT_QS_RX_HW_DROPS);
			QS(d_qs_hw_drop_overruns, NT_QS_RX_HW_DROP_OVERRUNS);
			QS(d_qs_alloc_fail, NT_QS_RX_ALLOC_FAIL);
#undef QS
		}
	}
	return 0;
}

/* Did sample @s read the sockets of protocol @proto (the drop counters)? */
static bool have_sockets(const struct nt_snapshot *s, uint8_t proto)
{
	return !s->err[NT_SRC_SOCK_DIAG] || (proto == IPPROTO_UDP && !s->err[NT_SRC_SOCKETS]);
}

static int cmp_sock_rate(const void *a, const void *b)
{
	const struct nt_sock_rate *x = a, *y = b;

	return (x->d_drops < y->d_drops) - (x->d_drops > y->d_drops);
}

/*
 * Drops per socket. A socket missing from the first sample had no drops then (the collector
 * keeps only sockets with drops, and sk_drops starts at 0): its count is all in the window.
 * A smaller count than before is another socket that got the same inode: the same applies.
 */
static int sock_rates(const struct nt_snapshot *a, const struct nt_snapshot *b, struct nt_rates *r)
{
	r->sock = calloc(b->socks.n ? b->socks.n : 1, sizeof(*r->sock));
	if (!r->sock)
		return -ENOMEM;
	for (unsigned int i = 0; i < b->socks.n; i++) {
		const struct nt_sock *kb = &b->socks.s[i];
		const struct nt_sock *ka = nt_sockets_find(&a->socks, kb->proto, kb->inode);
		uint64_t d = kb->drops;

		if (!have_sockets(a, kb->proto) || !have_sockets(b, kb->proto))
			continue;
		if (ka && ka->drops <= kb->drops)
			d = kb->drops - ka->drops;
		if (d)
			r->sock[r->n_sock++] = (struct nt_sock_rate){.s = kb, .d_drops = d};
	}
	if (r->n_sock > 1)
		qsort(r->sock, r->n_sock, sizeof(*r->sock), cmp_sock_rate);
	return 0;
}

int nt_rates_cpu_node(const struct nt_rates *r, unsigned int cpu)
{
	if (!r->b->cpu_node || cpu >= r->b->cpus.nr_cpu_ids)
		return -1;
	return r->b->cpu_node[cpu];
}

int nt_rates_compute(const struct nt_snapshot *a, const struct nt_snapshot *b, struct nt_rates *ret)
{
	struct nt_rates r = {.a = a, .b = b};
	int e;

	if (b->t_ns <= a->t_ns)
		return -EINVAL;
	r.dt = (double)(b->t_ns - a->t_ns) / 1e9;
	r.n_cpu = b->cpus.nr_cpu_ids;
	if (a->softnet.n && b->softnet.n) {
		unsigned int m = b->softnet.cpu[b->softnet.n - 1].cpu + 1;

		if (m > r.n_cpu)
			r.n_cpu = m;
	}
	if (r.n_cpu == 0)
		r.n_cpu = 1;
	r.cpus_changed = a->err[NT_SRC_CPUS] == 0 && b->err[NT_SRC_CPUS] == 0 &&
			 !nt_cpuset_equal(&a->cpus.online, &b->cpus.online);
	r.cpu = calloc(r.n_cpu, sizeof(*r.cpu));
	r.dev = calloc(b->n_dev ? b->n_dev : 1, sizeof(*r.dev));
	r.kt = calloc(b->threads.n ? b->threads.n : 1, sizeof(*r.kt));
	if (!r.cpu || !r.dev || !r.kt) {
		nt_rates_done(&r);
		return -ENOMEM;
	}
	cpu_rates(a, b, &r);
	kthread_rates(a, b, &r);
	e = dev_rates(a, b, &r);
	if (e >= 0)
		e = sock_rates(a, b, &r);
	if (e < 0) {
		nt_rates_done(&r);
		return e;
	}
	*ret = r;
	return 0;
}

void nt_rates_done(struct nt_rates *r)
{
	for (unsigned int i = 0; i < r->n_dev; i++) {
		free(r->dev[i].d_irq_cpu);
		free(r->dev[i].d_irq_q);
		free(r->dev[i].d_ethtool);
	}
	free(r->cpu);
	free(r->dev);
	free(r->kt);
	free(r->sock);
	*r = (struct nt_rates){};
}

bool nt_rates_snmp(const struct nt_rates *r, const char *group, const char *name, uint64_t *ret)
{
	uint64_t va, vb;

	if (!nt_snmp_get(&r->a->snmp, group, name, &va) ||
	    !nt_snmp_get(&r->b->snmp, group, name, &vb))
		return false;
	return nt_delta_u64(va, vb, ret);
}
