#!/usr/bin/env bash
# napictl --netns=NAME (like 'ip -n NAME'): every verb runs inside the named network
# namespace. The whole test runs in a network namespace H standing in for the host (so
# that even a napictl that ignored --netns could not touch the real host) and a private
# mount namespace with its own /run (netns names, journal, lock). It creates namespaces X
# and Y joined by a veth pair and changes only knobs of X (veth rps_cpus, the per-netns
# net.core.somaxconn): no host-global sysctl or IRQ is touched. Needs root.
# Prints TAP and "netns-option: N passed, N failed".
# Usage: test-netns.sh [NAPICTL]
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
if [ "${1:-}" != --inner ]; then
	napictl=${1:-${NAPICTL:-$top/build/cli/napictl}}
	if [ "$(id -u)" -ne 0 ] || [ ! -x "$napictl" ]; then
		echo "not ok 1 - needs root and a built napictl ($napictl)"
		echo "netns-option: 0 passed, 1 failed"
		exit 1
	fi
	h=nt-h-$$
	if ! ip netns add "$h"; then
		echo "not ok 1 - cannot create a network namespace"
		echo "netns-option: 0 passed, 1 failed"
		exit 1
	fi
	trap 'ip netns del "$h" 2>/dev/null' EXIT
	ip -n "$h" link set lo up
	ip netns exec "$h" unshare -m --propagation private "$0" --inner "$napictl"
	exit $?
fi

napictl=$2
# shellcheck source=../helpers/tap.sh
. "$top/tests/helpers/tap.sh"
nok() { bad "$@"; }
finish()
{
	tap_summary "netns-option: "
	exit
}

# Private /run: the journal and lock below it are this test's only.
if ! mount -t tmpfs tmpfs /run || ! mkdir -p /run/netns; then
	nok "cannot mount a private /run"
	finish
fi
x=ntx-$$
y=nty-$$
vx=ntvx$$
vy=ntvy$$
tmp=$(mktemp -d)
cleanup() {
	kill $(jobs -p) 2>/dev/null
	wait 2>/dev/null
	ip netns del "$x" 2>/dev/null
	ip netns del "$y" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
if ! ip netns add "$x" || ! ip netns add "$y" ||
	! ip link add "$vx" netns "$x" numrxqueues 2 numtxqueues 2 type veth peer "$vy" netns "$y" ||
	! ip -n "$x" link set lo up || ! ip -n "$x" link set "$vx" up || ! ip -n "$y" link set "$vy" up
then
	nok "cannot create the namespaces and the veth pair"
	finish
fi
export NAPITUNE_PROFILE_PATH=$tmp
mounts_before=$(cat /proc/self/mountinfo)
host_devs=$(ls /sys/class/net | sort | tr '\n' ' ')

# --- map: exactly the namespace's devices ------------------------------------------------
want_x=$(ip -n "$x" -j link show | python3 -c \
	'import json,sys; print(" ".join(sorted("%s:%d" % (l["ifname"], l["ifindex"]) for l in json.load(sys.stdin))))')
for spec in "$x" "/run/netns/$x"; do
	json=$("$napictl" --netns="$spec" --json map); rc=$?
	got=$(python3 -c 'import json,sys
print(" ".join(sorted("%s:%d" % (d["name"], d["ifindex"]) for d in json.loads(sys.argv[1])["devices"])))' \
		"$json" 2>&1)
	if [ $rc -eq 0 ] && [ "$got" = "$want_x" ]; then
		ok "--netns=$spec map lists exactly the netns's devices ($got)"
	else
		nok "--netns=$spec map (rc=$rc): got '$got', want '$want_x'"
	fi
done
out=$("$napictl" --netns="$x" map "$vx"); rc=$?
if [ $rc -eq 0 ] && [[ "$out" == *"$vx: ifindex"*"driver veth"* ]]; then
	ok "text map of the netns's veth"
else nok "text map (rc=$rc): ${out:0:600}"; fi
json=$("$napictl" --json map); rc=$?
if [ $rc -eq 0 ] && python3 - "$json" "$vx" "$vy" <<'PY'
import json, sys
names = {d["name"] for d in json.loads(sys.argv[1])["devices"]}
assert sys.argv[2] not in names and sys.argv[3] not in names, names
PY
then ok "plain map (netns H) does not list the netns's veth"
else nok "plain map (rc=$rc): ${json:0:400}"; fi
check "map of a device of another netns: not found" 1 "$vy" "$napictl" --netns="$x" map "$vy"

# napictl's /sys remount stayed in its own mount namespace.
eq "/sys/class/net of H unchanged" "$(ls /sys/class/net | sort | tr '\n' ' ')" "$host_devs"
if [ "$(cat /proc/self/mountinfo)" = "$mounts_before" ]; then
	ok "no mount propagated back from napictl --netns"
else nok "mounts changed: $(diff <(echo "$mounts_before") /proc/self/mountinfo)"; fi

# --- diagnose: the netns's /proc/net counters ---------------------------------------------
# UDP sink with a 4 KiB buffer that never reads, flooded on the netns's loopback: only the
# netns's Udp RcvbufErrors grow, so lost.socket > 0 proves /proc/net/snmp came from there.
ip netns exec "$x" python3 - <<'PY' &
import socket, time
r = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
r.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
r.bind(("127.0.0.1", 9999))
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
end = time.time() + 5
while time.time() < end:
    for _ in range(200):
        s.sendto(b"x" * 512, ("127.0.0.1", 9999))
    time.sleep(0.005)
PY
flood=$!
sleep 0.5
nsd=$("$napictl" --netns="$x" --json diagnose --interval=2); nsrc=$?
hostd=$("$napictl" --json diagnose --interval=1); hostrc=$?
wait "$flood"
if python3 - "$nsd" <<'PY'
import json, sys
d = json.loads(sys.argv[1])
assert d["lost"]["socket"] > 0, d["lost"]
assert any(f["id"] == "R05" for f in d["findings"]), d["findings"]
PY
then ok "--netns diagnose sees the netns's UDP receive-buffer drops (exit $nsrc)"
else nok "--netns diagnose (rc=$nsrc): ${nsd:0:800}"; fi
if [ $hostrc -le 4 ] && [ $hostrc -ne 1 ] && [ $hostrc -ne 2 ] && python3 - "$hostd" <<'PY'
import json, sys
d = json.loads(sys.argv[1])
assert not any(f["id"] == "R05" for f in d["findings"]), d["findings"]
PY
then ok "plain diagnose (netns H) does not see them (exit $hostrc)"
else nok "plain diagnose (rc=$hostrc): ${hostd:0:800}"; fi
out=$("$napictl" --netns="$x" --json monitor --interval=1 --count=1); rc=$?
if [ $rc -eq 0 ] && [[ "$out" == *"\"$vx\""* ]] && [[ "$out" != *"\"$vy\""* ]]; then
	ok "--netns monitor shows the netns's devices"
else nok "--netns monitor (rc=$rc): ${out:0:600}"; fi

# --- apply / revert: journaled per netns ----------------------------------------------
ncpu=$(nproc)
mask=1
[ "$ncpu" -gt 1 ] && mask=3
cat >"$tmp/nsprof.yaml" <<YAML
name: nsprof
sysctl:
  net.core.somaxconn: 1234            # per netns (net/core/sysctl_net_core.c)
devices:
  - match: $vx
    queues:
      rps_cpus: "0-$((ncpu > 1 ? 1 : 0))"
YAML
in_x() { ip netns exec "$x" "$@"; }
host_somax=$(cat /proc/sys/net/core/somaxconn)
x_somax=$(in_x cat /proc/sys/net/core/somaxconn)
x_rps=$(in_x cat /sys/class/net/"$vx"/queues/rx-0/rps_cpus)
check "apply in the netns" 0 "applied profile 'nsprof'" "$napictl" --netns="$x" apply nsprof
eq "netns somaxconn set" "$(in_x cat /proc/sys/net/core/somaxconn)" 1234
eq "netns rps_cpus set" "$(in_x cat /sys/class/net/"$vx"/queues/rx-1/rps_cpus | sed 's/^0*//')" "$mask"
eq "H (\"host\") somaxconn untouched" "$(cat /proc/sys/net/core/somaxconn)" "$host_somax"
jdirs=(/run/napitune/netns/*)
if [ ${#jdirs[@]} -eq 1 ] && [ -s "${jdirs[0]}/journal" ] && [ ! -e /run/napitune/journal ]; then
	ok "journal in its own netns directory (${jdirs[0]}), none in the main one"
else nok "journal files: $(find /run/napitune 2>&1)"; fi
check "status in the netns" 0 "nsprof" "$napictl" --netns="$x" status
check "plain status: nothing applied in netns H" 0 "no profile applied" "$napictl" status
check "verify in the netns" 0 "nsprof: 0 drifted" "$napictl" --netns="$x" verify
check "plain revert does not touch the netns" 0 "nothing to revert" "$napictl" revert
eq "netns somaxconn still set after a plain revert" "$(in_x cat /proc/sys/net/core/somaxconn)" 1234

# The journal is keyed by the namespace itself, not by the name used to reach it.
ip netns exec "$x" sleep 60 & # ip execs sleep: $! is the sleep in netns x
holder=$!
sleep 0.3
pidns=/proc/$holder/ns/net
eq "holder process is in the netns" "$(readlink "$pidns")" \
	"$(ip netns exec "$x" readlink /proc/self/ns/net)"
check "status through /proc/PID/ns/net of the same netns" 0 "nsprof" \
	"$napictl" --netns="$pidns" status
kill "$holder" 2>/dev/null
wait "$holder" 2>/dev/null

# Not root: the CAP_SYS_ADMIN message, and nothing reverted.
check "revert without CAP_SYS_ADMIN fails clearly" 1 "CAP_SYS_ADMIN" \
	setpriv --bounding-set=-sys_admin --inh-caps=-sys_admin "$napictl" --netns="$x" status

check "revert in the netns" 0 "reverted:" "$napictl" --netns="$x" revert
eq "netns somaxconn restored" "$(in_x cat /proc/sys/net/core/somaxconn)" "$x_somax"
eq "netns rps_cpus restored" "$(in_x cat /sys/class/net/"$vx"/queues/rx-0/rps_cpus)" "$x_rps"
if [ -z "$(ls -A /run/napitune/netns 2>/dev/null)" ]; then
	ok "netns journal directory removed after the revert"
else nok "left behind: $(ls -la /run/napitune/netns)"; fi
check "revert again: nothing to do" 0 "nothing to revert" "$napictl" --netns="$x" revert

# A netns deleted and created again under the same name is another namespace: an apply
# journaled for the old one must never be restored into it.
check "apply again" 0 "applied profile 'nsprof'" "$napictl" --netns="$x" apply nsprof
ip netns del "$x"
ip netns add "$x"
ip -n "$x" link set lo up
fresh=$(in_x cat /proc/sys/net/core/somaxconn)
check "re-created name: no profile applied there" 0 "no profile applied" \
	"$napictl" --netns="$x" status
check "re-created name: nothing to revert" 0 "nothing to revert" "$napictl" --netns="$x" revert
eq "re-created netns untouched" "$(in_x cat /proc/sys/net/core/somaxconn)" "$fresh"

# --- errors ---------------------------------------------------------------------------------
check "unknown netns: usage error naming the file" 2 \
	"not found: /run/netns/nt-none-$$ does not exist" "$napictl" --netns=nt-none-$$ map
check "unknown netns: apply changes nothing" 2 "/run/netns/nt-none-$$" \
	"$napictl" --netns=nt-none-$$ apply nsprof
check "--netns with --root" 2 "cannot be combined" "$napictl" --netns="$x" --root=/ map
check "--netns with a non-netns file" 2 "is not a network namespace" \
	"$napictl" --netns=/proc/self/ns/ipc status
finish
