#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the busybox initramfs used by vm-run.sh.
#
# Usage: mkinitramfs.sh [KVER [MODROOT]]
#
# MODROOT: the directory holding lib/modules/KVER, for a kernel that is not installed
# (tools/kernel.sh --env: NT_KLAYER); default /.
#
# Prints the path of the image on stdout. The image lives in
# ${NT_VM_BUILD:-/var/tmp/napitune-vm-build}/initramfs-$KVER.cpio.gz and is
# rebuilt only when one of its inputs (this script, ./init, busybox, the
# kernel modules) changed. Safe to run concurrently (flock).
#
# Contents: busybox-static, ./init, and the decompressed modules needed to
# mount the host root over 9p with an overlay on top: virtio_pci, 9pnet_virtio, 9p and
# overlay with their dependencies, in the order modprobe --show-depends gives (loaded in
# that order by /init); those built into the kernel are left out (6.12 builds in virtio_pci,
# 6.1 does not).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
want=(virtio_pci 9pnet_virtio 9p overlay)
busybox=/usr/bin/busybox

die()
{
	echo "mkinitramfs: $*" >&2
	exit 1
}

kver=${1:-${KVER:-}}
if [ -z "$kver" ]; then
	kver=$("$here/../../tools/kernel.sh") || die "no guest kernel (see above)"
fi
modroot=${2:-}
[ -d "$modroot/lib/modules/$kver" ] || die "no $modroot/lib/modules/$kver"
[ -x "$busybox" ] || die "$busybox missing (apt-get install busybox-static)"
if command -v file >/dev/null && file -L "$busybox" | grep -q dynamic; then
	die "$busybox is not static (need busybox-static)"
fi

build=${NT_VM_BUILD:-/var/tmp/napitune-vm-build}
out=$build/initramfs-$kver.cpio.gz
mkdir -p "$build"

# Module files (.ko, .ko.xz, .ko.zst, .ko.gz) in load order, each once.
deps=$(modprobe -d "${modroot:-/}" -S "$kver" -a --show-depends "${want[@]}" 2>&1) ||
	die "modules ${want[*]} not found for $kver under ${modroot:-/}/lib/modules: $deps"
mods=()
declare -A modfile
while read -r verb f _; do
	[ "$verb" = insmod ] || continue
	m=${f##*/}
	m=${m%%.ko*}
	[ -z "${modfile[$m]:-}" ] || continue
	mods+=("$m")
	modfile[$m]=$f
done <<<"$deps"

# Stamp over every input: content of our scripts, identity of the binaries.
stamp=$(
	{
		sha256sum "$here/init" "${BASH_SOURCE[0]}"
		stat -L -c '%n %s %Y' "$busybox"
		for m in "${mods[@]}"; do
			stat -L -c '%n %s %Y' "${modfile[$m]}"
		done
	} | sha256sum | cut -d' ' -f1
)

exec 9>"$build/.lock-$kver"
flock 9

if [ -s "$out" ] && [ "$(cat "$out.stamp" 2>/dev/null)" = "$stamp" ]; then
	echo "$out"
	exit 0
fi

tmp=$(mktemp -d "$build/.initramfs.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
root=$tmp/root
mkdir -p "$root"/{bin,dev,proc,sys,lower,upper,newroot,lib/modules}
cp "$busybox" "$root/bin/busybox"
for a in $("$busybox" --list); do
	[ "$a" = busybox ] || ln -s busybox "$root/bin/$a"
done
ln -s bin "$root/sbin"
# The kernel opens /dev/console before /init runs (devtmpfs is not yet up).
mknod -m 600 "$root/dev/console" c 5 1 2>/dev/null || true
install -m 0755 "$here/init" "$root/init"

for m in "${mods[@]}"; do
	f=${modfile[$m]}
	case "$f" in
	*.ko.xz) xz -dc "$f" >"$root/lib/modules/$m.ko" ;;
	*.ko.zst) zstd -qdc "$f" >"$root/lib/modules/$m.ko" ;;
	*.ko.gz) gzip -dc "$f" >"$root/lib/modules/$m.ko" ;;
	*.ko) cp "$f" "$root/lib/modules/$m.ko" ;;
	*) die "unknown module format: $f" ;;
	esac
done
echo "${mods[*]}" >"$root/lib/modules/order"

(cd "$root" && find . -print0 | LC_ALL=C sort -z |
	cpio --null -o -H newc --quiet --owner=0:0) | gzip -6 >"$tmp/img"
mv -f "$tmp/img" "$out"
echo "$stamp" >"$out.stamp"
echo "mkinitramfs: built $out ($(du -h "$out" | cut -f1))" >&2
echo "$out"
