#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Peer suite, host side: the kernel's driver selftests
# (tools/testing/selftests/drivers/net of linux-source-6.12) in the test VM,
# against a napiref pair and against QEMU's virtio-net (two NICs on one
# bridge, NIC=mqpair), see guest.sh. Prints the guest's checks, a table of
# results per device and one "N passed, N failed" line. Needs root.
#
# The selftests, their ynl library and the netlink specs are extracted once
# from the source tarball into the cache; the ethtool JSON shim
# (ethtool-json.c) is built there. ping and socat, which the
# selftests call and the host lacks, come from a read-only VM layer
# (../layer-peer.txt, built by ../mklayer.sh from Debian packages).
#
# Env: NT_BUILD_CACHE (/var/tmp/napitune-cache)  KSRC_TARBALL (/usr/src/linux-source-6.12.tar.xz)
#      OUT (results dir)  TIMEOUT (1500, guest side)  PEER_FILE_TIMEOUT (300, per test file)
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../../.." && pwd)
cache=${NT_BUILD_CACHE:-/var/tmp/napitune-cache}/peer
out=${OUT:-$cache/out}
tarball=${KSRC_TARBALL:-/usr/src/linux-source-6.12.tar.xz}
ksrc=$cache/ksrc
start=$SECONDS

summary() { echo "$1 passed, $2 failed"; exit $(($2 > 0 ? 1 : 0)); }
die() { echo "peer: $*" >&2; summary 0 1; }

mkdir -p "$cache/bin/shim" "$out" || die "cannot create $cache"
KVER=$("$root/tools/kernel.sh") || die "no test kernel"
export KVER KDIR=/lib/modules/$KVER/build

# napiref, from a private copy of driver/ (other suites build in the tree)
src=$cache/napiref-src
rm -rf "$src" && mkdir -p "$src" && cp "$root"/driver/{Makefile,Kbuild,*.c,*.h} "$src"/ ||
	die "cannot copy driver/"
if ! make -C "$src" >"$cache/build.log" 2>&1 ||
   ! strip --strip-debug -o "$cache/bin/napiref.ko" "$src/napiref.ko"; then
	tail -n 20 "$cache/build.log"
	die "napiref build failed"
fi

# the selftests, once per tarball
stamp=$(stat -c '%s %Y' "$tarball" 2>/dev/null) || die "$tarball missing (apt-get install linux-source-6.12)"
if [ "$(cat "$ksrc/.stamp" 2>/dev/null)" != "$stamp" ]; then
	echo "peer: extracting the selftests from $tarball"
	rm -rf "$ksrc" && mkdir -p "$ksrc" &&
		tar -xJf "$tarball" -C "$ksrc" --strip-components=1 --wildcards \
			'*/tools/testing/selftests/drivers/net/*' \
			'*/tools/testing/selftests/net/lib/*' \
			'*/tools/net/ynl/*' '*/Documentation/netlink/specs/*' ||
		die "cannot extract the selftests"
	echo "$stamp" >"$ksrc/.stamp"
fi
if ! gcc -O2 -Wall -Wextra $(pkg-config --cflags libnl-genl-3.0) \
	-o "$cache/bin/shim/ethtool" "$here/ethtool-json.c" \
	$(pkg-config --libs libnl-genl-3.0); then
	die "helper build failed"
fi
mapfile -t pkgs <"$here/../layer-peer.txt"
layer=$("$here/../mklayer.sh" peer "${pkgs[@]}") ||
	die "cannot build the ping/socat layer (apt-get download needs the mirror)"

NIC=mqpair LAYERS=$layer SMP=${SMP:-4} MEM=${MEM:-1024} MODE=init \
	TIMEOUT=${TIMEOUT:-1500} OUT=$out \
	"$root/tests/vm/vm-run.sh" "$here/guest.sh" "$cache/bin/napiref.ko" "$ksrc" \
	"$cache/bin/shim"
rc=$?

log=$out/test.log
[ -f "$log" ] && grep -E '^(PASS|FAIL|INFO)|suite wall' "$log"
res=$out/peer-results.txt
if [ -f "$res" ]; then
	echo "peer: selftest results (stock: Debian's ethtool 6.1; netlink: ethtool --json -x/-c/-g from netlink)"
	printf '%-8s %-8s %5s %5s %5s %6s %5s %8s\n' device variant pass fail skip xfail slow timeout
	awk '{ k = $1 " " $2; n[k]++; c[k, $4]++ }
	     END { for (k in n) { split(k, a, " ")
		   printf "%-8s %-8s %5d %5d %5d %6d %5d %8d\n", a[1], a[2], c[k, "pass"],
			  c[k, "fail"], c[k, "skip"], c[k, "xfail"], c[k, "slow"],
			  c[k, "timeout"] } }' "$res" | sort
	echo "peer: every case that did not pass:"
	awk '$4 != "pass" { printf "  %s\n", $0 }' "$res"
fi
line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" 2>/dev/null | tail -1)
p=${line%% passed*}
f=${line#*, }
f=${f%% failed}
[ -n "$line" ] || { p=0; f=0; }
case $rc in
0 | 1) ;;
*)	echo "peer: vm-run.sh exited $rc (see $out/console.log)"
	f=$((f + 1)) ;;
esac
echo "peer: wall $((SECONDS - start))s, results in $out"
summary "$p" "$f"
