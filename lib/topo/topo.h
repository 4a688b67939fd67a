/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The one topology model of napitune: the network devices of this machine (of the current
 * netns) and how their receive path is wired,
 *
 *   device -> queue (rx/tx) -> NAPI id -> IRQ -> affinity and effective CPUs -> NAPI kthread
 *
 * with each queue's RPS/XPS settings and, per device, the driver, bus id, NUMA node and
 * channel counts. The planner, `napictl map` and whoever else needs "which IRQ serves this
 * queue" read it from here, so they always agree.
 *
 * Sources, each used only for what it really says:
 *  - /sys/class/net (nt_netdev_names(): the one listing of devices): ifindex, queues, the
 *    device link (physical, bus id, driver, NUMA node), threaded, MSI(-X) vectors.
 *  - netdev netlink napi-get/queue-get (6.8+): NAPI instances with their IRQ and kthread
 *    pid, and queue -> NAPI ids. Drivers that never call netif_queue_set_napi() (veth)
 *    report no queue -> NAPI mapping: it stays unknown (0), never inferred.
 *  - /proc/interrupts names (nt_irq_name_match()): a queue's IRQ when no NAPI reports one
 *    (every kernel before 6.8, and drivers that do not call netif_napi_set_irq()).
 *  - /proc/irq/N/{smp,effective}_affinity_list.
 *  - kthreads (kthreads.h): the NAPI's pid from napi-get, else the NAPI ids named by
 *    "napi/<dev>-<id>" threads; their allowed CPUs and last CPU.
 *  - ethtool netlink CHANNELS_GET for channel counts.
 */
#ifndef NT_TOPO_H
#define NT_TOPO_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "interrupts.h"
#include "string-table.h"

struct nt_root;
struct nt_nl;
struct nt_json;

/* Where a queue's IRQ came from. */
enum nt_irq_src {
	NT_IRQ_SRC_NONE, /* unknown */
	NT_IRQ_SRC_NAPI, /* the queue's NAPI reports it (napi-get irq) */
	NT_IRQ_SRC_NAME, /* the IRQ's name in /proc/interrupts names this queue */
	_NT_IRQ_SRC_MAX,
};

/* Where a device's NAPI instances came from. */
enum nt_napi_src {
	NT_NAPI_SRC_NONE,    /* no NAPI information at all */
	NT_NAPI_SRC_NETLINK, /* netdev genl napi-get */
	NT_NAPI_SRC_KTHREAD, /* only the names of napi/<dev>-<id> kthreads */
	_NT_NAPI_SRC_MAX,
};

struct nt_topo_irq {
	unsigned int irq;
	char *name;	       /* action name in /proc/interrupts, NULL if not listed */
	bool matched;	       /* the name was recognised as this device's */
	enum nt_irq_kind kind; /* when matched */
	int queue;	       /* when matched: queue index, -1 for a non-queue vector */
	char *affinity;	       /* smp_affinity_list, NULL unknown */
	char *effective;       /* effective_affinity_list, NULL unknown (no such file) */
};

struct nt_topo_napi {
	uint32_t id;
	int irq;	   /* -1: none reported */
	int pid;	   /* kthread, -1: not threaded */
	bool have_kthread; /* the kthread was found in /proc */
	int last_cpu;	   /* -1 unknown */
	char allowed[64];  /* Cpus_allowed_list, "" unknown */
};

struct nt_topo_queue {
	unsigned int index;
	uint32_t napi_id; /* 0: unknown */
	int irq;	  /* -1: unknown */
	enum nt_irq_src irq_src;
	char *cpus;	      /* rps_cpus (rx) or xps_cpus (tx) as a cpulist, NULL unknown */
	char *mask;	      /* the same as the kernel's hex mask, NULL unknown */
	int64_t rps_flow_cnt; /* rx only, -1 unknown */
};

struct nt_topo_channels {
	bool have;
	/* -1: the driver does not report the attribute */
	int64_t rx, tx, combined, other, rx_max, tx_max, combined_max, other_max;
};

struct nt_topo_dev {
	char name[IF_NAMESIZE];
	int ifindex;
	char driver[64]; /* "" unknown */
	char bus_id[64]; /* basename of the device link, "" if virtual */
	bool physical;	 /* has a /sys/class/net/X/device link */
	int numa_node;	 /* -1 unknown */
	int threaded;	 /* sysfs threaded: 0/1, -1 unknown */
	struct nt_topo_channels channels;
	enum nt_napi_src napi_src;
	unsigned int n_rx, n_tx, n_napi, n_irq;
	struct nt_topo_queue *rx, *tx;
	struct nt_topo_napi *napi; /* sorted by id */
	/* Every IRQ of the device (MSI vectors, NAPI IRQs, names), sorted by number. */
	struct nt_topo_irq *irq;
	/*
	 * The RSS indirection table's summary. nt_topo_read() does not read it (RSS is a
	 * knob family, above this layer): a caller that can (napictl map, through the rss
	 * knobs' reader) fills it; have false: not read, or the device has no RSS.
	 */
	struct nt_topo_rss {
		bool have;
		unsigned int size;    /* table entries */
		unsigned int key_len; /* bytes, 0 unknown */
		char hfunc[16];	      /* "toeplitz", "xor", "crc32"; "" unknown */
		unsigned int n_queues;
		unsigned int *entries; /* per queue 0..n_queues-1: entries pointing at it */
	} rss;
};

struct nt_topo {
	unsigned int n;
	struct nt_topo_dev *dev; /* sorted by name */
	bool have_netlink;	 /* NAPI and queue information came from netdev netlink */
	int err_interrupts;	 /* 0, or why /proc/interrupts could not be read */
	int err_kthreads;	 /* 0, or why the kthread list could not be read */
};

/*
 * The network devices below @root: the entries of /sys/class/net that have an ifindex
 * (bonding_masters has none), sorted, NULL-terminated; free with nt_strv_free().
 */
int nt_netdev_names(const struct nt_root *root, char ***ret, size_t *ret_n);

/*
 * Reads the topology of the devices named in @only (NULL-terminated; NULL: all devices).
 * @nl may be NULL (no NAPI ids, no channels: fixture trees). A name in @only that is not a
 * device gives -ENODEV with the name in reterr.
 */
int nt_topo_read(const struct nt_root *root, struct nt_nl *nl, char *const *only,
		 struct nt_topo *ret, struct nt_err *reterr);
/*
 * Only what identifies device @name (name, ifindex, physical, bus id, driver; @live: ask
 * the kernel for a virtual device's driver) into @d, no queues or IRQs: enough to tell
 * whether a profile selects it. -ENODEV if it is not a device here. Nothing to free.
 */
int nt_topo_read_ident(const struct nt_root *root, bool live, const char *name,
		       struct nt_topo_dev *d);
void nt_topo_done(struct nt_topo *t);
const struct nt_topo_dev *nt_topo_find(const struct nt_topo *t, const char *name);
const struct nt_topo_napi *nt_topo_find_napi(const struct nt_topo_dev *d, uint32_t id);
const struct nt_topo_irq *nt_topo_find_irq(const struct nt_topo_dev *d, int irq);

DECLARE_STRING_TABLE_LOOKUP(nt_irq_src, enum nt_irq_src);
DECLARE_STRING_TABLE_LOOKUP(nt_napi_src, enum nt_napi_src);

/* The document of docs/map-json.md. */
void nt_topo_write_json(const struct nt_topo *t, struct nt_json *j);

#endif
