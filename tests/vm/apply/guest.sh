#!/usr/bin/env bash
# Runs inside the QEMU guest (kernel 6.12, or each series of the kernels suite; multi-queue
# virtio-net with MSI-X, as root):
# every shipped profile applied, verified and reverted with the original state restored
# byte for byte, on virtio-net and on napiref (module path in $1: a 16-queue and a 4-queue pair); then SIGKILL of apply at spread-out points, each followed by a revert
# that must restore the original state (TRIALS of them, default 50; 0: none). Prints TAP and
# "N passed, N failed".
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
# showdiff A B: the first lines of a diff of two snapshots (no /dev/fd in init mode)
showdiff() {
	printf '%s\n' "$1" >/tmp/snap.a
	printf '%s\n' "$2" >/tmp/snap.b
	diff /tmp/snap.a /tmp/snap.b | head -n 20
}

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
		bad "$p: state differs after revert: $(showdiff "$before" "$after")"
	fi
done

# napiref (the reference driver): a 16-queue pair and a 4-queue pair. napiref ports are devices
# on the napiref bus, so the shipped profiles' "match: physical" takes them (and eth0): they are
# applied unchanged.
ko=${1:-}
if [ -n "$ko" ] && insmod "$ko" pairs=1 queues=16 && echo queues=4 >/sys/kernel/debug/napiref/new_pair
then
	ok "napiref loaded: 16-queue and 4-queue pairs"
else
	bad "cannot load napiref (${ko:-no module path given})"
fi
# A start state that differs from every profile and from the driver's defaults, so that a
# revert that merely re-applies defaults would be caught.
for d in napiref0 napiref1 napiref2 napiref3; do ip link set "$d" up; done
irqs=()
while read -r line; do
	case $line in *napiref*) irq=${line%%:*}; irqs+=("${irq// /}") ;; esac
done </proc/interrupts
echo "# napiref queue IRQs in use: ${#irqs[@]}"
[ "${#irqs[@]}" -eq 40 ] && ok "napiref: 40 queue IRQs (16+16+4+4)" || bad "napiref IRQs: ${irqs[*]}"
i=0
for irq in "${irqs[@]}"; do
	# never a single CPU, so every in-use IRQ differs from a one-CPU-per-IRQ spread
	echo $(((i % 2) * 2))-$(((i % 2) * 2 + 1)) >"/proc/irq/$irq/smp_affinity_list" ||
		bad "cannot set the start affinity of IRQ $irq"
	i=$((i + 1))
done
echo 3 >/sys/class/net/napiref0/queues/rx-0/rps_cpus &&
	echo 100 >/sys/class/net/napiref2/queues/rx-1/rps_flow_cnt &&
	ethtool -C napiref0 rx-usecs 10 rx-frames 8 && ethtool -G napiref2 rx 512 ||
	bad "cannot set the napiref start state"
before=$($snap)
for p in high-throughput low-latency balanced threaded-napi; do
	out=$("$napictl" apply "$p" 2>&1)
	rc=$?
	echo "$out" | grep -vE ' (rx|tx)-[0-9]+ ' | sed 's/^/# /'
	[ $rc -eq 0 ] && ok "napiref: apply $p" || bad "napiref: apply $p (rc=$rc)"
	if [ "$p" = high-throughput ]; then
		# every queue IRQ in use found (napi-get) and written
		for d in napiref0 napiref1 napiref2 napiref3; do
			want=16
			case $d in napiref[23]) want=4 ;; esac
			nirq=$(echo "$out" | grep -cE "^$d +irq [0-9]+ +smp_affinity .*\[written\]")
			[ "$nirq" -ge $want ] && ok "napiref: $p writes the $want+ IRQs of $d" ||
				bad "napiref: $p: $nirq IRQs of $d written, want $want"
		done
		# and those of the queues the apply added are planned too
		plan=$("$napictl" plan "$p" 2>&1)
		nirq=$(echo "$plan" | grep -cE "^napiref2 +irq [0-9]+ +smp_affinity ")
		[ "$nirq" -eq 16 ] && ok "napiref: all 16 IRQs of napiref2 planned after its channels grew" ||
			bad "napiref: $nirq IRQs of napiref2 in the plan after apply, want 16"
		chans=$(ethtool -l napiref2 | awk '/^Combined:/ { print $2 }' | tail -n 1)
		[ "$chans" = 16 ] && ok "napiref: channels of the 4-queue port raised to 16" ||
			bad "napiref: napiref2 has $chans channels"
	fi
	out=$("$napictl" verify 2>&1)
	[ $? -eq 0 ] && ok "napiref: verify $p: no drift" || bad "napiref: verify $p: $out"
	applied=$($snap)
	[ "$applied" != "$before" ] && ok "napiref: $p changed something" ||
		bad "napiref: $p changed nothing"
	out=$("$napictl" revert 2>&1)
	[ $? -eq 0 ] && ok "napiref: revert $p" || bad "napiref: revert $p: $out"
	after=$($snap)
	if [ "$after" = "$before" ]; then
		ok "napiref: $p: original state restored byte for byte"
	else
		bad "napiref: $p: state differs after revert: $(showdiff "$before" "$after")"
	fi
done

# RSS knobs (issue 14): a profile with rss keys applied, verified, reverted byte for byte on
# every kernel; then
# the same profile with napiref's RSS set made to fail (debugfs error injection): the rings
# change made before it is rolled back and nothing is left half-applied. Bookworm's ethtool
# 6.1 has no --json for -x, so its text is read (the table rows "N: q q q ...", the key line).
rss_shares() { # DEV -> "queue:entries ..." of its indirection table
	ethtool -x "$1" | awk '/^ +[0-9]+:/ { for (i = 2; i <= NF; i++) n[$i]++ }
		END { for (q in n) printf "%s:%d\n", q, n[q] }' | sort -n | tr '\n' ' '
}
key=$(printf '%02x:' $(seq 1 40) | sed 's/:$//')
cat >/tmp/rss.yaml <<EOY
name: rss-vm
description: RSS table, key and hash fields on napiref
devices:
  - match: napiref0
    device:
      rings.rx: 2048
      rss.indir: { weights: [1, 0, 0, 0] }
      rss.hkey: $key
      rss.hash.udp4: sdfn
      rss.hash.tcp4: sd
  - match: napiref2
    device:
      rss.indir: { equal: 2 }
EOY
ethtool -X napiref0 weight 1 1 2 2 && ethtool -N napiref0 rx-flow-hash udp4 sd ||
	bad "cannot set the napiref RSS start state"
start=$(rss_shares napiref0)
echo "# napiref0 start table: $start"
# napictl reads the table and key through ethtool netlink RSS_GET, or through the
# ETHTOOL_GRSSH ioctl where the kernel has no RSS_GET (6.1), and sets them through RSS_SET
# (7.x) or ETHTOOL_SRSSH: every kernel plans, applies, reads back and reverts them.
plan=$("$napictl" plan /tmp/rss.yaml 2>&1)
echo "$plan" | grep 'rss\.' | sed 's/^/# /'
! echo "$plan" | grep -q 'rss\..*unsupported' && ok "rss: plan: every rss key supported on this kernel" ||
	bad "rss: plan: $plan"
before=$($snap)
out=$("$napictl" apply /tmp/rss.yaml 2>&1)
rc=$?
echo "$out" | sed 's/^/# /'
[ $rc -eq 0 ] && ok "rss: apply" || bad "rss: apply (rc=$rc)"
got=$(rss_shares napiref0)
[ "$got" = "0:128 " ] && ok "rss: ethtool -x napiref0 shows all 128 entries on queue 0" ||
	bad "rss: napiref0 table after apply: $got"
got=$(rss_shares napiref2)
[ "$got" = "0:64 1:64 " ] && ok "rss: ethtool -x napiref2 shows equal 2" ||
	bad "rss: napiref2 table after apply: $got"
got=$(ethtool -x napiref0 | awk '/^RSS hash key:/ { getline; print }')
[ "$got" = "$key" ] && ok "rss: ethtool -x shows the profile's key" || bad "rss: key is $got"
ethtool -n napiref0 rx-flow-hash udp4 | grep -q 'L4 bytes 0 & 1' &&
	! ethtool -n napiref0 rx-flow-hash tcp4 | grep -q 'L4 bytes' &&
	ok "rss: hash fields udp4 sdfn, tcp4 sd" || bad "rss: hash fields: $(ethtool -n napiref0 rx-flow-hash udp4)"
out=$("$napictl" map napiref0 2>&1)
echo "$out" | grep -q '^  RSS table: 128 entries: q0 100.0%, q1 0.0%, .*, q15 0.0%$' &&
	ok "rss: napictl map shows the table's shares" || bad "rss: map: $(echo "$out" | head -n 4)"
json=$("$napictl" --json map napiref0)
python3 - "$json" <<'PY' && ok "rss: napictl --json map carries the table's summary" || bad "rss: map --json: ${json:0:400}"
import json, sys
r = json.loads(sys.argv[1])["devices"][0]["rss"]
assert r["table_size"] == 128 and r["hash_function"] == "toeplitz" and r["key_len"] == 40, r
assert [(q["queue"], q["entries"], q["share"]) for q in r["queues"]] == \
    [(0, 128, 1)] + [(i, 0, 0) for i in range(1, 16)], r
PY
out=$("$napictl" verify 2>&1)
[ $? -eq 0 ] && ok "rss: verify: no drift" || bad "rss: verify: $out"
out=$("$napictl" revert 2>&1)
[ $? -eq 0 ] && ok "rss: revert" || bad "rss: revert: $out"
after=$($snap)
if [ "$after" = "$before" ]; then
	ok "rss: original table, key and hash fields restored byte for byte"
else
	bad "rss: state differs after revert: $(showdiff "$before" "$after")"
fi
# napiref2's table was the driver's default: restored as a reset, it is not user-set, so the
# port may shrink below it again (the kernel refuses that below a user-set table).
ethtool -L napiref2 combined 2 && ok "rss: napiref2's default table is not user-set after revert" ||
	bad "rss: ethtool -L napiref2 combined 2 refused after revert: the table stayed user-set"
ethtool -L napiref2 combined 4 || bad "rss: cannot give napiref2 its 4 channels back"
got=$(rss_shares napiref2)
[ "$got" = "0:32 1:32 2:32 3:32 " ] && ok "rss: napiref2 has the default table of 4 queues again" ||
	bad "rss: napiref2 table after ethtool -L: $got"
before=$($snap)
fail=/sys/kernel/debug/napiref/napiref0/fail/rss
# The armed text is the extack message alone: the kernel adds the module's name
# (NL_SET_ERR_MSG_FMT_MOD), napictl adds none, so it reads "napiref: ..." once.
echo "16 RSS refused by the test" >"$fail" || bad "rss: cannot arm $fail"
out=$("$napictl" apply /tmp/rss.yaml 2>&1)
rc=$?
echo "$out" | sed 's/^/# /'
[ $rc -ne 0 ] && ok "rss: apply fails when napiref refuses the RSS set" ||
	bad "rss: apply with injected error succeeded"
# Where the kernel has netlink RSS_SET (7.x) the driver's extack message arrives with the
# errno; 6.1 and 6.12 have only the ETHTOOL_SRSSH ioctl, which carries no extack.
if echo "$out" | grep -q "rss.indir, rss.hkey on 'napiref0' (netlink): Device or resource busy: napiref: RSS refused by the test"; then
	! echo "$out" | grep -q 'napiref: napiref:' &&
		ok "rss: the injected errno and napiref's extack message are reported once (netlink RSS_SET)" ||
		bad "rss: the driver's name twice: $(echo "$out" | grep 'napiref: napiref:')"
elif echo "$out" | grep -q "rss.indir, rss.hkey on 'napiref0' (ETHTOOL_SRSSH): Device or resource busy"; then
	ok "rss: the injected errno is reported for the RSS request (ETHTOOL_SRSSH)"
else
	bad "rss: error not reported"
fi
echo "$out" | grep -qE "rings.rx .*rolled.back|rolled back" &&
	ok "rss: the rings change before it was rolled back" || bad "rss: no rollback reported"
[ "$(cat "$fail")" = 0 ] && ok "rss: the injection was consumed" || bad "rss: $fail: $(cat "$fail")"
after=$($snap)
if [ "$after" = "$before" ]; then
	ok "rss: nothing half-applied after the failed apply"
else
	bad "rss: state differs after the failed apply: $(showdiff "$before" "$after")"
fi
out=$("$napictl" revert 2>&1)
echo "# revert after the failed apply: $out" | head -n 3

for d in napiref0 napiref1 napiref2 napiref3; do ip link set "$d" down; done
rmmod napiref && ok "napiref unloaded" || bad "rmmod napiref"
before=$($snap)

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
		bad "SIGKILL trial $i: rc=$rc $out $(showdiff "$before" "$after")"
	fi
done
if [ "$trials" -gt 0 ]; then
	echo "# $killed of $trials applies were killed before they finished"
	[ "$killed" -gt 0 ] && ok "some applies were really interrupted" || bad "no apply was interrupted"
fi
echo "1..$n"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
