#!/usr/bin/env bash
# build-napiref.sh OUTDIR: builds napiref for $KVER (tools/kernel.sh when unset) from a private
# copy of driver/ (other suites build in the tree at the same time) and prints the path of
# OUTDIR/napiref.ko, stripped of debug info (the guest loads it over 9p). On failure the last
# lines of the build log go to stderr and the status is 1.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:?usage: build-napiref.sh OUTDIR}
if [ -z "${KVER:-}" ]; then
	KVER=$("$top/tools/kernel.sh") || exit 1
fi
export KVER KDIR=${KDIR:-/lib/modules/$KVER/build}
src=$out/napiref-src
log=$out/driver-build.log
rm -rf "$src" && mkdir -p "$src" && cp "$top"/driver/{Makefile,Kbuild,*.c,*.h} "$src"/ 2>"$log" &&
	make -C "$src" >>"$log" 2>&1 &&
	strip --strip-debug -o "$out/napiref.ko" "$src/napiref.ko" 2>>"$log" || {
	tail -n 20 "$log" >&2
	echo "build-napiref: napiref for $KVER failed (log: $log)" >&2
	exit 1
}
echo "$out/napiref.ko"
