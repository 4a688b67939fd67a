// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
