#!/usr/bin/env bash
# Host network-namespace tests for the knob families and apply/verify/revert on a veth
# pair (kernel 6.18 here). Everything happens inside two private network namespaces and a
# private mount namespace (own /run for the journal): no host-global sysctl or IRQ is
# touched. Needs root. Prints TAP and a final "N passed, N failed" line.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
napictl=${NAPICTL:-$top/build/cli/napictl}
if [ "$(id -u)" -ne 0 ]; then
	echo "netns tests need root"
	echo "0 passed, 1 failed"
	exit 1
fi
if [ ! -x "$napictl" ]; then
	echo "no napictl at $napictl (build first)"
	echo "0 passed, 1 failed"
	exit 1
fi
if [ "${1:-}" != --inner ]; then
	a=nt-a-$$
	b=nt-b-$$
	cleanup() { ip netns del "$a" 2>/dev/null; ip netns del "$b" 2>/dev/null; }
	trap cleanup EXIT
	ip netns add "$a" && ip netns add "$b" &&
		ip link add va netns "$a" numrxqueues 4 numtxqueues 4 type veth peer vb netns "$b" \
			numrxqueues 4 numtxqueues 4 &&
		ip -n "$a" addr add 192.0.2.1/24 dev va && ip -n "$b" addr add 192.0.2.2/24 dev vb &&
		ip -n "$a" link set va up && ip -n "$b" link set vb up && ip -n "$a" link set lo up || {
		echo "cannot create the veth pair in network namespaces"
		echo "0 passed, 1 failed"
		exit 1
	}
	# Private /run (journal and lock) for the whole inner run.
	ip netns exec "$a" unshare -m --propagation private "$0" --inner "$napictl"
	exit $?
fi

napictl=$2
mount -t tmpfs tmpfs /run || { echo "cannot mount a private /run"; echo "0 passed, 1 failed"; exit 1; }
mkdir -p /run/netns
tmp=$(mktemp -d)
export NAPITUNE_PROFILE_PATH=$tmp
# shellcheck source=../helpers/tap.sh
. "$top/tests/helpers/tap.sh"
TAP_OUT_MAX=1500

# Everything napictl may change on va, for byte-for-byte comparison.
state() {
	local q
	echo "somaxconn=$(cat /proc/sys/net/core/somaxconn)"
	echo "tcp_rmem=$(cat /proc/sys/net/ipv4/tcp_rmem)"
	echo "channels=$(ethtool -l va | sed -n '/Current/,$p' | tr -s ' \t' ' ' | tr '\n' ';')"
	echo "gro=$(ethtool -k va | grep '^generic-receive-offload')"
	for f in threaded napi_defer_hard_irqs gro_flush_timeout; do
		echo "$f=$(cat /sys/class/net/va/$f)"
	done
	for q in /sys/class/net/va/queues/rx-*; do
		echo "$(basename "$q") rps_cpus=$(cat "$q/rps_cpus") rps_flow_cnt=$(cat "$q/rps_flow_cnt")"
	done
	for q in /sys/class/net/va/queues/tx-*; do
		echo "$(basename "$q") xps_cpus=$(cat "$q/xps_cpus" 2>&1)"
	done
	echo "napi-threads=$(pgrep -c '^napi/va-')"
}

ncpu=$(nproc)
last=$((ncpu - 1))
cat >"$tmp/veth.yaml" <<YAML
name: veth
sysctl:
  net.core.somaxconn: 1024            # per netns (net/core/sysctl_net_core.c)
  net.ipv4.tcp_rmem: [4096, 65536, 8MiB]
devices:
  - match: va
    device:
      channels.rx: 2
      channels.tx: 2
      gro: on                          # creates veth's NAPIs (drivers/net/veth.c)
      threaded: on
      napi_defer_hard_irqs: 3
      gro_flush_timeout: 50us
    napi:
      napi.defer-hard-irqs: 2
      napi.gro-flush-timeout: 200us
      napi.irq-suspend-timeout: 20ms
      napi.kthread-cpus: "$last"
    queues:
      rps_cpus: "0"
      rps_flow_cnt: 128
      xps_cpus: { spread: all }
YAML

before=$(state)
eq "veth starts with 4 rx channels and GRO off" "$(ethtool -k va | grep -c 'generic-receive-offload: off')" 1
check "napictl sees no NAPI on veth without GRO" 0 "no NAPI instances" "$napictl" plan veth
printf 'sysctl:\n  net.core.netdev_budget: 600\n' >"$tmp/budget.yaml"
check "global sysctls are absent in a netns: reported, nothing offered" 0 \
	"/proc/sys/net/core/netdev_budget does not exist on this kernel" "$napictl" plan budget
printf 'sysctl:\n  net.core.rmem_max: 8MiB\n' >"$tmp/rmem.yaml"
check "rmem_max is read-only in a netns: unsupported, skipped" 0 "read-only here" \
	"$napictl" plan rmem
check "plan shows the restructuring" 0 "re-resolved after that step" "$napictl" plan veth
check "tcp_rmem below the kernel default is linted" 0 "warning: net.ipv4.tcp_rmem max 8388608 is below the current" \
	"$napictl" plan veth
check "apply --check before: drift" 3 "differ from profile 'veth'" "$napictl" apply --check veth
check "apply" 0 "applied profile 'veth'" "$napictl" apply veth

eq "channels rx 2" "$(ethtool -l va | sed -n '/Current/,$p' | awk '/^RX:/ {print $2}')" 2
eq "GRO on" "$(ethtool -k va | grep -c 'generic-receive-offload: on')" 1
eq "queues re-resolved: 2 rx queues in sysfs" "$(ls -d /sys/class/net/va/queues/rx-* | wc -l)" 2
eq "rps_cpus on rx-1 (after channels)" "$(cat /sys/class/net/va/queues/rx-1/rps_cpus)" 1
eq "rps_flow_cnt" "$(cat /sys/class/net/va/queues/rx-0/rps_flow_cnt)" 128
eq "xps spread: tx-1 on CPU 1 mod $ncpu" "$(cat /sys/class/net/va/queues/tx-1/xps_cpus)" \
	"$(printf '%x' $((1 << (1 % ncpu))))"
eq "device-wide defer (sysfs)" "$(cat /sys/class/net/va/napi_defer_hard_irqs)" 3
eq "threaded" "$(cat /sys/class/net/va/threaded)" 1
eq "one NAPI kthread per rx queue" "$(pgrep -c '^napi/va-')" 2
for pid in $(pgrep '^napi/va-'); do
	eq "kthread $pid pinned to CPU $last" "$(taskset -pc "$pid" | sed 's/.*: //')" "$last"
done
json=$("$napictl" --json plan veth)
if python3 - "$json" <<'PY'; then
import json, sys
d = json.loads(sys.argv[1])
napi = [c for c in d["changes"] if c["key"].startswith("napi.") and c["key"] != "napi.kthread-cpus"]
want = {"napi.defer-hard-irqs": "2", "napi.gro-flush-timeout": "200000",
        "napi.irq-suspend-timeout": "20000000"}
assert len(napi) == 6, napi                        # 3 knobs x 2 NAPIs
for c in napi:
    assert c["state"] == "same" and c["current"] == want[c["key"]], c
assert d["change"] == 0, d
PY
	ok "per-NAPI values read back through napi-get (6 = 3 knobs x 2 NAPIs), nothing left to change"
else
	bad "per-NAPI read-back: $json"
fi
check "apply --check after: matches" 0 "0 settings differ" "$napictl" apply --check veth
check "verify (profile from the journal)" 0 "veth: 0 drifted" "$napictl" verify
check "status" 0 "profile:  veth" "$napictl" status
echo 0 >/sys/class/net/va/queues/rx-0/rps_flow_cnt
check "verify names the drifted knob" 3 "va rx-0            rps_flow_cnt                 0 -> 128" "$napictl" verify
check "revert" 0 "reverted:" "$napictl" revert
after=$(state)
if [ "$before" = "$after" ]; then
	ok "revert restored channels, GRO, threaded, sysfs, RPS/XPS, sysctls exactly"
else
	bad "state after revert differs: $(diff <(echo "$before") <(echo "$after"))"
fi
check "revert again: nothing to do" 0 "nothing to revert" "$napictl" revert

# Per-NAPI threaded (6.17+) on veth with GRO on.
cat >"$tmp/napi-threaded.yaml" <<'YAML'
devices:
  - match: va
    device: { gro: on }
    napi: { napi.threaded: on }
YAML
check "apply per-NAPI threaded" 0 "applied profile 'napi-threaded'" "$napictl" apply napi-threaded
eq "per-NAPI threaded created kthreads" "$(pgrep -c '^napi/va-')" 4
eq "device-wide threaded file untouched" "$(cat /sys/class/net/va/threaded)" 0
check "revert per-NAPI threaded" 0 "reverted:" "$napictl" revert
eq "kthreads gone, GRO off again" "$(pgrep -c '^napi/va-'; ethtool -k va | grep -c 'generic-receive-offload: off')" \
	"$(printf '0\n1')"

# A kernel refusal mid-apply: channels beyond the maximum (checked by the planner) and a
# veth 'combined' channel (the kernel's extack is reported, everything rolled back).
printf 'devices:\n  - match: va\n    device: { channels.rx: 9 }\n' >"$tmp/chan.yaml"
check "channels above the device maximum: plan error" 1 "exceeds the maximum of 'va' (4)" \
	"$napictl" check chan
cat >"$tmp/refused.yaml" <<'YAML'
devices:
  - match: va
    device: { gro: on, rings.rx: 128 }
    queues: { rps_flow_cnt: 64 }
YAML
check "rings unsupported on veth: reported, skipped" 0 "unsupported, skipped" "$napictl" plan refused
cat >"$tmp/bad-write.yaml" <<'YAML'
devices:
  - match: va
    device: { gro: on }
    queues: { rps_flow_cnt: 64, xps_cpus: "0-4095" }
YAML
b2=$(state)
check "CPUs beyond the machine rejected before writing" 1 "does not exist: this machine has CPUs" \
	"$napictl" apply bad-write
eq "nothing written" "$(state)" "$b2"

echo "1..$n"
echo "$((n - fails)) passed, $fails failed"
[ "$fails" -eq 0 ]
