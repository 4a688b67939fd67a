#!/usr/bin/env bash
# napictl metrics on fixture pairs (tests/fixture scenarios): `promtool check metrics` (the
# Prometheus linter: names, units, HELP, TYPE) reports nothing, the values match the
# diagnosis, and usage errors exit 2. Prints TAP. promtool is Debian's package prometheus.
set -u
napictl=${1:?usage: test-metrics.sh NAPICTL GEN-FIXTURE}
gen=${2:?usage: test-metrics.sh NAPICTL GEN-FIXTURE}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
fails=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
bad() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $1"; }

if ! command -v promtool >/dev/null; then
	echo "not ok 1 - promtool not found: install Debian's prometheus (tools/install-deps.sh)"
	echo "1..1"
	exit 1
fi

for scen in healthy-idle healthy-busy r01 r02 r03 r04-cpu r04-ring r05 r14; do
	mkdir -p "$tmp/$scen/a" "$tmp/$scen/b"
	"$gen" "$tmp/$scen/a" "$scen" 0 && "$gen" "$tmp/$scen/b" "$scen" 1 || {
		bad "$scen: fixture"
		continue
	}
	if ! "$napictl" --root "$tmp/$scen/a" metrics --second-root "$tmp/$scen/b" \
		>"$tmp/$scen.prom" 2>"$tmp/$scen.err"; then
		bad "$scen: napictl metrics failed: $(head -c 400 "$tmp/$scen.err")"
		continue
	fi
	out=$(promtool check metrics <"$tmp/$scen.prom" 2>&1)
	if [ $? -eq 0 ] && [ -z "$out" ]; then
		ok "$scen: promtool check metrics reports nothing"
	else
		bad "$scen: promtool check metrics: ${out:0:600}"
	fi
done

if grep -qx 'napitune_finding{rule="R04",name="ring-overflow",level="crit",device="eth0",cpu="0"} 3' \
	"$tmp/r04-cpu.prom" &&
	grep -qx 'napitune_diagnosis_lost_packets{layer="ring"} 5000' "$tmp/r04-cpu.prom"; then
	ok "r04-cpu: the R04 finding and the ring drops"
else
	bad "r04-cpu: $(grep -E 'napitune_finding|lost_packets' "$tmp/r04-cpu.prom" | head -c 600)"
fi
if grep -q '^napitune_finding{' "$tmp/healthy-idle.prom"; then
	bad "healthy-idle: a finding series"
else
	ok "healthy-idle: no finding series"
fi

# The profile in force without the daemon: what napictl apply leaves in the journal of
# original values (lib/tune/journal.h: "P gen time profile path" starts an apply, "C gen"
# completes it), none without a journal.
prof() { # the profile lines of napictl metrics on r01's pair
	"$napictl" --root "$tmp/r01/a" metrics --second-root "$tmp/r01/b" 2>&1 |
		grep -E '^napitune_(profile_info|last_apply|drift)'
}
out=$(prof)
if [ "$out" = 'napitune_profile_info{profile="none",state="none"} 1' ]; then
	ok "no journal: profile none, no apply"
else
	bad "no journal: ${out:0:400}"
fi
mkdir -p "$tmp/r01/a/run/napitune"
printf 'P\t1\t1700000000\tlow-latency\t/etc/napitune/low-latency.yaml\nE\t1\tnet.core.netdev_max_backlog\t\t0\t0\t0\tnet.core.netdev_max_backlog\t1000\t3000\nC\t1\n' \
	>"$tmp/r01/a/run/napitune/journal"
out=$(prof)
want='napitune_profile_info{profile="low-latency",state="none"} 1
napitune_last_apply_timestamp_seconds 1700000000
napitune_last_apply_success 1'
if [ "$out" = "$want" ]; then
	ok "napictl apply's journal: the profile, the time and success of its apply"
else
	bad "applied: ${out:0:400}"
fi
"$napictl" --root "$tmp/r01/a" metrics --second-root "$tmp/r01/b" >"$tmp/applied.prom" 2>&1
out=$(promtool check metrics <"$tmp/applied.prom" 2>&1)
if [ $? -eq 0 ] && [ -z "$out" ]; then
	ok "with the profile: promtool check metrics reports nothing"
else
	bad "with the profile: promtool check metrics: ${out:0:600}"
fi
# only an apply that never completed (a committed one before it would be the one in force)
printf 'P\t2\t1700000100\tthroughput\t/etc/napitune/throughput.yaml\n' >"$tmp/r01/a/run/napitune/journal"
out=$(prof)
if grep -qx 'napitune_profile_info{profile="throughput",state="none"} 1' <<<"$out" &&
	grep -qx 'napitune_last_apply_success 0' <<<"$out"; then
	ok "an interrupted apply: its profile, success 0"
else
	bad "interrupted: ${out:0:400}"
fi
rm -r "$tmp/r01/a/run"

"$napictl" --root "$tmp/r01/a" metrics --interval=0 >/dev/null 2>&1
rc=$?
if [ $rc -eq 2 ]; then ok "--interval=0: usage error (2)"; else bad "--interval=0: exit $rc"; fi
"$napictl" --root "$tmp/r01/a" metrics extra >/dev/null 2>&1
rc=$?
if [ $rc -eq 2 ]; then ok "an argument: usage error (2)"; else bad "an argument: exit $rc"; fi

echo "1..$n"
[ "$fails" -eq 0 ]
