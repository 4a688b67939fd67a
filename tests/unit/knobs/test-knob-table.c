// SPDX-License-Identifier: GPL-2.0-or-later
/* Invariants of the knob table (knobs.def), in the spirit of systemd's check-directives. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "knob-fam.h"
#include "knob.h"
#include "nt-test.h"

static void test_keys_unique_and_described(void **state)
{
	(void)state;
	for (size_t i = 0; i < _NT_KNOB_MAX; i++) {
		const struct nt_knob *k = &nt_knobs[i];

		assert_non_null(k->key);
		if (!k->help || strlen(k->help) < 8)
			fail_msg("knob '%s' has no help", k->key);
		for (size_t j = i + 1; j < _NT_KNOB_MAX; j++)
			if (streq(k->key, nt_knobs[j].key))
				fail_msg("duplicate key '%s'", k->key);
		assert_non_null(nt_fam_to_string(k->fam));
		assert_non_null(nt_scope_to_string(k->scope));
		assert_non_null(nt_type_to_string(k->type));
		if (k->max && k->min > k->max)
			fail_msg("'%s': min > max", k->key);
		/* Lookup by key finds this very row (the generic sysctl row excepted). */
		if (i != NT_KNOB_SYSCTL_ANY)
			assert_ptr_equal(nt_knob_lookup(k->key), k);
	}
}

static void test_family_scope_consistent(void **state)
{
	(void)state;
	for (size_t i = 0; i < _NT_KNOB_MAX; i++) {
		const struct nt_knob *k = &nt_knobs[i];

		switch (k->fam) {
		case NT_FAM_SYSCTL:
			assert_int_equal(k->scope, NT_SCOPE_GLOBAL);
			if (i != NT_KNOB_SYSCTL_ANY) {
				char *p = NULL;

				/* Only net.* and the path follows from the name. */
				assert_true(nt_sysctl_name_valid(k->key));
				assert_int_equal(nt_sysctl_path(k->key, &p), 0);
				assert_string_equal(p, k->path);
				free(p);
			}
			break;
		case NT_FAM_DEVSYSFS:
			assert_int_equal(k->scope, NT_SCOPE_DEV);
			assert_non_null(strstr(k->path, "sys/class/net/%s/"));
			break;
		case NT_FAM_QUEUE:
			assert_int_equal(k->scope, NT_SCOPE_QUEUE);
			assert_non_null(strstr(k->path, "/queues/"));
			break;
		case NT_FAM_IRQ:
			assert_int_equal(k->scope, NT_SCOPE_IRQ);
			assert_non_null(k->path);
			break;
		case NT_FAM_RINGS:
		case NT_FAM_CHANNELS:
		case NT_FAM_COALESCE:
			assert_int_equal(k->scope, NT_SCOPE_DEV);
			if (k->attr <= 1)
				fail_msg("'%s' has no ethtool attribute", k->key);
			break;
		case NT_FAM_NAPI:
			assert_int_equal(k->scope, NT_SCOPE_NAPI);
			assert_true(k->attr >= 5 && k->attr <= 8);
			assert_true(k->kmin >= NT_KVER(6, 13));
			break;
		case NT_FAM_FEATURES:
			assert_int_equal(k->scope, NT_SCOPE_DEV);
			break;
		case NT_FAM_KTHREAD:
			assert_int_equal(k->scope, NT_SCOPE_NAPI);
			break;
		default:
			fail_msg("'%s' has no family", k->key);
		}
		if (k->max_from_dev)
			assert_true(k->fam == NT_FAM_RINGS || k->fam == NT_FAM_CHANNELS);
	}
	/* Every family has its read / apply / caps ops. */
	for (int f = 0; f < _NT_FAM_MAX; f++) {
		const struct nt_fam_ops *ops = nt_fam_get((enum nt_fam)f);

		assert_non_null(ops);
		assert_non_null(ops->read);
		assert_non_null(ops->apply);
		assert_non_null(ops->caps);
	}
}

/* Every scalar knob: its min and max parse and print back; max + 1 is rejected. */
static void test_parse_roundtrip(void **state)
{
	(void)state;
	for (size_t i = 0; i < _NT_KNOB_MAX; i++) {
		const struct nt_knob *k = &nt_knobs[i];
		char buf[64], *out = NULL, *again = NULL;
		struct nt_err e = {};
		uint64_t max;

		if (k->type == NT_T_CPUMASK || k->type == NT_T_CPULIST || k->type == NT_T_RAW ||
		    k->type == NT_T_TRIPLE)
			continue;
		max = k->type == NT_T_BOOL ? 1 : k->max;
		if (!max)
			fail_msg("scalar knob '%s' has no max", k->key);
		snprintf(buf, sizeof(buf), "%llu", (unsigned long long)max);
		if (k->pow2)
			assert_true((max & (max - 1)) == 0);
		if (nt_knob_parse(k, buf, &out, &e) < 0)
			fail_msg("'%s': max %s rejected: %s", k->key, buf, e.msg);
		assert_true(nt_knob_value_equal(k, out, buf));
		assert_int_equal(nt_knob_parse(k, out, &again, &e), 0);
		assert_string_equal(out, again);
		free(out);
		free(again);
		if (k->type != NT_T_BOOL && max < UINT64_MAX) {
			snprintf(buf, sizeof(buf), "%llu", (unsigned long long)max + 1);
			assert_int_equal(nt_knob_parse(k, buf, &out, &e), -ERANGE);
			assert_non_null(strstr(e.msg, "out of range"));
		}
	}
}

struct unit_case {
	const char *key, *in, *out;
	int r;
};

static const struct unit_case unit_cases[] = {
	{"net.core.busy_poll", "50us", "50", 0},
	{"net.core.busy_poll", "1ms", "1000", 0},
	{"net.core.busy_poll", "50", "50", 0},
	{"net.core.busy_poll", "1500ns", NULL, -EINVAL},
	{"net.core.busy_poll", "50 parsecs", NULL, -EINVAL},
	{"net.core.busy_poll", "-1", NULL, -EINVAL},
	{"gro_flush_timeout", "200us", "200000", 0},
	{"gro_flush_timeout", "1.5ms", "1500000", 0},
	{"gro_flush_timeout", "5s", NULL, -ERANGE},
	{"napi.irq-suspend-timeout", "20ms", "20000000", 0},
	{"net.core.rmem_max", "16MiB", "16777216", 0},
	{"net.core.rmem_max", "4k", "4096", 0},
	{"net.core.rmem_max", "2GiB", NULL, -ERANGE},
	{"net.core.rmem_max", "99999999999999999999999", NULL, -ERANGE},
	{"net.ipv4.tcp_rmem", "4096 131072 16MiB", "4096\t131072\t16777216", 0},
	{"net.ipv4.tcp_rmem", "4096 131072", NULL, -EINVAL},
	{"net.ipv4.tcp_rmem", "8192 4096 16MiB", NULL, -EINVAL},
	{"threaded", "on", "1", 0},
	{"threaded", "off", "0", 0},
	{"threaded", "2", NULL, -EINVAL},
	{"rps_flow_cnt", "4096", "4096", 0},
	{"rps_flow_cnt", "100", NULL, -EINVAL},
	{"rings.rx", "max", "max", 0},
	{"rings.rx", "0", NULL, -ERANGE},
	{"coalesce.rx-usecs", "8us", "8", 0},
	{"napi.defer-hard-irqs", "2147483648", NULL, -ERANGE},
	{"net.ipv4.tcp_tw_reuse", "2", "2", 0},
};

static void test_units(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(unit_cases); i++) {
		const struct unit_case *c = &unit_cases[i];
		const struct nt_knob *k = nt_knob_lookup(c->key);
		struct nt_err e = {};
		char *out = NULL;
		int r;

		assert_non_null(k);
		r = nt_knob_parse(k, c->in, &out, &e);
		if (r != c->r)
			fail_msg("%s '%s': got %d (%s), want %d", c->key, c->in, r, e.msg, c->r);
		if (c->out)
			assert_string_equal(out, c->out);
		else
			assert_true(e.msg[0] != '\0');
		free(out);
	}
}

static void test_lookup_and_suggest(void **state)
{
	(void)state;
	assert_ptr_equal(nt_knob_lookup("rps_cpus"), &nt_knobs[NT_KNOB_QUEUE_RPS_CPUS]);
	assert_null(nt_knob_lookup("rps_cpu"));
	assert_string_equal(nt_knob_suggest("rps_cpu", NT_SCOPE_QUEUE), "rps_cpus");
	assert_string_equal(nt_knob_suggest("rings.rxx", -1), "rings.rx");
	assert_string_equal(nt_knob_suggest("net.core.netdev_budgit", -1),
			    "net.core.netdev_budget");
	assert_null(nt_knob_suggest("completely-unrelated", -1));
	/* Generic sysctls: net.* only, well-formed names only. */
	assert_ptr_equal(nt_knob_lookup("net.ipv4.tcp_fastopen"), &nt_knobs[NT_KNOB_SYSCTL_ANY]);
	assert_null(nt_knob_lookup("kernel.sched_rt_runtime_us"));
	assert_null(nt_knob_lookup("net.core/../../kernel/x"));
	assert_null(nt_knob_lookup("net..core"));
	assert_null(nt_knob_lookup("net."));
	assert_null(nt_knob_lookup("vm.swappiness"));
}

static void test_value_equal(void **state)
{
	(void)state;
	assert_true(nt_knob_value_equal(&nt_knobs[NT_KNOB_QUEUE_RPS_CPUS], "3", "00000003"));
	assert_false(nt_knob_value_equal(&nt_knobs[NT_KNOB_QUEUE_RPS_CPUS], "3", "1"));
	assert_true(nt_knob_value_equal(&nt_knobs[NT_KNOB_IRQ_AFFINITY], "0-1", "0,1"));
	assert_true(nt_knob_value_equal(&nt_knobs[NT_KNOB_IPV4_TCP_RMEM], "4096\t131072\t6291456",
					"4096 131072  6291456\n"));
	assert_true(nt_knob_value_equal(&nt_knobs[NT_KNOB_CORE_BUSY_POLL], "050", "50"));
	assert_false(nt_knob_value_equal(&nt_knobs[NT_KNOB_CORE_BUSY_POLL], "0", "50"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys_unique_and_described),
		cmocka_unit_test(test_family_scope_consistent),
		cmocka_unit_test(test_parse_roundtrip),
		cmocka_unit_test(test_units),
		cmocka_unit_test(test_lookup_and_suggest),
		cmocka_unit_test(test_value_equal),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
