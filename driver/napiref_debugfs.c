// SPDX-License-Identifier: GPL-2.0
/*
 * napiref control through debugfs (see driver/README.md):
 *
 *   napiref/new_pair        w: "[queues=N] [legacy=0|1]" creates a pair
 *   napiref/del_pair        w: "<pair id>" removes it
 *   napiref/pairs           r: "<pair id> <port A> <port B>" per pair
 *   napiref/napiref<N>/info r: mode, queues, ring, per-queue IRQ state
 *   napiref/napiref<N>/gen  rw: generator configuration / "stop"
 *   napiref/napiref<N>/fail/{ring,channels,coalesce,rss}
 *                           rw: "ERRNO [MESSAGE]" makes the next set of
 *                           that kind fail (error injection), "0" disarms
 */
#include <linux/ctype.h>
#include <linux/debugfs.h>
#include <linux/inet.h>
#include <linux/rtnetlink.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>

#include "napiref.h"

#define NAPIREF_CMD_MAX	256

static struct dentry *napiref_droot;

static char *napiref_get_cmd(const char __user *ubuf, size_t len)
{
	char *buf;

	if (len >= NAPIREF_CMD_MAX)
		return ERR_PTR(-E2BIG);
	buf = memdup_user_nul(ubuf, len);
	if (IS_ERR(buf))
		return buf;
	return buf;
}

/* Split "key=value" in place; returns the value or NULL. */
static char *napiref_kv(char *tok)
{
	char *eq = strchr(tok, '=');

	if (!eq)
		return NULL;
	*eq = '\0';
	return eq + 1;
}

static ssize_t napiref_new_pair_write(struct file *file,
				      const char __user *ubuf, size_t len,
				      loff_t *ppos)
{
	u32 nq = NAPIREF_DEF_QUEUES;
	bool mode_legacy = false;
	char *buf, *cur, *tok;
	int err = 0;

	buf = napiref_get_cmd(ubuf, len);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	cur = strim(buf);
	while (!err && (tok = strsep(&cur, " \t\n")) != NULL) {
		char *val;

		if (!*tok)
			continue;
		val = napiref_kv(tok);
		if (!val)
			err = -EINVAL;
		else if (!strcmp(tok, "queues"))
			err = kstrtou32(val, 0, &nq);
		else if (!strcmp(tok, "legacy"))
			err = kstrtobool(val, &mode_legacy);
		else
			err = -EINVAL;
	}
	kfree(buf);
	if (err)
		return err;

	err = napiref_pair_new(nq, mode_legacy);
	return err < 0 ? err : len;
}

static ssize_t napiref_del_pair_write(struct file *file,
				      const char __user *ubuf, size_t len,
				      loff_t *ppos)
{
	unsigned int id;
	int err;

	err = kstrtouint_from_user(ubuf, len, 0, &id);
	if (err)
		return err;
	err = napiref_pair_del(id);
	return err ? err : len;
}

static int napiref_pairs_show_seq(struct seq_file *m, void *v)
{
	napiref_pairs_show(m);
	return 0;
}

static int napiref_pairs_open(struct inode *inode, struct file *file)
{
	return single_open(file, napiref_pairs_show_seq, NULL);
}

static const struct file_operations napiref_new_pair_fops = {
	.owner	= THIS_MODULE,
	.open	= simple_open,
	.write	= napiref_new_pair_write,
};

static const struct file_operations napiref_del_pair_fops = {
	.owner	= THIS_MODULE,
	.open	= simple_open,
	.write	= napiref_del_pair_write,
};

static const struct file_operations napiref_pairs_fops = {
	.owner		= THIS_MODULE,
	.open		= napiref_pairs_open,
	.read		= seq_read,
	.llseek		= seq_lseek,
	.release	= single_release,
};

/* ------------------------------ per port ------------------------------- */

static int napiref_info_show(struct seq_file *m, void *v)
{
	struct napiref_port *port = m->private;
	struct napiref_port *peer;
	unsigned int i;

	rtnl_lock();
	peer = rtnl_dereference(port->peer);
	seq_printf(m, "ifname %s\npeer %s\nmode %s\nqueues %u\nring %u\n",
		   port->netdev->name, peer ? peer->netdev->name : "-",
		   port->legacy ? "legacy" : "napi", port->num_queues,
		   port->ring_size);
	seq_puts(m, "queue irq cpu enabled masked count\n");
	for (i = 0; i < NAPIREF_MAX_QUEUES; i++) {
		struct napiref_queue *q = &port->q[i];

		seq_printf(m, "%u %u %u %d %d %u\n", i, q->virq,
			   READ_ONCE(q->irq_cpu), READ_ONCE(q->enabled),
			   READ_ONCE(q->masked), READ_ONCE(q->count));
	}
	rtnl_unlock();
	return 0;
}

static int napiref_info_open(struct inode *inode, struct file *file)
{
	return single_open(file, napiref_info_show, inode->i_private);
}

static const struct file_operations napiref_info_fops = {
	.owner		= THIS_MODULE,
	.open		= napiref_info_open,
	.read		= seq_read,
	.llseek		= seq_lseek,
	.release	= single_release,
};

static int napiref_gen_show(struct seq_file *m, void *v)
{
	struct napiref_port *port = m->private;
	struct napiref_gen_cfg *g = &port->gen;

	rtnl_lock();
	seq_printf(m,
		   "rate=%u size=%u flows=%u queues=0x%x tick_us=%u src_ip=%pI4 dst_ip=%pI4 src_port=%u dst_port=%u steer=%s\n",
		   g->rate, g->size, g->flows, g->queue_mask, g->tick_us,
		   &g->src_ip, &g->dst_ip, g->src_port, g->dst_port,
		   g->steer_rss ? "rss" : "queue");
	rtnl_unlock();
	return 0;
}

static int napiref_gen_open(struct inode *inode, struct file *file)
{
	return single_open(file, napiref_gen_show, inode->i_private);
}

static int napiref_gen_parse_ip(const char *val, __be32 *ip)
{
	return in4_pton(val, -1, (u8 *)ip, -1, NULL) ? 0 : -EINVAL;
}

static int napiref_gen_parse(struct napiref_gen_cfg *g, char *cur)
{
	char *tok, *val;
	u32 v;
	int err = 0;

	while (!err && (tok = strsep(&cur, " \t\n")) != NULL) {
		if (!*tok)
			continue;
		if (!strcmp(tok, "stop")) {
			g->rate = 0;
			continue;
		}
		val = napiref_kv(tok);
		if (!val)
			return -EINVAL;
		if (!strcmp(tok, "src_ip")) {
			err = napiref_gen_parse_ip(val, &g->src_ip);
			continue;
		}
		if (!strcmp(tok, "dst_ip")) {
			err = napiref_gen_parse_ip(val, &g->dst_ip);
			continue;
		}
		if (!strcmp(tok, "steer")) {
			if (!strcmp(val, "rss"))
				g->steer_rss = true;
			else if (!strcmp(val, "queue"))
				g->steer_rss = false;
			else
				err = -EINVAL;
			continue;
		}
		err = kstrtou32(val, 0, &v);
		if (err)
			break;
		if (!strcmp(tok, "rate") && v <= NAPIREF_GEN_MAX_RATE)
			g->rate = v;
		else if (!strcmp(tok, "size") && v >= ETH_ZLEN &&
			 v <= ETH_HLEN + NAPIREF_MAX_MTU)
			g->size = v;
		else if (!strcmp(tok, "flows") && v >= 1 && v <= 65535)
			g->flows = v;
		else if (!strcmp(tok, "queues"))
			g->queue_mask = v;
		else if (!strcmp(tok, "tick_us") &&
			 v >= NAPIREF_GEN_TICK_MIN_US && v <= USEC_PER_SEC)
			g->tick_us = v;
		else if (!strcmp(tok, "src_port") && v <= 65535)
			g->src_port = v;
		else if (!strcmp(tok, "dst_port") && v <= 65535)
			g->dst_port = v;
		else
			err = -EINVAL;
	}
	return err;
}

static ssize_t napiref_gen_write(struct file *file, const char __user *ubuf,
				 size_t len, loff_t *ppos)
{
	struct seq_file *m = file->private_data;
	struct napiref_port *port = m->private;
	struct napiref_gen_cfg g;
	char *buf;
	int err;

	buf = napiref_get_cmd(ubuf, len);
	if (IS_ERR(buf))
		return PTR_ERR(buf);

	rtnl_lock();
	g = port->gen;
	err = napiref_gen_parse(&g, strim(buf));
	if (!err && g.size > port->netdev->mtu + ETH_HLEN)
		err = -EINVAL;
	if (!err)
		err = napiref_gen_configure(port, &g, NULL);
	rtnl_unlock();
	kfree(buf);
	return err ? err : len;
}

static const struct file_operations napiref_gen_fops = {
	.owner		= THIS_MODULE,
	.open		= napiref_gen_open,
	.read		= seq_read,
	.write		= napiref_gen_write,
	.llseek		= seq_lseek,
	.release	= single_release,
};

/*
 * Error injection: napiref<N>/fail/<kind> reads "ERRNO MESSAGE" while
 * armed, "0" otherwise. Writing "ERRNO [MESSAGE]" arms it (ERRNO positive
 * or negative, MESSAGE the extack text), "0" disarms. The ethtool ops
 * consume it under rtnl (napiref_ethtool.c).
 */
static int napiref_fail_show(struct seq_file *m, void *v)
{
	struct napiref_fail *f = m->private;

	rtnl_lock();
	if (f->err)
		seq_printf(m, "%d %s\n", f->err, f->msg);
	else
		seq_puts(m, "0\n");
	rtnl_unlock();
	return 0;
}

static int napiref_fail_open(struct inode *inode, struct file *file)
{
	return single_open(file, napiref_fail_show, inode->i_private);
}

static ssize_t napiref_fail_write(struct file *file, const char __user *ubuf,
				  size_t len, loff_t *ppos)
{
	struct seq_file *m = file->private_data;
	struct napiref_fail *f = m->private;
	char *buf, *msg;
	int err, errnum;

	buf = napiref_get_cmd(ubuf, len);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	msg = strim(buf);
	err = kstrtoint(strsep(&msg, " \t"), 0, &errnum);
	if (!err && (errnum < -MAX_ERRNO || errnum > MAX_ERRNO))
		err = -EINVAL;
	if (!err) {
		rtnl_lock();
		f->err = abs(errnum);
		strscpy(f->msg, msg ? skip_spaces(msg) : "", sizeof(f->msg));
		if (f->err && !f->msg[0])
			strscpy(f->msg, "injected error", sizeof(f->msg));
		rtnl_unlock();
	}
	kfree(buf);
	return err ? err : len;
}

static const struct file_operations napiref_fail_fops = {
	.owner		= THIS_MODULE,
	.open		= napiref_fail_open,
	.read		= seq_read,
	.write		= napiref_fail_write,
	.llseek		= seq_lseek,
	.release	= single_release,
};

void napiref_debugfs_port_add(struct napiref_port *port)
{
	struct dentry *fail;
	unsigned int i;
	char name[32];

	if (!napiref_droot)
		return;
	snprintf(name, sizeof(name), NAPIREF_DRV_NAME "%u", port->id);
	port->ddir = debugfs_create_dir(name, napiref_droot);
	debugfs_create_file("info", 0444, port->ddir, port, &napiref_info_fops);
	debugfs_create_file("gen", 0644, port->ddir, port, &napiref_gen_fops);
	fail = debugfs_create_dir("fail", port->ddir);
	for (i = 0; i < NAPIREF_FAIL_NUM; i++)
		debugfs_create_file(napiref_fail_names[i], 0644, fail,
				    &port->fail[i], &napiref_fail_fops);
}

void napiref_debugfs_port_del(struct napiref_port *port)
{
	/* after napiref_debugfs_exit() the whole tree is gone already */
	if (napiref_droot)
		debugfs_remove_recursive(port->ddir);
	port->ddir = NULL;
}

int napiref_debugfs_init(void)
{
	napiref_droot = debugfs_create_dir(NAPIREF_DRV_NAME, NULL);
	if (IS_ERR(napiref_droot)) {
		napiref_droot = NULL;
		return 0;	/* debugfs is optional */
	}
	debugfs_create_file("new_pair", 0200, napiref_droot, NULL,
			    &napiref_new_pair_fops);
	debugfs_create_file("del_pair", 0200, napiref_droot, NULL,
			    &napiref_del_pair_fops);
	debugfs_create_file("pairs", 0444, napiref_droot, NULL,
			    &napiref_pairs_fops);
	return 0;
}

void napiref_debugfs_exit(void)
{
	struct dentry *root = napiref_droot;

	napiref_droot = NULL;
	debugfs_remove_recursive(root);
}
