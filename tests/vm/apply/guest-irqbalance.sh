#!/usr/bin/env bash
# Runs inside the QEMU guest under systemd, with irqbalance 1.9 from the "tools" layer
# (tests/vm/mklayer.sh): a profile's irqbalance modes against the running daemon, on napiref.
#  refuse: apply fails, nothing written;  ban: our IRQs are added to irqbalance's banned list
#  (keeping a ban that was there before), irqbalance leaves them alone over several of its
#  cycles, and revert puts the old list back without restarting it;  stop: the unit is
#  stopped while applied and running again after revert.
# Usage: guest-irqbalance.sh NAPIREF_KO. Prints TAP and "N passed, N failed".
set -u
top=$(cd "$(dirname "$0")/../../.." && pwd)
napictl=$top/build/cli/napictl
snap="python3 $top/tests/vm/apply/snapshot.py --no-irqs"
ctl="python3 $top/tests/vm/apply/irqbalance-ctl.py"
ko=${1:-}
passed=0
failed=0
n=0
ok() { n=$((n + 1)); passed=$((passed + 1)); echo "ok $n - $1"; }
bad() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
finish() { echo "1..$n"; echo "$passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit; }
showdiff() {
	printf '%s\n' "$1" >/tmp/snap.a
	printf '%s\n' "$2" >/tmp/snap.b
	diff /tmp/snap.a /tmp/snap.b | head -n 20
}
# napiref IRQ affinity, one "irq=cpus" word per IRQ
nr_affinity() {
	local line irq a out=
	while read -r line; do
		case $line in *napiref*) ;; *) continue ;; esac
		irq=${line%%:*}
		irq=${irq// /}
		read -r a <"/proc/irq/$irq/smp_affinity_list"
		out+="$irq=$a "
	done </proc/interrupts
	echo "$out"
}
# wait for irqbalance's socket (it is created after the first scan)
irqb_wait() {
	local _
	for _ in $(seq 100); do
		compgen -G "/run/irqbalance/irqbalance*.sock" >/dev/null && return 0
		sleep 0.1
	done
	return 1
}

command -v irqbalance >/dev/null && ok "irqbalance is in the guest ($(command -v irqbalance))" ||
	{ bad "irqbalance missing: the tools layer is not mounted"; finish; }
insmod "$ko" pairs=1 queues=4 && ip link set napiref0 up && ip link set napiref1 up &&
	ok "napiref loaded" || { bad "cannot load napiref ($ko)"; finish; }
# One rebalancing pass per second, so that "several cycles" fit in a few seconds.
echo 'IRQBALANCE_ARGS="--interval=1"' >/etc/default/irqbalance
systemctl start irqbalance.service && irqb_wait && ok "irqbalance.service running" ||
	{ bad "irqbalance.service did not start: $(systemctl status irqbalance --no-pager)"; finish; }
pid=$(systemctl show -P MainPID irqbalance.service)

mkdir -p /tmp/irqb
for m in refuse ban stop; do
	sed -e 's/^\(  - match:\) physical$/\1 { driver: napiref }/' \
		-e "s/^irqbalance: ban$/irqbalance: $m/" "$top/profiles/balanced.yaml" >"/tmp/irqb/$m.yaml"
	grep -q "^irqbalance: $m$" "/tmp/irqb/$m.yaml" || bad "cannot derive the '$m' profile"
done

# a ban that is not ours, which must survive
$ctl "settings ban irqs 9" >/dev/null
setup0=$($ctl setup)
case $setup0 in "SLEEP 1 IRQ 9 "*) ok "pre-existing ban: $setup0" ;; *) bad "setup: $setup0" ;; esac
sleep 2
before=$($snap)

# refuse
out=$("$napictl" plan /tmp/irqb/refuse.yaml 2>&1)
echo "$out" | grep -q "irqbalance: running; profile says 'refuse'" && ok "plan shows irqbalance" ||
	bad "plan does not mention irqbalance: $(echo "$out" | head -3)"
aff0=$(nr_affinity)
out=$("$napictl" apply /tmp/irqb/refuse.yaml 2>&1)
rc=$?
[ $rc -ne 0 ] && echo "$out" | grep -q "irqbalance is running" &&
	ok "refuse: apply fails (rc=$rc): $out" || bad "refuse: rc=$rc $out"
[ "$($snap)" = "$before" ] && [ "$(nr_affinity)" = "$aff0" ] &&
	ok "refuse: nothing written" || bad "refuse: state changed"

# ban: every IRQ the profile pins is banned, also those already on the right CPU
irqs=$("$napictl" plan /tmp/irqb/ban.yaml 2>&1 |
	sed -nE 's/^napiref[0-9] +irq ([0-9]+) +smp_affinity .*/\1/p' | sort -n | tr '\n' ' ')
[ "$(echo $irqs | wc -w)" -eq 8 ] && ok "ban: the plan pins 8 IRQs" || bad "ban: plan IRQs: $irqs"
out=$("$napictl" apply /tmp/irqb/ban.yaml 2>&1)
rc=$?
[ $rc -eq 0 ] && ok "ban: apply" || bad "ban: apply rc=$rc: $out"
setup=$($ctl setup)
banned=$(echo "$setup" | grep -oE 'IRQ [0-9]+' | awk '{print $2}' | sort -n | tr '\n' ' ')
[ "$banned" = "$(echo 9 $irqs | tr ' ' '\n' | sort -n | tr '\n' ' ')" ] &&
	ok "ban: irqbalance bans 9 and our IRQs ($irqs)" || bad "ban: banned '$banned', ours '$irqs'"
aff1=$(nr_affinity)
sleep 4
[ "$(nr_affinity)" = "$aff1" ] && ok "ban: irqbalance left our IRQs alone for 4 cycles" ||
	bad "ban: IRQs moved: $aff1 -> $(nr_affinity)"
out=$("$napictl" verify 2>&1)
[ $? -eq 0 ] && ok "ban: verify: no drift" || bad "ban: verify: $out"
out=$("$napictl" revert 2>&1)
[ $? -eq 0 ] && ok "ban: revert" || bad "ban: revert: $out"
[ "$($ctl setup)" = "$setup0" ] && ok "ban: revert restored irqbalance's banned list" ||
	bad "ban: setup after revert: $($ctl setup), before: $setup0"
[ "$(systemctl show -P MainPID irqbalance.service)" = "$pid" ] &&
	ok "ban: irqbalance was not restarted" || bad "ban: irqbalance restarted"
[ "$(nr_affinity)" = "$aff0" ] && ok "ban: our IRQs' affinity restored" ||
	bad "ban: IRQ affinity $(nr_affinity), before $aff0"
after=$($snap)
[ "$after" = "$before" ] && ok "ban: everything else restored byte for byte" ||
	bad "ban: differs: $(showdiff "$before" "$after")"

# stop without libsystemd, which napictl loads only for this (lib/basic/dlopen.h): hidden in a
# private mount namespace, apply fails before changing or journaling anything
lib=$(readlink -f "$(ldconfig -p | awk '$1 == "libsystemd.so.0" { print $NF; exit }')")
out=$(unshare -m sh -c 'mount --bind /dev/null "$1" && exec "$2" apply "$3"' sh \
	"$lib" "$napictl" /tmp/irqb/stop.yaml 2>&1)
rc=$?
[ $rc -eq 1 ] && [ -f "$lib" ] &&
	echo "$out" | grep -q "libsystemd.so.0 is not available: irqbalance stop/start" &&
	ok "stop without libsystemd: apply fails (rc=$rc): $out" ||
	bad "stop without libsystemd ($lib): rc=$rc $out"
[ "$(systemctl is-active irqbalance.service)" = active ] && [ ! -e /run/napitune/journal ] &&
	[ "$($snap)" = "$before" ] && [ "$(nr_affinity)" = "$aff0" ] &&
	ok "stop without libsystemd: nothing written, irqbalance running, no journal" ||
	bad "stop without libsystemd: irqbalance $(systemctl is-active irqbalance.service), " \
		"journal: $(cat /run/napitune/journal 2>&1 | head -3)"

# stop
out=$("$napictl" apply /tmp/irqb/stop.yaml 2>&1)
rc=$?
[ $rc -eq 0 ] && ok "stop: apply" || bad "stop: apply rc=$rc: $out"
[ "$(systemctl is-active irqbalance.service)" = inactive ] && ok "stop: irqbalance stopped" ||
	bad "stop: irqbalance is $(systemctl is-active irqbalance.service)"
out=$("$napictl" verify 2>&1)
[ $? -eq 0 ] && ok "stop: verify: no drift" || bad "stop: verify: $out"
out=$("$napictl" revert 2>&1)
[ $? -eq 0 ] && ok "stop: revert" || bad "stop: revert: $out"
[ "$(systemctl is-active irqbalance.service)" = active ] && ok "stop: irqbalance running again" ||
	bad "stop: irqbalance is $(systemctl is-active irqbalance.service) after revert"
after=$($snap)
[ "$after" = "$before" ] && ok "stop: state restored byte for byte (IRQs: irqbalance's again)" ||
	bad "stop: differs: $(showdiff "$before" "$after")"
finish
