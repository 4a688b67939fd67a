#!/bin/bash
# The demo's guest half (tools/demo.sh boots the VM with it): napiref receives bursts from
# its generator into a ring that is too small; napictl diagnose finds the drops and names
# the fix; the finding's profile snippet is applied; diagnose is clean; status shows what
# changed; revert restores it. Exits non-zero as soon as a step does not do what it says.
#
# Usage: demo-guest.sh KO [INTERVAL]
set -u
KO=$1
IV=${2:-3}
top=$(cd "$(dirname "$0")/../../.." && pwd)
napictl=$top/build/cli/napictl
GEN=/sys/kernel/debug/napiref/napiref1/gen
W=/tmp/demo
mkdir -p $W

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { printf '\033[2m# %s\033[0m\n' "$*"; "$@"; }
die() { printf '\n\033[1;31mdemo: %s\033[0m\n' "$*"; exit 1; }

step "1. napiref, the reference NAPI driver: a port pair, 4 queues, an overload on napiref1"
mount -t debugfs none /sys/kernel/debug 2>/dev/null
insmod "$KO" queues=4 || die "insmod napiref failed"
ip netns add peer
ip link set napiref0 netns peer
ip -n peer link set napiref0 up
ip addr add 10.0.0.2/24 dev napiref1
ip link set napiref1 up || die "napiref1 does not come up"
run ethtool -G napiref1 rx 64 || die "ethtool -G failed"
echo "napiref1: RX ring of 64 descriptors (the driver allows up to 4096)"
echo "generator: bursts of 80 frames every 10 ms on queue 0 (8000 packets/s)"
echo "rate=8000 size=64 flows=16 tick_us=10000 queues=0x1 dst_ip=10.0.0.2 dst_port=9" >$GEN ||
	die "cannot start the generator"

step "2. what is wrong? napictl diagnose --interval=$IV"
run "$napictl" diagnose --interval="$IV"
rc=$?
echo "(exit status $rc: 0 healthy, 3 warning, 4 critical)"
[ $rc -ge 3 ] || die "diagnose saw nothing wrong (status $rc)"

step "3. the fix: the finding's own profile snippet (from napictl --json diagnose)"
"$napictl" --json diagnose --interval="$IV" >$W/diag.json
jq -r '[.findings[] | select(.level == "warn" or .level == "crit")
	| select(.caused_by == null) | select(.profile != null)][0].profile // empty' \
	$W/diag.json >$W/fix.yaml
[ -s $W/fix.yaml ] || die "no finding with a profile snippet"
cat $W/fix.yaml
run "$napictl" apply $W/fix.yaml || die "napictl apply failed"

step "4. diagnose again, same traffic"
run "$napictl" diagnose --interval="$IV"
rc=$?
echo "(exit status $rc)"
[ $rc = 0 ] || die "still not healthy after the fix (status $rc)"

step "5. what changed: napictl status"
run "$napictl" status || die "napictl status failed"
run ethtool -g napiref1 | sed -n '/Current/,$p'

step "6. undo: napictl revert"
run "$napictl" revert || die "napictl revert failed"
ring=$(ethtool -g napiref1 | awk '/^RX:/ {v = $2} END {print v}')
echo "napiref1 RX ring is back to $ring descriptors"
[ "$ring" = 64 ] || die "revert did not restore the ring (now $ring)"
echo stop >$GEN
printf '\n\033[1;32mdemo: done\033[0m\n'
