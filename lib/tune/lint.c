// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Lints: warnings about values that are valid but probably not what the user wants. Those
 * that need only the profile run when it loads; those that compare with the running system
 * run when it is planned.
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fs.h"
#include "lint.h"
#include "plan.h"
#include "parse-util.h"

/* A default above its maximum (net.core.rmem_default > rmem_max): the kernel caps it. */
static void lint_default_max(struct nt_msgs *d, const struct nt_setting *def,
			     const struct nt_setting *max)
{
	uint64_t a, b;

	if (def && max && nt_parse_u64(def->value, &a) >= 0 && nt_parse_u64(max->value, &b) >= 0 &&
	    a > b)
		nt_msgs_add(d, false, "%s: warning: %s (%" PRIu64 ") is above %s (%" PRIu64 ")",
			    def->where, def->name, a, max->name, b);
}

/* Lints that need nothing but the profile (the planner adds those needing the system). */
void nt_profile_lint(const struct nt_profile *p, struct nt_msgs *d)
{
	const struct nt_setting *rd = NULL, *rm = NULL, *wd = NULL, *wm = NULL;
	bool defer = false, gro = false;
	const struct nt_setting *susp = NULL;

	for (size_t i = 0; i < p->n_sysctls; i++) {
		const struct nt_setting *s = &p->sysctls[i];
		enum nt_knob_id id = nt_knob_id(s->knob);
		uint64_t v;

		if (id == NT_KNOB_CORE_RMEM_DEFAULT)
			rd = s;
		else if (id == NT_KNOB_CORE_RMEM_MAX)
			rm = s;
		else if (id == NT_KNOB_CORE_WMEM_DEFAULT)
			wd = s;
		else if (id == NT_KNOB_CORE_WMEM_MAX)
			wm = s;
		if ((id == NT_KNOB_CORE_BUSY_POLL || id == NT_KNOB_CORE_BUSY_READ) &&
		    nt_parse_u64(s->value, &v) >= 0 && v > 100)
			nt_msgs_add(d, false,
				    "%s: warning: global %s of %" PRIu64 " us busy-waits every "
				    "socket for longer than 100 us; prefer per-socket "
				    "SO_BUSY_POLL or epoll busy poll",
				    s->where, s->name, v);
	}
	lint_default_max(d, rd, rm);
	lint_default_max(d, wd, wm);
	for (size_t i = 0; i < p->n_blocks; i++) {
		for (size_t j = 0; j < p->blocks[i].n_settings; j++) {
			const struct nt_setting *s = &p->blocks[i].settings[j];
			enum nt_knob_id id = nt_knob_id(s->knob);

			if (id == NT_KNOB_NAPI_IRQ_SUSPEND_TIMEOUT && !streq(s->value, "0"))
				susp = s;
			if (id == NT_KNOB_NAPI_DEFER_HARD_IRQS ||
			    id == NT_KNOB_DEV_NAPI_DEFER_HARD_IRQS)
				defer = true;
			if (id == NT_KNOB_NAPI_GRO_FLUSH_TIMEOUT ||
			    id == NT_KNOB_DEV_GRO_FLUSH_TIMEOUT)
				gro = true;
		}
	}
	if (susp && (!defer || !gro))
		nt_msgs_add(d, false,
			    "%s: warning: napi.irq-suspend-timeout has no visible effect without "
			    "a small gro-flush-timeout and defer-hard-irqs (napi.rst)",
			    susp->where);
}

/* Warnings that compare the plan with the running system. */
void nt_plan_lint(struct nt_plan *plan, const struct nt_root *root)
{
	for (size_t i = 0; i < plan->n; i++) {
		const struct nt_change *c = &plan->c[i];
		enum nt_knob_id id = nt_knob_id(c->knob);
		unsigned long long w[3], h[3];

		if ((id == NT_KNOB_IPV4_TCP_RMEM || id == NT_KNOB_IPV4_TCP_WMEM) && c->have &&
		    sscanf(c->want, "%llu %llu %llu", &w[0], &w[1], &w[2]) == 3 &&
		    sscanf(c->have, "%llu %llu %llu", &h[0], &h[1], &h[2]) == 3 && w[2] < h[2])
			nt_msgs_add(&plan->msgs, false,
				    "%s: warning: %s max %llu is below the current %llu: "
				    "TCP autotuning gets less room than the kernel default",
				    c->where ?: "profile", c->key, w[2], h[2]);
		if (id == NT_KNOB_CORE_RMEM_DEFAULT || id == NT_KNOB_CORE_WMEM_DEFAULT) {
			const char *maxkey = id == NT_KNOB_CORE_RMEM_DEFAULT ? "net.core.rmem_max"
									     : "net.core.wmem_max";
			_cleanup_free_ char *path = NULL, *cur = NULL;
			bool in_plan = false;
			uint64_t a, m;

			for (size_t j = 0; j < plan->n; j++)
				if (streq(plan->c[j].key, maxkey))
					in_plan = true;
			if (in_plan || nt_sysctl_path(maxkey, &path) < 0 ||
			    nt_read_line(root, path, &cur) < 0)
				continue;
			if (nt_parse_u64(c->want, &a) >= 0 && nt_parse_u64(cur, &m) >= 0 && a > m)
				nt_msgs_add(&plan->msgs, false,
					    "%s: warning: %s %" PRIu64
					    " is above the current %s %" PRIu64,
					    c->where ?: "profile", c->key, a, maxkey, m);
		}
	}
}
