#!/usr/bin/env bash
# napictl map on fixture trees (tests/fixture) and on this host: text, JSON schema,
# unknowns shown as unknown, exit statuses. Prints TAP.
set -u
napictl=${1:?usage: test-map.sh NAPICTL GEN-FIXTURE}
gen=${2:?usage: test-map.sh NAPICTL GEN-FIXTURE}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
fails=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
nok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $1"; }

# r12: eth0 with 4 queue vectors eth0-TxRx-N and 4 threaded NAPIs pinned to CPU 1.
"$gen" "$tmp/r12" r12 1 || { nok "gen-fixture r12"; echo "1..$n"; exit 1; }

out=$("$napictl" --root "$tmp/r12" map eth0 2>&1); rc=$?
if [ $rc -eq 0 ] && [[ "$out" == *"eth0: ifindex 1"* ]] && [[ "$out" == *"threaded on"* ]] &&
	grep -Eq '^  rx-2 +\? +10102\* ' <<<"$out" &&
	[[ "$out" == *"NAPI 8194: IRQ none, kthread 5001 on CPUs 1, last ran on CPU 1"* ]] &&
	[[ "$out" == *"?: not reported by the kernel or driver"* ]] && [[ "$out" != *"veth0"* ]]; then
	ok "text: queue IRQs from names, NAPI kthreads, unknown queue->NAPI shown as ?"
else
	nok "text (rc=$rc): $out"
fi

json=$("$napictl" --root "$tmp/r12" --json map)
if python3 - "$json" <<'PY'
import json, sys
d = json.loads(sys.argv[1])
assert d["schema"] == 1 and d["unavailable"] == [], d
devs = {x["name"]: x for x in d["devices"]}
assert sorted(devs) == ["eth0", "lo", "veth0"], sorted(devs)
e = devs["eth0"]
keys = {"name", "ifindex", "driver", "bus_id", "numa_node", "threaded", "napi_source",
        "channels", "rss", "napis", "irqs", "rx_queues", "tx_queues"}
assert set(e) == keys, set(e) ^ keys
assert e["rss"] is None  # RSS is read from the live system only
assert e["bus_id"] == "0000:03:00.0" and e["threaded"] == 1 and e["channels"] is None
assert e["napi_source"] == "kthread-names"
assert [x["id"] for x in e["napis"]] == [8193, 8194, 8195, 8196]
assert all(x["pid"] == 5000 + i and x["kthread_cpus"] == "1" and x["irq"] is None
           for i, x in enumerate(e["napis"]))
assert [x["irq"] for x in e["irqs"]] == [10100, 10101, 10102, 10103]
assert [x["queue"] for x in e["irqs"]] == [0, 1, 2, 3]
assert {x["kind"] for x in e["irqs"]} == {"rxtx"}
assert e["irqs"][2]["effective"] == "2" and e["irqs"][2]["affinity"] is None
qkeys = {"index", "napi_id", "irq", "irq_source", "irq_affinity", "irq_effective",
         "kthread_pid", "kthread_cpus", "kthread_last_cpu", "rps_cpus", "rps_mask", "rps_flow_cnt"}
for i, q in enumerate(e["rx_queues"]):
    assert set(q) == qkeys, set(q) ^ qkeys
    # no napi-get in a fixture: the queue->NAPI link is unknown, never guessed
    assert q["napi_id"] is None and q["kthread_pid"] is None, q
    assert q["irq"] == 10100 + i and q["irq_source"] == "irq-name" and q["irq_effective"] == str(i)
    assert q["rps_cpus"] == "" and q["rps_mask"] == "0"
tx = e["tx_queues"][0]
assert set(tx) == qkeys - {"rps_cpus", "rps_mask", "rps_flow_cnt"} | {"xps_cpus", "xps_mask"}
assert devs["veth0"]["napi_source"] == "none" and devs["veth0"]["irqs"] == []
PY
then ok "JSON schema and values"; else nok "JSON: ${json:0:600}"; fi

out=$("$napictl" --root "$tmp/r12" map eth0 nosuch 2>&1); rc=$?
if [ $rc -eq 1 ] && [[ "$out" == *"no network device 'nosuch'"* ]]; then ok "unknown device: exit 1"
else nok "unknown device (rc=$rc): $out"; fi
out=$("$napictl" map --bogus 2>&1); rc=$?
[ $rc -eq 2 ] && ok "bad option: exit 2" || nok "bad option (rc=$rc): $out"

# This host: whatever it has, the JSON parses and every rx queue of every device is listed.
json=$("$napictl" --json map); rc=$?
if [ $rc -eq 0 ] && python3 - "$json" <<'PY'
import json, os, sys
d = json.loads(sys.argv[1])
for dev in d["devices"]:
    q = os.listdir("/sys/class/net/%s/queues" % dev["name"])
    assert len(dev["rx_queues"]) == len([x for x in q if x.startswith("rx-")]), dev["name"]
    for x in dev["rx_queues"] + dev["tx_queues"]:
        if x["napi_id"] is not None:
            assert x["napi_id"] in [n["id"] for n in dev["napis"]], (dev["name"], x)
    rss = dev["rss"]
    if rss is not None:  # every entry points at one queue; queues 0.. at least the rx ones
        assert sum(x["entries"] for x in rss["queues"]) == rss["table_size"] > 0, rss
        assert [x["queue"] for x in rss["queues"]] == list(range(len(rss["queues"]))), rss
        assert len(rss["queues"]) >= len(dev["rx_queues"]), rss
        assert abs(sum(x["share"] for x in rss["queues"]) - 1) < 1e-3, rss
PY
then ok "live map of this host parses"; else nok "live map (rc=$rc): ${json:0:400}"; fi

echo "1..$n"
echo "map: $((n - fails)) passed, $fails failed"
[ "$fails" -eq 0 ]
