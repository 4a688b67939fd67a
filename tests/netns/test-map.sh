#!/usr/bin/env bash
# napictl map on a veth pair in two private network namespaces (root; nothing outside the
# namespaces is changed): with GRO on veth has NAPIs, with threaded on each has a kthread;
# map --json must show exactly the kernel's NAPI ids and kthread pids, and must leave the
# queue->NAPI link unknown (veth never reports it).
# Usage: test-map.sh [NAPICTL]. Prints TAP and "map-netns: N passed, N failed".
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
napictl=${1:-$top/build/cli/napictl}
a=nt-map-a-$$
b=nt-map-b-$$
n=0
fails=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
nok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $1"; }

if [ "$(id -u)" -ne 0 ] || ! ip netns add "$a" || ! ip netns add "$b"; then
	echo "not ok 1 - needs root and 'ip netns' (cannot create network namespaces)"
	echo "map-netns: 0 passed, 1 failed"
	exit 1
fi
trap 'ip netns del "$a" 2>/dev/null; ip netns del "$b" 2>/dev/null' EXIT
if ! ip link add va netns "$a" numrxqueues 2 numtxqueues 2 type veth peer vb netns "$b" \
	numrxqueues 2 numtxqueues 2 || ! ip -n "$a" link set va up || ! ip -n "$b" link set vb up
then
	echo "not ok 1 - cannot create the veth pair"
	echo "map-netns: 0 passed, 1 failed"
	exit 1
fi
in_a() { ip netns exec "$a" "$@"; }

# 1. GRO off (veth's default): no NAPI at all.
json=$(in_a "$napictl" --json map va); rc=$?
if [ $rc -eq 0 ] && python3 - "$json" <<'PY'
import json, sys
d = json.loads(sys.argv[1])
[v] = d["devices"]
assert v["name"] == "va" and v["driver"] == "veth", v
assert v["napi_source"] == "netlink" and v["napis"] == [], v
assert len(v["rx_queues"]) == 2 and len(v["tx_queues"]) == 2
assert all(q["napi_id"] is None and q["irq"] is None for q in v["rx_queues"] + v["tx_queues"])
PY
then ok "GRO off: veth has no NAPI, queues unknown"; else nok "GRO off (rc=$rc): ${json:0:600}"; fi

# 2. GRO on + threaded: one NAPI and one napi/va-<id> kthread per rx queue.
in_a ethtool -K va gro on && in_a sh -c 'echo 1 > /sys/class/net/va/threaded' || nok "cannot set GRO/threaded"
sleep 0.2
json=$(in_a "$napictl" --json map va); rc=$?
pids=$(pgrep '^napi/va-' | sort -n | tr '\n' ' ')
if [ $rc -eq 0 ] && python3 - "$json" "$pids" <<'PY'
import json, os, sys
d = json.loads(sys.argv[1])
want_pids = sorted(int(p) for p in sys.argv[2].split())
[v] = d["devices"]
assert v["threaded"] == 1, v
napis = v["napis"]
assert len(napis) == 2, napis
ids = [x["id"] for x in napis]
assert all(i > 0 for i in ids) and ids == sorted(ids)
# every NAPI has a kthread named napi/va-<id>, and map shows its pid
got = sorted(x["pid"] for x in napis)
for x in napis:
    comm = open("/proc/%d/comm" % x["pid"]).read().strip()
    assert comm == "napi/va-%d" % x["id"], (comm, x)
    assert x["irq"] is None                        # veth has no IRQs
    assert x["kthread_cpus"] and x["kthread_last_cpu"] is not None, x
assert set(got) <= set(want_pids), (got, want_pids)
# veth never calls netif_queue_set_napi(): the link stays unknown
for q in v["rx_queues"] + v["tx_queues"]:
    assert q["napi_id"] is None and q["kthread_pid"] is None and q["irq"] is None, q
PY
then ok "GRO on, threaded: NAPI ids and kthread pids match the kernel"
else nok "GRO on (rc=$rc, napi pids: $pids): ${json:0:800}"; fi

out=$(in_a "$napictl" map va); rc=$?
if [ $rc -eq 0 ] && [[ "$out" == *"va: ifindex"* ]] && [[ "$out" == *"driver veth"* ]] &&
	grep -Eq '^  NAPI [0-9]+: IRQ none, kthread [0-9]+ on CPUs ' <<<"$out" &&
	grep -Eq '^  rx-1 +\? +\? ' <<<"$out"; then
	ok "text: NAPIs with kthreads, queues with unknown NAPI"
else nok "text (rc=$rc): $out"; fi

# 3. RPS/XPS and flow count on a queue show up as set (inside the namespace only).
in_a sh -c 'echo 1 > /sys/class/net/va/queues/rx-1/rps_cpus; echo 64 > /sys/class/net/va/queues/rx-1/rps_flow_cnt; echo 1 > /sys/class/net/va/queues/tx-0/xps_cpus'
json=$(in_a "$napictl" --json map va)
if python3 - "$json" <<'PY'
import json, sys
[v] = json.loads(sys.argv[1])["devices"]
assert v["rx_queues"][1]["rps_cpus"] == "0" and v["rx_queues"][1]["rps_flow_cnt"] == 64, v["rx_queues"]
assert v["rx_queues"][0]["rps_cpus"] == "", v["rx_queues"]
assert v["tx_queues"][0]["xps_cpus"] == "0", v["tx_queues"]
PY
then ok "RPS, flow count and XPS per queue"; else nok "RPS/XPS: ${json:0:600}"; fi

# 4. Other namespace's veth end is not listed; unknown name fails.
out=$(in_a "$napictl" map vb 2>&1); rc=$?
[ $rc -eq 1 ] && [[ "$out" == *"no network device 'vb'"* ]] && ok "peer in another netns: not here, exit 1" ||
	nok "peer (rc=$rc): $out"

echo "1..$n"
echo "map-netns: $((n - fails)) passed, $fails failed"
[ "$fails" -eq 0 ]
