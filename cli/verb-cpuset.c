// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * napictl cpuset: the machine's CPUs, and conversion of CPU sets between the
 * kernel's cpulist and hex-mask forms, checked against this machine.
 */
#include <getopt.h>
#include <stdio.h>

#include "cpuset.h"
#include "json.h"
#include "log.h"
#include "napictl.h"

static int show_machine(struct napictl *ctl, const struct nt_cpus *cpus)
{
	_cleanup_free_ char *possible = NULL, *online = NULL;
	struct nt_json j;
	int r;

	r = nt_cpuset_format_list(&cpus->possible, &possible);
	if (r >= 0)
		r = nt_cpuset_format_list(&cpus->online, &online);
	if (r < 0)
		return log_error_errno(r, "cannot format CPU list: %m");
	if (!ctl->json) {
		printf("possible CPUs: %s\nonline CPUs:   %s\nmask width:    %u CPUs\n", possible,
		       online, cpus->nr_cpu_ids);
		return 0;
	}
	nt_json_init(&j, stdout, ctl->pretty);
	nt_json_begin_object(&j);
	nt_json_kv_string(&j, "possible", possible);
	nt_json_kv_string(&j, "online", online);
	nt_json_kv_u64(&j, "nr_cpu_ids", cpus->nr_cpu_ids);
	nt_json_end_object(&j);
	nt_json_finish(&j);
	return 0;
}

static int verb_cpuset_run(struct napictl *ctl, int argc, char **argv)
{
	static const struct option options[] = {{"mask", no_argument, NULL, 'm'}, {}};
	struct nt_cpuset *sets = NULL;
	bool from_mask = false;
	struct nt_cpus cpus;
	struct nt_json j;
	int c, r, n;

	while ((c = getopt_long(argc, argv, "m", options, NULL)) >= 0) {
		if (c != 'm')
			return napictl_usage_error(ctl, "usage: napictl cpuset [--mask] [SPEC...]");
		from_mask = true;
	}
	r = nt_cpus_read(ctl->root, &cpus);
	if (r < 0)
		return log_error_errno(r, "cannot read this machine's CPUs from %s/sys: %m",
				       ctl->root_dir);
	n = argc - optind;
	if (n == 0)
		return show_machine(ctl, &cpus);

	sets = calloc((size_t)n, sizeof(*sets));
	if (!sets)
		return log_error_errno(-ENOMEM, "out of memory");
	/* Check every argument before printing anything. */
	for (int i = 0; i < n; i++) {
		const char *spec = argv[optind + i];
		struct nt_err e = {};

		r = from_mask ? nt_cpuset_parse_mask(spec, &sets[i], &e)
			      : nt_cpuset_parse_list(spec, &sets[i], &e);
		if (r >= 0)
			r = nt_cpuset_check(&sets[i], &cpus, &e);
		if (r < 0) {
			free(sets);
			return log_error_errno(r, "'%s': %s", spec, nt_err_msg(&e, r));
		}
	}
	if (ctl->json) {
		nt_json_init(&j, stdout, ctl->pretty);
		nt_json_begin_array(&j);
	}
	for (int i = 0; i < n; i++) {
		_cleanup_free_ char *list = NULL, *mask = NULL;

		r = nt_cpuset_format_list(&sets[i], &list);
		if (r >= 0)
			r = nt_cpuset_format_mask(&sets[i], cpus.nr_cpu_ids, &mask);
		if (r < 0) {
			free(sets);
			return log_error_errno(r, "cannot format CPU set: %m");
		}
		if (ctl->json) {
			nt_json_begin_object(&j);
			nt_json_kv_string(&j, "input", argv[optind + i]);
			nt_json_kv_string(&j, "list", list);
			nt_json_kv_string(&j, "mask", mask);
			nt_json_kv_u64(&j, "count", nt_cpuset_count(&sets[i]));
			nt_json_end_object(&j);
		} else {
			printf("list %s\tmask %s\tcount %u\n", list[0] ? list : "(none)", mask,
			       nt_cpuset_count(&sets[i]));
		}
	}
	if (ctl->json) {
		nt_json_end_array(&j);
		nt_json_finish(&j);
	}
	free(sets);
	return 0;
}

const struct verb verb_cpuset = {
	.name = "cpuset",
	.args = "[--mask] [SPEC...]",
	.summary = "show this machine's CPUs, or convert CPU sets between list and mask form",
	.help = "Without SPEC, shows the possible and online CPUs. Each SPEC is a cpulist\n"
		"(\"0-3,8\") or, with --mask, a kernel hex mask (\"ff,ffffffff\"); each is\n"
		"checked against this machine and printed in both forms, the mask exactly\n"
		"as the kernel prints smp_affinity and rps_cpus.\n",
	.run = verb_cpuset_run,
};
