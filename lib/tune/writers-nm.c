// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NetworkManager connection profiles in keyfile format (nm-settings-keyfile(5)):
 * /etc/NetworkManager/system-connections, /run/NetworkManager/system-connections and
 * /usr/lib/NetworkManager/system-connections, files named *.nmconnection. The [ethtool]
 * section (nm-settings-nmcli(5), "ethtool" setting: ring-rx, channels-combined,
 * coalesce-rx-usecs, feature-gro, ...) is applied each time the connection activates on
 * its device, which [connection] interface-name=, [match] interface-name= (a list, globs,
 * '!' excludes) or [ethernet] mac-address= choose.
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
#include "plan.h"
#include "writers.h"

static const char *const dirs[] = {
	"etc/NetworkManager/system-connections",
	"run/NetworkManager/system-connections",
	"usr/lib/NetworkManager/system-connections",
	NULL,
};

static const char *const ethtool_keys[][2] = {
	{"ring-rx", "rings.rx"},
	{"ring-tx", "rings.tx"},
	{"channels-rx", "channels.rx"},
	{"channels-tx", "channels.tx"},
	{"channels-combined", "channels.combined"},
	{"coalesce-rx-usecs", "coalesce.rx-usecs"},
	{"coalesce-rx-frames", "coalesce.rx-frames"},
	{"coalesce-tx-usecs", "coalesce.tx-usecs"},
	{"coalesce-tx-frames", "coalesce.tx-frames"},
	{"coalesce-adaptive-rx", "coalesce.adaptive-rx"},
	{"coalesce-adaptive-tx", "coalesce.adaptive-tx"},
	{"feature-gro", "gro"},
};

static const char *get(const struct nt_ini *ini, const char *section, const char *key)
{
	const char *v = NULL;

	for (size_t i = 0; i < ini->n; i++)
		if (streq(ini->e[i].section, section) && streq(ini->e[i].key, key))
			v = ini->e[i].value;
	return v;
}

/* [match] interface-name: ';'-separated globs; "!x" excludes x, plain entries: any of them. */
static bool match_list(const char *list, const char *ifname)
{
	_cleanup_free_ char *copy = strdup(list);
	bool any_plain = false, hit = false;
	char *save = NULL;

	if (!copy)
		return false;
	for (char *t = strtok_r(copy, "; \t,", &save); t; t = strtok_r(NULL, "; \t,", &save)) {
		if (t[0] == '!') {
			if (fnmatch(t + 1, ifname, 0) == 0)
				return false;
			continue;
		}
		any_plain = true;
		hit |= fnmatch(t, ifname, 0) == 0;
	}
	return hit || !any_plain;
}

bool nt_nm_matches(const struct nt_ini *ini, const struct nt_netdev_facts *d)
{
	const char *name = get(ini, "connection", "interface-name"),
		   *list = get(ini, "match", "interface-name"),
		   *mac = get(ini, "ethernet", "mac-address");
	bool any = false;

	if (!d->ifname)
		return false;
	if (name && *name) {
		any = true;
		if (!streq(name, d->ifname))
			return false;
	}
	if (list && *list) {
		any = true;
		if (!match_list(list, d->ifname))
			return false;
	}
	if (mac && *mac) {
		any = true;
		if (!d->mac || strcasecmp(mac, d->mac) != 0)
			return false;
	}
	return any; /* a connection for any device: NetworkManager picks one, not us to guess */
}

int nt_nm_writers(const struct nt_ini *ini, const char *path, const struct nt_netdev_facts *d,
		  const struct nt_plan *plan, struct nt_writers *ws)
{
	const char *id = get(ini, "connection", "id");
	_cleanup_free_ char *detail = NULL;
	int r;

	if (id && asprintf(&detail, "connection '%s'", id) < 0)
		return -ENOMEM;
	for (size_t i = 0; i < ini->n; i++) {
		const struct nt_ini_entry *e = &ini->e[i];
		_cleanup_free_ char *setting = NULL;
		const char *key = NULL;

		if (!streq(e->section, "ethtool") || !e->value)
			continue;
		for (size_t k = 0; k < ARRAY_SIZE(ethtool_keys) && !key; k++)
			if (streq(e->key, ethtool_keys[k][0]))
				key = ethtool_keys[k][1];
		if (!key)
			continue;
		if (asprintf(&setting, "[ethtool] %s=%s", e->key, e->value) < 0)
			return -ENOMEM;
		for (size_t k = 0; k < plan->n; k++) {
			const struct nt_change *c = &plan->c[k];
			struct nt_writer w = {.kind = NT_WRITER_NM,
					      .source = (char *)path,
					      .line = e->line,
					      .key = c->key,
					      .object = c->object,
					      .ifname = c->ifname,
					      .setting = setting,
					      .value = e->value,
					      .detail = detail,
					      .overridden =
						      get(ini, "ethtool", e->key) != e->value};

			if (!c->ifname || !streq(c->ifname, d->ifname) || !streq(c->key, key))
				continue;
			r = nt_writers_add(ws, &w);
			if (r < 0)
				return r;
		}
	}
	return 0;
}

int nt_writers_nm(const struct nt_root *root, const struct nt_plan *plan, struct nt_writers *ws)
{
	char **files = NULL;
	int r = 0;

	for (size_t i = 0; i < plan->n && r >= 0; i++) {
		const char *ifname = plan->c[i].ifname;
		_cleanup_free_ char *mac = NULL;
		struct nt_netdev_facts d = {.ifname = ifname};
		char path[160];
		bool seen = false;

		if (!ifname)
			continue;
		for (size_t k = 0; k < i && !seen; k++)
			seen = plan->c[k].ifname && streq(plan->c[k].ifname, ifname);
		if (seen)
			continue;
		if (!files) {
			r = nt_writers_conf_files(root, dirs, ".nmconnection", &files);
			if (r < 0)
				return r;
		}
		snprintf(path, sizeof(path), "sys/class/net/%s/address", ifname);
		if (nt_read_line(root, path, &mac) >= 0)
			d.mac = mac;
		for (char **f = files; *f && r >= 0; f++) {
			_cleanup_free_ char *text = NULL, *shown = NULL;
			struct nt_ini ini = {};

			if (nt_read_file(root, *f, &text, NULL) < 0)
				continue;
			r = nt_ini_load(text, 0, &ini);
			if (r >= 0 && nt_nm_matches(&ini, &d)) {
				if (asprintf(&shown, "/%s", *f) < 0)
					r = -ENOMEM;
				else
					r = nt_nm_writers(&ini, shown, &d, plan, ws);
			}
			nt_ini_done(&ini);
		}
	}
	nt_strv_free(files);
	return r;
}
