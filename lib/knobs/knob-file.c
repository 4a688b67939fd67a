// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The file-backed knobs: per device (/sys/class/net/DEV/{threaded,napi_defer_hard_irqs,
 * gro_flush_timeout}), per queue (.../queues/{rx,tx}-N/{rps_cpus,rps_flow_cnt,xps_cpus})
 * and per IRQ (/proc/irq/N/smp_affinity_list; managed IRQs have a 0444 file since 6.12,
 * EIO/EPERM on write before, so caps reports them as unsupported). One family
 * implementation for all three; sysctls (knob-sysctl.c) use the same helpers.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fs.h"
#include "knob-fam.h"

int nt_knob_file(const struct nt_knob *k, const struct nt_target *t, char **ret)
{
	char *p = NULL;
	int r;

	switch (k->fam) {
	case NT_FAM_SYSCTL:
		return nt_sysctl_path(t->sysctl ? t->sysctl : k->key, ret);
	case NT_FAM_DEVSYSFS:
		if (!t->ifname || strchr(t->ifname, '/') || streq(t->ifname, "..") ||
		    streq(t->ifname, "."))
			return -EINVAL;
		r = asprintf(&p, k->path, t->ifname);
		break;
	case NT_FAM_QUEUE:
		if (!t->ifname || strchr(t->ifname, '/') || streq(t->ifname, "..") ||
		    streq(t->ifname, "."))
			return -EINVAL;
		r = asprintf(&p, k->path, t->ifname, t->index);
		break;
	case NT_FAM_IRQ:
		r = asprintf(&p, k->path, t->index);
		break;
	default:
		return -EINVAL;
	}
	if (r < 0)
		return -ENOMEM;
	*ret = p;
	return 0;
}

int nt_fam_file_read(struct nt_ctx *ctx, const struct nt_knob *k, const struct nt_target *t,
		     char **ret, struct nt_err *reterr)
{
	_cleanup_free_ char *path = NULL;
	int r;

	r = nt_knob_file(k, t, &path);
	if (r < 0)
		return nt_err_set(reterr, r, "no file for '%s'", k->key);
	r = nt_read_line(ctx->root, path, ret);
	if (r == -ENOENT && !nt_path_exists(ctx->root, path))
		return nt_err_set(reterr, -EOPNOTSUPP, "/%s does not exist on this kernel", path);
	if (r < 0)
		return nt_err_set(reterr, r, "cannot read /%s: %s", path, strerror(-r));
	return 0;
}

int nt_fam_file_apply(struct nt_ctx *ctx, const struct nt_target *t, const struct nt_write *w,
		      size_t n, struct nt_err *reterr)
{
	for (size_t i = 0; i < n; i++) {
		_cleanup_free_ char *path = NULL;
		int r;

		r = nt_knob_file(w[i].knob, t, &path);
		if (r < 0)
			return nt_err_set(reterr, r, "no file for '%s'", w[i].knob->key);
		r = nt_write_file(ctx->root, path, w[i].value);
		if (r < 0)
			return nt_err_set(reterr, r, "writing '%s' to /%s: %s", w[i].value, path,
					  strerror(-r));
	}
	return 0;
}

int nt_fam_file_caps(struct nt_ctx *ctx, const struct nt_knob *k, const struct nt_target *t,
		     uint64_t *ret_max _unused_, struct nt_err *reterr)
{
	_cleanup_free_ char *path = NULL;
	struct stat st;
	int r;

	r = nt_knob_file(k, t, &path);
	if (r < 0)
		return nt_err_set(reterr, r, "no file for '%s'", k->key);
	if (fstatat(nt_root_fd(ctx->root), path, &st, 0) < 0) {
		if (errno == ENOENT)
			return nt_err_set(reterr, -EOPNOTSUPP, "/%s does not exist on this kernel",
					  path);
		return nt_err_set(reterr, -errno, "/%s: %s", path, strerror(errno));
	}
	if (!S_ISREG(st.st_mode))
		return nt_err_set(reterr, -EOPNOTSUPP, "/%s is not a file", path);
	if (!(st.st_mode & 0222)) {
		if (k->fam == NT_FAM_IRQ)
			return nt_err_set(reterr, -EOPNOTSUPP,
					  "IRQ %u is managed by the kernel (read-only affinity)",
					  t->index);
		return nt_err_set(reterr, -EOPNOTSUPP, "/%s is read-only here%s", path,
				  k->fam == NT_FAM_SYSCTL ? " (global sysctl seen from a "
							    "network namespace?)"
							  : "");
	}
	return 0;
}

const struct nt_fam_ops nt_file_ops = {
	.read = nt_fam_file_read,
	.apply = nt_fam_file_apply,
	.caps = nt_fam_file_caps,
};
