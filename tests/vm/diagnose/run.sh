#!/usr/bin/env bash
# Host entry of the diagnose scenario suite: builds napictl and napiref, boots the guest
# (tools/kernel.sh) once (tests/vm/vm-run.sh, MODE=init) and runs guest.sh there: every rule a real
# kernel reproduces is induced, diagnosed, fixed with the finding's own profile snippet,
# and reverted. Last line: "N passed, N failed". Needs root.
#
# Env: INTERVAL (3) diagnose interval, SMP (4) MEM (1024) TIMEOUT (1500) OUT (results dir)
#      NT_BUILD_CACHE (/var/tmp/napitune-cache)
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../../.." && pwd)
cache=${NT_BUILD_CACHE:-/var/tmp/napitune-cache}/diagnose-tests
out=${OUT:-$cache/out}

summary() { echo "$1 passed, $2 failed"; exit $(( $2 > 0 ? 1 : 0 )); }

mkdir -p "$cache" "$out" || summary 0 1
# one kernel for the module build and the VM (tools/kernel.sh; KVER= overrides)
KVER=$("$root/tools/kernel.sh") || summary 0 1
export KVER KDIR=/lib/modules/$KVER/build
if ! meson compile -C "$root/build" >"$cache/build.log" 2>&1 ||
   ! make -C "$root/driver" >>"$cache/build.log" 2>&1; then
	tail -20 "$cache/build.log"
	echo "run: build failed" >&2
	summary 0 1
fi
# the guest needs no debug info: a stripped copy loads much faster under TCG
strip --strip-debug -o "$cache/napiref.ko" "$root/driver/napiref.ko" || summary 0 1

start=$SECONDS
MODE=init SMP=${SMP:-4} MEM=${MEM:-1024} TIMEOUT=${TIMEOUT:-1500} OUT=$out \
	"$root/tests/vm/vm-run.sh" "$here/guest.sh" "$cache/napiref.ko" "${INTERVAL:-3}"
rc=$?
log=$out/test.log
[ -f "$log" ] && grep -E '^(PASS|FAIL|INFO)|suite wall' "$log"
p=$(grep -c '^PASS' "$log" 2>/dev/null)
f=$(grep -c '^FAIL' "$log" 2>/dev/null)
p=${p:-0}
f=${f:-0}
case $rc in
0 | 1) ;;
*)	echo "run: vm-run.sh exited $rc (see $out/console.log)"
	f=$((f + 1)) ;;
esac
[ "$p" -gt 0 ] || f=$((f + 1))
echo "run: wall $((SECONDS - start))s, results in $out"
summary "$p" "$f"
