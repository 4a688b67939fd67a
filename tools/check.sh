#!/usr/bin/env bash
# The one test command: installs dependencies, builds, runs every suite (unit and CLI
# tests normally and under ASan/UBSan, host netns tests, VM tests on a real 6.12
# kernel, the driver's checks, napiref and napictl on 6.1, 6.12 and 7.x) and ends with one
# line "TOTAL: N passed, N failed".
# Exits non-zero if anything failed or could not run. Needs root (apt-get, netns, VM).
#
#   tools/check.sh            everything
#   tools/check.sh unit vm    only the named suites (see SUITES below)
#
# Every suite runs in its own subshell: its shell options (set -e ...), variables and
# working directory cannot reach the suites after it, and a suite that fails or exits
# still leaves the summary and TOTAL line.
#
# Env: NT_CHECK_LOGDIR  where suite logs go (default build/check-logs)
#      NT_CHECK_DEFS    a file sourced after the suite definitions (tests of this script
#                       use it to replace suites with ones that fail on purpose)
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
logdir=${NT_CHECK_LOGDIR:-$top/build/check-logs}
passed=0
failed=0
failed_suites=()

say() { printf '== %s\n' "$*"; }

# Adds the counts a suite printed; a suite that printed none counts once by its status.
account() {
	local name=$1 rc=$2 log=$3 p f line
	line=$(grep -E '^([A-Za-z_-]+: )?[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
	if [ -n "$line" ]; then
		p=$(sed -E 's/^([A-Za-z_-]+: )?([0-9]+) passed.*/\2/' <<<"$line")
		f=$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")
	elif grep -qE '^Ok: ' "$log"; then
		p=$(awk '/^Ok:/ {print $2}' "$log" | tail -n 1)
		f=$(awk '/^(Fail|Timeout|Unexpected Pass):/ {s += $NF} END {print s + 0}' "$log")
	else
		p=0
		f=0
	fi
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
	fi
	if [ "$rc" -eq 0 ] && [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
		p=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	if [ "$rc" -ne 0 ] || [ "$f" -ne 0 ]; then
		failed_suites+=("$name")
		say "$name: FAILED (rc=$rc, $p passed, $f failed; log: $log)"
		tail -n 40 "$log" | sed 's/^/   | /'
	else
		say "$name: ok ($p passed)"
	fi
}

# run_suite NAME CMD...: runs CMD with its output in a log (and on the terminal in CI).
run_suite() {
	local name=$1 log=$logdir/$1.log rc start
	shift
	mkdir -p "$logdir"
	say "$name: $*"
	start=$SECONDS
	if [ -n "${CI:-}" ] || [ -n "${VERBOSE:-}" ]; then
		("$@") 2>&1 | tee "$log"
		rc=${PIPESTATUS[0]}
	else
		("$@") >"$log" 2>&1
		rc=$?
	fi
	account "$name" "$rc" "$log"
	say "$name: $((SECONDS - start)) s"
}

suite_deps() {
	if [ "$(id -u)" -ne 0 ]; then
		echo "check: dependencies: not root; assuming they are installed" >&2
		return 0
	fi
	tools/install-deps.sh
}

suite_build() {
	set -e
	[ -f build/build.ninja ] || meson setup build
	meson compile -C build
	[ -f build-asan/build.ninja ] ||
		meson setup build-asan -Db_sanitize=address,undefined -Db_lundef=false
	meson compile -C build-asan
}

suite_format() {
	tools/format.sh
}

suite_unit() {
	meson test -C build -t 4 --print-errorlogs --suite unit --suite cli --suite tools
}

suite_unit_asan() {
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		meson test -C build-asan -t 8 --print-errorlogs --suite unit --suite cli  # ASan is slower
}

suite_vm() {
	tests/vm/test-smoke.sh
}

SUITES=(deps build format unit unit_asan vm)
[ -x tests/netns/run.sh ] && SUITES+=(netns)
[ -x tests/fuzz/run.sh ] && SUITES+=(fuzz)
[ -x tests/vm/apply/run.sh ] && SUITES+=(vm_apply)
[ -x tests/vm/driver/run.sh ] && SUITES+=(driver)
[ -x tests/vm/peer/run.sh ] && SUITES+=(peer)
[ -x tests/vm/kernels/run.sh ] && SUITES+=(kernels)
[ -x tests/vm/diagnose/run.sh ] && SUITES+=(vm_diagnose)
[ -x tests/vm/daemon/run.sh ] && SUITES+=(vm_daemon)
[ -x tests/packages/run.sh ] && SUITES+=(packages)
[ -x tools/checkpatch.sh ] && [ -d driver ] && SUITES+=(checkpatch)

suite_netns() { tests/netns/run.sh; }
suite_fuzz() { tests/fuzz/run.sh; }
suite_vm_apply() { tests/vm/apply/run.sh; }
suite_vm_daemon() { tests/vm/daemon/run.sh; }
suite_packages() { tests/packages/run.sh; }
suite_driver() { tests/vm/driver/run.sh; }
suite_peer() { tests/vm/peer/run.sh; }
suite_kernels() { tests/vm/kernels/run.sh; }
suite_vm_diagnose() { tests/vm/diagnose/run.sh; }
suite_checkpatch() { tools/checkpatch.sh; }

if [ -n "${NT_CHECK_DEFS:-}" ]; then
	# shellcheck source=/dev/null
	. "$NT_CHECK_DEFS"
fi

want=("$@")
[ "${#want[@]}" -gt 0 ] || want=("${SUITES[@]}")
for s in "${want[@]}"; do
	if ! declare -F "suite_$s" >/dev/null; then
		echo "check: unknown suite '$s' (have: ${SUITES[*]})" >&2
		exit 2
	fi
	run_suite "$s" "suite_$s"
	if [ "$s" = deps ] || [ "$s" = build ]; then
		# Nothing else can run without these.
		[ "${#failed_suites[@]}" -eq 0 ] || break
	fi
done

if [ "${#failed_suites[@]}" -gt 0 ]; then
	say "failed suites: ${failed_suites[*]}"
fi
echo "TOTAL: $passed passed, $failed failed"
[ "${#failed_suites[@]}" -eq 0 ] && [ "$failed" -eq 0 ]
