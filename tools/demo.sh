#!/usr/bin/env bash
# The whole story in one command: installs the dependencies, builds napictl and the napiref
# driver, boots a QEMU VM (the host's kernel settings are never touched) where napiref
# receives more bursts than its RX ring holds, then runs `napictl diagnose` (the drops and
# the fix), applies the suggested profile, diagnoses again (clean), shows what changed
# (`napictl status`) and reverts. Non-interactive; needs root (apt-get, QEMU). Exits
# non-zero if any step fails.
#
# Env: INTERVAL (3) diagnose sampling interval in seconds; OUT results dir
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
die() { printf '\033[1;31mdemo: %s\033[0m\n' "$*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "run me as root: the demo installs packages and boots a VM"

step "dependencies (tools/install-deps.sh)"
tools/install-deps.sh || die "installing dependencies failed"

# one kernel for the module build and the VM (tools/kernel.sh; KVER= overrides)
KVER=$(tools/kernel.sh) || die "no kernel to build the driver for and boot (see above)"
export KVER KDIR=/lib/modules/$KVER/build

step "build napictl (meson) and the napiref driver (make -C driver)"
[ -f build/build.ninja ] || meson setup build >/dev/null || die "meson setup failed"
meson compile -C build >/dev/null || die "building napictl failed (meson compile -C build)"
echo "built build/cli/napictl ($(build/cli/napictl --version))"
make -C driver >/dev/null || die "building the driver failed (make -C driver)"
cache=${NT_BUILD_CACHE:-/var/tmp/napitune-cache}/demo
mkdir -p "$cache"
# the guest needs no debug info: a stripped module loads much faster in the emulated VM
strip --strip-debug -o "$cache/napiref.ko" driver/napiref.ko || die "strip failed"
echo "built driver/napiref.ko"

out=${OUT:-$(mktemp -d "${TMPDIR:-/var/tmp}/napitune-demo.XXXX")}
step "boot the VM (kernel $KVER, emulated: about a minute)"
echo "results and logs: $out"
# The guest's output arrives in $out/test.log: stream it while the VM runs.
: >"$out/test.log"
tail -n +1 -F "$out/test.log" 2>/dev/null &
tailpid=$!
trap 'kill $tailpid 2>/dev/null || true' EXIT
rc=0
MODE=init SMP=${SMP:-4} TIMEOUT=${TIMEOUT:-600} OUT=$out \
	tests/vm/vm-run.sh "$top/tests/vm/diagnose/demo-guest.sh" "$cache/napiref.ko" \
	"${INTERVAL:-3}" >"$out/vm-run.out" 2>&1 || rc=$?
sleep 1
kill $tailpid 2>/dev/null || true
wait $tailpid 2>/dev/null || true
if [ $rc -ne 0 ]; then
	cat "$out/vm-run.out" >&2
	die "the VM demo failed (status $rc; see $out/test.log and $out/console.log)"
fi
step "done: the drops were found, fixed with the suggested profile, and reverted"
