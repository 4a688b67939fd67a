# SPDX-License-Identifier: GPL-2.0-or-later
# TAP helpers for the shell tests (source it). Counts in n (tests) and fails.
#   ok NAME / bad NAME            one result
#   check NAME RC WANT CMD...     CMD exits with RC and its output contains WANT
#   eq NAME GOT WANT              GOT equals WANT
#   tap_summary [PREFIX]          "1..n" and "PREFIXN passed, N failed"; status 1 on failures
# TAP_OUT_MAX (1200): how much of a failing command's output is shown.
n=0
fails=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
bad() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $1"; }
check()
{
	local name=$1 want_rc=$2 want=$3 out rc
	shift 3
	out=$("$@" 2>&1)
	rc=$?
	if [ "$rc" -eq "$want_rc" ] && [[ "$out" == *"$want"* ]]; then
		ok "$name"
	else
		bad "$name (rc=$rc, want $want_rc; output: ${out:0:${TAP_OUT_MAX:-1200}})"
	fi
}
eq() { if [ "$2" = "$3" ]; then ok "$1"; else bad "$1: got '$2', want '$3'"; fi; }
tap_summary()
{
	echo "1..$n"
	echo "${1:-}$((n - fails)) passed, $fails failed"
	[ "$fails" -eq 0 ]
}
