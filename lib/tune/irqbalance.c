// SPDX-License-Identifier: GPL-2.0-or-later
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "dlopen.h"
#include "fs.h"
#include "irqbalance.h"
#include "journal.h"
#include "plan.h"

#define UNIT "irqbalance.service"

int nt_irqbalance_pid(const struct nt_root *root)
{
	char **pids = NULL;
	int found = -ESRCH;

	if (nt_list_dir(root, "proc", &pids, NULL) < 0)
		return -ESRCH;
	for (char **p = pids; *p && found < 0; p++) {
		_cleanup_free_ char *comm = NULL;
		char path[64];

		if (!isdigit((unsigned char)**p) || strlen(*p) > 10)
			continue;
		snprintf(path, sizeof(path), "proc/%s/comm", *p);
		if (nt_read_line(root, path, &comm) >= 0 && streq(comm, "irqbalance"))
			found = atoi(*p);
	}
	nt_strv_free(pids);
	return found;
}

int nt_irqbalance_decide(enum nt_irqbalance_mode mode, const struct nt_plan *plan, bool *ret_warn,
			 struct nt_err *reterr)
{
	if (ret_warn)
		*ret_warn = false;
	if (!plan->sets_irq_affinity || !plan->irqbalance_running)
		return 0;
	switch (mode) {
	case NT_IRQBALANCE_IGNORE:
		if (ret_warn)
			*ret_warn = true;
		return 0;
	case NT_IRQBALANCE_BAN:
	case NT_IRQBALANCE_STOP:
		return 1;
	default:
		return nt_err_set(
			reterr, -EBUSY,
			"irqbalance is running and would undo this profile's IRQ "
			"affinity; refusing. Set 'irqbalance: ban', 'stop' or 'ignore' in "
			"the profile");
	}
}

/* libsystemd is loaded only here (lib/basic/dlopen.h): 'ban' and the rest of napictl do without. */
static int need_libsystemd(struct nt_err *reterr)
{
	struct nt_err e = {};
	int r;

	r = nt_dlopen_libsystemd(&e);
	if (r < 0)
		return nt_err_set(reterr, r,
				  NT_LIBSYSTEMD_SONAME " is not available: irqbalance stop/start "
						       "over D-Bus needs it (%s)",
				  nt_err_msg(&e, r));
	return 0;
}

static int unit_call(const char *method, struct nt_err *reterr)
{
	sd_bus_error error = SD_BUS_ERROR_NULL;
	sd_bus_message *reply = NULL;
	sd_bus *bus = NULL;
	int r;

	r = need_libsystemd(reterr);
	if (r < 0)
		return r;
	r = sym_sd_bus_open_system(&bus);
	if (r < 0)
		return nt_err_set(reterr, r, "cannot reach systemd on the system bus: %s",
				  strerror(-r));
	r = sym_sd_bus_call_method(bus, "org.freedesktop.systemd1", "/org/freedesktop/systemd1",
				   "org.freedesktop.systemd1.Manager", method, &error, &reply, "ss",
				   UNIT, "replace");
	if (r < 0)
		nt_err_set(reterr, r, "%s %s: %s", method, UNIT,
			   error.message ? error.message : strerror(-r));
	sym_sd_bus_error_free(&error);
	sym_sd_bus_message_unref(reply);
	sym_sd_bus_flush_close_unref(bus);
	return r < 0 ? r : 0;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

int nt_irqbalance_parse_setup(const char *reply, int **ret_irqs, size_t *ret_n)
{
	_cleanup_free_ int *v = NULL;
	size_t n = 0;
	const char *p = reply;

	/* "SLEEP 10 IRQ 30 LOAD 0 DIFF 0 CLASS 0 IRQ 31 ... BANNED 00000000" */
	if (strncmp(p, "SLEEP ", 6) != 0)
		return -EBADMSG;
	while ((p = strstr(p, "IRQ ")) != NULL) {
		char *end;
		unsigned long irq;
		int *nv;

		if (p != reply && p[-1] != ' ') {
			p += 4;
			continue;
		}
		p += 4;
		errno = 0;
		irq = strtoul(p, &end, 10);
		if (end == p || errno || irq > INT32_MAX || (*end != ' ' && *end != '\0'))
			return -EBADMSG;
		nv = realloc(v, (n + 1) * sizeof(*v));
		if (!nv)
			return -ENOMEM;
		v = nv;
		v[n++] = (int)irq;
		p = end;
	}
	*ret_irqs = TAKE_PTR(v);
	*ret_n = n;
	return 0;
}

int nt_irqbalance_ban_cmd(const int *a, size_t n_a, const int *b, size_t n_b, char **ret_cmd)
{
	_cleanup_free_ int *all = calloc(n_a + n_b + 1, sizeof(int));
	char cmd[NT_IRQBALANCE_MSG_MAX] = "settings ban irqs";
	size_t n = 0, len = strlen(cmd);
	char *c;

	if (!all)
		return -ENOMEM;
	for (size_t i = 0; i < n_a; i++)
		all[n++] = a[i];
	for (size_t i = 0; i < n_b; i++)
		all[n++] = b[i];
	qsort(all, n, sizeof(int), cmp_int);
	for (size_t i = 0; i < n; i++) {
		int w;

		if ((i > 0 && all[i] == all[i - 1]) || all[i] <= 0)
			continue; /* irqbalance's parser stops at 0 */
		w = snprintf(cmd + len, sizeof(cmd) - len, " %d", all[i]);
		if (w < 0 || (size_t)w >= sizeof(cmd) - len)
			return -E2BIG;
		len += (size_t)w;
	}
	if (len == strlen("settings ban irqs")) {
		if (len + strlen(" NONE") >= sizeof(cmd))
			return -E2BIG;
		strcpy(cmd + len, " NONE");
	}
	c = strdup(cmd);
	if (!c)
		return -ENOMEM;
	*ret_cmd = c;
	return 0;
}

/*
 * One request on irqbalance's control socket, sent with our credentials (irqbalance only
 * serves uid 0). irqbalance reads a request with one recvmsg() into a 500-byte buffer and
 * answers "setup" (and "stats") before closing; "settings ..." get no answer.
 */
static int talk(int pid, const char *msg, char **ret_reply, struct nt_err *reterr)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	_cleanup_close_ int fd = -EBADF;
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(struct ucred))];
	} control = {};
	struct ucred cred = {.pid = getpid(), .uid = getuid(), .gid = getgid()};
	struct iovec iov = {.iov_base = (void *)msg, .iov_len = strlen(msg)};
	struct msghdr mh = {.msg_iov = &iov,
			    .msg_iovlen = 1,
			    .msg_control = &control,
			    .msg_controllen = sizeof(control)};
	struct timeval tv = {.tv_sec = 5};
	struct cmsghdr *cm;

	if (strlen(msg) >= NT_IRQBALANCE_MSG_MAX)
		return nt_err_set(reterr, -E2BIG,
				  "the request is longer than irqbalance reads at once (%d bytes)",
				  NT_IRQBALANCE_MSG_MAX - 1);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "/run/irqbalance/irqbalance%d.sock", pid);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return nt_err_set(reterr, -errno, "socket: %m");
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return nt_err_set(reterr, -errno,
				  "cannot reach irqbalance at %s: %m (use "
				  "'irqbalance: stop')",
				  sa.sun_path);
	cm = CMSG_FIRSTHDR(&mh);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_CREDENTIALS;
	cm->cmsg_len = CMSG_LEN(sizeof(cred));
	memcpy(CMSG_DATA(cm), &cred, sizeof(cred));
	if (sendmsg(fd, &mh, MSG_NOSIGNAL) < 0)
		return nt_err_set(reterr, -errno, "sending '%s' to irqbalance: %m", msg);
	if (ret_reply) {
		char buf[8192];
		size_t len = 0;
		ssize_t k;

		while (len < sizeof(buf) - 1 &&
		       (k = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
			len += (size_t)k;
		buf[len] = '\0';
		if (len == 0)
			return nt_err_set(reterr, -EBADMSG, "irqbalance did not answer '%s'", msg);
		*ret_reply = strdup(buf);
		if (!*ret_reply)
			return -ENOMEM;
	}
	return 0;
}

/* IRQs banned through the socket (or --banirq) right now. */
static int banned(int pid, int **ret_irqs, size_t *ret_n, struct nt_err *reterr)
{
	_cleanup_free_ char *reply = NULL;
	int r;

	r = talk(pid, "setup", &reply, reterr);
	if (r < 0)
		return r;
	r = nt_irqbalance_parse_setup(reply, ret_irqs, ret_n);
	if (r < 0)
		return nt_err_set(reterr, r, "cannot parse irqbalance's answer to 'setup': '%.80s'",
				  reply);
	return 0;
}

/*
 * "settings ban irqs A B ..." replaces irqbalance's whole list of banned IRQs (including
 * --banirq ones), so the request carries the current list plus ours. The journal keeps the
 * list as it was ("ban 7 9", "ban NONE") for revert.
 */
static int ban(int pid, struct nt_journal *j, const struct nt_plan *plan, struct nt_err *reterr)
{
	_cleanup_free_ int *old = NULL, *ours = NULL;
	_cleanup_free_ char *cmd = NULL, *prev = NULL, *action = NULL;
	size_t n_old = 0, n_ours = 0;
	int r;

	r = banned(pid, &old, &n_old, reterr);
	if (r < 0)
		return r;
	ours = calloc(plan->n + 1, sizeof(int));
	if (!ours)
		return -ENOMEM;
	for (size_t i = 0; i < plan->n; i++)
		if (plan->c[i].knob->fam == NT_FAM_IRQ &&
		    (plan->c[i].state == NT_CHANGE_SET || plan->c[i].state == NT_CHANGE_SAME))
			ours[n_ours++] = (int)plan->c[i].t.index;
	r = nt_irqbalance_ban_cmd(old, n_old, ours, n_ours, &cmd);
	if (r == -E2BIG)
		return nt_err_set(reterr, r,
				  "too many IRQs for one irqbalance request (%d bytes); use "
				  "'irqbalance: stop'",
				  NT_IRQBALANCE_MSG_MAX - 1);
	if (r >= 0)
		r = nt_irqbalance_ban_cmd(old, n_old, NULL, 0, &prev);
	if (r < 0)
		return nt_err_set(reterr, r, "%s", strerror(-r));
	if (asprintf(&action, "ban %s", prev + strlen("settings ban irqs ")) < 0)
		return -ENOMEM;
	r = nt_journal_record_irqbalance(j, action);
	if (r < 0)
		return nt_err_set(reterr, r, "cannot journal: %s", strerror(-r));
	return talk(pid, cmd, NULL, reterr);
}

int nt_irqbalance_act(enum nt_irqbalance_mode mode, const struct nt_root *root,
		      struct nt_journal *j, const struct nt_plan *plan, struct nt_err *reterr)
{
	int pid = nt_irqbalance_pid(root), r;

	if (pid < 0)
		return 0;
	if (!streq(nt_root_path(root), "/"))
		return nt_err_set(reterr, -EOPNOTSUPP,
				  "irqbalance can only be handled on the "
				  "live system");
	switch (mode) {
	case NT_IRQBALANCE_STOP:
		/* before the journal: a 'stop' journaled but not done could not be reverted */
		r = need_libsystemd(reterr);
		if (r < 0)
			return r;
		r = nt_journal_record_irqbalance(j, "stop");
		return r < 0 ? nt_err_set(reterr, r, "cannot journal: %s", strerror(-r))
			     : unit_call("StopUnit", reterr);
	case NT_IRQBALANCE_BAN:
		return ban(pid, j, plan, reterr);
	default:
		return 0;
	}
}

int nt_irqbalance_undo(const struct nt_root *root, const char *action, struct nt_err *reterr)
{
	_cleanup_free_ char *cmd = NULL;
	int pid;

	if (streq(action, "stop"))
		return unit_call("StartUnit", reterr);
	if (streq(action, "ban")) /* journals before the list was kept */
		return unit_call("TryRestartUnit", reterr);
	if (strncmp(action, "ban ", 4) == 0) {
		/* Bans live in the daemon's memory: a restarted or stopped one has none of ours. */
		pid = nt_irqbalance_pid(root);
		if (pid < 0)
			return 0;
		if (asprintf(&cmd, "settings ban irqs %s", action + 4) < 0)
			return -ENOMEM;
		return talk(pid, cmd, NULL, reterr);
	}
	return nt_err_set(reterr, -EINVAL, "unknown irqbalance action '%s'", action);
}
