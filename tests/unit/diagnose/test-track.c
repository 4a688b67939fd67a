// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The finding state machine (lib/diagnose/track.c) on synthetic diagnoses: appear, level
 * change up at once and down only after settling, clear once, nothing while steady,
 * incomplete diagnoses never clear, one finding per rule and subject, the rate limit.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nt-test.h"
#include "rules.h"
#include "track.h"

#define SEC 1000000000ull

struct diag {
	struct nt_diagnosis d;
	struct nt_finding f[8];
};

static void add(struct diag *x, const char *rule, enum nt_level level, const char *dev, int cpu,
		uint64_t lost)
{
	struct nt_finding *f = &x->f[x->d.n++];

	assert_true(x->d.n <= ARRAY_SIZE(x->f));
	*f = (struct nt_finding){.level = level, .cpu = cpu, .lost = lost, .caused_by = -1};
	f->rule = nt_rule_find(rule);
	assert_non_null(f->rule);
	snprintf(f->dev, sizeof(f->dev), "%s", dev ?: "");
	snprintf(f->remedy.knob, sizeof(f->remedy.knob), "%s",
		 streq(rule, "R04") ? "rings.rx" : "");
	snprintf(f->summary, sizeof(f->summary), "%s summary", rule);
	x->d.f = x->f;
}

static struct nt_tracker *tracker(unsigned int settle, unsigned int burst)
{
	struct nt_track_opts o = {.min_level = NT_LEVEL_WARN,
				  .settle = settle,
				  .burst = burst,
				  .window_ns = 60 * SEC};
	struct nt_tracker *t = NULL;

	assert_int_equal(nt_tracker_new(&o, &t), 0);
	return t;
}

/* Feeds @x; returns the number of events, the first in @first (if any). */
static size_t feed(struct nt_tracker *t, struct diag *x, bool complete, uint64_t now,
		   struct nt_track_event *first)
{
	struct nt_track_event *e = NULL;
	size_t n = 99;

	assert_int_equal(nt_tracker_update(t, &x->d, complete, now, &e, &n), 0);
	if (n && first)
		*first = e[0];
	free(e);
	return n;
}

static void test_lifecycle(void **state)
{
	struct nt_tracker *t = tracker(2, 100);
	struct nt_track_event e;
	struct diag crit = {}, warn = {}, none = {}, note = {};
	uint64_t now = SEC;

	(void)state;
	add(&warn, "R04", NT_LEVEL_WARN, "eth0", 1, 100);
	add(&crit, "R04", NT_LEVEL_CRIT, "eth0", 1, 5000);
	add(&note, "R04", NT_LEVEL_NOTE, "eth0", 1, 3);

	assert_int_equal(feed(t, &none, true, now += SEC, NULL), 0);
	/* notes are below min_level: nothing */
	assert_int_equal(feed(t, &note, true, now += SEC, NULL), 0);
	assert_int_equal(nt_tracker_n_active(t), 0);

	assert_int_equal(feed(t, &warn, true, now += SEC, &e), 1);
	assert_int_equal(e.kind, NT_TRACK_APPEAR);
	assert_string_equal(e.rule->id, "R04");
	assert_string_equal(e.dev, "eth0");
	assert_int_equal(e.cpu, 1);
	assert_int_equal(e.level, NT_LEVEL_WARN);
	assert_int_equal(e.old_level, NT_LEVEL_OK);
	assert_int_equal(e.lost, 100);
	assert_string_equal(e.knob, "rings.rx");
	assert_string_equal(nt_track_kind_to_string(e.kind), "appear");

	/* steady: never logged again */
	for (int i = 0; i < 5; i++)
		assert_int_equal(feed(t, &warn, true, now += SEC, NULL), 0);

	/* up at once */
	assert_int_equal(feed(t, &crit, false, now += SEC, &e), 1);
	assert_int_equal(e.kind, NT_TRACK_CHANGE);
	assert_int_equal(e.old_level, NT_LEVEL_WARN);
	assert_int_equal(e.level, NT_LEVEL_CRIT);
	assert_int_equal(e.lost, 5000);

	/* down only after two complete diagnoses in a row */
	assert_int_equal(feed(t, &warn, true, now += SEC, NULL), 0);
	assert_int_equal(feed(t, &crit, true, now += SEC, NULL), 0); /* back up: count resets */
	assert_int_equal(feed(t, &warn, true, now += SEC, NULL), 0);
	assert_int_equal(feed(t, &warn, false, now += SEC, NULL), 0); /* incomplete: no count */
	assert_int_equal(feed(t, &warn, true, now += SEC, &e), 1);
	assert_int_equal(e.kind, NT_TRACK_CHANGE);
	assert_int_equal(e.level, NT_LEVEL_WARN);
	assert_int_equal(e.old_level, NT_LEVEL_CRIT);

	/* gone: incomplete diagnoses never clear it */
	for (int i = 0; i < 5; i++)
		assert_int_equal(feed(t, &none, false, now += SEC, NULL), 0);
	assert_int_equal(nt_tracker_n_active(t), 1);
	assert_int_equal(feed(t, &none, true, now += SEC, NULL), 0);
	/* a note counts as gone */
	assert_int_equal(feed(t, &note, true, now += SEC, &e), 1);
	assert_int_equal(e.kind, NT_TRACK_CLEAR);
	assert_int_equal(e.level, NT_LEVEL_OK);
	assert_int_equal(e.old_level, NT_LEVEL_WARN);
	assert_string_equal(e.dev, "eth0");
	assert_string_equal(nt_track_kind_to_string(e.kind), "clear");
	assert_int_equal(nt_tracker_n_active(t), 0);
	/* cleared once */
	for (int i = 0; i < 5; i++)
		assert_int_equal(feed(t, &none, true, now += SEC, NULL), 0);
	/* and it can appear again */
	assert_int_equal(feed(t, &warn, true, now += SEC, &e), 1);
	assert_int_equal(e.kind, NT_TRACK_APPEAR);
	nt_tracker_free(t);
}

/* One finding per rule and subject: the device, else the CPU. */
static void test_identity(void **state)
{
	struct nt_tracker *t = tracker(1, 100);
	struct diag a = {}, b = {};
	struct nt_track_event e;

	(void)state;
	add(&a, "R04", NT_LEVEL_WARN, "eth0", 1, 10);
	add(&a, "R04", NT_LEVEL_CRIT, "eth0", 2, 10); /* twice in one diagnosis: the higher */
	add(&a, "R02", NT_LEVEL_WARN, NULL, 1, 0);
	add(&a, "R02", NT_LEVEL_WARN, NULL, 2, 0);
	assert_int_equal(feed(t, &a, true, SEC, &e), 3);
	assert_int_equal(e.level, NT_LEVEL_CRIT);
	assert_int_equal(nt_tracker_n_active(t), 3);
	/* R04 on eth0 attributed to another CPU (no /proc/interrupts this time): the same */
	add(&b, "R04", NT_LEVEL_CRIT, "eth0", -1, 10);
	add(&b, "R02", NT_LEVEL_WARN, NULL, 1, 0);
	add(&b, "R02", NT_LEVEL_WARN, NULL, 2, 0);
	assert_int_equal(feed(t, &b, false, 2 * SEC, NULL), 0);
	/* R02 on CPU 2 gone, R02 on CPU 3 new */
	b.d.n = 2;
	add(&b, "R02", NT_LEVEL_WARN, NULL, 3, 0);
	{
		struct nt_track_event *ev = NULL;
		size_t n = 0;

		assert_int_equal(nt_tracker_update(t, &b.d, true, 3 * SEC, &ev, &n), 0);
		assert_int_equal(n, 2);
		assert_int_equal(ev[0].kind, NT_TRACK_CLEAR);
		assert_int_equal(ev[0].cpu, 2);
		assert_int_equal(ev[1].kind, NT_TRACK_APPEAR);
		assert_int_equal(ev[1].cpu, 3);
		free(ev);
	}
	nt_tracker_free(t);
}

/* At most @burst events per window; the next one says how many were dropped. */
static void test_rate_limit(void **state)
{
	static const char *const rules[] = {"R01", "R02", "R03", "R04", "R05"};
	struct nt_tracker *t = tracker(1, 3);
	struct diag all = {}, none = {}, one = {};
	struct nt_track_event e;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(rules); i++)
		add(&all, rules[i], NT_LEVEL_WARN, "eth0", -1, 0);
	add(&one, "R06", NT_LEVEL_WARN, "eth1", -1, 0);
	assert_int_equal(feed(t, &all, true, SEC, NULL), 3);
	assert_int_equal(nt_tracker_suppressed(t), 2);
	assert_int_equal(nt_tracker_n_active(t), 5); /* tracked even when not logged */
	/* the window is full: the clears are counted too */
	assert_int_equal(feed(t, &none, true, 2 * SEC, NULL), 0);
	assert_int_equal(nt_tracker_suppressed(t), 7);
	/* a new window: the next event carries the count */
	assert_int_equal(feed(t, &one, true, 62 * SEC, &e), 1);
	assert_int_equal(e.suppressed, 7);
	assert_int_equal(nt_tracker_suppressed(t), 0);
	nt_tracker_free(t);
}

static void test_bad_opts(void **state)
{
	struct nt_track_opts o = {
		.min_level = NT_LEVEL_WARN, .settle = 0, .burst = 1, .window_ns = SEC};
	struct nt_tracker *t = NULL;

	(void)state;
	assert_int_equal(nt_tracker_new(&o, &t), -EINVAL);
	o.settle = 1;
	o.min_level = NT_LEVEL_OK;
	assert_int_equal(nt_tracker_new(&o, &t), -EINVAL);
	o.min_level = NT_LEVEL_NOTE;
	assert_int_equal(nt_tracker_new(&o, &t), 0);
	nt_tracker_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lifecycle),
		cmocka_unit_test(test_identity),
		cmocka_unit_test(test_rate_limit),
		cmocka_unit_test(test_bad_opts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
