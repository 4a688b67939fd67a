#!/usr/bin/env python3
# hotplug.py N [POLL_MS]: adds N veth pairs "ntbA<i>"/"ntbB<i>" one at a time and measures,
# for each, the time from the end of 'ip link add' to the moment the daemon's value is in
# sysfs (rx-0/rps_flow_cnt = 64 on ntbA<i>), polled every POLL_MS (default 0.2; in a TCG VM
# a tight poll takes the CPU the daemon needs: use a few ms there); then deletes them.
# Prints the latencies in microseconds, one per line, "timeout" after 10 s.
import os
import subprocess
import sys
import time

n = int(sys.argv[1])
poll = float(sys.argv[2]) / 1000 if len(sys.argv) > 2 else 0.0002
for i in range(n):
    a = "ntbA%d" % i
    subprocess.run(["ip", "link", "add", a, "type", "veth", "peer", "name", "ntbB%d" % i],
                   check=True)
    t0 = time.monotonic()
    path = "/sys/class/net/%s/queues/rx-0/rps_flow_cnt" % a
    lat = None
    while time.monotonic() - t0 < 10:
        try:
            with open(path) as f:
                if f.read().strip() == "64":
                    lat = time.monotonic() - t0
                    break
        except OSError:
            pass
        time.sleep(poll)
    print("timeout" if lat is None else int(lat * 1e6), flush=True)
for i in range(n):
    subprocess.run(["ip", "link", "del", "ntbA%d" % i], check=False)
