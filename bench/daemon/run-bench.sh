#!/usr/bin/env bash
# bench/daemon/run-bench.sh [ADDS] [IDLE_SECONDS] [POLL_MS]: the napitune daemon (build/,
# release flags) on veth in a network namespace with a private /run, on the host.
#  1. hotplug: ADDS (default 200) veth pairs added one at a time; for each, the time until
#     the daemon's value is in sysfs (hotplug.py); prints p50, p90, p99, max.
#  2. idle: the daemon watching 200 links for IDLE_SECONDS (default 600) with the default
#     verify-interval (30s): CPU time used (utime+stime, /proc/PID/stat) and RSS
#     (VmRSS, VmHWM, /proc/PID/status).
# Touches nothing outside the namespace (RPS is per device). Root.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
adds=${1:-200}
idle=${2:-600}
poll=${3:-0.2}
napitune=${NAPITUNE:-$top/build/daemon/napitune}
[ -x "$napitune" ] || { echo "build napitune first (meson compile -C build)"; exit 1; }
if [ "${NT_BENCH_INNER:-}" != 1 ]; then
	ns=nt-bench-$$
	ip netns add "$ns"
	trap 'ip netns del "$ns"' EXIT
	NT_BENCH_INNER=1 ip netns exec "$ns" unshare -m --propagation private "$0" "$adds" "$idle" "$poll"
	exit
fi
mount -t tmpfs tmpfs /run
tmp=$(mktemp -d)
cat >"$tmp/p.yaml" <<'P'
name: bench-daemon
devices:
  - match: "ntbA*"
    queues: { rps_flow_cnt: 64 }
P
printf 'profile: %s\n' "$tmp/p.yaml" >"$tmp/napitune.yaml"
"$napitune" --config="$tmp/napitune.yaml" --log=stderr 2>"$tmp/log" &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -rf "$tmp"' EXIT
for _ in $(seq 100); do [ -s /run/napitune/daemon.state ] && break; sleep 0.1; done

echo "napitune $("$napitune" --version | head -n 1), kernel $(uname -r), $(nproc) CPUs, $(uptime | sed 's/.*load/load/')"
python3 "$here/hotplug.py" "$adds" "$poll" >"$tmp/lat"
pct() { # LABEL: p50/p90/p99/max of the microsecond figures on stdin
	sort -n | awk -v n="$adds" -v label="$1" '
	/timeout/ { to++; next }
	{ v[m++] = $1 }
	END {
		if (!m) { print "hotplug: no device tuned"; exit 1 }
		printf "%s, %d adds: p50 %.1f ms  p90 %.1f ms  p99 %.1f ms  max %.1f ms  (%d timeouts)\n",
			label, n, v[int(m * 0.5)] / 1000, v[int(m * 0.9)] / 1000, v[int(m * 0.99)] / 1000,
			v[m - 1] / 1000, to
	}'
}
pct "hotplug, ip link add to value in sysfs (poll $poll ms)" <"$tmp/lat"
# the daemon's own figure: from reading RTM_NEWLINK to the last write read back
sed -n 's/^napitune: ntbA[0-9]*: tuned in \([0-9]*\) ms after its event.*/\1000/p' "$tmp/log" |
	pct "hotplug, daemon's event to done (ms resolution)"

# idle: 200 links stay
for i in $(seq 100); do echo "link add ntbA$i type veth peer name ntbB$i"; done >"$tmp/add"
ip -batch "$tmp/add"
sleep 5
read -ra s0 <"/proc/$pid/stat"
t0=$SECONDS
sleep "$idle"
read -ra s1 <"/proc/$pid/stat"
hz=$(getconf CLK_TCK)
ticks=$(((s1[13] + s1[14]) - (s0[13] + s0[14])))
awk -v t="$ticks" -v hz="$hz" -v s=$((SECONDS - t0)) \
	'BEGIN { printf "idle, 200 links, %d s: CPU %.3f s (%.4f %% of one CPU)\n", s, t / hz, 100 * t / hz / s }'
grep -E '^Vm(RSS|HWM)' "/proc/$pid/status" | tr -s ' \t' ' ' | paste -sd, | sed 's/^/memory: /'
kill "$pid"
wait "$pid" || true
