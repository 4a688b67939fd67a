// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The "raw writes" floor of bench/apply: writes a list of /proc and /sys files, one
 * "PATH<TAB>VALUE" line each, with open/write/close and nothing else (no reading, no
 * checking, no journal). Usage: rawwrite LIST. Exit 1 at the first failed write.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	static char buf[1 << 20];
	char *line, *save = NULL;
	size_t len;
	FILE *f;

	if (argc != 2 || !(f = fopen(argv[1], "r"))) {
		fprintf(stderr, "usage: rawwrite LIST\n");
		return 2;
	}
	len = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[len] = '\0';
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *val = strchr(line, '\t');
		int fd;

		if (!val)
			continue;
		*val++ = '\0';
		fd = open(line, O_WRONLY | O_CLOEXEC);
		if (fd < 0 || write(fd, val, strlen(val)) != (ssize_t)strlen(val)) {
			perror(line);
			return 1;
		}
		close(fd);
	}
	return 0;
}
