#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Host entry of the napiref VM suite: builds the module and the C helpers,
# boots the guest (tools/kernel.sh: NT_KERNEL_SERIES=6.1|6.12|7, KVER=) through
# tests/vm/vm-run.sh with APPEND="oops=panic panic_on_warn=1" and runs
# guest-suite.sh in it.
# Last line of output: "N passed, N failed". Needs root.
#
# Env: CYCLES (200) PAIR_CYCLES (50) CHANGES (50) module/pair/ethtool cycles
#      SMP (4) MEM (1024) TIMEOUT (900) MODE (init) OUT (results dir)
#      NT_BUILD_CACHE (/var/tmp/napitune-cache) where helpers are built
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../../.." && pwd)
cache=${NT_BUILD_CACHE:-/var/tmp/napitune-cache}/driver-tests
bin=$cache/bin
out=${OUT:-$cache/out}

summary() { echo "$1 passed, $2 failed"; exit $(( $2 > 0 ? 1 : 0 )); }

mkdir -p "$bin" "$out" || summary 0 1
# one kernel for the module build and the VM (tools/kernel.sh; KVER= overrides)
kenv=$("$root/tools/kernel.sh" --env) || summary 0 1
eval "$kenv"
export KVER
if ! "$root/tools/kernel.sh" --make "$root/driver" >"$cache/build.log" 2>&1; then
	tail -20 "$cache/build.log"
	echo "run: module build failed" >&2
	summary 0 1
fi
if ! gcc -O2 -Wall -Wextra -o "$bin/nr_sock" "$here/nr_sock.c" ||
   ! gcc -O2 -Wall -Wextra $(pkg-config --cflags libnl-genl-3.0) \
	-o "$bin/nr_netlink" "$here/nr_netlink.c" \
	$(pkg-config --libs libnl-genl-3.0); then
	echo "run: helper build failed" >&2
	summary 0 1
fi

# the guest needs no debug info: a stripped copy loads ~10x faster (TCG)
strip --strip-debug -o "$bin/napiref.ko" "$root/driver/napiref.ko" ||
	summary 0 1

start=$SECONDS
APPEND="oops=panic panic_on_warn=1 ${APPEND:-}" MODE=${MODE:-init} \
	SMP=${SMP:-4} MEM=${MEM:-1024} TIMEOUT=${TIMEOUT:-900} OUT=$out \
	"$root/tests/vm/vm-run.sh" "$here/guest-suite.sh" \
	"$bin/napiref.ko" "$bin" "${CYCLES:-200}" \
	"${PAIR_CYCLES:-50}" "${CHANGES:-50}"
rc=$?

log=$out/test.log
[ -f "$log" ] && grep -E '^(PASS|FAIL|INFO)|suite wall' "$log"
line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" 2>/dev/null | tail -1)
if [ -n "$line" ]; then
	p=${line%% passed*}
	f=${line#*, }
	f=${f%% failed}
else
	p=$(grep -c '^PASS' "$log" 2>/dev/null)
	f=$(grep -c '^FAIL' "$log" 2>/dev/null)
fi
p=${p:-0}
f=${f:-0}
case $rc in
0 | 1) ;;
*)	# 124 timeout, 125 no status (panic), 126 kernel WARN/BUG logged
	echo "run: vm-run.sh exited $rc (see $out/console.log)"
	f=$((f + 1)) ;;
esac
echo "run: wall $((SECONDS - start))s, results in $out"
summary "$p" "$f"
