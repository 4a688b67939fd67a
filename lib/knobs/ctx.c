// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctx.h"
#include "fs.h"
#include "knob.h"

static unsigned int parse_kver(const char *s)
{
	unsigned int a = 0, b = 0;

	if (sscanf(s, "%u.%u", &a, &b) != 2)
		return 0;
	return NT_KVER(a, b);
}

int nt_ctx_init(struct nt_ctx *ctx, const struct nt_root *root, struct nt_nl *nl,
		struct nt_err *reterr)
{
	_cleanup_free_ char *rel = NULL;
	struct nt_ctx c = {.root = root, .nl = nl};
	int r;

	r = nt_cpus_read(root, &c.cpus);
	if (r < 0)
		return nt_err_set(reterr, r, "cannot read the CPUs from %s/sys/devices/system/cpu",
				  nt_root_path(root));
	if (nt_read_line(root, "proc/sys/kernel/osrelease", &rel) >= 0)
		c.kver = parse_kver(rel);
	c.live = streq(nt_root_path(root), "/");
	*ctx = c;
	return 0;
}
