// SPDX-License-Identifier: GPL-2.0
/*
 * napiref module: parameters, device (pair) lifecycle, init/exit.
 *
 * A pair is two ports joined by a virtual cable. Pairs are created at load
 * time (module parameter "pairs") and at run time through debugfs
 * (napiref/new_pair, napiref/del_pair), in the spirit of netdevsim.
 */
#include <linux/idr.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/rtnetlink.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "napiref.h"

static unsigned int pairs = 1;
module_param(pairs, uint, 0444);
MODULE_PARM_DESC(pairs, "Number of port pairs created at load (default 1)");

static unsigned int queues = NAPIREF_DEF_QUEUES;
module_param(queues, uint, 0444);
MODULE_PARM_DESC(queues, "RX/TX queue pairs per port (default 4, max 16)");

static bool legacy;
module_param(legacy, bool, 0444);
MODULE_PARM_DESC(legacy, "Legacy mode: IRQ per packet, netif_rx, no NAPI");

bool napiref_napi_config = true;
module_param_named(napi_config, napiref_napi_config, bool, 0444);
MODULE_PARM_DESC(napi_config,
		 "Persistent NAPI config (6.13+): NAPI ids and settings kept across re-creation (default 1)");

static LIST_HEAD(napiref_pairs);
static DEFINE_MUTEX(napiref_pairs_lock);	/* protects napiref_pairs */
static DEFINE_IDA(napiref_pair_ida);

static void napiref_pair_destroy(struct napiref_pair *pair)
{
	struct napiref_port *a = pair->port[0], *b = pair->port[1];
	LIST_HEAD(kill);

	napiref_debugfs_port_del(a);
	napiref_debugfs_port_del(b);

	rtnl_lock();
	/* cut the cable first: no xmit may reach a port being torn down */
	RCU_INIT_POINTER(a->peer, NULL);
	RCU_INIT_POINTER(b->peer, NULL);
	synchronize_net();
	unregister_netdevice_queue(a->netdev, &kill);
	unregister_netdevice_queue(b->netdev, &kill);
	unregister_netdevice_many(&kill);
	rtnl_unlock();

	napiref_port_free(a);
	napiref_port_free(b);
	ida_free(&napiref_pair_ida, pair->id);
	kfree(pair);
}

/**
 * napiref_pair_new - create two linked ports napiref<2i> and napiref<2i+1>
 * @nq: number of queues per port
 * @mode_legacy: legacy (non-NAPI) receive mode
 *
 * Return: pair id or -errno.
 */
int napiref_pair_new(u32 nq, bool mode_legacy)
{
	struct napiref_pair *pair;
	int id, err, i;

	if (!nq || nq > NAPIREF_MAX_QUEUES)
		return -EINVAL;

	pair = kzalloc(sizeof(*pair), GFP_KERNEL);
	if (!pair)
		return -ENOMEM;
	id = ida_alloc_max(&napiref_pair_ida, NAPIREF_MAX_PORTS / 2 - 1,
			   GFP_KERNEL);
	if (id < 0) {
		err = id;
		goto err_free_pair;
	}
	pair->id = id;

	for (i = 0; i < 2; i++) {
		pair->port[i] = napiref_port_alloc(2 * id + i, nq, mode_legacy);
		if (IS_ERR(pair->port[i])) {
			err = PTR_ERR(pair->port[i]);
			goto err_free_ports;
		}
	}

	rtnl_lock();
	rcu_assign_pointer(pair->port[0]->peer, pair->port[1]);
	rcu_assign_pointer(pair->port[1]->peer, pair->port[0]);
	err = register_netdevice(pair->port[0]->netdev);
	if (err)
		goto err_unlock;
	err = register_netdevice(pair->port[1]->netdev);
	if (err) {
		RCU_INIT_POINTER(pair->port[0]->peer, NULL);
		synchronize_net();
		unregister_netdevice(pair->port[0]->netdev);
		goto err_unlock;
	}
	rtnl_unlock();

	napiref_debugfs_port_add(pair->port[0]);
	napiref_debugfs_port_add(pair->port[1]);

	mutex_lock(&napiref_pairs_lock);
	list_add_tail(&pair->list, &napiref_pairs);
	mutex_unlock(&napiref_pairs_lock);
	return id;

err_unlock:
	rtnl_unlock();
	i = 2;
err_free_ports:
	while (i--)
		napiref_port_free(pair->port[i]);
	ida_free(&napiref_pair_ida, id);
err_free_pair:
	kfree(pair);
	return err;
}

int napiref_pair_del(unsigned int id)
{
	struct napiref_pair *pair, *found = NULL;

	mutex_lock(&napiref_pairs_lock);
	list_for_each_entry(pair, &napiref_pairs, list) {
		if (pair->id == id) {
			found = pair;
			list_del(&pair->list);
			break;
		}
	}
	mutex_unlock(&napiref_pairs_lock);

	if (!found)
		return -ENOENT;
	napiref_pair_destroy(found);
	return 0;
}

void napiref_pairs_show(struct seq_file *m)
{
	struct napiref_pair *pair;

	mutex_lock(&napiref_pairs_lock);
	list_for_each_entry(pair, &napiref_pairs, list)
		seq_printf(m, "%u %s %s\n", pair->id,
			   pair->port[0]->netdev->name,
			   pair->port[1]->netdev->name);
	mutex_unlock(&napiref_pairs_lock);
}

static void napiref_pairs_destroy_all(void)
{
	struct napiref_pair *pair;

	for (;;) {
		mutex_lock(&napiref_pairs_lock);
		pair = list_first_entry_or_null(&napiref_pairs,
						struct napiref_pair, list);
		if (pair)
			list_del(&pair->list);
		mutex_unlock(&napiref_pairs_lock);
		if (!pair)
			break;
		napiref_pair_destroy(pair);
	}
}

static int __init napiref_init(void)
{
	unsigned int i;
	int err;

	if (!queues || queues > NAPIREF_MAX_QUEUES) {
		pr_err("queues must be 1..%d\n", NAPIREF_MAX_QUEUES);
		return -EINVAL;
	}
	if (pairs > NAPIREF_MAX_PORTS / 2) {
		pr_err("pairs must be 0..%d\n", NAPIREF_MAX_PORTS / 2);
		return -EINVAL;
	}

	err = napiref_irq_domain_init();
	if (err)
		return err;
	err = napiref_bus_init();
	if (err)
		goto err_domain;
	err = napiref_debugfs_init();
	if (err)
		goto err_bus;

	for (i = 0; i < pairs; i++) {
		err = napiref_pair_new(queues, legacy);
		if (err < 0)
			goto err_pairs;
	}
	return 0;

err_pairs:
	napiref_pairs_destroy_all();
	napiref_debugfs_exit();
err_bus:
	napiref_bus_exit();
err_domain:
	napiref_irq_domain_exit();
	return err;
}

static void __exit napiref_exit(void)
{
	/* debugfs first: no new_pair may race with the teardown */
	napiref_debugfs_exit();
	napiref_pairs_destroy_all();
	napiref_bus_exit();
	napiref_irq_domain_exit();
}

module_init(napiref_init);
module_exit(napiref_exit);

MODULE_DESCRIPTION("napiref: reference multi-queue NAPI driver with real IRQs");
MODULE_AUTHOR("napitune project");
MODULE_LICENSE("GPL");
MODULE_VERSION(NAPIREF_DRV_VERSION);
