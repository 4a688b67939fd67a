#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Fetches a Debian kernel of a series that is not installed on the host, for tools/kernel.sh
# (which calls it; run it by hand only to prefetch or to look):
#
#   tools/kernel-fetch.sh SERIES    prints the cache directory of the series' newest kernel,
#                                   downloading and unpacking it first if needed
#
# Series fetched, and where from (add a series: one line in dist_of below):
#   6.1   bookworm, bookworm-updates, bookworm-security: the newest release 6.1.0-N-amd64
#   7     unstable: the newest linux-image-7.*-amd64
#
# The release is resolved at run time from the mirror's package lists, read through a private
# apt configuration (the host's apt state and sources are never used or changed). The image,
# its modules, the headers and kbuild are downloaded with apt-get download, never installed on
# the host: dpkg-deb -x unpacks them into a cache outside the repository, one directory per
# kernel release:
#
#   $NT_KERNEL_CACHE/                default /var/tmp/napitune-kernels
#     apt/DIST/                      private apt configuration, state and lists of DIST
#     RELEASE/version                Debian version of the packages unpacked below
#     RELEASE/root/                  the packages' files: boot/ or usr/lib/modules/RELEASE/vmlinuz,
#                                    usr/lib/modules/RELEASE/ (depmod run here), usr/src/ headers
#                                    (their Makefiles point into this tree). /lib is folded into
#                                    /usr/lib, as on the merged-/usr host: the VM stacks root/ over
#                                    the host's / (vm-run.sh LAYERS), so the guest has the modules
#     RELEASE/chroot/                only when the headers want a compiler the host lacks (gcc-N
#                                    in their .kernelvariables): debootstrap --variant=minbase DIST,
#                                    with make and the same headers .debs installed (apt-get pulls
#                                    their compiler); modules for RELEASE are built in there
#     RELEASE/ok                     written last: the entry is complete
#
# Each new release gets a new directory; older ones stay until removed by hand (rm -rf).
#
# Environment:
#   NT_KERNEL_CACHE=     cache root (above)
#   NT_KERNEL_REFRESH=   refresh the package lists when older than this many minutes (360);
#                        0 refreshes every time
#   NT_KERNEL_OFFLINE=1  no network: the newest complete release of the series in the cache.
#                        Also the fallback, with a warning, when the mirror cannot be reached
#   NT_DEBIAN_MIRROR=    http://deb.debian.org/debian
#   NT_DEBIAN_SECURITY=  http://deb.debian.org/debian-security
#
# Exit status 0 and the directory on stdout, or 1 with the reason on stderr.
set -uo pipefail

cache=${NT_KERNEL_CACHE:-/var/tmp/napitune-kernels}
mirror=${NT_DEBIAN_MIRROR:-http://deb.debian.org/debian}
security=${NT_DEBIAN_SECURITY:-http://deb.debian.org/debian-security}
refresh=${NT_KERNEL_REFRESH:-360}
keyring=/usr/share/keyrings/debian-archive-keyring.gpg

say() { echo "kernel-fetch: $*" >&2; }
die() { say "$*"; exit 1; }

case "${1:-}" in
-h | --help | '')
	sed -n '4,45p' "$0" | sed 's/^# \{0,1\}//'
	[ -n "${1:-}" ]
	exit
	;;
esac
series=$1

# dist_of SERIES: the Debian distribution whose archive carries the series
dist_of()
{
	case "$1" in
	6.1) echo bookworm ;;
	7) echo unstable ;;
	*) return 1 ;;
	esac
}
dist=$(dist_of "$series") ||
	die "no fetch source for series '$series' (known: 6.1, 7; see dist_of in $0)"

# shellcheck source=tools/kernel-series.sh
. "$(dirname "${BASH_SOURCE[0]}")/kernel-series.sh" # in_series

# newest complete release of the series in the cache (offline fallback)
cached()
{
	local d r best=
	for d in "$cache"/*/ok; do
		[ -e "$d" ] || continue
		r=${d%/ok}
		r=${r##*/}
		in_series "$r" && best+="$r"$'\n'
	done
	[ -n "$best" ] || return 1
	echo "$cache/$(sort -V <<<"${best%$'\n'}" | tail -n 1)"
}

offline()
{
	local d
	d=$(cached) || die "$1, and no $series kernel is cached in $cache"
	say "warning: $1: using the cached ${d##*/}"
	echo "$d"
	exit 0
}

mkdir -p "$cache" || die "cannot create $cache"
exec 8>>"$cache/.lock" || die "cannot write $cache/.lock"
flock 8

[ "${NT_KERNEL_OFFLINE:-0}" = 1 ] && offline "NT_KERNEL_OFFLINE=1"
[ "$(id -u)" -eq 0 ] || die "must run as root (debootstrap, chroot, files owned by root)"
for t in apt-get apt-cache dpkg-deb depmod; do
	command -v "$t" >/dev/null || die "$t missing (apt-get install apt dpkg kmod)"
done

# ---------------------------------------------------------------- private apt
st=$cache/apt/$dist
mkdir -p "$st"/{lists/partial,archives/partial,parts,prefs} || die "cannot create $st"
: >>"$st/status"
{
	echo "deb [signed-by=$keyring] $mirror $dist main"
	if [ "$dist" != unstable ]; then
		echo "deb [signed-by=$keyring] $mirror $dist-updates main"
		echo "deb [signed-by=$keyring] $security $dist-security main"
	fi
} >"$st/sources.list"
# Check-Valid-Until: a mirror that serves a frozen snapshot of unstable has an expired Release
# file; the signature is still checked (signed-by), only its age is not.
cat >"$st/apt.conf" <<EOF
Dir::State "$st";
Dir::State::lists "$st/lists";
Dir::State::status "$st/status";
Dir::Cache "$st";
Dir::Cache::archives "$st/archives";
Dir::Etc::SourceList "$st/sources.list";
Dir::Etc::SourceParts "$st/parts";
Dir::Etc::Parts "$st/parts";
Dir::Etc::Preferences "$st/prefs/none";
Dir::Etc::PreferencesParts "$st/prefs";
APT::Architecture "amd64";
APT::Architectures { "amd64"; };
APT::Sandbox::User "root";
Acquire::Languages "none";
Acquire::Check-Valid-Until "false";
EOF
export APT_CONFIG=$st/apt.conf
[ -r "$keyring" ] || die "$keyring missing (apt-get install debian-archive-keyring)"

stamp=$st/updated
if [ ! -e "$stamp" ] || [ "$refresh" = 0 ] ||
	[ -n "$(find "$stamp" -mmin +"$refresh" 2>/dev/null)" ]; then
	if apt-get -q update >"$st/update.log" 2>&1 && ! grep -q '^E:' "$st/update.log"; then
		touch "$stamp"
	else
		grep -E '^(E|W):' "$st/update.log" | head -n 3 >&2
		[ -e "$stamp" ] || offline "cannot read the $dist package lists from $mirror (see $st/update.log)"
		say "warning: cannot refresh the $dist package lists; using those of $(date -r "$stamp")"
	fi
fi

# --------------------------------------------------------------------- resolve
# the newest release of the series with a candidate version
release=
for r in $(apt-cache pkgnames "linux-image-$series" | sed -n 's/^linux-image-//p' | sort -rV); do
	in_series "$r" || continue
	version=$(apt-cache show --no-all-versions "linux-image-$r" 2>/dev/null |
		sed -n 's/^Version: //p' | head -n 1)
	if [ -n "$version" ]; then
		release=$r
		break
	fi
done
[ -n "$release" ] || offline "no linux-image-$series*-amd64 in $dist ($mirror)"
dir=$cache/$release
if [ -e "$dir/ok" ] && [ "$(cat "$dir/version" 2>/dev/null)" = "$version" ]; then
	echo "$dir"
	exit 0
fi

# ----------------------------------------------------------------------- fetch
# The packages: the image and the headers, and their dependencies that belong to this kernel
# (linux-modules-R, linux-headers-R-common, linux-kbuild-X, ...), not generic ones.
# deps PKG: its Depends, first alternatives, "name" or "name=version" for exact ones
deps()
{
	apt-cache show --no-all-versions "$1" | sed -n 's/^Depends: //p' | head -n 1 |
		tr ',' '\n' | sed 's/|.*//' |
		sed -nE 's/^ *(linux-(image|headers|kbuild|modules|binary|base)-[0-9][^ ]*)( \(= ([^)]*)\))?.*/\1 \4/p'
}
want=("linux-image-$release" "linux-headers-$release")
declare -A seen=()
pkgs=()
while [ ${#want[@]} -gt 0 ]; do
	p=${want[0]}
	want=("${want[@]:1}")
	[ -z "${seen[$p]:-}" ] || continue
	seen[$p]=1
	apt-cache show --no-all-versions "$p" >/dev/null 2>&1 ||
		die "$p is not in $dist ($mirror): the archive changed under us? retry"
	pkgs+=("$p")
	while read -r n _; do
		[ -n "$n" ] && want+=("$n")
	done < <(deps "$p")
done

say "fetching $release ($version) from $dist: ${pkgs[*]}"
tmp=$(mktemp -d "$cache/.$release.XXXX") || die "cannot create a directory in $cache"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/debs" "$tmp/root"
(cd "$tmp/debs" && apt-get -q download "${pkgs[@]}") >"$tmp/download.log" 2>&1 || {
	tail -n 5 "$tmp/download.log" >&2
	offline "apt-get download ${pkgs[*]} failed"
}
for f in "$tmp"/debs/*.deb; do
	dpkg-deb -x "$f" "$tmp/root" || die "dpkg-deb -x $f failed"
done
# Fold /lib, /bin, /sbin into /usr (bookworm's packages use /lib/modules), then a /lib link like
# the merged-/usr host's own, so that depmod -b and modinfo -b find lib/modules.
for d in lib bin sbin; do
	[ -d "$tmp/root/$d" ] && [ ! -L "$tmp/root/$d" ] || continue
	mkdir -p "$tmp/root/usr/$d"
	cp -a "$tmp/root/$d/." "$tmp/root/usr/$d/" && rm -rf "${tmp:?}/root/$d"
done
ln -sfn usr/lib "$tmp/root/lib"
mods=$tmp/root/usr/lib/modules/$release
[ -e "$tmp/root/boot/vmlinuz-$release" ] || [ -e "$mods/vmlinuz" ] ||
	die "no kernel image in ${pkgs[*]} (boot/vmlinuz-$release or usr/lib/modules/$release/vmlinuz)"
[ -d "$mods/kernel" ] || die "no modules in ${pkgs[*]} ($mods/kernel)"
depmod -b "$tmp/root" "$release" || die "depmod -b $tmp/root $release failed"

hdr=usr/src/linux-headers-$release
[ -f "$tmp/root/$hdr/Makefile" ] || die "no $hdr/Makefile in linux-headers-$release"
# The compiler the headers were made for (Debian's kbuild refuses another major version).
cc=$(sed -nE 's/^CC *=.*\)(gcc-[0-9]+)$/\1/p; s/^CC *= *(gcc-[0-9]+)$/\1/p' \
	"$tmp/root/$hdr/.kernelvariables" 2>/dev/null | head -n 1)
[ -n "$cc" ] || cc=gcc
if command -v "$cc" >/dev/null; then
	# Built on the host: the headers' Makefiles name /usr/src/... absolutely; point them here.
	sed -i "s|/usr/src/|$dir/root/usr/src/|g" "$tmp/root/$hdr/Makefile" ||
		die "cannot adjust $hdr/Makefile"
else
	command -v debootstrap >/dev/null ||
		die "the $release headers need $cc, which the host lacks; a $dist chroot has it," \
			"but debootstrap is missing (apt-get install debootstrap)"
	say "$release wants $cc: building a $dist chroot for its modules (debootstrap, a few minutes)"
	c=$tmp/chroot
	debootstrap --variant=minbase "$dist" "$c" "$mirror" >"$tmp/debootstrap.log" 2>&1 || {
		tail -n 5 "$tmp/debootstrap.log" >&2
		die "debootstrap --variant=minbase $dist failed (see above)"
	}
	echo 'Acquire::Check-Valid-Until "false";' >"$c/etc/apt/apt.conf.d/90napitune"
	cp /etc/resolv.conf "$c/etc/resolv.conf" 2>/dev/null
	mkdir -p "$c/var/tmp/debs"
	cp "$tmp"/debs/linux-headers-*.deb "$tmp"/debs/linux-kbuild-*.deb "$c/var/tmp/debs/" &&
		cp "$tmp"/debs/linux-base-*.deb "$c/var/tmp/debs/" 2>/dev/null
	inroot() { chroot "$c" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
		DEBIAN_FRONTEND=noninteractive LC_ALL=C "$@"; }
	hdebs=()
	for f in "$c"/var/tmp/debs/*.deb; do hdebs+=("/var/tmp/debs/${f##*/}"); done
	{ inroot apt-get -q update && inroot apt-get -q install -y --no-install-recommends \
		make "${hdebs[@]}"; } >"$tmp/chroot-install.log" 2>&1 || {
		tail -n 8 "$tmp/chroot-install.log" >&2
		die "installing make and the $release headers in the $dist chroot failed"
	}
	inroot apt-get clean
	rm -rf "$c/var/tmp/debs"
	inroot sh -c "command -v $cc || command -v x86_64-linux-gnu-$cc" >/dev/null ||
		die "the $dist chroot has no $cc after installing the headers"
	rm -rf "${tmp:?}/root/usr/src"
fi

echo "$version" >"$tmp/version"
rm -rf "$tmp/debs"
if [ -e "$dir" ]; then
	mv "$dir" "$cache/.old.$release.$$" && rm -rf "$cache/.old.$release.$$"
fi
mv "$tmp" "$dir" || die "cannot move the new $release into $dir"
trap - EXIT
touch "$dir/ok"
say "$release ready in $dir ($(du -sh "$dir" | cut -f1))"
echo "$dir"
