/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * /proc/interrupts: a "CPU<n>" header (online CPUs), then one row per IRQ:
 *   " 41:   12   0   PCI-MSIX-0000:00:03.0   1-edge      virtio1-input.0"
 * i.e. "<irq>:", one decimal count per header column, chip, hwirq/type, action
 * names ("a, b" when shared). Only numbered rows are kept (NMI, LOC... are not
 * device interrupts). Host-global.
 *
 * nt_irq_name_match() maps an action name to a device and queue. Drivers choose the
 * names freely; the schemes recognised are the common ones ("eth0-TxRx-3", "eth0-rx-3",
 * "virtio0-input.3", "mlx5_comp3@pci:..."), see nt_irq_name_match() in interrupts.c.
 */
#ifndef NT_INTERRUPTS_H
#define NT_INTERRUPTS_H

#include <stdbool.h>
#include <stdint.h>

#include "string-table.h"

struct nt_root;

struct nt_irq {
	unsigned int irq;
	uint64_t total;	 /* sum over the columns */
	uint64_t *count; /* n_col counts, column i is CPU col_cpu[i] */
	char *chip;	 /* first word after the counts, may be "" */
	char *name;	 /* action name(s), may be "" */
};

struct nt_interrupts {
	unsigned int n_col;
	unsigned int *col_cpu;
	unsigned int n;
	struct nt_irq *irq; /* sorted by irq number */
	uint64_t *counts_;  /* storage for all count arrays */
	char *names_;	    /* storage for all strings */
};

int nt_interrupts_parse(const char *text, struct nt_interrupts *ret);
int nt_interrupts_read(const struct nt_root *root, struct nt_interrupts *ret);
/*
 * The same, keeping only the rows of the @n IRQs @irqs (any order): the other rows are
 * stepped over without parsing their counts, the cost of a machine with thousands of IRQs
 * and hundreds of CPUs when only a few of them are wanted (the daemon: its devices' queues).
 */
int nt_interrupts_parse_only(const char *text, const unsigned int *irqs, size_t n,
			     struct nt_interrupts *ret);
int nt_interrupts_read_only(const struct nt_root *root, const unsigned int *irqs, size_t n,
			    struct nt_interrupts *ret);
void nt_interrupts_done(struct nt_interrupts *s);
const struct nt_irq *nt_interrupts_find(const struct nt_interrupts *s, unsigned int irq);

enum nt_irq_kind {
	NT_IRQ_QUEUE_RXTX, /* a combined queue vector ("eth0-TxRx-3", "mlx5_comp3") */
	NT_IRQ_QUEUE_RX,   /* "eth0-rx-3", "virtio0-input.3" */
	NT_IRQ_QUEUE_TX,   /* "eth0-tx-3", "virtio0-output.3" */
	NT_IRQ_DEVICE,	   /* the device's only/other vector ("eth0", "virtio0-config") */
	_NT_IRQ_KIND_MAX,
};

DECLARE_STRING_TABLE_LOOKUP(nt_irq_kind, enum nt_irq_kind);

/*
 * Does IRQ action @name belong to network device @dev? @bus_id is the basename of
 * /sys/class/net/<dev>/device ("virtio0", "0000:03:00.0"), or NULL. On a match returns
 * 0 with the kind and queue index (-1 when the vector is not a queue's); else -ENOENT.
 */
int nt_irq_name_match(const char *name, const char *dev, const char *bus_id,
		      enum nt_irq_kind *ret_kind, int *ret_queue);

#endif
