/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared by the fuzz targets, one fuzz-<family>.c per parser family of outside input.
 * Each defines LLVMFuzzerTestOneInput(); built with -Dfuzz=true (clang) it is a libFuzzer
 * binary (tests/fuzz/run.sh), otherwise replay.c runs it over its checked-in corpus as a
 * unit test. See tests/fuzz/README.md.
 */
#ifndef NT_FUZZ_H
#define NT_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* The libFuzzer entry point (https://llvm.org/docs/LibFuzzer.html). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * The input as @n texts, split at its first @n - 1 NUL bytes; missing parts are "". A
 * reader sees a file's text up to its first NUL too (nt_read_file() gives C strings), so
 * one input can carry several files. Returns the malloc'ed block that @parts point into;
 * aborts when out of memory (that is the harness's failure, not the input's).
 */
char *nt_fuzz_split(const uint8_t *data, size_t size, const char **parts, size_t n);

/* A property every input must keep: a violation is a finding like a crash. */
#define FUZZ_CHECK(expr)                                                              \
	do {                                                                          \
		if (!(expr)) {                                                        \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, \
				#expr);                                               \
			abort();                                                      \
		}                                                                     \
	} while (0)

#endif
