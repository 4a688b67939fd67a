// SPDX-License-Identifier: GPL-2.0-or-later
/* Which devices a profile's devices entry selects: names and globs, drivers, physical. */
#include <ctype.h>
#include <fnmatch.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>

#include "devmatch.h"
#include "macro.h"

bool nt_ifname_valid(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n >= IF_NAMESIZE || streq(name, ".") || streq(name, ".."))
		return false;
	for (const char *p = name; *p; p++)
		if (*p == '/' || *p == ':' || isspace((unsigned char)*p) ||
		    !isprint((unsigned char)*p))
			return false;
	return true;
}

bool nt_devmatch_test(const struct nt_devmatch *m, const char *ifname, const char *driver,
		      bool physical)
{
	bool name_ok = m->all || m->n_names == 0, any_positive = false;

	if (m->physical >= 0 && (bool)m->physical != physical)
		return false;
	for (size_t i = 0; i < m->n_names; i++) {
		const char *g = m->names[i];

		if (g[0] == '!') {
			if (fnmatch(g + 1, ifname, 0) == 0)
				return false;
		} else {
			any_positive = true;
			if (fnmatch(g, ifname, 0) == 0)
				name_ok = true;
		}
	}
	if (m->n_names && !any_positive)
		name_ok = true; /* only exclusions: everything else */
	if (!name_ok)
		return false;
	if (m->n_drivers) {
		for (size_t i = 0; i < m->n_drivers; i++)
			if (driver && streq(m->drivers[i], driver))
				return true;
		return false;
	}
	return true;
}

void nt_devmatch_done(struct nt_devmatch *m)
{
	for (size_t i = 0; i < m->n_names; i++)
		free(m->names[i]);
	free(m->names);
	for (size_t i = 0; i < m->n_drivers; i++)
		free(m->drivers[i]);
	free(m->drivers);
	free(m->text);
}
