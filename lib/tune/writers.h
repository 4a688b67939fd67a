/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Who else tunes this machine: the other writers of the values a plan names, found in
 * their configuration below the session's root (fixture trees in the tests), one module
 * per kind of writer:
 *   - writers-sysctld.c:    sysctl.d files, with systemd-sysctl's precedence;
 *   - writers-tuned.c:      the active tuned profile and the profiles it includes;
 *   - writers-irqbalance.c: irqbalance, running or enabled, without a ban for our IRQs;
 *   - writers-link.c:       the systemd .link file udev applies to a device we tune;
 *   - writers-nm.c:         NetworkManager connections with ethtool settings for it.
 * Each gives structured records (kind, source file, line, key, value), matched to the
 * plan's changes by key and device. They describe configuration, not what happened: a
 * writer that sets a value "will undo or be undone" by apply. Nothing here logs.
 */
#ifndef NT_WRITERS_H
#define NT_WRITERS_H

#include <stdbool.h>
#include <stddef.h>

#include "string-table.h"

struct nt_root;
struct nt_json;
struct nt_plan;
struct nt_change;

enum nt_writer_kind {
	NT_WRITER_SYSCTLD,
	NT_WRITER_TUNED,
	NT_WRITER_IRQBALANCE,
	NT_WRITER_LINK,
	NT_WRITER_NM,
	_NT_WRITER_MAX,
};

DECLARE_STRING_TABLE_LOOKUP(nt_writer_kind, enum nt_writer_kind);

struct nt_writer {
	enum nt_writer_kind kind;
	char *source; /* the file as on the machine ("/etc/sysctl.d/90-net.conf"), or "pid 812" */
	unsigned int line; /* 1-based line in source; 0: not a line of a file */
	char *key;	   /* our key: a sysctl name, "rings.rx", "rps_cpus", "smp_affinity" */
	char *object;	   /* the plan's object it writes: "global", "eth0", "eth0 irq 45" */
	char *ifname;	   /* that object's device, NULL if global */
	char *setting;	   /* what the file says, as written: "RxBufferSize=4096" */
	char *value;	   /* the value it sets, as written; NULL if it only moves things */
	char *detail;	   /* more context ("profile 'throughput-performance'"), or NULL */
	bool overridden;   /* a later or more specific setting of the same writer wins */
};

struct nt_writers {
	struct nt_writer *w;
	size_t n;
};

void nt_writers_done(struct nt_writers *ws);
/* Appends a copy of @w's strings; -ENOMEM. */
int nt_writers_add(struct nt_writers *ws, const struct nt_writer *w);

/*
 * Every writer of a value @plan names (its changes, whatever their state), all kinds, read
 * below @root. Files that cannot be read are skipped: an unreadable writer is not one.
 */
int nt_writers_scan(const struct nt_root *root, const struct nt_plan *plan, struct nt_writers *ret);

/* Whether @w writes what @c changes (same key and object). */
bool nt_writer_matches(const struct nt_writer *w, const struct nt_change *c);
/* The writers of @c that are not overridden, at most @max into @ret; their count. */
size_t nt_writers_of(const struct nt_writers *ws, const struct nt_change *c,
		     const struct nt_writer **ret, size_t max);

/*
 * One line for a person: "sysctl.d /etc/sysctl.d/90-net.conf:3: net.core.netdev_budget = 300",
 * "tuned /usr/lib/tuned/x/tuned.conf:12: [net] ring=rx 4096 (profile 'x')", ... malloc'ed,
 * NULL on OOM.
 */
char *nt_writer_describe(const struct nt_writer *w);
/* The record as a JSON object. */
void nt_writer_write_json(const struct nt_writer *w, struct nt_json *j);

/*
 * Shared by the modules: the files ending in @suffix in @dirs (below @root, in order of
 * precedence), as systemd merges configuration directories (sysctl.d(5), systemd.link(5)):
 * a file name in an earlier directory hides the same name in later ones, a symbolic link
 * to /dev/null masks the name, and the result is sorted by file name. Paths are relative
 * to the root ("etc/sysctl.d/10-x.conf"), NULL-terminated; -ENOMEM.
 */
int nt_writers_conf_files(const struct nt_root *root, const char *const *dirs, const char *suffix,
			  char ***ret);

/* ---- one module per kind: each appends the writers of @plan's changes it finds ---- */
int nt_writers_sysctld(const struct nt_root *root, const struct nt_plan *plan,
		       struct nt_writers *ws);
int nt_writers_tuned(const struct nt_root *root, const struct nt_plan *plan, struct nt_writers *ws);
int nt_writers_irqbalance(const struct nt_root *root, const struct nt_plan *plan,
			  struct nt_writers *ws);
int nt_writers_link(const struct nt_root *root, const struct nt_plan *plan, struct nt_writers *ws);
int nt_writers_nm(const struct nt_root *root, const struct nt_plan *plan, struct nt_writers *ws);

/* ---- the parsers of one file's text, for the modules, their tests and fuzz targets ---- */

/* sysctl.d: every assignment of the files read so far, in the order systemd-sysctl reads them. */
struct nt_sysctld_entry {
	char *name; /* normalized to the /proc/sys path form: "net/ipv4/conf/eth0.200/rp_filter" */
	char *setting; /* "net.core.netdev_budget = 600" as written */
	char *value;   /* NULL: "-key" alone, which keeps a glob from setting it */
	char *path;    /* "/etc/sysctl.d/90-net.conf" */
	unsigned int line;
	bool glob;
};

struct nt_sysctld {
	struct nt_sysctld_entry *e;
	size_t n;
};

/* Adds the assignments of one file's @text (@path as shown to the user); -ENOMEM. */
int nt_sysctld_parse(struct nt_sysctld *acc, const char *path, const char *text);
/*
 * The assignments that write the sysctl @name (dot or slash form, as sysctl.d(5) reads it)
 * as records for @object: the one systemd-sysctl applies last is not overridden (an explicit
 * name beats a glob; of several, the last read wins); -ENOMEM.
 */
int nt_sysctld_writers(const struct nt_sysctld *acc, const char *name, const char *key,
		       const char *object, struct nt_writers *ws);
void nt_sysctld_done(struct nt_sysctld *acc);
/* sysctl.d(5)'s normalization of a name to the slash form, malloc'ed; NULL on OOM. */
char *nt_sysctld_normalize(const char *name);

struct nt_ini;
/*
 * tuned: the settings of one loaded tuned.conf (@ini, read from @path, profile @profile)
 * that write a change of @plan ([sysctl], [sysfs], [net], [scheduler], [irqbalance], [irq]
 * and sections of those types); -ENOMEM.
 */
int nt_tuned_writers(const struct nt_ini *ini, const char *path, const char *profile,
		     const struct nt_plan *plan, struct nt_writers *ws);
/* The profiles a tuned.conf includes ([main] include=, comma separated), NULL-terminated. */
int nt_tuned_includes(const struct nt_ini *ini, char ***ret);

/*
 * irqbalance: the IRQs banned in @args (irqbalance's command line or IRQBALANCE_ARGS:
 * "--banirq=N", "--banirq N", "-i N"), appended to @irqs; -ENOMEM.
 */
int nt_irqbalance_args_bans(const char *args, int **irqs, size_t *n);

/* What .link and NetworkManager matching needs to know of a device; NULL: unknown. */
struct nt_netdev_facts {
	const char *ifname;
	const char *mac;    /* "52:54:00:12:34:56" */
	const char *driver; /* "virtio_net" */
	const char *type;   /* "ether" */
};

/*
 * Whether the [Match] section of a .link file (@ini) matches @d (systemd.link(5)): 1 yes,
 * 0 no, -EINVAL for a file udev ignores (no [Match] condition). Conditions that cannot be
 * checked from here (Path=, Property=, Host=, ...) count as met and are named in
 * @unchecked (a buffer of @size, may be NULL).
 */
int nt_link_match(const struct nt_ini *ini, const struct nt_netdev_facts *d, char *unchecked,
		  size_t size);
/* The [Link] settings of a matched .link file that write changes of @plan on @d. */
int nt_link_writers(const struct nt_ini *ini, const char *path, const struct nt_netdev_facts *d,
		    const char *detail, const struct nt_plan *plan, struct nt_writers *ws);

/*
 * NetworkManager: whether a keyfile connection (@ini) is for @d ([connection]
 * interface-name=, [match] interface-name=, [ethernet] mac-address=), and its [ethtool]
 * settings that write changes of @plan on @d.
 */
bool nt_nm_matches(const struct nt_ini *ini, const struct nt_netdev_facts *d);
int nt_nm_writers(const struct nt_ini *ini, const char *path, const struct nt_netdev_facts *d,
		  const struct nt_plan *plan, struct nt_writers *ws);

#endif
