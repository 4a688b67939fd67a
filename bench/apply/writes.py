#!/usr/bin/env python3
# bench/apply helper (runs in the guest).
#   writes.py read DEV            every file high-throughput may write, "PATH<TAB>VALUE" lines
#   writes.py make BEFORE AFTER DIR
#       from two "read" outputs (before and after napictl apply): DIR/apply.list (the values
#       napictl wrote), DIR/reset.list (the originals) for rawwrite, and DIR/tuned.conf, the
#       same values as a tuned profile ([sysctl] + [sysfs]; /proc/irq has no tuned
#       equivalent in those sections, so tuned's profile does that much less work)
import glob
import os
import sys


def read(path):
    try:
        with open(path) as f:
            return f.read().rstrip("\n")
    except OSError:
        return None


def state(dev):
    paths = [p for p in glob.glob("/proc/sys/net/core/*") if os.access(p, os.W_OK)]
    paths += glob.glob("/proc/sys/net/ipv4/*")
    with open("/proc/interrupts") as f:
        for line in f:
            irq = line.split(":", 1)[0].strip()
            if irq.isdigit() and line.rstrip().endswith(tuple(["%s-rx-%d" % (dev, q)
                                                             for q in range(64)])):
                paths.append("/proc/irq/%s/smp_affinity_list" % irq)
    for f in ("threaded", "napi_defer_hard_irqs", "gro_flush_timeout"):
        paths.append("/sys/class/net/%s/%s" % (dev, f))
    for f in ("rps_cpus", "rps_flow_cnt", "xps_cpus"):
        paths += glob.glob("/sys/class/net/%s/queues/*/%s" % (dev, f))
    out = []
    for p in sorted(paths):
        v = read(p)
        if v is not None and "\n" not in v:
            out.append("%s\t%s" % (p, v))
    return out


def load(path):
    with open(path) as f:
        return dict(line.rstrip("\n").split("\t", 1) for line in f if "\t" in line)


if sys.argv[1] == "read":
    print("\n".join(state(sys.argv[2])))
elif sys.argv[1] == "make":
    before, after, d = load(sys.argv[2]), load(sys.argv[3]), sys.argv[4]
    changed = sorted(p for p in after if before.get(p) != after[p])
    with open(d + "/apply.list", "w") as f:
        f.writelines("%s\t%s\n" % (p, after[p]) for p in changed)
    with open(d + "/reset.list", "w") as f:
        f.writelines("%s\t%s\n" % (p, before[p]) for p in reversed(changed))
    with open(d + "/tuned.conf", "w") as f:
        f.write("[main]\nsummary=napitune bench: high-throughput's writes\n\n[sysctl]\n")
        for p in changed:
            if p.startswith("/proc/sys/"):
                f.write("%s=%s\n" % (p[len("/proc/sys/"):].replace("/", "."), after[p]))
        f.write("\n[sysfs]\n")
        for p in changed:
            if p.startswith("/sys/"):
                f.write("%s=%s\n" % (p, after[p]))
    n_irq = sum(p.startswith("/proc/irq/") for p in changed)
    print("%d writes (%d sysctl, %d sysfs, %d IRQ affinity; tuned gets all but the IRQs)" % (
        len(changed), sum(p.startswith("/proc/sys/") for p in changed),
        sum(p.startswith("/sys/") for p in changed), n_irq))
