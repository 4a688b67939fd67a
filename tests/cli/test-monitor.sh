#!/usr/bin/env bash
# napictl monitor: bounded runs (--count) on this host, text without a TTY and --json
# (one object per sample per line, checked with python3), usage errors. Prints TAP.
set -u
napictl=${1:?usage: test-monitor.sh NAPICTL}
n=0
fails=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
nok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $1"; }

out=$("$napictl" monitor --count 2 --interval 0.2 2>&1); rc=$?
blocks=$(grep -c '^napictl monitor ' <<<"$out")
if [ $rc -eq 0 ] && [ "$blocks" -eq 2 ] && [[ "$out" != *$'\033'* ]] &&
	grep -q '^CPU  *NET_RX/s  *softirq%  *processed/s  *drops/s  *squeeze/s$' <<<"$out" &&
	grep -q '^DEVICE/QUEUE ' <<<"$out" && grep -q 'sample 2 ' <<<"$out"; then
	ok "text: 2 plain blocks, no escape sequences when stdout is not a TTY"
else
	nok "text (rc=$rc, blocks=$blocks): ${out:0:800}"
fi
if grep -Eq "^0 +[0-9]+ +[0-9.]+ " <<<"$out"; then ok "text: CPU 0 row has numbers"
else nok "text: no CPU 0 row: ${out:0:400}"; fi

start=$(date +%s%N)
json=$("$napictl" --json monitor --count 2 --interval 0.2); rc=$?
ms=$((($(date +%s%N) - start) / 1000000))
if [ $rc -eq 0 ] && python3 - "$json" <<'PY'
import json, os, sys
lines = sys.argv[1].split("\n")
assert len(lines) == 2, lines
s = [json.loads(l) for l in lines]
assert [x["seq"] for x in s] == [1, 2]
assert s[1]["time_ms"] >= s[0]["time_ms"]
ncpu = os.cpu_count()
for x in s:
    assert set(x) == {"schema", "seq", "time_ms", "interval", "cpus", "devices"}, set(x)
    assert x["schema"] == 1 and 0.15 < x["interval"] < 5, x["interval"]
    assert 1 <= len(x["cpus"]) <= ncpu
    for c in x["cpus"]:
        assert set(c) == {"cpu", "net_rx", "softirq_pct", "processed", "backlog_drops", "squeezes"}
        assert c["net_rx"] >= 0 and c["backlog_drops"] >= 0
        assert c["softirq_pct"] is None or 0 <= c["softirq_pct"] <= 100
    names = [d["name"] for d in x["devices"]]
    assert "lo" not in names
    for d in x["devices"]:
        assert set(d) == {"name", "rx_pps", "tx_pps", "rx_dropped", "rx_missed", "irqs", "queues"}
        q = os.listdir("/sys/class/net/%s/queues" % d["name"])
        assert len(d["queues"]) == len([e for e in q if e.startswith("rx-")])
        for e in d["queues"]:
            assert set(e) == {"index", "pps", "drops", "irqs", "packets_per_poll"}
PY
then ok "--json: 2 lines, each a sample with the documented keys"; else nok "--json (rc=$rc): ${json:0:800}"; fi
[ $ms -ge 400 ] && ok "--count 2 --interval 0.2 sampled for >= 0.4 s ($ms ms)" || nok "ran only $ms ms"

out=$("$napictl" monitor --interval 0 2>&1); rc=$?
[ $rc -eq 2 ] && [[ "$out" == *"--interval must be"* ]] && ok "bad interval: exit 2" || nok "bad interval (rc=$rc)"
out=$("$napictl" monitor --count 0 2>&1); rc=$?
[ $rc -eq 2 ] && [[ "$out" == *"--count must be"* ]] && ok "bad count: exit 2" || nok "bad count (rc=$rc)"
out=$("$napictl" monitor eth0 2>&1); rc=$?
[ $rc -eq 2 ] && ok "stray argument: exit 2" || nok "stray argument (rc=$rc)"

echo "1..$n"
echo "monitor: $((n - fails)) passed, $fails failed"
[ "$fails" -eq 0 ]
