/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Running inside another network namespace, as `ip -n NAME` / `ip netns exec NAME` do:
 * join the netns, then a private mount namespace in which /sys is a fresh sysfs (sysfs
 * shows the devices of the netns that mounted it). /proc/net and /proc/sys/net follow
 * the calling thread's netns and need nothing. Netlink sockets opened afterwards talk
 * to the new netns. Nothing here logs.
 */
#ifndef NT_NETNS_H
#define NT_NETNS_H

#include <stdint.h>

#define NT_NETNS_RUN_DIR "/run/netns"

/*
 * The file of network namespace @name: an absolute path as is, otherwise a name under
 * /run/netns (as `ip netns add` creates). -EINVAL for an empty name, ".", ".." or a
 * relative path with '/'.
 */
int nt_netns_path(const char *name, char **ret);

/*
 * Opens a network namespace file (O_CLOEXEC). Returns the fd, or -errno: -ENOENT if it
 * does not exist, -EINVAL if it is not a network namespace (another namespace type or
 * not a namespace at all).
 */
int nt_netns_open(const char *path);

/*
 * The cookie of the calling thread's network namespace (SO_NETNS_COOKIE, Linux 5.14):
 * unique for the lifetime of the system, never reused, unlike namespace inode numbers.
 */
int nt_netns_cookie(uint64_t *ret);

/*
 * Moves the calling process (single-threaded, before it opens any netlink socket or
 * /sys file) into the network namespace @fd: setns(CLONE_NEWNET), unshare(CLONE_NEWNS),
 * / made recursively slave so nothing propagates back, /sys lazily unmounted and a fresh
 * sysfs mounted there (read-only if it was). -EPERM without CAP_SYS_ADMIN. On failure
 * after the netns switch, the process is left in the new netns: the caller must exit.
 */
int nt_netns_enter(int fd);

#endif
