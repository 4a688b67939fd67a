#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# napiref benchmark: generator sweep from low to overload rate, NAPI mode vs
# legacy mode on the same device, inside the 6.12 VM (tests/vm/vm-run.sh).
# Prints a table and writes a CSV (and a PNG if gnuplot is installed).
#
# Env: RATES ("1000 5000 10000 20000 50000 100000 200000 400000")
#      DURATION (3) seconds per point, QUEUES (1), TICK_US (20) generator
#      arrival granularity, SMP (2), OUT (results dir). Needs root.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${OUT:-${NT_BUILD_CACHE:-/var/tmp/napitune-cache}/driver-bench}
rates=${RATES:-"1000 5000 10000 20000 50000 100000 200000 400000"}
mkdir -p "$out"

make -C "$root/driver" >"$out/build.log" 2>&1 || { tail "$out/build.log"; exit 1; }

SMP=${SMP:-2} MODE=init TIMEOUT=${TIMEOUT:-900} OUT=$out/vm \
	"$root/tests/vm/vm-run.sh" "$here/guest-bench.sh" \
	"$root/driver/napiref.ko" "$out/vm/bench.csv" "$rates" \
	"${DURATION:-3}" "${QUEUES:-1}" "${TICK_US:-20}" >/dev/null
rc=$?
csv=$out/vm/bench.csv
[ -s "$csv" ] || { echo "bench: no results (vm-run rc=$rc, see $out/vm)"; exit 1; }
cp "$csv" "$out/bench.csv"

column -s, -t <"$csv"
echo
# the seeds' claims, from the table
awk -F, '
NR > 1 { k = $2; if ($1 == "napi") { n_irq[k] = $4; n_drop[k] = $6 + $7; n_del[k] = $3; n_ppi[k] = $5 }
	 else { l_irq[k] = $4; l_drop[k] = $6 + $7; l_del[k] = $3 }
	 if (!(k in seen)) { seen[k] = 1; order[++n] = k } }
END {
	for (i = 1; i <= n; i++) { k = order[i]
		if (n_drop[k] < 0.001 * k && k > nf) nf = k
		if (l_drop[k] < 0.001 * k && k > lf) lf = k }
	printf "highest drop-free offered rate: napi %d pps, legacy %d pps (%.1fx)\n", nf, lf, lf ? nf / lf : 0
	printf "hard IRQs/s legacy/napi per offered rate:"
	for (i = 1; i <= n; i++) { k = order[i]
		printf " %d:%.0fx", k, l_irq[k] / (n_irq[k] > 1 ? n_irq[k] : 1) }
	printf "\ndelivered pps napi/legacy per offered rate:"
	for (i = 1; i <= n; i++) { k = order[i]
		printf " %d:%.0f/%.0f", k, n_del[k], l_del[k] }
	printf "\nat %d pps offered (low load): napi %.2f packets per IRQ\n", order[1], n_ppi[order[1]]
}' "$csv"
echo "csv: $out/bench.csv"

if command -v gnuplot >/dev/null; then
	gnuplot <<-EOF 2>/dev/null && echo "plot: $out/bench.png"
	set terminal png size 900,500
	set output "$out/bench.png"
	set datafile separator ","
	set logscale xy
	set key left top
	set xlabel "offered pps"
	plot "< grep ^napi $csv" using 2:3 w lp t "napi delivered pps", \
	     "< grep ^legacy $csv" using 2:3 w lp t "legacy delivered pps", \
	     "< grep ^napi $csv" using 2:(\$4+1) w lp t "napi hard IRQs/s", \
	     "< grep ^legacy $csv" using 2:(\$4+1) w lp t "legacy hard IRQs/s"
	EOF
fi
