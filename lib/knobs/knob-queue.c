// SPDX-License-Identifier: GPL-2.0-or-later
/* Per-queue sysfs knobs: rps_cpus, rps_flow_cnt (rx-N), xps_cpus (tx-N). */
#include "knob-fam.h"

const struct nt_fam_ops nt_queue_ops = {
	.read = nt_fam_file_read,
	.apply = nt_fam_file_apply,
	.caps = nt_fam_file_caps,
};
