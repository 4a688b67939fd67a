#!/usr/bin/env bash
# nt-pin-check: fixture (this file holds the patterns it looks for)
#
# Nothing in the repository may pin a Debian package version: point releases move the
# kernel packages every few weeks (6.12.117 became 6.12.118 and broke every fresh
# machine), so versions are resolved at run time (tools/kernel.sh). Fails on any tracked
# file outside docs (*.md, docs/) and test data (tests/data/, tests/fuzz/corpus/, files
# marked "nt-pin-check: fixture") that names:
#   - a Debian kernel release: 6.12.117+deb12-amd64, 6.1.0-50-amd64, /lib/modules/6.12.1...;
#   - a Debian package version: 6.12.118-1~deb12u1, 252.38-1~deb12u1, 2.9.14+dfsg-1.3;
#   - a pinned install: apt-get install foo=1.2, or a linux-image-/linux-headers- package
#     with a version in its name.
# Prints TAP.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$here/../helpers/tap.sh"
cd "$top" || exit 1

patterns=(
	'[0-9]+\.[0-9]+(\.[0-9]+)?(\+deb[0-9]+|-[0-9]+)-(amd64|arm64|cloud-amd64|rt-amd64)'
	'[0-9][0-9.+a-z]*-[0-9][0-9.]*~(deb|bpo)[0-9]+(u[0-9]+)?'
	'apt(-get)? +install [^#]*[a-z0-9]=[0-9]'
	'linux-(image|headers|source|kbuild)-[0-9]+\.[0-9]+\.[0-9]'
)

if git rev-parse --git-dir >/dev/null 2>&1; then
	mapfile -t files < <(git ls-files)
else
	mapfile -t files < <(find . -type f -not -path './build*' -not -path './.git/*' | sed 's|^\./||')
fi
scanned=0
for f in "${files[@]}"; do
	case $f in
	*.md | docs/* | tests/data/* | tests/fuzz/corpus/* | *.png | *.gz | *.xz) continue ;;
	esac
	[ -f "$f" ] || continue
	grep -Iq . "$f" 2>/dev/null || continue # binary or empty
	head -n 5 "$f" | grep -q 'nt-pin-check: fixture' && continue
	scanned=$((scanned + 1))
	for p in "${patterns[@]}"; do
		hits=$(grep -nE -- "$p" "$f" | head -n 3)
		if [ -n "$hits" ]; then
			bad "$f pins a version: $(tr '\n' ' ' <<<"$hits")"
		fi
	done
done
[ "$scanned" -gt 50 ] && ok "scanned $scanned files for pinned versions" ||
	bad "only $scanned files scanned: the file list is wrong"

# the patterns themselves catch what they are meant to (a check that cannot fail is no check)
for s in 'KDIR ?= /lib/modules/6.12.117+deb12-amd64/build' 'linux-image-6.1.0-50-amd64' \
	'apt-get install -y linux-headers-6.12-amd64=6.12.118-1~deb12u1' \
	'libsystemd0 252.38-1~deb12u1' 'apt-get install qemu-system-x86=1:7.2+dfsg-7'; do
	hit=0
	for p in "${patterns[@]}"; do grep -qE -- "$p" <<<"$s" && hit=1; done
	eq "pattern catches: $s" $hit 1
done
for s in 'linux-image-6.12-amd64 linux-headers-6.12-amd64' 'clang-14 llvm-14' \
	'KVER=$(tools/kernel.sh)' 'linux-source-6.12.tar.xz' 'python3.11'; do
	hit=0
	for p in "${patterns[@]}"; do grep -qE -- "$p" <<<"$s" && hit=1; done
	eq "pattern spares: $s" $hit 0
done
tap_summary
