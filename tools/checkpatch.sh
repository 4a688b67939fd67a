#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Run the kernel's checkpatch.pl --strict over driver sources.
#
# checkpatch.pl is not packaged as a script on Debian; it ships inside
# /usr/src/linux-source-6.12.tar.xz (package linux-source-6.12). The three
# files it needs are extracted once into a cache directory.
#
# Usage: tools/checkpatch.sh [FILE...]     (default: driver/*.c driver/*.h)
# Env:   NT_BUILD_CACHE  cache root (default /var/tmp/napitune-cache)
#        KHDR            kernel headers whose include/ seeds the CamelCase
#                        exceptions (default: the common headers of the kernel
#                        tools/kernel.sh chooses, /lib/modules/KVER/source)
#        KSRC_TARBALL    source tarball (default /usr/src/linux-source-6.12.tar.xz)
# Exit:  0 clean, 1 any error/warning/check, 2 setup problem.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tarball=${KSRC_TARBALL:-/usr/src/linux-source-6.12.tar.xz}
cache=${NT_BUILD_CACHE:-/var/tmp/napitune-cache}/checkpatch
script=$cache/scripts/checkpatch.pl

if [ ! -x "$script" ]; then
	if [ ! -r "$tarball" ]; then
		echo "checkpatch: $tarball missing (apt-get install linux-source-6.12)" >&2
		exit 2
	fi
	top=$(tar -tJf "$tarball" 2>/dev/null | head -n1 | cut -d/ -f1) || true
	if [ -z "$top" ]; then
		echo "checkpatch: cannot list $tarball" >&2
		exit 2
	fi
	tmp=$(mktemp -d "${cache%/*}.tmp.XXXXXX" 2>/dev/null || true)
	if [ -z "$tmp" ]; then
		mkdir -p "${cache%/*}"
		tmp=$(mktemp -d "${cache%/*}/.tmp.XXXXXX")
	fi
	trap 'rm -rf "$tmp"' EXIT
	tar -xJf "$tarball" -C "$tmp" --strip-components=1 \
		"$top/scripts/checkpatch.pl" "$top/scripts/spelling.txt" \
		"$top/scripts/const_structs.checkpatch"
	mkdir -p "${cache%/*}"
	rm -rf "$cache"
	mv "$tmp" "$cache"
	trap - EXIT
	chmod +x "$script"
fi

if [ $# -eq 0 ]; then
	set -- $(ls "$root"/driver/*.c "$root"/driver/*.h | grep -v "\.mod\.c$")
fi
files=()
for f in "$@"; do
	files+=("$(realpath -- "$f")")
done

# In a kernel tree checkpatch accepts the CamelCase identifiers the kernel's
# own headers define (struct ethtool_eth_mac_stats: FramesReceivedOK ...): it
# seeds them from $root/include. --root points at the installed headers for
# that; --no-tree keeps it from asking for a full tree. The seed cache file
# (.checkpatch-camelcase.*) is written to the working directory: run in $cache.
if [ -z "${KHDR:-}" ] && kver=$("$root/tools/kernel.sh"); then
	KHDR=$(readlink -f "/lib/modules/$kver/source")
fi
khdr=${KHDR:-}
rootopt=()
if [ -n "$khdr" ] && [ -d "$khdr/include" ]; then
	rootopt=(--root="$khdr")
fi

# --no-tree: the cache is not a kernel tree; spelling.txt and
# const_structs.checkpatch are found next to the script.
cd "$cache"
"$script" --strict --no-tree "${rootopt[@]}" --no-summary --terse --show-types -f "${files[@]}"
