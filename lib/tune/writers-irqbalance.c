// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * irqbalance (irqbalance(1)) moves every IRQ it does not ban, every 10 seconds, so it
 * undoes the IRQ affinity a profile pins unless the IRQ is banned. It is a writer when it
 * runs (a process named irqbalance) or is enabled (Debian's unit is wanted by
 * multi-user.target); an IRQ is banned by --banirq (on its command line, or in
 * IRQBALANCE_ARGS of /etc/default/irqbalance or /etc/sysconfig/irqbalance) or through its
 * socket (asked on the live system: irqbalance.h). IRQBALANCE_BANNED_CPUS/_CPULIST only keep
 * IRQs off those CPUs; irqbalance still moves ours, so they are shown, not counted as bans.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fs.h"
#include "ini.h"
#include "irqbalance.h"
#include "parse-util.h"
#include "plan.h"
#include "writers.h"

static const char *const config_files[] = {"etc/default/irqbalance", "etc/sysconfig/irqbalance",
					   NULL};
#define UNIT_WANTS "etc/systemd/system/multi-user.target.wants/irqbalance.service"

static int add_irq(int **irqs, size_t *n, const char *s)
{
	uint32_t v;
	int *nv;

	if (nt_parse_u32(s, &v) < 0 || v > INT32_MAX)
		return 0;
	nv = realloc(*irqs, (*n + 1) * sizeof(*nv));
	if (!nv)
		return -ENOMEM;
	*irqs = nv;
	nv[(*n)++] = (int)v;
	return 0;
}

int nt_irqbalance_args_bans(const char *args, int **irqs, size_t *n)
{
	_cleanup_free_ char *copy = strdup(args);
	char *save = NULL, *t;
	int r = 0;

	if (!copy)
		return -ENOMEM;
	for (t = strtok_r(copy, " \t\n\"'", &save); t && r >= 0;
	     t = strtok_r(NULL, " \t\n\"'", &save)) {
		if (strncmp(t, "--banirq=", 9) == 0) {
			r = add_irq(irqs, n, t + 9);
		} else if (streq(t, "--banirq") || streq(t, "-i")) {
			t = strtok_r(NULL, " \t\n\"'", &save);
			if (t)
				r = add_irq(irqs, n, t);
		}
	}
	return r;
}

/* The process's command line, NULs as spaces. */
static char *cmdline(const struct nt_root *root, int pid)
{
	char path[64], *text = NULL;
	size_t size = 0;

	snprintf(path, sizeof(path), "proc/%d/cmdline", pid);
	if (nt_read_file(root, path, &text, &size) < 0)
		return NULL;
	for (size_t i = 0; i < size; i++)
		if (!text[i])
			text[i] = ' ';
	return text;
}

struct conf {
	char *file;	   /* "/etc/default/irqbalance" */
	char *args;	   /* IRQBALANCE_ARGS (or OPTIONS) as written */
	unsigned int line; /* of args */
	char *cpus;	   /* "IRQBALANCE_BANNED_CPULIST=8-15" */
};

static void conf_done(struct conf *c)
{
	free(c->file);
	free(c->args);
	free(c->cpus);
}

static int read_conf(const struct nt_root *root, struct conf *ret)
{
	for (const char *const *f = config_files; *f; f++) {
		_cleanup_free_ char *text = NULL;
		struct nt_ini ini = {};
		int r;

		if (nt_read_file(root, *f, &text, NULL) < 0)
			continue;
		r = nt_ini_load(text, NT_INI_NO_SECTIONS, &ini);
		if (r < 0)
			return r;
		if (asprintf(&ret->file, "/%s", *f) < 0)
			ret->file = NULL;
		for (size_t i = 0; i < ini.n && ret->file; i++) {
			const struct nt_ini_entry *e = &ini.e[i];

			if (streq(e->key, "IRQBALANCE_ARGS") || streq(e->key, "OPTIONS")) {
				free(ret->args);
				ret->args = strdup(e->value);
				ret->line = e->line;
			} else if (strncmp(e->key, "IRQBALANCE_BANNED_CPU", 21) == 0) {
				free(ret->cpus);
				if (asprintf(&ret->cpus, "%s=%s", e->key, e->value) < 0)
					ret->cpus = NULL;
			}
		}
		nt_ini_done(&ini);
		return ret->file ? 0 : -ENOMEM;
	}
	return 0;
}

/* The unit's link in multi-user.target.wants (itself: an absolute target is the machine's). */
static bool enabled(const struct nt_root *root)
{
	_cleanup_free_ char *target = NULL;

	return nt_read_link(root, UNIT_WANTS, &target) >= 0 || nt_path_exists(root, UNIT_WANTS);
}

static bool has(const int *v, size_t n, unsigned int x)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] >= 0 && (unsigned int)v[i] == x)
			return true;
	return false;
}

int nt_writers_irqbalance(const struct nt_root *root, const struct nt_plan *plan,
			  struct nt_writers *ws)
{
	_cleanup_free_ int *bans = NULL, *live = NULL;
	_cleanup_free_ char *source = NULL, *cmd = NULL, *detail = NULL;
	struct conf conf = {};
	size_t n_bans = 0, n_live = 0;
	bool any = false, live_bans = false;
	int pid, r = 0;

	for (size_t i = 0; i < plan->n && !any; i++)
		any = plan->c[i].knob->fam == NT_FAM_IRQ;
	if (!any)
		return 0;
	pid = nt_irqbalance_pid(root);
	if (pid < 0 && !enabled(root))
		return 0;
	r = read_conf(root, &conf);
	if (r >= 0 && pid >= 0) {
		cmd = cmdline(root, pid);
		if (cmd)
			r = nt_irqbalance_args_bans(cmd, &bans, &n_bans);
		/* what it bans now, --banirq and socket bans alike, when we may ask */
		if (r >= 0 && nt_irqbalance_banned(root, pid, &live, &n_live, NULL) >= 0) {
			free(bans);
			bans = TAKE_PTR(live);
			n_bans = n_live;
			live_bans = true;
		}
	} else if (r >= 0 && conf.args) {
		r = nt_irqbalance_args_bans(conf.args, &bans, &n_bans);
	}
	if (r >= 0 && pid >= 0 && asprintf(&source, "pid %d", pid) < 0)
		r = -ENOMEM;
	if (r >= 0 && pid < 0 && !(source = strdup("/" UNIT_WANTS)))
		r = -ENOMEM;
	if (r >= 0 &&
	    asprintf(&detail, "%s%s%s%s%s%s", pid >= 0 ? "running" : "enabled, not running",
		     conf.args ? "; options in " : "", conf.args ? conf.file : "",
		     conf.cpus ? "; " : "", conf.cpus ?: "",
		     conf.cpus ? " keeps IRQs off CPUs, not ours in place" : "") < 0)
		r = -ENOMEM;
	for (size_t i = 0; i < plan->n && r >= 0; i++) {
		const struct nt_change *c = &plan->c[i];
		char setting[160];
		struct nt_writer w = {.kind = NT_WRITER_IRQBALANCE,
				      .source = source,
				      .key = c->key,
				      .object = c->object,
				      .ifname = c->ifname,
				      .setting = setting,
				      .detail = detail};

		if (c->knob->fam != NT_FAM_IRQ || has(bans, n_bans, c->t.index))
			continue;
		snprintf(setting, sizeof(setting), "IRQ %u not banned%s", c->t.index,
			 live_bans ? "" : " by --banirq");
		r = nt_writers_add(ws, &w);
	}
	conf_done(&conf);
	return r;
}
