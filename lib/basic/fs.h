/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Access to /proc and /sys through a root directory. The programs open "/"; unit
 * tests open a fixture tree (tests/data/...) and everything else stays the same.
 * Paths are relative to the root ("proc/interrupts"); a leading '/' is ignored.
 */
#ifndef NT_FS_H
#define NT_FS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "macro.h"

struct nt_root;

/* Largest file nt_read_file() accepts (a /proc/interrupts of 8192 CPUs fits). */
#define NT_FS_READ_MAX (64u << 20)

int nt_root_open(const char *dir, struct nt_root **ret);
struct nt_root *nt_root_free(struct nt_root *root);
DEFINE_TRIVIAL_CLEANUP_FUNC(struct nt_root *, nt_root_free);
const char *nt_root_path(const struct nt_root *root);
int nt_root_fd(const struct nt_root *root);
/*
 * With @on, nt_read_file() keeps the files below proc/ it opens open and reads them again
 * with pread() from offset 0 (a seq_file starts over: fs/seq_file.c), for a program that
 * samples the same files periodically (the daemon). A file whose read fails (its process
 * exited) is closed and forgotten. Off closes them all.
 */
int nt_root_keep_open(struct nt_root *root, bool on);
/* Files kept open now. */
size_t nt_root_n_open(const struct nt_root *root);
/* Closes the files kept open that were not read since the last call (threads that exited). */
void nt_root_prune_open(struct nt_root *root);

/* Whole file, NUL-terminated. ret_size may be NULL. */
int nt_read_file(const struct nt_root *root, const char *path, char **ret, size_t *ret_size);
/* First line without its newline (sysfs and sysctl values). */
int nt_read_line(const struct nt_root *root, const char *path, char **ret);
int nt_read_u64(const struct nt_root *root, const char *path, uint64_t *ret);
/* A signed decimal file (ifindex, numa_node, threaded), or @def when it cannot be read. */
int64_t nt_read_s64_or(const struct nt_root *root, const char *path, int64_t def);
/*
 * Writes @value with one write(2), as the kernel expects for sysfs/procfs. The file
 * must exist. Returns the kernel's -errno.
 */
int nt_write_file(const struct nt_root *root, const char *path, const char *value);
/* Target of a symbolic link (e.g. a device's "driver" link), malloc'ed. */
int nt_read_link(const struct nt_root *root, const char *path, char **ret);
/* The last component of a link's target ("ixgbe", "0000:03:00.0") into @buf. */
int nt_read_link_base(const struct nt_root *root, const char *path, char *buf, size_t size);
bool nt_path_exists(const struct nt_root *root, const char *path);
/* Entry names of a directory, sorted, without "." and "..", NULL-terminated. */
int nt_list_dir(const struct nt_root *root, const char *path, char ***ret, size_t *ret_n);
void nt_strv_free(char **v);

#endif
