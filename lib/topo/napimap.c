// SPDX-License-Identifier: GPL-2.0-or-later
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/ethtool_netlink.h>

#include "cpuset.h"
#include "device.h"
#include "fs.h"
#include "json.h"
#include "napimap.h"
#include "nl.h"
#include "parse-util.h"
#include "kthreads.h"

const char *nt_map_irq_src_name(enum nt_map_irq_src s)
{
	switch (s) {
	case NT_MAP_IRQ_NAPI:
		return "napi";
	case NT_MAP_IRQ_NAME:
		return "irq-name";
	default:
		return NULL;
	}
}

const char *nt_map_napi_src_name(enum nt_map_napi_src s)
{
	switch (s) {
	case NT_MAP_NAPI_NETLINK:
		return "netlink";
	case NT_MAP_NAPI_KTHREAD:
		return "kthread-names";
	default:
		return "none";
	}
}

const char *nt_irq_kind_name(enum nt_irq_kind k)
{
	switch (k) {
	case NT_IRQ_QUEUE_RXTX:
		return "rxtx";
	case NT_IRQ_QUEUE_RX:
		return "rx";
	case NT_IRQ_QUEUE_TX:
		return "tx";
	default:
		return "device";
	}
}

static int64_t read_s64(const struct nt_root *root, const char *path)
{
	_cleanup_free_ char *line = NULL;
	int64_t v;

	if (nt_read_line(root, path, &line) < 0 || nt_parse_s64(line, &v) < 0)
		return -1;
	return v;
}

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
		     struct nt_map_queue *q)
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
	const struct nt_map_irq *x = a, *y = b;

	return (x->irq > y->irq) - (x->irq < y->irq);
}

static int cmp_napi(const void *a, const void *b)
{
	const struct nt_map_napi *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

static int add_irq(struct nt_map_dev *d, unsigned int irq, struct nt_map_irq **ret)
{
	struct nt_map_irq *p;

	for (unsigned int i = 0; i < d->n_irq; i++)
		if (d->irq[i].irq == irq) {
			*ret = &d->irq[i];
			return 0;
		}
	p = realloc(d->irq, (d->n_irq + 1) * sizeof(*p));
	if (!p)
		return -ENOMEM;
	d->irq = p;
	p = &d->irq[d->n_irq++];
	*p = (struct nt_map_irq){.irq = irq, .queue = -1};
	*ret = p;
	return 0;
}

static int add_napi(struct nt_map_dev *d, uint32_t id, int irq, int pid)
{
	struct nt_map_napi *p = realloc(d->napi, (d->n_napi + 1) * sizeof(*p));

	if (!p)
		return -ENOMEM;
	d->napi = p;
	d->napi[d->n_napi++] =
		(struct nt_map_napi){.id = id, .irq = irq, .pid = pid, .last_cpu = -1};
	return 0;
}

/* IRQs: the device's own list (MSI vectors, NAPI irqs) plus every name that matches. */
static int collect_irqs(const struct nt_root *root, const struct nt_device *src,
			const struct nt_interrupts *irqs, struct nt_map_dev *d)
{
	struct nt_map_irq *x;
	char path[96];
	int r;

	for (unsigned int i = 0; i < src->n_irq; i++) {
		r = add_irq(d, (unsigned int)src->irq[i], &x);
		if (r < 0)
			return r;
	}
	for (unsigned int i = 0; irqs && i < irqs->n; i++) {
		enum nt_irq_kind kind;
		int queue;

		if (nt_irq_name_match(irqs->irq[i].name, d->name, d->bus_id[0] ? d->bus_id : NULL,
				      &kind, &queue) < 0)
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
			    nt_irq_name_match(row->name, d->name, d->bus_id[0] ? d->bus_id : NULL,
					      &x->kind, &x->queue) == 0)
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
static int irq_by_name(const struct nt_map_dev *d, unsigned int q, bool rx)
{
	int found = -1;

	for (unsigned int i = 0; i < d->n_irq; i++) {
		const struct nt_map_irq *x = &d->irq[i];

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

static int collect_napis(const struct nt_device *src, const struct nt_kthreads *kt,
			 bool have_netlink, struct nt_map_dev *d)
{
	int r;

	if (have_netlink) {
		d->napi_src = NT_MAP_NAPI_NETLINK;
		for (unsigned int i = 0; i < src->n_napi; i++) {
			r = add_napi(d, src->napi[i].id, src->napi[i].irq, src->napi[i].pid);
			if (r < 0)
				return r;
		}
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
			d->napi_src = NT_MAP_NAPI_KTHREAD;
		}
	}
	if (d->n_napi)
		qsort(d->napi, d->n_napi, sizeof(*d->napi), cmp_napi);
	for (unsigned int i = 0; kt && i < d->n_napi; i++) {
		struct nt_map_napi *n = &d->napi[i];
		const struct nt_kthread *t = n->pid > 0 ? nt_kthreads_find(kt, n->pid) : NULL;

		if (!t || t->kind != NT_KTHREAD_NAPI)
			continue;
		n->have_kthread = true;
		n->last_cpu = t->last_cpu;
		snprintf(n->allowed, sizeof(n->allowed), "%s", t->allowed_list);
	}
	return 0;
}

static int collect_queues(const struct nt_root *root, const struct nt_device *src,
			  struct nt_map_dev *d, struct nt_cpuset *tmp)
{
	char path[160];
	int r;

	d->rx = calloc(src->n_rx ? src->n_rx : 1, sizeof(*d->rx));
	d->tx = calloc(src->n_tx ? src->n_tx : 1, sizeof(*d->tx));
	if (!d->rx || !d->tx)
		return -ENOMEM;
	d->n_rx = src->n_rx;
	d->n_tx = src->n_tx;
	for (unsigned int dir = 0; dir < 2; dir++) {
		bool rx = dir == 0;
		unsigned int n = rx ? src->n_rx : src->n_tx;

		for (unsigned int i = 0; i < n; i++) {
			const struct nt_queue *sq = rx ? &src->rx[i] : &src->tx[i];
			struct nt_map_queue *q = rx ? &d->rx[i] : &d->tx[i];
			const struct nt_map_napi *napi;

			*q = (struct nt_map_queue){
				.index = i, .napi_id = sq->napi_id, .irq = -1, .rps_flow_cnt = -1};
			napi = nt_map_find_napi(d, q->napi_id);
			if (napi && napi->irq >= 0) {
				q->irq = napi->irq;
				q->irq_src = NT_MAP_IRQ_NAPI;
			} else {
				q->irq = irq_by_name(d, i, rx);
				q->irq_src = q->irq >= 0 ? NT_MAP_IRQ_NAME : NT_MAP_IRQ_NONE;
			}
			snprintf(path, sizeof(path), "sys/class/net/%s/queues/%s-%u/%s", d->name,
				 rx ? "rx" : "tx", i, rx ? "rps_cpus" : "xps_cpus");
			r = read_mask(root, path, tmp, q);
			if (r < 0)
				return r;
			if (rx) {
				snprintf(path, sizeof(path),
					 "sys/class/net/%s/queues/rx-%u/rps_flow_cnt", d->name, i);
				q->rps_flow_cnt = read_s64(root, path);
			}
		}
	}
	return 0;
}

static void read_channels(struct nt_nl *nl, struct nt_map_dev *d)
{
	const struct nt_nl_req req = { .family = ETHTOOL_GENL_NAME,
				       .cmd = ETHTOOL_MSG_CHANNELS_GET,
				       .header = ETHTOOL_A_CHANNELS_HEADER,
				       .ifindex = d->ifindex,
				       .ifname = d->name };
	struct nt_map_channels *c = &d->channels;
	struct nt_nl_attrs rep;
	const struct {
		int64_t *dst;
		int attr;
	} map[] = {
		{ &c->rx_max, ETHTOOL_A_CHANNELS_RX_MAX },
		{ &c->tx_max, ETHTOOL_A_CHANNELS_TX_MAX },
		{ &c->other_max, ETHTOOL_A_CHANNELS_OTHER_MAX },
		{ &c->combined_max, ETHTOOL_A_CHANNELS_COMBINED_MAX },
		{ &c->rx, ETHTOOL_A_CHANNELS_RX_COUNT },
		{ &c->tx, ETHTOOL_A_CHANNELS_TX_COUNT },
		{ &c->other, ETHTOOL_A_CHANNELS_OTHER_COUNT },
		{ &c->combined, ETHTOOL_A_CHANNELS_COMBINED_COUNT },
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

static int build_dev(const struct nt_root *root, struct nt_nl *nl, const struct nt_device *src,
		     const struct nt_interrupts *irqs, const struct nt_kthreads *kt,
		     bool have_netlink, struct nt_map_dev *d, struct nt_cpuset *tmp)
{
	_cleanup_free_ char *link = NULL;
	char path[128];
	int r;

	snprintf(d->name, sizeof(d->name), "%s", src->name);
	d->ifindex = src->ifindex;
	snprintf(d->driver, sizeof(d->driver), "%s", src->driver);
	d->numa_node = src->numa_node;
	snprintf(path, sizeof(path), "sys/class/net/%s/device", d->name);
	if (nt_read_link(root, path, &link) >= 0) {
		const char *base = strrchr(link, '/');

		snprintf(d->bus_id, sizeof(d->bus_id), "%s", base ? base + 1 : link);
	}
	snprintf(path, sizeof(path), "sys/class/net/%s/threaded", d->name);
	d->threaded = (int)read_s64(root, path);
	r = collect_irqs(root, src, irqs, d);
	if (r < 0)
		return r;
	r = collect_napis(src, kt, have_netlink, d);
	if (r < 0)
		return r;
	r = collect_queues(root, src, d, tmp);
	if (r < 0)
		return r;
	if (nl)
		read_channels(nl, d);
	return 0;
}

int nt_map_read(const struct nt_root *root, struct nt_nl *nl, char *const *only, struct nt_map *ret,
		struct nt_err *reterr)
{
	_cleanup_free_ struct nt_cpuset *tmp = malloc(sizeof(*tmp));
	struct nt_device_list devs = {};
	struct nt_interrupts irqs = {};
	struct nt_kthreads kt = {};
	struct nt_map m = {};
	int r;

	if (!tmp)
		return -ENOMEM;
	r = nt_device_list_read(root, nl, &devs);
	if (r < 0)
		return nt_err_set(reterr, r, "cannot list the network devices: %s", strerror(-r));
	for (char *const *p = only; p && *p; p++)
		if (!nt_device_find(&devs, *p)) {
			nt_device_list_done(&devs);
			return nt_err_set(reterr, -ENODEV, "no network device '%s' here", *p);
		}
	m.err_interrupts = nt_interrupts_read(root, &irqs);
	m.err_kthreads = nt_kthreads_read(root, &kt);
	if (m.err_interrupts == -ENOMEM || m.err_kthreads == -ENOMEM) {
		r = -ENOMEM;
		goto out;
	}
	m.dev = calloc(devs.n ? devs.n : 1, sizeof(*m.dev));
	if (!m.dev) {
		r = -ENOMEM;
		goto out;
	}
	for (unsigned int i = 0; i < devs.n; i++) {
		if (!wanted(only, devs.dev[i].name))
			continue;
		r = build_dev(root, nl, &devs.dev[i], m.err_interrupts ? NULL : &irqs,
			      m.err_kthreads ? NULL : &kt, devs.have_netlink, &m.dev[m.n++], tmp);
		if (r < 0)
			goto out;
	}
	/* nt_device_list_read() lists devices in name order already. */
	*ret = m;
	m = (struct nt_map){};
	r = 0;
out:
	nt_map_done(&m);
	nt_interrupts_done(&irqs);
	nt_kthreads_done(&kt);
	nt_device_list_done(&devs);
	return r;
}

void nt_map_done(struct nt_map *m)
{
	for (unsigned int i = 0; i < m->n; i++) {
		struct nt_map_dev *d = &m->dev[i];

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
		free(d->rx);
		free(d->tx);
	}
	free(m->dev);
	*m = (struct nt_map){};
}

const struct nt_map_dev *nt_map_find(const struct nt_map *m, const char *name)
{
	for (unsigned int i = 0; i < m->n; i++)
		if (streq(m->dev[i].name, name))
			return &m->dev[i];
	return NULL;
}

const struct nt_map_napi *nt_map_find_napi(const struct nt_map_dev *d, uint32_t id)
{
	if (!id)
		return NULL;
	for (unsigned int i = 0; i < d->n_napi; i++)
		if (d->napi[i].id == id)
			return &d->napi[i];
	return NULL;
}

const struct nt_map_irq *nt_map_find_irq(const struct nt_map_dev *d, int irq)
{
	for (unsigned int i = 0; irq >= 0 && i < d->n_irq; i++)
		if (d->irq[i].irq == (unsigned int)irq)
			return &d->irq[i];
	return NULL;
}

/* ---- JSON ---- */

static void kv_str_or_null(struct nt_json *j, const char *key, const char *s)
{
	nt_json_key(j, key);
	if (s && *s)
		nt_json_string(j, s);
	else
		nt_json_null(j);
}

static void kv_int_or_null(struct nt_json *j, const char *key, int64_t v)
{
	nt_json_key(j, key);
	if (v >= 0)
		nt_json_i64(j, v);
	else
		nt_json_null(j);
}

static void write_queue(struct nt_json *j, const struct nt_map_dev *d, const struct nt_map_queue *q,
			bool rx)
{
	const struct nt_map_napi *n = nt_map_find_napi(d, q->napi_id);
	const struct nt_map_irq *irq = nt_map_find_irq(d, q->irq);

	nt_json_begin_object(j);
	nt_json_kv_u64(j, "index", q->index);
	kv_int_or_null(j, "napi_id", q->napi_id ? (int64_t)q->napi_id : -1);
	kv_int_or_null(j, "irq", q->irq);
	kv_str_or_null(j, "irq_source", nt_map_irq_src_name(q->irq_src));
	kv_str_or_null(j, "irq_affinity", irq ? irq->affinity : NULL);
	kv_str_or_null(j, "irq_effective", irq ? irq->effective : NULL);
	kv_int_or_null(j, "kthread_pid", n ? n->pid : -1);
	kv_str_or_null(j, "kthread_cpus", n ? n->allowed : NULL);
	kv_int_or_null(j, "kthread_last_cpu", n ? n->last_cpu : -1);
	if (rx) {
		nt_json_key(j, "rps_cpus");
		nt_json_string(j, q->cpus); /* "" = RPS off; null = unknown */
		kv_str_or_null(j, "rps_mask", q->mask);
		kv_int_or_null(j, "rps_flow_cnt", q->rps_flow_cnt);
	} else {
		nt_json_key(j, "xps_cpus");
		nt_json_string(j, q->cpus);
		kv_str_or_null(j, "xps_mask", q->mask);
	}
	nt_json_end_object(j);
}

static void write_dev(struct nt_json *j, const struct nt_map_dev *d)
{
	nt_json_begin_object(j);
	nt_json_kv_string(j, "name", d->name);
	nt_json_kv_i64(j, "ifindex", d->ifindex);
	kv_str_or_null(j, "driver", d->driver);
	kv_str_or_null(j, "bus_id", d->bus_id);
	kv_int_or_null(j, "numa_node", d->numa_node);
	kv_int_or_null(j, "threaded", d->threaded);
	nt_json_kv_string(j, "napi_source", nt_map_napi_src_name(d->napi_src));
	nt_json_key(j, "channels");
	if (d->channels.have) {
		nt_json_begin_object(j);
		kv_int_or_null(j, "rx", d->channels.rx);
		kv_int_or_null(j, "tx", d->channels.tx);
		kv_int_or_null(j, "combined", d->channels.combined);
		kv_int_or_null(j, "other", d->channels.other);
		kv_int_or_null(j, "rx_max", d->channels.rx_max);
		kv_int_or_null(j, "tx_max", d->channels.tx_max);
		kv_int_or_null(j, "combined_max", d->channels.combined_max);
		kv_int_or_null(j, "other_max", d->channels.other_max);
		nt_json_end_object(j);
	} else {
		nt_json_null(j);
	}
	nt_json_key(j, "napis");
	nt_json_begin_array(j);
	for (unsigned int i = 0; i < d->n_napi; i++) {
		const struct nt_map_napi *n = &d->napi[i];

		nt_json_begin_object(j);
		nt_json_kv_u64(j, "id", n->id);
		kv_int_or_null(j, "irq", n->irq);
		kv_int_or_null(j, "pid", n->pid);
		kv_str_or_null(j, "kthread_cpus", n->allowed);
		kv_int_or_null(j, "kthread_last_cpu", n->last_cpu);
		nt_json_end_object(j);
	}
	nt_json_end_array(j);
	nt_json_key(j, "irqs");
	nt_json_begin_array(j);
	for (unsigned int i = 0; i < d->n_irq; i++) {
		const struct nt_map_irq *x = &d->irq[i];

		nt_json_begin_object(j);
		nt_json_kv_u64(j, "irq", x->irq);
		kv_str_or_null(j, "name", x->name);
		kv_str_or_null(j, "kind", x->matched ? nt_irq_kind_name(x->kind) : NULL);
		kv_int_or_null(j, "queue", x->matched ? x->queue : -1);
		kv_str_or_null(j, "affinity", x->affinity);
		kv_str_or_null(j, "effective", x->effective);
		nt_json_end_object(j);
	}
	nt_json_end_array(j);
	nt_json_key(j, "rx_queues");
	nt_json_begin_array(j);
	for (unsigned int i = 0; i < d->n_rx; i++)
		write_queue(j, d, &d->rx[i], true);
	nt_json_end_array(j);
	nt_json_key(j, "tx_queues");
	nt_json_begin_array(j);
	for (unsigned int i = 0; i < d->n_tx; i++)
		write_queue(j, d, &d->tx[i], false);
	nt_json_end_array(j);
	nt_json_end_object(j);
}

void nt_map_write_json(const struct nt_map *m, struct nt_json *j)
{
	nt_json_begin_object(j);
	nt_json_kv_u64(j, "schema", 1);
	nt_json_key(j, "unavailable");
	nt_json_begin_array(j);
	if (m->err_interrupts)
		nt_json_string(j, "interrupts");
	if (m->err_kthreads)
		nt_json_string(j, "kthreads");
	nt_json_end_array(j);
	nt_json_key(j, "devices");
	nt_json_begin_array(j);
	for (unsigned int i = 0; i < m->n; i++)
		write_dev(j, &m->dev[i]);
	nt_json_end_array(j);
	nt_json_end_object(j);
}
