#!/usr/bin/env python3
# Talks to the running irqbalance's control socket like napictl does (one request per
# connection, sent with root's SCM_CREDENTIALS) and prints each answer on one line.
# Usage: irqbalance-ctl.py REQUEST...   e.g. "setup", "settings ban irqs 9"
import glob
import os
import socket
import struct
import sys

socks = glob.glob("/run/irqbalance/irqbalance*.sock")
if len(socks) != 1:
    sys.exit("irqbalance-ctl: want one irqbalance socket, found %s" % socks)
for req in sys.argv[1:]:
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(socks[0])
    cred = struct.pack("iII", os.getpid(), os.getuid(), os.getgid())
    s.sendmsg([req.encode()], [(socket.SOL_SOCKET, socket.SCM_CREDENTIALS, cred)])
    s.settimeout(5)
    reply = b""
    try:
        while True:
            b = s.recv(4096)
            if not b:
                break
            reply += b
    except socket.timeout:
        pass
    s.close()
    print(reply.decode(errors="replace"))
