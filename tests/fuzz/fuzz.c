// SPDX-License-Identifier: GPL-2.0-or-later
#include <string.h>

#include "fuzz.h"

char *nt_fuzz_split(const uint8_t *data, size_t size, const char **parts, size_t n)
{
	char *buf = malloc(size + n);
	size_t off = 0;

	if (!buf)
		abort();
	/* The bytes, then n NULs: every part ends inside the block. */
	memcpy(buf, data, size);
	memset(buf + size, 0, n);
	for (size_t i = 0; i < n; i++) {
		parts[i] = buf + off;
		off += strlen(buf + off);
		if (off < size)
			off++;
	}
	return buf;
}
