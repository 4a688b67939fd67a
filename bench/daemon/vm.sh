#!/usr/bin/env bash
# bench/daemon/vm.sh [ADDS] [IDLE_SECONDS]: run-bench.sh inside the test VM (the Debian 6.12
# kernel under TCG, init mode, 4 vCPUs), where the issue's hotplug goal is set; the test
# polls sysfs every 5 ms (vCPUs share one host thread under TCG). Root.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
KVER=$("$top/tools/kernel.sh") || exit 1
export KVER
out=${OUT:-$(mktemp -d "${TMPDIR:-/var/tmp}/napitune-bench-daemon.XXXX")}
idle=${2:-600}
MODE=init SMP=${SMP:-4} TIMEOUT=$((idle + 1200)) OUT=$out \
	"$top/tests/vm/vm-run.sh" "$here/run-bench.sh" "${1:-200}" "$idle" 5
rc=$?
cat "$out/test.log"
exit $rc
