/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A tuning session: everything a program needs to check, plan, apply, verify and revert
 * a profile on one machine (or network namespace), so napictl and the daemon run the same
 * code and differ only in how they present results. It holds the root directory (borrowed),
 * its own netlink handle, the knob context, the loaded profile and the last topology read.
 *
 *   nt_session_open -> nt_session_load -> nt_session_plan -> nt_session_apply
 *                                                          \-> nt_session_write_json
 *   nt_session_open -> nt_session_revert
 *
 * Nothing here logs: errors come back as -errno with detail in reterr, and the user-facing
 * errors and warnings of a profile or plan in its struct nt_msgs.
 */
#ifndef NT_SESSION_H
#define NT_SESSION_H

#include "apply.h"
#include "journal.h"
#include "plan.h"
#include "profile.h"
#include "topo.h"

struct nt_json;

struct nt_session {
	const struct nt_root *root; /* borrowed: "/" or a fixture tree */
	struct nt_nl *nl;	    /* NULL: no generic netlink (fixture trees, old kernels) */
	struct nt_ctx ctx;
	char *journal_dir;	    /* below root; NULL: NT_JOURNAL_DIR */
	struct nt_profile *profile; /* after nt_session_load() */
	struct nt_topo topo;	    /* after nt_session_plan() */
};

/*
 * Opens a session on @root. Netlink describes the live system only: it is opened when
 * @root is "/" (and left out, without error, when the kernel has no generic netlink).
 * @journal_dir is the journal's directory below @root (NULL: NT_JOURNAL_DIR; another
 * network namespace has its own, see journal.h).
 */
int nt_session_open(const struct nt_root *root, const char *journal_dir, struct nt_session **ret,
		    struct nt_err *reterr);
struct nt_session *nt_session_free(struct nt_session *s);
DEFINE_TRIVIAL_CLEANUP_FUNC(struct nt_session *, nt_session_free);

/*
 * Finds (nt_profile_find, nt_profile_dirs) and loads a profile. Every error and warning
 * goes to @msgs. -EINVAL if it is invalid (msgs says why); other errors in reterr.
 */
int nt_session_load(struct nt_session *s, const char *name_or_path, struct nt_msgs *msgs,
		    struct nt_err *reterr);

/*
 * Reads the topology and plans the loaded profile on it, all stages. -EINVAL if the plan
 * has errors (in ret->msgs: it must not be applied); ret is filled in either case.
 */
int nt_session_plan(struct nt_session *s, struct nt_plan *ret, struct nt_err *reterr);

/*
 * Applies the loaded profile after @plan (from nt_session_plan) was shown: decides about
 * irqbalance (-EBUSY when it runs and would undo the IRQ affinity the profile pins, unless
 * the profile says how to live with it), takes the journal's lock, acts on irqbalance as
 * the profile says, then nt_apply(). A failure before anything was journaled returns
 * -errno with reterr and leaves @ret_done empty; once apply started, @ret_done has every
 * change with its result, the messages (an 'irqbalance: ignore' warning among them) and
 * the rollback outcome, and the return value is nt_apply()'s.
 */
int nt_session_apply(struct nt_session *s, const struct nt_plan *plan, struct nt_plan *ret_done,
		     struct nt_err *reterr);

/*
 * Reverts what the journal holds (nt_revert). 0 when nothing is applied (no journal),
 * 1 after a revert; @ret_done as nt_revert()'s. Errors before the revert in reterr.
 */
int nt_session_revert(struct nt_session *s, struct nt_plan *ret_done, struct nt_err *reterr);

/*
 * The profile of the last complete apply in the journal, as the path it was loaded from
 * (or its name); -ENOENT (with reterr) if no profile is applied.
 */
int nt_session_applied(const struct nt_session *s, char **ret_name_or_path, struct nt_err *reterr);

enum {
	NT_SESSION_JSON_ONLY_SETS = 1 << 0, /* only the changes that differ */
	NT_SESSION_JSON_RESULTS = 1 << 1,   /* each change's result (apply, revert) */
};

/*
 * The JSON document of a plan, an apply, a verify or a revert (@verb), with the loaded
 * profile (if any), the totals, the irqbalance facts and every change.
 */
void nt_session_write_json(const struct nt_session *s, const char *verb, const struct nt_plan *plan,
			   unsigned int flags, struct nt_json *j);

#endif
