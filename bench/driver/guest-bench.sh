#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# napiref generator sweep, NAPI mode vs legacy mode; runs inside the VM.
# Usage: guest-bench.sh KO CSV "RATES" DURATION QUEUES TICK_US
# Writes one CSV row per (mode, rate): see bench/driver/README.md.
set -u

KO=$1
CSV=$2
RATES=$3
DUR=$4
NQ=$5
TICK=$6
DBG=/sys/kernel/debug/napiref

mount -t debugfs none /sys/kernel/debug 2>/dev/null

estat()
{
	ethtool -S napiref1 | awk -v k="$1:" '$1 == k {print $2}'
}

# "softirq_ticks irq_ticks total_ticks" summed over all CPUs
cpu_ticks()
{
	local cpu user nice sys idle iow irq sirq rest
	read -r cpu user nice sys idle iow irq sirq rest </proc/stat
	echo "$sirq $irq $((user + nice + sys + idle + iow + irq + sirq))"
}

# Ip InReceives: frames that reached the IP layer (after the backlog)
ip_in()
{
	# header "Ip: Forwarding DefaultTTL InReceives ..." then the values
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

echo "mode,offered_pps,delivered_pps,hardirqs_per_s,pkts_per_irq,ring_drops_per_s,backlog_drops_per_s,softirq_pct,hardirq_pct,polls_per_s" >"$CSV"
qmask=$(( (1 << NQ) - 1 ))

for mode in napi legacy; do
	lflag=0
	[ $mode = legacy ] && lflag=1
	insmod "$KO" queues="$NQ" legacy=$lflag || exit 1
	ip link set napiref0 up
	ip addr add 198.18.0.2/24 dev napiref1
	ip link set napiref1 up
	ethtool -G napiref1 rx 4096
	sleep 1
	for rate in $RATES; do
		per_q=$(( (rate + NQ - 1) / NQ ))
		p0=$(estat total_rx_packets) i0=$(estat total_rx_irqs)
		d0=$(estat total_rx_ring_drops) l0=$(estat total_rx_polls)
		in0=$(ip_in) b0=$(backlog_drops)
		read -r s0 h0 t0 <<<"$(cpu_ticks)"
		e0=$EPOCHREALTIME
		echo "rate=$per_q size=64 flows=64 queues=$qmask tick_us=$TICK src_ip=198.18.0.1 dst_ip=198.18.0.2 dst_port=9" >$DBG/napiref1/gen
		sleep "$DUR"
		echo stop >$DBG/napiref1/gen
		# under overload this script itself starves (receive livelock):
		# divide by the measured interval, not by the requested one
		e1=$EPOCHREALTIME
		read -r s1 h1 t1 <<<"$(cpu_ticks)"
		in1=$(ip_in) b1=$(backlog_drops)
		p1=$(estat total_rx_packets) i1=$(estat total_rx_irqs)
		d1=$(estat total_rx_ring_drops) l1=$(estat total_rx_polls)
		dp=$((p1 - p0)) di=$((i1 - i0)) dt=$((t1 - t0))
		[ $dt -gt 0 ] || dt=1
		awk -v m=$mode -v o=$((per_q * NQ)) -v e0="$e0" -v e1="$e1" -v din=$((in1 - in0)) \
			-v di=$di -v dp=$dp -v dd=$((d1 - d0)) -v db=$((b1 - b0)) \
			-v ds=$((s1 - s0)) -v dh=$((h1 - h0)) -v dt=$dt -v dl=$((l1 - l0)) \
			'BEGIN { dur = e1 - e0; printf "%s,%d,%.0f,%.0f,%.1f,%.0f,%.0f,%.1f,%.1f,%.0f\n", m, o,
				din / dur, di / dur, di ? dp / di : 0, dd / dur, db / dur,
				100 * ds / dt, 100 * dh / dt, dl / dur }' >>"$CSV"
		tail -1 "$CSV"
		sleep 1
	done
	rmmod napiref
done
