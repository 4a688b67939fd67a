/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Reads a fixture file below tests/data for the parser tests. */
#ifndef NT_READ_FIXTURE_H
#define NT_READ_FIXTURE_H

#include <stdlib.h>

#include "fs.h"
#include "nt-test.h"

static inline char *read_fixture(const char *rel)
{
	char *dir = nt_test_data("");
	struct nt_root *root = NULL;
	char *text = NULL;

	assert_int_equal(nt_root_open(dir, &root), 0);
	assert_int_equal(nt_read_file(root, rel, &text, NULL), 0);
	nt_root_free(root);
	free(dir);
	return text;
}

#endif
