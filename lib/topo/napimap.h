/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The receive-path map of each device: queue (rx/tx) -> NAPI id -> IRQ -> its affinity and
 * effective CPUs -> threaded-NAPI kthread (pid, allowed CPUs, last CPU), with each queue's
 * RPS/XPS settings, and per device the driver, NUMA node and channel counts.
 *
 * Sources, each used only for what it really says:
 *  - lib/device.h: sysfs queues, NAPI instances and queue->NAPI ids (netdev genl
 *    napi-get/queue-get, 6.8+). Drivers that never call netif_queue_set_napi() (veth)
 *    report no queue->NAPI mapping: it stays unknown (0), never inferred.
 *  - /proc/interrupts names (nt_irq_name_match) for the IRQ of a queue when no NAPI
 *    reports one; /proc/irq/N/{smp,effective}_affinity_list.
 *  - kthreads (stats-threads.h): the NAPI's pid from napi-get, else (kernels without
 *    napi-get) the NAPI ids named by "napi/<dev>-<id>" threads.
 *  - ethtool netlink CHANNELS_GET for channel counts (nt_ethtool_get).
 */
#ifndef NT_NAPIMAP_H
#define NT_NAPIMAP_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

#include "error.h"
#include "interrupts.h"

struct nt_root;
struct nt_nl;

enum nt_map_irq_src {
	NT_MAP_IRQ_NONE, /* unknown */
	NT_MAP_IRQ_NAPI, /* the queue's NAPI reports it (napi-get irq) */
	NT_MAP_IRQ_NAME, /* the IRQ's name in /proc/interrupts names this queue */
};

enum nt_map_napi_src {
	NT_MAP_NAPI_NONE,    /* no NAPI information at all */
	NT_MAP_NAPI_NETLINK, /* netdev genl napi-get */
	NT_MAP_NAPI_KTHREAD, /* only the names of napi/<dev>-<id> kthreads */
};

struct nt_map_irq {
	unsigned int irq;
	char *name;	       /* action name in /proc/interrupts, NULL if not listed */
	bool matched;	       /* the name was recognised as this device's */
	enum nt_irq_kind kind; /* when matched */
	int queue;	       /* when matched: queue index, -1 for a non-queue vector */
	char *affinity;	       /* smp_affinity_list, NULL unknown */
	char *effective;       /* effective_affinity_list, NULL unknown (no such file) */
};

struct nt_map_napi {
	uint32_t id;
	int irq;	   /* -1: none reported */
	int pid;	   /* kthread, -1: not threaded */
	bool have_kthread; /* the kthread was found in /proc */
	int last_cpu;	   /* -1 unknown */
	char allowed[64];  /* Cpus_allowed_list, "" unknown */
};

struct nt_map_queue {
	unsigned int index;
	uint32_t napi_id; /* 0: unknown */
	int irq;	  /* -1: unknown */
	enum nt_map_irq_src irq_src;
	char *cpus;	      /* rps_cpus (rx) or xps_cpus (tx) as a cpulist, NULL unknown */
	char *mask;	      /* the same as the kernel's hex mask, NULL unknown */
	int64_t rps_flow_cnt; /* rx only, -1 unknown */
};

struct nt_map_channels {
	bool have;
	/* -1: the driver does not report the attribute */
	int64_t rx, tx, combined, other, rx_max, tx_max, combined_max, other_max;
};

struct nt_map_dev {
	char name[IF_NAMESIZE];
	int ifindex;
	char driver[64]; /* "" unknown */
	char bus_id[64]; /* basename of the device link, "" if virtual */
	int numa_node;	 /* -1 unknown */
	int threaded;	 /* sysfs threaded: 0/1, -1 unknown */
	struct nt_map_channels channels;
	enum nt_map_napi_src napi_src;
	unsigned int n_rx, n_tx, n_napi, n_irq;
	struct nt_map_queue *rx, *tx;
	struct nt_map_napi *napi; /* sorted by id */
	struct nt_map_irq *irq;	  /* sorted by number */
};

struct nt_map {
	unsigned int n;
	struct nt_map_dev *dev; /* sorted by name */
	int err_interrupts;	/* 0, or why /proc/interrupts could not be read */
	int err_kthreads;	/* 0, or why the kthread list could not be read */
};

/*
 * Builds the map of the devices named in @only (NULL-terminated; NULL: all devices).
 * @nl may be NULL (no NAPI ids, no channels). A name in @only that is not a device gives
 * -ENODEV with the name in reterr.
 */
int nt_map_read(const struct nt_root *root, struct nt_nl *nl, char *const *only, struct nt_map *ret,
		struct nt_err *reterr);
void nt_map_done(struct nt_map *m);
const struct nt_map_dev *nt_map_find(const struct nt_map *m, const char *name);
const struct nt_map_napi *nt_map_find_napi(const struct nt_map_dev *d, uint32_t id);
const struct nt_map_irq *nt_map_find_irq(const struct nt_map_dev *d, int irq);

const char *nt_map_irq_src_name(enum nt_map_irq_src s);
const char *nt_map_napi_src_name(enum nt_map_napi_src s);
const char *nt_irq_kind_name(enum nt_irq_kind k);

struct nt_json;
/* The document of docs/map-json.md. */
void nt_map_write_json(const struct nt_map *m, struct nt_json *j);

#endif
