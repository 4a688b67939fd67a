#!/usr/bin/env bash
# The napitune daemon under AddressSanitizer and UBSan (build-asan/), on veth in a network
# namespace with a private /run: 1000 links added and deleted in bursts (each one a device
# appearing and often leaving before it is tuned), renames, drift on a per-queue file, SIGHUP,
# a veth NAPI re-created by down/up (per-NAPI values applied again, where napi-set exists),
# napictl revert beside it, then SIGTERM. The daemon must survive, tune what stays, revert
# everything on stop, exit 0, and ASan/UBSan must report nothing. Touches nothing outside the namespace: RPS is per
# device. Needs root. Prints TAP and "daemon-netns: N passed, N failed".
# Usage: test-daemon.sh [NAPITUNE]
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
# shellcheck source=../helpers/tap.sh
. "$top/tests/helpers/tap.sh"
[ "${1:-}" = --inner ] || in_private_netns "daemon-netns: " "${1:-${NAPITUNE:-$top/build-asan/daemon/napitune}}" "$0"

napitune=$2
finish() {
	tap_summary "daemon-netns: "
	exit
}
if ! mount -t tmpfs tmpfs /run; then
	bad "cannot mount a private /run"
	finish
fi
tmp=$(mktemp -d)
pid=
cleanup() {
	[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
cat >"$tmp/p.yaml" <<'EOF'
name: netns-daemon
devices:
  - match: "nta*"
    queues: { rps_cpus: 1, rps_flow_cnt: 64 }
  - match: ntn0
    napi: { napi.defer-hard-irqs: 7, napi.gro-flush-timeout: 300us }
EOF
cat >"$tmp/napitune.yaml" <<EOF
profile: $tmp/p.yaml
drift: reassert
verify-interval: 1s
reassert-limit: 3
reassert-window: 1min
sample-interval: 1s
metrics-file: $tmp/napitune.prom
EOF
rd() { cat "/sys/class/net/$1/queues/rx-0/$2" 2>/dev/null; }
tuned() { [ "$(rd "$1" rps_flow_cnt)" = 64 ]; }

ip link add nta0 type veth peer name ntb0
# a small quarantine (8 MiB, default 256) keeps use-after-free detection and makes RSS say
# something about the daemon rather than about ASan
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:quarantine_size_mb=8 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
"$napitune" --config="$tmp/napitune.yaml" --log=stderr 2>"$tmp/log" &
pid=$!
if until_ok 60 tuned nta0; then ok "start: nta0 tuned"; else bad "start: nta0 not tuned: $(tail -n 5 "$tmp/log")"; fi
eq "ntb0 (no match) left alone" "$(rd ntb0 rps_flow_cnt)" 0

# the metrics file: written every sample-interval, atomically, readable by node_exporter
prom=$tmp/napitune.prom
has_nta0() { grep -q '^napitune_device_rx_packets_total{device="nta0"} ' "$prom"; }
if until_ok 20 has_nta0; then ok "metrics file written, nta0 in it"; else bad "no metrics file with nta0: $(tail -n 5 "$tmp/log")"; fi
if command -v promtool >/dev/null; then
	out=$(promtool check metrics <"$prom" 2>&1)
	if [ $? -eq 0 ] && [ -z "$out" ]; then ok "metrics file: promtool check metrics reports nothing"; else bad "promtool check metrics: ${out:0:600}"; fi
else
	bad "promtool not found: install Debian's prometheus (tools/install-deps.sh)"
fi
eq "metrics file mode" "$(stat -c %a "$prom")" 644
grep -q '^napitune_profile_info{profile="netns-daemon",state="running"} 1$' "$prom" &&
	ok "metrics file: the profile as an info metric" || bad "no profile info: $(grep profile_info "$prom")"
m1=$(stat -c %Y.%y "$prom")
sleep 2.5
[ "$(stat -c %Y.%y "$prom")" != "$m1" ] && ok "metrics file rewritten every sample-interval" || bad "metrics file not rewritten in 2.5 s"

# 1000 links: 10 bursts of 50 veth pairs added at once. Odd bursts are deleted at once (most
# links leave before they are tuned); in even bursts every matching link must be tuned first.
all_tuned() { for i in $(seq 50); do tuned "nta$1-$i" || return 1; done; }
rss() { awk '/^VmRSS/ {print $2}' "/proc/$pid/status"; }
untuned=0
for b in $(seq 10); do
	for i in $(seq 50); do echo "link add nta$b-$i type veth peer name ntb$b-$i"; done >"$tmp/add"
	for i in $(seq 50); do echo "link del nta$b-$i"; done >"$tmp/del"
	ip -batch "$tmp/add" || bad "burst $b: ip link add"
	if [ $((b % 2)) = 0 ] && ! until_ok 60 all_tuned "$b"; then
		untuned=$((untuned + 1))
	fi
	ip -batch "$tmp/del" || bad "burst $b: ip link del"
	[ $b = 2 ] && rss2=$(rss)
done
if kill -0 "$pid" 2>/dev/null; then ok "1000 links added and deleted: still running"; else bad "napitune died: $(tail -n 20 "$tmp/log")"; fi
eq "every matching link of the kept bursts tuned (bursts with one missing)" "$untuned" 0
rss10=$(rss)
echo "# VmRSS after burst 2: ${rss2:-?} kB, after burst 10: ${rss10:-?} kB (ASan build)"
if [ -n "${rss2:-}" ] && [ -n "$rss10" ] && [ $((rss10 * 4)) -le $((rss2 * 5)) ]; then
	ok "RSS stable over bursts 2..10 (grew at most 25 %)"
else
	bad "RSS grew from ${rss2:-?} to ${rss10:-?} kB over bursts 2..10"
fi

ip link add nta1 type veth peer name ntb1
if until_ok 60 tuned nta1; then ok "a link added after the bursts is tuned"; else bad "nta1 not tuned: $(tail -n 5 "$tmp/log")"; fi
ip link set nta1 name nta1x
until_ok 10 grep -q "nta1 was renamed nta1x" "$tmp/log" && ok "rename followed" || bad "rename not logged"
echo 0 >/sys/class/net/nta0/queues/rx-0/rps_flow_cnt
if until_ok 10 tuned nta0; then ok "drift on rps_flow_cnt reasserted"; else bad "drift not reasserted: $(tail -n 5 "$tmp/log")"; fi
kill -HUP "$pid"
until_ok 10 grep -q "reload: configuration reloaded" "$tmp/log" && ok "SIGHUP reloads" || bad "no reload logged: $(tail -n 5 "$tmp/log")"

# NAPI re-creation: veth registers its NAPI without persistent config, so down/up gives it a
# new id and the defaults, and the daemon applies the profile's per-NAPI values again (where
# the kernel has napi-set, 6.13+; elsewhere they fall back to device files that stay).
dstate() { sed -n "s/^$1\t//p" /run/napitune/daemon.state 2>/dev/null; }
napi_ids() { "$top/build/cli/napictl" --json map ntn0 | python3 -c 'import json, sys
print(" ".join(str(n["id"]) for d in json.load(sys.stdin)["devices"] for n in d["napis"]))'; }
ip link add ntn0 type veth peer name ntm0 && ethtool -K ntn0 gro on >/dev/null &&
	ip link set ntm0 up && ip link set ntn0 up
per_napi=$("$top/build/cli/napictl" --json plan "$tmp/p.yaml" 2>/dev/null | python3 -c 'import json, sys
print(sum(1 for c in json.load(sys.stdin)["changes"] if c["object"].startswith("ntn0 napi ")))')
if [ "${per_napi:-0}" -gt 0 ]; then
	tuned_napi() { "$top/build/cli/napictl" verify >/dev/null 2>&1; }
	until_ok 10 tuned_napi && ok "ntn0's NAPI tuned (napi-set)" || bad "ntn0's NAPI not tuned: $(tail -n 3 "$tmp/log")"
	r0=$(dstate napi_reapplied)
	id0=$(napi_ids)
	ip link set ntn0 down && ip link set ntn0 up
	reapplied() { [ "$(dstate napi_reapplied)" -gt "${r0:-0}" ] 2>/dev/null; }
	if until_ok 10 reapplied && until_ok 5 tuned_napi; then
		ok "ntn0 down/up: new NAPI id ($id0 -> $(napi_ids)), per-NAPI values applied again, counted"
	else
		bad "ntn0 down/up: napi_reapplied $(dstate napi_reapplied) (was $r0): $(tail -n 3 "$tmp/log")"
	fi
	grep -q "ntn0: its NAPIs were re-created without the profile's per-NAPI settings" "$tmp/log" &&
		ok "the re-apply is logged" || bad "no re-apply logged: $(tail -n 3 "$tmp/log")"
	eq "nothing counted as kept (veth keeps no NAPI config)" "$(dstate napi_kept)" 0
else
	echo "# no napi-set on this kernel: NAPI re-creation is checked by the kernels suite (7.x)"
fi

# napictl revert while the daemon runs: the daemon pauses instead of reasserting what the
# administrator just undid (drift: reassert, verify every second), until a reload
"$top/build/cli/napictl" revert >/dev/null 2>&1 || bad "napictl revert failed"
until_ok 10 grep -q "the profile was reverted by napictl" "$tmp/log" && ok "napictl revert: the daemon pauses" ||
	bad "napictl revert not noticed: $(tail -n 5 "$tmp/log")"
sleep 3
eq "napictl revert: nta0 stays reverted (3 verify intervals later)" "$(rd nta0 rps_flow_cnt)" 0
kill -HUP "$pid"
if until_ok 10 tuned nta0; then ok "reload after the pause applies again"; else bad "not applied after the pause: $(tail -n 5 "$tmp/log")"; fi

kill -TERM "$pid"
wait "$pid"
rc=$?
pid=
eq "SIGTERM: exit status" "$rc" 0
eq "stop: nta0 rps_flow_cnt back" "$(rd nta0 rps_flow_cnt)" 0
eq "stop: nta0 rps_cpus back" "$(rd nta0 rps_cpus | tr -d '0,')" ""
eq "stop: nta1x rps_flow_cnt back" "$(rd nta1x rps_flow_cnt)" 0
if grep -qE "ERROR: AddressSanitizer|LeakSanitizer|runtime error" "$tmp/log"; then
	bad "sanitizer report: $(grep -m1 -A15 -E "ERROR: AddressSanitizer|LeakSanitizer|runtime error" "$tmp/log")"
else
	ok "no ASan, LSan or UBSan report"
fi
eq "no temporary metrics files left behind" "$(find "$tmp" -name 'napitune.prom.*' | wc -l)" 0
grep -c "tuned in" "$tmp/log" | sed 's/^/# devices tuned: /'
finish
