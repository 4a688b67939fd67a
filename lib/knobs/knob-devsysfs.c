// SPDX-License-Identifier: GPL-2.0-or-later
/* Per-device sysfs knobs: threaded, napi_defer_hard_irqs, gro_flush_timeout. */
#include "knob-fam.h"

const struct nt_fam_ops nt_devsysfs_ops = {
	.read = nt_fam_file_read,
	.apply = nt_fam_file_apply,
	.caps = nt_fam_file_caps,
};
