#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Host-side self-test of the VM harness (run as root).
#
# Usage: test-smoke.sh [-q]     (-q: skip the slow crash/timeout/NIC cases)
#
# Boots several VMs, two at a time (so parallel runs are exercised too),
# and checks vm-run.sh's exit status and results dir for each case.
# Prints "N passed, N failed"; exits non-zero on any failure.
# shellcheck disable=SC2016 # guest scripts are single-quoted on purpose
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
vmrun=$here/vm-run.sh
quick=0
[ "${1:-}" = -q ] && quick=1

if [ "$(id -u)" -ne 0 ]; then
	echo "test-smoke: must run as root" >&2
	exit 1
fi

kver=$("$here/../../tools/kernel.sh") || exit 1
export KVER=$kver

work=$(mktemp -d "${TMPDIR:-/var/tmp}/napitune-vm-selftest.XXXX") || exit 1
echo "test-smoke: kernel $kver, work dir $work"

# Build the initramfs once up front so parallel cases don't wait on it.
"$here/mkinitramfs.sh" "$kver" >/dev/null || exit 1

# Guest scripts (single-quoted on purpose: expanded in the guest).
mk()
{
	printf '#!/bin/sh\n%s\n' "$2" >"$work/$1"
	chmod +x "$work/$1"
}
mk exit3.sh 'echo failing on purpose; exit 3'
mk exit0.sh 'exit 0'
mk args.sh '[ $# -eq 3 ] && [ "$1" = "a b" ] && [ "$2" = "it'"'"'s" ] && [ -z "$3" ] || { echo "bad args: $#: $*"; exit 1; }
[ "$(pwd)" = "'"$work"'" ] || { echo "bad cwd $(pwd)"; exit 1; }'
mk warn.sh 'echo "WARNING: CPU: 0 PID: 1 at napitune-selftest (fake warning)" >/dev/kmsg; exit 0'
mk crash.sh 'echo c >/proc/sysrq-trigger; sleep 100'
mk sleep.sh 'echo sleeping; sleep 100'
mk nic.sh 'n=0
while set -- /sys/class/net/*/queues/rx-3; [ ! -e "$1" ] && [ $n -lt 60 ]; do sleep 0.5; n=$((n + 1)); done
# under systemd, udev may still rename eth0 (enp0s3): let it finish, then look again
udevadm settle --timeout=30 2>/dev/null
set -- /sys/class/net/*/queues/rx-3
ls -d /sys/class/net/*/queues/rx-*; grep -c "virtio.*-input" /proc/interrupts; [ -e "$1" ]'

# Each case: NAME WANT_RC CHECK_FN ENV... -- SCRIPT ARGS...
# Runs in the background, writes "PASS|FAIL name detail" to $work/NAME.res.
run_case()
{
	local name=$1 want=$2 check=$3 envs=() rc start secs detail=
	shift 3
	while [ "$1" != -- ]; do
		envs+=("$1")
		shift
	done
	shift
	local out=$work/$name
	start=$EPOCHREALTIME
	(cd "$work" && env "${envs[@]}" OUT="$out" "$vmrun" "$@") >"$work/$name.vmrun" 2>&1
	rc=$?
	secs=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
	if [ "$rc" -ne "$want" ]; then
		detail="rc=$rc, want $want: $(grep '^vm-run:' "$work/$name.vmrun" | tail -n 1)"
	elif [ "$check" != - ]; then
		detail=$("$check" "$out")
	fi
	if [ -z "$detail" ]; then
		echo "PASS $name (rc=$rc, ${secs}s)" >"$work/$name.res"
	else
		echo "FAIL $name (${secs}s): $detail" >"$work/$name.res"
	fi
}

chk_uname()
{
	local got
	got=$(cat "$1/uname" 2>/dev/null)
	[ "$got" = "$kver" ] || echo "reported uname '$got', want '$kver'"
	[ -s "$1/dmesg.txt" ] || echo "no dmesg.txt"
	[ -s "$1/console.log" ] || echo "no console.log"
}

chk_fail()
{
	[ -s "$1/journal.txt" ] || echo "no journal.txt"
	grep -q 'failing on purpose' "$1/test.log" || echo "test.log lacks the test output"
	[ "$(cat "$1/rc")" = 3 ] || echo "OUT/rc is not 3"
}

chk_panic()
{
	grep -q 'Kernel panic' "$1/console.log" || echo "no panic in console.log"
	# a crash while the test runs is the test's result: never booted again
	! ls "$1"/console-boot-*.log >/dev/null 2>&1 || echo "a crash during the test was retried"
}

chk_bootcrash()
{
	grep -q 'sysrq triggered crash' "$1/console-boot-1.log" 2>/dev/null ||
		echo "no console-boot-1.log with the first boot's crash"
	! [ -e "$1/console-boot-2.log" ] || echo "booted more than twice"
	[ "$(cat "$1/rc")" = 0 ] || echo "OUT/rc is not 0"
}

chk_timeout()
{
	grep -q 'guest timeout' "$1/test.log" || echo "no guest-timeout note in test.log"
}

chk_nic()
{
	ip link show ntvm0 >/dev/null 2>&1 && echo "tap ntvm0 leaked into the host netns"
	grep -q rx-3 "$1/test.log" || echo "guest did not see 4 rx queues"
}

cases=(
	"smoke-systemd 0 chk_uname SMP=4 -- $here/smoke.sh $kver 4"
	"exit3-systemd 3 chk_fail -- $work/exit3.sh"
	"exit0-init 0 - MODE=init -- $work/exit0.sh"
	"smoke-init 0 chk_uname MODE=init SMP=2 -- $here/smoke.sh $kver 2"
	"warn-init 126 - MODE=init -- $work/warn.sh"
	"bootcrash-init 0 chk_bootcrash MODE=init APPEND=nt.crashboot -- $work/exit0.sh"
)
# args-init is run separately below (its args contain spaces).
if [ $quick -eq 0 ]; then
	cases+=(
		"crash-init 125 chk_panic MODE=init -- $work/crash.sh"
		"timeout-init 124 chk_timeout MODE=init TIMEOUT=15 -- $work/sleep.sh"
		"nic-mq-systemd 0 chk_nic NIC=mq QUEUES=4 SMP=4 -- $work/nic.sh"
	)
fi

names=()
pids=()
run_case args-init 0 - MODE=init -- "$work/args.sh" "a b" "it's" "" &
pids+=($!)
names+=(args-init)
for c in "${cases[@]}"; do
	# Two VMs at a time.
	while [ "$(jobs -rp | wc -l)" -ge 2 ]; do
		wait -n
	done
	# shellcheck disable=SC2086
	run_case $c &
	pids+=($!)
	names+=("${c%% *}")
done
wait

pass=0
fail=0
for n in "${names[@]}"; do
	res=$(cat "$work/$n.res" 2>/dev/null) || res="FAIL $n: no result"
	echo "$res"
	case "$res" in
	PASS*) pass=$((pass + 1)) ;;
	*) fail=$((fail + 1)) ;;
	esac
done
echo "$pass passed, $fail failed"
if [ $fail -eq 0 ]; then
	rm -rf "$work"
else
	echo "test-smoke: results kept in $work"
fi
[ $fail -eq 0 ]
