// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * systemd .link files (systemd.link(5)), applied by udev's net_setup_link builtin when a
 * device is added (boot, hotplug, driver reload, "udevadm trigger"): so they undo a profile
 * whenever the device comes again. Files come from /etc/systemd/network,
 * /run/systemd/network, /usr/local/lib/systemd/network and /usr/lib/systemd/network (and
 * /lib/systemd/network of a split /usr), merged by name (writers.h); the first file in
 * lexical order whose [Match] matches a device is the only one applied to it. A file
 * without any [Match] condition is ignored by udev. What [Link] writes of ours: ring sizes,
 * channels, coalescing, GRO and, since systemd 256, RPS CPUs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fs.h"
#include "ini.h"
#include "knob-fam.h"
#include "plan.h"
#include "writers.h"

static const char *const dirs[] = {
	"etc/systemd/network",	   "run/systemd/network", "usr/local/lib/systemd/network",
	"usr/lib/systemd/network", "lib/systemd/network", NULL,
};

/* [Link] setting -> our key. */
static const char *const link_keys[][2] = {
	{"RxBufferSize", "rings.rx"},
	{"TxBufferSize", "rings.tx"},
	{"RxChannels", "channels.rx"},
	{"TxChannels", "channels.tx"},
	{"CombinedChannels", "channels.combined"},
	{"GenericReceiveOffload", "gro"},
	{"RxCoalesceSec", "coalesce.rx-usecs"},
	{"TxCoalesceSec", "coalesce.tx-usecs"},
	{"RxMaxCoalescedFrames", "coalesce.rx-frames"},
	{"TxMaxCoalescedFrames", "coalesce.tx-frames"},
	{"UseAdaptiveRxCoalesce", "coalesce.adaptive-rx"},
	{"UseAdaptiveTxCoalesce", "coalesce.adaptive-tx"},
	{"ReceivePacketSteeringCPUMask", "rps_cpus"},
};

/* [Match] conditions checked here; any other one is named as unchecked. */
enum { M_ORIGINAL_NAME, M_MAC, M_DRIVER, M_TYPE, _M_MAX };
static const char *const match_keys[_M_MAX] = {"OriginalName", "MACAddress", "Driver", "Type"};

/*
 * A [Match] list: every assignment of @key in the file adds to it, an empty one resets it
 * (systemd.link(5)); an assignment starting with '!' lists names that must not match. -1: the
 * file has no such condition; 1 met; 0 not (an unknown @s meets only negative lists).
 */
static int list_matches(const struct nt_ini *ini, const char *key, const char *s, bool mac)
{
	bool pos = false, neg = false, pos_hit = false, neg_hit = false;
	size_t start = 0;

	for (size_t i = 0; i < ini->n; i++)
		if (streq(ini->e[i].section, "Match") && streq(ini->e[i].key, key) &&
		    ini->e[i].value && !*ini->e[i].value)
			start = i + 1;
	for (size_t i = start; i < ini->n; i++) {
		const struct nt_ini_entry *e = &ini->e[i];
		_cleanup_free_ char *copy = NULL;
		bool invert;
		char *save = NULL;

		if (!streq(e->section, "Match") || !streq(e->key, key) || !e->value)
			continue;
		invert = e->value[0] == '!';
		copy = strdup(e->value + invert);
		if (!copy)
			return 0;
		for (char *t = strtok_r(copy, " \t", &save); t; t = strtok_r(NULL, " \t", &save)) {
			bool hit = s && (mac ? strcasecmp(t, s) == 0 : fnmatch(t, s, 0) == 0);

			if (invert) {
				neg = true;
				neg_hit |= hit;
			} else {
				pos = true;
				pos_hit |= hit;
			}
		}
	}
	if (!pos && !neg)
		return -1;
	return !neg_hit && (!pos || pos_hit);
}

/* The last value of @section's @key, or NULL. */
static const char *get(const struct nt_ini *ini, const char *section, const char *key)
{
	const char *v = NULL;

	for (size_t i = 0; i < ini->n; i++)
		if (streq(ini->e[i].section, section) && streq(ini->e[i].key, key))
			v = ini->e[i].value;
	return v;
}

int nt_link_match(const struct nt_ini *ini, const struct nt_netdev_facts *d, char *unchecked,
		  size_t size)
{
	const char *facts[_M_MAX] = {d->ifname, d->mac, d->driver, d->type};
	const char *name = get(ini, "Link", "Name");
	bool any = false, ok = true;
	size_t used = 0;

	if (unchecked && size)
		unchecked[0] = '\0';
	for (size_t m = 0; m < _M_MAX; m++) {
		int r = list_matches(ini, match_keys[m], facts[m], m == M_MAC);

		if (r < 0)
			continue;
		any = true;
		/* a device this file renamed no longer has its original name */
		if (m == M_ORIGINAL_NAME && !r && name && d->ifname && streq(name, d->ifname))
			r = 1;
		ok &= r == 1;
	}
	for (size_t i = 0; i < ini->n; i++) {
		const struct nt_ini_entry *e = &ini->e[i];
		bool known = false, dup = false;

		if (!streq(e->section, "Match") || !e->value || !*e->value)
			continue;
		for (size_t m = 0; m < _M_MAX && !known; m++)
			known = streq(e->key, match_keys[m]);
		if (known)
			continue;
		any = true;
		for (size_t k = 0; k < i && !dup; k++)
			dup = streq(ini->e[k].section, "Match") && streq(ini->e[k].key, e->key) &&
			      ini->e[k].value && *ini->e[k].value;
		if (!dup && unchecked && used + strlen(e->key) + 3 < size)
			used += (size_t)snprintf(unchecked + used, size - used,
						 "%s%s=", used ? " " : "", e->key);
	}
	if (!any)
		return -EINVAL;
	return ok;
}

int nt_link_writers(const struct nt_ini *ini, const char *path, const struct nt_netdev_facts *d,
		    const char *detail, const struct nt_plan *plan, struct nt_writers *ws)
{
	int r;

	for (size_t i = 0; i < ini->n; i++) {
		const struct nt_ini_entry *e = &ini->e[i];
		_cleanup_free_ char *setting = NULL;
		const char *key = NULL;

		if (!streq(e->section, "Link") || !e->value)
			continue;
		for (size_t k = 0; k < ARRAY_SIZE(link_keys) && !key; k++)
			if (streq(e->key, link_keys[k][0]))
				key = link_keys[k][1];
		if (!key || asprintf(&setting, "%s=%s", e->key, e->value) < 0) {
			if (key)
				return -ENOMEM;
			continue;
		}
		for (size_t k = 0; k < plan->n; k++) {
			const struct nt_change *c = &plan->c[k];
			struct nt_writer w = {.kind = NT_WRITER_LINK,
					      .source = (char *)path,
					      .line = e->line,
					      .key = c->key,
					      .object = c->object,
					      .ifname = c->ifname,
					      .setting = setting,
					      .value = e->value,
					      .detail = (char *)detail,
					      /* a later assignment in the file wins */
					      .overridden = get(ini, "Link", e->key) != e->value};

			if (!c->ifname || !d->ifname || !streq(c->ifname, d->ifname) ||
			    !streq(c->key, key))
				continue;
			r = nt_writers_add(ws, &w);
			if (r < 0)
				return r;
		}
	}
	return 0;
}

/* Facts read below the root; the strings live in @buf. */
struct facts_buf {
	char mac[64], driver[64], ifname[64];
};

static void read_facts(const struct nt_root *root, const char *ifname, struct facts_buf *b,
		       struct nt_netdev_facts *d)
{
	_cleanup_free_ char *mac = NULL;
	char path[160];
	int64_t type;

	*d = (struct nt_netdev_facts){.ifname = b->ifname};
	snprintf(b->ifname, sizeof(b->ifname), "%s", ifname);
	snprintf(path, sizeof(path), "sys/class/net/%s/address", ifname);
	if (nt_read_line(root, path, &mac) >= 0) {
		snprintf(b->mac, sizeof(b->mac), "%s", mac);
		d->mac = b->mac;
	}
	snprintf(path, sizeof(path), "sys/class/net/%s/device/driver", ifname);
	if (nt_read_link_base(root, path, b->driver, sizeof(b->driver)) >= 0)
		d->driver = b->driver;
	/* include/uapi/linux/if_arp.h: ARPHRD_ETHER 1, ARPHRD_LOOPBACK 772 */
	snprintf(path, sizeof(path), "sys/class/net/%s/type", ifname);
	type = nt_read_s64_or(root, path, -1);
	d->type = type == 1 ? "ether" : type == 772 ? "loopback" : NULL;
}

/* Is @ifname a device of @plan's changes before index @i? */
static bool seen_before(const struct nt_plan *plan, size_t i, const char *ifname)
{
	for (size_t k = 0; k < i; k++)
		if (plan->c[k].ifname && streq(plan->c[k].ifname, ifname))
			return true;
	return false;
}

int nt_writers_link(const struct nt_root *root, const struct nt_plan *plan, struct nt_writers *ws)
{
	char **files = NULL;
	int r = 0;

	for (size_t i = 0; i < plan->n && r >= 0; i++) {
		const char *ifname = plan->c[i].ifname;
		struct nt_netdev_facts d;
		struct facts_buf b;

		if (!ifname || seen_before(plan, i, ifname))
			continue;
		if (!files) {
			r = nt_writers_conf_files(root, dirs, ".link", &files);
			if (r < 0)
				return r;
		}
		read_facts(root, ifname, &b, &d);
		for (char **f = files; *f && r >= 0; f++) {
			_cleanup_free_ char *text = NULL, *shown = NULL, *detail = NULL;
			char unchecked[128];
			struct nt_ini ini = {};
			int m;

			if (nt_read_file(root, *f, &text, NULL) < 0)
				continue;
			r = nt_ini_load(text, NT_INI_CONTINUATION, &ini);
			if (r < 0)
				break;
			m = nt_link_match(&ini, &d, unchecked, sizeof(unchecked));
			if (m > 0) {
				if (asprintf(&shown, "/%s", *f) < 0 ||
				    asprintf(&detail, "for %s when udev adds it%s%s%s", ifname,
					     unchecked[0] ? " (not checked here: " : "", unchecked,
					     unchecked[0] ? ")" : "") < 0)
					r = -ENOMEM;
				else
					r = nt_link_writers(&ini, shown, &d, detail, plan, ws);
			}
			nt_ini_done(&ini);
			if (m > 0)
				break; /* only the first matching file applies */
		}
	}
	nt_strv_free(files);
	return r;
}
