// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "write.h"

/* Netlink families take several knobs of one object in one message. */
static bool same_group(const struct nt_change *a, const struct nt_change *b)
{
	if (a->knob->fam != b->knob->fam || a->result != b->result)
		return false;
	switch (a->knob->fam) {
	case NT_FAM_RINGS:
	case NT_FAM_CHANNELS:
	case NT_FAM_COALESCE:
		return a->t.ifindex == b->t.ifindex && a->ifname && b->ifname &&
		       streq(a->ifname, b->ifname);
	case NT_FAM_NAPI:
		return a->t.index == b->t.index;
	default:
		return false;
	}
}

int nt_change_groups(const struct nt_change *c, size_t n, bool (*want)(const struct nt_change *c),
		     struct nt_group **ret, size_t *ret_n)
{
	struct nt_group *g = calloc(n ? n : 1, sizeof(*g));
	size_t ng = 0;

	if (!g)
		return -ENOMEM;
	for (size_t i = 0; i < n;) {
		size_t k = i + 1;

		if (!want(&c[i])) {
			i++;
			continue;
		}
		while (k < n && k - i < NT_GROUP_MAX && want(&c[k]) && same_group(&c[i], &c[k]))
			k++;
		g[ng++] = (struct nt_group){.start = i, .end = k};
		i = k;
	}
	*ret = g;
	*ret_n = ng;
	return 0;
}

int nt_write_group(struct nt_ctx *ctx, struct nt_change **g, size_t n, bool restore,
		   struct nt_err *reterr)
{
	const struct nt_fam_ops *ops = nt_fam_get(g[0]->knob->fam);
	_cleanup_free_ struct nt_write *w = calloc(n, sizeof(*w));
	int r;

	if (!w)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		w[i] = (struct nt_write){.knob = g[i]->knob,
					 .value = restore ? g[i]->have : g[i]->want};
	r = ops->apply(ctx, &g[0]->t, w, n, reterr);
	if (r < 0)
		return r;
	for (size_t i = 0; i < n; i++) {
		_cleanup_free_ char *now = NULL;
		struct nt_err e = {};

		r = ops->read(ctx, g[i]->knob, &g[i]->t, &now, &e);
		if (r < 0)
			return nt_err_set(reterr, r,
					  "%s on '%s': written, but cannot read it back: %s",
					  g[i]->key, g[i]->object, nt_err_msg(&e, r));
		if (!nt_knob_value_equal(g[i]->knob, now, w[i].value))
			return nt_err_set(reterr, -EIO,
					  "%s on '%s': wrote '%s' but the kernel reads back '%s'",
					  g[i]->key, g[i]->object, w[i].value, now);
	}
	return 0;
}

int nt_before_write(const struct nt_apply_opts *opts, unsigned int *step, const struct nt_change *c,
		    struct nt_err *reterr)
{
	int r = opts && opts->before_write ? opts->before_write(opts->userdata, *step, c) : 0;

	(*step)++;
	if (r < 0)
		return nt_err_set(reterr, r, "%s on '%s': %s", c->key, c->object, strerror(-r));
	return 0;
}

int nt_write_back(struct nt_ctx *ctx, struct nt_plan *p, bool (*want)(const struct nt_change *c),
		  bool (*pick)(struct nt_ctx *ctx, struct nt_change *c), bool restore,
		  const struct nt_apply_opts *opts,
		  void (*mark)(struct nt_change **g, size_t n, int r, const struct nt_err *e))
{
	_cleanup_free_ struct nt_group *groups = NULL;
	unsigned int step = 0;
	size_t n_groups;
	int ret = 0, r;

	r = nt_change_groups(p->c, p->n, want, &groups, &n_groups);
	if (r < 0)
		return r;
	for (size_t k = n_groups; k-- > 0;) {
		struct nt_change *g[NT_GROUP_MAX];
		struct nt_err e = {};
		size_t n = 0;

		for (size_t i = groups[k].start; i < groups[k].end; i++)
			if (pick(ctx, &p->c[i]))
				g[n++] = &p->c[i];
		if (!n)
			continue;
		r = nt_before_write(opts, &step, g[0], &e);
		if (r >= 0)
			r = nt_write_group(ctx, g, n, restore, &e);
		mark(g, n, r < 0 ? r : 0, &e);
		if (r < 0 && ret == 0)
			ret = r;
	}
	return ret;
}

void nt_group_failed(struct nt_change **g, size_t n, enum nt_change_result result, const char *msg)
{
	for (size_t i = 0; i < n; i++) {
		g[i]->result = result;
		free(g[i]->error);
		g[i]->error = strdup(msg);
	}
}
