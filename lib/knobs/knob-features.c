// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * GRO on/off through the ethtool ioctl (ETHTOOL_GGRO/SGRO), on a socket of the
 * current network namespace. Only on the live system (or a test seam).
 */
#include <errno.h>
#include <inttypes.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/ethtool.h>
#include <linux/sockios.h>

#include "knob-fam.h"

static int gro_ioctl(const char *ifname, uint32_t cmd, uint32_t *data)
{
	_cleanup_close_ int fd = -EBADF;
	struct ethtool_value ev = {.cmd = cmd, .data = *data};
	struct ifreq ifr = {};

	if (strlen(ifname) >= sizeof(ifr.ifr_name))
		return -EINVAL;
	strcpy(ifr.ifr_name, ifname);
	ifr.ifr_data = (void *)&ev;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (ioctl(fd, SIOCETHTOOL, &ifr) < 0)
		return -errno;
	*data = ev.data;
	return 0;
}

static int gro_get(struct nt_ctx *ctx, const char *ifname, bool *ret)
{
	uint32_t v = 0;
	int r;

	if (ctx->gro_get)
		return ctx->gro_get(ifname, ret);
	if (!ctx->live)
		return -EOPNOTSUPP;
	r = gro_ioctl(ifname, ETHTOOL_GGRO, &v);
	if (r < 0)
		return r;
	*ret = v;
	return 0;
}

static int features_read(struct nt_ctx *ctx, const struct nt_knob *k _unused_,
			 const struct nt_target *t, char **ret, struct nt_err *reterr)
{
	bool on;
	int r;

	r = gro_get(ctx, t->ifname, &on);
	if (r == -EOPNOTSUPP && !ctx->live && !ctx->gro_get)
		return nt_err_set(reterr, r, "GRO is only readable on the live system");
	if (r < 0)
		return nt_err_set(reterr, r, "reading GRO of '%s': %s", t->ifname, strerror(-r));
	*ret = strdup(on ? "1" : "0");
	return *ret ? 0 : -ENOMEM;
}

static int features_apply(struct nt_ctx *ctx, const struct nt_target *t, const struct nt_write *w,
			  size_t n, struct nt_err *reterr)
{
	for (size_t i = 0; i < n; i++) {
		uint32_t v = streq(w[i].value, "1");
		int r;

		if (ctx->gro_set)
			r = ctx->gro_set(t->ifname, v);
		else if (!ctx->live)
			r = -EOPNOTSUPP;
		else
			r = gro_ioctl(t->ifname, ETHTOOL_SGRO, &v);
		if (r < 0)
			return nt_err_set(reterr, r, "setting gro %s on '%s': %s", v ? "on" : "off",
					  t->ifname, strerror(-r));
	}
	return 0;
}

static int features_caps(struct nt_ctx *ctx, const struct nt_knob *k, const struct nt_target *t,
			 uint64_t *ret_max _unused_, struct nt_err *reterr)
{
	char *v = NULL;
	int r;

	r = features_read(ctx, k, t, &v, reterr);
	free(v);
	return r;
}

const struct nt_fam_ops nt_features_ops = {
	.read = features_read,
	.apply = features_apply,
	.caps = features_caps,
};
