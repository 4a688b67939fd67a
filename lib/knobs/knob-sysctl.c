// SPDX-License-Identifier: GPL-2.0-or-later
/* net.* sysctls under /proc/sys (root-relative). Only net.* names ever get here. */
#include <errno.h>

#include "knob-fam.h"

static int sysctl_check(const struct nt_knob *k, const struct nt_target *t, struct nt_err *reterr)
{
	const char *name = t->sysctl ? t->sysctl : k->key;

	if (!nt_sysctl_name_valid(name))
		return nt_err_set(reterr, -EINVAL, "'%s' is not a net.* sysctl", name);
	return 0;
}

static int sysctl_read(struct nt_ctx *ctx, const struct nt_knob *k, const struct nt_target *t,
		       char **ret, struct nt_err *reterr)
{
	int r = sysctl_check(k, t, reterr);

	return r < 0 ? r : nt_fam_file_read(ctx, k, t, ret, reterr);
}

static int sysctl_apply(struct nt_ctx *ctx, const struct nt_target *t, const struct nt_write *w,
			size_t n, struct nt_err *reterr)
{
	for (size_t i = 0; i < n; i++) {
		int r = sysctl_check(w[i].knob, t, reterr);

		if (r < 0)
			return r;
	}
	return nt_fam_file_apply(ctx, t, w, n, reterr);
}

static int sysctl_caps(struct nt_ctx *ctx, const struct nt_knob *k, const struct nt_target *t,
		       uint64_t *ret_max, struct nt_err *reterr)
{
	int r = sysctl_check(k, t, reterr);

	return r < 0 ? r : nt_fam_file_caps(ctx, k, t, ret_max, reterr);
}

const struct nt_fam_ops nt_sysctl_ops = {
	.read = sysctl_read,
	.apply = sysctl_apply,
	.caps = sysctl_caps,
};
