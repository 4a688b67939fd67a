// SPDX-License-Identifier: GPL-2.0
/*
 * napiref interrupt controller: a private IRQ domain gives every RX queue
 * a real Linux IRQ number (visible in /proc/interrupts, movable through
 * /proc/irq/N/smp_affinity). The "hardware" raises an interrupt by sending
 * a message to the CPU in the IRQ's effective affinity, where the IRQ core
 * runs the handler in hard-IRQ context:
 *   - remote CPU: smp_call_function_single_async() -> IPI;
 *   - local CPU:  irq_work_queue() -> self-IPI (not a direct call, which
 *     would run outside hard-IRQ context).
 */
#include <linux/irq.h>
#include <linux/irqdomain.h>

#include "napiref.h"

#define NAPIREF_HWIRQS	(NAPIREF_MAX_PORTS * NAPIREF_MAX_QUEUES)

static struct irq_domain *napiref_domain;
static struct fwnode_handle *napiref_fwnode;

static int napiref_irq_set_affinity(struct irq_data *d,
				    const struct cpumask *dest, bool force)
{
	struct napiref_queue *q = irq_data_get_irq_chip_data(d);
	unsigned int cpu;

	if (force)
		cpu = cpumask_first(dest);
	else
		cpu = cpumask_first_and(dest, cpu_online_mask);
	if (cpu >= nr_cpu_ids)
		return -EINVAL;

	/* Without this update 6.12 warns in irq_validate_effective_affinity() */
	irq_data_update_effective_affinity(d, cpumask_of(cpu));
	if (q)
		WRITE_ONCE(q->irq_cpu, cpu);
	return IRQ_SET_MASK_OK_DONE;
}

/*
 * Per-queue masking is a device register (napiref_hw_mask()); the line
 * itself has nothing to mask, so the chip only routes interrupts.
 */
static struct irq_chip napiref_irq_chip = {
	.name			= NAPIREF_DRV_NAME,
	.irq_set_affinity	= napiref_irq_set_affinity,
};

static int napiref_domain_map(struct irq_domain *d, unsigned int virq,
			      irq_hw_number_t hw)
{
	irq_set_chip_and_handler(virq, &napiref_irq_chip, handle_simple_irq);
	irq_clear_status_flags(virq, IRQ_NOREQUEST | IRQ_NOPROBE);
#ifdef NAPIREF_NEED_PCNTXT
	/*
	 * x86 defers affinity changes to the next interrupt's ack unless the
	 * IRQ may be moved in process context; before 6.14 say so explicitly.
	 */
	irq_set_status_flags(virq, IRQ_MOVE_PCNTXT);
#endif
	return 0;
}

static const struct irq_domain_ops napiref_domain_ops = {
	.map	= napiref_domain_map,
	.xlate	= irq_domain_xlate_onecell,
};

int napiref_irq_domain_init(void)
{
	napiref_fwnode = irq_domain_alloc_named_fwnode(NAPIREF_DRV_NAME);
	if (!napiref_fwnode)
		return -ENOMEM;

	napiref_domain = irq_domain_create_linear(napiref_fwnode,
						  NAPIREF_HWIRQS,
						  &napiref_domain_ops, NULL);
	if (!napiref_domain) {
		irq_domain_free_fwnode(napiref_fwnode);
		return -ENOMEM;
	}
	return 0;
}

void napiref_irq_domain_exit(void)
{
	irq_domain_remove(napiref_domain);
	irq_domain_free_fwnode(napiref_fwnode);
}

/* Delivery of one interrupt message, on the target CPU in hard-IRQ context */
static void napiref_irq_deliver(struct napiref_queue *q)
{
	clear_bit(0, &q->irq_pending);
	generic_handle_irq(q->virq);
	if (q->port->legacy)
		napiref_hw_eoi_legacy(q);
	atomic_dec(&q->irq_inflight);
}

static void napiref_irq_csd_fn(void *info)
{
	struct napiref_queue *q = info;

	/*
	 * A CPU idling in a polling state is not sent the IPI: its idle loop
	 * runs the csd in task context. Bounce to a self-IPI so the handler
	 * always runs in hard-IRQ context. If the irq_work is already pending,
	 * that message carries the interrupt.
	 */
	if (unlikely(!in_hardirq())) {
		if (!irq_work_queue(&q->irq_work))
			atomic_dec(&q->irq_inflight);
		return;
	}
	napiref_irq_deliver(q);
}

static void napiref_irq_work_fn(struct irq_work *work)
{
	napiref_irq_deliver(container_of(work, struct napiref_queue,
					 irq_work));
}

/**
 * napiref_irq_raise - the device asserts the queue's interrupt
 * @q: RX queue, q->lock held (by the engine, which checked q->enabled)
 *
 * Callable from any context (xmit, hrtimer, NAPI poll, hard IRQ). At most
 * one message is in flight per queue: a second raise while one is pending
 * coalesces, like an already asserted interrupt line. Nothing here waits
 * for the target CPU, so holding q->lock across the send cannot deadlock
 * with the handler taking it there.
 */
void napiref_irq_raise(struct napiref_queue *q)
{
	unsigned int cpu, this_cpu;

	lockdep_assert_held(&q->lock);
	if (test_and_set_bit(0, &q->irq_pending))
		return;

	atomic_inc(&q->irq_inflight);
	cpu = READ_ONCE(q->irq_cpu);
	this_cpu = get_cpu();
	if (cpu == this_cpu ||
	    smp_call_function_single_async(cpu, &q->csd)) {
		/* local target, or remote CPU gone: self-IPI on this CPU */
		if (!irq_work_queue(&q->irq_work)) {
			clear_bit(0, &q->irq_pending);
			atomic_dec(&q->irq_inflight);
		}
	}
	put_cpu();
}

/*
 * Wait until no interrupt message of this queue is in flight; called after
 * napiref_hw_disable(), so no new one can be sent. The counter covers both
 * paths up to the handler's return; irq_work_sync() then waits until the
 * irq_work core no longer touches q->irq_work (it does after the callback).
 * An async csd is released before its callback runs, so nothing touches
 * q->csd afterwards. Module text outlives the last callback because module
 * unload waits for an RCU grace period (callbacks run with IRQs off).
 */
void napiref_irq_quiesce(struct napiref_queue *q)
{
	while (atomic_read(&q->irq_inflight))
		usleep_range(20, 50);
	irq_work_sync(&q->irq_work);
}

/*
 * Map one IRQ per possible queue when the port is created. The mapping (and
 * with it the user's smp_affinity) lives as long as the port, like MSI-X
 * vectors allocated at probe; request_irq()/free_irq() follow open/stop.
 */
int napiref_irq_map(struct napiref_port *port)
{
	unsigned int i, virq;
	int err;

	for (i = 0; i < NAPIREF_MAX_QUEUES; i++) {
		struct napiref_queue *q = &port->q[i];
		unsigned int cpu = cpumask_local_spread(i, NUMA_NO_NODE);

		INIT_CSD(&q->csd, napiref_irq_csd_fn, q);
		q->irq_work = IRQ_WORK_INIT_HARD(napiref_irq_work_fn);
		atomic_set(&q->irq_inflight, 0);
		q->irq_cpu = cpu;

		virq = irq_create_mapping(napiref_domain,
					  port->id * NAPIREF_MAX_QUEUES + i);
		if (!virq) {
			err = -ENOSPC;
			goto err_unmap;
		}
		irq_set_chip_data(virq, q);
		q->virq = virq;
		/* spread the queues over the CPUs; the user may move them */
		err = irq_set_affinity(virq, cpumask_of(cpu));
		if (err) {
			irq_dispose_mapping(virq);
			q->virq = 0;
			goto err_unmap;
		}
	}
#ifdef NAPIREF_HAVE_IRQ_AFFINITY_AUTO
	/*
	 * The core keeps each queue NAPI's IRQ affinity (default: the same
	 * spread) and sets it again when the NAPI is re-created. It keeps it
	 * in the NAPI's persistent config, so only with napi_config=1: the
	 * core warns about a NAPI without one on an affinity_auto device.
	 */
	if (napiref_napi_config)
		netif_set_affinity_auto(port->netdev);
#endif
	return 0;

err_unmap:
	napiref_irq_unmap(port);
	return err;
}

void napiref_irq_unmap(struct napiref_port *port)
{
	unsigned int i;

	for (i = 0; i < NAPIREF_MAX_QUEUES; i++) {
		if (!port->q[i].virq)
			continue;
		irq_dispose_mapping(port->q[i].virq);
		port->q[i].virq = 0;
	}
}
