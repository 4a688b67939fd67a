#!/usr/bin/env bash
# Prints diagnose compute time on synthetic 256-CPU / 2000-IRQ fixtures (goal <= 10 ms)
# and the time of one sample. Usage: bench/diagnose/run.sh [BUILD_DIR]
# The time of one full sample inside the test VM: bench/diagnose/vm.sh (root).
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$top/build}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
meson compile -C "$build" napitune-core >/dev/null
cc -O2 -std=gnu11 $(printf -- '-I%s ' "$top"/lib/*/) -I"$build" -I"$top/tests/fixture" \
	$(pkg-config --cflags libnl-3.0 libnl-genl-3.0 libnl-route-3.0) \
	"$top/bench/diagnose/bench-diagnose.c" "$top/tests/fixture/nt-fixture.c" \
	"$build/lib/libnapitune-core.a" \
	$(pkg-config --libs libnl-3.0 libnl-genl-3.0 libnl-route-3.0 yaml-0.1) -lm \
	-o "$tmp/bench-diagnose"
mkdir -p "$tmp/fx"
"$tmp/bench-diagnose" "$tmp/fx"
