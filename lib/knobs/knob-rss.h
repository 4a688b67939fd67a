/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * RSS: the indirection table, the hash key and the hash fields of a device
 * (Documentation/networking/scaling.rst "RSS: Receive Side Scaling").
 *
 * Read through ethtool netlink RSS_GET (6.4+) or, where the kernel has none, the
 * ETHTOOL_GRSSH ioctl; written through netlink RSS_SET where the kernel has it (6.18+)
 * and otherwise through the ETHTOOL_SRSSH ioctl, as the ethtool program does on older
 * kernels; hash fields through ETHTOOL_GRXFH/SRXFH.
 *
 * Values are text, like every knob (knob.h):
 *   rss.indir   the table, one queue index per entry: "0 1 2 3 0 1 ..."; a profile may
 *               instead give "equal N" (entry i -> i % N, the kernel's default table,
 *               ethtool_rxfh_indir_default()) or "weights W0 W1 ..." (entries in proportion
 *               to the weights, as `ethtool -X DEV weight ...` fills them) or "queues Q0
 *               Q1 ..." (entry i -> the (i mod n)-th listed queue: the table spread equally
 *               over those queues; what a profile's { cpus: CPUs } resolves to, the
 *               queues whose IRQs sit on those CPUs), expanded to the device's table size
 *               when written and compared.
 *   rss.hkey    the key as `ethtool -x` prints it: "6d:5a:56:da:...".
 *   rss.hash.*  the fields hashed for one flow type, in ethtool's letters: "sd", "sdfn".
 */
#ifndef NT_KNOB_RSS_H
#define NT_KNOB_RSS_H

#include <stddef.h>
#include <stdint.h>

/*
 * ethtool netlink ids bookworm's 6.1 headers lack: RSS_GET came in 6.4 after PSE_SET (37),
 * RSS_SET in 6.18 (Documentation/netlink/specs/ethtool.yaml); the RSS attributes are
 * the same for both.
 */
#define NT_ETHTOOL_MSG_RSS_GET	 38
#define NT_ETHTOOL_MSG_RSS_SET	 48
#define NT_ETHTOOL_A_RSS_HEADER	 1
#define NT_ETHTOOL_A_RSS_CONTEXT 2
#define NT_ETHTOOL_A_RSS_HFUNC	 3
#define NT_ETHTOOL_A_RSS_INDIR	 4 /* binary: u32 per entry */
#define NT_ETHTOOL_A_RSS_HKEY	 5 /* binary */
#define NT_ETHTOOL_A_RSS_MAX	 10

/* Table and key sizes napitune accepts (the kernel's netlink policy allows no more). */
#define NT_RSS_INDIR_MAX 4096
#define NT_RSS_KEY_MAX	 256

/*
 * Canonical form of an rss.indir value: "equal N", "weights W...", "queues Q...", or a
 * table of queue indexes separated by single spaces. -EINVAL/-ERANGE with the reason in reterr.
 */
struct nt_err;
int nt_rss_indir_parse(const char *text, char **ret, struct nt_err *reterr);
/*
 * The table of @size entries that @text (canonical or not) stands for. A table must have
 * exactly @size entries (-EINVAL). @ret holds @size entries.
 */
int nt_rss_indir_expand(const char *text, unsigned int size, uint32_t *ret);
/* Entries if @text is a table, 0 if it is a spec ("equal", "weights", "queues"), <0 if bad. */
int nt_rss_indir_size(const char *text);
/*
 * RX queues @text needs: N of "equal N", up to the last non-zero weight, or the highest
 * queue named + 1.
 */
int nt_rss_indir_queues(const char *text);
/*
 * "128 entries: q0 25.0%, q1 25.0%, ..." of a table: the share of its entries that point at
 * each queue, for queues 0 up to the highest the table names and at least @n_queues.
 */
int nt_rss_indir_summary(const uint32_t *indir, unsigned int size, unsigned int n_queues,
			 char **ret);

/* "6d:5a:..." (or plain hex) -> bytes; returns the length, or -EINVAL. */
int nt_rss_key_parse(const char *text, uint8_t *ret, size_t max);
int nt_rss_key_format(const uint8_t *key, size_t n, char **ret);

/* ethtool letters <-> RXH_* bits ("sdfn" <-> RXH_IP_SRC|RXH_IP_DST|RXH_L4_B_0_1|RXH_L4_B_2_3). */
int nt_rss_fields_parse(const char *text, uint32_t *ret);
int nt_rss_fields_format(uint32_t bits, char **ret);

/*
 * What RSS_GET (or ETHTOOL_GRSSH) reports of a device's main context, the reader of the
 * rss.indir and rss.hkey knobs: its table, key length and hash function. For the map and
 * for diagnose (through the snapshot). -EOPNOTSUPP: no RSS on the device (lo, veth, a
 * driver without get_rxfh) or no way to ask here (a fixture tree).
 */
struct nt_ctx;
struct nt_target;
struct nt_rss_info {
	uint32_t *indir; /* n_indir entries (malloc'd) */
	unsigned int n_indir;
	unsigned int key_len; /* bytes, 0 if the device reports no key */
	uint32_t hfunc;	      /* ETH_RSS_HASH_* bits, 0 unknown */
};
int nt_rss_info_read(struct nt_ctx *ctx, const struct nt_target *t, struct nt_rss_info *ret,
		     struct nt_err *reterr);
void nt_rss_info_done(struct nt_rss_info *info);
/* "toeplitz", "xor", "crc32" (ethtool's names of the ETH_RSS_HASH_* bits), or NULL. */
const char *nt_rss_hfunc_name(uint32_t hfunc);

#endif
