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

#include <systemd/sd-bus.h>

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

static int unit_call(const char *method, struct nt_err *reterr)
{
	sd_bus_error error = SD_BUS_ERROR_NULL;
	sd_bus_message *reply = NULL;
	sd_bus *bus = NULL;
	int r;

	r = sd_bus_open_system(&bus);
	if (r < 0)
		return nt_err_set(reterr, r, "cannot reach systemd on the system bus: %s",
				  strerror(-r));
	r = sd_bus_call_method(bus, "org.freedesktop.systemd1", "/org/freedesktop/systemd1",
			       "org.freedesktop.systemd1.Manager", method, &error, &reply, "ss",
			       UNIT, "replace");
	if (r < 0)
		nt_err_set(reterr, r, "%s %s: %s", method, UNIT,
			   error.message ? error.message : strerror(-r));
	sd_bus_error_free(&error);
	sd_bus_message_unref(reply);
	sd_bus_flush_close_unref(bus);
	return r < 0 ? r : 0;
}

/* "settings ban irqs 40 41", sent with our credentials (irqbalance checks uid 0). */
static int ban(int pid, const struct nt_plan *plan, struct nt_err *reterr)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	_cleanup_close_ int fd = -EBADF;
	char cmd[4096] = "settings ban irqs";
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(struct ucred))];
	} control = {};
	struct ucred cred = {.pid = getpid(), .uid = getuid(), .gid = getgid()};
	struct iovec iov;
	struct msghdr mh = {.msg_iov = &iov,
			    .msg_iovlen = 1,
			    .msg_control = &control,
			    .msg_controllen = sizeof(control)};
	struct cmsghdr *cm;

	for (size_t i = 0; i < plan->n; i++)
		if (plan->c[i].knob->fam == NT_FAM_IRQ && plan->c[i].state == NT_CHANGE_SET)
			snprintf(cmd + strlen(cmd), sizeof(cmd) - strlen(cmd), " %u",
				 plan->c[i].t.index);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "/run/irqbalance/irqbalance%d.sock", pid);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return nt_err_set(reterr, -errno, "socket: %m");
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return nt_err_set(reterr, -errno,
				  "cannot reach irqbalance at %s: %m (use "
				  "'irqbalance: stop')",
				  sa.sun_path);
	iov = (struct iovec){.iov_base = cmd, .iov_len = strlen(cmd)};
	cm = CMSG_FIRSTHDR(&mh);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_CREDENTIALS;
	cm->cmsg_len = CMSG_LEN(sizeof(cred));
	memcpy(CMSG_DATA(cm), &cred, sizeof(cred));
	if (sendmsg(fd, &mh, MSG_NOSIGNAL) < 0)
		return nt_err_set(reterr, -errno, "sending the ban to irqbalance: %m");
	return 0;
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
		r = nt_journal_record_irqbalance(j, "stop");
		return r < 0 ? nt_err_set(reterr, r, "cannot journal: %s", strerror(-r))
			     : unit_call("StopUnit", reterr);
	case NT_IRQBALANCE_BAN:
		r = nt_journal_record_irqbalance(j, "ban");
		return r < 0 ? nt_err_set(reterr, r, "cannot journal: %s", strerror(-r))
			     : ban(pid, plan, reterr);
	default:
		return 0;
	}
}

int nt_irqbalance_undo(const char *action, struct nt_err *reterr)
{
	if (streq(action, "stop"))
		return unit_call("StartUnit", reterr);
	if (streq(action, "ban"))
		return unit_call("TryRestartUnit", reterr);
	return nt_err_set(reterr, -EINVAL, "unknown irqbalance action '%s'", action);
}
