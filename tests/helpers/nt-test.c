// SPDX-License-Identifier: GPL-2.0-or-later
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nt-test.h"

__attribute__((constructor)) static void unbuffer(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	setvbuf(stderr, NULL, _IONBF, 0);
}

char *nt_test_mkdtemp(void)
{
	const char *tmp = getenv("TMPDIR");
	char *path;

	if (asprintf(&path, "%s/nt-test.XXXXXX", tmp && *tmp ? tmp : "/tmp") < 0)
		abort();
	if (!mkdtemp(path))
		abort();
	return path;
}

void nt_test_write(const char *dir, const char *path, const char *content)
{
	char *full, *p;
	FILE *f;

	if (asprintf(&full, "%s/%s", dir, path) < 0)
		abort();
	for (p = full + strlen(dir) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		if (mkdir(full, 0755) < 0 && errno != EEXIST)
			abort();
		*p = '/';
	}
	f = fopen(full, "we");
	if (!f)
		abort();
	fputs(content, f);
	fclose(f);
	free(full);
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

void nt_test_rmtree(char *dir)
{
	if (!dir)
		return;
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(dir);
}

char *nt_test_data(const char *rel)
{
	const char *base = getenv("NT_TEST_DATA");
	char *path;

	if (asprintf(&path, "%s/%s", base ? base : "tests/data", rel) < 0)
		abort();
	return path;
}
