// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * /proc/interrupts (topo/interrupts.c) and the IRQ action names in it
 * (nt_irq_name_match). What is accepted is sorted by IRQ, each row's total is the sum of
 * its counts, and every name is matched against a few device names and its own prefix.
 */
#include <string.h>

#include "fuzz.h"
#include "interrupts.h"

static void check_name(const char *name)
{
	static const char *const devs[] = {"eth0", "virtio0", "mlx5", "enp3s0f1"};
	char own[16];
	enum nt_irq_kind kind;
	int q;

	/* The name's own first word ("eth1" of "eth1-TxRx-3") should often match. */
	snprintf(own, sizeof(own), "%.*s", (int)strcspn(name, "-_, "), name);
	for (size_t i = 0; i <= ARRAY_SIZE(devs); i++) {
		const char *dev = i < ARRAY_SIZE(devs) ? devs[i] : own;

		if (nt_irq_name_match(name, dev, i % 2 ? "0000:03:00.0" : NULL, &kind, &q) == 0)
			FUZZ_CHECK(q >= -1 && kind <= NT_IRQ_DEVICE);
	}
}

const unsigned int nt_fuzz_texts = 1;

void nt_fuzz_run(const char *const *text, _unused_ const uint8_t *data, size_t size)
{
	struct nt_interrupts s;

	if (nt_interrupts_parse(text[0], &s) == 0) {
		FUZZ_CHECK(s.n_col > 0);
		for (unsigned int i = 0; i < s.n; i++) {
			const struct nt_irq *q = &s.irq[i];
			uint64_t sum = 0;

			FUZZ_CHECK(i == 0 || s.irq[i - 1].irq <= q->irq);
			FUZZ_CHECK(nt_interrupts_find(&s, q->irq)->irq == q->irq);
			for (unsigned int c = 0; c < s.n_col; c++)
				sum += q->count[c];
			FUZZ_CHECK(sum == q->total);
			FUZZ_CHECK(strlen(q->chip) + strlen(q->name) < size + 2);
			check_name(q->name);
		}
		nt_interrupts_done(&s);
	}
}
