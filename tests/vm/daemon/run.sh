#!/usr/bin/env bash
# Host side of the vm_daemon suite: one VM, systemd 252 as PID 1, a multi-queue virtio-net
# NIC, napiref loaded at run time. The napitune unit built by meson (build/systemd/, all its
# hardening) is installed in a layer and enabled in the VM's boot target, with a drop-in that
# only points ExecStart at the build tree and shortens the intervals the test waits on.
# guest.sh then checks the boot apply, hotplug, renames, -L/-G, drift, reload, the watchdog,
# SIGKILL in the middle of an apply, a bad configuration and the revert on stop.
# Prints the guest's TAP and "N passed, N failed"; exits non-zero on failure.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../.." && pwd)
out=${OUT:-$(mktemp -d "${TMPDIR:-/var/tmp}/napitune-vm-daemon.XXXX")}
start=$SECONDS
summary() {
	echo "vm daemon: wall $((SECONDS - start)) s (results in $out)"
	echo "$1 passed, $2 failed"
	[ "$2" -eq 0 ]
	exit
}

for f in "$top/build/daemon/napitune" "$top/build/cli/napictl" "$top/build/systemd/napitune.service"; do
	[ -e "$f" ] || { echo "vm daemon: $f missing (meson compile -C build first)"; summary 0 1; }
done
KVER=$("$top/tools/kernel.sh") || summary 0 1
export KVER
ko=$("$here/../build-napiref.sh" "$out") || summary 0 1

# The layer: what 'meson install' and 'systemctl enable napitune' would put in /etc, with the
# VM's boot target (napitune-vm.target) in the role of multi-user.target.
layer=$out/layer
rm -rf "$layer"
sys=$layer/etc/systemd/system
mkdir -p "$sys/napitune.service.d" "$sys/napitune-vm.target.wants" "$layer/etc/napitune/profiles"
cp "$top/build/systemd/napitune.service" "$sys/"
ln -s ../napitune.service "$sys/napitune-vm.target.wants/napitune.service"
cat >"$sys/napitune.service.d/50-vmtest.conf" <<CONF
[Service]
ExecStart=
ExecStart=$top/build/daemon/napitune --config=/etc/napitune/napitune.yaml
Environment=NAPITUNE_PROFILE_PATH=/etc/napitune/profiles:$top/profiles NAPITUNE_TEST_HOOKS=1
WatchdogSec=6s
CONF
# The unit's sandbox hides /tmp, /var/tmp (PrivateTmp=) and /home, /root (ProtectHome=): a
# checkout there would leave ExecStart nothing to run (203/EXEC). Only then, only for the
# test, the drop-in opens that one place again.
case $top in
/tmp/* | /var/tmp/*) echo "PrivateTmp=no" >>"$sys/napitune.service.d/50-vmtest.conf" ;;
/home/* | /root/*) echo "ProtectHome=read-only" >>"$sys/napitune.service.d/50-vmtest.conf" ;;
esac
cp "$here"/vmtest*.yaml "$layer/etc/napitune/profiles/"
cp "$here/napitune.yaml" "$layer/etc/napitune/napitune.yaml"
mkdir -p "$layer/usr/lib/systemd/catalog"
cp "$top/systemd/napitune.catalog" "$layer/usr/lib/systemd/catalog/"

LAYERS=$layer NIC=mq SMP=${SMP:-4} MODE=systemd TIMEOUT=${TIMEOUT:-1200} OUT=$out \
	"$here/../vm-run.sh" "$here/guest.sh" "$ko"
rc=$?
cat "$out/test.log" 2>/dev/null
line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$out/test.log" 2>/dev/null | tail -n 1)
p=${line%% passed*}
f=${line#*, }
f=${f%% *}
[ -n "$line" ] || { p=0 f=0; }
[ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && { echo "vm daemon: status $rc"; f=1; }
summary "$p" "$f"
