/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The devices a profile's devices entry selects ("match:"): all, physical, names and
 * globs ("eth*", "!eth9" excludes), drivers, physical or virtual.
 */
#ifndef NT_DEVMATCH_H
#define NT_DEVMATCH_H

#include <stdbool.h>
#include <stddef.h>

struct nt_devmatch {
	char **names; /* globs; "!glob" excludes */
	size_t n_names;
	char **drivers;
	size_t n_drivers;
	int physical; /* -1 any, 0 virtual only, 1 physical only */
	bool all;
	char *text; /* for display */
};

void nt_devmatch_done(struct nt_devmatch *m);
/* Device name rules: IFNAMSIZ, no '/', no whitespace, not "." or "..". */
bool nt_ifname_valid(const char *name);
/* Whether @m selects a device with these properties. */
bool nt_devmatch_test(const struct nt_devmatch *m, const char *ifname, const char *driver,
		      bool physical);

#endif
