/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The crash-safe journal of original values, ROOT/run/napitune/journal. Before
 * napitune writes a knob, the knob's original value is appended and fsync'ed; a
 * revert (even after a crash or SIGKILL) restores the first recorded original of
 * every knob. One text record per line, tab-separated, values escaped:
 *
 *   P <gen> <unix-time> <profile-name> <profile-path>      an apply started
 *   E <gen> <key> <ifname> <ifindex> <index> <pid> <object> <original> <new>
 *   C <gen>                                                 that apply completed
 *   I <gen> <action>                                        irqbalance action (stop/ban)
 *
 * A torn last line (crash in the middle of a write) is ignored: its write had not
 * started yet. Writers hold ROOT/run/napitune/lock (flock).
 */
#ifndef NT_JOURNAL_H
#define NT_JOURNAL_H

#include <inttypes.h>
#include <stdbool.h>
#include <time.h>

#include "error.h"
#include "macro.h"

struct nt_root;
struct nt_change;

#define NT_JOURNAL_DIR	"run/napitune"
#define NT_JOURNAL_FILE NT_JOURNAL_DIR "/journal"
/*
 * The journal of an apply made inside another network namespace (napictl --netns):
 * its own directory, named by the netns cookie (never reused while the system runs, and
 * /run does not outlive a boot), so a revert can only ever restore into the netns the
 * apply changed. The lock stays NT_JOURNAL_DIR/lock for all of them.
 */
#define NT_JOURNAL_NETNS_DIR_FMT NT_JOURNAL_DIR "/netns/%" PRIu64

struct nt_journal_entry {
	unsigned int gen;
	char *key;
	char *ifname; /* "" for global */
	int ifindex;
	unsigned int index;
	int pid;
	char *object;
	char *original;
	char *value; /* what napitune wrote */
};

struct nt_journal_apply {
	unsigned int gen;
	time_t when;
	char *profile;
	char *path;
	bool committed;
};

struct nt_journal {
	const struct nt_root *root;
	char *dir;	  /* relative to root: NT_JOURNAL_DIR or a netns directory */
	char *file;	  /* dir/journal */
	int lock_fd;	  /* -1 when opened read-only */
	unsigned int gen; /* generation of the apply in progress, 0 = none */
	struct nt_journal_entry *e;
	size_t n;
	struct nt_journal_apply *a;
	size_t n_apply;
	char **irqbalance; /* actions to undo ("stop", "ban"), in order */
	size_t n_irqbalance;
};

/*
 * Opens and reads the journal. With @lock, creates the directory, takes the lock
 * (-EBUSY if another napictl holds it) and allows writing.
 */
int nt_journal_open(const struct nt_root *root, bool lock, struct nt_journal **ret,
		    struct nt_err *reterr);
/* The same with the journal in @dir (relative to @root; NULL = NT_JOURNAL_DIR). */
int nt_journal_open_dir(const struct nt_root *root, const char *dir, bool lock,
			struct nt_journal **ret, struct nt_err *reterr);
struct nt_journal *nt_journal_free(struct nt_journal *j);
DEFINE_TRIVIAL_CLEANUP_FUNC(struct nt_journal *, nt_journal_free);

bool nt_journal_exists(const struct nt_journal *j);
/* Starts a new generation (P record). */
int nt_journal_begin(struct nt_journal *j, const char *profile, const char *path);
/* Appends and fsyncs the original of @c before it is written. */
int nt_journal_record(struct nt_journal *j, const struct nt_change *c);
int nt_journal_record_irqbalance(struct nt_journal *j, const char *action);
/* Marks the current generation complete. */
int nt_journal_commit(struct nt_journal *j);
/* Forgets the current generation (after a complete rollback): rewrites the file atomically. */
int nt_journal_drop_current(struct nt_journal *j);
/* Deletes the journal (after a complete revert). */
int nt_journal_remove(struct nt_journal *j);
/* The last committed apply, or the last started one if none committed; NULL if none. */
const struct nt_journal_apply *nt_journal_last(const struct nt_journal *j);

#endif
