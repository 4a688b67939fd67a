// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * napictl map: per device, queue -> NAPI id -> IRQ -> affinity/effective CPUs -> NAPI
 * kthread (pid, allowed CPUs, last CPU), with RPS/XPS masks, driver, NUMA node and
 * channels. Read-only. Unknown links are printed as "?", never guessed.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fs.h"
#include "json.h"
#include "knob-fam.h"
#include "knob-rss.h"
#include "log.h"
#include "napictl.h"
#include "topo.h"
#include "nl.h"

/* "?" for unknown (NULL), "-" for an empty list (e.g. RPS off). */
static const char *str_or(const char *s)
{
	return !s ? "?" : !*s ? "-" : s;
}

static const char *int_or(char *buf, size_t n, int64_t v, const char *none)
{
	if (v < 0)
		return none;
	snprintf(buf, n, "%lld", (long long)v);
	return buf;
}

static void print_channels(const struct nt_topo_channels *c)
{
	static const char *const names[] = {"rx", "tx", "combined", "other"};
	const int64_t cur[] = {c->rx, c->tx, c->combined, c->other};
	const int64_t max[] = {c->rx_max, c->tx_max, c->combined_max, c->other_max};
	bool any = false;

	if (!c->have) {
		printf(", channels ?");
		return;
	}
	printf(", channels");
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		if (cur[i] <= 0 && max[i] <= 0)
			continue;
		printf(" %s %lld/%lld", names[i], (long long)(cur[i] < 0 ? 0 : cur[i]),
		       (long long)(max[i] < 0 ? 0 : max[i]));
		any = true;
	}
	if (!any)
		printf(" none");
}

static void print_queue(const struct nt_topo_dev *d, const struct nt_topo_queue *q, bool rx,
			bool *unknown)
{
	const struct nt_topo_napi *n = nt_topo_find_napi(d, q->napi_id);
	const struct nt_topo_irq *irq = nt_topo_find_irq(d, q->irq);
	char qname[24], napi[24], irqs[32], pid[24], last[24], flows[24];

	snprintf(qname, sizeof(qname), "%s-%u", rx ? "rx" : "tx", q->index);
	if (q->napi_id)
		snprintf(napi, sizeof(napi), "%u", q->napi_id);
	else
		snprintf(napi, sizeof(napi), "?");
	if (q->irq >= 0)
		snprintf(irqs, sizeof(irqs), "%d%s", q->irq,
			 q->irq_src == NT_IRQ_SRC_NAME ? "*" : "");
	else
		snprintf(irqs, sizeof(irqs), "?");
	if (!q->napi_id || q->irq < 0)
		*unknown = true;
	printf("  %-7s %-7s %-8s %-10s %-10s %-8s %-8s %-5s %-13s %s\n", qname, napi, irqs,
	       irq ? str_or(irq->affinity) : "?", irq ? str_or(irq->effective) : "?",
	       !n ? "?" : int_or(pid, sizeof(pid), n->pid, "-"),
	       !n	       ? "?"
	       : n->pid < 0    ? "-"
	       : n->allowed[0] ? n->allowed
			       : "?",
	       !n	    ? "?"
	       : n->pid < 0 ? "-"
			    : int_or(last, sizeof(last), n->last_cpu, "?"),
	       str_or(q->cpus), rx ? int_or(flows, sizeof(flows), q->rps_flow_cnt, "?") : "");
}

/*
 * The RSS table's summary of @d through the rss knobs' reader (RSS_GET, or ETHTOOL_GRSSH
 * where the kernel has none): entries per queue, for queues 0 up to the highest the table
 * names and at least the RX queues. Nothing without RSS.
 */
static int read_rss(struct nt_ctx *ctx, struct nt_topo_dev *d, uint32_t **ret_indir)
{
	struct nt_target t = {.ifname = d->name, .ifindex = d->ifindex};
	struct nt_rss_info info = {};
	unsigned int top = d->n_rx ? d->n_rx - 1 : 0;
	const char *h;
	int r;

	r = nt_rss_info_read(ctx, &t, &info, NULL);
	if (r < 0)
		return r;
	for (unsigned int i = 0; i < info.n_indir; i++)
		top = info.indir[i] > top ? info.indir[i] : top;
	if (top >= NT_RSS_INDIR_MAX) {
		nt_rss_info_done(&info);
		return -EBADMSG;
	}
	d->rss.entries = calloc(top + 1, sizeof(*d->rss.entries));
	if (!d->rss.entries) {
		nt_rss_info_done(&info);
		return -ENOMEM;
	}
	for (unsigned int i = 0; i < info.n_indir; i++)
		d->rss.entries[info.indir[i]]++;
	d->rss.n_queues = top + 1;
	d->rss.size = info.n_indir;
	d->rss.key_len = info.key_len;
	h = nt_rss_hfunc_name(info.hfunc);
	snprintf(d->rss.hfunc, sizeof(d->rss.hfunc), "%s", h ? h : "");
	d->rss.have = true;
	if (ret_indir)
		*ret_indir = TAKE_PTR(info.indir);
	nt_rss_info_done(&info);
	return 0;
}

/* The RSS indirection table as shares of entries per RX queue; nothing without RSS. */
static void print_rss(struct nt_ctx *ctx, struct nt_topo_dev *d)
{
	_cleanup_free_ uint32_t *indir = NULL;
	_cleanup_free_ char *shown = NULL;

	if (!ctx || read_rss(ctx, d, &indir) < 0 ||
	    nt_rss_indir_summary(indir, d->rss.size, d->n_rx, &shown) < 0)
		return;
	printf("  RSS table: %s\n", shown);
}

static void print_dev(struct nt_ctx *ctx, struct nt_topo_dev *d, bool *unknown, bool *by_name)
{
	char buf[24];

	printf("%s: ifindex %d, driver %s, %s%s%sNUMA node %s", d->name, d->ifindex,
	       d->driver[0] ? d->driver : "?", d->bus_id[0] ? "bus " : "", d->bus_id,
	       d->bus_id[0] ? ", " : "", int_or(buf, sizeof(buf), d->numa_node, "?"));
	print_channels(&d->channels);
	printf(", threaded %s\n", d->threaded < 0 ? "?" : d->threaded ? "on" : "off");
	printf("  NAPI info: %s\n", d->napi_src == NT_NAPI_SRC_NETLINK
					    ? "netdev netlink (napi-get, queue-get)"
				    : d->napi_src == NT_NAPI_SRC_KTHREAD
					    ? "napi/<dev>-<id> kthread names only"
					    : "none (no napi-get, no threaded NAPI kthreads)");
	print_rss(ctx, d);
	printf("  %-7s %-7s %-8s %-10s %-10s %-8s %-8s %-5s %-13s %s\n", "queue", "NAPI", "IRQ",
	       "IRQ-CPUs", "effective", "kthread", "kt-CPUs", "last", "RPS/XPS-CPUs", "flows");
	for (unsigned int i = 0; i < d->n_rx; i++) {
		print_queue(d, &d->rx[i], true, unknown);
		*by_name |= d->rx[i].irq_src == NT_IRQ_SRC_NAME;
	}
	for (unsigned int i = 0; i < d->n_tx; i++) {
		print_queue(d, &d->tx[i], false, unknown);
		*by_name |= d->tx[i].irq_src == NT_IRQ_SRC_NAME;
	}
	for (unsigned int i = 0; i < d->n_napi; i++) {
		const struct nt_topo_napi *n = &d->napi[i];

		printf("  NAPI %u: IRQ %s", n->id, int_or(buf, sizeof(buf), n->irq, "none"));
		if (n->pid >= 0)
			printf(", kthread %d on CPUs %s, last ran on CPU %s", n->pid,
			       n->allowed[0] ? n->allowed : "?",
			       int_or(buf, sizeof(buf), n->last_cpu, "?"));
		else
			printf(", not threaded");
		printf("\n");
	}
	for (unsigned int i = 0; i < d->n_irq; i++) {
		const struct nt_topo_irq *x = &d->irq[i];

		if (x->matched && x->queue >= 0)
			continue;
		printf("  IRQ %u %s: CPUs %s, effective %s\n", x->irq,
		       x->name ? x->name : "(unnamed)", str_or(x->affinity), str_or(x->effective));
	}
}

static int verb_map_run(struct napictl *ctl, int argc, char **argv)
{
	static const struct option options[] = {{}};
	_cleanup_(nt_nl_freep) struct nt_nl *nl = NULL;
	struct nt_topo m = {};
	struct nt_ctx ctx;
	struct nt_err e = {};
	bool unknown = false, by_name = false, have_ctx;
	int r;

	if (getopt_long(argc, argv, "", options, NULL) >= 0)
		return napictl_usage_error(ctl, "usage: napictl map [DEV...]");
	/* Netlink describes this machine only, not a --root fixture tree. */
	if (streq(ctl->root_dir, "/") && nt_nl_open(&nl) < 0)
		nl = NULL;
	r = nt_topo_read(ctl->root, nl, optind < argc ? argv + optind : NULL, &m, &e);
	if (r < 0)
		return log_error_errno(r, "cannot map the receive path: %s", nt_err_msg(&e, r));
	/*
	 * The RSS table through the rss knobs' reader: this machine only (netlink or the
	 * ethtool ioctls), like NAPI info.
	 */
	have_ctx = streq(ctl->root_dir, "/") && nt_ctx_init(&ctx, ctl->root, nl, NULL) >= 0;
	if (ctl->json) {
		struct nt_json j;

		for (unsigned int i = 0; have_ctx && i < m.n; i++)
			(void)read_rss(&ctx, &m.dev[i], NULL);
		nt_json_init(&j, stdout, ctl->pretty);
		nt_topo_write_json(&m, &j);
		nt_json_finish(&j);
		nt_topo_done(&m);
		return 0;
	}
	for (unsigned int i = 0; i < m.n; i++) {
		if (i)
			printf("\n");
		print_dev(have_ctx ? &ctx : NULL, &m.dev[i], &unknown, &by_name);
	}
	if (m.n && (unknown || by_name))
		printf("\n");
	if (by_name)
		printf("IRQ*: taken from the IRQ's name in /proc/interrupts (the NAPI reports no "
		       "IRQ).\n");
	if (unknown)
		printf("?: not reported by the kernel or driver (e.g. veth never reports "
		       "queue->NAPI "
		       "links, and has no IRQs).\n");
	if (m.err_interrupts)
		printf("Not seen: /proc/interrupts (%s)\n", strerror(-m.err_interrupts));
	if (m.err_kthreads)
		printf("Not seen: NAPI kthreads (%s)\n", strerror(-m.err_kthreads));
	nt_topo_done(&m);
	return 0;
}

const struct verb verb_map = {
	.name = "map",
	.args = "[DEV...]",
	.summary = "show device -> queue -> NAPI -> IRQ -> CPU -> kthread, with RPS/XPS",
	.help = "For each device (or only DEV...): every rx and tx queue with its NAPI id, the\n"
		"IRQ and its smp_affinity and effective CPUs, the threaded-NAPI kthread (pid,\n"
		"allowed CPUs, CPU it last ran on), the queue's RPS or XPS CPUs and RPS flow\n"
		"count; the driver, NUMA node and channel counts; the RSS indirection table as\n"
		"the share of its entries that point at each RX queue. Links the kernel does not\n"
		"report (veth: queue->NAPI; kernels before 6.8: all NAPI ids) are shown as '?'\n"
		"and null in --json (docs/map-json.md), never guessed. Read-only.\n"
		"\n"
		"Exit status: 0 success, 1 failure (e.g. no such DEV), 2 usage error.\n",
	.run = verb_map_run,
};
