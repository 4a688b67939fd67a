#!/usr/bin/env bash
# tools/check.sh keeps its summary whatever a suite does: each suite runs in its own
# subshell, so a suite's `set -e` (build has one), `exit` or `cd` cannot end the script or
# reach the next suite. The suites are replaced (NT_CHECK_DEFS) by ones that misbehave on
# purpose; both the CI (tee) and the quiet path are run. Prints TAP.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$here/../helpers/tap.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cat >"$tmp/defs.sh" <<'DEFS'
SUITES=(build unit vm netns)
suite_build() { set -e; cd /; echo "1 passed, 0 failed"; }
# with build's set -e leaked, `false` would end the whole script here
suite_unit() { false; echo "after false"; echo "3 passed, 1 failed"; return 1; }
suite_vm() { [ "$PWD" != / ] || { echo "vm: cwd leaked from build"; exit 1; }; echo "2 passed, 0 failed"; }
suite_netns() { exit 7; }
DEFS

for mode in quiet ci; do
	if [ $mode = ci ]; then e=(CI=true); else e=(CI= VERBOSE=); fi
	out=$(env "${e[@]}" NT_CHECK_DEFS="$tmp/defs.sh" NT_CHECK_LOGDIR="$tmp/logs-$mode" \
		"$top/tools/check.sh" build unit vm netns 2>&1)
	rc=$?
	eq "$mode: exit status is non-zero" $((rc != 0)) 1
	check "$mode: build's result" 0 "build: ok (1 passed)" echo "$out"
	check "$mode: the failing suite is reported" 0 "unit: FAILED (rc=1, 3 passed, 1 failed" echo "$out"
	check "$mode: set -e did not leak into unit (it ran past false)" 0 "after false" \
		cat "$tmp/logs-$mode/unit.log"
	check "$mode: the suite after the failure ran, in the top directory" 0 \
		"vm: ok (2 passed)" echo "$out"
	check "$mode: a suite that calls exit is a failure, not the end" 0 \
		"netns: FAILED (rc=7" echo "$out"
	check "$mode: failed suites are listed" 0 "failed suites: unit netns" echo "$out"
	eq "$mode: the last line is the total" "$(tail -n 1 <<<"$out")" "TOTAL: 6 passed, 2 failed"
done
tap_summary
