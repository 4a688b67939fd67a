#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Run a guest test script inside a throw-away QEMU VM (TCG) that boots the
# installed Debian kernel with the host's root file system shared read-only
# over 9p under a tmpfs overlay. See README.md.
#
# Usage: vm-run.sh GUEST_SCRIPT [ARGS...]        (as root)
#
# GUEST_SCRIPT runs as root inside the VM at the same absolute path, with
# ARGS, the host's working directory, and VM_OUT/VM_MODE in its environment.
#
# Environment:
#   SMP=4         vCPUs
#   MEM=1024      guest RAM in MiB
#   TIMEOUT=600   guest-side test timeout in seconds (the host-side timeout
#                 around QEMU is TIMEOUT+120)
#   OUT=          host results dir (default: new ${TMPDIR:-/var/tmp}/napitune-vm.XXXX)
#   MODE=systemd  systemd 252 as PID 1, test runs as napitune-vm-run.service;
#                 MODE=init: no systemd, the test runs under a bash PID 1
#   APPEND=       extra kernel command line ("oops=panic panic_on_warn=1")
#   NIC=none      or "mq": multi-queue virtio-net (QUEUES=$SMP queues) on a
#                 tap inside a private network namespace that reaches nothing;
#                 "mqpair": two such NICs (eth0, eth1) on a bridge in that
#                 namespace, so that one can be the other's peer. Without
#                 RSS: with rss=on, QEMU 7.2's software RSS (no eBPF here)
#                 lost the first frame after every neighbour resolution
#   KVER=         guest kernel (default: the one tools/kernel.sh chooses): installed, or
#                 fetched earlier into the kernel cache (tools/kernel-fetch.sh)
#   NT_KERNEL_SERIES=  6.12 (default), 6.1 or 7, when KVER is not set (tools/kernel.sh). A
#                 fetched kernel's modules come as one more layer, below LAYERS
#   LAYERS=       space-separated directories (e.g. built by mklayer.sh), each shared
#                 read-only over its own 9p tag and stacked above the host root, the last
#                 one on top
#   VERBOSE=1     stream the serial console to stderr
#   NT_VM_CPU=max QEMU -cpu model (e.g. "max,-cx16" to compare emulator behaviour)
#   TCG_THREAD=single  "multi" runs each vCPU on its own host thread (MTTCG): real
#                 parallelism between vCPUs, for benchmarks only; about 4 % of
#                 MTTCG boots oops ("int3") while the kernel patches its
#                 own text, which this script reports as status 126
#
# Results in $OUT: rc (= exit status of this script), test.log, console.log,
# dmesg.txt, journal.txt (systemd mode, on failure), qemu.log, vm-job.sh.
#
# Exit status: the guest script's status; 124 timeout (guest or host side);
# 125 no status came back (panic, boot failure, QEMU/setup error);
# 126 the test passed but the guest kernel logged a WARNING/BUG/Oops/...;
# 2 usage error.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

SMP=${SMP:-4}
MEM=${MEM:-1024}
TIMEOUT=${TIMEOUT:-600}
MODE=${MODE:-systemd}
APPEND=${APPEND:-}
NIC=${NIC:-none}
QUEUES=${QUEUES:-$SMP}
VERBOSE=${VERBOSE:-0}
LAYERS=${LAYERS:-}
HOST_MARGIN=120

# Guest kernel log lines that fail a run (matched on console.log/dmesg.txt,
# kernel lines only: they start with a printk timestamp).
oops_re='^\[ *[0-9]+\.[0-9]+\] .*(WARNING:|BUG:|Oops|Kernel panic|general protection fault|UBSAN|KASAN|kmemleak|kernel BUG at|INFO: task .* blocked for more than|rcu: INFO:|detected stall|soft lockup|hard LOCKUP|list_add corruption|list_del corruption|refcount_t:|double fault|stack-protector|stack guard page)'

out=
fail()
{
	# fail STATUS MESSAGE: print the one-line reason and exit.
	echo "vm-run: $2" >&2
	[ -n "$out" ] && [ -d "$out" ] && echo "$1" >"$out/rc"
	exit "$1"
}

usage()
{
	echo "usage: vm-run.sh GUEST_SCRIPT [ARGS...]  (env: SMP MEM TIMEOUT OUT MODE APPEND NIC QUEUES KVER LAYERS VERBOSE)" >&2
	exit 2
}

safe_path()
{
	# Paths that go on the kernel command line / QEMU options.
	[[ "$1" =~ ^/[A-Za-z0-9._/+@%=:-]*$ ]] && [[ "$1" != *,* ]]
}

[ $# -ge 1 ] || usage
case "$1" in -h|--help) usage ;; esac

script=$(readlink -f -- "$1") || script=
shift
[ -n "$script" ] && [ -f "$script" ] || fail 2 "guest script not found: ${script:-?}"
[ -x "$script" ] || fail 2 "guest script not executable: $script"
case "$script" in
/dev/*|/proc/*|/sys/*|/run/*) fail 2 "guest script must live on the host root fs, not $script" ;;
esac
[[ "$SMP" =~ ^[1-9][0-9]*$ ]] || fail 2 "bad SMP=$SMP"
[[ "$MEM" =~ ^[1-9][0-9]*$ ]] || fail 2 "bad MEM=$MEM"
[[ "$TIMEOUT" =~ ^[1-9][0-9]*$ ]] || fail 2 "bad TIMEOUT=$TIMEOUT"
[[ "$QUEUES" =~ ^[1-9][0-9]*$ ]] || fail 2 "bad QUEUES=$QUEUES"
case "$MODE" in systemd|init) ;; *) fail 2 "bad MODE=$MODE (systemd|init)" ;; esac
case "$NIC" in none|mq|mqpair) ;; *) fail 2 "bad NIC=$NIC (none|mq|mqpair)" ;; esac
case "${TCG_THREAD:-single}" in single|multi) ;; *) fail 2 "bad TCG_THREAD=$TCG_THREAD (single|multi)" ;; esac
safe_path "$here" || fail 2 "harness path has unsupported characters: $here"
[ "$(id -u)" -eq 0 ] || fail 125 "must run as root (9p export of /, tap, unshare)"
command -v qemu-system-x86_64 >/dev/null ||
	fail 125 "qemu-system-x86_64 missing (tools/install-deps.sh)"

# The guest kernel: an installed image, or one tools/kernel.sh fetched, whose modules then
# come in a layer of their own (the guest needs /lib/modules/KVER).
if [ -n "${KVER:-}" ] && [ -e "/boot/vmlinuz-$KVER" ]; then
	NT_KIMAGE=/boot/vmlinuz-$KVER
	NT_KLAYER=
else
	kenv=$("$here/../../tools/kernel.sh" --env) || fail 125 "no guest kernel (see above)"
	eval "$kenv"
fi
kernel=$NT_KIMAGE
[ -r "$kernel" ] || fail 125 "guest kernel $kernel missing"

layers=()
for l in $NT_KLAYER $LAYERS; do
	d=$(readlink -f -- "$l") && [ -d "$d" ] || fail 2 "LAYERS: no directory $l"
	safe_path "$d" || fail 2 "LAYERS: path has unsupported characters: $d"
	layers+=("$d")
done

# Results dir.
if [ -n "${OUT:-}" ]; then
	mkdir -p -- "$OUT" || fail 125 "cannot create OUT=$OUT"
	out=$(readlink -f -- "$OUT")
	rm -f -- "$out"/{rc,test.log,console.log,dmesg.txt,journal.txt,qemu.log,vm-job.sh}
else
	out=$(mktemp -d "${TMPDIR:-/var/tmp}/napitune-vm.XXXX") ||
		fail 125 "cannot create a results dir under ${TMPDIR:-/var/tmp}"
fi
case "$out" in
/dev/*|/proc/*|/sys/*|/run/*) d=$out; out=; fail 2 "OUT must be on the host root fs, not $d" ;;
esac
safe_path "$out" || { d=$out; out=; fail 2 "OUT path has unsupported characters: $d"; }
echo "vm-run: OUT=$out" >&2

initrd=$("$here/mkinitramfs.sh" "$KVER" "$NT_KLAYER") ||
	fail 125 "initramfs build failed"

# The job: everything the guest runner needs, as sourceable bash.
{
	printf 'NT_SCRIPT=%q\n' "$script"
	printf 'NT_ARGS=('
	[ $# -gt 0 ] && printf ' %q' "$@"
	printf ' )\n'
	printf 'NT_CWD=%q\n' "$PWD"
	printf 'NT_TIMEOUT=%q\n' "$TIMEOUT"
	printf 'NT_NIC=%q\n' "$NIC"
} >"$out/vm-job.sh" || fail 125 "cannot write $out/vm-job.sh"

cmdline="console=ttyS0 panic=-1 lpj=10000000 tsc=reliable"
cmdline+=" module_blacklist=ahci,libahci,libata,ata_piix,lpc_ich,i2c_i801,i2c_piix4,iTCO_wdt,kvm,kvm_amd,kvm_intel,dm_mod,loop,qemu_fw_cfg"
cmdline+=" nt.dir=$here nt.out=$out nt.mode=$MODE"
[ ${#layers[@]} -gt 0 ] && cmdline+=" nt.layers=${#layers[@]}"
[ "$MODE" = systemd ] &&
	cmdline+=" systemd.unit=napitune-vm.target systemd.show_status=error"
[ -n "$APPEND" ] && cmdline+=" $APPEND"

if [ "$VERBOSE" = 1 ]; then
	serial=(-chardev "stdio,id=con0,signal=off,logfile=$out/console.log")
else
	serial=(-chardev "file,id=con0,path=$out/console.log")
fi

# shellcheck disable=SC2054 # commas are QEMU option syntax
qemu=(qemu-system-x86_64 -no-user-config -nodefaults -display none
	-accel tcg,thread="${TCG_THREAD:-single}" -machine q35 -cpu "${NT_VM_CPU:-max}"
	-smp "$SMP" -m "$MEM" -no-reboot
	"${serial[@]}" -serial chardev:con0
	-kernel "$kernel" -initrd "$initrd" -append "$cmdline"
	-virtfs "local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap"
	-virtfs "local,path=$out,mount_tag=out,security_model=none,multidevs=remap")
for i in "${!layers[@]}"; do
	qemu+=(-virtfs "local,path=${layers[$i]},mount_tag=layer$i,security_model=none,readonly=on,multidevs=remap")
done

if [ "$NIC" = mq ]; then
	qemu+=(-netdev "tap,id=n0,ifname=ntvm0,script=no,downscript=no,vhost=off,queues=$QUEUES"
		-device "virtio-net-pci,netdev=n0,mq=on,vectors=$((2 * QUEUES + 2))")
	# The tap lives in a private, otherwise empty network namespace and
	# disappears with QEMU.
	launch=(unshare --net -- /bin/sh -c
		'ip tuntap add dev ntvm0 mode tap multi_queue && ip link set ntvm0 up && exec "$@"' sh)
elif [ "$NIC" = mqpair ]; then
	for i in 0 1; do
		qemu+=(-netdev "tap,id=n$i,ifname=ntvm$i,script=no,downscript=no,vhost=off,queues=$QUEUES"
			-device "virtio-net-pci,netdev=n$i,mq=on,vectors=$((2 * QUEUES + 2))")
	done
	# Both taps on a bridge, all in the private namespace.
	launch=(unshare --net -- /bin/sh -c
		'ip link add ntbr0 type bridge && ip link set ntbr0 up &&
		for t in ntvm0 ntvm1; do
			ip tuntap add dev $t mode tap multi_queue &&
				ip link set $t master ntbr0 && ip link set $t up || exit 1
		done && exec "$@"' sh)
else
	qemu+=(-nic none)
	launch=()
fi

# QEMU runs in the background so that a signal to vm-run.sh (Ctrl-C, a CI
# timeout) takes the VM down with it: timeout(1) puts itself into its own
# process group, so it would not see the terminal's SIGINT.
#
# A guest kernel that crashes before the test starts (no test.log yet: nothing
# of ours has run, not even insmod) is booted again, at most twice. QEMU 7.2's
# TCG rarely corrupts EFLAGS in early boot (a double fault in
# kmem_cache_alloc, seen about once in 100 boots on a loaded host); the console
# of each such boot is kept as console-boot-N.log.
boot=1
while :; do
start=$EPOCHREALTIME
if [ "$VERBOSE" = 1 ]; then
	timeout -k 10 $((TIMEOUT + HOST_MARGIN)) "${launch[@]}" "${qemu[@]}" \
		</dev/null >&2 2>"$out/qemu.log" &
else
	timeout -k 10 $((TIMEOUT + HOST_MARGIN)) "${launch[@]}" "${qemu[@]}" \
		</dev/null >"$out/qemu.log" 2>&1 &
fi
qpid=$!
trap 'kill -TERM $qpid 2>/dev/null; wait $qpid; fail 125 "interrupted: VM stopped (see $out/console.log)"' INT TERM HUP
wait $qpid
qrc=$?
trap - INT TERM HUP
wall=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')

# Exit status of the guest script.
rc=
[ -s "$out/rc" ] && read -r rc <"$out/rc"
[[ "$rc" =~ ^[0-9]+$ ]] || rc=
if [ -z "$rc" ] && [ -s "$out/console.log" ]; then
	rc=$(sed -n 's/.*NAPITUNE_VM_STATUS=\([0-9][0-9]*\).*/\1/p' "$out/console.log" | tail -n 1)
fi

# Kernel problems seen on the console or in the guest's dmesg.
oops=$(cat "$out/console.log" "$out/dmesg.txt" 2>/dev/null |
	grep -a -m 1 -E "$oops_re" | tr -d '\r')

if [ -z "$rc" ] && [ -n "$oops" ] && [ ! -e "$out/test.log" ] && [ $qrc -eq 0 ] &&
   [ $boot -lt 3 ]; then
	mv -f "$out/console.log" "$out/console-boot-$boot.log"
	echo "vm-run: guest kernel crashed during boot, before the test started:" \
		"${oops#*] } (see $out/console-boot-$boot.log); booting again" >&2
	boot=$((boot + 1))
	continue
fi
break
done

if [ -z "$rc" ]; then
	if [ $qrc -eq 124 ] || [ $qrc -eq 137 ]; then
		[ -n "$oops" ] && echo "vm-run: guest kernel said: ${oops#*] }" >&2
		fail 124 "host timeout: VM killed after ${wall}s, no status (see $out/console.log)"
	fi
	if [ $qrc -ne 0 ]; then
		fail 125 "qemu failed (exit $qrc): $(head -c 300 "$out/qemu.log" | tr '\n' ' ') (see $out/qemu.log)"
	fi
	if [ -n "$oops" ]; then
		fail 125 "guest kernel oops/panic, no status: ${oops#*] } (see $out/console.log)"
	fi
	why=$(grep -a -m 1 -E 'napitune-vm(-init)?: FATAL' "$out/console.log" 2>/dev/null | tr -d '\r')
	if [ -n "$why" ]; then
		fail 125 "VM did not boot: ${why#*] } (see $out/console.log)"
	fi
	fail 125 "VM did not boot: no status after ${wall}s (see $out/console.log)"
fi

if [ -n "$oops" ]; then
	[ "$rc" -eq 0 ] && rc=126
	fail "$rc" "guest kernel oops/warning: ${oops#*] } (see $out/console.log)"
fi
case "$rc" in
0) echo "vm-run: ok (${wall}s)" >&2 ;;
124) echo "vm-run: guest timeout: test ran longer than ${TIMEOUT}s (see $out/test.log)" >&2 ;;
*) echo "vm-run: guest test failed: exit $rc (see $out/test.log)" >&2 ;;
esac
echo "$rc" >"$out/rc"
exit "$rc"
