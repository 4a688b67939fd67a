#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Host side of the kernels suite: napiref and napictl on each kernel series, one VM boot per
# kernel (tests/vm/kernels/guest.sh runs every check of that kernel in it):
#   6.1   Debian 12's own kernel (fetched from bookworm, tools/kernel-fetch.sh)
#   6.12  the installed default (tools/install-deps.sh)
#   7     the newest 7.x of Debian unstable (fetched; napiref built in an unstable chroot)
# Fetches what is missing (the first run on a machine downloads about 375 MB and builds the
# unstable chroot: about 3 minutes, tests/vm/README.md), builds napiref for each kernel from a private copy of
# driver/ and the helpers once, then boots the VMs, at most NT_KERNELS_JOBS (2) at a time: each
# uses one host core (TCG thread=single). Prints every guest's lines prefixed with its series,
# one summary line per kernel and "N passed, N failed". Needs root and build/cli/napictl.
#
# Env: NT_KERNELS ("6.1 6.12 7") the series to run; NT_KERNELS_JOBS (2)
#      OUT (results dir: OUT/SERIES/ per kernel); TIMEOUT (2400) per VM
#      NT_BUILD_CACHE (/var/tmp/napitune-cache) where the modules and helpers are built
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../.." && pwd)
cache=${NT_BUILD_CACHE:-/var/tmp/napitune-cache}/kernels
out=${OUT:-$(mktemp -d "${TMPDIR:-/var/tmp}/napitune-vm-kernels.XXXX")}
read -r -a series <<<"${NT_KERNELS:-6.1 6.12 7}"
jobs=${NT_KERNELS_JOBS:-2}
passed=0
failed=0
start=$SECONDS

summary()
{
	echo "kernels: wall $((SECONDS - start)) s (results in $out)"
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit
}
# fail_kernel SERIES WHY: the kernel could not be tested at all
fail_kernel()
{
	echo "kernels: $1: FAIL: $2"
	failed=$((failed + 1))
}

mkdir -p "$cache/bin" "$out" || { failed=1; summary; }
if [ ! -x "$top/build/cli/napictl" ]; then
	echo "kernels: build/cli/napictl missing (tools/check.sh build, or meson compile -C build)"
	failed=1
	summary
fi
if ! gcc -O2 -Wall -Wextra -o "$cache/bin/nr_sock" "$top/tests/vm/driver/nr_sock.c" ||
	! gcc -O2 -Wall -Wextra $(pkg-config --cflags libnl-genl-3.0) -o "$cache/bin/nr_netlink" \
		"$top/tests/vm/driver/nr_netlink.c" $(pkg-config --libs libnl-genl-3.0); then
	echo "kernels: helper build failed (libnl-genl-3-dev? tools/install-deps.sh)"
	failed=1
	summary
fi

# Per series: resolve (and fetch) the kernel, build napiref for it.
declare -A kver layer
ready=()
for s in "${series[@]}"; do
	t0=$SECONDS
	kenv=$(NT_KERNEL_SERIES=$s "$top/tools/kernel.sh" --env) || {
		fail_kernel "$s" "no kernel (see above)"
		continue
	}
	eval "$kenv"
	src=$cache/$KVER/napiref
	rm -rf "$src" && mkdir -p "$src" && cp "$top"/driver/{Makefile,Kbuild,*.c,*.h} "$src"/ &&
		mkdir -p "$out/$s" || { fail_kernel "$s" "cannot copy driver/ to $src"; continue; }
	if ! KVER=$KVER "$top/tools/kernel.sh" --make "$src" >"$out/$s/build.log" 2>&1 ||
		! strip --strip-debug -o "$cache/$KVER/napiref.ko" "$src/napiref.ko"; then
		tail -n 20 "$out/$s/build.log"
		fail_kernel "$s" "napiref does not build for $KVER (log: $out/$s/build.log)"
		continue
	fi
	kver[$s]=$KVER
	layer[$s]=$NT_KLAYER
	echo "kernels: $s: $KVER ready in $((SECONDS - t0)) s${NT_KCHROOT:+ (module built in $NT_KCHROOT)}"
	ready+=("$s")
done

# boot SERIES: one VM, every check of that kernel
boot()
{
	local s=$1
	KVER=${kver[$s]} NIC=mq SMP=4 MODE=init TIMEOUT=${TIMEOUT:-2400} OUT=$out/$s \
		APPEND="oops=panic panic_on_warn=1" \
		"$top/tests/vm/vm-run.sh" "$here/guest.sh" "$cache/${kver[$s]}/napiref.ko" \
		"$cache/bin" >"$out/$s/vm-run.log" 2>&1
}
declare -A pid status
running=0
# reap: wait for one VM, keep its status
reap()
{
	local p r s
	wait -n -p p
	r=$?
	for s in "${!pid[@]}"; do
		[ "${pid[$s]}" = "$p" ] && status[$s]=$r
	done
	running=$((running - 1))
}
for s in "${ready[@]}"; do
	[ "$running" -lt "$jobs" ] || reap
	boot "$s" &
	pid[$s]=$!
	running=$((running + 1))
done
while [ "$running" -gt 0 ]; do reap; done

for s in "${ready[@]}"; do
	rc=${status[$s]:-125}
	log=$out/$s/test.log
	sed "s/^/[$s] /" "$log" 2>/dev/null
	sed "s/^/[$s] /" "$out/$s/vm-run.log"
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" 2>/dev/null | tail -n 1)
	p=0
	f=0
	if [ -n "$line" ]; then
		p=${line%% passed*}
		f=${line#*, }
		f=${f%% failed}
	fi
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		# 124 timeout, 125 no status (panic), 126 kernel WARN/BUG logged
		f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	echo "kernels: $s (${kver[$s]}): $p passed, $f failed, vm-run status $rc"
done
summary
