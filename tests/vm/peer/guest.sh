#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Peer suite, guest side: the kernel's own driver selftests
# (tools/testing/selftests/drivers/net of the kernel source) against a napiref
# pair and against QEMU's virtio-net (eth0, with eth1 as its peer: NIC=mqpair),
# in one VM. Each device is tested as the selftests' README describes for real
# hardware: NETIF, LOCAL_V4/V6, REMOTE_V4/V6 and REMOTE_TYPE=netns, the peer
# port in its own network namespace.
#
# Usage: guest.sh NAPIREF_KO KSRC SHIMDIR
#   KSRC     extracted kernel source tree (selftests, tools/net/ynl, specs)
#   SHIMDIR  holds "ethtool": answers --json -x/-c/-g from netlink (ethtool-json.c)
#
# Every test file runs twice per device: "stock" with Debian's ethtool 6.1,
# and "netlink" with SHIMDIR first in PATH, for the files that need the JSON
# output ethtool 6.1 lacks. Results go to $VM_OUT/peer-results.txt as
# "DEVICE VARIANT CASE RESULT" (pass, fail, skip, xfail; timeout for a file
# that never finished). Checks: napiref does at least as well as virtio-net on
# every case, and passes the RSS cases once ethtool's JSON comes from netlink.
# Prints "PASS: name" / "FAIL: name: reason" and "N passed, N failed".
set -u

KO=$1
KSRC=$2
SHIM=$3
NET=$KSRC/tools/testing/selftests/drivers/net
RES=$VM_OUT/peer-results.txt
# (not hw/csum.py: in 6.12 it reads cfg.remote_ifname, which 6.12's
# NetDrvEpEnv does not have, so all its cases fail before testing anything)
TESTS="ping.py queues.py stats.py hw/rss_ctx.py hw/pp_alloc_fail.py"
# the files that read "ethtool --json -x/-c" before testing the device
# (pp_alloc_fail reads "--json -g" only after fault injection, which
# Debian's kernel does not have: CONFIG_FAULT_INJECTION is not set)
JSON_TESTS="hw/rss_ctx.py"
FILE_TIMEOUT=${PEER_FILE_TIMEOUT:-300}

npass=0
nfail=0
t0=$SECONDS
pass() { npass=$((npass + 1)); echo "PASS: $1 ($((SECONDS - t0))s)"; }
fail() { nfail=$((nfail + 1)); echo "FAIL: $1: $2 ($((SECONDS - t0))s)"; }
info() { echo "INFO: $*"; }

[ -e /dev/fd ] || ln -s /proc/self/fd /dev/fd
mount -t debugfs none /sys/kernel/debug 2>/dev/null
ip link set lo up
: >"$RES"

# addresses DEV NS V4PFX V6PFX HOST: the configuration the selftests need,
# (re)applied before every test file. stats.py check_down takes NETIF down
# and up again, and a down link loses its static IPv6 addresses
# (net.ipv6.conf.*.keep_addr_on_down is 0): without this, every later test
# that reaches NETIF over IPv6 gets "No route to host".
addresses()
{
	local dev=$1 ns=$2 v4=$3 v6=$4 host=$5 n=()
	[ -n "$ns" ] && n=(-n "$ns")
	ip "${n[@]}" addr replace "$v4.$host/24" dev "$dev"
	ip "${n[@]}" -6 addr replace "$v6::$host/64" dev "$dev" nodad
	ip "${n[@]}" link set "$dev" up
}

# KTAP of one test file -> "CASE RESULT COMMENT" lines. Two failures only
# say the emulated machine was too slow, not that the device misbehaved:
# they become "slow" (ranked like a skip), with the figure in the comment:
#   pp_alloc_fail.test_pp_alloc: "Traffic seems low" (below 15000 packets/s
#     before any allocation fails, check_traffic_flowing());
#   rss_ctx.test_hitless_key_update: when its only failed check is the 0.2 s
#     limit on running "ethtool -X hkey" while iperf3 loads the VM (the
#     errors and carrier checks passed).
ktap_results()
{
	awk '
	/^(not )?ok [0-9]+ / {
		res = $1 == "not" ? "fail" : "pass"
		sub(/^(not )?ok [0-9]+ /, "")
		name = $1
		comment = ""
		if (index($0, " # SKIP ")) { res = "skip"; comment = substr($0, index($0, " # SKIP ") + 8) }
		if (index($0, " # XFAIL ")) { res = "xfail"; comment = substr($0, index($0, " # XFAIL ") + 9) }
		if (res == "fail" && name == "pp_alloc_fail.test_pp_alloc" && low != "") {
			res = "slow"; comment = "packets/s " low " < 15000"
		}
		if (res == "fail" && name == "rss_ctx.test_hitless_key_update" &&
		    !exc && timing != "" && !other) {
			res = "slow"; comment = "ethtool -X took " timing " s >= 0.2 s"
		}
		if (res == "fail" && js != "")
			comment = "ethtool 6.1 has no JSON for: " js
		else if (res == "fail" && why != "")
			comment = why
		print name, res, comment
		low = ""; timing = ""; exc = 0; other = 0; js = ""; why = ""
		next
	}
	/Command failed: ethtool --json/ { js = $0; sub(/.*Command failed: /, "", js) }
	/^# Exception\| [A-Za-z_.]*(Error|Exception|FailEx|Failure):/ { why = $0; sub(/^# Exception\| /, "", why) }
	/^# Check failed/ { why = $0; sub(/^# /, "", why) }
	/Traffic seems low:/ { low = $0; sub(/.*low:[^0-9]*/, "", low); sub(/[^0-9].*/, "", low) }
	/^# Exception\|/ { exc = 1 }
	/^# Check\| At / { getline src; getline chk
		if (chk !~ /Check failed/) next
		if (src ~ /total_seconds\(\), 0\.2\)/) { timing = chk; sub(/.*failed /, "", timing); sub(/ .*/, "", timing) }
		else other = 1 }
	' "$1"
}

# run_file DEVICE VARIANT FILE: one test file, results appended to $RES.
# pp_alloc_fail is tried up to three times while it is "slow".
run_file()
{
	local dev=$1 var=$2 f=$3 log rc n try=1
	log=$VM_OUT/peer-$dev-$var-${f//\//_}.log
	while :; do
		$SETUP
		if [ "$var" = netlink ]; then
			PATH=$SHIM:$PATH timeout -k 10 "$FILE_TIMEOUT" python3 "$NET/$f" >"$log" 2>&1
		else
			timeout -k 10 "$FILE_TIMEOUT" python3 "$NET/$f" >"$log" 2>&1
		fi
		rc=$?
		[ "$f" = hw/pp_alloc_fail.py ] && [ $try -lt 3 ] &&
			ktap_results "$log" | grep -q ' slow ' || break
		info "$dev $var $f: attempt $try: $(ktap_results "$log")"
		try=$((try + 1))
	done
	ktap_results "$log" | sed "s/^/$dev $var /" >>"$RES"
	n=$(ktap_results "$log" | wc -l)
	if [ $rc = 124 ] || [ $rc = 137 ]; then
		echo "$dev $var ${f##*/} timeout after ${FILE_TIMEOUT}s" >>"$RES"
	elif [ "$n" = 0 ]; then
		echo "$dev $var ${f##*/} fail no KTAP result (rc=$rc)" >>"$RES"
	fi
	info "$dev $var $f: rc=$rc, $n cases, $((SECONDS - t0))s"
}

# run_device DEVICE: every file stock, the JSON ones again with the shim
run_device()
{
	local f
	for f in $TESTS; do run_file "$1" stock "$f"; done
	for f in $JSON_TESTS; do run_file "$1" netlink "$f"; done
}

# ------------------------------------------------------------ napiref
if insmod "$KO" queues=4 && ip netns add nrpeer && ip link set napiref1 netns nrpeer; then
	ip -n nrpeer link set lo up
	setup_napiref()
	{
		addresses napiref0 "" 192.0.2 2001:db8 1
		addresses napiref1 nrpeer 192.0.2 2001:db8 2
	}
	SETUP=setup_napiref
	export NETIF=napiref0 LOCAL_V4=192.0.2.1 REMOTE_V4=192.0.2.2 \
		LOCAL_V6=2001:db8::1 REMOTE_V6=2001:db8::2 \
		REMOTE_TYPE=netns REMOTE_ARGS=nrpeer
	info "napiref: $(ethtool -i napiref0 | tr '\n' ' ')"
	# what test_hitless_key_update times, on an idle VM, next to a command
	# that does not reach the driver's RSS code
	key=$(printf '%02x:' $(seq 1 40))
	ta=$EPOCHREALTIME
	ethtool -X napiref0 hkey "${key%:}"
	tb=$EPOCHREALTIME
	ethtool -i napiref0 >/dev/null
	tc=$EPOCHREALTIME
	info "idle VM: 'ethtool -X napiref0 hkey' $(awk -v a="$ta" -v b="$tb" 'BEGIN { printf "%.3f", b - a }') s," \
		"'ethtool -i napiref0' $(awk -v a="$tb" -v b="$tc" 'BEGIN { printf "%.3f", b - a }') s"
	run_device napiref
	ip netns del nrpeer
	rmmod napiref
else
	fail napiref-setup "cannot load napiref or move napiref1"
fi

# ------------------------------------------------------------ virtio-net
for _ in $(seq 50); do [ -e /sys/class/net/eth1 ] && break; sleep 0.2; done
if [ -e /sys/class/net/eth1 ] && ip netns add vpeer && ip link set eth1 netns vpeer; then
	ip -n vpeer link set lo up
	setup_virtio()
	{
		addresses eth0 "" 198.51.100 2001:db8:1 1
		addresses eth1 vpeer 198.51.100 2001:db8:1 2
	}
	SETUP=setup_virtio
	export NETIF=eth0 LOCAL_V4=198.51.100.1 REMOTE_V4=198.51.100.2 \
		LOCAL_V6=2001:db8:1::1 REMOTE_V6=2001:db8:1::2 \
		REMOTE_TYPE=netns REMOTE_ARGS=vpeer
	info "virtio-net: $(ethtool -i eth0 | tr '\n' ' ')"
	run_device virtio
	ip netns del vpeer
else
	fail virtio-setup "no eth1 (run with NIC=mqpair)"
fi

# ------------------------------------------------------------ checks
rank()
{
	case $1 in pass) echo 2 ;; skip | xfail | slow) echo 1 ;; *) echo 0 ;; esac
}
declare -A vres=()
while read -r dev var name res _; do
	[ "$dev" = virtio ] && vres[$var/$name]=$res
done <"$RES"
nbetter=0
while read -r dev var name res comment; do
	[ "$dev" = napiref ] || continue
	v=${vres[$var/$name]:-none}
	if [ "$v" = none ] || [ "$(rank "$res")" -ge "$(rank "$v")" ]; then
		pass "napiref-not-worse: $var $name ($res, virtio-net $v)"
		[ "$v" != none ] && [ "$(rank "$res")" -gt "$(rank "$v")" ] &&
			nbetter=$((nbetter + 1))
	else
		fail "napiref-not-worse: $var $name" "napiref $res ($comment), virtio-net $v"
	fi
done <"$RES"
info "napiref better than virtio-net on $nbetter cases"

# With the JSON from netlink, napiref passes the RSS cases that need no ntuple
# filters or RSS contexts (napiref has neither: those skip).
for c in test_rss_key_indir test_rss_queue_reconfigure test_rss_resize test_hitless_key_update; do
	r=$(awk -v c="rss_ctx.$c" '$1 == "napiref" && $2 == "netlink" && $3 == c { print $4 }' "$RES")
	[ "$r" = pass ] || { [ "$r" = slow ] && [ $c = test_hitless_key_update ]; } &&
		pass "napiref-rss-via-netlink: $c ($r)" ||
		fail "napiref-rss-via-netlink: $c" "${r:-missing} (see peer-napiref-netlink-hw_rss_ctx.py.log)"
done

echo "suite wall time: $((SECONDS - t0))s"
echo "$npass passed, $nfail failed"
[ $nfail = 0 ]
