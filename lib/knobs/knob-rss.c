// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * RSS (knob-rss.h): the values' text forms, and the family. The table and the key are read
 * through ethtool netlink RSS_GET, or through the ETHTOOL_GRSSH ioctl where the kernel has
 * no RSS_GET (6.1); they are written in one request, through netlink RSS_SET where the
 * kernel has it (6.18+) and else through the ETHTOOL_SRSSH ioctl, which is what the
 * ethtool program does on those kernels. No kernel version is compared: a kernel without
 * RSS_GET or RSS_SET answers EOPNOTSUPP (genetlink has no such command) and the ioctl
 * follows. The hash fields go through ETHTOOL_GRXFH / ETHTOOL_SRXFH, one flow type each.
 */
#define _GNU_SOURCE
#include <ctype.h>
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
#include <linux/ethtool_netlink.h>
#include <linux/sockios.h>

#include "knob-netlink.h"
#include "knob-rss.h"
#include "parse-util.h"

/* 6.1's enum ends with PSE_SET; RSS_GET follows it (6.4). */
_Static_assert(ETHTOOL_MSG_PSE_SET + 1 == NT_ETHTOOL_MSG_RSS_GET, "ethtool RSS_GET id");

/* ---- values ---- */

/* Up to NT_RSS_INDIR_MAX decimal words after @p; -EINVAL for anything else. */
static int parse_words(const char *p, uint32_t *ret, size_t max, size_t *ret_n)
{
	size_t n = 0;

	for (;;) {
		uint64_t v = 0;

		while (isspace((unsigned char)*p) || *p == ',')
			p++;
		if (!*p)
			break;
		if (!isdigit((unsigned char)*p) || n >= max)
			return -EINVAL;
		for (; isdigit((unsigned char)*p); p++) {
			v = v * 10 + (uint64_t)(*p - '0');
			if (v > UINT32_MAX)
				return -ERANGE;
		}
		if (*p && !isspace((unsigned char)*p) && *p != ',')
			return -EINVAL;
		ret[n++] = (uint32_t)v;
	}
	*ret_n = n;
	return 0;
}

enum indir_kind { INDIR_TABLE, INDIR_EQUAL, INDIR_WEIGHTS, INDIR_QUEUES };

/* Splits @text into its kind and numbers (@w holds NT_RSS_INDIR_MAX). */
static int indir_split(const char *text, enum indir_kind *ret_kind, uint32_t *w, size_t *ret_n)
{
	const char *p = text;

	while (isspace((unsigned char)*p))
		p++;
	*ret_kind = INDIR_TABLE;
	if (strncmp(p, "equal", 5) == 0 && (isspace((unsigned char)p[5]) || p[5] == ':')) {
		*ret_kind = INDIR_EQUAL;
		p += 6;
	} else if (strncmp(p, "weights", 7) == 0 && (isspace((unsigned char)p[7]) || p[7] == ':')) {
		*ret_kind = INDIR_WEIGHTS;
		p += 8;
	} else if (strncmp(p, "queues", 6) == 0 && (isspace((unsigned char)p[6]) || p[6] == ':')) {
		*ret_kind = INDIR_QUEUES;
		p += 7;
	}
	return parse_words(p, w, NT_RSS_INDIR_MAX, ret_n);
}

int nt_rss_indir_parse(const char *text, char **ret, struct nt_err *reterr)
{
	_cleanup_free_ uint32_t *w = calloc(NT_RSS_INDIR_MAX, sizeof(*w));
	_cleanup_free_ char *out = NULL;
	enum indir_kind kind;
	uint64_t sum = 0;
	size_t n, len = 0;
	int r;

	if (!w)
		return -ENOMEM;
	r = indir_split(text, &kind, w, &n);
	if (r < 0 || n == 0)
		return nt_err_set(
			reterr, r < 0 ? r : -EINVAL,
			"'%s' is not an RSS table: { equal: N }, { weights: [W0, W1, ...] },"
			" { cpus: CPUs } or up to %d queue indexes",
			text, NT_RSS_INDIR_MAX);
	switch (kind) {
	case INDIR_EQUAL:
		if (n != 1 || w[0] == 0 || w[0] > NT_RSS_INDIR_MAX)
			return nt_err_set(reterr, -ERANGE, "'equal' takes one queue count, 1..%d",
					  NT_RSS_INDIR_MAX);
		if (asprintf(&out, "equal %" PRIu32, w[0]) < 0)
			return -ENOMEM;
		*ret = TAKE_PTR(out);
		return 0;
	case INDIR_WEIGHTS:
		for (size_t i = 0; i < n; i++)
			sum += w[i];
		if (sum == 0)
			return nt_err_set(reterr, -EINVAL,
					  "'weights' need at least one weight above 0");
		if (sum > UINT32_MAX)
			return nt_err_set(reterr, -ERANGE, "the weights add up to more than %u",
					  UINT32_MAX);
		break;
	case INDIR_QUEUES:
		/* Distinct queues, each once: the table spreads over them equally. */
		for (size_t i = 0; i < n; i++)
			for (size_t j = 0; j < i; j++)
				if (w[i] == w[j])
					return nt_err_set(reterr, -EINVAL,
							  "'queues' names queue %" PRIu32 " twice",
							  w[i]);
		break;
	default:
		break;
	}
	out = malloc(n * 11 + sizeof("weights"));
	if (!out)
		return -ENOMEM;
	if (kind == INDIR_WEIGHTS)
		len = (size_t)sprintf(out, "weights");
	else if (kind == INDIR_QUEUES)
		len = (size_t)sprintf(out, "queues");
	for (size_t i = 0; i < n; i++)
		len += (size_t)sprintf(out + len, "%s%" PRIu32, len ? " " : "", w[i]);
	*ret = TAKE_PTR(out);
	return 0;
}

/* The words of a stored table value, in a buffer the caller frees; -EINVAL when empty. */
static int indir_words(const char *text, enum indir_kind *kind, uint32_t **ret, size_t *n)
{
	_cleanup_free_ uint32_t *w = calloc(NT_RSS_INDIR_MAX, sizeof(*w));
	int r;

	if (!w)
		return -ENOMEM;
	r = indir_split(text, kind, w, n);
	if (r < 0)
		return r;
	if (*n == 0)
		return -EINVAL;
	*ret = TAKE_PTR(w);
	return 0;
}

int nt_rss_indir_size(const char *text)
{
	_cleanup_free_ uint32_t *w = NULL;
	enum indir_kind kind;
	size_t n;
	int r;

	r = indir_words(text, &kind, &w, &n);
	if (r < 0)
		return r;
	return kind == INDIR_TABLE ? (int)n : 0;
}

int nt_rss_indir_queues(const char *text)
{
	_cleanup_free_ uint32_t *w = NULL;
	enum indir_kind kind;
	uint32_t need = 0;
	size_t n;
	int r;

	r = indir_words(text, &kind, &w, &n);
	if (r < 0)
		return r;
	for (size_t i = 0; i < n; i++) {
		uint32_t q = kind == INDIR_EQUAL     ? w[i]
			     : kind == INDIR_WEIGHTS ? (w[i] ? i + 1 : 0)
						     : w[i] + 1; /* a table, or queues */

		need = q > need ? q : need;
	}
	return need > INT32_MAX ? -ERANGE : (int)need;
}

int nt_rss_indir_expand(const char *text, unsigned int size, uint32_t *ret)
{
	_cleanup_free_ uint32_t *w = NULL;
	enum indir_kind kind;
	uint64_t sum = 0, partial = 0;
	size_t n, j = 0;
	int r;

	if (size == 0 || size > NT_RSS_INDIR_MAX)
		return -EINVAL;
	r = indir_words(text, &kind, &w, &n);
	if (r < 0)
		return r;
	switch (kind) {
	case INDIR_TABLE:
		if (n != size)
			return -EINVAL;
		memcpy(ret, w, size * sizeof(*ret));
		return 0;
	case INDIR_EQUAL:
		if (n != 1 || w[0] == 0)
			return -EINVAL;
		for (unsigned int i = 0; i < size; i++)
			ret[i] = i % w[0];
		return 0;
	case INDIR_QUEUES:
		/* Entry i -> the (i mod n)-th queue named: the listed queues in turn. */
		for (unsigned int i = 0; i < size; i++)
			ret[i] = w[i % n];
		return 0;
	case INDIR_WEIGHTS:
		for (size_t i = 0; i < n; i++)
			sum += w[i];
		if (sum == 0)
			return -EINVAL;
		/*
		 * As `ethtool -X DEV weight W0 W1 ...` fills the table (ethtool(8)): entry i
		 * goes to the first queue j with i < size * (W0 + ... + Wj) / sum, in integer
		 * arithmetic, so the same weights give ethtool's table entry for entry.
		 */
		for (unsigned int i = 0; i < size; i++) {
			while ((uint64_t)i >= (uint64_t)size * partial / sum)
				partial += w[j++];
			ret[i] = (uint32_t)(j - 1);
		}
		return 0;
	}
	return -EINVAL;
}

int nt_rss_indir_summary(const uint32_t *indir, unsigned int size, unsigned int n_queues,
			 char **ret)
{
	_cleanup_free_ unsigned int *count = NULL;
	_cleanup_free_ char *out = NULL;
	uint32_t top = n_queues ? n_queues - 1 : 0;
	size_t len = 0;

	for (unsigned int i = 0; i < size; i++)
		top = indir[i] > top ? indir[i] : top;
	if (size == 0 || top >= NT_RSS_INDIR_MAX)
		return -EINVAL;
	count = calloc(top + 1, sizeof(*count));
	out = malloc((top + 1) * 24 + 32);
	if (!count || !out)
		return -ENOMEM;
	for (unsigned int i = 0; i < size; i++)
		count[indir[i]]++;
	len = (size_t)sprintf(out, "%u entries:", size);
	for (uint32_t q = 0; q <= top; q++) {
		unsigned int pm = (count[q] * 1000 + size / 2) / size; /* per mille, rounded */

		len += (size_t)sprintf(out + len, "%s q%" PRIu32 " %u.%u%%", q ? "," : "", q,
				       pm / 10, pm % 10);
	}
	*ret = TAKE_PTR(out);
	return 0;
}

int nt_rss_key_parse(const char *text, uint8_t *ret, size_t max)
{
	size_t n = 0;
	const char *p = text;

	while (isspace((unsigned char)*p))
		p++;
	while (*p && !isspace((unsigned char)*p)) {
		char hex[3] = {p[0], p[0] ? p[1] : 0, 0};

		if (!isxdigit((unsigned char)hex[0]) || !isxdigit((unsigned char)hex[1]) ||
		    n >= max)
			return -EINVAL;
		ret[n++] = (uint8_t)strtoul(hex, NULL, 16);
		p += 2;
		if (*p == ':') {
			p++;
			if (!isxdigit((unsigned char)*p))
				return -EINVAL;
		}
	}
	while (isspace((unsigned char)*p))
		p++;
	if (*p || n == 0)
		return -EINVAL;
	return (int)n;
}

int nt_rss_key_format(const uint8_t *key, size_t n, char **ret)
{
	char *out = malloc(n * 3 + 1);

	if (!out)
		return -ENOMEM;
	out[0] = '\0';
	for (size_t i = 0, len = 0; i < n; i++)
		len += (size_t)sprintf(out + len, "%s%02x", i ? ":" : "", key[i]);
	*ret = out;
	return 0;
}

/* ethtool's letters for the RXH_* bits, in the order `ethtool -n` lists them. */
static const struct {
	char c;
	uint32_t bit;
} rxh_letters[] = {
	{'m', RXH_L2DA},   {'v', RXH_VLAN},	{'t', RXH_L3_PROTO}, {'s', RXH_IP_SRC},
	{'d', RXH_IP_DST}, {'f', RXH_L4_B_0_1}, {'n', RXH_L4_B_2_3}, {'r', RXH_DISCARD},
};

int nt_rss_fields_parse(const char *text, uint32_t *ret)
{
	uint32_t bits = 0;
	const char *p = text;

	while (isspace((unsigned char)*p))
		p++;
	for (; *p && !isspace((unsigned char)*p); p++) {
		size_t i;

		for (i = 0; i < ARRAY_SIZE(rxh_letters); i++)
			if (rxh_letters[i].c == *p)
				break;
		if (i == ARRAY_SIZE(rxh_letters) || (bits & rxh_letters[i].bit))
			return -EINVAL;
		bits |= rxh_letters[i].bit;
	}
	while (isspace((unsigned char)*p))
		p++;
	if (*p || bits == 0)
		return -EINVAL;
	*ret = bits;
	return 0;
}

int nt_rss_fields_format(uint32_t bits, char **ret)
{
	char buf[ARRAY_SIZE(rxh_letters) + 1];
	size_t n = 0;

	for (size_t i = 0; i < ARRAY_SIZE(rxh_letters); i++)
		if (bits & rxh_letters[i].bit) {
			buf[n++] = rxh_letters[i].c;
			bits &= ~rxh_letters[i].bit;
		}
	buf[n] = '\0';
	if (bits || n == 0)
		return -EINVAL; /* a bit ethtool has no letter for: not ours to rewrite */
	*ret = strdup(buf);
	return *ret ? 0 : -ENOMEM;
}

/* ---- the kernel ---- */

struct rss_state {
	uint32_t indir[NT_RSS_INDIR_MAX];
	unsigned int n_indir;
	uint8_t key[NT_RSS_KEY_MAX];
	unsigned int n_key;
	uint32_t hfunc; /* ETH_RSS_HASH_* bits (include/uapi/linux/ethtool.h), 0 unknown */
	bool by_ioctl;	/* read through ETHTOOL_GRSSH: the kernel has no RSS_GET (nor RSS_SET) */
};

static int rss_get_cb(const struct nlmsghdr *nlh _unused_, struct nlattr **tb, void *userdata)
{
	struct rss_state *st = userdata;
	struct nlattr *a;

	a = tb[NT_ETHTOOL_A_RSS_HFUNC];
	if (a && nla_len(a) >= (int)sizeof(uint32_t))
		st->hfunc = nla_get_u32(a);
	a = tb[NT_ETHTOOL_A_RSS_INDIR];
	if (a) {
		size_t len = (size_t)nla_len(a);

		if (len % sizeof(uint32_t) || len / sizeof(uint32_t) > NT_RSS_INDIR_MAX)
			return -EBADMSG;
		memcpy(st->indir, nla_data(a), len);
		st->n_indir = (unsigned int)(len / sizeof(uint32_t));
	}
	a = tb[NT_ETHTOOL_A_RSS_HKEY];
	if (a) {
		size_t len = (size_t)nla_len(a);

		if (len > NT_RSS_KEY_MAX)
			return -EBADMSG;
		memcpy(st->key, nla_data(a), len);
		st->n_key = (unsigned int)len;
	}
	return 0;
}

static int ethtool_ioctl(struct nt_ctx *ctx, const char *ifname, void *data);

/*
 * ETHTOOL_GRSSH, as `ethtool -x` reads RSS on kernels without RSS_GET (ethtool.c,
 * do_grxfh): a first call with both sizes 0 returns the device's table and key sizes,
 * a second one with those sizes the table, then the key, in rss_config
 * (include/uapi/linux/ethtool.h, struct ethtool_rxfh).
 */
static int rss_get_ioctl(struct nt_ctx *ctx, const struct nt_target *t, struct rss_state *ret)
{
	struct ethtool_rxfh head = {.cmd = ETHTOOL_GRSSH};
	_cleanup_free_ struct ethtool_rxfh *rxfh = NULL;
	size_t sz;
	int r;

	r = ethtool_ioctl(ctx, t->ifname, &head);
	if (r < 0)
		return r;
	if (head.indir_size > NT_RSS_INDIR_MAX || head.key_size > NT_RSS_KEY_MAX)
		return -EBADMSG;
	sz = sizeof(*rxfh) + head.indir_size * sizeof(uint32_t) + head.key_size;
	rxfh = calloc(1, sz);
	if (!rxfh)
		return -ENOMEM;
	rxfh->cmd = ETHTOOL_GRSSH;
	rxfh->indir_size = head.indir_size;
	rxfh->key_size = head.key_size;
	r = ethtool_ioctl(ctx, t->ifname, rxfh);
	if (r < 0)
		return r;
	if (rxfh->indir_size != head.indir_size || rxfh->key_size != head.key_size)
		return -EAGAIN; /* the device changed between the two calls */
	memcpy(ret->indir, rxfh->rss_config, head.indir_size * sizeof(uint32_t));
	ret->n_indir = head.indir_size;
	memcpy(ret->key, (uint8_t *)(rxfh->rss_config + head.indir_size), head.key_size);
	ret->n_key = head.key_size;
	ret->hfunc = rxfh->hfunc;
	ret->by_ioctl = true;
	return 0;
}

/*
 * The table, key and hash function of the device's main context: RSS_GET, and where the
 * kernel has no RSS_GET (6.1: genetlink answers EOPNOTSUPP for the unknown command, or
 * there is no ethtool netlink at all) ETHTOOL_GRSSH. Probed by what the kernel answers,
 * never by its version. A driver without RSS answers EOPNOTSUPP to both.
 */
static int rss_get(struct nt_ctx *ctx, const struct nt_target *t, struct rss_state *ret,
		   struct nt_err *reterr)
{
	struct nt_nl_req req = nt_ethtool_req(NT_ETHTOOL_MSG_RSS_GET, t);
	struct nt_err e = {};
	int r = -EOPNOTSUPP;

	*ret = (struct rss_state){};
	if (ctx->nl)
		r = nt_nl_get(ctx->nl, &req, NT_ETHTOOL_A_RSS_MAX, rss_get_cb, ret, &e);
	if (r >= 0)
		return 0;
	if (r != -EOPNOTSUPP && r != -EPFNOSUPPORT)
		return nt_err_set(reterr, r, "ethtool rss get on '%s': %s", t->ifname,
				  nt_err_msg(&e, r));
	*ret = (struct rss_state){};
	r = rss_get_ioctl(ctx, t, ret);
	if (r == -EOPNOTSUPP && !ctx->live && !ctx->ethtool_ioctl)
		return nt_err_set(reterr, r, "RSS is only readable on the live system");
	if (r == -EOPNOTSUPP)
		return nt_err_set(reterr, r, "driver of '%s' has no RSS", t->ifname);
	if (r < 0)
		return nt_err_set(reterr, r, "ETHTOOL_GRSSH on '%s': %s", t->ifname, strerror(-r));
	return 0;
}

int nt_rss_info_read(struct nt_ctx *ctx, const struct nt_target *t, struct nt_rss_info *ret,
		     struct nt_err *reterr)
{
	_cleanup_free_ struct rss_state *st = malloc(sizeof(*st));
	int r;

	if (!st)
		return -ENOMEM;
	r = rss_get(ctx, t, st, reterr);
	if (r < 0)
		return r;
	if (!st->n_indir)
		return nt_err_set(reterr, -EOPNOTSUPP, "'%s' reports no RSS indirection table",
				  t->ifname);
	*ret = (struct nt_rss_info){
		.n_indir = st->n_indir, .key_len = st->n_key, .hfunc = st->hfunc};
	ret->indir = malloc(st->n_indir * sizeof(*ret->indir));
	if (!ret->indir)
		return -ENOMEM;
	memcpy(ret->indir, st->indir, st->n_indir * sizeof(*ret->indir));
	return 0;
}

void nt_rss_info_done(struct nt_rss_info *info)
{
	free(info->indir);
	*info = (struct nt_rss_info){};
}

const char *nt_rss_hfunc_name(uint32_t hfunc)
{
	/* The kernel's rss_hash_func_strings (net/ethtool/common.c), bit i = ETH_RSS_HASH_*. */
	static const char *const names[] = {"toeplitz", "xor", "crc32"};

	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (hfunc == 1u << i)
			return names[i];
	return NULL;
}

static int ethtool_ioctl(struct nt_ctx *ctx, const char *ifname, void *data)
{
	_cleanup_close_ int fd = -EBADF;
	struct ifreq ifr = {};

	if (ctx->ethtool_ioctl)
		return ctx->ethtool_ioctl(ifname, data);
	if (!ctx->live)
		return -EOPNOTSUPP;
	if (strlen(ifname) >= sizeof(ifr.ifr_name))
		return -EINVAL;
	strcpy(ifr.ifr_name, ifname);
	ifr.ifr_data = data;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (ioctl(fd, SIOCETHTOOL, &ifr) < 0)
		return -errno;
	return 0;
}

static int fields_get(struct nt_ctx *ctx, const struct nt_knob *k, const struct nt_target *t,
		      uint32_t *ret, struct nt_err *reterr)
{
	struct ethtool_rxnfc nfc = {.cmd = ETHTOOL_GRXFH, .flow_type = (uint32_t)k->attr};
	int r = ethtool_ioctl(ctx, t->ifname, &nfc);

	if (r == -EOPNOTSUPP && !ctx->live && !ctx->ethtool_ioctl)
		return nt_err_set(reterr, r, "RSS is only readable on the live system");
	/*
	 * Drivers answer EINVAL for a flow type they do not hash (ethtool -n says so too), or
	 * no fields at all (virtio-net without RSS).
	 */
	if (r == -EOPNOTSUPP || r == -EINVAL || (r >= 0 && nfc.data == 0))
		return nt_err_set(reterr, -EOPNOTSUPP, "'%s' reports no hash fields for %s",
				  t->ifname, k->key + strlen("rss.hash."));
	if (r < 0)
		return nt_err_set(reterr, r, "ETHTOOL_GRXFH on '%s': %s", t->ifname, strerror(-r));
	*ret = (uint32_t)nfc.data;
	return 0;
}

static int rss_read(struct nt_ctx *ctx, const struct nt_knob *k, const struct nt_target *t,
		    char **ret, struct nt_err *reterr)
{
	_cleanup_free_ struct rss_state *st = NULL;
	_cleanup_free_ char *out = NULL;
	uint32_t bits = 0;
	size_t len = 0;
	int r;

	if (k->type == NT_T_RXHASH) {
		r = fields_get(ctx, k, t, &bits, reterr);
		if (r < 0)
			return r;
		r = nt_rss_fields_format(bits, ret);
		if (r == -EINVAL)
			return nt_err_set(
				reterr, -EOPNOTSUPP,
				"'%s' hashes %s on fields ethtool has no letter for (%#x)",
				t->ifname, k->key + strlen("rss.hash."), bits);
		return r;
	}
	st = malloc(sizeof(*st));
	if (!st)
		return -ENOMEM;
	r = rss_get(ctx, t, st, reterr);
	if (r < 0)
		return r;
	if (k->type == NT_T_HEXKEY) {
		if (!st->n_key)
			return nt_err_set(reterr, -EOPNOTSUPP, "'%s' reports no RSS key",
					  t->ifname);
		return nt_rss_key_format(st->key, st->n_key, ret);
	}
	if (!st->n_indir)
		return nt_err_set(reterr, -EOPNOTSUPP, "'%s' reports no RSS indirection table",
				  t->ifname);
	out = malloc(st->n_indir * 11 + 1);
	if (!out)
		return -ENOMEM;
	for (unsigned int i = 0; i < st->n_indir; i++)
		len += (size_t)sprintf(out + len, "%s%" PRIu32, i ? " " : "", st->indir[i]);
	*ret = TAKE_PTR(out);
	return 0;
}

struct rss_put {
	const uint32_t *indir;
	unsigned int n_indir;
	bool reset; /* the table back to the driver's default (and no longer user-set) */
	const uint8_t *key;
	unsigned int n_key;
};

static int rss_set_put(struct nl_msg *msg, void *userdata)
{
	const struct rss_put *p = userdata;

	/* An empty table resets it (ethtool-netlink.rst, RSS_SET). */
	if (p->reset && nla_put(msg, NT_ETHTOOL_A_RSS_INDIR, 0, NULL) < 0)
		return -EMSGSIZE;
	if (!p->reset && p->n_indir &&
	    nla_put(msg, NT_ETHTOOL_A_RSS_INDIR, (int)(p->n_indir * sizeof(*p->indir)), p->indir) <
		    0)
		return -EMSGSIZE;
	if (p->n_key && nla_put(msg, NT_ETHTOOL_A_RSS_HKEY, (int)p->n_key, p->key) < 0)
		return -EMSGSIZE;
	return 0;
}

/* ETHTOOL_SRSSH: the table and/or key of context 0 (include/uapi/linux/ethtool.h). */
static int rss_set_ioctl(struct nt_ctx *ctx, const struct nt_target *t, const struct rss_put *p)
{
	size_t sz = sizeof(struct ethtool_rxfh) + p->n_indir * sizeof(uint32_t) + p->n_key;
	_cleanup_free_ struct ethtool_rxfh *rxfh = calloc(1, sz);

	if (!rxfh)
		return -ENOMEM;
	rxfh->cmd = ETHTOOL_SRSSH;
	/* indir_size 0 resets the table to the default (include/uapi/linux/ethtool.h). */
	rxfh->indir_size = p->reset ? 0 : p->n_indir ? p->n_indir : ETH_RXFH_INDIR_NO_CHANGE;
	rxfh->key_size = p->n_key;
	rxfh->hfunc = 0; /* ETH_RSS_HASH_NO_CHANGE (include/linux/ethtool.h) */
	if (!p->reset && p->n_indir)
		memcpy(rxfh->rss_config, p->indir, p->n_indir * sizeof(uint32_t));
	if (p->n_key)
		memcpy((uint8_t *)(rxfh->rss_config + (p->reset ? 0 : p->n_indir)), p->key,
		       p->n_key);
	return ethtool_ioctl(ctx, t->ifname, rxfh);
}

/*
 * Whether @text is the table (not a spec) the kernel gives a device that has none set:
 * entry i -> i % RX rings (ethtool_rxfh_indir_default()). Restoring such a table resets
 * it instead of setting it: a table that was never set is not "user-set" afterwards,
 * which the kernel remembers (IFF_RXFH_CONFIGURED: ethtool -L then may not shrink
 * below it, and no longer resets it).
 */
static bool is_default_table(struct nt_ctx *ctx, const struct nt_target *t, const char *text,
			     const uint32_t *indir, unsigned int n)
{
	struct ethtool_rxnfc nfc = {.cmd = ETHTOOL_GRXRINGS};

	if (nt_rss_indir_size(text) <= 0 || ethtool_ioctl(ctx, t->ifname, &nfc) < 0 ||
	    nfc.data == 0)
		return false;
	for (unsigned int i = 0; i < n; i++)
		if (indir[i] != i % nfc.data)
			return false;
	return true;
}

/* The table and key writes of @w in one request (-ENOENT: none in @w). */
static int rss_set(struct nt_ctx *ctx, const struct nt_target *t, const struct nt_write *w,
		   size_t n, struct nt_err *reterr)
{
	_cleanup_free_ struct rss_state *st = malloc(sizeof(*st));
	_cleanup_free_ uint32_t *indir = NULL;
	struct nt_nl_req req = nt_ethtool_req(NT_ETHTOOL_MSG_RSS_SET, t);
	uint8_t key[NT_RSS_KEY_MAX];
	struct rss_put p = {};
	struct nt_err e = {};
	char keys[64] = "";
	const char *via;
	int r;

	if (!st)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		if (w[i].knob->type != NT_T_RXHASH)
			snprintf(keys + strlen(keys), sizeof(keys) - strlen(keys), "%s%s",
				 keys[0] ? ", " : "", w[i].knob->key);
	if (!keys[0])
		return -ENOENT;
	r = rss_get(ctx, t, st, reterr);
	if (r < 0)
		return r;
	for (size_t i = 0; i < n; i++) {
		if (w[i].knob->type == NT_T_RSS_INDIR) {
			if (!st->n_indir)
				return nt_err_set(reterr, -EOPNOTSUPP,
						  "'%s' reports no RSS indirection table",
						  t->ifname);
			indir = calloc(st->n_indir, sizeof(*indir));
			if (!indir)
				return -ENOMEM;
			r = nt_rss_indir_expand(w[i].value, st->n_indir, indir);
			if (r < 0)
				return nt_err_set(reterr, r,
						  "rss.indir '%s' does not fit the %u entries of "
						  "'%s'",
						  w[i].value, st->n_indir, t->ifname);
			p.indir = indir;
			p.n_indir = st->n_indir;
			p.reset = is_default_table(ctx, t, w[i].value, indir, st->n_indir);
		} else if (w[i].knob->type == NT_T_HEXKEY) {
			r = nt_rss_key_parse(w[i].value, key, sizeof(key));
			if (r < 0)
				return nt_err_set(reterr, r, "rss.hkey '%s' is not a key",
						  w[i].value);
			if ((unsigned int)r != st->n_key)
				return nt_err_set(reterr, -EINVAL,
						  "rss.hkey has %d bytes, the key of '%s' has %u",
						  r, t->ifname, st->n_key);
			p.key = key;
			p.n_key = (unsigned int)r;
		}
	}
	req.put = rss_set_put;
	req.put_userdata = &p;
	via = "netlink";
	/* A kernel without RSS_GET has no RSS_SET either (6.4 and 6.18). */
	r = st->by_ioctl ? -EOPNOTSUPP : nt_nl_set(ctx->nl, &req, NULL, 0, &e);
	if (r == -EOPNOTSUPP || r == -EPFNOSUPPORT) {
		/* No RSS_SET in this kernel (or the driver has no set_rxfh): the ioctl. */
		e = (struct nt_err){};
		via = "ETHTOOL_SRSSH";
		r = rss_set_ioctl(ctx, t, &p);
	}
	if (r < 0)
		return nt_err_set(reterr, r, "setting %s on '%s' (%s): %s%s%s", keys, t->ifname,
				  via, strerror(-r), e.msg[0] ? ": " : "", e.msg);
	return 0;
}

static int rss_apply(struct nt_ctx *ctx, const struct nt_target *t, const struct nt_write *w,
		     size_t n, struct nt_err *reterr)
{
	int r;

	/* Table and key in one request (read first); the hash fields one ioctl each. */
	r = rss_set(ctx, t, w, n, reterr);
	if (r < 0 && r != -ENOENT)
		return r;
	for (size_t i = 0; i < n; i++) {
		struct ethtool_rxnfc nfc = {.cmd = ETHTOOL_SRXFH,
					    .flow_type = (uint32_t)w[i].knob->attr};
		uint32_t bits;

		if (w[i].knob->type != NT_T_RXHASH)
			continue;
		r = nt_rss_fields_parse(w[i].value, &bits);
		if (r < 0)
			return nt_err_set(reterr, r, "%s: '%s' is not a set of hash fields",
					  w[i].knob->key, w[i].value);
		nfc.data = bits;
		r = ethtool_ioctl(ctx, t->ifname, &nfc);
		if (r < 0)
			return nt_err_set(reterr, r, "setting %s on '%s' (ETHTOOL_SRXFH): %s",
					  w[i].knob->key, t->ifname, strerror(-r));
	}
	return 0;
}

static int rss_caps(struct nt_ctx *ctx, const struct nt_knob *k, const struct nt_target *t,
		    uint64_t *ret_max, struct nt_err *reterr)
{
	_cleanup_free_ char *v = NULL;

	if (ret_max)
		*ret_max = 0;
	return rss_read(ctx, k, t, &v, reterr);
}

const struct nt_fam_ops nt_rss_ops = {
	.read = rss_read,
	.apply = rss_apply,
	.caps = rss_caps,
};
