// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <string.h>

#include "interrupts.h"
#include "read-fixture.h"

static void test_virtio_host(void **state)
{
	_cleanup_free_ char *text = read_fixture("proc/misc/interrupts-2cpu-virtio");
	struct nt_interrupts s;
	const struct nt_irq *q;

	(void)state;
	assert_int_equal(nt_interrupts_parse(text, &s), 0);
	assert_int_equal(s.n_col, 2);
	assert_int_equal(s.n, 19); /* numbered rows only */
	q = nt_interrupts_find(&s, 38);
	assert_non_null(q);
	assert_string_equal(q->name, "virtio2-input.0");
	assert_string_equal(q->chip, "PCI-MSIX-0000:00:03.0");
	assert_int_equal(q->count[1], 5645);
	assert_int_equal(q->total, 5645);
	q = nt_interrupts_find(&s, 24);
	assert_string_equal(q->name, "ACPI:Ged");
	assert_null(nt_interrupts_find(&s, 27));
	nt_interrupts_done(&s);
}

/* Only the rows asked for (any order, repeated), the same as in the whole parse. */
static void test_only(void **state)
{
	_cleanup_free_ char *text = read_fixture("proc/misc/interrupts-2cpu-virtio");
	static const unsigned int want[] = {38, 24, 38, 9999};
	struct nt_interrupts all, s;

	(void)state;
	assert_int_equal(nt_interrupts_parse(text, &all), 0);
	assert_int_equal(nt_interrupts_parse_only(text, want, ARRAY_SIZE(want), &s), 0);
	assert_int_equal(s.n_col, all.n_col);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.irq[0].irq, 24);
	assert_int_equal(s.irq[1].irq, 38);
	for (unsigned int i = 0; i < s.n; i++) {
		const struct nt_irq *a = nt_interrupts_find(&all, s.irq[i].irq);

		assert_non_null(a);
		assert_string_equal(s.irq[i].name, a->name);
		assert_memory_equal(s.irq[i].count, a->count, all.n_col * sizeof(uint64_t));
		assert_int_equal(s.irq[i].total, a->total);
	}
	assert_null(nt_interrupts_find(&s, 39));
	nt_interrupts_done(&s);
	assert_int_equal(nt_interrupts_parse_only(text, NULL, 0, &s), 0);
	assert_int_equal(s.n, 0);
	nt_interrupts_done(&s);
	nt_interrupts_done(&all);
}

static void test_nics(void **state)
{
	_cleanup_free_ char *text = read_fixture("proc/misc/interrupts-4cpu-nics");
	struct nt_interrupts s;
	const struct nt_irq *q;

	(void)state;
	assert_int_equal(nt_interrupts_parse(text, &s), 0);
	assert_int_equal(s.n_col, 4);
	assert_int_equal(s.col_cpu[3], 3);
	q = nt_interrupts_find(&s, 16);
	assert_string_equal(q->name, "ehci_hcd:usb1, eth5");
	q = nt_interrupts_find(&s, 124);
	assert_string_equal(q->name, "eth1-TxRx-1");
	assert_int_equal(q->count[0], 8123456);
	q = nt_interrupts_find(&s, 131);
	assert_int_equal(q->total, 11000);
	q = nt_interrupts_find(&s, 150);
	assert_string_equal(q->name, ""); /* vector without an action */
	assert_string_equal(q->chip, "IR-PCI-MSI");
	nt_interrupts_done(&s);
}

static void test_names(void **state)
{
	static const struct {
		const char *name, *dev, *bus;
		int r;
		enum nt_irq_kind kind;
		int queue;
	} cases[] = {
		{"eth1-TxRx-3", "eth1", NULL, 0, NT_IRQ_QUEUE_RXTX, 3},
		{"eth1-TxRx-3", "eth10", NULL, -ENOENT, 0, 0},
		{"eth10-TxRx-3", "eth1", NULL, -ENOENT, 0, 0},
		{"eth1", "eth1", NULL, 0, NT_IRQ_DEVICE, -1},
		{"eth3-rx-0", "eth3", NULL, 0, NT_IRQ_QUEUE_RX, 0},
		{"eth3-tx-12", "eth3", NULL, 0, NT_IRQ_QUEUE_TX, 12},
		{"enp1s0-5", "enp1s0", NULL, 0, NT_IRQ_QUEUE_RXTX, 5},
		{"ice-ens2-TxRx-0", "ens2", NULL, 0, NT_IRQ_QUEUE_RXTX, 0},
		{"virtio2-input.0", "eth0", "virtio2", 0, NT_IRQ_QUEUE_RX, 0},
		{"virtio2-output.7", "eth0", "virtio2", 0, NT_IRQ_QUEUE_TX, 7},
		{"virtio2-config", "eth0", "virtio2", 0, NT_IRQ_DEVICE, -1},
		{"virtio21-input.0", "eth0", "virtio2", -ENOENT, 0, 0},
		{"virtio2-input.0", "eth0", NULL, -ENOENT, 0, 0},
		{"mlx5_comp1@pci:0000:03:00.0", "ens1f0", "0000:03:00.0", 0, NT_IRQ_QUEUE_RXTX, 1},
		{"mlx5_async0@pci:0000:03:00.0", "ens1f0", "0000:03:00.0", 0, NT_IRQ_DEVICE, -1},
		{"mlx5_comp1@pci:0000:03:00.1", "ens1f0", "0000:03:00.0", -ENOENT, 0, 0},
		{"ehci_hcd:usb1, eth5", "eth5", NULL, 0, NT_IRQ_DEVICE, -1},
		{"", "eth0", "virtio2", -ENOENT, 0, 0},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		enum nt_irq_kind kind = 99;
		int queue = 99, r;

		r = nt_irq_name_match(cases[i].name, cases[i].dev, cases[i].bus, &kind, &queue);
		if (r != cases[i].r)
			fail_msg("'%s' on '%s': r=%d, want %d", cases[i].name, cases[i].dev, r,
				 cases[i].r);
		if (r == 0) {
			assert_int_equal(kind, cases[i].kind);
			assert_int_equal(queue, cases[i].queue);
		}
	}
}

static void test_bad(void **state)
{
	struct nt_interrupts s;

	(void)state;
	assert_int_equal(nt_interrupts_parse("garbage\n", &s), -EBADMSG);
	assert_int_equal(nt_interrupts_parse(" CPU0\n 1x: 5 chip name\n", &s), -EBADMSG);
	assert_int_equal(nt_interrupts_parse(" CPU0\n 1: 5x chip name\n", &s), -EBADMSG);
	assert_int_equal(nt_interrupts_parse(" CPU0 CPU1\n 7: 5\n", &s), 0);
	assert_int_equal(s.irq[0].count[1], 0);
	assert_string_equal(s.irq[0].name, "");
	nt_interrupts_done(&s);
	/* Each CPU once and below NT_CPUS_MAX: the columns bound what a row costs. */
	assert_int_equal(nt_interrupts_parse(" CPU0 CPU0\n 7: 5 5\n", &s), -EBADMSG);
	assert_int_equal(nt_interrupts_parse(" CPU0CPU0\n 7: 5 5\n", &s), -EBADMSG);
	assert_int_equal(nt_interrupts_parse(" CPU8192\n 7: 5\n", &s), -EBADMSG);
	assert_int_equal(nt_interrupts_parse(" CPU0 CPU8191\n 7: 5 6\nNMI: 0 0\n", &s), 0);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.col_cpu[1], 8191);
	assert_int_equal(s.irq[0].total, 11);
	nt_interrupts_done(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_virtio_host), cmocka_unit_test(test_only),
		cmocka_unit_test(test_nics),	    cmocka_unit_test(test_names),
		cmocka_unit_test(test_bad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
