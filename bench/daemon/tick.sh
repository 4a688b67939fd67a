#!/usr/bin/env bash
# The daemon's per-tick cost by source (bench-tick.c): on the synthetic 256-CPU / 2000-IRQ
# machine of bench/diagnose, and, as root, on this machine.
# Usage: bench/daemon/tick.sh [BUILD_DIR] [N]
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$top/build}
n=${2:-20}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
meson compile -C "$build" napitune-core >/dev/null
# shellcheck disable=SC2046
cc -O2 -std=gnu11 $(printf -- '-I%s ' "$top"/lib/*/) -I"$build" -I"$top/tests/fixture" \
	$(pkg-config --cflags libnl-3.0 libnl-genl-3.0 libnl-route-3.0 libnl-idiag-3.0) \
	"$top/bench/daemon/bench-tick.c" "$top/tests/fixture/nt-fixture.c" \
	"$build/lib/libnapitune-core.a" \
	$(pkg-config --libs libnl-3.0 libnl-genl-3.0 libnl-route-3.0 libnl-idiag-3.0 yaml-0.1) -lm -ldl \
	-o "$tmp/bench-tick"
mkdir -p "$tmp/fx"
for k in "" --keep-open; do
	echo "== ${k:-files opened on every read}"
	"$tmp/bench-tick" "$tmp/fx" "$n" $k
	if [ "$(id -u)" = 0 ]; then
		"$tmp/bench-tick" --live "$n" $k
	fi
done
