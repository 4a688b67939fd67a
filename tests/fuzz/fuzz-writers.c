// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The configuration of the other writers (tune/writers-*.c over basic/ini.c), files anyone
 * with write access to /etc, /run or /usr may have written and napictl reads as root: a
 * sysctl.d file NUL a tuned.conf NUL a .link file NUL a NetworkManager keyfile (also read
 * as irqbalance options). Each is matched against a small plan (a sysctl, a device's ring,
 * a queue's RPS, an IRQ's affinity, GRO): every record names a change of the plan, a value
 * has at most one effective sysctl.d setting, and the tokenizer keeps lines in order.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fs.h"
#include "fuzz.h"
#include "ini.h"
#include "plan.h"
#include "writers.h"

const unsigned int nt_fuzz_texts = 4;

static struct nt_change changes[5];
static const struct nt_plan plan = {.c = changes, .n = ARRAY_SIZE(changes)};

static void plan_init(void)
{
	static const struct {
		const char *key, *object, *ifname;
		unsigned int index;
	} c[ARRAY_SIZE(changes)] = {
		{"net.core.netdev_budget", "global", NULL, 0},
		{"rings.rx", "eth0", "eth0", 0},
		{"rps_cpus", "eth0 rx-0", "eth0", 0},
		{"smp_affinity", "eth0 irq 50", "eth0", 50},
		{"gro", "eth0", "eth0", 0},
	};

	if (changes[0].knob)
		return;
	for (size_t i = 0; i < ARRAY_SIZE(c); i++) {
		changes[i] = (struct nt_change){
			.knob = nt_knob_lookup(c[i].key),
			.key = (char *)c[i].key,
			.object = (char *)c[i].object,
			.ifname = (char *)c[i].ifname,
			.t = {.ifname = c[i].ifname, .index = c[i].index},
		};
		FUZZ_CHECK(changes[i].knob);
	}
}

static void check_records(const struct nt_writers *ws)
{
	for (size_t i = 0; i < ws->n; i++) {
		bool ours = false;

		for (size_t k = 0; k < plan.n && !ours; k++)
			ours = nt_writer_matches(&ws->w[i], &plan.c[k]);
		FUZZ_CHECK(ours);
		FUZZ_CHECK(ws->w[i].source);
		free(nt_writer_describe(&ws->w[i]));
	}
}

static void check_ini(const struct nt_ini *ini)
{
	for (size_t i = 0; i < ini->n; i++) {
		const char *k = ini->e[i].key;
		size_t l = strlen(k);

		FUZZ_CHECK(l > 0 && !strchr(" \t", k[0]) && !strchr(" \t\r", k[l - 1]));
		FUZZ_CHECK(ini->e[i].line >= 1 && (i == 0 || ini->e[i].line >= ini->e[i - 1].line));
	}
}

static void fuzz_sysctld(const char *text)
{
	struct nt_sysctld acc = {};
	struct nt_writers ws = {};

	if (nt_sysctld_parse(&acc, "/etc/sysctl.d/f.conf", text) < 0)
		goto out;
	/* the plan's sysctl, and the names the file sets (the first few: each query is O(n)) */
	for (size_t i = 0; i <= acc.n && i <= 64; i++) {
		const char *name = i < acc.n && i < 64 ? acc.e[i].name : "net.core.netdev_budget";
		size_t effective = 0, first = ws.n;

		if (nt_sysctld_writers(&acc, name, "net.core.netdev_budget", "global", &ws) < 0)
			break;
		for (size_t k = first; k < ws.n; k++)
			effective += !ws.w[k].overridden;
		FUZZ_CHECK(effective <= 1);
		nt_writers_done(&ws);
	}
out:
	nt_writers_done(&ws);
	nt_sysctld_done(&acc);
}

static void fuzz_tuned(const char *text)
{
	struct nt_writers ws = {};
	struct nt_ini ini = {};
	char **inc = NULL;

	if (nt_ini_load(text, 0, &ini) < 0)
		return;
	check_ini(&ini);
	if (nt_tuned_includes(&ini, &inc) >= 0) {
		for (char **p = inc; *p; p++)
			FUZZ_CHECK(**p && !strchr(*p, '/') && !strchr(*p, '$'));
		nt_strv_free(inc);
	}
	if (nt_tuned_writers(&ini, "/etc/tuned/f/tuned.conf", "f", &plan, &ws) >= 0)
		check_records(&ws);
	nt_writers_done(&ws);
	nt_ini_done(&ini);
}

static void fuzz_link(const char *text)
{
	const struct nt_netdev_facts d = {.ifname = "eth0",
					  .mac = "52:54:00:12:34:56",
					  .driver = "virtio_net",
					  .type = "ether"};
	struct nt_writers ws = {};
	struct nt_ini ini = {};
	char unchecked[64];
	int m;

	if (nt_ini_load(text, NT_INI_CONTINUATION, &ini) < 0)
		return;
	check_ini(&ini);
	m = nt_link_match(&ini, &d, unchecked, sizeof(unchecked));
	FUZZ_CHECK(m == 0 || m == 1 || m == -EINVAL);
	FUZZ_CHECK(strlen(unchecked) < sizeof(unchecked));
	if (m > 0 &&
	    nt_link_writers(&ini, "/etc/systemd/network/f.link", &d, NULL, &plan, &ws) >= 0)
		check_records(&ws);
	nt_writers_done(&ws);
	nt_ini_done(&ini);
}

static void fuzz_nm(const char *text)
{
	const struct nt_netdev_facts d = {.ifname = "eth0", .mac = "52:54:00:12:34:56"};
	struct nt_writers ws = {};
	struct nt_ini ini = {};
	int *irqs = NULL;
	size_t n = 0;

	if (nt_ini_load(text, 0, &ini) < 0)
		return;
	check_ini(&ini);
	if (nt_nm_matches(&ini, &d) &&
	    nt_nm_writers(&ini, "/etc/NetworkManager/system-connections/f.nmconnection", &d, &plan,
			  &ws) >= 0)
		check_records(&ws);
	nt_writers_done(&ws);
	nt_ini_done(&ini);
	/* the same text as irqbalance's options */
	if (nt_irqbalance_args_bans(text, &irqs, &n) >= 0)
		for (size_t i = 0; i < n; i++)
			FUZZ_CHECK(irqs[i] >= 0);
	free(irqs);
}

void nt_fuzz_run(const char *const *text, _unused_ const uint8_t *data, _unused_ size_t size)
{
	plan_init();
	fuzz_sysctld(text[0]);
	fuzz_tuned(text[1]);
	fuzz_link(text[2]);
	fuzz_nm(text[3]);
}
