// SPDX-License-Identifier: GPL-2.0-or-later
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "macro.h"
#include "netns.h"

#ifndef SO_NETNS_COOKIE
#define SO_NETNS_COOKIE 71
#endif

int nt_netns_path(const char *name, char **ret)
{
	char *p;

	if (!name || !*name)
		return -EINVAL;
	if (name[0] == '/') {
		p = strdup(name);
	} else {
		if (strchr(name, '/') || streq(name, ".") || streq(name, "..") ||
		    strlen(name) > NAME_MAX)
			return -EINVAL;
		if (asprintf(&p, NT_NETNS_RUN_DIR "/%s", name) < 0)
			p = NULL;
	}
	if (!p)
		return -ENOMEM;
	*ret = p;
	return 0;
}

int nt_netns_open(const char *path)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	int type;

	if (fd < 0)
		return -errno;
	/* Only nsfs files answer NS_GET_NSTYPE; anything else is not a namespace. */
	type = ioctl(fd, NS_GET_NSTYPE);
	if (type < 0)
		return errno == ENOTTY || errno == EINVAL ? -EINVAL : -errno;
	if (type != CLONE_NEWNET)
		return -EINVAL;
	return TAKE_FD(fd);
}

int nt_netns_cookie(uint64_t *ret)
{
	_cleanup_close_ int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	uint64_t cookie;
	socklen_t len = sizeof(cookie);

	if (fd < 0)
		return -errno;
	if (getsockopt(fd, SOL_SOCKET, SO_NETNS_COOKIE, &cookie, &len) < 0)
		return -errno;
	if (len != sizeof(cookie))
		return -EIO;
	*ret = cookie;
	return 0;
}

int nt_netns_enter(int fd)
{
	unsigned long flags = 0;
	struct statvfs sv;

	if (setns(fd, CLONE_NEWNET) < 0)
		return -errno;
	if (unshare(CLONE_NEWNS) < 0)
		return -errno;
	/* Our mounts must not propagate back into the caller's mount namespace. */
	if (mount(NULL, "/", NULL, MS_SLAVE | MS_REC, NULL) < 0)
		return -errno;
	if (statvfs("/sys", &sv) == 0 && (sv.f_flag & ST_RDONLY))
		flags |= MS_RDONLY;
	if (umount2("/sys", MNT_DETACH) < 0 && errno != EINVAL)
		return -errno;
	if (mount("sysfs", "/sys", "sysfs", flags, NULL) < 0)
		return -errno;
	return 0;
}
