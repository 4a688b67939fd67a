#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz/fuzz-*.c, meson -Dfuzz=true) with clang-14, ASan
# and UBSan (every UBSan error fatal) in build-fuzz/, then runs each for a bounded time from
# its checked-in corpus (tests/fuzz/corpus/TARGET) plus the kernel-text and profile
# fixtures. New inputs go to build-fuzz/work/TARGET, never into the repository; --merge
# folds them into the corpus after a long run. A crash, leak, timeout, out-of-memory,
# undefined behaviour or failed check fails the suite and prints the reproducer's path.
# Missing clang or libFuzzer fails too: a suite that cannot run is a failure.
# Ends with "N passed, N failed" (one per target).
#
#   tests/fuzz/run.sh [TARGET...]        every target (CI), or the named ones
#   tests/fuzz/run.sh --merge TARGET...  corpus/TARGET := minimized corpus/TARGET + work/TARGET
#
# Env: FUZZ_SECONDS  seconds per target (default: the table below, about 1.5 minutes in all)
#      FUZZ_RUNS     stop after this many executions instead of a time (long runs)
#      FUZZ_ARGS     more libFuzzer flags
#      FUZZ_CC       compiler (clang-14); FUZZ_BUILD build dir (build-fuzz in the tree)
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
out=${FUZZ_BUILD:-$top/build-fuzz}
cc=${FUZZ_CC:-clang-14}
data=$top/tests/data

# CI seconds per target: the profile parser is ~50x slower per input than the others. CI
# starts from the corpus the long runs left (README.md), so a short run checks for
# regressions; the long runs search.
declare -A secs=(
	[profile]=20 [number]=8 [cpuset]=6 [interrupts]=6 [softnet]=5 [softirqs]=5
	[cpustat]=5 [snmp]=5 [ethtool]=5 [kthread]=5 [irqbalance]=4 [daemon-config]=6 [writers]=5
)
# Seeds besides the corpus: real kernel text and profiles (directories, read-only).
declare -A seeds=(
	[profile]="$top/profiles $data/profiles/valid $data/profiles/invalid $data/profiles/check"
	[softnet]="$data/proc/softnet"
	[softirqs]="$data/proc/misc" [cpustat]="$data/proc/misc" [interrupts]="$data/proc/misc"
	[snmp]="$data/proc/misc" [daemon-config]="$top/systemd" [writers]="$data/writers/root/etc"
)
# Longest input: a few /proc/interrupts pages, a large profile, what napictl reads from
# irqbalance's socket (8 KiB).
declare -A maxlen=([profile]=65536 [interrupts]=65536 [irqbalance]=8192 [daemon-config]=65536)

die() {
	echo "fuzz: $*"
	echo "0 passed, 1 failed"
	exit 1
}

build() {
	local tmp

	command -v "$cc" >/dev/null || die "$cc not found (tools/install-deps.sh installs clang-14)"
	tmp=$(mktemp -d) || die "mktemp failed"
	printf 'int LLVMFuzzerTestOneInput(const char *d, long n) { return d && n; }\n' |
		"$cc" -x c - -fsanitize=fuzzer -o "$tmp/probe" 2>"$tmp/probe.log"
	if [ ! -x "$tmp/probe" ]; then
		cat "$tmp/probe.log"
		rm -rf "$tmp"
		die "$cc cannot link libFuzzer (-fsanitize=fuzzer): install libclang-rt-14-dev"
	fi
	if [ ! -f "$out/build.ninja" ] &&
	   ! CC=$cc meson setup "$out" "$top" -Dfuzz=true -Dtests=false \
		-Db_sanitize=address,undefined -Db_lundef=false >"$tmp/setup.log" 2>&1; then
		cat "$tmp/setup.log"
		rm -rf "$tmp"
		die "meson setup $out failed"
	fi
	rm -rf "$tmp"
	mkdir -p "$out/logs"
	meson compile -C "$out" fuzzers >"$out/logs/build.log" 2>&1 ||
		{ tail -n 30 "$out/logs/build.log"; die "build failed ($out/logs/build.log)"; }
}

targets() {
	local f

	for f in "$here"/fuzz-*.c; do
		f=${f##*/fuzz-}
		echo "${f%.c}"
	done
}

# run_one TARGET: fuzzes it; 0 if nothing was found.
run_one() {
	local t=$1 bin=$out/tests/fuzz/fuzz-$1 work=$out/work/$1 art=$out/artifacts/$1/
	local log=$out/logs/$1.log dirs=() d rc limit

	mkdir -p "$work" "$art" "$out/logs" "$here/corpus/$t"
	for d in "$here/corpus/$t" ${seeds[$t]:-}; do
		[ -d "$d" ] && dirs+=("$d")
	done
	if [ -n "${FUZZ_RUNS:-}" ]; then
		limit=(-runs="$FUZZ_RUNS")
	else
		limit=(-max_total_time="${FUZZ_SECONDS:-${secs[$t]:-10}}")
	fi
	# Sanitizer reports end the run with a stack trace; leaks count too.
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:symbolize=1 \
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		"$bin" "${limit[@]}" -timeout=10 -rss_limit_mb=2048 \
		-max_len="${maxlen[$t]:-16384}" -print_final_stats=1 -artifact_prefix="$art" \
		${FUZZ_ARGS:-} "$work" "${dirs[@]}" >"$log" 2>&1
	rc=$?
	if [ "$rc" -ne 0 ]; then
		echo "fuzz: $t: FAILED (exit $rc); the last lines of $log:"
		tail -n 40 "$log" | sed 's/^/   | /'
		grep -h 'Test unit written to' "$log" | sed "s/^/fuzz: $t: reproducer: /"
		echo "fuzz: $t: replay with: $bin ARTIFACT  (or build/tests/fuzz/replay-$t ARTIFACT)"
		return 1
	fi
	# "#1234 DONE cov: 567 ft: 890 corp: 12/3456b lim: 4096 exec/s: 7890 rss: 60Mb"
	awk -v t="$t" '$2 == "DONE" { for (i = 3; i < NF; i++) v[$i] = $(i + 1); n = substr($1, 2) }
		END { sub(/\/.*/, "", v["corp:"])
		      printf "fuzz: %s: ok: %s runs, cov %s, ft %s, corpus %s, %s exec/s\n", t, n,
			     v["cov:"], v["ft:"], v["corp:"], v["exec/s:"] }' "$log"
}

# merge TARGET: corpus/TARGET becomes the minimized union of itself, work/TARGET and the
# seeds; reproducers of past findings (crash-*, leak-*, timeout-*, oom-*) stay as they are.
merge() {
	local t=$1 new=$out/merge/$1 bin=$out/tests/fuzz/fuzz-$1

	rm -rf "$new"
	mkdir -p "$new" "$out/work/$t" "$here/corpus/$t"
	"$bin" -merge=1 -max_len="${maxlen[$t]:-16384}" -timeout=10 -rss_limit_mb=2048 \
		"$new" "$here/corpus/$t" "$out/work/$t" ${seeds[$t]:-} >"$out/logs/merge-$t.log" 2>&1 ||
		{ tail -n 20 "$out/logs/merge-$t.log"; return 1; }
	find "$here/corpus/$t" -maxdepth 1 -type f \
		\( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) \
		-exec cp {} "$new/" \;
	rm -rf "$here/corpus/$t"
	mv "$new" "$here/corpus/$t"
	echo "fuzz: $t: corpus: $(ls "$here/corpus/$t" | wc -l) files" \
		"($(cat "$here/corpus/$t"/* | wc -c) bytes)"
}

main() {
	local mode=run t passed=0 failed=0 want

	if [ "${1:-}" = --merge ]; then
		mode=merge
		shift
		[ $# -gt 0 ] || die "--merge needs target names"
	fi
	want=("$@")
	[ ${#want[@]} -gt 0 ] || mapfile -t want < <(targets)
	for t in "${want[@]}"; do
		[ -f "$here/fuzz-$t.c" ] || die "unknown target '$t' (have: $(targets | tr '\n' ' '))"
	done
	build
	for t in "${want[@]}"; do
		if [ "$mode" = merge ]; then
			merge "$t" && passed=$((passed + 1)) || failed=$((failed + 1))
		else
			run_one "$t" && passed=$((passed + 1)) || failed=$((failed + 1))
		fi
	done
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}

# On one line, so that bash has read all of it before it runs: editing this file while a long
# run is under way cannot change what the run does next.
main "$@"; exit
