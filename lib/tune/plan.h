/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Planning: a profile resolved against this machine. Every knob the profile names
 * becomes one change per object (device, queue, IRQ, NAPI, kthread): current value,
 * desired value, and whether it already matches or is unsupported here (and why).
 *
 * Changes are ordered in stages so structure comes first: channels before RPS/XPS
 * and IRQ affinity, GRO (veth NAPIs) and threaded mode before per-NAPI settings,
 * IRQ affinity before the kthreads that follow their IRQ.
 */
#ifndef NT_PLAN_H
#define NT_PLAN_H

#include "topo.h"
#include "knob-fam.h"
#include "profile.h"

enum nt_stage {
	NT_STAGE_SYSCTL,
	NT_STAGE_CHANNELS,
	NT_STAGE_RINGS,
	NT_STAGE_FEATURES,
	NT_STAGE_COALESCE,
	NT_STAGE_DEVSYSFS,
	NT_STAGE_NAPI,
	NT_STAGE_QUEUE,
	NT_STAGE_IRQ,
	NT_STAGE_KTHREAD,
	_NT_STAGE_MAX,
};

#define NT_STAGES_ALL ((1u << _NT_STAGE_MAX) - 1)

enum nt_stage nt_fam_stage(enum nt_fam f);

enum nt_change_state {
	NT_CHANGE_SET,	       /* differs: will be written */
	NT_CHANGE_SAME,	       /* already has the desired value */
	NT_CHANGE_UNSUPPORTED, /* not possible here; note says why; skipped */
	_NT_CHANGE_STATE_MAX,
};

DECLARE_STRING_TABLE_LOOKUP(nt_change_state, enum nt_change_state);

/* What apply/revert did with a change. */
enum nt_change_result {
	NT_RESULT_NONE,
	NT_RESULT_WRITTEN,	   /* written and read back equal */
	NT_RESULT_FAILED,	   /* the kernel refused, or the read-back differs */
	NT_RESULT_ROLLED_BACK,	   /* written, then restored after a later failure */
	NT_RESULT_ROLLBACK_FAILED, /* could not be restored: see error */
	NT_RESULT_GONE,		   /* revert: the object no longer exists */
	_NT_RESULT_MAX,
};

DECLARE_STRING_TABLE_LOOKUP(nt_change_result, enum nt_change_result);

struct nt_change {
	const struct nt_knob *knob;
	char *key;	    /* knob key, or the sysctl name */
	char *object;	    /* "global", "eth0", "eth0 rx-1", "eth0 irq 45", "eth0 napi 261" */
	struct nt_target t; /* strings point into this change */
	char *ifname;
	char *want; /* kernel text */
	char *have; /* kernel text; NULL if unreadable */
	enum nt_change_state state;
	char *note;  /* why unsupported, or a fallback remark */
	char *where; /* profile position */
	enum nt_stage stage;
	unsigned int seq; /* planning order, for a stable sort */
	enum nt_change_result result;
	char *error; /* the kernel's error text (extack) for this knob */
};

struct nt_plan {
	struct nt_change *c;
	size_t n;
	struct nt_msgs msgs; /* errors (e.g. a required device missing) and warnings */
	bool irqbalance_running;
	bool sets_irq_affinity; /* the profile pins some IRQ's smp_affinity (SET or SAME) */
	bool restructures;	/* channels/GRO/threaded change: later stages re-resolved */
};

/*
 * Resolves @p on the machine (@topo from nt_topo_read) for the stages in
 * @stages (bit mask of 1 << enum nt_stage). Returns -EINVAL if the plan has errors
 * (in plan->msgs), which callers must not apply.
 */
int nt_plan_build(struct nt_ctx *ctx, const struct nt_profile *p, const struct nt_topo *topo,
		  unsigned int stages, struct nt_plan *ret);
void nt_plan_done(struct nt_plan *plan);
void nt_change_done(struct nt_change *c);
/* Counts by state. */
size_t nt_plan_count(const struct nt_plan *plan, enum nt_change_state s);

#endif
