#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The one place that chooses the kernel the driver is built against and the VM boots.
#
#   tools/kernel.sh              prints the kernel release (KVER), e.g. 6.12.N+deb12-amd64
#   tools/kernel.sh --kdir       prints its kbuild tree (/lib/modules/KVER/build when installed)
#   tools/kernel.sh --check      says what it chose and why, or what to install
#   tools/kernel.sh --env        all of it as shell assignments, for eval: KVER, NT_KIMAGE (the
#                                image to boot), NT_KLAYER (a directory vm-run.sh stacks over the
#                                host root so the guest has /lib/modules/KVER; empty when
#                                installed), NT_KDIR, NT_KCHROOT (where modules are built; empty:
#                                on the host)
#   tools/kernel.sh --make DIR [ARG...]   builds the out-of-tree module in DIR (its Makefile,
#                                Kbuild, *.c, *.h) for that kernel: make -C DIR KDIR=... on the
#                                host, or inside NT_KCHROOT with the .ko copied back into DIR
#
# Series (NT_KERNEL_SERIES):
#   6.12 (default)  installed on the host (tools/install-deps.sh): the newest Debian 6.12 kernel,
#                   generic amd64 flavour, that has both its image (/boot/vmlinuz-KVER, package
#                   linux-image-KVER) and its build tree (/lib/modules/KVER/build, package
#                   linux-headers-KVER). If the newest lacks one part (an upgrade installed only
#                   the image, say), the newest older complete pair is used and a warning names
#                   the missing package. With no complete pair the error names every missing
#                   package. Exit status 1 then.
#   6.1, 7          never installed on the host: tools/kernel-fetch.sh resolves the series'
#                   newest release on the Debian mirror (bookworm's 6.1.0-N, unstable's 7.x),
#                   downloads and unpacks it into a cache (/var/tmp/napitune-kernels/RELEASE)
#                   and, when its headers need a compiler the host lacks, a chroot to build in.
# Nothing in the repository names a point release: Debian moves them every few weeks.
#
# Environment:
#   KVER=              use this release instead of choosing: installed (it must be complete),
#                      or already fetched into the cache
#   NT_KERNEL_SERIES=  6.12 (default), 6.1 or 7
#   NT_KERNEL_FETCH=no choose among installed kernels for every series (no download)
#   NT_KERNEL_ROOT=    prefix for /boot and /lib/modules (tests use a fake tree)
#   NT_KERNEL_CACHE=   cache of fetched kernels (tools/kernel-fetch.sh has the other settings)
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
series=${NT_KERNEL_SERIES:-6.12}
r=${NT_KERNEL_ROOT:-}
cache=${NT_KERNEL_CACHE:-/var/tmp/napitune-kernels}
mode=kver
case "${1:-}" in
'') ;;
--kdir) mode=kdir ;;
--check) mode=check ;;
--env) mode=env ;;
--make)
	mode=make
	[ $# -ge 2 ] || { echo "kernel.sh: --make DIR [ARG...]" >&2; exit 2; }
	mdir=$2
	shift 2
	;;
-h | --help)
	sed -n '4,38p' "$0" | sed 's/^# \{0,1\}//'
	exit 0
	;;
*)
	echo "kernel.sh: unknown option '$1' (--kdir, --check, --env, --make)" >&2
	exit 2
	;;
esac

say() { echo "kernel.sh: $*" >&2; }

has_image() { [ -e "$r/boot/vmlinuz-$1" ]; }
has_build() { [ -e "$r/lib/modules/$1/build/Makefile" ]; }

# missing KVER: the packages KVER lacks, space-separated
missing()
{
	local m=()
	has_image "$1" || m+=("linux-image-$1")
	has_build "$1" || m+=("linux-headers-$1")
	echo "${m[*]}"
}

# shellcheck source=tools/kernel-series.sh
. "$(dirname "${BASH_SOURCE[0]}")/kernel-series.sh" # in_series

# A fetched kernel (tools/kernel-fetch.sh): its cache entry is $fdir.
fdir=
if [ -n "${KVER:-}" ]; then
	m=$(missing "$KVER")
	if [ -z "$m" ]; then
		why="KVER=$KVER from the environment"
	elif [ -e "$cache/$KVER/ok" ]; then
		fdir=$cache/$KVER
		why="KVER=$KVER from the environment, fetched earlier"
	else
		say "KVER=$KVER is incomplete: install $m (apt-get install $m)," \
			"or fetch it: NT_KERNEL_SERIES=<series> $0"
		exit 1
	fi
	kver=$KVER
elif [ "$series" != 6.12 ] && [ "${NT_KERNEL_FETCH:-}" != no ]; then
	fdir=$("$here/kernel-fetch.sh" "$series") || exit 1
	kver=${fdir##*/}
	why="newest $series kernel on the Debian mirror ($(cat "$fdir/version")), fetched into $fdir"
else
	cands=$(
		{
			for f in "$r"/boot/vmlinuz-*; do [ -e "$f" ] && echo "${f##*/vmlinuz-}"; done
			for d in "$r"/lib/modules/*/; do [ -d "$d" ] && basename "$d"; done
		} | sort -uV
	)
	kver=
	skipped=()
	for k in $(tac <<<"$cands"); do
		in_series "$k" || continue
		m=$(missing "$k")
		if [ -z "$m" ]; then
			kver=$k
			break
		fi
		skipped+=("$k (install $m)")
	done
	if [ -z "$kver" ]; then
		if [ ${#skipped[@]} -eq 0 ]; then
			say "no Debian $series kernel installed: apt-get install" \
				"linux-image-$series-amd64 linux-headers-$series-amd64" \
				"(tools/install-deps.sh does this)"
		else
			say "no $series kernel has both its image and its headers:"
			for s in "${skipped[@]}"; do say "  $s"; done
		fi
		exit 1
	fi
	why="newest complete installed $series kernel"
	if [ ${#skipped[@]} -gt 0 ]; then
		for s in "${skipped[@]}"; do say "warning: newer $s is incomplete, not used"; done
		why+=" (newer ones are incomplete)"
	fi
fi

if [ -z "$fdir" ]; then
	image=$r/boot/vmlinuz-$kver
	layer=
	kdir=$r/lib/modules/$kver/build
	kchroot=
else
	image=$fdir/root/boot/vmlinuz-$kver
	[ -e "$image" ] || image=$fdir/root/usr/lib/modules/$kver/vmlinuz
	layer=$fdir/root
	kdir=$fdir/root/usr/src/linux-headers-$kver
	kchroot=
	if [ -d "$fdir/chroot" ]; then
		kchroot=$fdir/chroot
		kdir=/usr/src/linux-headers-$kver # inside the chroot
	fi
fi

case $mode in
kver) echo "$kver" ;;
kdir)
	if [ -n "$kchroot" ]; then
		say "$kver's modules build inside $kchroot (its headers need that" \
			"distribution's compiler): tools/kernel.sh --make DIR"
		exit 1
	fi
	echo "$kdir"
	;;
env)
	printf 'KVER=%q\nNT_KIMAGE=%q\nNT_KLAYER=%q\nNT_KDIR=%q\nNT_KCHROOT=%q\n' \
		"$kver" "$image" "$layer" "$kdir" "$kchroot"
	;;
check)
	echo "kernel: $kver: $why"
	echo "  image $image"
	if [ -n "$kchroot" ]; then
		echo "  build $kdir inside the chroot $kchroot"
	else
		echo "  build $kdir -> $(readlink -f "$kdir")"
	fi
	[ -z "$layer" ] || echo "  modules $layer/usr/lib/modules/$kver (a VM layer)"
	;;
make)
	[ -f "$mdir/Makefile" ] || { say "--make: no $mdir/Makefile"; exit 2; }
	if [ -z "$kchroot" ]; then
		exec make -C "$mdir" KDIR="$kdir" "$@"
	fi
	# A private copy of the sources inside the chroot; the modules come back into DIR.
	b=$(mktemp -d "$kchroot/var/tmp/nt-build.XXXXXX") || exit 1
	trap 'rm -rf "$b"' EXIT
	cp "$mdir"/Makefile "$b"/ &&
		for f in "$mdir"/Kbuild "$mdir"/*.c "$mdir"/*.h; do
			[ ! -e "$f" ] || cp "$f" "$b"/ || exit 1
		done || exit 1
	# objtool reads /proc: a private mount namespace gives the chroot one that goes away
	# with it.
	unshare --mount --propagation private -- /bin/sh -c \
		'mount -t proc proc "$0/proc" && exec chroot "$0" "$@"' "$kchroot" \
		/usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C \
		make -C "/var/tmp/${b##*/}" KDIR="$kdir" "$@" || exit
	for f in "$b"/*.ko; do
		[ ! -e "$f" ] || cp "$f" "$mdir"/ || exit 1
	done
	;;
esac
