#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The one place that chooses the kernel the driver is built against and the VM boots.
#
#   tools/kernel.sh            prints the kernel release (KVER), e.g. 6.12.N+deb12-amd64
#   tools/kernel.sh --kdir     prints its kbuild tree, /lib/modules/KVER/build
#   tools/kernel.sh --check    says what it chose and why, or what to install
#
# The choice: the newest installed Debian kernel of the series (default 6.12, generic
# amd64 flavour) that has both its image (/boot/vmlinuz-KVER, package linux-image-KVER)
# and its build tree (/lib/modules/KVER/build, package linux-headers-KVER). Nothing in the
# repository names a point release: Debian moves them every few weeks.
#
# If the newest version lacks one part (an upgrade installed only the image, say), the
# newest older complete pair is used and a warning names the missing package. With no
# complete pair the error names every missing package. Exit status 1 then.
#
# Environment:
#   KVER=              use this release instead of choosing (it must be complete too)
#   NT_KERNEL_SERIES=  6.12 (default), or another series such as 6.1
#   NT_KERNEL_ROOT=    prefix for /boot and /lib/modules (tests use a fake tree)
set -uo pipefail

series=${NT_KERNEL_SERIES:-6.12}
r=${NT_KERNEL_ROOT:-}
mode=kver
case "${1:-}" in
'') ;;
--kdir) mode=kdir ;;
--check) mode=check ;;
-h | --help)
	sed -n '4,22p' "$0" | sed 's/^# \{0,1\}//'
	exit 0
	;;
*)
	echo "kernel.sh: unknown option '$1' (--kdir, --check)" >&2
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

# Debian releases of the series in its generic amd64 flavour: 6.12.N+debX-amd64 or
# 6.1.0-N-amd64 (not -cloud-amd64, -rt-amd64).
in_series()
{
	case "$1" in
	"$series".*-amd64 | "$series"-*-amd64) ;;
	*) return 1 ;;
	esac
	case "$1" in
	*-cloud-amd64 | *-rt-amd64 | *-dbg*) return 1 ;;
	esac
}

if [ -n "${KVER:-}" ]; then
	m=$(missing "$KVER")
	if [ -n "$m" ]; then
		say "KVER=$KVER is incomplete: install $m (apt-get install $m)"
		exit 1
	fi
	kver=$KVER
	why="KVER=$KVER from the environment"
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
	why="newest complete $series kernel"
	if [ ${#skipped[@]} -gt 0 ]; then
		for s in "${skipped[@]}"; do say "warning: newer $s is incomplete, not used"; done
		why+=" (newer ones are incomplete)"
	fi
fi

case $mode in
kver) echo "$kver" ;;
kdir) echo "$r/lib/modules/$kver/build" ;;
check)
	echo "kernel: $kver: $why"
	echo "  image $r/boot/vmlinuz-$kver"
	echo "  build $r/lib/modules/$kver/build -> $(readlink -f "$r/lib/modules/$kver/build")"
	;;
esac
