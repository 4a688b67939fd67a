#!/usr/bin/env bash
# Runs inside the QEMU guest under systemd 252 (tests/vm/daemon/run.sh): napitune.service is
# enabled in the boot target with the suite's configuration (profile vmtest, drift: reassert,
# verify-interval 2s, reassert-limit 2) and WatchdogSec=6s. $1: napiref.ko.
# Prints TAP and "N passed, N failed".
set -u
top=$(cd "$(dirname "$0")/../../.." && pwd)
napictl=$top/build/cli/napictl
snap="python3 $top/tests/vm/apply/snapshot.py"
conf=/etc/napitune/napitune.yaml
ko=${1:-}
export NAPITUNE_PROFILE_PATH=/etc/napitune/profiles:$top/profiles
passed=0
failed=0
n=0
ok() { n=$((n + 1)); passed=$((passed + 1)); echo "ok $n - $1"; }
bad() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
# check NAME EXPR [WHY]: EXPR (eval) succeeds; on failure WHY (eval'd then) says what was seen
check() { if eval "$2"; then ok "$1"; else bad "$1${3:+: $(eval "echo \"$3\"")}"; fi; }
finish() {
	echo "# napitune's journal:"
	journalctl -b -u napitune --no-pager -o short-monotonic | tail -n 60 | sed 's/^/# /'
	echo "1..$n"
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit
}
showdiff() {
	printf '%s\n' "$1" >/tmp/snap.a
	printf '%s\n' "$2" >/tmp/snap.b
	diff /tmp/snap.a /tmp/snap.b | head -n 20 | sed 's/^/#   /'
}
# until SECONDS CMD...: CMD succeeds within SECONDS (polled every 0.2 s)
until_ok() {
	local end=$((SECONDS + $1))
	shift
	while ! "$@" >/dev/null 2>&1; do
		[ $SECONDS -ge $end ] && return 1
		sleep 0.2
	done
}
# the daemon's journal since the last mark
mark() { cursor=$(journalctl -n 0 --show-cursor -q | sed -n 's/^-- cursor: //p'); }
since() { journalctl -u napitune --no-pager -o cat --after-cursor="$cursor" 2>/dev/null; }
logged() { since | grep -q -- "$1"; }
prop() { systemctl show -P "$1" napitune; }
state() { sed -n "s/^$1\t//p" /run/napitune/daemon.state 2>/dev/null; }
rd() { cat "$1" 2>/dev/null; }
backlog() { rd /proc/sys/net/core/netdev_max_backlog; }
# predicates for until_ok, which runs its arguments again and again (no $(...) in them)
backlog_is() { [ "$(backlog)" = "$1" ]; }
prop_is() { [ "$(prop "$1")" = "$2" ]; }
restarted_since() { [ "$(prop NRestarts)" -gt "$1" ]; }
is() { [ "$(rd "$1")" = "$2" ]; }
verify() { "$napictl" verify >/tmp/verify.out 2>&1; }
mark

# ------------------------------------------------------------------- boot
# the virtio-net NIC, whatever udev named it
vnic=
for d in /sys/class/net/*; do
	[ "$(basename "$(readlink -f "$d/device/driver" 2>/dev/null)")" = virtio_net ] && vnic=${d##*/}
done
echo "# kernel $(uname -r), $(nproc) CPUs, systemd $(systemctl --version | head -n 1)"
until_ok 90 systemctl is-active -q napitune
check "napitune is active after boot (enabled in the boot target)" \
	'systemctl is-active -q napitune' '$(systemctl status napitune --no-pager 2>&1 | tail -n 15)'
check "the boot applied profile vmtest: netdev_max_backlog 3000" '[ "$(backlog)" = 3000 ]' '$(backlog)'
check "virtio-net's queues ($vnic) tuned at boot (rps_flow_cnt 128)" \
	'is /sys/class/net/$vnic/queues/rx-0/rps_flow_cnt 128' '$(rd /sys/class/net/$vnic/queues/rx-0/rps_flow_cnt)'
check "the start was logged" 'journalctl -b -u napitune -o cat | grep -q "start: profile vmtest applied"'
check "napictl verify: no drift after the boot apply" verify '$(cat /tmp/verify.out)'
check "the state file says running, profile vmtest" \
	'[ "$(state state)" = running ] && [ "$(state profile)" = vmtest ]' '$(head -c 400 /run/napitune/daemon.state)'
out=$("$napictl" --json status 2>&1)
check "napictl status --json shows the daemon" \
	'jq -e ".daemon.pid == $(prop MainPID) and .daemon.profile == \"vmtest\"" <<<"$out" >/dev/null' '$(head -c 300 <<<"$out")'
check "systemctl status shows napitune's STATUS= line" \
	'systemctl status napitune --no-pager | grep -q "Status: \"vmtest: ok; .* devices, .* values changed"' \
	'$(systemctl show -P StatusText napitune)'
out=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$napictl" status 2>&1)
check "napictl status as nobody shows the daemon's view" \
	'grep -q "^daemon: *running" <<<"$out" && grep -q "profile vmtest" <<<"$out"' '$(head -c 400 <<<"$out")'
systemctl enable napitune >/dev/null 2>&1
check "systemctl enable napitune: wanted by multi-user.target" \
	'[ -L /etc/systemd/system/multi-user.target.wants/napitune.service ]'

# ---------------------------------------------------------------- hotplug
mark
insmod "$ko" pairs=1 queues=4 || bad "insmod $ko"
tuned() { # DEV: the profile's napiref values are in place
	is "/sys/class/net/$1/queues/rx-0/rps_flow_cnt" 256 &&
		ethtool -g "$1" 2>/dev/null | awk '/^Current/ {c=1} c && /^RX:/ {print $2; exit}' | grep -qx 512
}
check "napiref0 and napiref1 tuned after they appear" 'until_ok 20 tuned napiref0 && until_ok 5 tuned napiref1'
check "the hotplug tune is logged with its latency" 'until_ok 5 logged "napiref0: tuned in"' '$(since | tail -n 5)'
lat=$(journalctl -u napitune -o json --after-cursor="$cursor" | jq -r 'select(.NAPITUNE_IFNAME == "napiref0"
	and .NAPITUNE_LATENCY_USEC != null) | .NAPITUNE_LATENCY_USEC' | head -n 1)
echo "# napiref0: tuned ${lat:-?} us after its RTM_NEWLINK"
# napiref requests its queue IRQs on open: up re-resolves the device's IRQs and NAPIs
ip link set napiref0 up
ip link set napiref1 up
check "up: the queue IRQs requested on open are tuned too" 'until_ok 15 verify' '$(cat /tmp/verify.out)'
aff=$(for i in $(awk -F: '/napiref0/ {gsub(/ /, "", $1); print $1}' /proc/interrupts); do
	rd /proc/irq/$i/smp_affinity_list; done | sort -u | wc -l)
check "napiref0's queue IRQs spread over several CPUs ($aff distinct)" '[ "$aff" -gt 1 ]'
echo queues=2 >/sys/kernel/debug/napiref/new_pair
check "a second pair (napiref2/3) tuned" 'until_ok 20 tuned napiref2 && until_ok 5 tuned napiref3'
check "verify: no drift with four napiref ports" verify '$(cat /tmp/verify.out)'

# ----------------------------------------------------------------- rename
mark
ip link set napiref2 name nrx2
check "the rename is followed" 'until_ok 10 logged "napiref2 was renamed nrx2"' '$(since | tail -n 5)'
check "verify: nrx2 is still the profile's" verify '$(cat /tmp/verify.out)'

# ---------------------------------------------------- channels and rings
mark
ethtool -L napiref0 combined 2
check "ethtool -L 2: napiref0 still verified" 'until_ok 15 verify' '$(cat /tmp/verify.out)'
ethtool -L napiref0 combined 4
check "ethtool -L 4: the re-created queues rx-2/rx-3 are tuned" \
	'until_ok 15 is /sys/class/net/napiref0/queues/rx-3/rps_flow_cnt 256' \
	"$(rd /sys/class/net/napiref0/queues/rx-3/rps_flow_cnt)"
check "ethtool -L 4: verify, IRQs included" 'until_ok 15 verify' '$(cat /tmp/verify.out)'
mark
ethtool -G napiref1 rx 256
check "ethtool -G (drift seen through ethtool notifications) is reasserted" \
	'until_ok 15 tuned napiref1 && logged "napiref1 rings.rx: drift"' '$(since | tail -n 5)'
# -G re-created napiref1's threaded-NAPI kthreads (twice: by hand, and by the reassert):
# each must be pinned again to the CPUs of its queue's IRQ
kthreads_pinned() { # DEV: every napi/DEV-* kthread runs on fewer than all CPUs
	local p n=0
	for p in $(pgrep "^napi/$1-"); do
		[ "$(taskset -pc "$p" | awk '{print $NF}')" = "0-$(($(nproc) - 1))" ] && return 1
		n=$((n + 1))
	done
	[ $n -gt 0 ]
}
check "ethtool -G: the re-created NAPI kthreads are pinned again" 'until_ok 15 kthreads_pinned napiref1 && until_ok 15 verify' \
	'$(for p in $(pgrep "^napi/napiref1-"); do taskset -pc $p; done | tr "\n" " ") $(cat /tmp/verify.out)'

# ------------------------------------------------------------------ drift
# other writers of the values (read from their configuration: tuned need not be installed)
mkdir -p /etc/sysctl.d /etc/tuned/nt-test
printf '# test\nnet.core.netdev_max_backlog = 1234\n' >/etc/sysctl.d/95-nt-test.conf
printf 'nt-test\n' >/etc/tuned/active_profile
printf '[scheduler]\nisolated_cores=0\n' >/etc/tuned/nt-test/tuned.conf
mark
echo 1234 >/proc/sys/net/core/netdev_max_backlog
check "a sysctl changed behind napitune's back is reasserted (verify-interval 2s)" \
	'until_ok 10 backlog_is 3000' '$(backlog)'
check "the drift is logged with the key and both values" \
	'logged "net.core.netdev_max_backlog: drift: someone set 1234, the profile wants 3000"' '$(since | tail -n 5)'
check "the drift message names the likely writer: the sysctl.d file and line" \
	'logged "likely writer: sysctl.d /etc/sysctl.d/95-nt-test.conf:2: net.core.netdev_max_backlog = 1234"' \
	'$(since | tail -n 5)'
# the fields alone select it (the file exists only in this test)
check "and carries it in NAPITUNE_WRITER= and NAPITUNE_WRITER_SOURCE=" \
	'journalctl -b -o cat NAPITUNE_WRITER=sysctl.d \
		NAPITUNE_WRITER_SOURCE=/etc/sysctl.d/95-nt-test.conf:2 | grep -q "drift: someone set 1234"' \
	'$(journalctl -b -o cat NAPITUNE_WRITER=sysctl.d | tail -n 2); $(journalctl -u napitune --after-cursor="$cursor" -o verbose | grep NAPITUNE_WRITER | tail -n 4)'
mark
irq=$(awk -F: '/napiref0/ {gsub(/ /, "", $1); print $1; exit}' /proc/interrupts)
want=$(rd /proc/irq/$irq/smp_affinity_list)
other=$(( (want + 1) % $(nproc) ))
echo $other >/proc/irq/$irq/smp_affinity_list
check "drift of an IRQ's smp_affinity is logged and reasserted" \
	'until_ok 10 is /proc/irq/$irq/smp_affinity_list $want && logged "irq $irq smp_affinity: drift"' \
	'$(rd /proc/irq/$irq/smp_affinity_list), want $want; $(since | tail -n 3)'
check "the IRQ's drift names the active tuned profile that moves IRQs" \
	'logged "likely writer: tuned /etc/tuned/nt-test/tuned.conf:2: \[scheduler\] isolated_cores=0"' \
	'$(since | tail -n 3)'
journalctl --update-catalog
check "journalctl -x explains the drift message (napitune.catalog)" \
	'journalctl -b -u napitune -x --no-pager | grep -q "no longer has the value"'
echo 1234 >/proc/sys/net/core/netdev_max_backlog
until_ok 10 backlog_is 3000
mark
echo 1234 >/proc/sys/net/core/netdev_max_backlog
sleep 6
check "after reassert-limit (2) napitune stops fighting: the value stays 1234" '[ "$(backlog)" = 1234 ]' '$(backlog)'
check "and says so" 'logged "napitune stops reasserting it"' '$(since | tail -n 5)'
echo 3000 >/proc/sys/net/core/netdev_max_backlog

# ----------------------------------------------------------------- reload
mark
pid=$(prop MainPID)
cp $conf /tmp/conf.good
printf 'profile: vmtest\ndrift: fight\n' >$conf
systemctl reload napitune
check "reload of a broken configuration: refused, still running" \
	'until_ok 10 logged "keeping the running configuration" && systemctl is-active -q napitune && [ "$(prop MainPID)" = "$pid" ]' \
	"$(since | tail -n 5)"
check "reload refused: the values stay" '[ "$(backlog)" = 3000 ] && verify' '$(cat /tmp/verify.out)'
mark
sed 's/^profile: vmtest$/profile: vmtest2/' /tmp/conf.good >$conf
systemctl reload napitune
check "reload to profile vmtest2: its sysctl applied" 'until_ok 10 backlog_is 4000' '$(backlog)'
check "reload: what only vmtest set is back (napiref0 and virtio-net rps_flow_cnt 0)" \
	'until_ok 10 is /sys/class/net/napiref0/queues/rx-0/rps_flow_cnt 0 && is /sys/class/net/$vnic/queues/rx-0/rps_flow_cnt 0'
check "reload: what both set stays (rings 512)" 'tuned_rings() { ethtool -g napiref0 | awk "/^Current/ {c=1} c && /^RX:/ {print \$2; exit}"; }; [ "$(tuned_rings)" = 512 ]'
check "reload logged" 'logged "reload: profile vmtest2 replaces vmtest"' '$(since | tail -n 5)'
mark
cp /tmp/conf.good $conf
systemctl reload napitune
until_ok 10 backlog_is 3000
check "the apply of a reload warns who else writes the profile's values" \
	'until_ok 5 logged "warning: sysctl.d /etc/sysctl.d/95-nt-test.conf:2: net.core.netdev_max_backlog = 1234 also writes net.core.netdev_max_backlog: it will undo or be undone"' \
	'$(since | tail -n 5)'
rm -rf /etc/sysctl.d/95-nt-test.conf /etc/tuned

# --------------------------------------------------- napictl beside the daemon
mark
"$napictl" revert >/dev/null 2>&1
check "napictl revert: the daemon pauses and says how to resume" \
	'until_ok 10 logged "the profile was reverted by napictl"' '$(since | tail -n 5)'
check "napictl revert: the kernel default is back" '[ "$(backlog)" = 1000 ]' '$(backlog)'
mark
systemctl reload napitune
check "reload after the pause applies the profile again" 'until_ok 10 backlog_is 3000' '$(backlog)'

# --------------------------------------------------------------- watchdog
mark
pid=$(prop MainPID)
nr=$(prop NRestarts)
kill -USR2 "$pid"
check "a stalled loop is killed by the watchdog (6 s) and restarted" \
	'until_ok 40 restarted_since "$nr" && until_ok 30 systemctl is-active -q napitune' \
	'NRestarts $(prop NRestarts), $(systemctl is-active napitune)'
check "systemd logged the watchdog timeout" \
	'journalctl -b -u napitune -o cat --after-cursor="$cursor" | grep -qi watchdog'
check "after the restart: the profile still in force" 'verify && [ "$(backlog)" = 3000 ]' '$(cat /tmp/verify.out)'

# ------------------------------------------------- stop reverts everything
check "stop: every value napitune changed is back" \
	'systemctl stop napitune && [ "$(backlog)" = 1000 ] && is /sys/class/net/napiref0/queues/rx-0/rps_flow_cnt 0 && is /sys/class/net/$vnic/queues/rx-0/rps_flow_cnt 0'
check "stop: the journal is empty (nothing left to revert)" \
	'"$napictl" status 2>/dev/null | grep -q "^no profile applied"' '$("$napictl" status 2>&1 | head -n 5)'

# ------------------------------------------------ SIGKILL in an apply
# Each write waits 150 ms (test hook), so the apply of about 60 values takes seconds; the
# daemon is killed in the middle, restarted by systemd (Restart=on-failure), applies the
# profile in full, and its stop must bring back the state from before its first start.
before=$($snap)
systemctl set-environment NAPITUNE_TEST_WRITE_DELAY_MS=150
systemctl start --no-block napitune
sleep 3
nr=$(prop NRestarts)
systemctl kill -s KILL napitune
systemctl unset-environment NAPITUNE_TEST_WRITE_DELAY_MS
check "after SIGKILL in the middle of an apply, systemd restarts napitune" \
	'until_ok 30 restarted_since "$nr" && until_ok 60 systemctl is-active -q napitune' \
	'$(systemctl status napitune --no-pager 2>&1 | tail -n 8)'
check "the restarted daemon applied the whole profile" 'until_ok 30 verify' '$(cat /tmp/verify.out)'
systemctl stop napitune
after=$($snap)
if [ "$after" = "$before" ]; then
	ok "stop after the killed apply: the original state, byte for byte"
else
	bad "stop after the killed apply: state differs"
	showdiff "$before" "$after"
fi

# ------------------------------------------------------- bad configuration
mark
printf 'profil: vmtest\n' >$conf
systemctl reset-failed napitune 2>/dev/null
systemctl start napitune 2>/dev/null
check "a bad configuration: napitune fails with status 78 and is not restarted" \
	'until_ok 10 prop_is ExecMainStatus 78 && sleep 1 && ! systemctl is-active -q napitune && [ "$(prop NRestarts)" = 0 ]' \
	'status $(prop ExecMainStatus), $(systemctl is-active napitune), NRestarts $(prop NRestarts)'
check "and the log names the mistake" \
	'journalctl -b -u napitune -o cat --after-cursor="$cursor" | grep -q "unknown key .profil. (did you mean .profile.?)"'
check "nothing was applied" '[ "$(backlog)" = 1000 ]'
cp /tmp/conf.good $conf
systemctl reset-failed napitune 2>/dev/null
systemctl disable -q napitune
systemctl enable -q --now napitune
check "fixed configuration: systemctl enable --now applies the profile" \
	'systemctl is-active -q napitune && [ "$(backlog)" = 3000 ] && verify' '$(cat /tmp/verify.out)'

# ------------------------------------ periodic diagnosis: a ring overflow in the journal
# profile: none (the ring stays as set here), a diagnosis every second (the expensive
# sources every sixth), the metrics file where node_exporter's textfile collector reads.
# napiref1's generator sends bursts into a 64-slot ring; the rate is raised until the raw
# counter (rx_missed_errors) proves drops. The journal must get one R04 entry with its
# fields, the clear once the load stops, and the metrics file must pass promtool.
prom=/var/lib/prometheus/node-exporter/napitune.prom
mkdir -p /var/lib/prometheus/node-exporter # before the start: ReadWritePaths=- needs it
printf 'profile: none\nsample-interval: 1s\n' >$conf
systemctl restart napitune
check "profile none, sample-interval 1s: the metrics file appears" \
	'until_ok 15 test -s $prom' '$(systemctl is-active napitune) $(ls -l $prom 2>&1)'
mount -t debugfs none /sys/kernel/debug 2>/dev/null
GEN=/sys/kernel/debug/napiref/napiref1/gen
ethtool -G napiref1 rx 64
ip addr add 10.0.0.2/24 dev napiref1 2>/dev/null
ip link set napiref1 up
missed() { cat /sys/class/net/napiref1/statistics/rx_missed_errors; }
mark
proven=
for rate in 1000 2000 4000 8000 16000 32000 64000; do
	echo "rate=$rate size=64 flows=16 tick_us=10000 queues=0x1 dst_ip=10.0.0.2 dst_port=9" >$GEN
	m0=$(missed)
	sleep 3
	m1=$(missed)
	echo "# generator $rate/s: rx_missed_errors +$((m1 - m0)) in 3 s"
	# the warning rate of R04 is 10/s: twenty times that, so the finding cannot stay a note
	if [ $((m1 - m0)) -ge 600 ]; then
		proven=$rate
		break
	fi
done
check "load raised until the raw counter proves ring drops" '[ -n "$proven" ]' \
	'rx_missed_errors never rose by 600 in 3 s up to 64000/s'
MID_APPEAR=9235cdc9e85b4a858a4afbf0bd90376d
MID_CLEAR=d4f0a4ed972a4efabd995636ab5103d7
# The issue's own query, `journalctl -u napitune NAPITUNE_RULE=R04`, then this run of the
# daemon (invocation id), napiref1 and the kind (MESSAGE_ID) picked out of its JSON. Not with
# --after-cursor: journalctl 252 seeks to the cursor and then always steps over two entries
# (src/journal/journalctl.c, sd_journal_next_skip(j, 1 + !!arg_after_cursor)), assuming the
# first is the cursor's own; with a field match the first one it lands on is already the first
# match after the cursor, so the one R04 entry was stepped over and the query printed nothing.
inv=$(prop InvocationID)
r04_all() { # every R04 entry of this run for napiref1, as JSON lines
	journalctl -u napitune NAPITUNE_RULE=R04 -o json 2>/dev/null |
		jq -c --arg inv "$inv" 'select(._SYSTEMD_INVOCATION_ID == $inv and .NAPITUNE_IFNAME == "napiref1")'
}
r04() { r04_all | jq -c --arg id "$1" 'select(.MESSAGE_ID == $id)'; } # MESSAGE_ID
n_r04() { r04 "$1" | grep -c . ; }
has_r04() { [ "$(n_r04 $MID_APPEAR)" -ge 1 ]; }
check "journalctl -u napitune NAPITUNE_RULE=R04 finds the R04 finding for napiref1" 'until_ok 20 has_r04' \
	'$(since | tail -n 8); the query: $(journalctl -u napitune NAPITUNE_RULE=R04 -o cat | tail -n 3)'
e=$(r04 $MID_APPEAR | head -n 1)
f() { printf '%s' "$e" | jq -r ".$1 // empty"; }
echo "# R04: $(f MESSAGE)"
check "R04 entry from the unit itself: level, lost, knob, CPU, the event" \
	'[ "$(f _SYSTEMD_UNIT)" = napitune.service ] && [ "$(f NAPITUNE_EVENT)" = appear ] && [[ "$(f NAPITUNE_LEVEL)" =~ ^(warn|crit)$ ]] && [ "$(f NAPITUNE_LOST)" -gt 0 ] && [ "$(f NAPITUNE_KNOB)" = rings.rx ] && [[ "$(f NAPITUNE_CPU)" =~ ^[0-9]+$ ]]' \
	'$e'
check "journalctl -u napitune NAPITUNE_RULE=R04 prints it" \
	'journalctl -u napitune NAPITUNE_RULE=R04 -o cat | grep -q "R04 ring-overflow on napiref1"'
has_finding() { grep -qE '^napitune_finding\{rule="R04",name="ring-overflow",level="(warn|crit)",device="napiref1"' $prom; }
check "the metrics file shows the finding" 'until_ok 5 has_finding' '$(grep -E "napitune_finding|lost_packets" $prom)'
sleep 5
# at least five more samples with the load: an appear, at most one change of level, no more
n_all() { r04_all | grep -c . ; }
check "one R04 appear entry while the load runs (not one per sample)" \
	'[ "$(n_r04 $MID_APPEAR)" = 1 ] && [ "$(n_all)" -le 2 ]' \
	'$(n_r04 $MID_APPEAR) appear, $(n_all) in all: $(since | grep R04 | tail -n 5)'
echo stop >$GEN
cleared() { [ "$(n_r04 $MID_CLEAR)" -ge 1 ]; }
check "load stopped: the R04 finding clears" 'until_ok 60 cleared' '$(since | tail -n 8)'
sleep 8
check "the clear is logged once, the appear stays one, nothing after the clear" \
	'[ "$(n_r04 $MID_CLEAR)" = 1 ] && [ "$(n_r04 $MID_APPEAR)" = 1 ] && [ "$(r04_all | tail -n 1 | jq -r .MESSAGE_ID)" = $MID_CLEAR ]' \
	'appear $(n_r04 $MID_APPEAR), clear $(n_r04 $MID_CLEAR): $(since | grep R04 | tail -n 5)'
no_finding() { ! grep -q '^napitune_finding{rule="R04"' $prom; }
check "the metrics file no longer shows it" 'until_ok 5 no_finding' '$(grep napitune_finding $prom)'
out=$(promtool check metrics <$prom 2>&1)
prc=$?
check "the metrics file passes promtool check metrics" '[ $prc -eq 0 ] && [ -z "$out" ] && command -v promtool >/dev/null' '${out:0:600}'
ring_drops=$(sed -n 's/^napitune_device_rx_drops_total{device="napiref1",layer="ring",counter="rx_missed_errors"} //p' $prom)
check "the metrics file shows the ring drops by layer" '[ "${ring_drops:-0}" -ge 600 ]' '${ring_drops:-none}'
[ "$(stat -c %a $prom)" = 644 ] && ok "the metrics file is world-readable" || bad "metrics file mode $(stat -c %a $prom)"
cp /tmp/conf.good $conf
systemctl stop napitune
check "the unit's sandbox left napitune every write it needed (no EPERM, EACCES, EROFS all run)" \
	'! journalctl -b -u napitune -o cat | grep -Ei "permission denied|operation not permitted|read-only file system"' \
	'$(journalctl -b -u napitune -o cat | grep -Ei "permission denied|operation not permitted|read-only file system" | head -n 3)'
finish
