/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Generic netlink plumbing on libnl-3: one socket, cached family ids, request/reply
 * with the kernel's extended ACK. libnl's -NLE_* codes never leave nl.c: callers see
 * the kernel's -errno and its extack text (in reterr).
 *
 * Every request goes through a transport, so unit tests can replace the kernel with
 * canned replies (tests/helpers/fake-nl.c) and check what was sent.
 */
#ifndef NT_NL_H
#define NT_NL_H

#include <stdbool.h>
#include <stdint.h>

#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>

#include "error.h"
#include "macro.h"

struct nt_nl;

/*
 * Called once per reply message (a GET's reply, or each message of a dump) with the
 * attributes after the genl header. Return 0 to continue or a negative errno to stop;
 * that errno is returned by nt_nl_transact().
 */
typedef int (*nt_nl_reply_fn)(const struct nlmsghdr *nlh, struct nlattr **tb, void *userdata);

struct nt_nl_transport {
	/*
	 * Sends @msg (a complete genl message, not yet finalised with seq/pid) and
	 * feeds each reply through @cb after parsing with @maxattr/@policy. Returns the
	 * ack's -errno (0 on success); copies the extack message to reterr.
	 */
	int (*transact)(struct nt_nl *nl, struct nl_msg *msg, int maxattr, nt_nl_reply_fn cb,
			void *userdata, struct nt_err *reterr);
	/* Resolves a genl family name; -ENOENT if the kernel lacks it. */
	int (*resolve)(struct nt_nl *nl, const char *family, uint16_t *ret_id);
	void *data;
};

/* A real NETLINK_GENERIC socket with NETLINK_EXT_ACK and NETLINK_CAP_ACK enabled. */
int nt_nl_open(struct nt_nl **ret);
/*
 * Gives a connected libnl socket @bytes of receive and send buffer. SO_RCVBUF is capped by
 * net.core.rmem_max: with a tiny rmem_max a dump fails with ENOBUFS (libnl: "out of memory"),
 * so SO_RCVBUFFORCE is tried first (CAP_NET_ADMIN). Best effort: never fails.
 */
struct nl_sock;
void nt_nl_sock_grow(struct nl_sock *sk, int bytes);
/* A handle that talks through @t instead of a socket (tests). */
int nt_nl_open_transport(const struct nt_nl_transport *t, struct nt_nl **ret);
struct nt_nl *nt_nl_free(struct nt_nl *nl);
DEFINE_TRIVIAL_CLEANUP_FUNC(struct nt_nl *, nt_nl_free);
void *nt_nl_transport_data(const struct nt_nl *nl);
/* True for a handle on a real kernel socket (not a test transport). */
bool nt_nl_is_live(const struct nt_nl *nl);

/* Family id, cached per handle; -ENOENT if this kernel has no such family. */
int nt_nl_family(struct nt_nl *nl, const char *name, uint16_t *ret_id);

/*
 * A new genl request for @family (resolved by name), command @cmd, nlmsg @flags
 * (NLM_F_REQUEST is always added; add NLM_F_DUMP for dumps; NLM_F_ACK is added by
 * nt_nl_transact). Returns -ENOENT if the family is missing.
 */
int nt_nl_msg_new(struct nt_nl *nl, const char *family, uint8_t cmd, int flags,
		  struct nl_msg **ret);

/* Sends @msg (consumed), calls @cb for every reply, waits for the final ack or DONE. */
int nt_nl_transact(struct nt_nl *nl, struct nl_msg *msg, int maxattr, nt_nl_reply_fn cb,
		   void *userdata, struct nt_err *reterr);

/*
 * One request of any family, built the same way for GET and SET (ethtool's
 * nlsock_prep_get_request() idea): the family and command, and the object it is about,
 * named by an ethtool request-header nest (a device) and/or one u32 attribute (a NAPI id).
 */
struct nt_nl_req {
	const char *family;
	uint8_t cmd;
	bool dump;
	int header;  /* ETHTOOL_A_*_HEADER nest naming the device; 0: none */
	int ifindex; /* with header: the device by index (> 0), else by name */
	const char *ifname;
	int id_attr; /* a u32 attribute naming the object (NETDEV_A_NAPI_ID); 0: none */
	uint32_t id;
	/* More request attributes (a string set, stats groups); NULL: none. -errno to fail. */
	int (*put)(struct nl_msg *msg, void *userdata);
	void *put_userdata;
};

/*
 * GET (or dump) @req and feed every reply through @cb. -EPFNOSUPPORT if this kernel lacks
 * the family; otherwise the kernel's -errno, with its extack message in reterr.
 */
int nt_nl_get(struct nt_nl *nl, const struct nt_nl_req *req, int maxattr, nt_nl_reply_fn cb,
	      void *userdata, struct nt_err *reterr);

/* Every scalar attribute of one GET reply by id: u8, u32 and 8-byte uint values. */
#define NT_NL_ATTRS_MAX 40

struct nt_nl_attrs {
	uint64_t v[NT_NL_ATTRS_MAX];
	bool have[NT_NL_ATTRS_MAX];
};

int nt_nl_get_attrs(struct nt_nl *nl, const struct nt_nl_req *req, int maxattr,
		    struct nt_nl_attrs *ret, struct nt_err *reterr);

/*
 * The unsigned range the kernel's policy gives attribute @attr of @family's command @cmd (its
 * "do" policy), from nlctrl CTRL_CMD_GETPOLICY with CTRL_ATTR_OP (5.10+). This tells kernels
 * apart where the family's version does not (netdev stays version 1): napi-set's threaded
 * allows 0..1 on 6.17/6.18 and 0..2 (busy-poll) from 6.19. -EPFNOSUPPORT if the kernel lacks
 * the family, -EOPNOTSUPP if it lacks the command or the command's policy lacks the attribute
 * (or has no unsigned range for it); otherwise the kernel's -errno, with reterr saying so.
 */
int nt_nl_policy_range(struct nt_nl *nl, const char *family, uint8_t cmd, int attr,
		       uint64_t *ret_min, uint64_t *ret_max, struct nt_err *reterr);

/* One attribute of a SET: NLA_U8 (ethtool's booleans) or NLA_U32. */
struct nt_nla {
	int attr;
	bool u8;
	uint32_t value;
};

/*
 * SET: one message carrying every attribute of @a. -EPFNOSUPPORT if this kernel lacks the
 * family; otherwise the kernel's -errno, with its extack message (which names the attribute) in
 * reterr.
 */
int nt_nl_set(struct nt_nl *nl, const struct nt_nl_req *req, const struct nt_nla *a, size_t n,
	      struct nt_err *reterr);

/*
 * NLA_UINT-style attributes: the kernel sends 4 bytes if the value fits, else 8.
 * Returns 0 and the value, or -EINVAL for any other length.
 */
int nt_nla_get_uint(const struct nlattr *a, uint64_t *ret);

/* Typed attribute puts that return -errno (no NLA_PUT_* goto macros). */
int nt_nla_put_u8(struct nl_msg *msg, int attr, uint8_t v);
int nt_nla_put_u32(struct nl_msg *msg, int attr, uint32_t v);
int nt_nla_put_string(struct nl_msg *msg, int attr, const char *s);
/* ethtool request header nest (ETHTOOL_A_*_HEADER): dev index (or name if 0) and flags. */
int nt_ethnl_put_header(struct nl_msg *msg, int attr, int ifindex, const char *ifname,
			uint32_t flags);

static inline void nt_nlmsg_freep(struct nl_msg **m)
{
	if (*m)
		nlmsg_free(*m);
}

#endif
