#!/usr/bin/env bash
# The packages suite (tools/check.sh packages). Builds the .debs (dpkg-buildpackage -b, from a
# copy of the source tree) and checks them: lintian with no error or warning, the file lists,
# conffiles, dependencies and maintainer scripts, the payload extracted, DKMS building the
# driver source from the package with dkms's own build against the test kernel. Builds the
# rpms (rpmbuild, packaging/rpm/napitune.spec), rpmlint, their file lists and scriptlets,
# installs them into a scratch root (rpm -i --root). Then, in a VM with systemd as PID 1
# (tests/vm, the host root under a tmpfs overlay), installs the .debs with dpkg, lets DKMS
# build napiref for the VM's kernel, uses the package and purges it (guest.sh).
# Needs root, QEMU and the packages tools/install-deps.sh installs.
# Env: OUT (results; default a new /var/tmp/napitune-packages.XXXX), NT_PACKAGES_VM=0 skips
# the VM part (reported as a failure: the suite is incomplete without it).
# Prints TAP and "N passed, N failed".
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$top/tests/helpers/tap.sh"
out=${OUT:-$(mktemp -d "${TMPDIR:-/var/tmp}/napitune-packages.XXXX")}
start=$SECONDS
finish() {
	echo "# packages: wall $((SECONDS - start)) s (results in $out)"
	tap_summary
	exit
}
step() { echo "# $((SECONDS - start)) s: $*"; }
# same NAME GOT_FILE WANT_FILE: two sorted lists are equal
same() {
	local d
	if d=$(diff "$3" "$2"); then ok "$1"; else bad "$1 (- expected, + got): $(tr '\n' ' ' <<<"$d")"; fi
}

if [ "$(id -u)" -ne 0 ]; then
	bad "needs root (the VM, rpm --root)"
	finish
fi
for t in dpkg-buildpackage dh dh_dkms lintian rpmbuild rpmlint dkms jq; do
	command -v "$t" >/dev/null || bad "$t is missing (tools/install-deps.sh installs it)"
done
[ "$fails" -eq 0 ] || finish

# ---------------------------------------------------------------- one version
ver=$(meson introspect "$top/meson.build" --projectinfo 2>/dev/null | jq -r .version)
debver=$(dpkg-parsechangelog -l "$top/debian/changelog" -S Version)
rpmver=$(sed -n 's/^Version:[[:space:]]*//p' "$top/packaging/rpm/napitune.spec")
eq "debian/changelog's version is meson.build's ($ver)" "$debver" "$ver"
eq "the rpm spec's version is meson.build's ($ver)" "$rpmver" "$ver"
for f in "$top"/debian/*.lintian-overrides; do
	[ -e "$f" ] || continue
	# every override is preceded by a comment that gives its reason
	check "$(basename "$f"): every override has a written reason" 0 "" \
		awk '/^#/ {c = 1; next} /^[[:space:]]*$/ {next} !c {print FILENAME ": " $0; e = 1} {c = 0} END {exit e}' "$f"
done

# The source tree as committed plus uncommitted changes, without build trees.
src=$out/deb/napitune-$ver
rm -rf "$out/deb" "$out/rpm" && mkdir -p "$src" "$out/rpm/SOURCES"
if git -C "$top" rev-parse --git-dir >/dev/null 2>&1; then
	git -C "$top" ls-files -co --exclude-standard -z
else
	(cd "$top" && find . -path ./.git -prune -o -path './build*' -prune -o -type f -printf '%P\0')
fi | grep -zv '^build' | tar -C "$top" --null -T - -cf - | tar -C "$src" -xf -

# the rpm's Source0, before dpkg-buildpackage adds its files to the tree
tar -C "$out/deb" -czf "$out/rpm/SOURCES/napitune-$ver.tar.gz" "napitune-$ver"

# ---------------------------------------------------------------- .deb
step "dpkg-buildpackage -b -us -uc"
if (cd "$src" && DEB_BUILD_OPTIONS="parallel=$(nproc)" dpkg-buildpackage -b -us -uc) >"$out/deb-build.log" 2>&1; then
	ok "dpkg-buildpackage -b -us -uc"
else
	bad "dpkg-buildpackage failed: $(tail -n 15 "$out/deb-build.log")"
	finish
fi
deb=$out/deb/napitune_${ver}_amd64.deb
dkmsdeb=$out/deb/napiref-dkms_${ver}_all.deb
changes=$out/deb/napitune_${ver}_amd64.changes
built=1
for f in "$deb" "$dkmsdeb" "$changes"; do
	if [ -f "$f" ]; then ok "built $(basename "$f")"; else bad "missing $f"; built=0; fi
done
[ "$built" = 1 ] || finish

step "lintian"
lintian --fail-on error,warning --info "$changes" >"$out/lintian.log" 2>&1
rc=$?
sed 's/^/#   lintian: /' "$out/lintian.log"
ew=$(grep -cE '^[EW]: ' "$out/lintian.log")
check "lintian: no error, no warning ($ew E/W lines)" 0 "" test "$rc" -eq 0 -a "$ew" -eq 0

# file lists: exactly these files (directories aside)
files() { dpkg-deb -c "$1" | awk '$1 !~ /^d/ {sub(/^\./, "", $6); print $6}' | sort; }
cat >"$out/napitune.want" <<LIST
/etc/napitune/napitune.yaml
/lib/systemd/system/napitune.service
/usr/lib/systemd/catalog/napitune.catalog
/usr/sbin/napictl
/usr/sbin/napitune
/usr/share/bash-completion/completions/napictl
/usr/share/doc/napitune/changelog.gz
/usr/share/doc/napitune/copyright
/usr/share/man/man5/napitune-profile.5.gz
/usr/share/man/man5/napitune.yaml.5.gz
/usr/share/man/man8/napictl.8.gz
/usr/share/man/man8/napitune.8.gz
/usr/share/napitune/profiles/balanced.yaml
/usr/share/napitune/profiles/high-throughput.yaml
/usr/share/napitune/profiles/low-latency.yaml
/usr/share/napitune/profiles/threaded-napi.yaml
/usr/share/napitune/prometheus/napitune-alerts.yml
LIST
{
	echo "/usr/share/doc/napiref-dkms/changelog.gz"
	echo "/usr/share/doc/napiref-dkms/copyright"
	# the driver's sources as the repository has them (a tree where someone ran make also
	# holds napiref.mod.c and other build output, which the package never sees)
	git -C "$top" ls-files -co --exclude-standard -- driver/Kbuild 'driver/*.[ch]' driver/dkms.conf |
		while read -r f; do echo "/usr/src/napiref-$ver/$(basename "$f")"; done
} | sort >"$out/napiref-dkms.want"
sort -o "$out/napitune.want" "$out/napitune.want"
files "$deb" >"$out/napitune.got"
files "$dkmsdeb" >"$out/napiref-dkms.got"
same "napitune.deb holds exactly the programs, unit, config, catalog, profiles, man pages, completion" \
	"$out/napitune.got" "$out/napitune.want"
same "napiref-dkms.deb holds exactly the driver's source and dkms.conf" \
	"$out/napiref-dkms.got" "$out/napiref-dkms.want"
field() { dpkg-deb -f "$1" "$2"; }
eq "napitune: the configuration is a conffile" "$(dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles)" \
	/etc/napitune/napitune.yaml
check "napitune: Depends names the shared libraries (shlibs)" 0 "libnl-route-3-200" field "$deb" Depends
check "napiref-dkms: Depends on dkms" 0 "dkms" field "$dkmsdeb" Depends
check "napitune does not depend on dkms" 1 "" grep -q dkms <<<"$(field "$deb" Depends)"
eq "napiref-dkms: Architecture all" "$(field "$dkmsdeb" Architecture)" all
ctl=$out/deb/ctl
rm -rf "$ctl" && mkdir -p "$ctl/napitune" "$ctl/dkms"
dpkg-deb -e "$deb" "$ctl/napitune" && dpkg-deb -e "$dkmsdeb" "$ctl/dkms"
check "napitune.postinst does not start the unit" 1 "" \
	grep -qE 'deb-systemd-invoke (start|restart) ' "$ctl/napitune/postinst"
check "napitune.postinst restarts a running daemon on upgrade" 0 "" \
	grep -q 'deb-systemd-invoke try-restart napitune.service' "$ctl/napitune/postinst"
check "napitune.prerm stops the daemon on removal" 0 "" \
	grep -q 'deb-systemd-invoke stop napitune.service' "$ctl/napitune/prerm"
check "napitune.postrm purges the unit's enablement state" 0 "" \
	grep -q "deb-systemd-helper purge 'napitune.service'" "$ctl/napitune/postrm"
check "napiref-dkms.postinst adds and builds through DKMS" 0 "" \
	grep -q '/usr/lib/dkms/common.postinst' "$ctl/dkms/postinst"
check "napiref-dkms.prerm removes every DKMS build" 0 "" \
	grep -q 'dkms remove -m $DKMS_NAME -v $DKMS_VERSION --all' "$ctl/dkms/prerm"

# the payload: extracted, the programs run and find their own files there
root=$out/deb/root
rm -rf "$root" && dpkg-deb -x "$deb" "$root" && dpkg-deb -x "$dkmsdeb" "$root"
check "extracted napictl runs" 0 "napictl $ver" "$root/usr/sbin/napictl" --version
check "extracted napictl checks a shipped profile" 0 "profile 'high-throughput' is valid" \
	env NAPITUNE_PROFILE_PATH="$root/usr/share/napitune/profiles" "$root/usr/sbin/napictl" check high-throughput.yaml
check "the packaged napitune.yaml is valid for the packaged daemon" 0 "" \
	env NAPITUNE_PROFILE_PATH="$root/usr/share/napitune/profiles" "$root/usr/sbin/napitune" --check \
	--log=stderr --config="$root/etc/napitune/napitune.yaml"
check "the packaged unit starts the packaged daemon" 0 "ExecStart=/usr/sbin/napitune" \
	cat "$root/lib/systemd/system/napitune.service"
check "man -l renders napictl.8.gz" 0 "napictl" env MANWIDTH=80 man -l -P cat "$root/usr/share/man/man8/napictl.8.gz"
check "dkms.conf has the package's version" 0 "PACKAGE_VERSION=\"$ver\"" cat "$root/usr/src/napiref-$ver/dkms.conf"
# dkms.conf's own MAKE[0] builds the packaged source for the test kernel, in a private tree
# shaped like dkms's (dkms build itself would also create a MOK signing key in /var/lib/dkms
# on the host; the VM part runs the real dkms)
if KVER=$("$top/tools/kernel.sh"); then
	step "dkms.conf's MAKE[0] for napiref/$ver against $KVER"
	dt=$out/deb/dkms-tree
	rm -rf "$dt" && mkdir -p "$dt/napiref/$ver"
	cp -r "$root/usr/src/napiref-$ver" "$dt/napiref/$ver/build"
	if (
		kernel_source_dir=/lib/modules/$KVER/build dkms_tree=$dt
		. "$dt/napiref/$ver/build/dkms.conf"
		[ "$BUILT_MODULE_NAME" = napiref ] && [ "$AUTOINSTALL" = yes ] &&
			eval "${MAKE[0]}" && [ -f "$dt/napiref/$ver/build/napiref.ko" ] &&
			modinfo -F vermagic "$dt/napiref/$ver/build/napiref.ko" | grep -q "^$KVER "
	) >"$out/dkms-make.log" 2>&1; then
		ok "dkms.conf's MAKE[0] builds napiref.ko for $KVER from the packaged source"
	else
		bad "dkms.conf's MAKE[0] for $KVER: $(tail -n 15 "$out/dkms-make.log")"
	fi
else
	bad "no test kernel (tools/kernel.sh --check)"
fi

# ---------------------------------------------------------------- .rpm
step "rpmbuild"
R=$out/rpm
if rpmbuild -bb --nodeps --load "$top/packaging/rpm/macros.debian" --define "_topdir $R" \
	"$top/packaging/rpm/napitune.spec" >"$out/rpm-build.log" 2>&1; then
	ok "rpmbuild -bb packaging/rpm/napitune.spec"
else
	bad "rpmbuild failed: $(tail -n 15 "$out/rpm-build.log")"
	finish
fi
rpm=$R/RPMS/x86_64/napitune-$ver-1.x86_64.rpm
dkmsrpm=$R/RPMS/noarch/napiref-dkms-$ver-1.noarch.rpm
built=1
for f in "$rpm" "$dkmsrpm"; do
	if [ -f "$f" ]; then ok "built $(basename "$f")"; else bad "missing $f"; built=0; fi
done
[ "$built" = 1 ] || finish
rpmlint -c "$top/packaging/rpm/rpmlint.toml" "$rpm" "$dkmsrpm" >"$out/rpmlint.log" 2>&1
rc=$?
sed 's/^/#   rpmlint: /' "$out/rpmlint.log"
check "rpmlint: 0 errors, 0 warnings" 0 "0 errors, 0 warnings" grep -E '[0-9]+ errors, [0-9]+ warnings' "$out/rpmlint.log"
eq "rpmlint exits 0" "$rc" 0

unitdir=$(pkg-config --variable=systemdsystemunitdir systemd)
rpm -qpl "$rpm" | sort >"$out/napitune-rpm.got"
{
	grep -v '^/usr/share/doc/' "$out/napitune.want" | sed "s|^/lib/systemd/system/|$unitdir/|"
	echo "/usr/share/doc/napitune-$ver"
	echo "/usr/share/doc/napitune-$ver/README.md"
	echo "/usr/share/licenses/napitune-$ver"
	echo "/usr/share/licenses/napitune-$ver/COPYING"
	echo /etc/napitune
	echo /usr/share/napitune
	echo /usr/share/napitune/profiles
	echo /usr/share/napitune/prometheus
} | sort >"$out/napitune-rpm.want"
same "napitune.rpm holds exactly what napitune.deb holds (rpm's doc and license places)" \
	"$out/napitune-rpm.got" "$out/napitune-rpm.want"
rpm -qpl "$dkmsrpm" | sort >"$out/napiref-dkms-rpm.got"
{
	grep -v '^/usr/share/doc/' "$out/napiref-dkms.want"
	echo "/usr/src/napiref-$ver"
	echo "/usr/share/doc/napiref-dkms-$ver"
	echo "/usr/share/doc/napiref-dkms-$ver/README.md"
	echo "/usr/share/licenses/napiref-dkms-$ver"
	echo "/usr/share/licenses/napiref-dkms-$ver/COPYING"
} | sort >"$out/napiref-dkms-rpm.want"
same "napiref-dkms.rpm holds exactly the driver's source and dkms.conf" \
	"$out/napiref-dkms-rpm.got" "$out/napiref-dkms-rpm.want"
eq "napitune.rpm: the configuration is %config(noreplace)" "$(rpm -qpc "$rpm")" /etc/napitune/napitune.yaml
scripts=$(rpm -qp --scripts "$rpm")
check "napitune.rpm %post applies the preset on first install (%systemd_post)" 0 \
	"systemctl --no-reload preset napitune.service" echo "$scripts"
check "napitune.rpm %preun disables and stops on removal (%systemd_preun)" 0 \
	"systemctl --no-reload disable --now napitune.service" echo "$scripts"
check "napitune.rpm %postun restarts on upgrade (%systemd_postun_with_restart)" 0 \
	"systemctl try-restart napitune.service" echo "$scripts"
scripts=$(rpm -qp --scripts "$dkmsrpm")
check "napiref-dkms.rpm %post: dkms add" 0 "dkms add -m napiref -v $ver" echo "$scripts"
check "napiref-dkms.rpm %post: dkms install for every kernel with headers" 0 \
	"dkms install -m napiref -v $ver -k" echo "$scripts"
check "napiref-dkms.rpm %preun: dkms remove --all" 0 "dkms remove -m napiref -v $ver --all" echo "$scripts"
check "napiref-dkms.rpm requires dkms" 0 "dkms" rpm -qpR "$dkmsrpm"

# the payload in a scratch root: no scriptlets (they need the root's own systemd and dkms)
sr=$out/rpm/root
rm -rf "$sr" && mkdir -p "$sr"
check "rpm -i --root SCRATCH --nodeps --noscripts" 0 "" rpm -i --root "$sr" --nodeps --noscripts "$rpm" "$dkmsrpm"
missing=()
while read -r f; do [ -e "$sr$f" ] || missing+=("$f"); done < <(cat "$out/napitune-rpm.want" "$out/napiref-dkms-rpm.want")
eq "every file of both rpms is in the scratch root" "${missing[*]}" ""
check "rpm -V: the installed payload is intact" 0 "" rpm --root "$sr" -V --nodeps napitune napiref-dkms
check "rpm -e --root removes both" 0 "" rpm -e --root "$sr" --nodeps --noscripts napitune napiref-dkms
db=$(rpm --eval %_dbpath)
left=$(cd "$sr" && find . -type f -not -path ".$db/*" | head -n 5)
eq "nothing of them is left in the scratch root" "$left" ""

# ---------------------------------------------------------------- the VM
if [ "${NT_PACKAGES_VM:-1}" = 0 ]; then
	bad "the VM part was skipped (NT_PACKAGES_VM=0)"
	finish
fi
step "VM: dpkg -i, DKMS, systemctl enable --now, napictl, dpkg --purge"
export KVER
vmout=$out/vm
mkdir -p "$vmout"
MEM=${MEM:-1536} SMP=${SMP:-2} MODE=systemd TIMEOUT=${TIMEOUT:-1500} OUT=$vmout \
	"$top/tests/vm/vm-run.sh" "$here/guest.sh" "$out/deb" >"$out/vm-run.log" 2>&1
rc=$?
sed 's/^/#   /' "$vmout/test.log" 2>/dev/null
line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$vmout/test.log" 2>/dev/null | tail -n 1)
if [ -n "$line" ]; then
	gp=${line%% passed*}
	gf=${line#*, }
	gf=${gf%% *}
	n=$((n + gp + gf))
	fails=$((fails + gf))
fi
if [ "$rc" -ne 0 ] || [ -z "$line" ]; then
	bad "VM: status $rc: $(cat "$out/vm-run.log"; tail -n 30 "$vmout/console.log" 2>/dev/null)"
fi
finish
