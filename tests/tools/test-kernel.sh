#!/usr/bin/env bash
# nt-pin-check: fixture (the fake kernel releases below are test data)
# tools/kernel.sh, the one place that chooses the test kernel, against fake /boot +
# /lib/modules trees: the newest complete image + headers pair wins, an incomplete newer
# version is skipped with a warning naming its missing package, no complete pair is an
# error naming every missing package, KVER= overrides and is checked, other series and
# flavours are ignored. Prints TAP.
set -u
here=$(cd "$(dirname "$0")" && pwd)
ks=$here/../../tools/kernel.sh
. "$here/../helpers/tap.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# tree NAME SPEC...: SPEC is i:KVER (image), h:KVER (headers), m:KVER (modules dir only)
tree()
{
	local t=$tmp/$1 s k
	shift
	mkdir -p "$t/boot" "$t/lib/modules"
	for s in "$@"; do
		k=${s#*:}
		case $s in
		i:*) : >"$t/boot/vmlinuz-$k"; mkdir -p "$t/lib/modules/$k/kernel" ;;
		h:*) mkdir -p "$t/usr/src/linux-headers-$k"
		     : >"$t/usr/src/linux-headers-$k/Makefile"
		     mkdir -p "$t/lib/modules/$k"
		     ln -sfn "$t/usr/src/linux-headers-$k" "$t/lib/modules/$k/build" ;;
		m:*) mkdir -p "$t/lib/modules/$k" ;;
		esac
	done
	echo "$t"
}
# kv ROOT [ENV...] -- ARGS: run kernel.sh on ROOT
kv() { local r=$1; shift; env NT_KERNEL_ROOT="$r" KVER= "$@" "$ks"; }

old=6.12.117+deb12-amd64
new=6.12.118+deb12-amd64
newer=6.12.119+deb12-amd64

t=$(tree both i:$old h:$old i:$new h:$new)
eq "two complete pairs side by side: the newest is chosen" "$(kv "$t")" $new
eq "--kdir is its build tree" "$(NT_KERNEL_ROOT=$t KVER= "$ks" --kdir)" \
	"$t/lib/modules/$new/build"

t=$(tree nohdr i:$old h:$old i:$newer h:$new i:$new)
out=$(kv "$t" 2>"$tmp/err"); rc=$?
eq "newest image without headers: the older complete pair is used" "$rc $out" "0 $new"
check "the warning names the missing headers package" 0 "linux-headers-$newer" cat "$tmp/err"

t=$(tree noimg h:$newer i:$new h:$new)
eq "headers without image: skipped" "$(kv "$t" 2>/dev/null)" $new
check "the warning names the missing image package" 0 "linux-image-$newer" kv "$t"

t=$(tree none i:$new h:$newer)
check "no complete pair: an error naming both missing packages" 1 \
	"linux-headers-$new" kv "$t"
check "... and the other one" 1 "linux-image-$newer" kv "$t"

t=$(tree empty)
check "nothing installed: says which packages to install" 1 "linux-image-6.12-amd64" kv "$t"

t=$(tree dangling i:$new h:$new)
rm -rf "$t/usr/src/linux-headers-$new"
check "a dangling build link (headers removed) is not complete" 1 "linux-headers-$new" kv "$t"

t=$(tree flavours i:$old h:$old i:6.12.120+deb12-cloud-amd64 h:6.12.120+deb12-cloud-amd64 \
	i:6.12.121+deb12-rt-amd64 h:6.12.121+deb12-rt-amd64 i:6.1.0-50-amd64 h:6.1.0-50-amd64 \
	i:7.2.13+deb14-amd64 h:7.2.13+deb14-amd64)
eq "cloud/rt flavours and other series are ignored" "$(kv "$t")" $old
eq "NT_KERNEL_SERIES=6.1 picks the 6.1 kernel" "$(kv "$t" NT_KERNEL_SERIES=6.1)" 6.1.0-50-amd64
eq "NT_KERNEL_SERIES=7 picks the 7.x kernel" "$(kv "$t" NT_KERNEL_SERIES=7)" 7.2.13+deb14-amd64

t=$(tree override i:$old h:$old i:$new h:$new)
eq "KVER= overrides the choice" "$(NT_KERNEL_ROOT=$t KVER=$old "$ks")" $old
check "an incomplete KVER= is an error naming the package" 1 "linux-image-$newer" \
	env NT_KERNEL_ROOT="$t" KVER=$newer "$ks"
t=$(tree sortv i:6.12.9+deb12-amd64 h:6.12.9+deb12-amd64 i:6.12.10+deb12-amd64 h:6.12.10+deb12-amd64)
eq "versions compare as versions (6.12.10 > 6.12.9)" "$(kv "$t")" 6.12.10+deb12-amd64

tap_summary
