#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Guest smoke test for the VM harness (runs inside the VM).
#
# Usage: smoke.sh [EXPECTED_KERNEL_RELEASE [EXPECTED_NPROC]]
#
# Checks the kernel release (default: /proc/version starts with
# "Linux version 6.12"), the vCPU count, that /proc/interrupts is readable,
# that systemd is PID 1 in MODE=systemd, and reports `uname -r` back to the
# host in $VM_OUT/uname. Uses builtins where it can (fork+exec is slow
# under TCG).

want_rel=${1:-}
want_cpus=${2:-}
fails=0

check()
{
	# check DESCRIPTION STATUS
	if [ "$2" -eq 0 ]; then
		echo "ok - $1"
	else
		echo "not ok - $1"
		fails=$((fails + 1))
	fi
}

read -r _ _ rel _ </proc/version
echo "kernel: $rel"
if [ -n "$want_rel" ]; then
	[ "$rel" = "$want_rel" ]
	check "kernel release is $want_rel" $?
else
	[[ "$rel" == 6.12.* ]]
	check "kernel release is 6.12.*" $?
fi
[ "$(uname -r)" = "$rel" ]
check "uname -r matches /proc/version" $?

cpus=$(nproc)
echo "vcpus: $cpus"
if [ -n "$want_cpus" ]; then
	[ "$cpus" = "$want_cpus" ]
	check "nproc is $want_cpus" $?
fi

n=0
while read -r _; do
	n=$((n + 1))
done </proc/interrupts
echo "/proc/interrupts: $n lines"
[ "$n" -gt 1 ]
check "/proc/interrupts readable" $?

read -r comm </proc/1/comm
echo "mode: ${VM_MODE:-?}, pid 1: $comm"
if [ "${VM_MODE:-}" = systemd ]; then
	[ "$comm" = systemd ]
	check "systemd is PID 1" $?
	[ -e /run/systemd/system ]
	check "/run/systemd/system exists" $?
fi

[ ! -e /.dockerenv ]
check "/.dockerenv hidden" $?

if [ -n "${VM_OUT:-}" ]; then
	st=0
	echo "$rel" >"$VM_OUT/uname" || st=1
	check "wrote \$VM_OUT/uname" $st
else
	check "VM_OUT is set" 1
fi

echo "smoke: $fails failed"
[ "$fails" -eq 0 ]
