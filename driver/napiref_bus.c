// SPDX-License-Identifier: GPL-2.0
/*
 * napiref bus: every port is a device on a bus of the module's own, the
 * way netdevsim puts its devices on the "netdevsim" bus. The napiref
 * driver is bound to each of them, and the port's net_device is its child
 * (SET_NETDEV_DEV()). Tools therefore see a NIC:
 *
 *   /sys/class/net/napiref0/device         -> .../napiref-port0
 *   /sys/class/net/napiref0/device/driver  -> .../bus/napiref/drivers/napiref
 *   ethtool -i napiref0                    bus-info: napiref-port0
 *
 * and udev .link files, napictl's "match: physical" and anything else that
 * tells hardware from virtual interfaces by the device link treat the
 * ports like PCI functions. The module plays the bus: it adds a device for
 * every port it creates (new_pair) and removes it with the port.
 */
#include <linux/device.h>
#include <linux/slab.h>
#include <linux/wait.h>

#include "napiref.h"

/*
 * The driver core takes a const bus_type since 6.4 and writes into it
 * before: struct device's bus pointer has the type it wants.
 */
static typeof(*((struct device *)NULL)->bus) napiref_bus_type = {
	.name	= NAPIREF_DRV_NAME,
};

/*
 * No probe callback: the port is set up by the code that adds the device,
 * the driver is only bound to it. Manual unbind is not offered, since the
 * port could not live without its device.
 */
static struct device_driver napiref_driver = {
	.name			= NAPIREF_DRV_NAME,
	.bus			= &napiref_bus_type,
	.owner			= THIS_MODULE,
	.suppress_bind_attrs	= true,
};

/* Devices not yet released: module exit waits for them (release is ours). */
static atomic_t napiref_bus_devs = ATOMIC_INIT(0);
static DECLARE_WAIT_QUEUE_HEAD(napiref_bus_wq);

static void napiref_bus_dev_release(struct device *dev)
{
	kfree(dev);
	if (atomic_dec_and_test(&napiref_bus_devs))
		wake_up(&napiref_bus_wq);
}

/**
 * napiref_bus_dev_add - add the bus device of port @id
 * @id: port id
 *
 * Return: the registered device, bound to the napiref driver, or ERR_PTR.
 */
struct device *napiref_bus_dev_add(unsigned int id)
{
	struct device *dev;
	int err;

	dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	if (!dev)
		return ERR_PTR(-ENOMEM);
	atomic_inc(&napiref_bus_devs);
	device_initialize(dev);
	dev->bus = &napiref_bus_type;
	dev->release = napiref_bus_dev_release;
	err = dev_set_name(dev, NAPIREF_DRV_NAME "-port%u", id);
	if (!err)
		err = device_add(dev);
	if (err) {
		put_device(dev);
		return ERR_PTR(err);
	}
	return dev;
}

void napiref_bus_dev_del(struct device *dev)
{
	device_unregister(dev);
}

int napiref_bus_init(void)
{
	int err;

	err = bus_register(&napiref_bus_type);
	if (err)
		return err;
	err = driver_register(&napiref_driver);
	if (err)
		bus_unregister(&napiref_bus_type);
	return err;
}

void napiref_bus_exit(void)
{
	wait_event(napiref_bus_wq, !atomic_read(&napiref_bus_devs));
	driver_unregister(&napiref_driver);
	bus_unregister(&napiref_bus_type);
}
