#!/usr/bin/env bash
# Who else tunes this machine: napictl plan, verify and --json on the fixture tree
# tests/data/writers/root (a sysctl.d chain, an active tuned profile with an include, a
# running irqbalance, a .link file and a NetworkManager connection, laid out as on a
# machine), against golden output. Read-only: the tree is not written. Prints TAP.
set -u
napictl=${1:?usage: test-writers.sh PATH-TO-NAPICTL}
data=${NT_TEST_DATA:?NT_TEST_DATA must point at tests/data}
root=$data/writers/root
profile=$data/writers/profiles/writers.yaml

# shellcheck source=../helpers/tap.sh
. "$(dirname "${BASH_SOURCE[0]}")/../helpers/tap.sh"
nc() { "$napictl" --root "$root" "$@"; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

before=$(cd "$root" && find . -type f -exec md5sum {} + | sort)
nc plan "$profile" >"$tmp/out" 2>"$tmp/err"
eq "plan exits 0" "$?" 0
if diff -u "$data/writers/plan.golden" "$tmp/out" >"$tmp/diff"; then
	ok "plan: every change with its other writers (plan.golden)"
else
	bad "plan differs from plan.golden: $(cat "$tmp/diff")"
fi
if diff -u "$data/writers/plan-warnings.golden" "$tmp/err" >"$tmp/diff"; then
	ok "plan: one warning per writer (plan-warnings.golden)"
else
	bad "plan warnings differ from plan-warnings.golden: $(cat "$tmp/diff")"
fi
check "dry-run names them too" 0 "also written by udev-link /etc/systemd/network/10-eth0.link:6" \
	nc apply --dry-run "$profile"
check "verify: the likely writer of a drifted value" 3 \
	"likely written by sysctl.d /etc/sysctl.conf:3: net.core.netdev_budget = 800" \
	nc verify "$profile"

nc --json plan "$profile" >"$tmp/json" 2>/dev/null
if python3 - "$tmp/json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
by = {(c["key"], c["object"]): c["writers"] for c in d["changes"]}
def has(key, obj, kind, source, line, overridden=False):
    for w in by[(key, obj)]:
        if (w["kind"], w["source"], w.get("line", 0), w["overridden"]) == (kind, source, line, overridden):
            return
    raise SystemExit(f"no {kind} {source}:{line} for {key} {obj}: {by[(key, obj)]}")
has("net.core.netdev_budget", "global", "sysctl.d", "/etc/sysctl.conf", 3)
has("net.core.netdev_budget", "global", "sysctl.d", "/etc/sysctl.d/10-low.conf", 2, True)
has("net.core.netdev_budget", "global", "sysctl.d", "/run/sysctl.d/60-glob.conf", 2, True)
has("net.core.netdev_max_backlog", "global", "tuned", "/usr/lib/tuned/net-base/tuned.conf", 9)
has("rings.rx", "eth0", "tuned", "/usr/lib/tuned/net-base/tuned.conf", 6, True)
has("rings.rx", "eth0", "tuned", "/etc/tuned/napi-test/tuned.conf", 9)
has("rings.rx", "eth0", "udev-link", "/etc/systemd/network/10-eth0.link", 6)
has("rings.rx", "eth0", "networkmanager", "/etc/NetworkManager/system-connections/wired.nmconnection", 8)
has("coalesce.rx-usecs", "eth0", "networkmanager", "/etc/NetworkManager/system-connections/wired.nmconnection", 7)
has("smp_affinity", "eth0 irq 50", "irqbalance", "pid 777", 0)
assert not [w for w in by[("smp_affinity", "eth0 irq 51")] if w["kind"] == "irqbalance"], "IRQ 51 is banned"
kinds = {w["kind"] for ws in by.values() for w in ws}
assert kinds == {"sysctl.d", "tuned", "irqbalance", "udev-link", "networkmanager"}, kinds
assert any("will undo or be undone" in m for m in d["warnings"]), d["warnings"]
PY
then
	ok "plan --json: each change's writers, every kind"
else
	bad "plan --json"
fi
after=$(cd "$root" && find . -type f -exec md5sum {} + | sort)
eq "the fixture tree was not written" "$after" "$before"
tap_summary "writers: "
