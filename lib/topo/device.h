/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The network devices of this machine (of the current netns) and how their queues,
 * NAPI instances, IRQs and kthreads relate: device -> queue -> NAPI id -> IRQ -> CPUs.
 * Sources: /sys/class/net (through struct nt_root), netdev genl napi-get/queue-get
 * (kernel 6.8+, when an nt_nl is given), /proc/interrupts names and msi_irqs.
 */
#ifndef NT_DEVICE_H
#define NT_DEVICE_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

#include "cpuset.h"

struct nt_root;
struct nt_nl;

struct nt_napi {
	uint32_t id;
	int irq;	/* -1: none reported */
	int pid;	/* threaded NAPI kthread, -1: none */
};

struct nt_queue {
	unsigned int index;
	uint32_t napi_id;	/* 0: unknown (driver did not call netif_queue_set_napi) */
	int irq;		/* -1: unknown; from the NAPI, else from IRQ names */
};

struct nt_device {
	char name[IF_NAMESIZE];
	int ifindex;
	char driver[64];	/* "" if virtual without a driver link */
	bool physical;		/* has a /sys/class/net/X/device link */
	int numa_node;		/* -1 if unknown */
	unsigned int n_rx, n_tx;
	struct nt_queue *rx, *tx;
	unsigned int n_napi;
	struct nt_napi *napi;
	unsigned int n_irq;	/* all IRQs of the device (msi_irqs or /proc/interrupts) */
	int *irq;
};

struct nt_device_list {
	unsigned int n;
	struct nt_device *dev;
	bool have_netlink;	/* napi/queue info came from netdev genl */
};

/* Reads every device. @nl may be NULL (then no NAPI ids). */
int nt_device_list_read(const struct nt_root *root, struct nt_nl *nl,
			struct nt_device_list *ret);
void nt_device_list_done(struct nt_device_list *l);
const struct nt_device *nt_device_find(const struct nt_device_list *l, const char *name);
const struct nt_napi *nt_device_find_napi(const struct nt_device *d, uint32_t id);

#endif
