#!/usr/bin/env bash
# Time of one full diagnose sample inside the test VM (kernel 6.12 under TCG, napiref with
# 2 pairs x 4 queues and moderate generator traffic): N live samples through the library
# (best / median), and the wall time of `napictl diagnose --interval=1` minus the interval.
# TCG makes everything slower than on hardware: compare runs with each other, not with
# bare metal. Needs root. Usage: bench/diagnose/vm.sh [SAMPLES]
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
build=$top/build
cache=${NT_BUILD_CACHE:-/var/tmp/napitune-cache}/bench-diagnose
mkdir -p "$cache"
meson compile -C "$build" napitune-core napictl >/dev/null
KVER=$("$top/tools/kernel.sh")
export KVER KDIR=/lib/modules/$KVER/build
make -C "$top/driver" >/dev/null
strip --strip-debug -o "$cache/napiref.ko" "$top/driver/napiref.ko"
cc -O2 -std=gnu11 $(printf -- '-I%s ' "$top"/lib/*/) -I"$build" -I"$top/tests/fixture" \
	$(pkg-config --cflags libnl-3.0 libnl-genl-3.0 libnl-route-3.0) \
	"$top/bench/diagnose/bench-diagnose.c" "$top/tests/fixture/nt-fixture.c" \
	"$build/lib/libnapitune-core.a" \
	$(pkg-config --libs libnl-3.0 libnl-genl-3.0 libnl-route-3.0 yaml-0.1) -lm \
	-o "$cache/bench-diagnose"
cat >"$cache/guest.sh" <<GUEST
#!/bin/bash
set -eu
mount -t debugfs none /sys/kernel/debug 2>/dev/null || true
insmod $cache/napiref.ko pairs=2 queues=4
for i in 0 1 2 3; do ip link set napiref\$i up; done
for p in 1 3; do
	echo "rate=500 flows=16 queues=0xf" >/sys/kernel/debug/napiref/napiref\$p/gen
done
sleep 1
echo "VM: \$(nproc) vCPUs (TCG), kernel \$(uname -r), napiref 2 pairs x 4 queues, generator 500 pps per queue on 2 ports"
$cache/bench-diagnose --live ${1:-20}
t0=\$EPOCHREALTIME
$top/build/cli/napictl diagnose --interval=1 >/dev/null || true
t1=\$EPOCHREALTIME
echo "napictl diagnose --interval=1: \$(( (\${t1/./} - \${t0/./}) / 1000 - 1000 )) ms beyond the interval (2 samples, rules, output, process start)"
GUEST
chmod +x "$cache/guest.sh"
out=$cache/out
MODE=init SMP=${SMP:-4} TIMEOUT=600 OUT=$out "$top/tests/vm/vm-run.sh" "$cache/guest.sh" \
	>/dev/null 2>&1 || { cat "$out/test.log" 2>/dev/null; echo "vm.sh: VM run failed ($out)" >&2; exit 1; }
cat "$out/test.log"
