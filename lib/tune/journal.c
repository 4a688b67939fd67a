// SPDX-License-Identifier: GPL-2.0-or-later
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fs.h"
#include "journal.h"
#include "parse-util.h"
#include "plan.h"

#define FIELDS_MAX 12

static void entry_done(struct nt_journal_entry *e)
{
	free(e->key);
	free(e->ifname);
	free(e->object);
	free(e->original);
	free(e->value);
}

struct nt_journal *nt_journal_free(struct nt_journal *j)
{
	if (!j)
		return NULL;
	for (size_t i = 0; i < j->n; i++)
		entry_done(&j->e[i]);
	free(j->e);
	for (size_t i = 0; i < j->n_apply; i++) {
		free(j->a[i].profile);
		free(j->a[i].path);
	}
	free(j->a);
	for (size_t i = 0; i < j->n_irqbalance; i++)
		free(j->irqbalance[i]);
	free(j->irqbalance);
	free(j->dir);
	free(j->file);
	if (j->lock_fd >= 0)
		close(j->lock_fd); /* releases the flock */
	free(j);
	return NULL;
}

static char *escape(const char *s)
{
	char *out = malloc(strlen(s) * 2 + 1), *o = out;

	if (!out)
		return NULL;
	for (; *s; s++) {
		if (*s == '\t' || *s == '\n' || *s == '\\') {
			*o++ = '\\';
			*o++ = *s == '\t' ? 't' : *s == '\n' ? 'n' : '\\';
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
	return out;
}

static void unescape(char *s)
{
	char *o = s;

	for (; *s; s++) {
		if (*s == '\\' && s[1]) {
			s++;
			*o++ = *s == 't' ? '\t' : *s == 'n' ? '\n' : *s;
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
}

static size_t split(char *line, char **f)
{
	size_t n = 0;

	for (char *p = line; n < FIELDS_MAX;) {
		char *t = strchr(p, '\t');

		f[n++] = p;
		if (!t)
			break;
		*t = '\0';
		p = t + 1;
	}
	for (size_t i = 0; i < n; i++)
		unescape(f[i]);
	return n;
}

static int parse_line(struct nt_journal *j, char *line)
{
	char *f[FIELDS_MAX];
	size_t n = split(line, f);
	uint32_t gen;

	if (n < 2 || nt_parse_u32(f[1], &gen) < 0)
		return -EBADMSG;
	if (streq(f[0], "P") && n == 5) {
		struct nt_journal_apply *a = realloc(j->a, (j->n_apply + 1) * sizeof(*a));
		uint64_t when;

		if (!a)
			return -ENOMEM;
		j->a = a;
		if (nt_parse_u64(f[2], &when) < 0)
			return -EBADMSG;
		a[j->n_apply] = (struct nt_journal_apply){.gen = gen,
							  .when = (time_t)when,
							  .profile = strdup(f[3]),
							  .path = strdup(f[4])};
		j->n_apply++;
		if (gen > j->gen)
			j->gen = gen;
		return 0;
	}
	if (streq(f[0], "C") && n == 2) {
		for (size_t i = 0; i < j->n_apply; i++)
			if (j->a[i].gen == gen)
				j->a[i].committed = true;
		return 0;
	}
	if (streq(f[0], "I") && n == 3) {
		char **v = realloc(j->irqbalance, (j->n_irqbalance + 1) * sizeof(*v));

		if (!v)
			return -ENOMEM;
		j->irqbalance = v;
		v[j->n_irqbalance] = strdup(f[2]);
		if (!v[j->n_irqbalance])
			return -ENOMEM;
		j->n_irqbalance++;
		return 0;
	}
	if (streq(f[0], "E") && n == 10) {
		/* E gen key ifname ifindex index pid object original new */
		struct nt_journal_entry *e = realloc(j->e, (j->n + 1) * sizeof(*e));
		int64_t ifindex, pid;
		uint32_t index;

		if (!e)
			return -ENOMEM;
		j->e = e;
		if (nt_parse_s64(f[4], &ifindex) < 0 || nt_parse_u32(f[5], &index) < 0 ||
		    nt_parse_s64(f[6], &pid) < 0)
			return -EBADMSG;
		e = &j->e[j->n];
		*e = (struct nt_journal_entry){
			.gen = gen,
			.key = strdup(f[2]),
			.ifname = strdup(f[3]),
			.ifindex = (int)ifindex,
			.index = index,
			.pid = (int)pid,
			.object = strdup(f[7]),
			.original = strdup(f[8]),
			.value = strdup(f[9]),
		};
		j->n++;
		if (!e->key || !e->ifname || !e->object || !e->original || !e->value)
			return -ENOMEM;
		return 0;
	}
	return -EBADMSG;
}

static int read_journal(struct nt_journal *j, struct nt_err *reterr)
{
	_cleanup_free_ char *buf = NULL;
	size_t size = 0;
	char *p, *nl;
	unsigned int line = 0;
	int r;

	r = nt_read_file(j->root, j->file, &buf, &size);
	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return nt_err_set(reterr, r, "cannot read /%s: %s", j->file, strerror(-r));
	for (p = buf; (nl = strchr(p, '\n')); p = nl + 1) {
		*nl = '\0';
		line++;
		if (!*p)
			continue;
		r = parse_line(j, p);
		if (r == -ENOMEM)
			return r;
		if (r < 0)
			return nt_err_set(reterr, r, "/%s:%u: corrupt record", j->file, line);
	}
	/* Anything after the last newline is a torn write: ignored. */
	return 0;
}

/* Creates every directory of @dir (relative to @dfd) that is missing. */
static int mkdir_parents(int dfd, const char *dir, struct nt_err *reterr)
{
	_cleanup_free_ char *p = strdup(dir);

	if (!p)
		return -ENOMEM;
	for (char *s = p;; s++) {
		char c = *s;

		if (c && c != '/')
			continue;
		*s = '\0';
		/* /run itself is world-readable; everything of ours is private. */
		if (mkdirat(dfd, p, streq(p, "run") ? 0755 : 0700) < 0 && errno != EEXIST)
			return nt_err_set(reterr, -errno, "cannot create /%s: %m", p);
		if (!c)
			return 0;
		*s = c;
	}
}

int nt_journal_open_dir(const struct nt_root *root, const char *dir, bool lock,
			struct nt_journal **ret, struct nt_err *reterr)
{
	_cleanup_(nt_journal_freep) struct nt_journal *j = NULL;
	int dfd = nt_root_fd(root), r;

	j = calloc(1, sizeof(*j));
	if (!j)
		return -ENOMEM;
	j->root = root;
	j->lock_fd = -1;
	j->dir = strdup(dir ?: NT_JOURNAL_DIR);
	if (!j->dir || asprintf(&j->file, "%s/journal", j->dir) < 0)
		return -ENOMEM;
	if (lock) {
		/* The lock is shared by every journal directory: one writer at a time. */
		r = mkdir_parents(dfd, NT_JOURNAL_DIR, reterr);
		if (r < 0)
			return r;
		j->lock_fd =
			openat(dfd, NT_JOURNAL_DIR "/lock", O_RDWR | O_CREAT | O_CLOEXEC, 0600);
		if (j->lock_fd < 0)
			return nt_err_set(reterr, -errno, "cannot open /%s/lock: %m",
					  NT_JOURNAL_DIR);
		if (flock(j->lock_fd, LOCK_EX | LOCK_NB) < 0) {
			if (errno == EWOULDBLOCK)
				return nt_err_set(reterr, -EBUSY,
						  "another napictl apply or revert is running "
						  "(lock /%s/lock)",
						  NT_JOURNAL_DIR);
			return nt_err_set(reterr, -errno, "cannot lock: %m");
		}
		/* Under the lock: a revert removes an emptied netns directory. */
		r = mkdir_parents(dfd, j->dir, reterr);
		if (r < 0)
			return r;
	}
	r = read_journal(j, reterr);
	if (r < 0)
		return r;
	*ret = TAKE_PTR(j);
	return 0;
}

int nt_journal_open(const struct nt_root *root, bool lock, struct nt_journal **ret,
		    struct nt_err *reterr)
{
	return nt_journal_open_dir(root, NULL, lock, ret, reterr);
}

bool nt_journal_exists(const struct nt_journal *j)
{
	return j->n > 0 || j->n_apply > 0 || j->n_irqbalance > 0;
}

static int sync_dir(const struct nt_journal *j)
{
	_cleanup_close_ int fd =
		openat(nt_root_fd(j->root), j->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	return fsync(fd) < 0 ? -errno : 0;
}

/* Appends one line with O_APPEND and fsyncs it (and the directory on creation). */
static int append(struct nt_journal *j, const char *line)
{
	_cleanup_close_ int fd = -EBADF;
	size_t len = strlen(line);
	bool created;
	ssize_t n;

	if (j->lock_fd < 0)
		return -EBADF;
	created = faccessat(nt_root_fd(j->root), j->file, F_OK, 0) < 0;
	fd = openat(nt_root_fd(j->root), j->file,
		    O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return -errno;
	n = write(fd, line, len);
	if (n < 0)
		return -errno;
	if ((size_t)n != len)
		return -EIO;
	if (fsync(fd) < 0)
		return -errno;
	return created ? sync_dir(j) : 0;
}

int nt_journal_begin(struct nt_journal *j, const char *profile, const char *path)
{
	_cleanup_free_ char *line = NULL, *ep = NULL, *epath = NULL;
	struct nt_journal_apply *a;

	ep = escape(profile);
	epath = escape(path ?: "");
	if (!ep || !epath)
		return -ENOMEM;
	a = realloc(j->a, (j->n_apply + 1) * sizeof(*a));
	if (!a)
		return -ENOMEM;
	j->a = a;
	j->gen++;
	a[j->n_apply] = (struct nt_journal_apply){.gen = j->gen,
						  .when = time(NULL),
						  .profile = strdup(profile),
						  .path = strdup(path ?: "")};
	j->n_apply++;
	if (asprintf(&line, "P\t%u\t%" PRIu64 "\t%s\t%s\n", j->gen,
		     (uint64_t)a[j->n_apply - 1].when, ep, epath) < 0)
		return -ENOMEM;
	return append(j, line);
}

int nt_journal_record(struct nt_journal *j, const struct nt_change *c)
{
	_cleanup_free_ char *line = NULL, *key = NULL, *obj = NULL, *orig = NULL, *val = NULL,
			    *ifn = NULL;
	struct nt_journal_entry *e;
	int r;

	key = escape(c->key);
	obj = escape(c->object);
	orig = escape(c->have ?: "");
	val = escape(c->want ?: "");
	ifn = escape(c->ifname ?: "");
	if (!key || !obj || !orig || !val || !ifn)
		return -ENOMEM;
	if (asprintf(&line, "E\t%u\t%s\t%s\t%d\t%u\t%d\t%s\t%s\t%s\n", j->gen, key, ifn,
		     c->t.ifindex, c->t.index, c->t.pid, obj, orig, val) < 0)
		return -ENOMEM;
	r = append(j, line);
	if (r < 0)
		return r;
	e = realloc(j->e, (j->n + 1) * sizeof(*e));
	if (!e)
		return -ENOMEM;
	j->e = e;
	e[j->n++] = (struct nt_journal_entry){
		.gen = j->gen,
		.key = strdup(c->key),
		.ifname = strdup(c->ifname ?: ""),
		.ifindex = c->t.ifindex,
		.index = c->t.index,
		.pid = c->t.pid,
		.object = strdup(c->object),
		.original = strdup(c->have ?: ""),
		.value = strdup(c->want ?: ""),
	};
	return 0;
}

int nt_journal_record_irqbalance(struct nt_journal *j, const char *action)
{
	_cleanup_free_ char *line = NULL;
	char **v;
	int r;

	if (asprintf(&line, "I\t%u\t%s\n", j->gen, action) < 0)
		return -ENOMEM;
	r = append(j, line);
	if (r < 0)
		return r;
	v = realloc(j->irqbalance, (j->n_irqbalance + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	j->irqbalance = v;
	v[j->n_irqbalance] = strdup(action);
	if (v[j->n_irqbalance])
		j->n_irqbalance++;
	return 0;
}

int nt_journal_commit(struct nt_journal *j)
{
	char line[32];

	snprintf(line, sizeof(line), "C\t%u\n", j->gen);
	for (size_t i = 0; i < j->n_apply; i++)
		if (j->a[i].gen == j->gen)
			j->a[i].committed = true;
	return append(j, line);
}

int nt_journal_remove(struct nt_journal *j)
{
	int r;

	if (unlinkat(nt_root_fd(j->root), j->file, 0) < 0 && errno != ENOENT)
		return -errno;
	r = sync_dir(j);
	/* A per-netns directory goes with its journal; the main one stays (it holds the lock). */
	if (r >= 0 && !streq(j->dir, NT_JOURNAL_DIR))
		(void)unlinkat(nt_root_fd(j->root), j->dir, AT_REMOVEDIR);
	return r;
}

int nt_journal_drop_current(struct nt_journal *j)
{
	_cleanup_free_ char *buf = NULL, *tmp = NULL;
	_cleanup_close_ int fd = -EBADF;
	int dfd = nt_root_fd(j->root), r;
	size_t size = 0, len = 0;
	char *out, *p, *nl;
	char prefix[32];

	r = nt_read_file(j->root, j->file, &buf, &size);
	if (r < 0)
		return r == -ENOENT ? 0 : r;
	if (asprintf(&tmp, "%s.new", j->file) < 0)
		return -ENOMEM;
	out = malloc(size + 1);
	if (!out)
		return -ENOMEM;
	/* Keep every complete line whose generation is not the current one. */
	for (p = buf; (nl = strchr(p, '\n')); p = nl + 1) {
		const char *g = strchr(p, '\t');
		size_t ll = (size_t)(nl - p) + 1;

		snprintf(prefix, sizeof(prefix), "%u", j->gen);
		if (g && strncmp(g + 1, prefix, strlen(prefix)) == 0 &&
		    (g[1 + strlen(prefix)] == '\t' || g[1 + strlen(prefix)] == '\n'))
			continue;
		memcpy(out + len, p, ll);
		len += ll;
	}
	if (len == 0) {
		free(out);
		return nt_journal_remove(j);
	}
	fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		free(out);
		return -errno;
	}
	r = write(fd, out, len) == (ssize_t)len ? 0 : -EIO;
	free(out);
	if (r < 0)
		return r;
	if (fsync(fd) < 0)
		return -errno;
	if (renameat(dfd, tmp, dfd, j->file) < 0)
		return -errno;
	return sync_dir(j);
}

const struct nt_journal_apply *nt_journal_last(const struct nt_journal *j)
{
	for (size_t i = j->n_apply; i > 0; i--)
		if (j->a[i - 1].committed)
			return &j->a[i - 1];
	return j->n_apply ? &j->a[j->n_apply - 1] : NULL;
}
