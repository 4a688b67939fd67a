// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * IRQ affinity through /proc/irq/N/smp_affinity_list. Managed IRQs have a 0444 file
 * (6.12+; EIO/EPERM on write before): caps reports them as unsupported.
 */
#include "knob-fam.h"

const struct nt_fam_ops nt_irq_ops = {
	.read = nt_fam_file_read,
	.apply = nt_fam_file_apply,
	.caps = nt_fam_file_caps,
};
