// SPDX-License-Identifier: GPL-2.0-or-later
#include "knob-fam.h"

static const struct nt_fam_ops *const fam_ops[_NT_FAM_MAX] = {
	[NT_FAM_SYSCTL] = &nt_sysctl_ops,     [NT_FAM_DEVSYSFS] = &nt_file_ops,
	[NT_FAM_QUEUE] = &nt_file_ops,	      [NT_FAM_IRQ] = &nt_file_ops,
	[NT_FAM_RINGS] = &nt_rings_ops,	      [NT_FAM_CHANNELS] = &nt_channels_ops,
	[NT_FAM_COALESCE] = &nt_coalesce_ops, [NT_FAM_FEATURES] = &nt_features_ops,
	[NT_FAM_NAPI] = &nt_napi_ops,	      [NT_FAM_KTHREAD] = &nt_kthread_ops,
};

const struct nt_fam_ops *nt_fam_get(enum nt_fam f)
{
	return (unsigned int)f < _NT_FAM_MAX ? fam_ops[f] : NULL;
}

int nt_knob_read(struct nt_ctx *ctx, const struct nt_knob *k, const struct nt_target *t, char **ret,
		 struct nt_err *reterr)
{
	return nt_fam_get(k->fam)->read(ctx, k, t, ret, reterr);
}
