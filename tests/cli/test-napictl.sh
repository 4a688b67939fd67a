#!/usr/bin/env bash
# napictl's dispatcher and the cpuset verb, against a fixture root. Prints TAP.
set -u
napictl=${1:?usage: test-napictl.sh PATH-TO-NAPICTL}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/root/sys/devices/system/cpu"
echo 0-3 >"$tmp/root/sys/devices/system/cpu/possible"
echo 0-3 >"$tmp/root/sys/devices/system/cpu/online"
mkdir -p "$tmp/big/sys/devices/system/cpu"
echo 0-71 >"$tmp/big/sys/devices/system/cpu/possible"
echo 0-71 >"$tmp/big/sys/devices/system/cpu/online"

n=0
fails=0
# check NAME WANT_RC WANT_OUT_SUBSTRING CMD...: runs CMD, compares exit status and output
check() {
	local name=$1 want_rc=$2 want=$3 out rc
	shift 3
	n=$((n + 1))
	out=$("$@" 2>&1)
	rc=$?
	if [ "$rc" -eq "$want_rc" ] && [[ "$out" == *"$want"* ]]; then
		echo "ok $n - $name"
	else
		echo "not ok $n - $name (rc=$rc, want $want_rc; output: ${out:0:300})"
		fails=$((fails + 1))
	fi
}

check "help lists verbs" 0 "cpuset" "$napictl" --help
check "version" 0 "napictl " "$napictl" --version
check "no verb is a usage error" 2 "Usage: napictl" "$napictl"
check "unknown verb" 2 "unknown verb 'frobnicate'" "$napictl" frobnicate
check "unknown option" 2 "Try 'napictl --help'" "$napictl" --bogus
check "verb help" 0 "Usage: napictl [OPTIONS] cpuset" "$napictl" cpuset --help
check "verb bad option" 2 "usage: napictl cpuset" "$napictl" --root "$tmp/root" cpuset --nope
check "machine CPUs" 0 "online CPUs:   0-3" "$napictl" --root "$tmp/root" cpuset
check "list to mask" 0 $'list 0-1,3\tmask b\tcount 3' "$napictl" --root "$tmp/root" cpuset 0-1,3
check "mask to list, 72 CPUs" 0 $'list 0,32,64\tmask 01,00000001,00000001' \
	"$napictl" --root "$tmp/big" cpuset --mask 1,00000001,00000001
check "CPU beyond machine" 1 "CPU 9 does not exist: this machine has CPUs 0-3" \
	"$napictl" --root "$tmp/root" cpuset 0-3,9
check "malformed list" 1 "range '3-1' is reversed" "$napictl" --root "$tmp/root" cpuset 3-1
check "malformed mask" 1 "invalid character 'x'" "$napictl" --root "$tmp/root" cpuset --mask 0x
check "missing root" 1 "cannot open root directory" "$napictl" --root "$tmp/nope" cpuset

# --netns: everything that fails before a namespace is entered (no root needed).
check "help shows --netns" 0 "--netns=NAME" "$napictl" --help
check "netns: unknown name is a usage error naming the file" 2 \
	"network namespace 'nt-no-such-ns-$$' not found: /run/netns/nt-no-such-ns-$$ does not exist" \
	"$napictl" --netns=nt-no-such-ns-$$ map
check "netns: missing path" 2 "/nonexistent/ns does not exist" "$napictl" --netns=/nonexistent/ns map
check "netns: relative path" 2 "--netns='a/b': not a name under /run/netns nor an absolute path" \
	"$napictl" --netns=a/b map
check "netns: empty" 2 "not a name under /run/netns" "$napictl" --netns= status
check "netns: not a netns file" 2 "'/proc/self/ns/uts' is not a network namespace" \
	"$napictl" --netns=/proc/self/ns/uts map
check "netns: regular file" 2 "is not a network namespace" "$napictl" --netns="$tmp/root/sys/devices/system/cpu/online" map
check "netns and root conflict" 2 "--netns and --root cannot be combined" \
	"$napictl" --netns=/proc/self/ns/net --root "$tmp/root" cpuset
check "netns and root conflict, any order" 2 "--netns and --root cannot be combined" \
	"$napictl" --root "$tmp/root" --netns=x cpuset
# Without CAP_SYS_ADMIN (as root: dropped from the bounding set) entering fails clearly.
if [ "$(id -u)" -eq 0 ]; then
	nocap=(setpriv --bounding-set=-sys_admin --inh-caps=-sys_admin)
else
	nocap=()
fi
check "netns without CAP_SYS_ADMIN" 1 "needs CAP_SYS_ADMIN" \
	"${nocap[@]}" "$napictl" --netns=/proc/self/ns/net map

n=$((n + 1))
json=$("$napictl" --root "$tmp/root" --json cpuset 1 2-3 2>&1)
if python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert d==[{"input":"1","list":"1","mask":"2","count":1},{"input":"2-3","list":"2-3","mask":"c","count":2}], d' "$json"; then
	echo "ok $n - json output"
else
	echo "not ok $n - json output: $json"
	fails=$((fails + 1))
fi

echo "1..$n"
[ "$fails" -eq 0 ]
