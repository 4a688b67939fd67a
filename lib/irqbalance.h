/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Living with irqbalance when a profile pins IRQs. The profile chooses:
 *  - stop: stop irqbalance.service (systemd D-Bus) for as long as the profile is
 *    applied; revert starts it again.
 *  - ban:  tell the running irqbalance to leave our IRQs alone, through its control
 *    socket (/run/irqbalance/irqbalance<PID>.sock, "settings ban irqs N ..."), a
 *    runtime setting; revert restarts irqbalance.service, which drops the ban.
 * Both are journaled before they happen (journal.h 'I' records).
 */
#ifndef NT_IRQBALANCE_H
#define NT_IRQBALANCE_H

#include "error.h"
#include "profile.h"

struct nt_root;
struct nt_journal;
struct nt_plan;

/* PID of a running irqbalance below ROOT/proc, or -ESRCH. */
int nt_irqbalance_pid(const struct nt_root *root);
int nt_irqbalance_act(enum nt_irqbalance_mode mode, const struct nt_root *root,
		      struct nt_journal *j, const struct nt_plan *plan, struct nt_err *reterr);
/* Undoes a journaled action ("stop" or "ban"). */
int nt_irqbalance_undo(const char *action, struct nt_err *reterr);

#endif
