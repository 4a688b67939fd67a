// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * /proc/interrupts (topo/interrupts.c) and the IRQ action names in it
 * (nt_irq_name_match). What is accepted is sorted by IRQ, each row's total is the sum of
 * its counts, and every name is matched against a few device names and its own prefix.
 * nt_interrupts_parse_only, asked for every other IRQ of the full parse, must give exactly
 * those rows with the same counts.
 */
#include <stdbool.h>
#include <stdlib.h>
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

static bool wanted(const unsigned int *want, size_t n, unsigned int irq)
{
	for (size_t k = 0; k < n; k++)
		if (want[k] == irq)
			return true;
	return false;
}

/* @s has one row for @irq (a text may repeat a number; then which row wins is not fixed). */
static bool single(const struct nt_interrupts *s, unsigned int irq)
{
	unsigned int c = 0;

	for (unsigned int i = 0; i < s->n; i++)
		c += s->irq[i].irq == irq;
	return c == 1;
}

/* The rows of @s with an even index, read again by nt_interrupts_parse_only(). */
static void check_only(const char *text, const struct nt_interrupts *s)
{
	unsigned int *want = calloc(s->n / 2 + 1, sizeof(*want));
	struct nt_interrupts o;
	size_t n = 0;

	if (!want)
		return;
	for (unsigned int i = 0; i < s->n; i += 2)
		want[n++] = s->irq[i].irq;
	if (nt_interrupts_parse_only(text, want, n, &o) == 0) {
		FUZZ_CHECK(o.n_col == s->n_col);
		for (size_t k = 0; k < n; k++) {
			const struct nt_irq *a = nt_interrupts_find(s, want[k]);
			const struct nt_irq *b = nt_interrupts_find(&o, want[k]);

			if (!single(s, want[k]))
				continue;
			FUZZ_CHECK(b && b->total == a->total);
			FUZZ_CHECK(b &&
				   memcmp(b->count, a->count, s->n_col * sizeof(*a->count)) == 0);
		}
		for (unsigned int i = 0; i < o.n; i++)
			FUZZ_CHECK(wanted(want, n, o.irq[i].irq));
		nt_interrupts_done(&o);
	}
	free(want);
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
		check_only(text[0], &s);
		nt_interrupts_done(&s);
	}
}
