/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One sample of `napictl monitor`: per-second rates between two snapshots (snapshot.h)
 * for each CPU (NET_RX softirqs, softirq time share, backlog drops, squeezes) and each
 * device and queue (packets, drops, IRQs, packets per NAPI poll). Per-queue values come
 * from the queue's IRQs in /proc/interrupts and from driver counters (ethtool -S) that
 * name the queue (napiref "rx<q>_packets/_polls/_ring_drops", virtio/veth
 * "rx_queue_<q>_packets/_drops", virtio "rx<q>_drops", mlx5 "ch<q>_poll"). A rate that no source
 * gives is -1 (null in JSON), never 0.
 */
#ifndef NT_MONITOR_H
#define NT_MONITOR_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

struct nt_rates;
struct nt_json;

struct nt_mon_cpu {
	unsigned int cpu;
	/* per second; -1 unknown */
	double net_rx, processed, backlog_drops, squeezes;
	double softirq_pct; /* softirq share of the CPU's time in %, -1 unknown */
};

struct nt_mon_queue {
	unsigned int index;
	/* per second; -1 unknown */
	double pps, drops, irqs;
	double packets_per_poll; /* -1 unknown (no poll counter, or no polls) */
};

struct nt_mon_dev {
	char name[IF_NAMESIZE];
	bool valid; /* device counters comparable (no reset, same ifindex) */
	/* per second, -1 unknown */
	double rx_pps, tx_pps, rx_dropped, rx_missed, irqs;
	unsigned int n_queue;
	struct nt_mon_queue *queue; /* rx queues */
};

struct nt_mon_sample {
	double dt; /* seconds covered */
	unsigned int n_cpu;
	struct nt_mon_cpu *cpu; /* online CPUs with softnet data */
	unsigned int n_dev;
	struct nt_mon_dev *dev; /* in snapshot order (by name), loopback left out */
};

int nt_mon_compute(const struct nt_rates *r, struct nt_mon_sample *ret);
void nt_mon_done(struct nt_mon_sample *s);
/* One JSON object (docs/monitor-json.md); @seq numbers the samples from 1. */
void nt_mon_write_json(const struct nt_mon_sample *s, unsigned int seq, uint64_t time_ms,
		       struct nt_json *j);

#endif
