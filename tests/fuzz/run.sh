#!/usr/bin/env bash
# Builds the profile-parser fuzzer with clang-14 (libFuzzer + ASan + UBSan) and runs it for
# a bounded time (FUZZ_SECONDS, default 60) on the seed corpus. Any crash, leak or UB fails.
# Ends with "N passed, N failed".
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
secs=${FUZZ_SECONDS:-60}
out=$top/build/fuzz
cc=${FUZZ_CC:-clang-14}
fail() { echo "fuzz: $*"; echo "0 passed, 1 failed"; exit 1; }
command -v "$cc" >/dev/null || fail "$cc not found (apt-get install clang-14)"
[ -f "$top/build/config.h" ] || fail "no build/config.h: run meson setup build first"
mkdir -p "$out/corpus" || fail "cannot create $out"
srcs=(tune/profile.c tune/cpuspec.c tune/devmatch.c tune/lint.c knobs/knob.c basic/parse-util.c
	basic/cpuset.c basic/error.c basic/fs.c basic/json.c basic/msgs.c basic/string-table.c)
"$cc" -g -O1 -std=gnu11 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	$(printf -- '-I%s ' "$top"/lib/*/) -I"$top/build" "$here/fuzz-profile.c" "${srcs[@]/#/$top/lib/}" \
	-lyaml -o "$out/fuzz-profile" || fail "build failed"
# Seeds: the checked-in corpus plus every profile the tests and the package ship.
cp "$here"/corpus/* "$top"/profiles/*.yaml "$top"/tests/data/profiles/*/*.yaml "$out/corpus/" \
	2>/dev/null
log=$out/fuzz.log
"$out/fuzz-profile" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
	-print_final_stats=1 -artifact_prefix="$out/" "$out/corpus" >"$log" 2>&1
rc=$?
tail -n 15 "$log"
if [ "$rc" -ne 0 ]; then
	echo "fuzz: failure, reproducer in $out/ (see $log)"
	echo "0 passed, 1 failed"
	exit 1
fi
echo "1 passed, 0 failed"
