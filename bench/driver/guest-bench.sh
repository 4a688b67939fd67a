#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# napiref generator sweep, NAPI mode vs legacy mode; runs inside the VM.
# Usage: guest-bench.sh KO CSV "RATES" DURATION TICK_US REPS STEPS
#
# Both modes get the same generator settings (1 queue, 64 B UDP, 64 flows,
# TICK_US). The receive queue's IRQ is pinned to the last CPU, this script
# and the generator's hrtimer run on CPU 0, so the receive CPU does nothing
# but receive and its /proc/stat line measures the receive path alone.
#
# Per mode: a grid sweep (RATES, REPS runs per rate), then a bisection of
# the highest drop-free rate between the last drop-free grid rate and the
# first one that drops (STEPS probes of REPS runs; a probe is drop-free if
# the median drop fraction is <= 0.1 %). One CSV row per run: see
# bench/driver/README.md.
set -u

KO=$1
CSV=$2
RATES=$3
DUR=$4
TICK=$5
REPS=$6
STEPS=$7
DBG=/sys/kernel/debug/napiref
GEN=$DBG/napiref1/gen
NCPU=$(nproc)
RXCPU=$((NCPU - 1))
DROP_MAX=0.001

mount -t debugfs none /sys/kernel/debug 2>/dev/null
taskset -pc 0 $$ >/dev/null || { echo "bench: taskset failed" >&2; exit 1; }

# one ethtool -S call per sample (process creation is slow under TCG)
declare -A ES
estats()
{
	local k v
	ES=()
	ethtool -S napiref1 >/tmp/es.txt || return 1
	while read -r k v; do ES[${k%:}]=$v; done </tmp/es.txt
}

# "irq softirq idle total" ticks of the receive CPU
rx_cpu_ticks()
{
	local cpu user nice sys idle iow irq sirq rest
	while read -r cpu user nice sys idle iow irq sirq rest; do
		[ "$cpu" = "cpu$RXCPU" ] || continue
		echo "$irq $sirq $idle $((user + nice + sys + idle + iow + irq + sirq))"
		return
	done </proc/stat
}

# Ip InReceives: frames that reached the IP layer (after the backlog)
ip_in()
{
	awk '/^Ip:/ {if (h) {print $4; exit} h = 1}' /proc/net/snmp
}

backlog_drops()
{
	local sum=0 line f
	while read -r line; do
		read -r -a f <<<"$line"
		sum=$((sum + 16#${f[1]}))
	done </proc/net/softnet_stat
	echo $sum
}

# run MODE PHASE RATE REP: one measurement, appends a CSV row, prints the
# drop fraction
run()
{
	local mode=$1 phase=$2 rate=$3 rep=$4
	local p0 i0 d0 l0 in0 b0 ir0 s0 id0 t0 e0 e1 p1 i1 d1 l1 in1 b1 ir1 s1 id1 t1

	estats || return 1
	p0=${ES[total_rx_packets]} i0=${ES[total_rx_irqs]}
	d0=${ES[total_rx_ring_drops]} l0=${ES[total_rx_polls]}
	in0=$(ip_in) b0=$(backlog_drops)
	read -r ir0 s0 id0 t0 <<<"$(rx_cpu_ticks)"
	e0=$EPOCHREALTIME
	echo "rate=$rate size=64 flows=64 queues=0x1 tick_us=$TICK src_ip=198.18.0.1 dst_ip=198.18.0.2 dst_port=9" >$GEN
	sleep "$DUR"
	echo stop >$GEN
	e1=$EPOCHREALTIME
	read -r ir1 s1 id1 t1 <<<"$(rx_cpu_ticks)"
	# frames still in the ring or backlog are delivered, not dropped
	sleep 0.2
	estats || return 1
	p1=${ES[total_rx_packets]} i1=${ES[total_rx_irqs]}
	d1=${ES[total_rx_ring_drops]} l1=${ES[total_rx_polls]}
	in1=$(ip_in) b1=$(backlog_drops)
	awk -v m="$mode" -v ph="$phase" -v o="$rate" -v rep="$rep" -v e0="$e0" -v e1="$e1" \
		-v din=$((in1 - in0)) -v di=$((i1 - i0)) -v dp=$((p1 - p0)) -v dd=$((d1 - d0)) \
		-v db=$((b1 - b0)) -v dl=$((l1 - l0)) -v dir=$((ir1 - ir0)) -v ds=$((s1 - s0)) \
		-v did=$((id1 - id0)) -v dt=$((t1 - t0)) -v csv="$CSV" '
	BEGIN {
		# divide by the measured interval: under overload this script
		# may be late (it runs on another CPU, but still)
		dur = e1 - e0
		if (dt <= 0) dt = 1
		gen = dp + dd		# frames the device received
		drop = dd + db
		frac = gen > 0 ? drop / gen : 1
		ppi = di > 0 ? sprintf("%.2f", dp / di) : "inf"
		printf "%s,%s,%d,%d,%.0f,%.0f,%.0f,%s,%.0f,%.0f,%.5f,%.1f,%.1f,%.1f,%.0f\n",
			m, ph, o, rep, gen / dur, din / dur, di / dur, ppi, dd / dur, db / dur,
			frac, 100 * dir / dt, 100 * ds / dt, 100 * (dt - did) / dt,
			dl / dur >> csv
		printf "%.5f\n", frac
	}'
}

# probe MODE PHASE RATE: REPS runs, prints 1 if the median drop fraction is
# within DROP_MAX
probe()
{
	local mode=$1 phase=$2 rate=$3 r fr=()
	for ((r = 1; r <= REPS; r++)); do
		fr+=("$(run "$mode" "$phase" "$rate" "$r")")
	done
	printf '%s\n' "${fr[@]}" | sort -g | awk -v max=$DROP_MAX '
		{ v[NR] = $1 }
		END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		      print (m <= max) ? 1 : 0 }'
}

echo "mode,phase,offered_pps,rep,arrived_pps,delivered_pps,hardirqs_per_s,pkts_per_irq,ring_drops_per_s,backlog_drops_per_s,drop_frac,rxcpu_hardirq_pct,rxcpu_softirq_pct,rxcpu_busy_pct,polls_per_s" >"$CSV"
: >"${CSV%.csv}.knee"

for mode in napi legacy; do
	lflag=0
	[ $mode = legacy ] && lflag=1
	insmod "$KO" queues=1 legacy=$lflag || exit 1
	ip link set napiref0 up
	ip addr add 198.18.0.2/24 dev napiref1
	ip link set napiref1 up
	ethtool -G napiref1 rx 4096
	irq=$(awk '/napiref1-rx-0/ {sub(":", "", $1); print $1}' /proc/interrupts)
	echo $RXCPU >/proc/irq/"$irq"/smp_affinity_list || exit 1
	sleep 1

	lo=0 hi=0
	for rate in $RATES; do
		ok=$(probe $mode grid "$rate")
		echo "# $mode grid $rate drop-free=$ok" >&2
		if [ "$ok" = 1 ] && [ $hi = 0 ]; then
			lo=$rate
		elif [ $hi = 0 ]; then
			hi=$rate
		fi
	done
	for ((s = 0; s < STEPS && hi > 0 && lo > 0; s++)); do
		# stop at 2 % resolution
		[ $((hi - lo)) -le $((lo / 50)) ] && break
		mid=$(( (lo + hi) / 2 / 100 * 100 ))
		[ "$mid" -le "$lo" ] && break
		ok=$(probe $mode bisect "$mid")
		echo "# $mode bisect $mid drop-free=$ok" >&2
		if [ "$ok" = 1 ]; then lo=$mid; else hi=$mid; fi
	done
	echo "$mode,knee,$lo,$hi" >>"${CSV%.csv}.knee"
	rmmod napiref
done
