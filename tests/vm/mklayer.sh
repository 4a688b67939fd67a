#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Build a read-only overlay layer for the test VM from Debian packages
# with `apt-get download` + `dpkg-deb -x`: nothing is installed
# on the host and no maintainer script runs.
#
# Usage: mklayer.sh NAME PACKAGE...      (prints the layer directory)
#
# The layer is ${NT_VM_BUILD:-/var/tmp/napitune-vm-build}/layers/NAME-<hash of the
# package files and this script>: a changed layer gets a new directory, so a VM that
# uses the old one is not disturbed. /lib,
# /bin and /sbin are folded into /usr (the host is merged-/usr: a real /lib in
# the layer would hide the host's /lib symlink). Python files are compiled. Pass the
# directory to vm-run.sh as LAYERS=... . Safe to run concurrently (flock).
set -euo pipefail

die() { echo "mklayer: $*" >&2; exit 1; }

[ $# -ge 2 ] || die "usage: mklayer.sh NAME PACKAGE..."
name=$1
shift
[[ "$name" =~ ^[a-z0-9][a-z0-9-]*$ ]] || die "bad layer name '$name'"
build=${NT_VM_BUILD:-/var/tmp/napitune-vm-build}
debs=$build/debs
mkdir -p "$debs" "$build/layers"
exec 9>"$build/layers/.$name.lock"
flock 9

# Download what is not cached yet (apt-get download writes into the cwd).
missing=()
for p in "$@"; do
	compgen -G "$debs/${p}_*.deb" >/dev/null || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	(cd "$debs" && apt-get download "${missing[@]}" >&2) ||
		die "apt-get download ${missing[*]} failed"
fi
files=()
for p in "$@"; do
	f=$(compgen -G "$debs/${p}_*.deb" | sort -V | tail -n 1)
	[ -n "$f" ] || die "no .deb for $p"
	files+=("$f")
done

stamp=$( (sha256sum <"${BASH_SOURCE[0]}"; printf '%s\n' "${files[@]}") | sha256sum)
layer=$build/layers/$name-${stamp:0:12}
if [ -f "$layer/.stamp" ]; then
	echo "$layer"
	exit 0
fi
tmp=$(mktemp -d "$build/layers/.$name.XXXX")
trap 'rm -rf "$tmp"' EXIT
for f in "${files[@]}"; do
	dpkg-deb -x "$f" "$tmp" || die "dpkg-deb -x $f failed"
done
mkdir -p "$tmp/usr"
for d in lib bin sbin; do
	[ -d "$tmp/$d" ] && [ ! -L "$tmp/$d" ] || continue
	mkdir -p "$tmp/usr/$d"
	cp -a "$tmp/$d/." "$tmp/usr/$d/"
	rm -rf "${tmp:?}/$d"
done
python3 -m compileall -q "$tmp/usr/lib/python3" >/dev/null 2>&1 || true
echo "$stamp" >"$tmp/.stamp"
mv "$tmp" "$layer"
trap - EXIT
echo "mklayer: built $layer from ${#files[@]} packages" >&2
echo "$layer"
