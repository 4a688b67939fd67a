#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Thin CI/meson wrapper around vm-run.sh.
#
# Usage: run-suite.sh NAME GUEST_SCRIPT [ARGS...]
#
# Runs GUEST_SCRIPT in a VM (all vm-run.sh environment settings apply),
# prints "vm: NAME: PASS (Ns)" or "vm: NAME: FAIL rc=N (Ns)" and, on
# failure, the last 60 lines of test.log and console.log. Exits with
# vm-run.sh's status. If OUT is unset a fresh results dir is created.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

if [ $# -lt 2 ]; then
	echo "usage: run-suite.sh NAME GUEST_SCRIPT [ARGS...]" >&2
	exit 2
fi
name=$1
shift

if [ -z "${OUT:-}" ]; then
	OUT=$(mktemp -d "${TMPDIR:-/var/tmp}/napitune-vm-$name.XXXX") || exit 125
fi
export OUT

start=$EPOCHREALTIME
"$here/vm-run.sh" "$@"
rc=$?
secs=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')

if [ $rc -eq 0 ]; then
	echo "vm: $name: PASS (${secs}s)"
else
	echo "vm: $name: FAIL rc=$rc (${secs}s)"
	for f in test.log console.log; do
		[ -e "$OUT/$f" ] || continue
		echo "---- $name: tail of $OUT/$f ----"
		tail -n 60 "$OUT/$f"
	done
	echo "---- $name: end ----"
fi
exit $rc
