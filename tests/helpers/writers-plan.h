/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * For the tests of lib/tune/writers*.c: a profile planned on a fixture tree, with its other
 * writers looked for (nt_session_writers), as napictl plan does.
 */
#ifndef NT_WRITERS_PLAN_H
#define NT_WRITERS_PLAN_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fs.h"
#include "nt-test.h"
#include "session.h"

struct wplan {
	struct nt_root *root;
	struct nt_session *s;
	struct nt_plan plan;
};

/* The device of the fixtures: eth0 with two queues and IRQs 50, 51 on 4 CPUs. */
static inline void wplan_device(const char *dir)
{
	static const char *const files[][2] = {
		{"sys/devices/system/cpu/possible", "0-3\n"},
		{"sys/devices/system/cpu/online", "0-3\n"},
		{"proc/sys/kernel/osrelease", "6.12.0-test\n"},
		{"proc/sys/net/core/netdev_budget", "300\n"},
		{"proc/sys/net/core/netdev_max_backlog", "1000\n"},
		{"sys/class/net/eth0/ifindex", "2\n"},
		{"sys/class/net/eth0/type", "1\n"},
		{"sys/class/net/eth0/address", "52:54:00:12:34:56\n"},
		{"sys/class/net/eth0/device/msi_irqs/50", "msix\n"},
		{"sys/class/net/eth0/device/msi_irqs/51", "msix\n"},
		{"sys/class/net/eth0/queues/rx-0/rps_cpus", "0\n"},
		{"sys/class/net/eth0/queues/rx-1/rps_cpus", "0\n"},
		{"proc/irq/50/smp_affinity_list", "0-3\n"},
		{"proc/irq/51/smp_affinity_list", "0-3\n"},
	};

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		nt_test_write(dir, files[i][0], files[i][1]);
}

/* Plans @yaml (a profile's text) on @dir and looks for the other writers. */
static inline void wplan_open(struct wplan *w, const char *dir, const char *yaml)
{
	struct nt_msgs msgs = {};
	char *path, *text;

	assert_true(asprintf(&text, "name: t\n%s", yaml) > 0);
	nt_test_write(dir, "profile.yaml", text);
	free(text);
	assert_true(asprintf(&path, "%s/profile.yaml", dir) > 0);
	assert_int_equal(nt_root_open(dir, &w->root), 0);
	assert_int_equal(nt_session_open(w->root, NULL, &w->s, NULL), 0);
	assert_int_equal(nt_session_load(w->s, path, &msgs, NULL), 0);
	nt_msgs_done(&msgs);
	free(path);
	assert_int_equal(nt_session_plan(w->s, &w->plan, NULL), 0);
	assert_int_equal(nt_session_writers(w->s, &w->plan, NULL), 0);
	assert_true(w->plan.writers_scanned);
}

static inline void wplan_close(struct wplan *w)
{
	nt_plan_done(&w->plan);
	nt_session_free(w->s);
	nt_root_free(w->root);
}

/* The record of @kind for @key on @object from @source:@line, or NULL. */
static inline const struct nt_writer *wplan_find(const struct wplan *w, enum nt_writer_kind kind,
						 const char *key, const char *object,
						 const char *source, unsigned int line)
{
	for (size_t i = 0; i < w->plan.writers.n; i++) {
		const struct nt_writer *r = &w->plan.writers.w[i];

		if (r->kind == kind && !strcmp(r->key, key) && !strcmp(r->object, object) &&
		    !strcmp(r->source, source) && r->line == line)
			return r;
	}
	return NULL;
}

/* How many records of @kind. */
static inline size_t wplan_count(const struct wplan *w, enum nt_writer_kind kind)
{
	size_t n = 0;

	for (size_t i = 0; i < w->plan.writers.n; i++)
		n += w->plan.writers.w[i].kind == kind;
	return n;
}

#endif
