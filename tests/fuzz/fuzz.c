// SPDX-License-Identifier: GPL-2.0-or-later
#include <string.h>

#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text[NT_FUZZ_TEXTS_MAX] = {};
	size_t n = nt_fuzz_texts, off = 0;
	char *buf;

	FUZZ_CHECK(n <= NT_FUZZ_TEXTS_MAX);
	/* The bytes, then n NULs: every text ends inside the block. */
	buf = malloc(size + n);
	if (!buf)
		abort(); /* the harness's failure, not the input's */
	memcpy(buf, data, size);
	memset(buf + size, 0, n);
	for (size_t i = 0; i < n; i++) {
		text[i] = buf + off;
		off += strlen(buf + off);
		if (off < size)
			off++;
	}
	nt_fuzz_run(text, data, size);
	free(buf);
	return 0;
}
