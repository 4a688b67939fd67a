// SPDX-License-Identifier: GPL-2.0-or-later
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "daemon-config.h"
#include "knob.h"
#include "parse-util.h"
#include "yaml-util.h"

static const char *const nt_on_stop_table[_NT_ON_STOP_MAX + 1] = {
	[NT_ON_STOP_REVERT] = "revert",
	[NT_ON_STOP_KEEP] = "keep",
};

DEFINE_STRING_TABLE_LOOKUP(nt_on_stop, enum nt_on_stop);

static const char *const nt_drift_policy_table[_NT_DRIFT_MAX + 1] = {
	[NT_DRIFT_REPORT] = "report",
	[NT_DRIFT_REASSERT] = "reassert",
};

DEFINE_STRING_TABLE_LOOKUP(nt_drift_policy, enum nt_drift_policy);

static const char *const nt_dconf_type_table[_NT_DCONF_TYPE_MAX] = {
	[NT_DCONF_PROFILE] = "profile", [NT_DCONF_ENUM] = "enum", [NT_DCONF_DURATION] = "duration",
	[NT_DCONF_UINT] = "integer",	[NT_DCONF_PATH] = "path",
};

DEFINE_STRING_TABLE_LOOKUP(nt_dconf_type, enum nt_dconf_type);

#define SEC  1000000000ull
#define MINS (60 * SEC)
#define HOUR (60 * MINS)

#define OFF(f) offsetof(struct nt_daemon_config, f)

const struct nt_dconf_key nt_dconf_keys[] = {
	{"profile", NT_DCONF_PROFILE, OFF(profile), NULL, 0, 0, "balanced",
	 "The profile to apply at start and to every device that appears: a name looked up "
	 "in " NAPITUNE_SYSCONFDIR "/profiles then " NAPITUNE_DATADIR
	 "/profiles, or a path. \"none\" applies "
	 "nothing: the daemon only watches."},
	{"on-stop", NT_DCONF_ENUM, OFF(on_stop), nt_on_stop_table, 0, 0, "revert",
	 "What stopping the service does: \"revert\" restores every value napitune changed to "
	 "what it was before the first apply; \"keep\" leaves the tuned values in place."},
	{"drift", NT_DCONF_ENUM, OFF(drift), nt_drift_policy_table, 0, 0, "report",
	 "What to do when someone else changes a value the profile sets: \"report\" logs it "
	 "(and who else is likely to have written it); \"reassert\" writes the profile's value "
	 "again, at most reassert-limit times per value in reassert-window, then backs off."},
	{"verify-interval", NT_DCONF_DURATION, OFF(verify_interval_ns), NULL, 1 * SEC, 24 * HOUR,
	 "30s",
	 "How often values that change without a notification (sysctls, IRQ affinity, RPS, "
	 "kthread CPUs) are compared with the profile. Ring, channel, coalescing and feature "
	 "changes are seen at once through ethtool netlink notifications."},
	{"reassert-limit", NT_DCONF_UINT, OFF(reassert_limit), NULL, 1, 1000, "3",
	 "With drift: reassert, how many times one value is written again within "
	 "reassert-window before napitune stops fighting over it."},
	{"reassert-window", NT_DCONF_DURATION, OFF(reassert_window_ns), NULL, 1 * SEC, 24 * HOUR,
	 "10min", "The window of reassert-limit."},
	{"sample-interval", NT_DCONF_DURATION, OFF(sample_interval_ns), NULL, 1 * SEC, 1 * HOUR,
	 "10s",
	 "How often the receive path is sampled and diagnosed with the rules of napictl "
	 "diagnose: findings that appear, change level or clear are logged to the journal, and "
	 "the metrics file is rewritten. Cheap sources (softnet, softirqs, /proc/stat, snmp, "
	 "link statistics) are read every time; /proc/interrupts, the driver's ethtool "
	 "statistics, ring sizes and the socket tables every sixth time (at least once a "
	 "minute). A finding clears only after two samples that read every source found it "
	 "gone. The default keeps the daemon's share of a CPU small on large machines."},
	{"metrics-file", NT_DCONF_PATH, OFF(metrics_file), NULL, 0, 0,
	 "/var/lib/prometheus/node-exporter/napitune.prom",
	 "Where the metrics of every sample are written in the Prometheus text format, for "
	 "node_exporter's textfile collector (the directory Debian's prometheus-node-exporter "
	 "reads), replaced atomically (a temporary file renamed over it). \"none\" writes no "
	 "file. napitune.service may write only below /var/lib/prometheus/node-exporter: "
	 "another directory needs ReadWritePaths= in a drop-in."},
};

const size_t nt_dconf_n_keys = ARRAY_SIZE(nt_dconf_keys);

/* "10min", "2h" (whole numbers) and everything nt_parse_duration_ns() takes ("30s", "500ms"). */
static int parse_duration(const char *s, uint64_t *ret)
{
	static const struct {
		const char *suffix;
		uint64_t mult;
	} big[] = {{"min", MINS}, {"h", HOUR}};
	size_t n = strlen(s);

	for (size_t i = 0; i < ARRAY_SIZE(big); i++) {
		size_t l = strlen(big[i].suffix);
		_cleanup_free_ char *num = NULL;
		uint64_t v;

		if (n <= l || !streq(s + n - l, big[i].suffix))
			continue;
		num = strndup(s, n - l);
		if (!num)
			return -ENOMEM;
		if (nt_parse_u64(num, &v) < 0)
			return -EINVAL;
		if (v > UINT64_MAX / big[i].mult)
			return -ERANGE;
		*ret = v * big[i].mult;
		return 0;
	}
	return nt_parse_duration_ns(s, ret);
}

static int format_duration(uint64_t ns, char **ret)
{
	static const struct {
		const char *suffix;
		uint64_t div;
	} units[] = {{"h", HOUR}, {"min", MINS}, {"s", SEC}, {"ms", 1000000}, {"us", 1000}};

	for (size_t i = 0; i < ARRAY_SIZE(units); i++)
		if (ns && ns % units[i].div == 0)
			return asprintf(ret, "%llu%s", (unsigned long long)(ns / units[i].div),
					units[i].suffix) < 0
				       ? -ENOMEM
				       : 0;
	return asprintf(ret, "%lluns", (unsigned long long)ns) < 0 ? -ENOMEM : 0;
}

/* Parses @text as @k's value into @c; on error returns -EINVAL with @why set. */
static int set_value(struct nt_daemon_config *c, const struct nt_dconf_key *k, const char *text,
		     char *why, size_t why_len)
{
	void *field = (char *)c + k->offset;
	uint64_t v;
	int r;

	switch (k->type) {
	case NT_DCONF_PROFILE: {
		char *p = NULL;

		if (!*text) {
			snprintf(why, why_len, "empty; write a profile name, a path or \"none\"");
			return -EINVAL;
		}
		if (!streq(text, "none") && !(p = strdup(text)))
			return -ENOMEM;
		free(*(char **)field);
		*(char **)field = p;
		return 0;
	}
	case NT_DCONF_ENUM:
		for (size_t i = 0; k->values[i]; i++)
			if (streq(k->values[i], text)) {
				*(int *)field = (int)i;
				return 0;
			}
		{
			size_t len = 0;

			len += (size_t)snprintf(why, why_len, "must be one of");
			for (size_t i = 0; k->values[i] && len < why_len; i++)
				len += (size_t)snprintf(why + len, why_len - len, "%s %s",
							i ? "," : "", k->values[i]);
		}
		return -EINVAL;
	case NT_DCONF_DURATION:
		/* a bare number is no duration here: "30" could be seconds or milliseconds */
		r = *text && !isdigit((unsigned char)text[strlen(text) - 1])
			    ? parse_duration(text, &v)
			    : -EINVAL;
		if (r == -ENOMEM)
			return r;
		if (r < 0) {
			snprintf(why, why_len,
				 "'%s' is not a duration with a unit (ms, s, min, h: \"30s\")",
				 text);
			return -EINVAL;
		}
		if (v < k->min || v > k->max) {
			_cleanup_free_ char *lo = NULL, *hi = NULL;

			if (format_duration(k->min, &lo) < 0 || format_duration(k->max, &hi) < 0)
				return -ENOMEM;
			snprintf(why, why_len, "%s is outside %s..%s", text, lo, hi);
			return -EINVAL;
		}
		*(uint64_t *)field = v;
		return 0;
	case NT_DCONF_PATH: {
		char *p = NULL;

		if (!streq(text, "none")) {
			if (text[0] != '/' || strstr(text, "/../") ||
			    text[strlen(text) - 1] == '/') {
				snprintf(why, why_len,
					 "'%s' is not an absolute path to a file, nor \"none\"",
					 text);
				return -EINVAL;
			}
			p = strdup(text);
			if (!p)
				return -ENOMEM;
		}
		free(*(char **)field);
		*(char **)field = p;
		return 0;
	}
	case NT_DCONF_UINT:
		if (nt_parse_u64(text, &v) < 0) {
			snprintf(why, why_len, "'%s' is not a whole number", text);
			return -EINVAL;
		}
		if (v < k->min || v > k->max) {
			snprintf(why, why_len, "%s is outside %llu..%llu", text,
				 (unsigned long long)k->min, (unsigned long long)k->max);
			return -EINVAL;
		}
		*(unsigned int *)field = (unsigned int)v;
		return 0;
	default:
		return -EINVAL;
	}
}

int nt_daemon_config_defaults(struct nt_daemon_config *ret)
{
	struct nt_daemon_config c = {};
	char why[200];

	for (size_t i = 0; i < nt_dconf_n_keys; i++) {
		int r = set_value(&c, &nt_dconf_keys[i], nt_dconf_keys[i].def, why, sizeof(why));

		if (r < 0) {
			nt_daemon_config_done(&c);
			return r == -ENOMEM
				       ? r
				       : -EINVAL; /* a bad def is a bug; the unit test says so */
		}
	}
	*ret = c;
	return 0;
}

void nt_daemon_config_done(struct nt_daemon_config *c)
{
	free(c->path);
	free(c->profile);
	free(c->metrics_file);
	*c = (struct nt_daemon_config){};
}

static const struct nt_dconf_key *find_key(const char *name)
{
	for (size_t i = 0; i < nt_dconf_n_keys; i++)
		if (streq(nt_dconf_keys[i].key, name))
			return &nt_dconf_keys[i];
	return NULL;
}

static void config_pair(struct nt_yaml *y, const yaml_node_t *key, const char *name, yaml_node_t *v,
			void *userdata)
{
	struct nt_daemon_config *c = userdata;
	const struct nt_dconf_key *k = find_key(name);
	char why[300] = "";
	int r;

	if (!k) {
		const char *known[ARRAY_SIZE(nt_dconf_keys) + 1] = {};

		for (size_t i = 0; i < nt_dconf_n_keys; i++)
			known[i] = nt_dconf_keys[i].key;
		nt_yaml_unknown_key(y, key, known, NULL);
		return;
	}
	if (!nt_yaml_scalar(v)) {
		nt_yaml_err(y, v, "'%s' must be a single value, not %s", name,
			    nt_yaml_node_kind(v));
		return;
	}
	r = set_value(c, k, nt_yaml_scalar(v), why, sizeof(why));
	if (r == -ENOMEM)
		nt_msgs_add(y->msgs, true, "%s: out of memory", y->file);
	else if (r < 0)
		nt_yaml_err(y, v, "'%s': %s", name, why);
}

static void config_doc(struct nt_yaml *y, yaml_node_t *root, void *userdata)
{
	/* An empty file, or one of comments only, is the defaults. */
	if (!root || (root->type == YAML_SCALAR_NODE && !*nt_yaml_scalar(root)))
		return;
	if (nt_yaml_expect(y, root, YAML_MAPPING_NODE, "the configuration"))
		nt_yaml_for_pairs(y, root, config_pair, userdata);
}

int nt_daemon_config_load_buffer(const char *path, const char *buf, size_t len,
				 struct nt_daemon_config *ret, struct nt_msgs *msgs)
{
	struct nt_yaml y = {.file = path, .msgs = msgs, .alias_fix = "in the configuration"};
	struct nt_daemon_config c;
	int r;

	r = nt_daemon_config_defaults(&c);
	if (r < 0)
		return r;
	c.path = strdup(path);
	if (!c.path) {
		nt_daemon_config_done(&c);
		return -ENOMEM;
	}
	r = nt_yaml_parse(&y, buf, len, NT_DCONF_SIZE_MAX, config_doc, &c);
	if (r < 0) {
		nt_daemon_config_done(&c);
		return r;
	}
	nt_daemon_config_done(ret);
	*ret = c;
	return 0;
}

int nt_daemon_config_load(const char *path, struct nt_daemon_config *ret, struct nt_msgs *msgs)
{
	_cleanup_free_ char *buf = NULL;
	size_t len = 0;
	int r;

	r = nt_yaml_read_file(path, NT_DCONF_SIZE_MAX, &buf, &len);
	if (r == -ENOENT) {
		struct nt_daemon_config c;

		r = nt_daemon_config_defaults(&c);
		if (r < 0)
			return r;
		nt_daemon_config_done(ret);
		*ret = c;
		return -ENOENT;
	}
	if (r < 0) {
		nt_msgs_add(msgs, true, "%s: %s", path,
			    r == -EFBIG ? "file too large" : strerror(-r));
		return r == -EFBIG ? -EINVAL : r;
	}
	return nt_daemon_config_load_buffer(path, buf, len, ret, msgs);
}

int nt_daemon_config_format(const struct nt_daemon_config *c, const struct nt_dconf_key *k,
			    char **ret)
{
	const void *field = (const char *)c + k->offset;
	const char *s;

	switch (k->type) {
	case NT_DCONF_PROFILE:
	case NT_DCONF_PATH:
		s = *(char *const *)field ?: "none";
		break;
	case NT_DCONF_ENUM:
		s = k->values[*(const int *)field];
		break;
	case NT_DCONF_DURATION:
		return format_duration(*(const uint64_t *)field, ret);
	case NT_DCONF_UINT:
		return asprintf(ret, "%u", *(const unsigned int *)field) < 0 ? -ENOMEM : 0;
	default:
		return -EINVAL;
	}
	*ret = strdup(s);
	return *ret ? 0 : -ENOMEM;
}
