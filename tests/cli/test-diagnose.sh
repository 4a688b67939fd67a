#!/usr/bin/env bash
# napictl diagnose on fixture pairs (tests/fixture scenarios): exit statuses, text and
# JSON schema. Prints TAP.
set -u
napictl=${1:?usage: test-diagnose.sh NAPICTL GEN-FIXTURE}
gen=${2:?usage: test-diagnose.sh NAPICTL GEN-FIXTURE}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
fails=0

pair() { # SCENARIO: writes $tmp/SCENARIO/{a,b}
	mkdir -p "$tmp/$1/a" "$tmp/$1/b"
	"$gen" "$tmp/$1/a" "$1" 0 && "$gen" "$tmp/$1/b" "$1" 1
}

# check NAME WANT_RC WANT_SUBSTRING SCENARIO [ARGS...]
check() {
	local name=$1 want_rc=$2 want=$3 scen=$4 out rc
	shift 4
	n=$((n + 1))
	pair "$scen"
	out=$("$napictl" --root "$tmp/$scen/a" diagnose --second-root "$tmp/$scen/b" "$@" 2>&1)
	rc=$?
	if [ "$rc" -eq "$want_rc" ] && [[ "$out" == *"$want"* ]]; then
		echo "ok $n - $name"
	else
		echo "not ok $n - $name (rc=$rc, want $want_rc; output: ${out:0:400})"
		fails=$((fails + 1))
	fi
}

check "healthy idle: exit 0, quiet" 0 "healthy, 0 packets lost" healthy-idle
check "healthy busy: exit 0" 0 "healthy, 0 packets lost" healthy-busy
check "backlog drops: critical, exit 4" 4 "net.core.netdev_max_backlog 1000 -> 2000" r01
check "squeeze on a saturated CPU with idle ones: spread, exit 3" 3 "numa-local,!0" r02
check "squeeze with headroom: the budget" 3 "net.core.netdev_budget 300 -> 600" r02-headroom
check "saturated CPUs of loopback traffic: RPS on lo without them" 3 "numa-local,!0,!1" r02-lo
check "IRQs on one CPU: root cause and consequences" 4 "Root cause (fix this first; 3 consequences" r04-cpu
check "rx_nohandler is not a tuning problem: exit 0" 0 "1 note below the warning thresholds" r14
check "-v shows notes" 0 "Not a tuning problem" r14 -v
check "socket buffers" 3 "net.core.rmem_max" r05
check "ring below its maximum: grow to the number" 4 "rings.rx 256 -> 4096" r04-ring
check "ring size as evidence" 4 "256 of max 4096 'eth0'  (ethtool -g)" r04-ring
check "ring at its maximum: cannot grow" 4 "it cannot grow, only faster draining helps" r04-ring-max

n=$((n + 1))
pair r04-cpu
json=$("$napictl" --root "$tmp/r04-cpu/a" --json diagnose --second-root "$tmp/r04-cpu/b")
if python3 - "$json" <<'PY'
import json, sys
d = json.loads(sys.argv[1])
assert d["schema"] == 1 and d["level"] == "crit", d
assert d["lost"]["total"] == 5000 and d["lost"]["ring"] == 5000
f = d["findings"]
assert f[0]["id"] == "R07" and f[0]["caused_by"] is None
assert {x["id"] for x in f[1:]} == {"R02", "R04", "R08"}
assert all(x["caused_by"] == 0 for x in f[1:])
keys = {"index", "id", "rule", "level", "tunable", "cpu", "device", "summary", "cause",
        "caused_by", "lost", "lost_with_consequences", "remedy", "profile", "evidence"}
for x in f:
    assert set(x) == keys, set(x) ^ keys
    assert set(x["remedy"]) == {"knob", "scope", "current", "suggested", "command",
                                "bounces_link", "caveat"}
r04 = [x for x in f if x["id"] == "R04"][0]
assert r04["remedy"]["knob"] == "rings.rx" and r04["remedy"]["bounces_link"] is True
assert r04["device"] == "eth0" and r04["cpu"] == 0
PY
then echo "ok $n - JSON schema"; else echo "not ok $n - JSON schema"; fails=$((fails + 1)); fi

# Every profile snippet of every scenario applies: napictl plan (on sample B) changes
# something. Knobs only ethtool/netdev netlink reaches (rings, channels, GRO, NAPI) cannot
# be planned on a fixture tree; for them the plan must at least select the finding's device.
for scen in $("$gen" --list); do
	pair "$scen" || continue
	"$napictl" --root "$tmp/$scen/a" --json diagnose --second-root "$tmp/$scen/b" \
		>"$tmp/$scen/diag.json" 2>/dev/null
done
n=$((n + 1))
if out=$(python3 - "$napictl" "$tmp" $("$gen" --list) 2>&1 <<'PY'
import json, os, subprocess, sys
napictl, tmp, scens = sys.argv[1], sys.argv[2], sys.argv[3:]
offline = ("ethtool netlink is not available here", "NAPI has no IRQ to follow",
           "GRO is only readable on the live system", "RSS is only readable on the live system")
planned = matched = 0
bad = []
for s in scens:
    d = json.load(open(f"{tmp}/{s}/diag.json"))
    for i, f in enumerate(d["findings"]):
        if not f["profile"]:
            assert not f["remedy"]["knob"], (s, f["id"], "a knob without a snippet")
            continue
        path = f"{tmp}/{s}/snippet-{i}.yaml"
        open(path, "w").write(f["profile"])
        r = subprocess.run([napictl, "--root", f"{tmp}/{s}/b", "--json", "plan", path],
                           capture_output=True, text=True)
        p = json.loads(r.stdout)
        dev = f["device"] or (f["profile"].split("match: ")[1].split("\n")[0]
                              if "match: " in f["profile"] else None)
        if r.returncode == 0 and p["change"] >= 1:
            planned += 1
        elif (r.returncode == 0 and p["changes"] and dev and
              all(c["state"] == "unsupported" and c.get("note") in offline and
                  c["device"] == dev for c in p["changes"])):
            matched += 1
        else:
            bad.append((s, f["id"], f["profile"], r.returncode, r.stdout[:300]))
assert not bad, bad
assert planned >= 30, planned
print(f"{planned} snippets plan a change, {matched} select their device (netlink-only knob)")
PY
); then echo "ok $n - every snippet applies: $out"; else
	echo "not ok $n - snippets that do not apply: ${out:0:1500}"; fails=$((fails + 1)); fi

n=$((n + 1))
out=$("$napictl" diagnose --interval=0 2>&1); rc=$?
if [ $rc -eq 2 ] && [[ "$out" == *"--interval must be"* ]]; then echo "ok $n - bad interval"; else
	echo "not ok $n - bad interval (rc=$rc)"; fails=$((fails + 1)); fi

n=$((n + 1))
out=$("$napictl" --json diagnose --interval=0.2 2>&1); rc=$?
if [ $rc -le 4 ] && [ $rc -ne 1 ] && [ $rc -ne 2 ] && python3 -c 'import json,sys; json.loads(sys.argv[1])' "$out"; then
	echo "ok $n - live sample on this host gives valid JSON (exit $rc)"
else echo "not ok $n - live sample (rc=$rc: ${out:0:300})"; fails=$((fails + 1)); fi

echo "1..$n"
echo "diagnose: $((n - fails)) passed, $fails failed"
[ "$fails" -eq 0 ]
