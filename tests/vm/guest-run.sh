#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Guest side of vm-run.sh. Runs inside the VM, either from
# napitune-vm-run.service (MODE=systemd) or as PID 1 (MODE=init).
#
# Reads the job ($VM_OUT/vm-job.sh, written by vm-run.sh), runs the test
# under a guest-side timeout with stdout+stderr to $VM_OUT/test.log, then
# writes $VM_OUT/rc, $VM_OUT/dmesg.txt and, on failure in systemd mode,
# $VM_OUT/journal.txt. Process creation is ~100x slower under TCG: keep
# this lean (builtins, few commands).

export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root LANG=C.UTF-8 VM_OUT VM_MODE=${VM_MODE:-systemd}
[ $$ -eq 1 ] && VM_MODE=init

finish()
{
	if [ "$VM_MODE" != init ]; then
		exit "$1"
	fi
	# PID 1 must not exit (kernel panic): power off directly.
	poweroff -f
	/usr/bin/busybox poweroff -f
	echo o >/proc/sysrq-trigger
	while :; do read -r -t 60 </dev/console; done
}

fatal()
{
	echo "napitune-vm: FATAL: $*" >/dev/console
	finish 125
}

[ -n "$VM_OUT" ] && [ -d "$VM_OUT" ] || fatal "VM_OUT not set or not a directory"
. "$VM_OUT/vm-job.sh" || fatal "cannot read $VM_OUT/vm-job.sh"

if [ "$VM_MODE" = init ]; then
	exec </dev/null >/dev/console 2>&1
	[ "$NT_NIC" = none ] || modprobe -q virtio_net
fi

cd "$NT_CWD" 2>/dev/null || cd /
echo "napitune-vm: start $NT_SCRIPT (timeout ${NT_TIMEOUT}s)" >/dev/kmsg
SECONDS=0
timeout -k 10 "$NT_TIMEOUT" "$NT_SCRIPT" "${NT_ARGS[@]}" \
	</dev/null >"$VM_OUT/test.log" 2>&1
rc=$?
if [ $rc -eq 124 ] || { [ $rc -eq 137 ] && [ $SECONDS -ge "$NT_TIMEOUT" ]; }; then
	rc=124
	echo "napitune-vm: guest timeout: test killed after ${SECONDS}s" >>"$VM_OUT/test.log"
fi
echo "$rc" >"$VM_OUT/rc"
echo "napitune-vm: end rc=$rc after ${SECONDS}s" >/dev/kmsg
echo "NAPITUNE_VM_STATUS=$rc"

dmesg >"$VM_OUT/dmesg.txt" 2>&1
if [ $rc -ne 0 ] && [ "$VM_MODE" = systemd ]; then
	journalctl -b --no-pager -o short-monotonic >"$VM_OUT/journal.txt" 2>&1
fi
finish "$rc"
