/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared by the fuzz targets, one fuzz-<family>.c per parser family of outside input.
 * Each defines nt_fuzz_texts and nt_fuzz_run(), which fuzz.c's LLVMFuzzerTestOneInput()
 * calls; built with -Dfuzz=true (clang) that is a libFuzzer binary (tests/fuzz/run.sh),
 * otherwise replay.c runs it over its checked-in corpus as a unit test. See README.md.
 */
#ifndef NT_FUZZ_H
#define NT_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "macro.h"

/*
 * The libFuzzer entry point (https://llvm.org/docs/LibFuzzer.html), defined in fuzz.c: it
 * splits the input into nt_fuzz_texts texts and calls the target's nt_fuzz_run().
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NT_FUZZ_TEXTS_MAX 4

/*
 * Each target defines these two. The input is split at its first nt_fuzz_texts - 1 NUL
 * bytes into @text (missing parts are ""): a reader sees a file's text up to its first NUL
 * too (nt_read_file() gives C strings), so one input can carry several files. @data and
 * @size are the raw input, for a parser that takes a length (and nt_fuzz_texts 0).
 */
extern const unsigned int nt_fuzz_texts;
void nt_fuzz_run(const char *const *text, const uint8_t *data, size_t size);

/* A property every input must keep: a violation is a finding like a crash. */
#define FUZZ_CHECK(expr)                                                                           \
	do {                                                                                       \
		if (!(expr)) {                                                                     \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #expr);   \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

#endif
