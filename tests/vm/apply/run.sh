#!/usr/bin/env bash
# Host side: boots the VM with a multi-queue virtio-net NIC and runs guest.sh there.
# Prints the guest's TAP and its "N passed, N failed" line; exits non-zero on failure.
set -u
here=$(cd "$(dirname "$0")" && pwd)
out=${OUT:-$(mktemp -d "${TMPDIR:-/var/tmp}/napitune-vm-apply.XXXX")}
NIC=mq SMP=${SMP:-4} MODE=init TIMEOUT=${TIMEOUT:-2400} OUT=$out "$here/../vm-run.sh" "$here/guest.sh"
rc=$?
cat "$out/test.log" 2>/dev/null
if [ $rc -ne 0 ] && ! tail -n 1 "$out/test.log" 2>/dev/null | grep -qE '^[0-9]+ passed, [1-9]'; then
	echo "vm apply: status $rc (results in $out)"
	echo "0 passed, 1 failed"
fi
exit $rc
