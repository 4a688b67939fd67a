#!/usr/bin/env bash
# The shipped alerting rules: `promtool check rules` (syntax, templates) and `promtool test
# rules` (every alert fires on its series and stays quiet on the others). Prints TAP.
# promtool is Debian's package prometheus (tools/install-deps.sh); without it the test fails.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
n=0
fails=0
step() { # NAME CMD...
	local name=$1 out
	shift
	n=$((n + 1))
	if out=$("$@" 2>&1); then
		echo "ok $n - $name"
	else
		echo "not ok $n - $name"
		printf '%s\n' "$out" | sed 's/^/# /'
		fails=$((fails + 1))
	fi
}
if ! command -v promtool >/dev/null; then
	echo "not ok 1 - promtool not found: install Debian's prometheus (tools/install-deps.sh)"
	echo "1..1"
	exit 1
fi
step "promtool check rules napitune-alerts.yml" promtool check rules "$top/prometheus/napitune-alerts.yml"
step "promtool test rules" promtool test rules "$top/tests/prometheus/napitune-alerts.test.yml"
echo "1..$n"
[ "$fails" -eq 0 ]
