/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A netlink transport for unit tests: records every request and answers each
 * nt_nl_transact() with the next batch of canned replies (and error/extack).
 */
#ifndef NT_FAKE_NL_H
#define NT_FAKE_NL_H

#include <stdint.h>

#include <netlink/msg.h>

struct nt_nl;

#define FAKE_NL_BATCHES 16
#define FAKE_NL_MSGS	64

struct fake_nl_batch {
	struct nl_msg *reply[FAKE_NL_MSGS];
	unsigned int n_reply;
	int error;
	char extack[256];
};

struct fake_nl {
	struct fake_nl_batch batch[FAKE_NL_BATCHES];
	unsigned int n_batch; /* batches defined */
	unsigned int next;    /* batch the next transact consumes */
	struct nl_msg *sent[FAKE_NL_BATCHES];
	unsigned int n_sent;
	unsigned int n_resolve;
	struct {
		const char *name;
		uint16_t id;
	} fam[4];
	unsigned int n_fam;
};

void fake_nl_init(struct fake_nl *f);
void fake_nl_done(struct fake_nl *f);
void fake_nl_family(struct fake_nl *f, const char *name, uint16_t id);
/* An nt_nl handle on top of @f. */
struct nt_nl *fake_nl_open(struct fake_nl *f);
/* A reply message for batch @batch (0-based) that the test fills with attributes. */
struct nl_msg *fake_nl_reply(struct fake_nl *f, unsigned int batch, uint16_t family, uint8_t cmd);
void fake_nl_error(struct fake_nl *f, unsigned int batch, int error, const char *extack);
/*
 * A kernel's CTRL_CMD_GETPOLICY dump for op @op of the family @family_id into batch @batch:
 * the op's do policy is number @do_idx, in which attribute @attr is a u32 of range 0..@max;
 * policy @do_idx + 1 (another op's) gives @attr the range 0..@max + 5, which the reader
 * must not take. @attr < 0: the do policy lacks the attribute.
 */
void fake_nl_policy(struct fake_nl *f, unsigned int batch, uint16_t ctrl_id, uint16_t family_id,
		    uint32_t op, uint32_t do_idx, int attr, uint64_t max);
/* The genl command and attributes (parsed up to maxattr into tb) of request @i. */
uint8_t fake_nl_sent_cmd(const struct fake_nl *f, unsigned int i);
int fake_nl_sent_attrs(const struct fake_nl *f, unsigned int i, struct nlattr **tb, int maxattr);

#endif
