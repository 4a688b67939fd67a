// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/ethtool_netlink.h>
#include <linux/genetlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

#include "nl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

#define FAMILY_CACHE 8

struct nt_nl {
	struct nl_sock *sk; /* NULL with a test transport */
	struct nt_nl_transport t;
	unsigned int n_fam;
	struct {
		char name[GENL_NAMSIZ];
		uint16_t id;
	} fam[FAMILY_CACHE];
};

/* State of one request while its replies arrive. */
struct txn {
	int maxattr;
	nt_nl_reply_fn cb;
	void *userdata;
	struct nt_err *reterr;
	int err;
	bool done;
};

static void extack_copy(const struct nlmsgerr *err, const struct nlmsghdr *nlh,
			struct nt_err *reterr)
{
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	size_t off = sizeof(*err);
	int len;

	if (!reterr || !(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += NLMSG_ALIGN(err->msg.nlmsg_len - NLMSG_HDRLEN);
	len = (int)(nlh->nlmsg_len - NLMSG_HDRLEN) - (int)off;
	if (len <= 0)
		return;
	if (nla_parse(tb, NLMSGERR_ATTR_MAX, (struct nlattr *)((char *)err + off), len, NULL) < 0)
		return;
	if (tb[NLMSGERR_ATTR_MSG])
		snprintf(reterr->msg, sizeof(reterr->msg), "%s",
			 nla_get_string(tb[NLMSGERR_ATTR_MSG]));
}

static int valid_cb(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct txn *t = arg;
	struct nlattr **tb;
	int r;

	if (!t->cb)
		return NL_OK;
	tb = calloc((size_t)t->maxattr + 1, sizeof(*tb));
	if (!tb) {
		t->err = -ENOMEM;
		return NL_STOP;
	}
	r = genlmsg_parse(nlh, 0, tb, t->maxattr, NULL);
	if (r < 0)
		r = -EBADMSG;
	else
		r = t->cb(nlh, tb, t->userdata);
	free(tb);
	if (r < 0) {
		t->err = r;
		return NL_STOP;
	}
	return NL_OK;
}

static int finish_cb(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct txn *t = arg;

	/* A dump's DONE carries an int error (and extack) since 4.x. */
	if (nlh->nlmsg_len >= NLMSG_HDRLEN + sizeof(int)) {
		int e = *(int *)nlmsg_data(nlh);

		if (e < 0 && !t->err)
			t->err = e;
	}
	t->done = true;
	return NL_STOP;
}

static int ack_cb(struct nl_msg *msg _unused_, void *arg)
{
	struct txn *t = arg;

	t->done = true;
	return NL_STOP;
}

static int error_cb(struct sockaddr_nl *nla _unused_, struct nlmsgerr *err, void *arg)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)((const char *)err - NLMSG_HDRLEN);
	struct txn *t = arg;

	if (!t->err)
		t->err = err->error < 0 ? err->error : -EIO;
	extack_copy(err, nlh, t->reterr);
	t->done = true;
	return NL_STOP;
}

static int real_transact(struct nt_nl *nl, struct nl_msg *msg, int maxattr, nt_nl_reply_fn cb,
			 void *userdata, struct nt_err *reterr)
{
	struct txn t = {.maxattr = maxattr, .cb = cb, .userdata = userdata, .reterr = reterr};
	struct nl_cb *nlcb;
	int r;

	nlcb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!nlcb)
		return -ENOMEM;
	nl_cb_set(nlcb, NL_CB_VALID, NL_CB_CUSTOM, valid_cb, &t);
	nl_cb_set(nlcb, NL_CB_FINISH, NL_CB_CUSTOM, finish_cb, &t);
	nl_cb_set(nlcb, NL_CB_ACK, NL_CB_CUSTOM, ack_cb, &t);
	nl_cb_err(nlcb, NL_CB_CUSTOM, error_cb, &t);

	r = nl_send_auto(nl->sk, msg);
	if (r < 0) {
		nl_cb_put(nlcb);
		return -EIO;
	}
	while (!t.done) {
		r = nl_recvmsgs(nl->sk, nlcb);
		if (r < 0 && !t.done) {
			/* A callback stopped early, or the socket failed. */
			if (!t.err)
				t.err = r == -NLE_NOMEM ? -ENOMEM : -EIO;
			break;
		}
		if (t.err)
			break;
	}
	nl_cb_put(nlcb);
	return t.err;
}

static int real_resolve(struct nt_nl *nl, const char *family, uint16_t *ret_id)
{
	int id = genl_ctrl_resolve(nl->sk, family);

	if (id < 0)
		return id == -NLE_OBJ_NOTFOUND ? -ENOENT : -EIO;
	*ret_id = (uint16_t)id;
	return 0;
}

void nt_nl_sock_grow(struct nl_sock *sk, int bytes)
{
	int fd = nl_socket_get_fd(sk);

	(void)nl_socket_set_buffer_size(sk, bytes, bytes);
	if (fd >= 0) {
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof(bytes));
		(void)setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &bytes, sizeof(bytes));
	}
}

int nt_nl_open(struct nt_nl **ret)
{
	_cleanup_(nt_nl_freep) struct nt_nl *nl = NULL;
	int one = 1, fd;

	nl = calloc(1, sizeof(*nl));
	if (!nl)
		return -ENOMEM;
	nl->sk = nl_socket_alloc();
	if (!nl->sk)
		return -ENOMEM;
	if (genl_connect(nl->sk) < 0)
		return -EPROTONOSUPPORT;
	fd = nl_socket_get_fd(nl->sk);
	(void)setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	(void)setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	/* Large dumps (qstats of many queues) need room. */
	nt_nl_sock_grow(nl->sk, 1 << 20);
	nl_socket_set_msg_buf_size(nl->sk, 64 * 1024);
	nl->t = (struct nt_nl_transport){.transact = real_transact, .resolve = real_resolve};
	*ret = TAKE_PTR(nl);
	return 0;
}

int nt_nl_open_transport(const struct nt_nl_transport *t, struct nt_nl **ret)
{
	struct nt_nl *nl = calloc(1, sizeof(*nl));

	if (!nl)
		return -ENOMEM;
	nl->t = *t;
	*ret = nl;
	return 0;
}

struct nt_nl *nt_nl_free(struct nt_nl *nl)
{
	if (!nl)
		return NULL;
	if (nl->sk)
		nl_socket_free(nl->sk);
	free(nl);
	return NULL;
}

void *nt_nl_transport_data(const struct nt_nl *nl)
{
	return nl->t.data;
}

bool nt_nl_is_live(const struct nt_nl *nl)
{
	return nl->sk;
}

int nt_nl_family(struct nt_nl *nl, const char *name, uint16_t *ret_id)
{
	uint16_t id;
	int r;

	for (unsigned int i = 0; i < nl->n_fam; i++)
		if (streq(nl->fam[i].name, name)) {
			*ret_id = nl->fam[i].id;
			return 0;
		}
	r = nl->t.resolve(nl, name, &id);
	if (r < 0)
		return r;
	if (nl->n_fam < FAMILY_CACHE && strlen(name) < GENL_NAMSIZ) {
		strcpy(nl->fam[nl->n_fam].name, name);
		nl->fam[nl->n_fam++].id = id;
	}
	*ret_id = id;
	return 0;
}

int nt_nl_msg_new(struct nt_nl *nl, const char *family, uint8_t cmd, int flags, struct nl_msg **ret)
{
	_cleanup_(nt_nlmsg_freep) struct nl_msg *msg = NULL;
	uint16_t id;
	int r;

	r = nt_nl_family(nl, family, &id);
	if (r < 0)
		return r;
	msg = nlmsg_alloc();
	if (!msg)
		return -ENOMEM;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, id, 0, flags | NLM_F_REQUEST, cmd, 1))
		return -ENOMEM;
	*ret = TAKE_PTR(msg);
	return 0;
}

int nt_nl_transact(struct nt_nl *nl, struct nl_msg *msg, int maxattr, nt_nl_reply_fn cb,
		   void *userdata, struct nt_err *reterr)
{
	int r;

	r = nl->t.transact(nl, msg, maxattr, cb, userdata, reterr);
	nlmsg_free(msg);
	return r;
}

/* The request message of @req: family, command and the object it names. */
static int req_msg(struct nt_nl *nl, const struct nt_nl_req *req, struct nl_msg **ret)
{
	_cleanup_(nt_nlmsg_freep) struct nl_msg *msg = NULL;
	int r;

	r = nt_nl_msg_new(nl, req->family, req->cmd, req->dump ? NLM_F_DUMP : 0, &msg);
	if (r == -ENOENT)
		return -EPFNOSUPPORT; /* not the kernel's ENOENT for a missing object */
	if (r < 0)
		return r;
	if (req->header) {
		r = nt_ethnl_put_header(msg, req->header, req->ifindex, req->ifname, 0);
		if (r < 0)
			return r;
	}
	if (req->id_attr) {
		r = nt_nla_put_u32(msg, req->id_attr, req->id);
		if (r < 0)
			return r;
	}
	if (req->put) {
		r = req->put(msg, req->put_userdata);
		if (r < 0)
			return r;
	}
	*ret = TAKE_PTR(msg);
	return 0;
}

int nt_nl_get(struct nt_nl *nl, const struct nt_nl_req *req, int maxattr, nt_nl_reply_fn cb,
	      void *userdata, struct nt_err *reterr)
{
	_cleanup_(nt_nlmsg_freep) struct nl_msg *msg = NULL;
	int r;

	r = req_msg(nl, req, &msg);
	if (r < 0)
		return r;
	return nt_nl_transact(nl, TAKE_PTR(msg), maxattr, cb, userdata, reterr);
}

struct attrs_state {
	int maxattr;
	struct nt_nl_attrs a;
};

static int attrs_cb(const struct nlmsghdr *nlh _unused_, struct nlattr **tb, void *userdata)
{
	struct attrs_state *s = userdata;

	for (int i = 1; i <= s->maxattr; i++) {
		if (!tb[i])
			continue;
		if (nla_len(tb[i]) == 1)
			s->a.v[i] = nla_get_u8(tb[i]);
		else if (nt_nla_get_uint(tb[i], &s->a.v[i]) < 0)
			continue; /* nests (the header, coalesce profiles) are not values */
		s->a.have[i] = true;
	}
	return 0;
}

int nt_nl_get_attrs(struct nt_nl *nl, const struct nt_nl_req *req, int maxattr,
		    struct nt_nl_attrs *ret, struct nt_err *reterr)
{
	struct attrs_state s = {.maxattr =
					maxattr < NT_NL_ATTRS_MAX ? maxattr : NT_NL_ATTRS_MAX - 1};
	int r;

	r = nt_nl_get(nl, req, maxattr, attrs_cb, &s, reterr);
	if (r < 0)
		return r;
	*ret = s.a;
	return 0;
}

/* ---- policy dump (Documentation/userspace-api/netlink/genetlink-legacy.rst) ---- */

#define POLICY_SLOTS 32

struct policy_state {
	int attr;
	uint8_t cmd;
	int64_t do_idx; /* the op's do policy, -1 unknown */
	/* @attr's range in policy number i, if listed */
	bool have[POLICY_SLOTS];
	uint64_t min[POLICY_SLOTS], max[POLICY_SLOTS];
};

static int policy_cb(const struct nlmsghdr *nlh _unused_, struct nlattr **tb, void *userdata)
{
	struct policy_state *st = userdata;
	struct nlattr *pol, *a;
	int rem, rem2;

	if (tb[CTRL_ATTR_OP_POLICY]) {
		nla_for_each_nested(pol, tb[CTRL_ATTR_OP_POLICY], rem)
		{
			struct nlattr *t[CTRL_ATTR_POLICY_DUMP_MAX + 1];

			if (nla_type(pol) != st->cmd ||
			    nla_parse_nested(t, CTRL_ATTR_POLICY_DUMP_MAX, pol, NULL) < 0)
				continue;
			if (t[CTRL_ATTR_POLICY_DO])
				st->do_idx = nla_get_u32(t[CTRL_ATTR_POLICY_DO]);
		}
	}
	if (!tb[CTRL_ATTR_POLICY])
		return 0;
	/* CTRL_ATTR_POLICY: { policy index: { attribute: { NL_POLICY_TYPE_ATTR_* } } } */
	nla_for_each_nested(pol, tb[CTRL_ATTR_POLICY], rem)
	{
		int idx = nla_type(pol);

		if (idx < 0 || idx >= POLICY_SLOTS)
			continue;
		nla_for_each_nested(a, pol, rem2)
		{
			struct nlattr *t[NL_POLICY_TYPE_ATTR_MAX + 1];

			if (nla_type(a) != st->attr ||
			    nla_parse_nested(t, NL_POLICY_TYPE_ATTR_MAX, a, NULL) < 0)
				continue;
			if (!t[NL_POLICY_TYPE_ATTR_MAX_VALUE_U] ||
			    nla_len(t[NL_POLICY_TYPE_ATTR_MAX_VALUE_U]) != sizeof(uint64_t))
				continue;
			st->have[idx] = true;
			st->max[idx] = nla_get_u64(t[NL_POLICY_TYPE_ATTR_MAX_VALUE_U]);
			st->min[idx] =
				t[NL_POLICY_TYPE_ATTR_MIN_VALUE_U] &&
						nla_len(t[NL_POLICY_TYPE_ATTR_MIN_VALUE_U]) ==
							sizeof(uint64_t)
					? nla_get_u64(t[NL_POLICY_TYPE_ATTR_MIN_VALUE_U])
					: 0;
		}
	}
	return 0;
}

int nt_nl_policy_range(struct nt_nl *nl, const char *family, uint8_t cmd, int attr,
		       uint64_t *ret_min, uint64_t *ret_max, struct nt_err *reterr)
{
	_cleanup_(nt_nlmsg_freep) struct nl_msg *msg = NULL;
	struct policy_state st = {.attr = attr, .cmd = cmd, .do_idx = -1};
	struct nt_err e = {};
	uint16_t id;
	int r;

	r = nt_nl_family(nl, family, &id);
	if (r == -ENOENT)
		return nt_err_set(reterr, -EPFNOSUPPORT, "no %s netlink family in this kernel",
				  family);
	if (r < 0)
		return nt_err_set(reterr, r, "resolving the %s family: %s", family, strerror(-r));
	r = nt_nl_msg_new(nl, "nlctrl", CTRL_CMD_GETPOLICY, NLM_F_DUMP, &msg);
	if (r < 0)
		return nt_err_set(reterr, r == -ENOENT ? -EOPNOTSUPP : r,
				  "no nlctrl policy dump: %s", strerror(-r));
	if (nla_put_u16(msg, CTRL_ATTR_FAMILY_ID, id) < 0 ||
	    nla_put_u32(msg, CTRL_ATTR_OP, cmd) < 0)
		return -ENOMEM;
	r = nt_nl_transact(nl, TAKE_PTR(msg), CTRL_ATTR_MAX, policy_cb, &st, &e);
	if (r == -ENOENT || r == -EOPNOTSUPP || r == -EINVAL)
		/* unknown op (ENOENT), or a kernel without op-specific policy dumps */
		return nt_err_set(reterr, -EOPNOTSUPP, "%s command %u: no policy (%s%s%s)", family,
				  cmd, strerror(-r), e.msg[0] ? ": " : "", e.msg);
	if (r < 0)
		return nt_err_set(reterr, r, "%s command %u policy: %s%s%s", family, cmd,
				  strerror(-r), e.msg[0] ? ": " : "", e.msg);
	if (st.do_idx < 0 || st.do_idx >= POLICY_SLOTS || !st.have[st.do_idx])
		return nt_err_set(reterr, -EOPNOTSUPP,
				  "%s command %u takes no attribute %d on this kernel", family, cmd,
				  attr);
	if (ret_min)
		*ret_min = st.min[st.do_idx];
	if (ret_max)
		*ret_max = st.max[st.do_idx];
	return 0;
}

int nt_nl_set(struct nt_nl *nl, const struct nt_nl_req *req, const struct nt_nla *a, size_t n,
	      struct nt_err *reterr)
{
	_cleanup_(nt_nlmsg_freep) struct nl_msg *msg = NULL;
	int r;

	r = req_msg(nl, req, &msg);
	if (r < 0)
		return r;
	for (size_t i = 0; i < n; i++) {
		r = a[i].u8 ? nt_nla_put_u8(msg, a[i].attr, a[i].value ? 1 : 0)
			    : nt_nla_put_u32(msg, a[i].attr, a[i].value);
		if (r < 0)
			return r;
	}
	return nt_nl_transact(nl, TAKE_PTR(msg), 0, NULL, NULL, reterr);
}

int nt_nla_get_uint(const struct nlattr *a, uint64_t *ret)
{
	switch (nla_len(a)) {
	case sizeof(uint32_t):
		*ret = nla_get_u32((struct nlattr *)a);
		return 0;
	case sizeof(uint64_t):
		*ret = nla_get_u64((struct nlattr *)a);
		return 0;
	default:
		return -EINVAL;
	}
}

int nt_nla_put_u8(struct nl_msg *msg, int attr, uint8_t v)
{
	return nla_put_u8(msg, attr, v) < 0 ? -EMSGSIZE : 0;
}

int nt_nla_put_u32(struct nl_msg *msg, int attr, uint32_t v)
{
	return nla_put_u32(msg, attr, v) < 0 ? -EMSGSIZE : 0;
}

int nt_nla_put_string(struct nl_msg *msg, int attr, const char *s)
{
	return nla_put_string(msg, attr, s) < 0 ? -EMSGSIZE : 0;
}

int nt_ethnl_put_header(struct nl_msg *msg, int attr, int ifindex, const char *ifname,
			uint32_t flags)
{
	struct nlattr *nest = nla_nest_start(msg, attr);
	int r;

	if (!nest)
		return -EMSGSIZE;
	if (ifindex > 0)
		r = nt_nla_put_u32(msg, ETHTOOL_A_HEADER_DEV_INDEX, (uint32_t)ifindex);
	else if (ifname)
		r = nt_nla_put_string(msg, ETHTOOL_A_HEADER_DEV_NAME, ifname);
	else
		r = -EINVAL;
	if (r >= 0 && flags)
		r = nt_nla_put_u32(msg, ETHTOOL_A_HEADER_FLAGS, flags);
	if (r < 0)
		return r;
	nla_nest_end(msg, nest);
	return 0;
}
