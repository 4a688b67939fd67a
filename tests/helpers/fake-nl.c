// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/genetlink.h>
#include <netlink/genl/genl.h>

#include "fake-nl.h"
#include "nl.h"

void fake_nl_init(struct fake_nl *f)
{
	memset(f, 0, sizeof(*f));
}

void fake_nl_done(struct fake_nl *f)
{
	for (unsigned int b = 0; b < FAKE_NL_BATCHES; b++)
		for (unsigned int i = 0; i < f->batch[b].n_reply; i++)
			nlmsg_free(f->batch[b].reply[i]);
	for (unsigned int i = 0; i < f->n_sent; i++)
		nlmsg_free(f->sent[i]);
	memset(f, 0, sizeof(*f));
}

void fake_nl_family(struct fake_nl *f, const char *name, uint16_t id)
{
	if (f->n_fam >= 4)
		abort();
	f->fam[f->n_fam].name = name;
	f->fam[f->n_fam++].id = id;
}

static int fake_resolve(struct nt_nl *nl, const char *family, uint16_t *ret_id)
{
	struct fake_nl *f = nt_nl_transport_data(nl);

	f->n_resolve++;
	for (unsigned int i = 0; i < f->n_fam; i++)
		if (strcmp(f->fam[i].name, family) == 0) {
			*ret_id = f->fam[i].id;
			return 0;
		}
	return -ENOENT;
}

static int fake_transact(struct nt_nl *nl, struct nl_msg *msg, int maxattr, nt_nl_reply_fn cb,
			 void *userdata, struct nt_err *reterr)
{
	struct fake_nl *f = nt_nl_transport_data(nl);
	struct fake_nl_batch *b;
	struct nlattr **tb;
	int r = 0;

	if (f->n_sent >= FAKE_NL_BATCHES)
		abort();
	f->sent[f->n_sent++] = nlmsg_convert(nlmsg_hdr(msg));
	if (f->next >= FAKE_NL_BATCHES)
		abort();
	b = &f->batch[f->next++];
	tb = calloc((size_t)maxattr + 1, sizeof(*tb));
	if (!tb)
		abort();
	for (unsigned int i = 0; i < b->n_reply && r >= 0; i++) {
		memset(tb, 0, ((size_t)maxattr + 1) * sizeof(*tb));
		r = genlmsg_parse(nlmsg_hdr(b->reply[i]), 0, tb, maxattr, NULL);
		if (r < 0)
			abort();
		if (cb)
			r = cb(nlmsg_hdr(b->reply[i]), tb, userdata);
	}
	free(tb);
	if (r < 0)
		return r;
	if (b->error && reterr && b->extack[0])
		snprintf(reterr->msg, sizeof(reterr->msg), "%s", b->extack);
	return b->error;
}

struct nt_nl *fake_nl_open(struct fake_nl *f)
{
	struct nt_nl_transport t = {
		.transact = fake_transact,
		.resolve = fake_resolve,
		.data = f,
	};
	struct nt_nl *nl = NULL;

	if (nt_nl_open_transport(&t, &nl) < 0)
		abort();
	return nl;
}

struct nl_msg *fake_nl_reply(struct fake_nl *f, unsigned int batch, uint16_t family, uint8_t cmd)
{
	struct fake_nl_batch *b = &f->batch[batch];
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg || batch >= FAKE_NL_BATCHES || b->n_reply >= FAKE_NL_MSGS)
		abort();
	if (!genlmsg_put(msg, 0, 0, family, 0, 0, cmd, 1))
		abort();
	b->reply[b->n_reply++] = msg;
	if (batch >= f->n_batch)
		f->n_batch = batch + 1;
	return msg;
}

void fake_nl_error(struct fake_nl *f, unsigned int batch, int error, const char *extack)
{
	f->batch[batch].error = error;
	snprintf(f->batch[batch].extack, sizeof(f->batch[batch].extack), "%s",
		 extack ? extack : "");
}

uint8_t fake_nl_sent_cmd(const struct fake_nl *f, unsigned int i)
{
	struct genlmsghdr *g = nlmsg_data(nlmsg_hdr(f->sent[i]));

	return g->cmd;
}

int fake_nl_sent_attrs(const struct fake_nl *f, unsigned int i, struct nlattr **tb, int maxattr)
{
	return genlmsg_parse(nlmsg_hdr(f->sent[i]), 0, tb, maxattr, NULL);
}

static void put_range(struct nl_msg *m, uint32_t policy, int attr, uint64_t max)
{
	struct nlattr *p = nla_nest_start(m, CTRL_ATTR_POLICY), *i, *a;

	if (!p || !(i = nla_nest_start(m, (int)policy)))
		abort();
	if (attr >= 0) {
		a = nla_nest_start(m, attr);
		if (!a || nla_put_u32(m, NL_POLICY_TYPE_ATTR_TYPE, NL_ATTR_TYPE_U32) < 0 ||
		    nla_put_u64(m, NL_POLICY_TYPE_ATTR_MIN_VALUE_U, 0) < 0 ||
		    nla_put_u64(m, NL_POLICY_TYPE_ATTR_MAX_VALUE_U, max) < 0)
			abort();
		nla_nest_end(m, a);
	}
	/* another attribute of the same policy, to be skipped */
	a = nla_nest_start(m, attr == 2 ? 3 : 2);
	if (!a || nla_put_u32(m, NL_POLICY_TYPE_ATTR_TYPE, NL_ATTR_TYPE_U32) < 0 ||
	    nla_put_u64(m, NL_POLICY_TYPE_ATTR_MAX_VALUE_U, 99) < 0)
		abort();
	nla_nest_end(m, a);
	nla_nest_end(m, i);
	nla_nest_end(m, p);
}

void fake_nl_policy(struct fake_nl *f, unsigned int batch, uint16_t ctrl_id, uint16_t family_id,
		    uint32_t op, uint32_t do_idx, int attr, uint64_t max)
{
	struct nl_msg *m = fake_nl_reply(f, batch, ctrl_id, CTRL_CMD_GETPOLICY);
	struct nlattr *ops, *o;

	/* as the kernel sends them: the op's policy numbers, then each policy */
	if (nla_put_u16(m, CTRL_ATTR_FAMILY_ID, family_id) < 0 ||
	    !(ops = nla_nest_start(m, CTRL_ATTR_OP_POLICY)) || !(o = nla_nest_start(m, (int)op)) ||
	    nla_put_u32(m, CTRL_ATTR_POLICY_DO, do_idx) < 0 ||
	    nla_put_u32(m, CTRL_ATTR_POLICY_DUMP, do_idx + 1) < 0)
		abort();
	nla_nest_end(m, o);
	nla_nest_end(m, ops);
	m = fake_nl_reply(f, batch, ctrl_id, CTRL_CMD_GETPOLICY);
	if (nla_put_u16(m, CTRL_ATTR_FAMILY_ID, family_id) < 0)
		abort();
	put_range(m, do_idx, attr, max);
	m = fake_nl_reply(f, batch, ctrl_id, CTRL_CMD_GETPOLICY);
	if (nla_put_u16(m, CTRL_ATTR_FAMILY_ID, family_id) < 0)
		abort();
	put_range(m, do_idx + 1, attr < 0 ? 8 : attr, max + 5);
}
