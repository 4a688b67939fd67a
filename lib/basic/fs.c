// SPDX-License-Identifier: GPL-2.0-or-later
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fs.h"
#include "parse-util.h"

/* Files of proc/ kept open (nt_root_keep_open()), sorted by path. */
struct fd_cache {
	size_t n, cap;
	struct cached_fd {
		char *path;
		int fd;
		bool used; /* read since the last nt_root_prune_open() */
	} * e;
};

struct nt_root {
	int fd;
	char *path;
	struct fd_cache *cache; /* NULL: every read opens its file */
};

int nt_root_open(const char *dir, struct nt_root **ret)
{
	_cleanup_close_ int fd = -EBADF;
	struct nt_root *root;

	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	root = calloc(1, sizeof(*root));
	if (!root)
		return -ENOMEM;
	root->path = strdup(dir);
	if (!root->path) {
		free(root);
		return -ENOMEM;
	}
	root->fd = TAKE_FD(fd);
	*ret = root;
	return 0;
}

struct nt_root *nt_root_free(struct nt_root *root)
{
	if (!root)
		return NULL;
	if (root->fd >= 0)
		close(root->fd);
	(void)nt_root_keep_open(root, false);
	free(root->path);
	free(root);
	return NULL;
}

int nt_root_keep_open(struct nt_root *root, bool on)
{
	if (on && !root->cache) {
		root->cache = calloc(1, sizeof(*root->cache));
		return root->cache ? 0 : -ENOMEM;
	}
	if (!on && root->cache) {
		for (size_t i = 0; i < root->cache->n; i++) {
			close(root->cache->e[i].fd);
			free(root->cache->e[i].path);
		}
		free(root->cache->e);
		free(root->cache);
		root->cache = NULL;
	}
	return 0;
}

size_t nt_root_n_open(const struct nt_root *root)
{
	return root->cache ? root->cache->n : 0;
}

void nt_root_prune_open(struct nt_root *root)
{
	struct fd_cache *c = root->cache;
	size_t k = 0;

	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++) {
		if (!c->e[i].used) {
			close(c->e[i].fd);
			free(c->e[i].path);
			continue;
		}
		c->e[i].used = false;
		c->e[k++] = c->e[i];
	}
	c->n = k;
}

/* Index of @path in the cache, or where it would go (*found false). */
static size_t cache_find(const struct fd_cache *c, const char *path, bool *found)
{
	size_t lo = 0, hi = c->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int d = strcmp(c->e[mid].path, path);

		if (d == 0) {
			*found = true;
			return mid;
		}
		if (d < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = false;
	return lo;
}

static void cache_drop(struct fd_cache *c, size_t i)
{
	close(c->e[i].fd);
	free(c->e[i].path);
	memmove(&c->e[i], &c->e[i + 1], (c->n - i - 1) * sizeof(*c->e));
	c->n--;
}

const char *nt_root_path(const struct nt_root *root)
{
	return root->path;
}

int nt_root_fd(const struct nt_root *root)
{
	return root->fd;
}

static const char *rel(const char *path)
{
	while (*path == '/')
		path++;
	return *path ? path : ".";
}

/*
 * The whole file: with @at, from offset 0 with pread() (a cached /proc file read again from
 * the start), else with read() from where @fd stands (a file just opened).
 */
static int read_fd(int fd, bool at, char **ret, size_t *ret_len, size_t cap)
{
	_cleanup_free_ char *buf = malloc(cap);
	size_t len = 0;

	if (!buf)
		return -ENOMEM;
	for (;;) {
		ssize_t n;

		if (cap - len < 2) {
			char *p;

			if (cap >= NT_FS_READ_MAX)
				return -EFBIG;
			cap *= 2;
			p = realloc(buf, cap);
			if (!p)
				return -ENOMEM;
			buf = p;
		}
		n = at ? pread(fd, buf + len, cap - len - 1, (off_t)len)
		       : read(fd, buf + len, cap - len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	*ret_len = len;
	*ret = TAKE_PTR(buf);
	return 0;
}

int nt_read_file(const struct nt_root *root, const char *path, char **ret, size_t *ret_size)
{
	_cleanup_close_ int fd = -EBADF;
	_cleanup_free_ char *buf = NULL;
	size_t len = 0, cap = 4096;

	struct fd_cache *c = strncmp(rel(path), "proc/", 5) == 0 ? root->cache : NULL;
	size_t at = 0;
	bool cached = false;
	int r;

	if (c) {
		at = cache_find(c, rel(path), &cached);
		if (cached) {
			fd = c->e[at].fd;
			c->e[at].used = true;
		}
	}
	if (!cached) {
		fd = openat(root->fd, rel(path), O_RDONLY | O_CLOEXEC | O_NOCTTY);
		if (fd < 0)
			return -errno;
	}
	if (c && !cached) { /* keep it: the next read is one pread() */
		char *p = strdup(rel(path));

		if (p && c->n == c->cap) {
			size_t cap2 = c->cap ? 2 * c->cap : 64;
			void *e = realloc(c->e, cap2 * sizeof(*c->e));

			if (e) {
				c->e = e;
				c->cap = cap2;
			}
		}
		if (p && c->n < c->cap) {
			memmove(&c->e[at + 1], &c->e[at], (c->n - at) * sizeof(*c->e));
			c->e[at] = (struct cached_fd){p, fd, true};
			c->n++;
			cached = true;
		} else {
			free(p);
		}
	}
	r = read_fd(fd, cached, &buf, &len, cap);
	if (cached) {
		/* the cache owns it; a file that fails (its process exited) leaves the cache */
		fd = -EBADF;
		if (r < 0) {
			bool found;
			size_t i = cache_find(c, rel(path), &found);

			if (found)
				cache_drop(c, i);
		}
	}
	if (r < 0)
		return r;
	if (ret_size)
		*ret_size = len;
	*ret = TAKE_PTR(buf);
	return 0;
}

int nt_read_line(const struct nt_root *root, const char *path, char **ret)
{
	char *buf;
	int r;

	r = nt_read_file(root, path, &buf, NULL);
	if (r < 0)
		return r;
	buf[strcspn(buf, "\n")] = '\0';
	*ret = buf;
	return 0;
}

int nt_read_u64(const struct nt_root *root, const char *path, uint64_t *ret)
{
	_cleanup_free_ char *line = NULL;
	int r;

	r = nt_read_line(root, path, &line);
	if (r < 0)
		return r;
	return nt_parse_u64(line, ret);
}

int64_t nt_read_s64_or(const struct nt_root *root, const char *path, int64_t def)
{
	_cleanup_free_ char *line = NULL;
	int64_t v;

	if (nt_read_line(root, path, &line) < 0 || nt_parse_s64(line, &v) < 0)
		return def;
	return v;
}

int nt_write_file(const struct nt_root *root, const char *path, const char *value)
{
	_cleanup_close_ int fd = -EBADF;
	size_t len = strlen(value);
	ssize_t n;

	fd = openat(root->fd, rel(path), O_WRONLY | O_TRUNC | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	do {
		n = write(fd, value, len);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if ((size_t)n != len)
		return -EIO;
	return 0;
}

int nt_read_link(const struct nt_root *root, const char *path, char **ret)
{
	char buf[4096];
	ssize_t n;
	char *s;

	n = readlinkat(root->fd, rel(path), buf, sizeof(buf) - 1);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	s = strdup(buf);
	if (!s)
		return -ENOMEM;
	*ret = s;
	return 0;
}

int nt_read_link_base(const struct nt_root *root, const char *path, char *buf, size_t size)
{
	_cleanup_free_ char *link = NULL;
	const char *base;
	int r;

	r = nt_read_link(root, path, &link);
	if (r < 0)
		return r;
	base = strrchr(link, '/');
	base = base ? base + 1 : link;
	if (strlen(base) >= size)
		return -ENAMETOOLONG;
	memcpy(buf, base, strlen(base) + 1);
	return 0;
}

bool nt_path_exists(const struct nt_root *root, const char *path)
{
	return faccessat(root->fd, rel(path), F_OK, 0) == 0;
}

void nt_strv_free(char **v)
{
	if (!v)
		return;
	for (char **p = v; *p; p++)
		free(*p);
	free(v);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int nt_list_dir(const struct nt_root *root, const char *path, char ***ret, size_t *ret_n)
{
	_cleanup_close_ int fd = -EBADF;
	char **v = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	DIR *d;

	fd = openat(root->fd, rel(path), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	d = fdopendir(fd);
	if (!d)
		return -errno;
	TAKE_FD(fd);
	while ((errno = 0, de = readdir(d))) {
		if (streq(de->d_name, ".") || streq(de->d_name, ".."))
			continue;
		if (n + 2 > cap) {
			char **p;

			cap = cap ? cap * 2 : 16;
			p = realloc(v, cap * sizeof(*v));
			if (!p)
				goto oom;
			v = p;
		}
		v[n] = strdup(de->d_name);
		if (!v[n])
			goto oom;
		v[++n] = NULL;
	}
	closedir(d);
	if (!v) {
		v = calloc(1, sizeof(*v));
		if (!v)
			return -ENOMEM;
	}
	qsort(v, n, sizeof(*v), cmp_str);
	*ret = v;
	if (ret_n)
		*ret_n = n;
	return 0;
oom:
	closedir(d);
	nt_strv_free(v);
	return -ENOMEM;
}
