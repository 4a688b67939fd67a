#!/usr/bin/env python3
# Everything a napictl profile may change, as text, for byte-for-byte comparison:
# net.* sysctls, IRQ affinity of every IRQ in use, NAPI kthread CPU affinity, per-device and
# per-queue sysfs, ethtool channels, rings, coalescing, GRO, the RSS table, key and hash
# fields, and the per-NAPI settings (netdev netlink napi-get, 6.13+). One process (process
# creation is slow in the TCG guest).
import errno
import glob
import os
import socket
import struct
import subprocess
import sys


# Generic netlink, just enough to dump the netdev family (include/uapi/linux/netlink.h,
# genetlink.h, netdev.h; the same ids as tests/vm/driver/nr_netlink.c).
def nl_attrs(buf):
    attrs = {}
    while len(buf) >= 4:
        alen, atype = struct.unpack_from("HH", buf)
        if alen < 4:
            break
        attrs[atype & 0x3FFF] = buf[4:alen]
        buf = buf[(alen + 3) & ~3:]
    return attrs


def nl_uint(b):
    return struct.unpack("I" if len(b) == 4 else "Q" if len(b) == 8 else "H", b)[0]


def genl_dump(sk, family, cmd, attrs=b""):
    """Messages (attribute dicts) of one request; [] if the family lacks the command."""
    hdr = struct.pack("BBH", cmd, 1, 0) + attrs
    flags = 0x1 | (0x300 if family != 0x10 else 0)  # NLM_F_REQUEST, NLM_F_DUMP
    sk.send(struct.pack("IHHII", 16 + len(hdr), family, flags, 1, 0) + hdr)
    out = []
    while True:
        data = sk.recv(1 << 16)
        while len(data) >= 16:
            mlen, mtype = struct.unpack_from("IH", data)
            body = data[16:mlen]
            if mtype == 2:  # NLMSG_ERROR
                err = -struct.unpack_from("i", body)[0]
                if err in (0, errno.EOPNOTSUPP, errno.ENOENT):
                    return out
                raise OSError(err, "netlink request %d" % cmd)
            if mtype == 3:  # NLMSG_DONE
                return out
            out.append(nl_attrs(body[4:]))
            if family == 0x10:
                return out
            data = data[(mlen + 3) & ~3:]


def napi_settings():
    """'napi DEV rx-N: ...' for every RX queue whose NAPI has per-NAPI settings."""
    sk = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 16)  # NETLINK_GENERIC
    name = b"netdev\0"
    fam = genl_dump(sk, 0x10, 3, struct.pack("HH", 4 + len(name), 2) + name + b"\0" * (-len(name) % 4))
    if not fam or 1 not in fam[0]:
        return []  # no netdev family (before 6.3)
    netdev = nl_uint(fam[0][1])
    keys = ((5, "defer-hard-irqs"), (6, "gro-flush-timeout"), (7, "irq-suspend-timeout"),
            (8, "threaded"))
    napis = {}
    for a in genl_dump(sk, netdev, 11):  # napi-get: 2 id, 5..8 the settings
        vals = ["%s=%d" % (k, nl_uint(a[i])) for i, k in keys if i in a]
        if vals:
            napis[nl_uint(a[2])] = " ".join(vals)
    lines = []
    for a in genl_dump(sk, netdev, 10):  # queue-get: 1 id, 2 ifindex, 3 type, 4 napi-id
        if nl_uint(a[3]) == 0 and 4 in a and nl_uint(a[4]) in napis:
            dev = socket.if_indextoname(nl_uint(a[2]))
            lines.append("napi %s rx-%d: %s" % (dev, nl_uint(a[1]), napis[nl_uint(a[4])]))
    return sorted(lines)

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
# IRQs in use: listed in /proc/interrupts with a handler (/sys/kernel/irq/N/actions not empty).
# /proc/irq/N of an IRQ that was requested once stays after free_irq(), so a channel count
# raised and restored would otherwise show up as new entries; 6.1 also keeps such an IRQ in
# /proc/interrupts, without a handler, once it has fired.
used = []
with open("/proc/interrupts") as f:
    for line in f:
        irq = line.split(":", 1)[0].strip()
        actions = "/sys/kernel/irq/%s/actions" % irq
        if irq.isdigit() and (not os.path.exists(actions) or read(actions).strip()):
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
out += napi_settings()
sys.stdout.write("\n".join(out) + "\n")
