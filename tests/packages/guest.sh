#!/usr/bin/env bash
# Runs inside the QEMU guest under systemd 252 as PID 1 (tests/packages/run.sh). The guest's
# root is the host's, read-only over 9p under a tmpfs overlay (tests/vm/README.md): dpkg,
# DKMS and systemctl write to the overlay, the host is never modified. $1: the directory with
# napitune_*.deb and napiref-dkms_*.deb. Installs them as a user would, uses them, purges
# them and checks that nothing is left. Prints TAP and "N passed, N failed".
set -u
debs=$1
top=$(cd "$(dirname "$0")/../.." && pwd)
kver=$(uname -r)
n=0
passed=0
failed=0
ok() { n=$((n + 1)); passed=$((passed + 1)); echo "ok $n - $1"; }
bad() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
# check NAME EXPR [WHY]: EXPR (eval) succeeds; on failure WHY (eval'd then) says what was seen
check() { if eval "$2"; then ok "$1"; else bad "$1${3:+: $(eval "echo \"$3\"")}"; fi; }
finish() {
	echo "1..$n"
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit
}
# until_ok SECONDS CMD...: CMD succeeds within SECONDS
until_ok() {
	local end=$((SECONDS + $1))
	shift
	while ! "$@" >/dev/null 2>&1; do
		[ $SECONDS -ge $end ] && return 1
		sleep 0.2
	done
}
rd() { cat "$1" 2>/dev/null; }
backlog() { rd /proc/sys/net/core/netdev_max_backlog; }
state() { sed -n "s/^$1\t//p" /run/napitune/daemon.state 2>/dev/null; }
profile_is() { [ "$(state profile)" = "$1" ]; }
installed() { [ "$(dpkg-query -W -f '${db:Status-Status}' "$1" 2>/dev/null)" = installed ]; }

echo "# kernel $kver, $(nproc) CPUs, $(systemctl --version | head -n 1)"
backlog0=$(backlog)
for p in napitune napiref-dkms; do
	check "$p is not installed before the test" '! installed $p'
done
[ "$failed" -eq 0 ] || finish

# ---------------------------------------------------------------- install
# This test installs as a user's machine does, so two guest-only settings of the VM harness go
# (in the overlay; the host keeps them): the harness's dpkg path-exclude of man pages and docs
# (tests/vm/guest-root/etc/dpkg/dpkg.cfg.d/napitune-vm; force-unsafe-io stays), and the host's
# /usr/sbin/policy-rc.d (a container's "exit 101"), which would forbid deb-systemd-invoke to
# stop the daemon on removal as it does on a booted machine.
printf 'force-unsafe-io\n' >/etc/dpkg/dpkg.cfg.d/napitune-vm
rm -f /usr/sbin/policy-rc.d
export DEBIAN_FRONTEND=noninteractive
# man-db's trigger would rebuild the index of every man page on the host root (through 9p,
# under TCG: minutes); Debian lets an administrator switch it off (debconf man-db/auto-update,
# i.e. this file). man finds the installed pages without the index.
rm -f /var/lib/man-db/auto-update
# stamp: dpkg's output as it comes, each line with the seconds since the step began
stamp() { local t0=$SECONDS l; while IFS= read -r l; do echo "#   [$((SECONDS - t0)) s] $l"; done; }
start=$SECONDS
dpkg -i "$debs"/napitune_*.deb "$debs"/napiref-dkms_*.deb 2>&1 | stamp
rc=${PIPESTATUS[0]}
echo "# dpkg -i: $((SECONDS - start)) s"
check "dpkg -i napitune napiref-dkms" '[ $rc -eq 0 ] && installed napitune && installed napiref-dkms' \
	'rc=$rc'
check "DKMS built and installed napiref for the running kernel ($kver)" \
	'dkms status -m napiref -k "$kver" | grep ": installed" >/dev/null' '$(dkms status 2>&1)'
check "modinfo finds the DKMS module" \
	'modinfo -n napiref | grep -q "^/lib/modules/$kver/updates/dkms/napiref.ko"' '$(modinfo -n napiref 2>&1)'
check "modprobe napiref" 'modprobe napiref pairs=1 queues=4' '$(dmesg | tail -n 5)'
check "napiref0 and napiref1 exist" 'until_ok 10 test -e /sys/class/net/napiref1' '$(ls /sys/class/net)'
ip link set napiref0 up
ip link set napiref1 up

check "the unit is installed, not enabled" \
	'[ "$(systemctl is-enabled napitune 2>&1)" = disabled ]' '$(systemctl is-enabled napitune 2>&1)'
check "the conffile is the shipped configuration" \
	'grep -q "^profile: balanced" /etc/napitune/napitune.yaml && dpkg-query -W -f "\${Conffiles}" napitune | grep -q /etc/napitune/napitune.yaml'
check "systemctl enable --now napitune" 'systemctl enable --now napitune' \
	'$(systemctl status napitune --no-pager 2>&1 | tail -n 15)'
check "napitune is active with the shipped configuration" 'until_ok 60 systemctl is-active -q napitune' \
	'$(systemctl status napitune --no-pager 2>&1 | tail -n 15)'
check "enabled: wanted by multi-user.target" \
	'[ -L /etc/systemd/system/multi-user.target.wants/napitune.service ]'
check "the daemon runs the installed binary" \
	'[ "$(readlink /proc/$(systemctl show -P MainPID napitune)/exe)" = /usr/sbin/napitune ]'
check "the daemon applied the shipped profile balanced" \
	'until_ok 10 profile_is balanced' '$(head -c 300 /run/napitune/daemon.state 2>&1)'

# ---------------------------------------------------------------- use
out=$(napictl apply high-throughput.yaml 2>&1)
rc=$?
check "napictl apply high-throughput.yaml (the shipped profile, by name)" '[ $rc -eq 0 ]' '${out:0:1200}'
check "high-throughput's netdev_max_backlog is in place" '[ "$(backlog)" = 10000 ]' '$(backlog)'
check "napictl verify: no drift" 'napictl verify >/tmp/verify.out 2>&1' '$(head -c 800 /tmp/verify.out)'
check "the daemon adopted high-throughput" \
	'until_ok 10 profile_is high-throughput' '$(head -c 300 /run/napitune/daemon.state 2>&1)'
out=$(napictl diagnose --interval=1 2>&1)
rc=$?
check "napictl diagnose runs (0 clean, 3 warnings, 4 critical)" '[ $rc -eq 0 ] || [ $rc -eq 3 ] || [ $rc -eq 4 ]' \
	'rc=$rc ${out:0:800}'
check "napictl map shows napiref0" 'napictl map napiref0 | grep -q napiref0'
check "man napictl" 'MANWIDTH=80 man -P cat napictl >/tmp/man.out 2>&1 && grep -q "^NAME" /tmp/man.out' \
	'$(head -c 300 /tmp/man.out)'
check "man napitune-profile lists the knobs" \
	'MANWIDTH=80 man -P cat napitune-profile >/tmp/man.out 2>&1 && grep -q "net.core.netdev_max_backlog" /tmp/man.out' \
	'$(head -c 300 /tmp/man.out)'
check "the package's docs are installed" '[ -f /usr/share/doc/napitune/copyright ]'
comp=$(bash -c '. /usr/share/bash-completion/bash_completion
	__load_completion napictl || exit 1
	COMP_WORDS=(napictl apply high); COMP_CWORD=2; _napictl; printf "%s\n" "${COMPREPLY[@]}"
	COMP_WORDS=(napictl map napiref); COMP_CWORD=2; _napictl; printf "%s\n" "${COMPREPLY[@]}"' 2>&1)
check "completion: profile names after 'apply'" 'grep -qx high-throughput <<<"$comp"' '$comp'
check "completion: device names after 'map'" 'grep -qx napiref0 <<<"$comp"' '$comp'
# the package's own autopkgtest
out=$("$top/debian/tests/smoke" 2>&1)
rc=$?
sed 's/^/#   smoke: /' <<<"$out"
check "debian/tests/smoke passes on the installed package" '[ $rc -eq 0 ]' \
	'$(grep "^not ok" <<<"$out" | head -n 5)'

# ---------------------------------------------------------------- purge
start=$SECONDS
dpkg --purge napitune napiref-dkms 2>&1 | stamp
rc=${PIPESTATUS[0]}
echo "# dpkg --purge: $((SECONDS - start)) s"
check "dpkg --purge napitune napiref-dkms" '[ $rc -eq 0 ]' 'rc=$rc'
check "the daemon stopped and reverted on removal (netdev_max_backlog $backlog0 again)" \
	'[ "$(backlog)" = "$backlog0" ] && ! systemctl is-active -q napitune' '$(backlog)'
check "the unit is gone" \
	'! systemctl cat napitune.service >/dev/null 2>&1 && [ ! -e /lib/systemd/system/napitune.service ]' \
	'$(systemctl cat napitune.service 2>&1 | head -n 3)'
check "the enablement symlink is gone" '[ ! -e /etc/systemd/system/multi-user.target.wants/napitune.service ]'
left=()
for f in /usr/sbin/napictl /usr/sbin/napitune /etc/napitune /usr/share/napitune /usr/share/doc/napitune \
	/usr/share/man/man8/napictl.8.gz /usr/share/bash-completion/completions/napictl \
	/usr/lib/systemd/catalog/napitune.catalog /usr/src/napiref-0* /var/lib/dkms/napiref \
	"/lib/modules/$kver/updates/dkms/napiref.ko"; do
	[ -e "$f" ] && left+=("$f")
done
check "purge removed every file (programs, config, data, DKMS tree, module)" '[ ${#left[@]} -eq 0 ]' '${left[*]}'
check "dpkg forgot both packages" \
	'! dpkg-query -W -f "\${Status}\n" napitune napiref-dkms 2>/dev/null | grep -q installed'
# the module file is gone (and modprobe -r finds it no more in modules.dep): rmmod by name
check "the loaded napiref unloads after the purge" 'ip link set napiref0 down; ip link set napiref1 down; rmmod napiref' \
	'$(lsmod | grep napiref)'
finish
