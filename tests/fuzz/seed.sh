#!/usr/bin/env bash
# Collects seed inputs from real kernel text into build-fuzz/work/TARGET, where
# "tests/fuzz/run.sh --merge TARGET..." folds what adds coverage into the checked-in
# corpus: the synthetic /proc and /sys trees of every diagnose scenario (tests/fixture,
# via the normal build's gen-fixture), this machine's own /proc, sysfs and ethtool output,
# and the knob keys and value forms napictl documents. Multi-file targets get their
# files joined by NUL bytes, as the targets split them (see each fuzz-*.c).
#
#   tests/fuzz/seed.sh && tests/fuzz/run.sh --merge $(cd tests/fuzz && ls corpus)
#
# Env: FUZZ_BUILD (build-fuzz), BUILD (build: the normal meson build, for gen-fixture
# and napictl).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
out=${FUZZ_BUILD:-$top/build-fuzz}/work
build=${BUILD:-$top/build}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# put TARGET FILE...: one input, the files' contents joined by NULs (missing files empty).
put() {
	local t=$1 f sum

	shift
	mkdir -p "$out/$t"
	for f in "$@"; do
		cat "$f" 2>/dev/null || true
		[ "$f" = "${*: -1}" ] || printf '\0'
	done >"$tmp/input"
	sum=$(sha1sum <"$tmp/input" | cut -c1-40)
	mv "$tmp/input" "$out/$t/seed-$sum"
}

# put_text TARGET TEXT...: one input per argument.
put_text() {
	local t=$1 s

	shift
	for s in "$@"; do
		printf '%s' "$s" >"$tmp/text"
		put "$t" "$tmp/text"
	done
}

# A tree as the collectors read it: a fixture scenario or the host's root.
from_tree() {
	local r=$1 pid

	put softnet "$r/proc/net/softnet_stat" "$r/sys/devices/system/cpu/online"
	put softirqs "$r/proc/softirqs"
	put cpustat "$r/proc/stat"
	put interrupts "$r/proc/interrupts"
	put snmp "$r/proc/net/snmp" "$r/proc/net/netstat"
	for f in "$r"/sys/devices/system/cpu/{online,possible} "$r"/sys/class/net/*/queues/*/[rx]ps_cpus \
		"$r"/proc/irq/*/{smp,effective}_affinity{,_list}; do
		[ -f "$f" ] && put cpuset "$f"
	done
	for pid in $(cat "$r/proc/2/task/2/children" 2>/dev/null | tr ' ' '\n' | head -n 64); do
		grep -qE '^(ksoftirqd|napi)/' "$r/proc/$pid/comm" 2>/dev/null ||
			grep -qE '\((ksoftirqd|napi)/' "$r/proc/$pid/stat" 2>/dev/null || continue
		put kthread "$r/proc/$pid/stat" "$r/proc/$pid/schedstat" "$r/proc/$pid/status" \
			"$r/proc/2/task/2/children"
	done
	for f in "$r"/napitune-fixture/*/ethtool-*; do
		[ -f "$f" ] && put ethtool "$f"
	done
	for f in "$r"/proc/sys/net/core/* "$r"/sys/class/net/*/{gro_flush_timeout,napi_defer_hard_irqs}; do
		[ -f "$f" ] && [ -r "$f" ] && put number "$f"
	done
	return 0
}

[ -x "$build/tests/cli/gen-fixture" ] || { echo "seed: build $build first" >&2; exit 1; }
n=0
for s in $(sed -n '/nt_fx_scenarios\[\] = {/,/NULL/p' "$top/tests/fixture/nt-fixture.c" |
	grep -o '"[^"]*"' | tr -d '"'); do
	for phase in 0 1; do
		rm -rf "$tmp/fx" && mkdir "$tmp/fx"
		"$build/tests/cli/gen-fixture" "$tmp/fx" "$s" "$phase"
		from_tree "$tmp/fx"
		n=$((n + 1))
	done
done
echo "seed: $n fixture trees"
from_tree ""
for dev in /sys/class/net/*; do
	dev=${dev##*/}
	[ "$dev" = lo ] && continue
	ethtool -S "$dev" >"$tmp/S" 2>/dev/null && put ethtool "$tmp/S"
	ethtool -S "$dev" --all-groups >"$tmp/Sg" 2>/dev/null && put ethtool "$tmp/Sg"
	ethtool -g "$dev" >"$tmp/g" 2>/dev/null && put ethtool "$tmp/g"
done
# Knob keys (napictl knobs), values in every form the README and profiles use, the issue's.
mapfile -t keys < <("$build/cli/napictl" knobs --format=words)
put_text number "${keys[@]}" net.ipv4.tcp_fastopen 50us 1.5ms 200ns 2s 16MiB 4k 1GB \
	"4096 131072 16MiB" on off max 0000000.0 0x10 -1 18446744073709551615 "  rx_packets: 12"
# irqbalance 1.9's answer to "setup" (as in tests/unit/tune/test-irqbalance.c).
put_text irqbalance "SLEEP 10 BANNED 00000000" \
	"SLEEP 10 IRQ 30 LOAD 0 DIFF 0 CLASS 0 IRQ 31 LOAD 3 DIFF 1 CLASS 5 BANNED 00000000"
put_text cpuset 0-3 0-15:2/4 "0,2-3" "ff,ffffffff" 00000000,00000001 "numa-local,!0" irq \
	all none "!1"
for t in "$out"/*; do
	echo "seed: ${t##*/}: $(ls "$t" | wc -l) inputs in $t"
done
