// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * replay-<target> DIR|FILE...: runs a fuzz target once over every file, as libFuzzer runs
 * a corpus, without libFuzzer (any compiler, any sanitizer). Each input gets a buffer of
 * exactly its size, so the ASan build catches a read past its end. Prints each path
 * before running it: after a crash, the last path printed is the reproducer.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"
#include "macro.h"

static int run_file(const char *path)
{
	_cleanup_close_ int fd = -EBADF;
	_cleanup_free_ uint8_t *buf = NULL;
	struct stat st;
	size_t len = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		fprintf(stderr, "replay: %s: %m\n", path);
		return -errno;
	}
	buf = malloc(st.st_size > 0 ? (size_t)st.st_size : 1);
	if (!buf)
		return -ENOMEM;
	while (len < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + len, (size_t)st.st_size - len);

		if (n <= 0) {
			fprintf(stderr, "replay: %s: short read\n", path);
			return -EIO;
		}
		len += (size_t)n;
	}
	fprintf(stderr, "replay: %s\n", path);
	LLVMFuzzerTestOneInput(buf, len);
	return 0;
}

static int not_hidden(const struct dirent *e)
{
	return e->d_name[0] != '.';
}

/* A directory's files in name order (a stable run), or a file itself. */
static int run_path(const char *path, unsigned int *count)
{
	struct dirent **ents = NULL;
	int n, r = 0;

	n = scandir(path, &ents, not_hidden, alphasort);
	if (n < 0 && errno == ENOTDIR) {
		(*count)++;
		return run_file(path);
	}
	if (n < 0) {
		fprintf(stderr, "replay: %s: %m\n", path);
		return -errno;
	}
	for (int i = 0; i < n; i++) {
		_cleanup_free_ char *file = NULL;

		if (r == 0 && asprintf(&file, "%s/%s", path, ents[i]->d_name) < 0)
			r = -ENOMEM;
		if (r == 0) {
			(*count)++;
			r = run_file(file);
		}
		free(ents[i]);
	}
	free(ents);
	return r;
}

int main(int argc, char **argv)
{
	unsigned int count = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s DIR|FILE...\n", argv[0]);
		return 2;
	}
	for (int i = 1; i < argc; i++)
		if (run_path(argv[i], &count) < 0)
			return 1;
	if (count == 0) {
		fprintf(stderr, "replay: no inputs in %s\n", argv[1]);
		return 1;
	}
	printf("replay: %u inputs, no finding\n", count);
	return 0;
}
