// SPDX-License-Identifier: GPL-2.0-or-later
/* Invariants of the knob table (knobs.def), in the spirit of systemd's check-directives. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/ethtool.h>

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
		case NT_FAM_RSS:
			assert_int_equal(k->scope, NT_SCOPE_DEV);
			/* The table and key by their RSS_GET attribute, hash fields by flow type.
			 */
			if (k->type == NT_T_RXHASH)
				assert_true(k->attr == TCP_V4_FLOW || k->attr == UDP_V4_FLOW ||
					    k->attr == TCP_V6_FLOW || k->attr == UDP_V6_FLOW);
			else
				assert_true(k->type == NT_T_RSS_INDIR || k->type == NT_T_HEXKEY);
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
		    k->type == NT_T_TRIPLE || k->type == NT_T_RSS_INDIR || k->type == NT_T_HEXKEY ||
		    k->type == NT_T_RXHASH)
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
		cmocka_unit_test(test_lookup_and_suggest),
		cmocka_unit_test(test_value_equal),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
