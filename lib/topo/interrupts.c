// SPDX-License-Identifier: GPL-2.0-or-later
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cpuset.h"
#include "fs.h"
#include "interrupts.h"
#include "string-table.h"

/* A decimal number, faster than strtoull: the file can hold millions of them. */
static const char *parse_dec(const char *p, uint64_t *ret)
{
	uint64_t v = 0;
	const char *s = p;

	while (*p >= '0' && *p <= '9') {
		uint64_t d = (uint64_t)(*p - '0');

		if (v > (UINT64_MAX - d) / 10)
			return NULL;
		v = v * 10 + d;
		p++;
	}
	if (p == s)
		return NULL;
	*ret = v;
	return p;
}

/*
 * The header names each column's CPU once (the online CPUs, in order). Distinct CPUs below
 * NT_CPUS_MAX bound the columns, and so the counts a row needs, by what a machine has.
 */
static int parse_header(const char *line, const char *eol, struct nt_interrupts *s)
{
	_cleanup_free_ struct nt_cpuset *seen = calloc(1, sizeof(*seen));
	unsigned int cap = 0;

	if (!seen)
		return -ENOMEM;
	for (const char *p = line;;) {
		uint64_t cpu;

		while (p < eol && (*p == ' ' || *p == '\t'))
			p++;
		if (p >= eol)
			break;
		if (strncmp(p, "CPU", 3) != 0)
			return -EBADMSG;
		p = parse_dec(p + 3, &cpu);
		if (!p || cpu >= NT_CPUS_MAX || nt_cpuset_isset(seen, (unsigned int)cpu))
			return -EBADMSG;
		(void)nt_cpuset_set(seen, (unsigned int)cpu);
		if (s->n_col == cap) {
			unsigned int *q;

			cap = cap ? cap * 2 : 64;
			q = realloc(s->col_cpu, cap * sizeof(*q));
			if (!q)
				return -ENOMEM;
			s->col_cpu = q;
		}
		s->col_cpu[s->n_col++] = (unsigned int)cpu;
	}
	return s->n_col > 0 ? 0 : -EBADMSG;
}

/* Is there a word between the chip and @nm? */
static bool has_name_before(const char *chip_end, const char *nm)
{
	for (const char *p = chip_end; p < nm; p++)
		if (*p != ' ')
			return true;
	return false;
}

static int cmp_irq(const void *a, const void *b)
{
	const struct nt_irq *x = a, *y = b;

	return (x->irq > y->irq) - (x->irq < y->irq);
}

/* Copies [p, end) into the string pool; returns the offset. */
static size_t pool_add(char *pool, size_t *used, const char *p, const char *end)
{
	size_t off = *used, len = (size_t)(end - p);

	memcpy(pool + off, p, len);
	pool[off + len] = '\0';
	*used += len + 1;
	return off;
}

static int cmp_uint(const void *a, const void *b)
{
	unsigned int x = *(const unsigned int *)a, y = *(const unsigned int *)b;

	return (x > y) - (x < y);
}

/* @want: sorted IRQ numbers, the only rows kept; NULL: every row. */
static int parse(const char *text, const unsigned int *want, size_t n_want,
		 struct nt_interrupts *ret)
{
	struct nt_interrupts s = {};
	const char *eol = strchrnul(text, '\n'), *line;
	size_t rows = 0, pool_used = 0, cap;
	size_t *chip_off = NULL, *name_off = NULL;
	int r;

	r = parse_header(text, eol, &s);
	if (r < 0)
		goto fail;
	/*
	 * Rows: the lines that start with a number, or at most the wanted ones (distinct);
	 * strings never exceed the text.
	 */
	if (want) {
		rows = n_want;
	} else {
		for (line = *eol ? eol + 1 : eol; *line; line = *eol ? eol + 1 : eol) {
			eol = strchrnul(line, '\n');
			line += strspn(line, " ");
			rows += isdigit((unsigned char)*line) != 0;
		}
		eol = strchrnul(text, '\n');
	}
	cap = rows + 1;
	if (cap > SIZE_MAX / sizeof(uint64_t) / s.n_col) {
		r = -ENOMEM;
		goto fail;
	}
	s.irq = calloc(cap, sizeof(*s.irq));
	s.counts_ = malloc(cap * s.n_col * sizeof(uint64_t));
	s.names_ = malloc(strlen(text) + 2 * cap + 1);
	chip_off = malloc(cap * sizeof(size_t));
	name_off = malloc(cap * sizeof(size_t));
	if (!s.irq || !s.counts_ || !s.names_ || !chip_off || !name_off) {
		r = -ENOMEM;
		goto fail;
	}
	for (line = *eol ? eol + 1 : eol; *line; line = *eol ? eol + 1 : eol) {
		const char *p = line, *tail, *name, *chip_end;
		struct nt_irq *q;
		uint64_t irq;

		eol = strchrnul(line, '\n');
		while (*p == ' ')
			p++;
		if (!isdigit((unsigned char)*p))
			continue; /* NMI, LOC, ERR, MIS, blank */
		p = parse_dec(p, &irq);
		if (!p || *p != ':' || irq > UINT32_MAX) {
			r = -EBADMSG;
			goto fail;
		}
		if (want) {
			unsigned int key = (unsigned int)irq;

			/* the counts of the rows not asked for are never parsed */
			if (!bsearch(&key, want, n_want, sizeof(*want), cmp_uint))
				continue;
			if (s.n == n_want) { /* a wanted row twice: not the kernel's file */
				r = -EBADMSG;
				goto fail;
			}
		}
		p++;
		q = &s.irq[s.n];
		q->irq = (unsigned int)irq;
		q->count = s.counts_ + (size_t)s.n * s.n_col;
		q->total = 0;
		for (unsigned int i = 0; i < s.n_col; i++) {
			while (*p == ' ')
				p++;
			/* A row may end early (a chip without counts); the rest read 0. */
			if (!isdigit((unsigned char)*p)) {
				memset(q->count + i, 0, (s.n_col - i) * sizeof(uint64_t));
				break;
			}
			p = parse_dec(p, &q->count[i]);
			if (!p || (*p != ' ' && *p != '\n' && *p != '\0')) {
				r = -EBADMSG;
				goto fail;
			}
			q->total += q->count[i];
		}
		/* tail: "chip  hwirq-type  name[, name...]" */
		while (p < eol && *p == ' ')
			p++;
		tail = p;
		chip_end = tail;
		while (chip_end < eol && *chip_end != ' ')
			chip_end++;
		/* The name is the last word, extended left over "word," (shared IRQs). */
		{
			const char *end = eol, *nm;

			while (end > chip_end && end[-1] == ' ')
				end--;
			nm = end;
			while (nm > chip_end && nm[-1] != ' ')
				nm--;
			for (;;) {
				const char *w = nm;

				while (w > chip_end && w[-1] == ' ')
					w--;
				if (w <= chip_end || w[-1] != ',')
					break;
				while (w > chip_end && w[-1] != ' ')
					w--;
				nm = w;
			}
			/* "chip 65536-edge" with no action: the word is the hwirq-type. */
			if (isdigit((unsigned char)*nm) && memchr(nm, '-', (size_t)(end - nm)) &&
			    nm > chip_end && nm[-1] == ' ' && !has_name_before(chip_end, nm))
				nm = end;
			name = nm;
			chip_off[s.n] = pool_add(s.names_, &pool_used, tail, chip_end);
			name_off[s.n] = pool_add(s.names_, &pool_used, name, end);
		}
		s.n++;
	}
	for (unsigned int i = 0; i < s.n; i++) {
		s.irq[i].chip = s.names_ + chip_off[i];
		s.irq[i].name = s.names_ + name_off[i];
	}
	free(chip_off);
	free(name_off);
	if (s.n)
		qsort(s.irq, s.n, sizeof(*s.irq), cmp_irq);
	*ret = s;
	return 0;
fail:
	free(chip_off);
	free(name_off);
	nt_interrupts_done(&s);
	return r;
}

int nt_interrupts_parse(const char *text, struct nt_interrupts *ret)
{
	return parse(text, NULL, 0, ret);
}

int nt_interrupts_parse_only(const char *text, const unsigned int *irqs, size_t n,
			     struct nt_interrupts *ret)
{
	_cleanup_free_ unsigned int *want = malloc((n ? n : 1) * sizeof(*want));
	size_t m = 0;

	if (!want)
		return -ENOMEM;
	if (n)
		memcpy(want, irqs, n * sizeof(*want));
	qsort(want, n, sizeof(*want), cmp_uint);
	for (size_t i = 0; i < n; i++) /* distinct: a row is kept once */
		if (!m || want[m - 1] != want[i])
			want[m++] = want[i];
	return parse(text, want, m, ret);
}

int nt_interrupts_read_only(const struct nt_root *root, const unsigned int *irqs, size_t n,
			    struct nt_interrupts *ret)
{
	_cleanup_free_ char *text = NULL;
	int r;

	r = nt_read_file(root, "proc/interrupts", &text, NULL);
	if (r < 0)
		return r;
	return nt_interrupts_parse_only(text, irqs, n, ret);
}

int nt_interrupts_read(const struct nt_root *root, struct nt_interrupts *ret)
{
	_cleanup_free_ char *text = NULL;
	int r;

	r = nt_read_file(root, "proc/interrupts", &text, NULL);
	if (r < 0)
		return r;
	return nt_interrupts_parse(text, ret);
}

void nt_interrupts_done(struct nt_interrupts *s)
{
	free(s->col_cpu);
	free(s->irq);
	free(s->counts_);
	free(s->names_);
	*s = (struct nt_interrupts){};
}

const struct nt_irq *nt_interrupts_find(const struct nt_interrupts *s, unsigned int irq)
{
	const struct nt_irq key = {.irq = irq};

	return s->n ? bsearch(&key, s->irq, s->n, sizeof(*s->irq), cmp_irq) : NULL;
}

/* Trailing decimal number of [s, end), or -1. */
static int trailing_number(const char *s, const char *end)
{
	const char *p = end;
	uint64_t v;

	while (p > s && isdigit((unsigned char)p[-1]))
		p--;
	if (p == end || end - p > 6 || !parse_dec(p, &v))
		return -1;
	return (int)v;
}

static bool has_ci(const char *s, size_t len, const char *needle)
{
	size_t n = strlen(needle);

	for (size_t i = 0; i + n <= len; i++)
		if (!strncasecmp(s + i, needle, n))
			return true;
	return false;
}

static const char *const nt_irq_kind_table[_NT_IRQ_KIND_MAX] = {
	[NT_IRQ_QUEUE_RXTX] = "rxtx",
	[NT_IRQ_QUEUE_RX] = "rx",
	[NT_IRQ_QUEUE_TX] = "tx",
	[NT_IRQ_DEVICE] = "device",
};

DEFINE_STRING_TABLE_LOOKUP(nt_irq_kind, enum nt_irq_kind);

static enum nt_irq_kind kind_of(const char *s, size_t len)
{
	bool rx = has_ci(s, len, "rx") || has_ci(s, len, "input");
	bool tx = has_ci(s, len, "tx") || has_ci(s, len, "output");

	if (rx && !tx)
		return NT_IRQ_QUEUE_RX;
	if (tx && !rx)
		return NT_IRQ_QUEUE_TX;
	return NT_IRQ_QUEUE_RXTX;
}

static int match_one(const char *name, size_t len, const char *dev, const char *bus_id,
		     enum nt_irq_kind *ret_kind, int *ret_queue)
{
	size_t dl = strlen(dev);
	const char *end = name + len;

	/* "<dev>" alone: the device's single vector. */
	if (len == dl && !memcmp(name, dev, dl)) {
		*ret_kind = NT_IRQ_DEVICE;
		*ret_queue = -1;
		return 0;
	}
	/* "<dev>-..." anywhere at a word start ("eth0-TxRx-3", "ice-eth0-TxRx-3"). */
	for (const char *p = name; p + dl < end; p++) {
		if ((p == name || p[-1] == '-') && !memcmp(p, dev, dl) && p[dl] == '-') {
			const char *rest = p + dl + 1;
			int q = trailing_number(rest, end);

			if (q < 0) {
				*ret_kind = NT_IRQ_DEVICE;
				*ret_queue = -1;
			} else {
				*ret_kind = kind_of(rest, (size_t)(end - rest));
				*ret_queue = q;
			}
			return 0;
		}
	}
	if (!bus_id || !*bus_id)
		return -ENOENT;
	/* virtio: "virtio0-input.3", "virtio0-output.3", "virtio0-config", "virtio0-virtqueues" */
	{
		size_t bl = strlen(bus_id);

		if (len > bl && !memcmp(name, bus_id, bl) && name[bl] == '-') {
			const char *rest = name + bl + 1;
			int q = -1;

			if (!strncmp(rest, "input.", 6) || !strncmp(rest, "output.", 7))
				q = trailing_number(rest, end);
			if (q < 0) {
				*ret_kind = NT_IRQ_DEVICE;
				*ret_queue = -1;
			} else {
				*ret_kind = rest[0] == 'i' ? NT_IRQ_QUEUE_RX : NT_IRQ_QUEUE_TX;
				*ret_queue = q;
			}
			return 0;
		}
		/* PCI naming with the bus address: "mlx5_comp3@pci:0000:03:00.0" */
		for (const char *p = name; p + bl <= end; p++) {
			if (!memcmp(p, bus_id, bl) && p + bl == end) {
				const char *at = memchr(name, '@', (size_t)(p - name));
				int q = at ? trailing_number(name, at) : -1;

				if (at && q >= 0 && has_ci(name, (size_t)(at - name), "comp")) {
					*ret_kind = NT_IRQ_QUEUE_RXTX;
					*ret_queue = q;
				} else {
					*ret_kind = NT_IRQ_DEVICE;
					*ret_queue = -1;
				}
				return 0;
			}
		}
	}
	return -ENOENT;
}

int nt_irq_name_match(const char *name, const char *dev, const char *bus_id,
		      enum nt_irq_kind *ret_kind, int *ret_queue)
{
	const char *p = name;

	if (!name || !dev || !*dev)
		return -ENOENT;
	/* Shared IRQs list several actions: "a, b". */
	for (;;) {
		const char *e = strstr(p, ", ");
		size_t len = e ? (size_t)(e - p) : strlen(p);
		enum nt_irq_kind k;
		int q;

		if (len > 0 && match_one(p, len, dev, bus_id, &k, &q) == 0) {
			*ret_kind = k;
			*ret_queue = q;
			return 0;
		}
		if (!e)
			return -ENOENT;
		p = e + 2;
	}
}
