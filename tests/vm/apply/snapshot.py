#!/usr/bin/env python3
# Everything a napictl profile may change, as text, for byte-for-byte comparison:
# net.* sysctls, IRQ affinity, per-device and per-queue sysfs, ethtool channels, rings,
# coalescing and GRO. One process (process creation is slow in the TCG guest).
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
for p in sorted(glob.glob("/proc/irq/*/smp_affinity_list")):
    out.append("%s=%s" % (p, read(p)))
for dev in sorted(os.listdir("/sys/class/net")):
    base = "/sys/class/net/" + dev
    for f in ("threaded", "napi_defer_hard_irqs", "gro_flush_timeout"):
        out.append("%s/%s=%s" % (base, f, read(base + "/" + f)))
    for q in sorted(glob.glob(base + "/queues/*/*")):
        if os.path.basename(q) in ("rps_cpus", "rps_flow_cnt", "xps_cpus"):
            out.append("%s=%s" % (q, read(q)))
    if dev != "lo":
        for opt in ("-l", "-g", "-c", "-k"):
            r = subprocess.run(["ethtool", opt, dev], capture_output=True, text=True)
            out.append("ethtool %s %s: %s%s" % (opt, dev, r.stdout, r.stderr))
sys.stdout.write("\n".join(out) + "\n")
