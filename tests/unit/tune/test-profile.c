// SPDX-License-Identifier: GPL-2.0-or-later
#define _GNU_SOURCE
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fs.h"
#include "nt-test.h"
#include "profile.h"

static const char *const no_dirs[] = {NULL};

static char *join_msgs(const struct nt_msgs *d)
{
	size_t len = 1;
	char *s;

	for (size_t i = 0; i < d->n; i++)
		len += strlen(d->msg[i]) + 1;
	s = calloc(1, len);
	assert_non_null(s);
	for (size_t i = 0; i < d->n; i++) {
		strcat(s, d->msg[i]);
		strcat(s, "\n");
	}
	return s;
}

static const struct nt_setting *find(const struct nt_setting *v, size_t n, const char *name)
{
	const struct nt_setting *hit = NULL;

	for (size_t i = 0; i < n; i++)
		if (streq(v[i].name, name))
			hit = &v[i]; /* the last one wins */
	return hit;
}

static void test_valid_full(void **state)
{
	_cleanup_free_ char *path = nt_test_data("profiles/valid/full.yaml");
	struct nt_profile *p = NULL;
	struct nt_msgs d = {};
	const struct nt_setting *s;
	const struct nt_devblock *b;
	int r;

	(void)state;
	r = nt_profile_load(path, no_dirs, &p, &d);
	if (r < 0) {
		char *m = join_msgs(&d);

		fail_msg("full.yaml rejected: %s", m);
	}
	assert_string_equal(p->name, "full");
	assert_int_equal(p->irqbalance, NT_IRQBALANCE_BAN);
	/* include: base comes first, full.yaml's value overrides it */
	s = find(p->sysctls, p->n_sysctls, "net.core.netdev_budget");
	assert_string_equal(s->value, "600");
	s = find(p->sysctls, p->n_sysctls, "net.core.somaxconn");
	assert_string_equal(s->value, "1024");
	assert_string_equal(find(p->sysctls, p->n_sysctls, "net.core.netdev_budget_usecs")->value,
			    "8000");
	assert_string_equal(find(p->sysctls, p->n_sysctls, "net.ipv4.tcp_rmem")->value,
			    "4096\t131072\t16777216");
	assert_string_equal(find(p->sysctls, p->n_sysctls, "net.ipv4.tcp_wmem")->value,
			    "4096\t16384\t16777216");
	s = find(p->sysctls, p->n_sysctls, "net.ipv4.tcp_fastopen");
	assert_ptr_equal(s->knob, &nt_knobs[NT_KNOB_SYSCTL_ANY]);
	assert_string_equal(s->value, "3");
	assert_non_null(strstr(s->where, "full.yaml:13:3"));
	assert_int_equal(p->n_blocks, 4); /* base's block + three */
	b = &p->blocks[1];
	assert_int_equal(b->match.n_names, 3);
	assert_true(nt_devmatch_test(&b->match, "veth0", "veth", false));
	assert_false(nt_devmatch_test(&b->match, "veth9", "veth", false));
	assert_true(nt_devmatch_test(&b->match, "eth1", "e1000e", true));
	assert_false(nt_devmatch_test(&b->match, "eth10", "e1000e", true));
	assert_string_equal(find(b->settings, b->n_settings, "channels.combined")->value, "max");
	assert_string_equal(find(b->settings, b->n_settings, "gro_flush_timeout")->value, "200000");
	assert_string_equal(find(b->settings, b->n_settings, "napi.irq-suspend-timeout")->value,
			    "20000000");
	s = find(b->settings, b->n_settings, "xps_cpus");
	assert_true(s->cpus.spread);
	s = find(b->settings, b->n_settings, "smp_affinity");
	assert_true(s->cpus.spread);
	assert_string_equal(s->cpus.text, "0,1");
	b = &p->blocks[2];
	assert_true(nt_devmatch_test(&b->match, "x", "napiref", true));
	assert_false(nt_devmatch_test(&b->match, "x", "napiref", false));
	assert_false(nt_devmatch_test(&b->match, "x", "e1000e", true));
	b = &p->blocks[3];
	assert_false(nt_devmatch_test(&b->match, "lo", NULL, false));
	assert_true(nt_devmatch_test(&b->match, "enp1s0", "igc", true));
	nt_profile_free(p);
	nt_msgs_done(&d);
}

/* Every file in invalid/ is rejected with the message its first line names. */
static void test_invalid(void **state)
{
	_cleanup_free_ char *dir = nt_test_data("profiles/invalid");
	struct dirent **ents = NULL;
	unsigned int checked = 0;
	int n;

	(void)state;
	n = scandir(dir, &ents, NULL, alphasort);
	assert_true(n > 0);
	for (int i = 0; i < n; i++) {
		_cleanup_free_ char *path = NULL, *buf = NULL, *all = NULL;
		struct nt_profile *p = NULL;
		struct nt_msgs d = {};
		const char *const dirs[] = {dir, NULL};
		char want[512];
		FILE *f;
		int r;

		if (ents[i]->d_name[0] == '.') {
			free(ents[i]);
			continue;
		}
		assert_true(asprintf(&path, "%s/%s", dir, ents[i]->d_name) > 0);
		f = fopen(path, "re");
		assert_non_null(f);
		if (!fgets(want, sizeof(want), f) || strncmp(want, "# expect: ", 10) != 0)
			fail_msg("%s: first line must be '# expect: MESSAGE'", path);
		fclose(f);
		want[strcspn(want, "\n")] = '\0';
		r = nt_profile_load(path, dirs, &p, &d);
		all = join_msgs(&d);
		if (r >= 0 || p)
			fail_msg("%s was accepted", ents[i]->d_name);
		if (!strstr(all, want + 10))
			fail_msg("%s: want '%s', got:\n%s", ents[i]->d_name, want + 10, all);
		nt_msgs_done(&d);
		checked++;
		free(ents[i]);
	}
	free(ents);
	assert_true(checked >= 25);
}

static void test_big_file(void **state)
{
	size_t len = NT_PROFILE_SIZE_MAX + 10;
	char *buf = malloc(len);
	struct nt_profile *p = NULL;
	struct nt_msgs d = {};

	(void)state;
	memset(buf, '#', len);
	assert_int_equal(nt_profile_load_buffer("big.yaml", buf, len, no_dirs, &p, &d), -EFBIG);
	assert_null(p);
	assert_non_null(strstr(d.msg[0], "larger than"));
	nt_msgs_done(&d);
	free(buf);
}

static void test_lints(void **state)
{
	static const char yaml[] = "sysctl:\n"
				   "  net.core.rmem_default: 32MiB\n"
				   "  net.core.rmem_max: 16MiB\n"
				   "  net.core.busy_poll: 200\n"
				   "devices:\n"
				   "  - match: all\n"
				   "    napi: { napi.irq-suspend-timeout: 20ms }\n";
	struct nt_profile *p = NULL;
	struct nt_msgs d = {};
	_cleanup_free_ char *all = NULL;

	(void)state;
	assert_int_equal(nt_profile_load_buffer("lint.yaml", yaml, strlen(yaml), no_dirs, &p, &d),
			 0);
	all = join_msgs(&d);
	assert_int_equal(d.n_errors, 0);
	assert_non_null(strstr(all, "lint.yaml:2:3: warning: net.core.rmem_default (33554432) is "
				    "above net.core.rmem_max (16777216)"));
	assert_non_null(strstr(all, "lint.yaml:4:3: warning: global net.core.busy_poll of 200 us"));
	assert_non_null(strstr(all, "lint.yaml:7:13: warning: napi.irq-suspend-timeout has no "
				    "visible effect"));
	nt_profile_free(p);
	nt_msgs_done(&d);
}

static void test_all_errors_reported(void **state)
{
	static const char yaml[] = "sysctl:\n"
				   "  net.core.netdev_budget: lots\n"
				   "  vm.swappiness: 10\n"
				   "devices:\n"
				   "  - match: all\n"
				   "    queues: { rps_cpus: 0-3, rps_flow_cnt: 100 }\n"
				   "bogus: 1\n";
	struct nt_profile *p = NULL;
	struct nt_msgs d = {};

	(void)state;
	assert_int_equal(nt_profile_load_buffer("many.yaml", yaml, strlen(yaml), no_dirs, &p, &d),
			 -EINVAL);
	assert_int_equal(d.n_errors, 4);
	nt_msgs_done(&d);
}

/* Issue #16: the fuzzer's profile; a fraction without a unit is in the knob's unit. */
static void test_fraction_without_unit(void **state)
{
	static const char yaml[] = "devices:\n"
				   "  - match: all\n"
				   "    device: { gro_flush_timeout: 0000000.0 }\n";
	static const char bad[] = "devices:\n"
				  "  - match: all\n"
				  "    device: { gro_flush_timeout: 0.5 }\n";
	struct nt_profile *p = NULL;
	struct nt_msgs d = {};

	(void)state;
	assert_int_equal(nt_profile_load_buffer("f.yaml", yaml, strlen(yaml), no_dirs, &p, &d), 0);
	assert_int_equal(p->n_blocks, 1);
	assert_int_equal(p->blocks[0].n_settings, 1);
	assert_string_equal(p->blocks[0].settings[0].value, "0");
	nt_profile_free(p);
	nt_msgs_done(&d);
	p = NULL;
	d = (struct nt_msgs){};
	assert_int_equal(nt_profile_load_buffer("f.yaml", bad, strlen(bad), no_dirs, &p, &d),
			 -EINVAL);
	assert_null(p);
	assert_int_equal(d.n_errors, 1);
	assert_non_null(strstr(d.msg[0], "'0.5'"));
	nt_msgs_done(&d);
}

/* rss.indir as { equal: N } or { weights: [...] }; the key and hash fields in kernel text. */
static void test_rss(void **state)
{
	static const char yaml[] = "devices:\n"
				   "  - match: eth0\n"
				   "    device:\n"
				   "      rss.indir: { weights: [3, 1, 0, 0] }\n"
				   "      rss.hkey: 6D5A:56da\n"
				   "      rss.hash.udp4: ds\n"
				   "  - match: eth1\n"
				   "    device: { rss.indir: { equal: 2 } }\n"
				   "  - match: eth2\n"
				   "    device: { rss.indir: { cpus: \"numa-local,!0\" } }\n";
	static const char bad[] = "devices:\n"
				  "  - match: all\n"
				  "    device: { rss.indir: { equal: [1, 2] } }\n";
	struct nt_profile *p = NULL;
	struct nt_msgs d = {};

	(void)state;
	assert_int_equal(nt_profile_load_buffer("r.yaml", yaml, strlen(yaml), no_dirs, &p, &d), 0);
	assert_int_equal(p->n_blocks, 3);
	assert_int_equal(p->blocks[0].n_settings, 3);
	assert_string_equal(p->blocks[0].settings[0].value, "weights 3 1 0 0");
	assert_string_equal(p->blocks[0].settings[1].value, "6d:5a:56:da");
	assert_string_equal(p->blocks[0].settings[2].value, "sd");
	assert_string_equal(p->blocks[1].settings[0].value, "equal 2");
	/* A CPU set: kept as written, parsed; the plan resolves it to the queues. */
	assert_string_equal(p->blocks[2].settings[0].value, "cpus numa-local,!0");
	assert_int_equal(p->blocks[2].settings[0].cpus.n, 2);
	nt_profile_free(p);
	nt_msgs_done(&d);
	p = NULL;
	d = (struct nt_msgs){};
	assert_int_equal(nt_profile_load_buffer("r.yaml", bad, strlen(bad), no_dirs, &p, &d),
			 -EINVAL);
	assert_non_null(strstr(d.msg[0], "'equal' takes one queue count"));
	nt_msgs_done(&d);
}

static void test_cpuspec(void **state)
{
	struct nt_cpus cpus = {};
	struct nt_cpuset numa, out, irq;
	struct nt_cpuspec s;
	struct nt_err e = {};
	char *txt = NULL;

	(void)state;
	assert_int_equal(nt_cpuset_parse_list("0-7", &cpus.possible, NULL), 0);
	assert_int_equal(nt_cpuset_parse_list("0-5,7", &cpus.online, NULL), 0);
	cpus.nr_cpu_ids = 8;
	assert_int_equal(nt_cpuset_parse_list("4-7", &numa, NULL), 0);
	assert_int_equal(nt_cpuset_parse_list("2", &irq, NULL), 0);

	assert_int_equal(nt_cpuspec_parse("numa-local,!5", false, &s, &e), 0);
	assert_int_equal(nt_cpuspec_eval(&s, &cpus, &numa, NULL, &out, &e), 0);
	assert_int_equal(nt_cpuset_format_list(&out, &txt), 0);
	assert_string_equal(txt, "4,7"); /* 6 is offline, 5 excluded */
	free(txt);
	nt_cpuspec_done(&s);

	assert_int_equal(nt_cpuspec_parse("!0-1", false, &s, &e), 0);
	assert_int_equal(nt_cpuspec_eval(&s, &cpus, NULL, NULL, &out, &e), 0);
	assert_int_equal(nt_cpuset_format_list(&out, &txt), 0);
	assert_string_equal(txt, "2-5,7");
	free(txt);
	nt_cpuspec_done(&s);

	assert_int_equal(nt_cpuspec_parse("irq", false, &s, &e), 0);
	assert_int_equal(nt_cpuspec_eval(&s, &cpus, NULL, &irq, &out, &e), 0);
	assert_int_equal(nt_cpuset_nth(&out, 0), 2);
	assert_int_equal(nt_cpuspec_eval(&s, &cpus, NULL, NULL, &out, &e), -EINVAL);
	nt_cpuspec_done(&s);

	assert_int_equal(nt_cpuspec_parse("none", false, &s, &e), 0);
	assert_int_equal(nt_cpuspec_eval(&s, &cpus, NULL, NULL, &out, &e), 0);
	assert_true(nt_cpuset_is_empty(&out));
	nt_cpuspec_done(&s);

	/* CPUs beyond the machine are errors, not silently dropped. */
	assert_int_equal(nt_cpuspec_parse("0-9", false, &s, &e), 0);
	assert_int_equal(nt_cpuspec_eval(&s, &cpus, NULL, NULL, &out, &e), -EINVAL);
	assert_non_null(strstr(e.msg, "does not exist"));
	nt_cpuspec_done(&s);

	assert_int_equal(nt_cpuset_parse_list("1,3,5", &out, NULL), 0);
	assert_int_equal(nt_cpuset_nth(&out, 0), 1);
	assert_int_equal(nt_cpuset_nth(&out, 2), 5);
	assert_int_equal(nt_cpuset_nth(&out, 3), 1);
	assert_int_equal(nt_cpuspec_parse("", false, &s, &e), -EINVAL);
	assert_int_equal(nt_cpuspec_parse("1,,2", false, &s, &e), -EINVAL);
	assert_int_equal(nt_cpuspec_parse("!none", false, &s, &e), -EINVAL);
}

static void test_find(void **state)
{
	_cleanup_free_ char *dir = nt_test_data("profiles/valid"), *path = NULL;
	const char *const dirs[] = {"/nonexistent", dir, NULL};
	struct nt_err e = {};

	(void)state;
	assert_int_equal(nt_profile_find("full", dirs, &path, &e), 0);
	assert_non_null(strstr(path, "valid/full.yaml"));
	free(path);
	path = NULL;
	assert_int_equal(nt_profile_find("full.yaml", dirs, &path, &e), 0);
	free(path);
	path = NULL;
	assert_int_equal(nt_profile_find("nope", dirs, &path, &e), -ENOENT);
	assert_non_null(strstr(e.msg, "no profile 'nope' (searched /nonexistent, "));
	assert_int_equal(nt_profile_find("./nope.yaml", dirs, &path, &e), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_full),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_big_file),
		cmocka_unit_test(test_lints),
		cmocka_unit_test(test_all_errors_reported),
		cmocka_unit_test(test_fraction_without_unit),
		cmocka_unit_test(test_rss),
		cmocka_unit_test(test_cpuspec),
		cmocka_unit_test(test_find),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
