#!/usr/bin/env bash
# nt-pin-check: fixture (the fake kernel releases below are test data)
# tools/kernel.sh, the one place that chooses the test kernel, against fake /boot +
# /lib/modules trees: the newest complete image + headers pair wins, an incomplete newer
# version is skipped with a warning naming its missing package, no complete pair is an
# error naming every missing package, KVER= overrides and is checked, other series and
# flavours are ignored. Fetched series (6.1, 7) come from the cache of tools/kernel-fetch.sh
# (a fake one here, offline): --env gives the image, VM layer, build tree and chroot. Prints TAP.
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
# split_env VAR=VALUE... [-- ARG...]: sets e (the assignments) and a (kernel.sh's arguments)
split_env()
{
	e=()
	while [ $# -gt 0 ] && [ "$1" != -- ]; do e+=("$1"); shift; done
	[ $# -eq 0 ] || shift
	a=("$@")
}
# kv ROOT [ENV...] [-- ARGS]: run kernel.sh on ROOT
# (series 9.9 unless ENV says otherwise; NT_KERNEL_FETCH=no: only a fake tree, never the mirror)
kv()
{
	local r=$1 e a
	shift
	split_env "$@"
	env NT_KERNEL_ROOT="$r" KVER= NT_KERNEL_SERIES=9.9 NT_KERNEL_FETCH=no "${e[@]}" "$ks" "${a[@]}"
}

# Synthetic releases of made-up series (9.9 stands for 6.12, 9.8 for 6.1, 9.7 for 7): no
# reader or pin checker can take them for real Debian kernels. The default series itself
# (6.12) is only named where nothing is installed.
old=9.9.1+deb12-amd64
new=9.9.2+deb12-amd64
newer=9.9.3+deb12-amd64

t=$(tree both i:$old h:$old i:$new h:$new)
eq "two complete pairs side by side: the newest is chosen" "$(kv "$t")" $new
eq "--kdir is its build tree" "$(NT_KERNEL_ROOT=$t KVER= NT_KERNEL_SERIES=9.9 NT_KERNEL_FETCH=no "$ks" --kdir)" \
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
check "nothing installed: says which packages to install" 1 "linux-image-9.9-amd64" kv "$t"
check "... of the default series, 6.12" 1 "linux-image-6.12-amd64" \
	env NT_KERNEL_ROOT="$t" KVER= NT_KERNEL_SERIES= NT_KERNEL_FETCH=no "$ks"

t=$(tree dangling i:$new h:$new)
rm -rf "$t/usr/src/linux-headers-$new"
check "a dangling build link (headers removed) is not complete" 1 "linux-headers-$new" kv "$t"

t=$(tree flavours i:$old h:$old i:9.9.4+deb12-cloud-amd64 h:9.9.4+deb12-cloud-amd64 \
	i:9.9.5+deb12-rt-amd64 h:9.9.5+deb12-rt-amd64 i:9.8.0-50-amd64 h:9.8.0-50-amd64 \
	i:9.7.2+deb14-amd64 h:9.7.2+deb14-amd64)
eq "cloud/rt flavours and other series are ignored" "$(kv "$t")" $old
eq "NT_KERNEL_FETCH=no NT_KERNEL_SERIES=9.8 picks the installed 9.8.0-N (6.1 style) kernel" \
	"$(kv "$t" NT_KERNEL_FETCH=no NT_KERNEL_SERIES=9.8)" 9.8.0-50-amd64
eq "NT_KERNEL_FETCH=no NT_KERNEL_SERIES=9.7 picks the installed 9.7.x (7.x style) kernel" \
	"$(kv "$t" NT_KERNEL_FETCH=no NT_KERNEL_SERIES=9.7)" 9.7.2+deb14-amd64
eq "--env of an installed kernel: /boot image, no layer, built on the host" \
	"$(kv "$t" -- --env | tr '\n' ' ')" \
	"KVER=$old NT_KIMAGE=$t/boot/vmlinuz-$old NT_KLAYER='' NT_KDIR=$t/lib/modules/$old/build NT_KCHROOT='' "

t=$(tree override i:$old h:$old i:$new h:$new)
eq "KVER= overrides the choice" "$(NT_KERNEL_ROOT=$t KVER=$old NT_KERNEL_SERIES=9.9 "$ks")" $old
check "an incomplete KVER= is an error naming the package" 1 "linux-image-$newer" \
	env NT_KERNEL_ROOT="$t" KVER=$newer "$ks"
t=$(tree sortv i:9.9.9+deb12-amd64 h:9.9.9+deb12-amd64 i:9.9.10+deb12-amd64 h:9.9.10+deb12-amd64)
eq "versions compare as versions (9.9.10 > 9.9.9)" "$(kv "$t")" 9.9.10+deb12-amd64

# Fetched series (tools/kernel-fetch.sh), from a fake cache without network (NT_KERNEL_OFFLINE):
# the series are the real 6.1 and 7 (kernel-fetch.sh knows only those), their point releases
# (6.1.0-90N, 7.9N.1) synthetic.
# cache RELEASE[:chroot]...: complete entries; 6.1 style has boot/, 7.x style the image in
# usr/lib/modules/RELEASE
cache()
{
	local c=$tmp/cache-$1 s k
	shift
	for s in "$@"; do
		k=${s%%:*}
		mkdir -p "$c/$k/root/usr/lib/modules/$k"
		case $k in
		6.1.*) mkdir -p "$c/$k/root/boot" && : >"$c/$k/root/boot/vmlinuz-$k" ;;
		*) : >"$c/$k/root/usr/lib/modules/$k/vmlinuz" ;;
		esac
		[ "$s" = "$k" ] || mkdir -p "$c/$k/chroot"
		echo 1 >"$c/$k/version"
		: >"$c/$k/ok"
	done
	mkdir -p "$c/7.93.1+deb14-amd64" # incomplete (no ok): never chosen
	echo "$c"
}
# kf CACHE [ENV...] [-- ARGS]: kernel.sh on an empty host tree with that cache, offline
empty=$(tree nothing)
kf()
{
	local c=$1 e a
	shift
	split_env "$@"
	env NT_KERNEL_ROOT="$empty" NT_KERNEL_CACHE="$c" NT_KERNEL_OFFLINE=1 KVER= "${e[@]}" "$ks" "${a[@]}"
}

c=$(cache a 6.1.0-901-amd64 6.1.0-902-amd64 7.91.1+deb14-amd64:chroot 7.92.1+deb14-amd64:chroot)
eq "series 6.1 comes from the cache: the newest complete release" \
	"$(kf "$c" NT_KERNEL_SERIES=6.1 2>/dev/null)" 6.1.0-902-amd64
eq "series 7: the newest complete 7.x (an incomplete newer entry is ignored)" \
	"$(kf "$c" NT_KERNEL_SERIES=7 2>/dev/null)" 7.92.1+deb14-amd64
check "offline use of the cache says so" 0 "using the cached 6.1.0-902-amd64" kf "$c" NT_KERNEL_SERIES=6.1
r=$c/6.1.0-902-amd64
eq "--env of a fetched 6.1: image in boot/, the tree is a VM layer, headers built on the host" \
	"$(kf "$c" NT_KERNEL_SERIES=6.1 -- --env 2>/dev/null | tr '\n' ' ')" \
	"KVER=6.1.0-902-amd64 NT_KIMAGE=$r/root/boot/vmlinuz-6.1.0-902-amd64 NT_KLAYER=$r/root NT_KDIR=$r/root/usr/src/linux-headers-6.1.0-902-amd64 NT_KCHROOT='' "
r=$c/7.92.1+deb14-amd64
eq "--env of a fetched 7.x: image in its modules dir, headers inside its chroot" \
	"$(kf "$c" NT_KERNEL_SERIES=7 -- --env 2>/dev/null | tr '\n' ' ')" \
	"KVER=7.92.1+deb14-amd64 NT_KIMAGE=$r/root/usr/lib/modules/7.92.1+deb14-amd64/vmlinuz NT_KLAYER=$r/root NT_KDIR=/usr/src/linux-headers-7.92.1+deb14-amd64 NT_KCHROOT=$r/chroot "
check "--kdir of a chroot-built kernel points to --make" 1 "tools/kernel.sh --make" \
	kf "$c" NT_KERNEL_SERIES=7 -- --kdir
eq "KVER= of a fetched release uses the cache" \
	"$(env NT_KERNEL_ROOT="$empty" NT_KERNEL_CACHE="$c" KVER=7.91.1+deb14-amd64 "$ks" --env | head -n 1)" \
	"KVER=7.91.1+deb14-amd64"
check "KVER= neither installed nor fetched: an error naming the packages" 1 \
	"linux-image-7.90.1+deb14-amd64" env NT_KERNEL_ROOT="$empty" NT_KERNEL_CACHE="$c" KVER=7.90.1+deb14-amd64 "$ks"
check "offline with nothing cached: an error naming the series" 1 "no 7 kernel is cached" \
	kf "$(cache b 6.1.0-902-amd64)" NT_KERNEL_SERIES=7
check "a series without a fetch source is an error naming the known ones" 1 "known: 6.1, 7" \
	kf "$c" NT_KERNEL_SERIES=5.10

tap_summary
