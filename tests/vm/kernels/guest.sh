#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The kernels suite inside one VM (tests/vm/kernels/run.sh boots one per kernel: Debian 12's
# 6.1, 6.12, the newest 7.x), as root, with a multi-queue virtio-net NIC. In this one boot:
#   1. napiref's core checks: tests/vm/driver/guest-suite.sh with light stress;
#   2. every shipped profile applied, verified and reverted byte for byte on virtio-net and
#      napiref: tests/vm/apply/guest.sh;
#   3. here: the plan and the map find the same IRQs on every device; napiref's IRQ affinity
#      survives down/up, ethtool -L and -G; without napi-set, the plan of per-NAPI keys names
#      each key's fallback or why it is unsupported, and the fallback to napiref's device files
#      is applied, verified and reverted; where the kernel has napi-set (6.13+): per-NAPI
#      settings applied by napictl through napi-set, read back through napi-get, NAPI ids and
#      settings unchanged after down/up, -L and -G, reverted byte for byte; napi.threaded:
#      busy-poll starts a busy-polling kthread that napictl pins where napi-set's policy allows
#      threaded = 2, and is unsupported here (the kernel refusing it too) where not;
#   4. where the kernel has napi-set: the daemon (foreground) with per-NAPI settings over
#      down/up and ethtool -L, napiref with napi_config=1 (the kernel keeps them, the daemon
#      counts "kept") and reloaded with napi_config=0 (new NAPI ids and defaults, the daemon
#      applies them again and counts "re-applied").
# What the kernel offers is probed from its symbols (/proc/kallsyms), not from its version.
#
# Usage: guest.sh KO BINDIR      (BINDIR holds nr_netlink and nr_sock)
# Prints TAP-like lines per part and "N passed, N failed" for everything.
set -u
ko=$1
bin=$2
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../.." && pwd)
napictl=$top/build/cli/napictl
snap="python3 $top/tests/vm/apply/snapshot.py"
NL=$bin/nr_netlink
passed=0
failed=0
n=0
ok() { n=$((n + 1)); passed=$((passed + 1)); echo "ok $n - $1"; }
bad() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
# check NAME STATUS [DETAIL]
check() { if [ "$2" = 0 ]; then ok "$1"; else bad "$1${3:+: $3}"; fi; }

# part NAME CMD...: a sub-suite; its lines prefixed with [NAME], its "N passed, N failed" added
part()
{
	local name=$1 log=/tmp/part-$1.log line p f rc
	shift
	SECONDS=0
	"$@" >"$log" 2>&1
	rc=$?
	sed "s/^/[$name] /" "$log"
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1)
	p=${line%% passed*}
	f=${line#*, }
	f=${f%% failed}
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${f:-0}))
	if [ -z "$line" ] || { [ "$rc" -ne 0 ] && [ "${f:-0}" = 0 ]; }; then
		bad "$name: exit $rc without a failure count"
	fi
	echo "# $name: ${p:-0} passed, ${f:-0} failed in ${SECONDS}s"
}

# MODE=init guests have no /dev/fd; bash process substitution needs it
[ -e /dev/fd ] || ln -s /proc/self/fd /dev/fd
. "$top/tests/vm/kernel-has.sh"
kernel_has netdev_nl_napi_get_doit netdev_nl_napi_set_doit
has_napi_get=$has_netdev_nl_napi_get_doit
has_napi_set=$has_netdev_nl_napi_set_doit
echo "# kernel $(uname -r), $(nproc) CPUs: napi-get=$has_napi_get napi-set=$has_napi_set"

# 1, 2: the driver's and the apply suite's own guest scripts
part driver "$top/tests/vm/driver/guest-suite.sh" "$ko" "$bin" "${CYCLES:-20}" \
	"${PAIR_CYCLES:-10}" "${CHANGES:-10}"
# (no SIGKILL trials: they test napictl's journal, the same on every kernel; vm_apply has them)
part apply env TRIALS="${TRIALS:-0}" "$top/tests/vm/apply/guest.sh" "$ko"

# 3. ------------------------------------------------------------------------------------------
mount -t debugfs none /sys/kernel/debug 2>/dev/null
if insmod "$ko" pairs=1 queues=4 && ip link set napiref0 up && ip link set napiref1 up; then
	ok "napiref loaded, 4 queues per port"
else
	bad "cannot load napiref ($ko)"
fi
ifx=$(cat /sys/class/net/napiref0/ifindex)

# The plan and the map must agree on every device's IRQs (the planner once found none on 6.1,
# where the map found them by their /proc/interrupts names). Both follow the one topology:
# a device's IRQs to pin are its receive queues' IRQs where the map knows them (rx_queues[].irq),
# else every IRQ the map lists for it (virtio-net's transmit and config IRQs are not pinned).
"$napictl" --json map >/tmp/map.json 2>/tmp/map.err
mrc=$?
"$napictl" --json plan "$here/all-irqs.yaml" >/tmp/plan.json 2>/tmp/plan.err
prc=$?
check "napictl map and plan run (map rc=$mrc, plan rc=$prc)" $((mrc | prc)) \
	"$(cat /tmp/map.err /tmp/plan.err | head -n 3)"
python3 - /tmp/map.json /tmp/plan.json <<'EOF' >/tmp/agree.txt
import json, sys
m = json.load(open(sys.argv[1]))
p = json.load(open(sys.argv[2]))
planned = {}
for c in p.get("changes", []):
    if c.get("key") == "smp_affinity":
        words = c["object"].split()
        s = planned.setdefault(c["device"], set())
        if len(words) == 3:
            s.add(int(words[2]))
for d in m["devices"]:
    irqs = {q["irq"] for q in d["rx_queues"] if q.get("irq") is not None and q["irq"] >= 0}
    if not irqs:
        irqs = {i["irq"] for i in d["irqs"]}
    if d["name"] == "lo":
        continue
    print("%s %s %s %s" % ("same" if irqs == planned.get(d["name"], set()) else "differ", d["name"],
          ",".join(map(str, sorted(irqs))) or "-",
          ",".join(map(str, sorted(planned.get(d["name"], set())))) or "-"))
EOF
while read -r verdict dev mirqs pirqs; do
	[ "$verdict" = same ]
	check "plan and map agree on the IRQs of $dev (map: $mirqs)" $? "plan: $pirqs"
done </tmp/agree.txt
# (not vacuous: the map has the queue IRQs)
grep -qE '^[a-z]+ napiref0 [0-9]+,[0-9]+,[0-9]+,[0-9]+ ' /tmp/agree.txt &&
	grep -qE '^[a-z]+ eth0 [0-9]' /tmp/agree.txt
check "the map finds napiref0's 4 queue IRQs and eth0's" $? "$(tr '\n' ';' </tmp/agree.txt)"

# napiref0's queue IRQs, by their /proc/interrupts names, in queue order
irqs=()
while read -r line; do
	case $line in *napiref0-rx-*) irqs[${line##*-rx-}]=${line%%:*} ;; esac
done </proc/interrupts
ncpu=$(nproc)
# a start affinity that is not the driver's spread: queue q on CPU q+1
for q in "${!irqs[@]}"; do
	echo $(((q + 1) % ncpu)) >"/proc/irq/${irqs[$q]// /}/smp_affinity_list"
done

# state: one line per queue IRQ (affinity), then napi-get's view (ids and settings), if any
state()
{
	local q
	for q in "${!irqs[@]}"; do
		echo "irq rx-$q $(cat "/proc/irq/${irqs[$q]// /}/smp_affinity_list")"
	done
	[ $has_napi_get = 0 ] || "$NL" napi "$ifx" | sed 's/ pid=[-0-9]*//' | sort
}

before=$($snap)
if [ $has_napi_set = 0 ]; then
	# Without napi-set the plan of per-NAPI keys says, per key and device, what it does
	# instead (a device-wide fallback) or why not (unsupported here), and is never an error.
	"$napictl" plan "$here/napi.yaml" 2>&1 | sed 's/^/# plan: /'
	"$napictl" --json plan "$here/napi.yaml" >/tmp/napiplan.json 2>/tmp/napiplan.err
	prc=$?
	python3 - /tmp/napiplan.json <<'EOF' >/tmp/napiplan.txt
import json, re, sys
keys = ["napi.defer-hard-irqs", "napi.gro-flush-timeout", "napi.irq-suspend-timeout",
        "napi.threaded"]
p = json.load(open(sys.argv[1]))
seen, bad = {}, []
for c in p.get("changes", []):
    d = c.get("device", "")
    if not d.startswith("napiref"):
        continue
    if "error" in c:
        bad.append("%s %s: error %s" % (d, c["key"], c["error"]))
    if c.get("state") == "unsupported" and not c.get("note"):
        bad.append("%s %s: unsupported without a reason" % (d, c["key"]))
    s = seen.setdefault(d, set())
    s.add(c["key"])
    s.update(re.findall(r"napi\.[a-z-]+[a-z]", c.get("note", "")))
for d in ("napiref0", "napiref1"):
    for k in keys:
        if k not in seen.get(d, set()):
            bad.append("%s: %s neither planned nor said unsupported" % (d, k))
print(";".join(bad))
sys.exit(1 if bad else 0)
EOF
	[ $? = 0 ] && [ $prc = 0 ]
	check "no napi-set: the plan of per-NAPI keys names each key's fallback or why it is unsupported, no error (rc=$prc)" \
		$? "$(cat /tmp/napiplan.txt /tmp/napiplan.err | head -n 5 | tr '\n' ';')"
	# Where the kernel has the device files (5.7+ napi_defer_hard_irqs, 5.12+ threaded; here
	# every series), the three keys with one are planned on them, said so, on both ports, also
	# where the kernel finds no NAPI at all (6.1: no netdev netlink); napi.irq-suspend-timeout
	# has no device file and is unsupported here, with its reason.
	python3 - /tmp/napiplan.json <<'EOF' >/tmp/napifb.txt
import json, sys
p = json.load(open(sys.argv[1]))
bad = []
for d in ("napiref0", "napiref1"):
    cs = [c for c in p.get("changes", []) if c.get("device") == d]
    for fb, k in (("napi_defer_hard_irqs", "napi.defer-hard-irqs"),
                  ("gro_flush_timeout", "napi.gro-flush-timeout"), ("threaded", "napi.threaded")):
        m = [c for c in cs if c["key"] == fb and c.get("state") in ("change", "same")
             and ("fallback: per-NAPI %s " % k) in c.get("note", "")]
        if len(m) != 1:
            bad.append("%s: %s not planned on the device file %s" % (d, k, fb))
    m = [c for c in cs if c["key"] == "napi.irq-suspend-timeout"]
    if not m or any(c.get("state") != "unsupported" or not c.get("note") for c in m):
        bad.append("%s: napi.irq-suspend-timeout not unsupported with a reason" % d)
    for c in cs:
        if c["key"].startswith("napi.") and c["key"] != "napi.irq-suspend-timeout":
            bad.append("%s: %s planned per NAPI: %s" % (d, c["key"], c.get("note", "")))
print(";".join(bad))
sys.exit(1 if bad else 0)
EOF
	check "no napi-set: defer-hard-irqs, gro-flush-timeout and threaded fall back to napiref's device files, irq-suspend-timeout unsupported here" \
		$? "$(head -c 600 /tmp/napifb.txt)"
	out=$("$napictl" apply "$here/napi.yaml" 2>&1)
	check "no napi-set: napictl apply of the per-NAPI keys (device-wide fallback)" $? "$out"
	echo "$out" | sed 's/^/# /'
	got=""
	for d in napiref0 napiref1; do
		f=/sys/class/net/$d
		got="$got $d=$(cat $f/napi_defer_hard_irqs),$(cat $f/gro_flush_timeout),$(cat $f/threaded)"
	done
	[ "$got" = " napiref0=7,300000,1 napiref1=7,300000,1" ]
	check "no napi-set: napiref's device files read defer 7, gro-flush 300 us, threaded" $? "$got"
	out=$("$napictl" verify 2>&1)
	check "no napi-set: napictl verify: no drift" $? "$out"
	out=$("$napictl" revert 2>&1)
	check "no napi-set: napictl revert" $? "$out"
	after=$($snap)
	[ "$after" = "$before" ]
	check "no napi-set: device-wide fallback reverted byte for byte" $? \
		"$(diff <(echo "$before") <(echo "$after") | head -n 12 | tr '\n' ';')"
fi
if [ $has_napi_set = 1 ]; then
	out=$("$napictl" apply "$here/napi.yaml" 2>&1)
	check "napictl apply of per-NAPI settings (napi-set)" $? "$out"
	echo "$out" | sed 's/^/# /'
	# read back through napi-get, on every NAPI of both ports
	nok=0
	nall=0
	for i in "$ifx" "$(cat /sys/class/net/napiref1/ifindex)"; do
		while read -r line; do
			nall=$((nall + 1))
			case $line in
			*" defer-hard-irqs=7 gro-flush-timeout=300000 irq-suspend-timeout=5000000 threaded=1") ;;
			*) echo "# napi-get: $line"; continue ;;
			esac
			[[ $line == *" pid=-1 "* ]] || nok=$((nok + 1))
		done < <("$NL" napi "$i")
	done
	[ $nall = 8 ] && [ $nok = 8 ]
	check "napi-get reads back defer 7, gro-flush 300 us, irq-suspend 5 ms, threaded (a kthread) on all 8 NAPIs" \
		$? "$nok of $nall"
	out=$("$napictl" verify 2>&1)
	check "napictl verify: no drift" $? "$out"
fi

s0=$(state)
echo "$s0" | sed 's/^/# start: /'
for op in down-up channels rings; do
	case $op in
	down-up) ip link set napiref0 down && ip link set napiref0 up ;;
	channels) ethtool -L napiref0 combined 2 && ethtool -L napiref0 combined 4 ;;
	rings) ethtool -G napiref0 rx 512 && ethtool -G napiref0 rx 1024 ;;
	esac
	check "$op done" $?
	s=$(state)
	# IRQ affinity: napiref's IRQs live as long as the port (and the core keeps them too
	# where irq_affinity_auto exists)
	[ "$(grep '^irq' <<<"$s")" = "$(grep '^irq' <<<"$s0")" ]
	check "IRQ affinity of napiref0's queues unchanged after $op" $? \
		"$(diff <(echo "$s0") <(echo "$s") | head -n 8 | tr '\n' ';')"
	if [ $has_napi_get = 1 ]; then
		[ "$(grep -cE "^napi .* irq=${irqs[0]// /}( |\$)" <<<"$s")" = 1 ] &&
			[ "$(grep -c '^napi ' <<<"$s")" = 4 ]
		check "one NAPI per queue with its IRQ after $op" $? "$(grep '^napi' <<<"$s" | tr '\n' ';')"
	fi
	if [ $has_napi_set = 1 ]; then
		# persistent NAPI config (netif_napi_add_config): ids and settings kept
		[ "$s" = "$s0" ]
		check "NAPI ids and per-NAPI settings unchanged after $op" $? \
			"$(diff <(echo "$s0") <(echo "$s") | head -n 8 | tr '\n' ';')"
		out=$("$napictl" verify 2>&1)
		check "napictl verify after $op: no drift" $? "$out"
	fi
done

if [ $has_napi_set = 1 ]; then
	out=$("$napictl" revert 2>&1)
	check "napictl revert" $? "$out"
	after=$($snap)
	[ "$after" = "$before" ]
	check "per-NAPI settings reverted: state restored byte for byte" $? \
		"$(diff <(echo "$before") <(echo "$after") | head -n 12 | tr '\n' ';')"
	# napi.threaded: busy-poll where napi-set's policy allows 2 (6.19+), "unsupported on this
	# kernel" where not. One NAPI of napiref1 (a busy-polling kthread takes a whole CPU), its
	# kthread pinned by napictl to CPU 1.
	ifx1=$(cat /sys/class/net/napiref1/ifindex)
	ethtool -L napiref1 combined 1
	nid=$("$NL" napi "$ifx1" | sed -n 's/^napi id=\([0-9]*\) .*/\1/p' | head -n 1)
	cat >/tmp/busy.yaml <<'EOF'
name: kernels-busy-poll
devices:
  - match: napiref1
    napi:
      napi.threaded: busy-poll
      napi.kthread-cpus: 1
EOF
	"$napictl" plan /tmp/busy.yaml 2>&1 | sed 's/^/# busy plan: /'
	"$napictl" --json plan /tmp/busy.yaml >/tmp/busy.json 2>/tmp/busy.err
	st=$(python3 -c 'import json, sys
print(" ".join(c["state"] for c in json.load(open(sys.argv[1]))["changes"]
               if c["key"] == "napi.threaded"))' /tmp/busy.json)
	if [ "$st" = change ]; then
		out=$("$napictl" apply /tmp/busy.yaml 2>&1)
		check "napictl apply of napi.threaded: busy-poll (napi-set's policy allows 2)" $? "$out"
		echo "$out" | sed 's/^/# /'
		line=$("$NL" napi "$ifx1")
		pid=$(sed -n 's/.* pid=\([0-9]*\) .*/\1/p' <<<"$line")
		cpus=$(awk '/^Cpus_allowed_list:/ {print $2}' "/proc/${pid:-0}/status" 2>/dev/null)
		# one frame per 5 ms, which a threaded NAPI polls in a sliver of a CPU; a busy-polling
		# kthread keeps polling between them: its utime+stime (USER_HZ) over 1 s
		gen=/sys/kernel/debug/napiref/napiref1/gen
		t0=$(awk '{print $14 + $15}' "/proc/${pid:-0}/stat" 2>/dev/null)
		echo "rate=200 size=64 flows=1 queues=0x1 tick_us=5000" >$gen
		sleep 1
		t1=$(awk '{print $14 + $15}' "/proc/${pid:-0}/stat" 2>/dev/null)
		echo stop >$gen
		[[ $line == *" threaded=2"* ]] && [ -n "$pid" ] && [ "$cpus" = 1 ] &&
			[ $((${t1:-0} - ${t0:-0})) -ge 50 ]
		check "busy-poll: napi-get threaded=2, kthread $pid busy polls ($((${t1:-0} - ${t0:-0})) ticks in 1 s), pinned by napictl to CPU $cpus" \
			$? "$line"
		out=$("$napictl" revert 2>&1)
		check "napictl revert of busy-poll" $? "$out"
		line=$("$NL" napi "$ifx1")
		[[ $line == *" pid=-1 "* && $line == *" threaded=0"* ]]
		check "busy-poll reverted: NAPI not threaded, no kthread" $? "$line"
	elif [ "$st" = unsupported ] && grep -q "unsupported on this kernel" /tmp/busy.json; then
		# napictl's word against the kernel's: napi-set threaded=2 must be refused
		! "$NL" threaded "${nid:-0}" 2 2>/tmp/busy-nl.err
		check "busy-poll unsupported on this kernel, and the kernel refuses napi-set threaded=2" \
			$? "$(cat /tmp/busy-nl.err)"
	else
		bad "busy-poll neither planned nor unsupported on this kernel: '$st' $(head -c 300 /tmp/busy.err)"
	fi
	ethtool -L napiref1 combined 4
else
	echo "# no napi-set on this kernel: per-NAPI settings and their persistence are not checked"
fi

# 4. ------------------------------------------------------------------------------------------
# The daemon (in the foreground: this guest has no systemd) after NAPI re-creation, where the
# kernel has napi-set: with napiref's persistent NAPI config (napi_config=1) the kernel keeps
# the per-NAPI values and the daemon only counts it ("kept"); reloaded with napi_config=0 the
# NAPIs come back with new ids and the defaults, and the daemon applies the profile's values
# again ("re-applied").
daemon=$top/build/daemon/napitune
# dstate FIELD: the daemon's state file (lib/tune/daemon-state.h)
dstate() { sed -n "s/^$1\t//p" /run/napitune/daemon.state 2>/dev/null; }
# until_ok SECONDS CMD...: CMD succeeds within SECONDS (polled every 0.2 s)
until_ok()
{
	local end=$((SECONDS + $1))
	shift
	until "$@"; do
		[ $SECONDS -lt $end ] || return 1
		sleep 0.2
	done
}
# napis DEV: napi-get of DEV, one line per NAPI without its kthread's pid, sorted
napis() { "$NL" napi "$(cat "/sys/class/net/$1/ifindex")" | sed 's/ pid=[-0-9]*//' | sort; }
# napi_ids DEV: the NAPI ids of DEV, sorted, one per line
napi_ids() { napis "$1" | sed -n 's/^napi id=\([0-9]*\) .*/\1/p' | sort; }
# tuned DEV: all 4 NAPIs of DEV have the profile's per-NAPI values (tests/vm/kernels/napi.yaml)
tuned()
{
	[ "$(napis "$1" | grep -c ' defer-hard-irqs=7 gro-flush-timeout=300000 irq-suspend-timeout=5000000 threaded=1$')" = 4 ]
}
# counted FIELD N: the daemon's counter FIELD reached N
counted() { [ "$(dstate "$1")" -ge "$2" ] 2>/dev/null; }
if [ $has_napi_set = 1 ] && [ -x "$daemon" ]; then
	t4=$SECONDS
	mkdir -p /tmp/kd
	printf '%s\n' "profile: $here/napi.yaml" "on-stop: revert" "drift: report" \
		"verify-interval: 1h" "sample-interval: 1h" "metrics-file: none" >/tmp/kd/napitune.yaml
	"$daemon" --config=/tmp/kd/napitune.yaml --log=stderr >/tmp/kd/daemon.log 2>&1 &
	dpid=$!
	until_ok 30 tuned napiref0 && until_ok 5 tuned napiref1 && [ "$(dstate state)" = running ]
	check "daemon (pid $dpid) started and applied the per-NAPI profile" $? \
		"$(tail -n 5 /tmp/kd/daemon.log | tr '\n' ';') $(napis napiref0 | head -n 1)"
	# (a) napi_config=1: persistent NAPI config
	k0=$(dstate napi_kept)
	n0=$(napis napiref0)
	ip link set napiref0 down && ip link set napiref0 up
	until_ok 15 counted napi_kept $((${k0:-0} + 1))
	check "napi_config=1, down/up: the daemon counts the per-NAPI values kept by the kernel" $? \
		"napi_kept $(dstate napi_kept) (was $k0)"
	k1=$(dstate napi_kept)
	ethtool -L napiref0 combined 2 && ethtool -L napiref0 combined 4
	until_ok 15 counted napi_kept $((${k1:-0} + 1))
	check "napi_config=1, ethtool -L: kept again" $? "napi_kept $(dstate napi_kept) (was $k1)"
	n1=$(napis napiref0)
	[ "$n1" = "$n0" ]
	check "napi_config=1: NAPI ids and per-NAPI values unchanged after down/up and -L" $? \
		"$(diff <(echo "$n0") <(echo "$n1") | head -n 8 | tr '\n' ';')"
	[ "$(dstate napi_reapplied)" = 0 ] && ! grep -q "applied again" /tmp/kd/daemon.log
	check "napi_config=1: the daemon re-applied nothing" $? \
		"napi_reapplied $(dstate napi_reapplied); $(grep "applied again" /tmp/kd/daemon.log | head -n 2)"
	# (b) napi_config=0: napiref registers its NAPIs with plain netif_napi_add()
	ip link set napiref0 down
	ip link set napiref1 down
	rmmod napiref && insmod "$ko" pairs=1 queues=4 napi_config=0 &&
		ip link set napiref0 up && ip link set napiref1 up
	check "napiref reloaded with napi_config=0" $?
	until_ok 30 tuned napiref0
	check "napi_config=0: the daemon tuned the new ports' NAPIs" $? \
		"$(napis napiref0 | head -n 2 | tr '\n' ';')"
	for op in down-up channels; do
		r0=$(dstate napi_reapplied)
		ids0=$(napi_ids napiref0)
		case $op in
		down-up) ip link set napiref0 down && ip link set napiref0 up ;;
		channels) ethtool -L napiref0 combined 2 && ethtool -L napiref0 combined 4 ;;
		esac
		raw=$(napis napiref0) # right after the event: new ids, maybe still the defaults
		ids1=$(napi_ids napiref0)
		echo "$raw" | sed "s/^/# napi_config=0, right after $op: /"
		[ -n "$ids1" ] && [ -z "$(comm -12 <(echo "$ids0") <(echo "$ids1"))" ]
		check "napi_config=0, $op: the kernel gave the NAPIs new ids" $? \
			"before: $(echo $ids0) after: $(echo $ids1)"
		until_ok 15 tuned napiref0 && until_ok 5 counted napi_reapplied $((${r0:-0} + 1))
		check "napi_config=0, $op: within 15 s the daemon applied the per-NAPI values again and counts it" \
			$? "napi_reapplied $(dstate napi_reapplied) (was $r0); $(napis napiref0 | tr '\n' ';')"
	done
	grep -q "NAPIs were re-created without the profile's per-NAPI settings" /tmp/kd/daemon.log
	check "napi_config=0: the daemon logged the re-apply" $? \
		"$(tail -n 5 /tmp/kd/daemon.log | tr '\n' ';')"
	kill -TERM "$dpid" && wait "$dpid"
	check "daemon stopped (SIGTERM reverts)" $? "$(tail -n 5 /tmp/kd/daemon.log | tr '\n' ';')"
	tail -n 30 /tmp/kd/daemon.log | sed 's/^/# napitune: /'
	echo "# daemon and NAPI re-creation: $((SECONDS - t4)) s"
elif [ $has_napi_set = 1 ]; then
	bad "the daemon's NAPI re-creation checks need $daemon (meson builds it with libsystemd-dev)"
fi
ip link set napiref0 down
ip link set napiref1 down
rmmod napiref
check "napiref unloaded" $?

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
