#!/usr/bin/env python3
# Everything a napictl profile may change, as text, for byte-for-byte comparison:
# net.* sysctls, IRQ affinity of every IRQ in use, NAPI kthread CPU affinity, per-device and
# per-queue sysfs, ethtool channels, rings, coalescing, GRO, the RSS table, key and hash fields. One process (process creation is slow in the TCG guest).
import glob
import os
import subprocess
import sys

def read(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError as e:
        return "<%s>" % e.strerror

out = []
for root, dirs, files in os.walk("/proc/sys/net/core"):
    for f in sorted(files):
        p = os.path.join(root, f)
        if os.access(p, os.W_OK):
            out.append("%s=%s" % (p, read(p)))
for f in ("tcp_rmem", "tcp_wmem", "tcp_max_syn_backlog", "udp_rmem_min", "tcp_fastopen"):
    p = "/proc/sys/net/ipv4/" + f
    out.append("%s=%s" % (p, read(p)))
# IRQs in use (listed in /proc/interrupts). /proc/irq/N of an IRQ that was requested once stays
# after free_irq(), so a channel count raised and restored would otherwise show up as new entries.
used = []
with open("/proc/interrupts") as f:
    for line in f:
        irq = line.split(":", 1)[0].strip()
        if irq.isdigit():
            used.append(int(irq))
# --no-irqs: leave IRQ affinity out (when a running irqbalance owns it)
for irq in sorted(used) if "--no-irqs" not in sys.argv[1:] else []:
    for f in ("smp_affinity", "smp_affinity_list"):
        p = "/proc/irq/%d/%s" % (irq, f)
        out.append("%s=%s" % (p, read(p)))
# CPU affinity of the NAPI kthreads of devices in threaded mode. 6.12 keeps the (idle) kthreads
# after threaded is switched off, so those of non-threaded devices are not state.
kthreads = []
for pid in (p for p in os.listdir("/proc") if p.isdigit()):
    comm = read("/proc/%s/comm" % pid).strip()  # napi/<dev>-<id>, cut to 15 characters
    dev = comm[5:].rsplit("-", 1)[0]
    if comm.startswith("napi/") and read("/sys/class/net/%s/threaded" % dev).strip() == "1":
        for line in read("/proc/%s/status" % pid).splitlines():
            if line.startswith("Cpus_allowed_list:"):
                kthreads.append("kthread %s: %s" % (comm, line.split(":", 1)[1].strip()))
out += sorted(kthreads)
for dev in sorted(os.listdir("/sys/class/net")):
    base = "/sys/class/net/" + dev
    for f in ("threaded", "napi_defer_hard_irqs", "gro_flush_timeout"):
        out.append("%s/%s=%s" % (base, f, read(base + "/" + f)))
    for q in sorted(glob.glob(base + "/queues/*/*")):
        if os.path.basename(q) in ("rps_cpus", "rps_flow_cnt", "xps_cpus"):
            out.append("%s=%s" % (q, read(q)))
    if dev != "lo":
        for opt in ("-l", "-g", "-c", "-k", "-x"):
            r = subprocess.run(["ethtool", opt, dev], capture_output=True, text=True)
            out.append("ethtool %s %s: %s%s" % (opt, dev, r.stdout, r.stderr))
        for flow in ("tcp4", "udp4", "tcp6", "udp6"):
            r = subprocess.run(["ethtool", "-n", dev, "rx-flow-hash", flow],
                               capture_output=True, text=True)
            out.append("ethtool -n %s rx-flow-hash %s: %s%s" % (dev, flow, r.stdout, r.stderr))
sys.stdout.write("\n".join(out) + "\n")
