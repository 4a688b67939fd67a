#!/usr/bin/env bash
# Host network-namespace suite: runs every tests/netns/test-*.sh (each makes its own
# namespaces and touches nothing outside them) and adds up their "N passed, N failed".
set -u
here=$(cd "$(dirname "$0")" && pwd)
passed=0
failed=0
for t in "$here"/test-*.sh; do
	name=$(basename "$t" .sh)
	out=$("$t" 2>&1)
	rc=$?
	printf '%s\n' "$out" | sed "s/^/[$name] /"
	line=$(printf '%s\n' "$out" | grep -E '[0-9]+ passed, [0-9]+ failed' | tail -n 1)
	p=$(sed -nE 's/.*\b([0-9]+) passed, ([0-9]+) failed.*/\1/p' <<<"$line")
	f=$(sed -nE 's/.*\b([0-9]+) passed, ([0-9]+) failed.*/\2/p' <<<"$line")
	p=${p:-0}
	f=${f:-0}
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
done
echo "netns: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
