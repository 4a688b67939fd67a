#!/usr/bin/env bash
# Host side of the vm_apply suite, two VMs at the same time:
#  1. guest.sh (init mode, multi-queue virtio-net NIC, napiref): shipped profiles applied,
#     verified, reverted byte for byte on virtio-net and on napiref; SIGKILL trials.
#  2. guest-irqbalance.sh (systemd mode, irqbalance 1.9 from the "tools" layer built by
#     ../mklayer.sh from Debian packages): the profile's irqbalance modes.
# Prints the guests' TAP and one "N passed, N failed" line; exits non-zero on failure.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../.." && pwd)
out=${OUT:-$(mktemp -d "${TMPDIR:-/var/tmp}/napitune-vm-apply.XXXX")}
mkdir -p "$out/irqbalance"
passed=0
failed=0
# count LOG RC: adds a guest's "N passed, N failed" (or one failure if it printed none)
count() {
	local line f=0
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$1" 2>/dev/null | tail -n 1)
	if [ -n "$line" ]; then
		passed=$((passed + ${line%% *}))
		line=${line#*, }
		f=${line%% *}
		failed=$((failed + f))
	fi
	if [ "$2" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "vm apply: status $2 (results in ${1%/*})"
		failed=$((failed + 1))
	fi
}
summary() {
	echo "vm apply: wall $((SECONDS - start)) s (results in $out)"
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit
}
start=$SECONDS

# one kernel for the module build and the VMs (tools/kernel.sh; KVER= overrides)
if ! KVER=$("$top/tools/kernel.sh"); then
	failed=1
	summary
fi
export KVER KDIR=/lib/modules/$KVER/build
# napiref is built from a private copy of driver/: other suites build in the tree concurrently.
src=$out/napiref-src
rm -rf "$src" && mkdir -p "$src" &&
	cp "$top"/driver/{Makefile,Kbuild,*.c,*.h} "$src"/ 2>"$out/driver-build.log"
if ! make -C "$src" >>"$out/driver-build.log" 2>&1 ||
   ! strip --strip-debug -o "$out/napiref.ko" "$src/napiref.ko"; then
	tail -n 20 "$out/driver-build.log"
	echo "vm apply: napiref build failed"
	failed=1
	summary
fi

# The two VMs run side by side (each uses one host core: TCG thread=single).
mapfile -t pkgs <"$here/../layer-tools.txt"
if layer=$("$here/../mklayer.sh" tools "${pkgs[@]}"); then
	LAYERS=$layer SMP=${SMP:-4} MODE=systemd TIMEOUT=600 OUT=$out/irqbalance \
		"$here/../vm-run.sh" "$here/guest-irqbalance.sh" "$out/napiref.ko" \
		>"$out/irqbalance/vm-run.log" 2>&1 &
	irqb=$!
else
	echo "vm apply: cannot build the irqbalance/tuned layer (apt-get download needs the mirror)"
	failed=$((failed + 1))
	irqb=
fi

NIC=mq SMP=${SMP:-4} MODE=init TIMEOUT=${TIMEOUT:-2400} OUT=$out \
	"$here/../vm-run.sh" "$here/guest.sh" "$out/napiref.ko"
rc=$?
cat "$out/test.log" 2>/dev/null
count "$out/test.log" $rc

if [ -n "$irqb" ]; then
	wait "$irqb"
	rc=$?
	cat "$out/irqbalance/vm-run.log" "$out/irqbalance/test.log" 2>/dev/null
	count "$out/irqbalance/test.log" $rc
fi
summary
