// SPDX-License-Identifier: GPL-2.0-or-later
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon-state.h"
#include "fs.h"
#include "parse-util.h"

#define FIELDS_MAX 6

/* The scalar fields, in the order they are written. */
enum ftype { F_INT, F_STR, F_BOOL, F_I64, F_U64 };

static const struct field {
	const char *name;
	enum ftype type;
	size_t offset;
} fields[] = {
#define F(n, t)                                                                                    \
	{                                                                                          \
#n, t, offsetof(struct nt_daemon_state, n)                                         \
	}
	F(pid, F_INT),
	F(state, F_STR),
	F(status, F_STR),
	F(config, F_STR),
	F(profile, F_STR),
	F(profile_path, F_STR),
	F(adopted, F_BOOL),
	F(started, F_I64),
	F(last_apply, F_I64),
	F(last_result, F_STR),
	F(devices, F_U64),
	F(changed, F_U64),
	F(unsupported, F_U64),
	F(drift, F_U64),
	F(reasserts, F_U64),
	F(backed_off, F_U64),
	F(reloads, F_U64),
	F(napi_kept, F_U64),
	F(napi_reapplied, F_U64),
#undef F
};

void nt_daemon_state_done(struct nt_daemon_state *st)
{
	for (size_t i = 0; i < ARRAY_SIZE(fields); i++)
		if (fields[i].type == F_STR)
			free(*(char **)((char *)st + fields[i].offset));
	for (size_t i = 0; i < st->n; i++) {
		free(st->c[i].key);
		free(st->c[i].object);
		free(st->c[i].original);
		free(st->c[i].value);
	}
	free(st->c);
	*st = (struct nt_daemon_state){};
}

/* Appends "a\tb\t...\n" (each escaped) to the growing buffer *buf. */
static int put(char **buf, size_t *len, const char *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		_cleanup_free_ char *e = nt_tsv_escape(v[i] ?: "");
		size_t el;
		char *nb;

		if (!e)
			return -ENOMEM;
		el = strlen(e);
		nb = realloc(*buf, *len + el + 2);
		if (!nb)
			return -ENOMEM;
		*buf = nb;
		memcpy(nb + *len, e, el);
		*len += el;
		nb[(*len)++] = i + 1 < n ? '\t' : '\n';
	}
	return 0;
}

static int format_field(const struct nt_daemon_state *st, const struct field *f, char *tmp,
			size_t size, const char **ret)
{
	const void *p = (const char *)st + f->offset;

	switch (f->type) {
	case F_INT:
		snprintf(tmp, size, "%d", *(const int *)p);
		break;
	case F_BOOL:
		snprintf(tmp, size, "%s", *(const bool *)p ? "yes" : "no");
		break;
	case F_I64:
		snprintf(tmp, size, "%" PRId64, *(const int64_t *)p);
		break;
	case F_U64:
		snprintf(tmp, size, "%" PRIu64, *(const uint64_t *)p);
		break;
	case F_STR:
		*ret = *(char *const *)p;
		return 0;
	}
	*ret = tmp;
	return 0;
}

int nt_daemon_state_write(const struct nt_root *root, const struct nt_daemon_state *st)
{
	_cleanup_free_ char *buf = NULL;
	_cleanup_close_ int fd = -EBADF;
	const char *tmp = NT_DAEMON_STATE_FILE ".new";
	int dfd = nt_root_fd(root), r;
	size_t len = 0;

	for (size_t i = 0; i < ARRAY_SIZE(fields); i++) {
		char num[32];
		const char *v[2] = {fields[i].name};

		format_field(st, &fields[i], num, sizeof(num), &v[1]);
		r = put(&buf, &len, v, 2);
		if (r < 0)
			return r;
	}
	for (size_t i = 0; i < st->n; i++) {
		const char *v[] = {"change", st->c[i].key, st->c[i].object, st->c[i].original,
				   st->c[i].value};

		r = put(&buf, &len, v, ARRAY_SIZE(v));
		if (r < 0)
			return r;
	}
	fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0)
		return -errno;
	/* 0644 whatever the umask: the point of this file is that anyone may read it */
	if (fchmod(fd, 0644) < 0 || write(fd, buf ?: "", len) != (ssize_t)len)
		return errno ? -errno : -EIO;
	if (renameat(dfd, tmp, dfd, NT_DAEMON_STATE_FILE) < 0)
		return -errno;
	return 0;
}

static int set_field(struct nt_daemon_state *st, const struct field *f, const char *v)
{
	void *p = (char *)st + f->offset;
	int64_t s;
	uint64_t u;
	bool b;

	switch (f->type) {
	case F_INT:
		if (nt_parse_s64(v, &s) < 0 || s < 0 || s > INT32_MAX)
			return -EBADMSG;
		*(int *)p = (int)s;
		return 0;
	case F_BOOL:
		if (nt_parse_bool(v, &b) < 0)
			return -EBADMSG;
		*(bool *)p = b;
		return 0;
	case F_I64:
		if (nt_parse_s64(v, &s) < 0)
			return -EBADMSG;
		*(int64_t *)p = s;
		return 0;
	case F_U64:
		if (nt_parse_u64(v, &u) < 0)
			return -EBADMSG;
		*(uint64_t *)p = u;
		return 0;
	case F_STR:
		free(*(char **)p);
		*(char **)p = strdup(v);
		return *(char **)p ? 0 : -ENOMEM;
	}
	return -EINVAL;
}

static int add_change(struct nt_daemon_state *st, const char *const *f)
{
	struct nt_daemon_state_change *c = realloc(st->c, (st->n + 1) * sizeof(*c));

	if (!c)
		return -ENOMEM;
	st->c = c;
	c = &st->c[st->n];
	*c = (struct nt_daemon_state_change){.key = strdup(f[1]),
					     .object = strdup(f[2]),
					     .original = strdup(f[3]),
					     .value = strdup(f[4])};
	st->n++;
	return c->key && c->object && c->original && c->value ? 0 : -ENOMEM;
}

int nt_daemon_state_read(const struct nt_root *root, struct nt_daemon_state *ret)
{
	_cleanup_free_ char *buf = NULL;
	struct nt_daemon_state st = {};
	size_t size = 0;
	char *p, *nl;
	int r;

	r = nt_read_file(root, NT_DAEMON_STATE_FILE, &buf, &size);
	if (r < 0)
		return r;
	for (p = buf; (nl = strchr(p, '\n')); p = nl + 1) {
		char *f[FIELDS_MAX];
		size_t n;

		*nl = '\0';
		n = nt_tsv_split(p, f, FIELDS_MAX);
		r = 0;
		if (n == 5 && streq(f[0], "change")) {
			r = add_change(&st, (const char *const *)f);
		} else if (n == 2) {
			for (size_t i = 0; i < ARRAY_SIZE(fields); i++)
				if (streq(fields[i].name, f[0]))
					r = set_field(&st, &fields[i], f[1]);
		} else {
			r = -EBADMSG;
		}
		if (r < 0) {
			nt_daemon_state_done(&st);
			return r;
		}
	}
	*ret = st;
	return 0;
}

int nt_daemon_state_remove(const struct nt_root *root)
{
	if (unlinkat(nt_root_fd(root), NT_DAEMON_STATE_FILE, 0) < 0 && errno != ENOENT)
		return -errno;
	return 0;
}

int nt_daemon_state_set_changes(struct nt_daemon_state *st, const struct nt_journal *j)
{
	for (size_t i = 0; i < st->n; i++) {
		free(st->c[i].key);
		free(st->c[i].object);
		free(st->c[i].original);
		free(st->c[i].value);
	}
	free(st->c);
	st->c = NULL;
	st->n = 0;
	for (size_t i = 0; j && i < j->n; i++) {
		const struct nt_journal_entry *e = &j->e[i];
		const char *f[5] = {"change", e->key, e->object, e->original, e->value};
		bool seen = false;

		/* one line per knob and object: its first original, its last value */
		for (size_t x = 0; x < st->n && !seen; x++)
			if (streq(st->c[x].key, e->key) && streq(st->c[x].object, e->object)) {
				char *v = strdup(e->value);

				if (!v)
					return -ENOMEM;
				free(st->c[x].value);
				st->c[x].value = v;
				seen = true;
			}
		if (!seen && add_change(st, f) < 0)
			return -ENOMEM;
	}
	return 0;
}

bool nt_daemon_state_alive(const struct nt_root *root, const struct nt_daemon_state *st)
{
	_cleanup_free_ char *comm = NULL;
	char path[64];
	size_t size;

	if (st->pid <= 0)
		return false;
	snprintf(path, sizeof(path), "proc/%d/comm", st->pid);
	if (nt_read_file(root, path, &comm, &size) < 0)
		return false;
	return strncmp(comm, "napitune", 8) == 0;
}
