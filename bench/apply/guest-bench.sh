#!/usr/bin/env bash
# bench/apply guest side (systemd mode, tuned from the tools layer). Usage:
#   guest-bench.sh NAPIREF_KO RAWWRITE RUNS
# Applies high-throughput on napiref0 (16 queues) RUNS times each with napictl, the raw
# writes floor and tuned, from the same start state, and prints the table.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
napictl=$top/build/cli/napictl
w="python3 $top/bench/apply/writes.py"
ko=$1 raw=$2 runs=${3:-7}
b=/tmp/bench
mkdir -p $b /etc/tuned/napitune-bench
die() { echo "bench: $*"; exit 1; }
us() { echo $(((${2/./} - ${1/./}))); }	# us EPOCHREALTIME_START EPOCHREALTIME_END

insmod "$ko" pairs=1 queues=16 || die "insmod $ko"
# The shipped profile matches every physical port: the peer goes into a namespace of its
# own, so that napiref0 is the one port napictl sees.
ip netns add bpeer && ip link set napiref1 netns bpeer || die "netns"
ip link set napiref0 up && ip -n bpeer link set napiref1 up || die "link up"
# Rings preset to the maximum: the three compared do the same sysctl/sysfs/IRQ writes.
ethtool -G napiref0 rx 4096 tx 4096 || die "ethtool -G"
# IRQs start away from the profile's one-CPU spread, so that all 16 are written too.
i=0
while read -r line; do
	case $line in *napiref0-rx-*) ;; *) continue ;; esac
	irq=${line%%:*}
	echo $(((i % 2) * 2))-$(((i % 2) * 2 + 1)) >"/proc/irq/${irq// /}/smp_affinity_list" ||
		die "cannot set IRQ ${irq// /}"
	i=$((i + 1))
done </proc/interrupts
export NAPITUNE_PROFILE_PATH=$top/profiles
systemctl start tuned.service || die "tuned did not start"
tuned-adm off || die "tuned-adm off"

$w read napiref0 >$b/before
"$napictl" apply high-throughput >$b/napictl.out 2>&1 || die "napictl apply: $(tail -3 $b/napictl.out)"
grep '^applied' $b/napictl.out
$w read napiref0 >$b/after
"$napictl" revert >/dev/null || die "napictl revert"
$w make $b/before $b/after $b
cp $b/tuned.conf /etc/tuned/napitune-bench/tuned.conf

# The floor and tuned really reach the state napictl reaches (napictl verify says so for the
# floor; for tuned everything but the IRQs must equal napictl's result).
"$raw" $b/apply.list || die "rawwrite failed"
"$napictl" verify high-throughput >/dev/null || die "the floor does not reach the profile"
"$raw" $b/reset.list || die "rawwrite reset failed"
tuned-adm profile napitune-bench || die "tuned-adm profile"
$w read napiref0 >$b/tuned
grep -v /proc/irq/ $b/after >$b/after.noirq
diff <(grep -v /proc/irq/ $b/tuned) $b/after.noirq >/dev/null || die "tuned did not reach the same state: $(diff <(grep -v /proc/irq/ $b/tuned) $b/after.noirq | head)"
tuned-adm off
$w read napiref0 >$b/now
diff $b/now $b/before >/dev/null || echo "bench: note: tuned-adm off left $(diff $b/now $b/before | grep -c '^<') values changed"
"$raw" $b/reset.list

for i in $(seq "$runs"); do
	t0=$EPOCHREALTIME; "$napictl" apply high-throughput >/dev/null; t1=$EPOCHREALTIME
	echo "napictl $(us "$t0" "$t1")"
	"$napictl" revert >/dev/null
	t0=$EPOCHREALTIME; "$raw" $b/apply.list; t1=$EPOCHREALTIME
	echo "floor $(us "$t0" "$t1")"
	"$raw" $b/reset.list
	t0=$EPOCHREALTIME; tuned-adm profile napitune-bench >/dev/null; t1=$EPOCHREALTIME
	echo "tuned $(us "$t0" "$t1")"
	tuned-adm off
	"$raw" $b/reset.list
done >$b/times
awk -v runs="$runs" '
	{ t[$1] = t[$1] " " $2 }
	function median(s,   a, n, i, j, x) {
		n = split(s, a, " ")
		for (i = 2; i <= n; i++) { x = a[i]; for (j = i - 1; j >= 1 && a[j] > x; j--) a[j + 1] = a[j]; a[j + 1] = x }
		return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
	}
	END {
		f = median(t["floor"]); n = median(t["napictl"]); u = median(t["tuned"])
		printf "%-28s %12s %10s\n", "high-throughput on napiref0", "median ms", "vs floor"
		printf "%-28s %12.1f %10.1fx\n", "raw writes (floor)", f / 1000, 1
		printf "%-28s %12.1f %10.1fx   (goal <= 3x)\n", "napictl apply", n / 1000, n / f
		printf "%-28s %12.1f %10.1fx\n", "tuned-adm profile", u / 1000, u / f
		printf "tuned / napictl: %.1fx (goal >= 20x); %d runs each, all samples (us):\n", u / n, runs
		printf "  floor  %s\n  napictl%s\n  tuned  %s\n", t["floor"], t["napictl"], t["tuned"]
	}' $b/times
