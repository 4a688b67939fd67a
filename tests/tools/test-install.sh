#!/usr/bin/env bash
# `meson install --destdir` into a temporary tree: every file lands where the build says
# (and, with the default prefix /usr, where the FHS and the issue say), napictl from the
# build searches exactly the directories the profiles are installed to and resolves a
# shipped profile by name in that tree, and the unit starts the installed daemon. No root.
#   test-install.sh BUILD_DIR NAPICTL PREFIX SBINDIR SYSCONFDIR DATADIR MANDIR UNITDIR
#                   COMPLETIONSDIR CATALOGDIR       (directories absolute, as meson has them)
# Prints TAP.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../helpers/tap.sh"
[ $# -eq 10 ] || {
	echo "usage: test-install.sh BUILD NAPICTL PREFIX SBINDIR SYSCONFDIR DATADIR MANDIR UNITDIR COMPLETIONSDIR CATALOGDIR" >&2
	exit 2
}
build=$1 napictl=$2 prefix=$3 sbindir=$4 sysconfdir=$5 datadir=$6 mandir=$7 unitdir=$8
compdir=$9 catalogdir=${10}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dest=$tmp/dest

if out=$(meson install -C "$build" --no-rebuild --destdir "$dest" 2>&1); then
	ok "meson install --destdir"
else
	bad "meson install --destdir: ${out:0:1200}"
	tap_summary "install: "
	exit 1
fi

profiles=(balanced high-throughput low-latency threaded-napi)
expect=(
	"$sbindir/napictl" "$sbindir/napitune"
	"$sysconfdir/napitune/napitune.yaml"
	"$unitdir/napitune.service"
	"$catalogdir/napitune.catalog"
	"$mandir/man8/napictl.8" "$mandir/man8/napitune.8"
	"$mandir/man5/napitune.yaml.5" "$mandir/man5/napitune-profile.5"
	"$compdir/napictl"
)
for p in "${profiles[@]}"; do
	expect+=("$datadir/napitune/profiles/$p.yaml")
done
expect+=("$datadir/napitune/prometheus/napitune-alerts.yml")
for f in "${expect[@]}"; do
	if [ -f "$dest$f" ]; then ok "installed $f"; else bad "missing $f"; fi
done
for f in "$sbindir/napictl" "$sbindir/napitune"; do
	if [ -x "$dest$f" ]; then ok "$f is executable"; else bad "$f is not executable"; fi
done

# Nothing else: every installed file is one of the above (a new file means a new line here).
mapfile -t extra < <(cd "$dest" && find . -type f | sed 's|^\.||' | sort |
	grep -vxF -f <(printf '%s\n' "${expect[@]}"))
eq "no unexpected files installed" "${extra[*]}" ""

# The FHS layout a package has, when the build has the default prefix.
if [ "$prefix" = /usr ]; then
	for f in /usr/sbin/napictl /usr/sbin/napitune /etc/napitune/napitune.yaml \
		/usr/share/napitune/profiles/high-throughput.yaml \
		/usr/share/napitune/prometheus/napitune-alerts.yml \
		/usr/lib/systemd/catalog/napitune.catalog /usr/share/man/man8/napictl.8 \
		/usr/share/man/man5/napitune-profile.5; do
		if [ -f "$dest$f" ]; then ok "FHS: $f"; else bad "FHS: missing $f"; fi
	done
	case $unitdir in
	/lib/systemd/system | /usr/lib/systemd/system) ok "unit dir $unitdir" ;;
	*) bad "unit dir $unitdir is not systemd's" ;;
	esac
	case $compdir in
	/usr/share/bash-completion/completions) ok "completion dir $compdir" ;;
	*) bad "completion dir $compdir" ;;
	esac
fi

# napictl looks for profiles where they are installed: the directories its own error
# message names are the two the install used.
root=$tmp/root
mkdir -p "$root/sys/devices/system/cpu" "$root/proc/sys/kernel" "$root/sys/class/net"
printf 0-1 >"$root/sys/devices/system/cpu/possible"
printf 0-1 >"$root/sys/devices/system/cpu/online"
printf 6.12.0 >"$root/proc/sys/kernel/osrelease"
out=$(env -u NAPITUNE_PROFILE_PATH "$napictl" --root="$root" check no-such-profile 2>&1)
eq "napictl searches the installed profile dirs" \
	"$(sed -n 's/.*(searched \(.*\))$/\1/p' <<<"$out")" \
	"$sysconfdir/napitune/profiles, $datadir/napitune/profiles"

# ... and finds a shipped profile by name there (with and without .yaml).
path=$dest$sysconfdir/napitune/profiles:$dest$datadir/napitune/profiles
for name in high-throughput high-throughput.yaml balanced; do
	check "napictl check $name in the installed tree" 0 "is valid" \
		env NAPITUNE_PROFILE_PATH="$path" "$napictl" --root="$root" check "$name"
done

# The unit starts the installed daemon; the default config names a shipped profile.
exec_start=$(sed -n 's/^ExecStart=//p' "$dest$unitdir/napitune.service")
eq "unit ExecStart" "$exec_start" "$sbindir/napitune"
prof=$(sed -n 's/^profile: *//p' "$dest$sysconfdir/napitune/napitune.yaml")
if [ -f "$dest$datadir/napitune/profiles/$prof.yaml" ]; then
	ok "default config's profile '$prof' is shipped"
else
	bad "default config names profile '$prof', not installed"
fi

tap_summary "install: "
