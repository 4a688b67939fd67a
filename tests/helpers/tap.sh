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

# in_private_netns LABEL PROGRAM SCRIPT: unless SCRIPT runs with --inner, runs it again as
# "SCRIPT --inner PROGRAM" in a new network namespace (lo up, deleted afterwards) and a
# private mount namespace, and exits with its status. Needs root and an executable PROGRAM;
# otherwise prints one failure with "LABEL0 passed, 1 failed" and exits 1.
in_private_netns()
{
	local label=$1 prog=$2 script=$3 h=nt-h-$$ rc
	if [ "$(id -u)" -ne 0 ] || [ ! -x "$prog" ]; then
		echo "not ok 1 - needs root and $prog"
		echo "${label}0 passed, 1 failed"
		exit 1
	fi
	if ! ip netns add "$h"; then
		echo "not ok 1 - cannot create a network namespace"
		echo "${label}0 passed, 1 failed"
		exit 1
	fi
	ip -n "$h" link set lo up
	ip netns exec "$h" unshare -m --propagation private "$script" --inner "$prog"
	rc=$?
	ip netns del "$h" 2>/dev/null
	exit $rc
}

# until_ok SECONDS CMD...: CMD succeeds within SECONDS (polled every 0.1 s). CMD runs again
# each time, so it must not hold $(...) expanded once by the caller.
until_ok()
{
	local end=$((SECONDS + $1))
	shift
	while ! "$@" >/dev/null 2>&1; do
		[ $SECONDS -ge $end ] && return 1
		sleep 0.1
	done
}
