#!/usr/bin/env bash
# bench/apply: in the test VM (systemd, tuned 2.20 from the tools layer, see
# tests/vm/mklayer.sh), apply high-throughput on a 16-queue napiref device with napictl,
# with a raw-writes floor (rawwrite.c: the same values, open/write/close) and with tuned
# (an equivalent [sysctl] + [sysfs] profile generated from napictl's writes); prints the
# medians and ratios. Not a test: goals are napictl <= 3x the floor, >= 20x faster than tuned.
# Usage: bench/apply/run-bench.sh [RUNS]   (root; env OUT, SMP)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
runs=${1:-9}
out=${OUT:-$(mktemp -d "${TMPDIR:-/var/tmp}/napitune-bench-apply.XXXX")}
mkdir -p "$out"
KVER=$("$top/tools/kernel.sh")
export KVER KDIR=/lib/modules/$KVER/build
src=$out/napiref-src
rm -rf "$src" && mkdir -p "$src"
cp "$top"/driver/{Makefile,Kbuild,*.c,*.h} "$src"/
make -C "$src" >"$out/driver-build.log" 2>&1 || { tail "$out/driver-build.log"; exit 1; }
strip --strip-debug -o "$out/napiref.ko" "$src/napiref.ko"
gcc -O2 -Wall -Wextra -Werror -o "$out/rawwrite" "$here/rawwrite.c"
meson compile -C "$top/build" >/dev/null
mapfile -t pkgs <"$top/tests/vm/layer-tools.txt"
layer=$("$top/tests/vm/mklayer.sh" tools "${pkgs[@]}")
set +e
LAYERS=$layer MODE=systemd SMP=${SMP:-4} TIMEOUT=1200 OUT=$out \
	"$top/tests/vm/vm-run.sh" "$here/guest-bench.sh" "$out/napiref.ko" "$out/rawwrite" "$runs"
rc=$?
cat "$out/test.log"
exit $rc
