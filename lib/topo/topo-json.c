// SPDX-License-Identifier: GPL-2.0-or-later
/* The topology as the JSON document of docs/map-json.md (napictl --json map). */
#include "json.h"
#include "topo.h"

static void write_queue(struct nt_json *j, const struct nt_topo_dev *d,
			const struct nt_topo_queue *q, bool rx)
{
	const struct nt_topo_napi *n = nt_topo_find_napi(d, q->napi_id);
	const struct nt_topo_irq *irq = nt_topo_find_irq(d, q->irq);

	nt_json_begin_object(j);
	nt_json_kv_u64(j, "index", q->index);
	nt_json_kv_i64_or_null(j, "napi_id", q->napi_id ? (int64_t)q->napi_id : -1);
	nt_json_kv_i64_or_null(j, "irq", q->irq);
	nt_json_kv_string_or_null(j, "irq_source", nt_irq_src_to_string(q->irq_src));
	nt_json_kv_string_or_null(j, "irq_affinity", irq ? irq->affinity : NULL);
	nt_json_kv_string_or_null(j, "irq_effective", irq ? irq->effective : NULL);
	nt_json_kv_i64_or_null(j, "kthread_pid", n ? n->pid : -1);
	nt_json_kv_string_or_null(j, "kthread_cpus", n ? n->allowed : NULL);
	nt_json_kv_i64_or_null(j, "kthread_last_cpu", n ? n->last_cpu : -1);
	if (rx) {
		nt_json_key(j, "rps_cpus");
		nt_json_string(j, q->cpus); /* "" = RPS off; null = unknown */
		nt_json_kv_string_or_null(j, "rps_mask", q->mask);
		nt_json_kv_i64_or_null(j, "rps_flow_cnt", q->rps_flow_cnt);
	} else {
		nt_json_key(j, "xps_cpus");
		nt_json_string(j, q->cpus);
		nt_json_kv_string_or_null(j, "xps_mask", q->mask);
	}
	nt_json_end_object(j);
}

static void write_dev(struct nt_json *j, const struct nt_topo_dev *d)
{
	nt_json_begin_object(j);
	nt_json_kv_string(j, "name", d->name);
	nt_json_kv_i64(j, "ifindex", d->ifindex);
	nt_json_kv_string_or_null(j, "driver", d->driver);
	nt_json_kv_string_or_null(j, "bus_id", d->bus_id);
	nt_json_kv_i64_or_null(j, "numa_node", d->numa_node);
	nt_json_kv_i64_or_null(j, "threaded", d->threaded);
	nt_json_kv_string(j, "napi_source", nt_napi_src_to_string(d->napi_src));
	nt_json_key(j, "channels");
	if (d->channels.have) {
		nt_json_begin_object(j);
		nt_json_kv_i64_or_null(j, "rx", d->channels.rx);
		nt_json_kv_i64_or_null(j, "tx", d->channels.tx);
		nt_json_kv_i64_or_null(j, "combined", d->channels.combined);
		nt_json_kv_i64_or_null(j, "other", d->channels.other);
		nt_json_kv_i64_or_null(j, "rx_max", d->channels.rx_max);
		nt_json_kv_i64_or_null(j, "tx_max", d->channels.tx_max);
		nt_json_kv_i64_or_null(j, "combined_max", d->channels.combined_max);
		nt_json_kv_i64_or_null(j, "other_max", d->channels.other_max);
		nt_json_end_object(j);
	} else {
		nt_json_null(j);
	}
	nt_json_key(j, "rss");
	if (d->rss.have) {
		nt_json_begin_object(j);
		nt_json_kv_u64(j, "table_size", d->rss.size);
		nt_json_kv_string_or_null(j, "hash_function",
					  d->rss.hfunc[0] ? d->rss.hfunc : NULL);
		nt_json_kv_i64_or_null(j, "key_len", d->rss.key_len ? (int64_t)d->rss.key_len : -1);
		nt_json_key(j, "queues");
		nt_json_begin_array(j);
		for (unsigned int q = 0; q < d->rss.n_queues; q++) {
			nt_json_begin_object(j);
			nt_json_kv_u64(j, "queue", q);
			nt_json_kv_u64(j, "entries", d->rss.entries[q]);
			nt_json_key(j, "share");
			nt_json_double(j,
				       d->rss.size ? (double)d->rss.entries[q] / d->rss.size : 0);
			nt_json_end_object(j);
		}
		nt_json_end_array(j);
		nt_json_end_object(j);
	} else {
		nt_json_null(j);
	}
	nt_json_key(j, "napis");
	nt_json_begin_array(j);
	for (unsigned int i = 0; i < d->n_napi; i++) {
		const struct nt_topo_napi *n = &d->napi[i];

		nt_json_begin_object(j);
		nt_json_kv_u64(j, "id", n->id);
		nt_json_kv_i64_or_null(j, "irq", n->irq);
		nt_json_kv_i64_or_null(j, "pid", n->pid);
		nt_json_kv_string_or_null(j, "kthread_cpus", n->allowed);
		nt_json_kv_i64_or_null(j, "kthread_last_cpu", n->last_cpu);
		nt_json_end_object(j);
	}
	nt_json_end_array(j);
	nt_json_key(j, "irqs");
	nt_json_begin_array(j);
	for (unsigned int i = 0; i < d->n_irq; i++) {
		const struct nt_topo_irq *x = &d->irq[i];

		nt_json_begin_object(j);
		nt_json_kv_u64(j, "irq", x->irq);
		nt_json_kv_string_or_null(j, "name", x->name);
		nt_json_kv_string_or_null(j, "kind",
					  x->matched ? nt_irq_kind_to_string(x->kind) : NULL);
		nt_json_kv_i64_or_null(j, "queue", x->matched ? x->queue : -1);
		nt_json_kv_string_or_null(j, "affinity", x->affinity);
		nt_json_kv_string_or_null(j, "effective", x->effective);
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

void nt_topo_write_json(const struct nt_topo *t, struct nt_json *j)
{
	nt_json_begin_object(j);
	nt_json_kv_u64(j, "schema", 1);
	nt_json_key(j, "unavailable");
	nt_json_begin_array(j);
	if (t->err_interrupts)
		nt_json_string(j, "interrupts");
	if (t->err_kthreads)
		nt_json_string(j, "kthreads");
	nt_json_end_array(j);
	nt_json_key(j, "devices");
	nt_json_begin_array(j);
	for (unsigned int i = 0; i < t->n; i++)
		write_dev(j, &t->dev[i]);
	nt_json_end_array(j);
	nt_json_end_object(j);
}
