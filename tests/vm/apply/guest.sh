#!/usr/bin/env bash
# Runs inside the QEMU guest (kernel 6.12, multi-queue virtio-net with MSI-X, as root):
# every shipped profile applied, verified and reverted with the original state restored
# byte for byte; then SIGKILL of apply at spread-out points, each followed by a revert
# that must restore the original state. Prints TAP and "N passed, N failed".
set -u
top=$(cd "$(dirname "$0")/../../.." && pwd)
napictl=$top/build/cli/napictl
snap="python3 $top/tests/vm/apply/snapshot.py"
trials=${TRIALS:-50}
export NAPITUNE_PROFILE_PATH=$top/profiles
passed=0
failed=0
n=0
ok() { n=$((n + 1)); passed=$((passed + 1)); echo "ok $n - $1"; }
bad() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }

for i in $(seq 50); do [ -e /sys/class/net/eth0 ] && break; sleep 0.2; done
ip link set eth0 up
irqs=$(ls /sys/class/net/eth0/device/../msi_irqs 2>/dev/null | wc -l)
echo "# kernel $(uname -r), $(nproc) CPUs, eth0 with $irqs MSI-X vectors"
[ "$irqs" -gt 1 ] && ok "virtio-net has MSI-X queue IRQs" || bad "no MSI-X IRQs on eth0"

before=$($snap)
for p in high-throughput low-latency balanced threaded-napi; do
	out=$("$napictl" apply "$p" 2>&1)
	rc=$?
	echo "$out" | sed 's/^/# /'
	[ $rc -eq 0 ] && ok "apply $p" || bad "apply $p (rc=$rc)"
	out=$("$napictl" verify 2>&1)
	[ $? -eq 0 ] && ok "verify $p: no drift" || bad "verify $p: $out"
	applied=$($snap)
	[ "$applied" != "$before" ] && ok "$p changed something" || bad "$p changed nothing"
	out=$("$napictl" revert 2>&1)
	[ $? -eq 0 ] && ok "revert $p" || bad "revert $p: $out"
	after=$($snap)
	if [ "$after" = "$before" ]; then
		ok "$p: original state restored byte for byte"
	else
		bad "$p: state differs after revert: $(diff <(echo "$before") <(echo "$after") | head -20)"
	fi
done

# SIGKILL during apply, at points spread over one apply's duration; revert must restore.
start=$(date +%s%N)
"$napictl" apply high-throughput >/dev/null 2>&1
dur=$((($(date +%s%N) - start) / 1000))
"$napictl" revert >/dev/null 2>&1
echo "# one apply takes ${dur} us here"
killed=0
for i in $(seq "$trials"); do
	delay=$((dur * i / trials))
	"$napictl" apply high-throughput >/dev/null 2>&1 &
	pid=$!
	sleep "$(printf '0.%06d' $((delay % 1000000)))"
	kill -9 "$pid" 2>/dev/null && killed=$((killed + 1))
	wait "$pid" 2>/dev/null
	out=$("$napictl" revert 2>&1)
	rc=$?
	after=$($snap)
	if [ $rc -eq 0 ] && [ "$after" = "$before" ]; then
		ok "SIGKILL trial $i (at ~${delay} us): revert restored the original state"
	else
		bad "SIGKILL trial $i: rc=$rc $out $(diff <(echo "$before") <(echo "$after") | head)"
	fi
done
echo "# $killed of $trials applies were killed before they finished"
[ "$killed" -gt 0 ] && ok "some applies were really interrupted" || bad "no apply was interrupted"
echo "1..$n"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
