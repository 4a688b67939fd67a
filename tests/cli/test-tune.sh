#!/usr/bin/env bash
# The profile verbs (check, plan, apply, verify, status, revert, knobs) against a fixture
# root: nothing outside the temporary tree is touched. Prints TAP.
set -u
napictl=${1:?usage: test-tune.sh PATH-TO-NAPICTL}
data=${NT_TEST_DATA:?NT_TEST_DATA must point at tests/data}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
root=$tmp/root

# Fixture files hold values without a newline, as napictl writes them.
put() { mkdir -p "$(dirname "$root/$1")"; printf '%s' "$2" >"$root/$1"; }
put sys/devices/system/cpu/possible 0-3
put sys/devices/system/cpu/online 0-3
put proc/sys/kernel/osrelease 6.18.0
put proc/sys/net/core/netdev_budget 300
put proc/sys/net/core/netdev_max_backlog 1000
put proc/sys/net/core/somaxconn 4096
put proc/sys/net/ipv4/tcp_fastopen 1
put proc/sys/net/ipv4/tcp_rmem $'4096\t131072\t6291456'
put sys/class/net/eth0/ifindex 2
put sys/class/net/eth0/device/numa_node 0
put sys/devices/system/node/node0/cpulist 2-3
put sys/class/net/eth0/device/msi_irqs/50 msix
put sys/class/net/eth0/device/msi_irqs/51 msix
put sys/class/net/eth0/threaded 0
put sys/class/net/eth0/gro_flush_timeout 0
for q in 0 1; do
	put sys/class/net/eth0/queues/rx-$q/rps_cpus 0
	put sys/class/net/eth0/queues/rx-$q/rps_flow_cnt 0
	put sys/class/net/eth0/queues/tx-$q/xps_cpus 0
done
put proc/irq/50/smp_affinity_list 0-3
put proc/irq/51/smp_affinity_list 0-3
mkdir -p "$tmp/profiles"
cat >"$tmp/profiles/tp.yaml" <<'YAML'
name: tp
sysctl:
  net.core.netdev_budget: 600
  net.ipv4.tcp_rmem: [4096, 131072, 16MiB]
devices:
  - match: eth0
    device: { threaded: on, gro_flush_timeout: 100us }
    queues: { rps_cpus: numa-local, rps_flow_cnt: 2048, xps_cpus: { spread: numa-local } }
    irqs: { smp_affinity: { spread: numa-local } }
YAML
export NAPITUNE_PROFILE_PATH=$tmp/profiles

snap() { (cd "$root" && find . -path ./run -prune -o -type f -print | sort | while read -r f; do
	printf '%s=' "$f"; cat "$f"; echo; done); }

# shellcheck source=../helpers/tap.sh
. "$(dirname "${BASH_SOURCE[0]}")/../helpers/tap.sh"
TAP_OUT_MAX=600
nc() { "$napictl" --root "$root" "$@"; }

before=$(snap)
check "help lists apply" 0 "apply" "$napictl" --help
check "knobs words" 0 "rps_cpus" nc knobs --format=words
check "knobs json" 0 '"key":"napi.irq-suspend-timeout"' nc --json knobs
check "check valid" 0 "profile 'tp' is valid" nc check tp
check "check by file name" 0 "profile 'tp' is valid" nc check "$tmp/profiles/tp.yaml"
check "check unknown profile" 1 "no profile 'nope' (searched $tmp/profiles)" nc check nope
check "check invalid: did you mean" 1 "unknown-key.yaml:5:7: unknown key 'rps_cpu' (did you mean 'rps_cpus'?)" \
	nc check "$data/profiles/invalid/unknown-key.yaml"
check "check: sysctl typo found on this kernel" 1 \
	"sysctl 'net.core.netdev_budgit' does not exist on this kernel (did you mean 'net.core.netdev_budget'?)" \
	nc check "$data/profiles/check/sysctl-typo.yaml"
check "plan text" 0 "300 -> 600" nc plan tp
check "plan numa-local spread" 0 $'eth0 irq 51        smp_affinity                 0-3 -> 3' nc plan tp
check "dry-run equals plan" 0 "12 to change" nc apply --dry-run tp
out=$(nc --json plan tp)
if python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert d["change"]==12 and d["profile"]=="tp", d' "$out"; then
	ok "plan --json"
else
	bad "plan --json: $out"
fi
[ "$(snap)" = "$before" ] && ok "plan/check wrote nothing" || bad "plan/check wrote something"

# Every hostile or malformed profile: rejected with its message, nothing written.
for f in "$data"/profiles/invalid/*.yaml; do
	want=$(head -n 1 "$f" | sed 's/^# expect: //')
	check "apply rejects $(basename "$f")" 1 "$want" nc apply "$f"
done
[ "$(snap)" = "$before" ] && ok "rejected profiles wrote nothing" || bad "a rejected profile wrote"
[ ! -e "$root/run/napitune/journal" ] && ok "no journal after rejections" || bad "journal left"

check "apply --check: drift" 3 "12 settings differ" nc apply --check tp
check "verify before apply: drift" 3 "12 drifted" nc verify tp
check "status before apply" 0 "no profile applied" nc status
check "revert with nothing applied" 0 "nothing to revert" nc revert
check "apply" 0 "applied profile 'tp': 12 changed" nc apply tp
[ "$(cat "$root/sys/class/net/eth0/queues/rx-1/rps_cpus")" = c ] && ok "rps_cpus written as a mask" ||
	bad "rps_cpus: $(cat "$root/sys/class/net/eth0/queues/rx-1/rps_cpus")"
[ "$(cat "$root/proc/irq/51/smp_affinity_list")" = 3 ] && ok "IRQ spread" || bad "irq 51"
check "apply --check: matches" 0 "0 settings differ" nc apply --check tp
check "verify applied profile (from the journal)" 0 "tp: 0 drifted" nc verify
check "status" 0 "profile:  tp" nc status
check "status lists originals" 0 "rps_cpus                     0 -> c" nc status
out=$(nc --json status)
if python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert d["applied"] and d["profile"]=="tp" and len(d["changes"])==12, d' "$out"; then
	ok "status --json"
else
	bad "status --json: $out"
fi
check "apply again is a no-op" 0 "0 changed, 12 already set" nc apply tp
printf '%s' 1 >"$root/proc/irq/50/smp_affinity_list"
check "verify detects drift" 3 "eth0 irq 50        smp_affinity                 1 -> 2" nc verify
check "revert" 0 "reverted: 12 restored" nc revert
[ "$(snap)" = "$before" ] && ok "revert restored every byte" || bad "revert differs: $(diff <(echo "$before") <(snap))"
[ ! -e "$root/run/napitune/journal" ] && ok "journal removed" || bad "journal left after revert"
check "revert is idempotent" 0 "nothing to revert" nc revert

# A write the "kernel" refuses (an immutable file: EPERM even for root): rollback
# restores what was already written, in reverse order.
# Without root: a file whose owner may not write it (mode 0424) fails the same way.
xf=$root/sys/class/net/eth0/queues/tx-1/xps_cpus
if [ "$(id -u)" -eq 0 ] && chattr +i "$xf" || { [ "$(id -u)" -ne 0 ] && chmod 0424 "$xf"; }; then
	check "failed apply rolls back" 1 "all 9 changes written were rolled back" nc apply tp
	check "the kernel's error is reported per knob" 1 \
		"error: writing '8' to /sys/class/net/eth0/queues/tx-1/xps_cpus: " nc apply tp
	[ "$(id -u)" -eq 0 ] && chattr -i "$xf" || chmod 0644 "$xf"
else
	bad "chattr +i is needed for the rollback test (filesystem of $tmp)"
fi
[ "$(snap)" = "$before" ] && ok "rollback restored every byte" || bad "rollback differs: $(diff <(echo "$before") <(snap))"

# The shipped profiles are valid and resolve on this fixture machine (eth0 is physical).
for f in "$NT_TEST_DATA"/../../profiles/*.yaml; do
	check "shipped profile $(basename "$f") checks" 0 "is valid" nc check "$f"
	check "shipped profile $(basename "$f") plans" 0 "to change" nc plan "$f"
done
check "apply high-throughput.yaml by file name via the search path" 0 "to change" \
	env NAPITUNE_PROFILE_PATH="$NT_TEST_DATA/../../profiles" "$napictl" --root "$root" \
	apply --dry-run high-throughput.yaml
[ "$(snap)" = "$before" ] && ok "shipped profiles: nothing written by check/plan" || bad "written"

# Non-root on the live system: read-only verbs work, writing verbs refuse with one message.
asuser=()
[ "$(id -u)" -eq 0 ] && asuser=(setpriv --reuid=65534 --regid=65534 --clear-groups)
check "non-root apply refuses" 1 "'napictl apply' changes the system and must run as root" \
	"${asuser[@]}" "$napictl" apply "$tmp/profiles/tp.yaml"
check "non-root revert refuses" 1 "'napictl revert' changes the system and must run as root" \
	"${asuser[@]}" "$napictl" revert
check "non-root knobs works" 0 "rps_flow_cnt" "${asuser[@]}" "$napictl" knobs

echo "1..$n"
[ "$fails" -eq 0 ]
