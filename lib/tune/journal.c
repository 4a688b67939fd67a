// SPDX-License-Identifier: GPL-2.0-or-later
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
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

static int entry_line(const struct nt_journal_entry *e, char **ret);

static int parse_line(struct nt_journal *j, char *line)
{
	char *f[FIELDS_MAX];
	size_t n = nt_tsv_split(line, f, FIELDS_MAX);
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
		/*
		 * /run and our directory are world-readable: the daemon's state file
		 * (daemon-state.h) is for everyone. The journal and the lock are root's
		 * (0600), and a netns's directory is private.
		 */
		if (mkdirat(dfd, p, streq(p, "run") || streq(p, NT_JOURNAL_DIR) ? 0755 : 0700) <
			    0 &&
		    errno != EEXIST)
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

int nt_journal_busy(const struct nt_root *root)
{
	_cleanup_close_ int fd =
		openat(nt_root_fd(root), NT_JOURNAL_DIR "/lock", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	if (flock(fd, LOCK_EX | LOCK_NB) < 0)
		return errno == EWOULDBLOCK ? 1 : -errno;
	return 0; /* closing fd releases it */
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

/* Writes the P record of the current generation (the last apply in memory). */
static int write_begin(struct nt_journal *j)
{
	const struct nt_journal_apply *a = &j->a[j->n_apply - 1];
	_cleanup_free_ char *line = NULL, *ep = nt_tsv_escape(a->profile),
			    *epath = nt_tsv_escape(a->path);

	if (!ep || !epath)
		return -ENOMEM;
	if (asprintf(&line, "P\t%u\t%" PRIu64 "\t%s\t%s\n", j->gen, (uint64_t)a->when, ep, epath) <
	    0)
		return -ENOMEM;
	j->deferred = false;
	return append(j, line);
}

/* A deferred generation is written before its first record. */
static int flush_begin(struct nt_journal *j)
{
	return j->deferred ? write_begin(j) : 0;
}

static int start_gen(struct nt_journal *j, const char *profile, const char *path)
{
	struct nt_journal_apply *a;

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
	return a[j->n_apply - 1].profile && a[j->n_apply - 1].path ? 0 : -ENOMEM;
}

int nt_journal_begin(struct nt_journal *j, const char *profile, const char *path)
{
	int r = start_gen(j, profile, path);

	return r < 0 ? r : write_begin(j);
}

int nt_journal_defer(struct nt_journal *j, const char *profile, const char *path)
{
	int r = start_gen(j, profile, path);

	if (r >= 0)
		j->deferred = true;
	return r;
}

/* The first original journaled for @c's knob and object, NULL if there is none yet. */
static const char *first_original(const struct nt_journal *j, const struct nt_change *c)
{
	for (size_t i = 0; i < j->n; i++)
		if (streq(j->e[i].key, c->key) && streq(j->e[i].object, c->object) &&
		    j->e[i].ifindex == c->t.ifindex)
			return j->e[i].original;
	return NULL;
}

int nt_journal_record(struct nt_journal *j, const struct nt_change *c)
{
	/*
	 * A knob journaled before keeps its first original: what it has now may be a value
	 * napitune wrote (a reapply, another profile, a restarted daemon), which must never
	 * pass for the original.
	 */
	const char *orig = first_original(j, c) ?: c->have ?: "";
	struct nt_journal_entry e = {
		.gen = j->gen,
		.key = strdup(c->key),
		.ifname = strdup(c->ifname ?: ""),
		.ifindex = c->t.ifindex,
		.index = c->t.index,
		.pid = c->t.pid,
		.object = strdup(c->object),
		.original = strdup(orig),
		.value = strdup(c->want ?: ""),
	};
	_cleanup_free_ char *line = NULL;
	struct nt_journal_entry *v;
	int r = -ENOMEM;

	if (e.key && e.ifname && e.object && e.original && e.value)
		r = entry_line(&e, &line);
	if (r >= 0)
		r = flush_begin(j);
	if (r >= 0)
		r = append(j, line);
	if (r >= 0) {
		v = realloc(j->e, (j->n + 1) * sizeof(*v));
		if (v) {
			j->e = v;
			v[j->n++] = e;
			return 0;
		}
		r = -ENOMEM;
	}
	entry_done(&e);
	return r;
}

int nt_journal_record_irqbalance(struct nt_journal *j, const char *action)
{
	_cleanup_free_ char *line = NULL;
	char **v;
	int r;

	if (asprintf(&line, "I\t%u\t%s\n", j->gen, action) < 0)
		return -ENOMEM;
	r = flush_begin(j);
	if (r >= 0)
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
	if (j->deferred) {
		/* nothing was recorded: this apply leaves no trace */
		free(j->a[j->n_apply - 1].profile);
		free(j->a[j->n_apply - 1].path);
		j->n_apply--;
		j->gen--;
		j->deferred = false;
		return 0;
	}
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

/* One E record as a line, the format parse_line() reads. */
static int entry_line(const struct nt_journal_entry *e, char **ret)
{
	_cleanup_free_ char *key = nt_tsv_escape(e->key), *obj = nt_tsv_escape(e->object),
			    *orig = nt_tsv_escape(e->original), *val = nt_tsv_escape(e->value),
			    *ifn = nt_tsv_escape(e->ifname);

	if (!key || !obj || !orig || !val || !ifn)
		return -ENOMEM;
	if (asprintf(ret, "E\t%u\t%s\t%s\t%d\t%u\t%d\t%s\t%s\t%s\n", e->gen, key, ifn, e->ifindex,
		     e->index, e->pid, obj, orig, val) < 0)
		return -ENOMEM;
	return 0;
}

enum { LINE_KEEP, LINE_DROP, LINE_REPLACE };

/*
 * Rewrites the journal file atomically (a new file fsync'ed, then renamed over the old one)
 * with every complete line passed through @fn: kept, dropped, or replaced by *ret (a whole
 * line). A torn last line is left out. The journal is removed if nothing is left.
 */
static int rewrite(struct nt_journal *j, int (*fn)(const char *line, void *ud, char **ret),
		   void *ud)
{
	_cleanup_free_ char *buf = NULL, *tmp = NULL, *out = NULL;
	_cleanup_close_ int fd = -EBADF;
	int dfd = nt_root_fd(j->root), r;
	size_t size = 0, len = 0, cap;
	char *p, *nl;

	if (j->lock_fd < 0)
		return -EBADF;
	r = nt_read_file(j->root, j->file, &buf, &size);
	if (r < 0)
		return r == -ENOENT ? 0 : r;
	if (asprintf(&tmp, "%s.new", j->file) < 0)
		return -ENOMEM;
	cap = size + 1;
	out = malloc(cap);
	if (!out)
		return -ENOMEM;
	for (p = buf; (nl = strchr(p, '\n')); p = nl + 1) {
		_cleanup_free_ char *line = strndup(p, (size_t)(nl - p) + 1), *repl = NULL;
		const char *w;
		size_t ll;

		if (!line)
			return -ENOMEM;
		r = fn(line, ud, &repl);
		if (r < 0)
			return r;
		if (r == LINE_DROP)
			continue;
		w = r == LINE_REPLACE ? repl : line;
		ll = strlen(w);
		if (len + ll >= cap) {
			char *o = realloc(out, cap = (len + ll) * 2 + 1);

			if (!o)
				return -ENOMEM;
			out = o;
		}
		memcpy(out + len, w, ll);
		len += ll;
	}
	if (len == 0)
		return nt_journal_remove(j);
	fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	if (write(fd, out, len) != (ssize_t)len)
		return -EIO;
	if (fsync(fd) < 0)
		return -errno;
	if (renameat(dfd, tmp, dfd, j->file) < 0)
		return -errno;
	return sync_dir(j);
}

/* The generation field of a record line, or 0. */
static unsigned int line_gen(const char *line)
{
	const char *g = strchr(line, '\t');

	return g ? (unsigned int)strtoul(g + 1, NULL, 10) : 0;
}

static int drop_gen(const char *line, void *ud, char **ret _unused_)
{
	return line_gen(line) == *(unsigned int *)ud ? LINE_DROP : LINE_KEEP;
}

int nt_journal_drop_current(struct nt_journal *j)
{
	return rewrite(j, drop_gen, &j->gen);
}

struct edit_ud {
	int (*fn)(struct nt_journal_entry *e, void *ud);
	void *ud;
};

static int edit_line(const char *line, void *ud, char **ret)
{
	struct edit_ud *u = ud;
	struct nt_journal one = {};
	_cleanup_free_ char *copy = strdup(line);
	int r;

	if (!copy)
		return -ENOMEM;
	if (line[0] != 'E')
		return LINE_KEEP;
	copy[strlen(copy) - 1] = '\0'; /* the newline */
	r = parse_line(&one, copy);
	if (r >= 0 && one.n == 1) {
		r = u->fn(&one.e[0], u->ud);
		if (r == NT_JOURNAL_CHANGED)
			r = entry_line(&one.e[0], ret) < 0 ? -ENOMEM : LINE_REPLACE;
		else
			r = r == NT_JOURNAL_DROP ? LINE_DROP : LINE_KEEP;
	} else if (r >= 0) {
		r = LINE_KEEP;
	}
	for (size_t i = 0; i < one.n; i++)
		entry_done(&one.e[i]);
	free(one.e);
	return r;
}

/* Reads the journal again after a rewrite. */
static int reread(struct nt_journal *j)
{
	for (size_t i = 0; i < j->n; i++)
		entry_done(&j->e[i]);
	free(j->e);
	j->e = NULL;
	j->n = 0;
	for (size_t i = 0; i < j->n_apply; i++) {
		free(j->a[i].profile);
		free(j->a[i].path);
	}
	free(j->a);
	j->a = NULL;
	j->n_apply = 0;
	for (size_t i = 0; i < j->n_irqbalance; i++)
		free(j->irqbalance[i]);
	free(j->irqbalance);
	j->irqbalance = NULL;
	j->n_irqbalance = 0;
	return read_journal(j, NULL);
}

struct gen_use {
	unsigned int gen;
	bool applied, committed, other; /* a P line, a C line, any other line */
};

struct compact_ud {
	struct gen_use *g;
	size_t n;
	unsigned int min, max;
};

static int cmp_gen_use(const void *a, const void *b)
{
	unsigned int x = ((const struct gen_use *)a)->gen, y = ((const struct gen_use *)b)->gen;

	return (x > y) - (x < y);
}

/* A committed apply whose records were all edited away (its devices left), not the first or last.
 */
static int drop_empty_gen(const char *line, void *ud, char **ret _unused_)
{
	const struct compact_ud *u = ud;
	struct gen_use key = {.gen = line_gen(line)};
	const struct gen_use *g;

	if ((line[0] != 'P' && line[0] != 'C') || key.gen == u->min || key.gen == u->max)
		return LINE_KEEP;
	g = bsearch(&key, u->g, u->n, sizeof(*u->g), cmp_gen_use);
	return g && g->applied && g->committed && !g->other ? LINE_DROP : LINE_KEEP;
}

/*
 * Each device pass of the daemon is an apply of its own; when its device leaves, its records
 * go, and without this its P and C lines would stay: on a host where matched devices come
 * and go (containers), the journal, read at every pass, would grow without end.
 */
static int compact(struct nt_journal *j)
{
	_cleanup_free_ char *buf = NULL;
	_cleanup_free_ struct gen_use *g = NULL;
	struct compact_ud u = {.min = UINT_MAX};
	size_t size = 0, n = 0, cap = 0, k = 0;
	bool any = false;
	int r;

	r = nt_read_file(j->root, j->file, &buf, &size);
	if (r < 0)
		return r == -ENOENT ? 0 : r;
	for (char *p = buf, *nl; (nl = strchr(p, '\n')); p = nl + 1) {
		unsigned int gen = line_gen(p);

		if (n == cap) {
			struct gen_use *m = realloc(g, (cap = cap ? cap * 2 : 64) * sizeof(*g));

			if (!m)
				return -ENOMEM;
			g = m;
		}
		g[n++] = (struct gen_use){.gen = gen,
					  .applied = p[0] == 'P',
					  .committed = p[0] == 'C',
					  .other = p[0] != 'P' && p[0] != 'C'};
		u.min = gen < u.min ? gen : u.min;
		u.max = gen > u.max ? gen : u.max;
	}
	if (!n)
		return 0;
	qsort(g, n, sizeof(*g), cmp_gen_use);
	for (size_t i = 0; i < n; i++) { /* one row per generation, its lines' kinds or'ed */
		if (k && g[k - 1].gen == g[i].gen) {
			g[k - 1].applied |= g[i].applied;
			g[k - 1].committed |= g[i].committed;
			g[k - 1].other |= g[i].other;
		} else {
			g[k++] = g[i];
		}
	}
	for (size_t i = 0; i < k; i++)
		any |= g[i].gen != u.min && g[i].gen != u.max && g[i].applied && g[i].committed &&
		       !g[i].other;
	if (!any)
		return 0;
	u.g = g;
	u.n = k;
	return rewrite(j, drop_empty_gen, &u);
}

int nt_journal_edit(struct nt_journal *j, int (*fn)(struct nt_journal_entry *e, void *ud), void *ud)
{
	struct edit_ud u = {.fn = fn, .ud = ud};
	unsigned int gen = j->gen;
	int r;

	r = rewrite(j, edit_line, &u);
	if (r >= 0)
		r = compact(j);
	if (r < 0)
		return r;
	r = reread(j);
	/* The generation counter only grows, even when old applies were edited away. */
	if (j->gen < gen)
		j->gen = gen;
	return r;
}

const struct nt_journal_apply *nt_journal_last(const struct nt_journal *j)
{
	for (size_t i = j->n_apply; i > 0; i--)
		if (j->a[i - 1].committed)
			return &j->a[i - 1];
	return j->n_apply ? &j->a[j->n_apply - 1] : NULL;
}
