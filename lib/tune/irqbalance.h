/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Living with irqbalance when a profile pins IRQs. The profile chooses:
 *  - stop: stop irqbalance.service (systemd D-Bus) for as long as the profile is
 *    applied; revert starts it again. libsystemd.so.0 is loaded for this only (dlopen.h);
 *    without it, apply fails before journaling or changing anything.
 *  - ban:  tell the running irqbalance to leave our IRQs alone, through its control
 *    socket (/run/irqbalance/irqbalance<PID>.sock, "settings ban irqs N ..."), a
 *    runtime setting that replaces irqbalance's list of banned IRQs, so the request
 *    carries the current list (asked with "setup") plus ours; revert sends the old list
 *    back ("NONE" if it was empty). Verified against irqbalance 1.9.2 in the test VM.
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
/*
 * What apply does about irqbalance for @plan (which knows whether it runs and whether the
 * profile pins IRQ affinity) under @mode: 0 nothing (not running, no IRQ pinned, or
 * 'ignore': then ret_warn, which may be NULL, is set); 1 act with nt_irqbalance_act() once
 * the journal is open ('ban', 'stop'); -EBUSY refuse ('refuse', or no 'irqbalance:'), with
 * the reason in reterr.
 */
int nt_irqbalance_decide(enum nt_irqbalance_mode mode, const struct nt_plan *plan, bool *ret_warn,
			 struct nt_err *reterr);
int nt_irqbalance_act(enum nt_irqbalance_mode mode, const struct nt_root *root,
		      struct nt_journal *j, const struct nt_plan *plan, struct nt_err *reterr);
/* Undoes a journaled action ("stop", "ban LIST" with the list banned before, or "ban"). */
int nt_irqbalance_undo(const struct nt_root *root, const char *action, struct nt_err *reterr);

/* irqbalance reads one request with a single recvmsg() into a 500-byte buffer. */
#define NT_IRQBALANCE_MSG_MAX 500
/* The banned IRQs in irqbalance's answer to "setup" ("SLEEP 10 IRQ 30 LOAD 0 ... BANNED 0"). */
int nt_irqbalance_parse_setup(const char *reply, int **ret_irqs, size_t *ret_n);
/* "settings ban irqs ..." for the union of A and B, sorted, or "... NONE"; -E2BIG if too long. */
int nt_irqbalance_ban_cmd(const int *a, size_t n_a, const int *b, size_t n_b, char **ret_cmd);

#endif
