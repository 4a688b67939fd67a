#!/usr/bin/env bash
# The generated man pages and bash completion against the programs themselves: every verb
# and option `napictl --help` lists, every knob `napictl knobs` lists and every key of the
# daemon's configuration table is in the man pages and (verbs, options, knobs) offered by
# the completion; groff renders every page without a warning. No root.
# The EXAMPLE of napitune-profile(5) and of napitune.yaml(5) are valid.
#   test-docs.sh NAPICTL DOCS_BUILD_DIR DAEMON_CONFIG_C PROFILES_DIR NAPITUNE
# Prints TAP.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../helpers/tap.sh"
napictl=${1:?usage: test-docs.sh NAPICTL DOCS_BUILD_DIR DAEMON_CONFIG_C PROFILES_DIR NAPITUNE}
docs=${2:?} dconf_src=${3:?} profiles=${4:?} napitune=${5:?}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pages=(napictl.8 napitune.8 napitune.yaml.5 napitune-profile.5)

# man(7) text of a word as the pages write it: '-' is \-.
roff() { sed 's/-/\\-/g' <<<"$1"; }
has() { grep -qF -- "$2" "$docs/$1"; }
has_line() { grep -qxF -- "$2" "$docs/$1"; }

for p in "${pages[@]}"; do
	if ! command -v groff >/dev/null; then
		bad "groff is missing (tools/install-deps.sh installs groff-base)"
		break
	fi
	w=$(groff -ww -z -man "$docs/$p" 2>&1)
	eq "groff -ww: $p renders without warnings" "$w" ""
	w=$(MANWIDTH=80 man -l "$docs/$p" 2>&1 >/dev/null)
	eq "man -l $p: nothing on stderr" "$w" ""
done

help=$("$napictl" --help)
mapfile -t verbs < <(sed -n '/^Verbs:/,/^$/s/^  \([a-z]\+\) .*/\1/p' <<<"$help")
mapfile -t gopts < <(sed -n '/^Options:/,/^$/p' <<<"$help" | grep -o -- '--[a-z-]\+' | sort -u)
[ "${#verbs[@]}" -ge 10 ] && ok "napictl --help lists ${#verbs[@]} verbs" || bad "verbs from --help: ${verbs[*]}"
[ "${#gopts[@]}" -ge 5 ] && ok "napictl --help lists ${#gopts[@]} options" || bad "options from --help: ${gopts[*]}"
mapfile -t knobs < <("$napictl" knobs --format=words)
[ "${#knobs[@]}" -ge 30 ] && ok "napictl knobs lists ${#knobs[@]} knobs" || bad "knobs: ${knobs[*]}"
mapfile -t dkeys < <(sed -n 's/^\t{"\([a-z-]\+\)", NT_DCONF_.*/\1/p' "$dconf_src")
[ "${#dkeys[@]}" -ge 5 ] && ok "daemon config table has ${#dkeys[@]} keys" || bad "dconf keys: ${dkeys[*]}"

missing=()
for v in "${verbs[@]}"; do has_line napictl.8 ".SS \"$(roff "$v")\"" || missing+=("$v"); done
eq "napictl(8) has every verb" "${missing[*]}" ""
missing=()
for o in "${gopts[@]}"; do has napictl.8 "\\fB$(roff "$o")\\fR" || missing+=("$o"); done
eq "napictl(8) has every option" "${missing[*]}" ""
missing=()
for k in "${knobs[@]}" 'net.*'; do has_line napitune-profile.5 ".B $(roff "$k")" || missing+=("$k"); done
eq "napitune-profile(5) has every knob" "${missing[*]}" ""
if grep -qxF -f <("$napictl" knobs --format=man | grep -v '^\.') "$docs/napitune-profile.5" &&
	diff <("$napictl" knobs --format=man) \
		<(sed -n '/^\.SH KNOBS$/,/^\.SH EXAMPLE$/p' "$docs/napitune-profile.5" |
			sed -n '/^\.TP$/,$p' | sed '$d') >/dev/null; then
	ok "napitune-profile(5) KNOBS is 'napictl knobs --format=man'"
else
	bad "napitune-profile(5) KNOBS differs from 'napictl knobs --format=man'"
fi
# napitune(8)'s OPTIONS are written by hand: every option `napitune --help` lists is there.
mapfile -t dopts < <("$napitune" --help | grep -o -- '--[a-z-]\+' | sort -u)
missing=()
for o in "${dopts[@]}"; do has napitune.8 "\fB$(roff "$o")\fR" || missing+=("$o"); done
if [ "${#dopts[@]}" -ge 4 ] && [ "${#missing[@]}" -eq 0 ]; then
	ok "napitune(8) has every option of napitune --help (${dopts[*]})"
else
	bad "napitune(8) lacks ${missing[*]:-?} (napitune --help: ${dopts[*]})"
fi
for p in napitune.yaml.5 napitune.8; do
	missing=()
	for k in "${dkeys[@]}"; do has "$p" "\\fB$(roff "$k"):\\fR" || missing+=("$k"); done
	eq "$p has every configuration key" "${missing[*]}" ""
done

# The examples, as a reader would copy them (the .nf block after .SH EXAMPLE, \- as -).
example() { sed -n '/^\.SH EXAMPLE$/,/^\.fi$/p' "$docs/$1" | sed '1,2d;$d;s/\\-/-/g'; }
example napitune-profile.5 >"$tmp/example.yaml"
root=$tmp/root
mkdir -p "$root/sys/devices/system/cpu" "$root/proc/sys/kernel" "$root/sys/class/net"
printf 0-1 >"$root/sys/devices/system/cpu/possible"
printf 0-1 >"$root/sys/devices/system/cpu/online"
printf 6.12.0 >"$root/proc/sys/kernel/osrelease"
check "napitune-profile(5) EXAMPLE is a valid profile" 0 "is valid" \
	"$napictl" --root="$root" check "$tmp/example.yaml"
example napitune.yaml.5 >"$tmp/napitune.yaml"
check "napitune.yaml(5) EXAMPLE is a valid configuration" 0 "valid" \
	env NAPITUNE_PROFILE_PATH="$profiles" "$napitune" --check --config="$tmp/napitune.yaml"

# The completion, driven the way bash drives it: COMP_WORDS/COMP_CWORD in, COMPREPLY out.
# complete WORD...: the candidates for the last WORD (bash splits at '=' the same way).
complete_words()
{
	NAPITUNE_PROFILE_PATH=$profiles bash -c '
		. "$1"; shift
		COMP_WORDS=(napictl "$@"); COMP_CWORD=$#
		_napictl
		printf "%s\n" "${COMPREPLY[@]}"' complete "$docs/napictl" "$@"
}
# offers NAME WANT... -- WORD...: the completion of WORD... includes every WANT
offers()
{
	local name=$1 got missing=() w
	shift
	local want=()
	while [ "$1" != -- ]; do want+=("$1"); shift; done
	shift
	got=$(complete_words "$@")
	for w in "${want[@]}"; do grep -qxF -- "$w" <<<"$got" || missing+=("$w"); done
	if [ "${#missing[@]}" -eq 0 ]; then
		ok "completion: $name"
	else
		bad "completion: $name: missing ${missing[*]} (offered: $(tr '\n' ' ' <<<"$got"))"
	fi
}
if bash -n "$docs/napictl"; then ok "completion script parses"; else bad "completion script has syntax errors"; fi
offers "every verb" "${verbs[@]}" -- ""
wopts=()
for o in "${gopts[@]}"; do
	case $o in --root | --netns) wopts+=("$o=") ;; *) wopts+=("$o") ;; esac
done
offers "every global option" "${wopts[@]}" -- -
offers "every knob key after 'knobs'" "${knobs[@]}" -- knobs ""
offers "knob keys by prefix" net.core.busy_poll net.core.busy_read -- knobs net.core.bus
mapfile -t shipped < <(cd "$profiles" && ls -- *.yaml | sed 's/\.yaml$//')
offers "profile names after 'apply'" "${shipped[@]}" -- apply ""
offers "profile names after an option" high-throughput -- --json apply --dry-run high
offers "profile names after a global option with a value" balanced -- --root /tmp check bal
offers "apply's options" --dry-run --check --help -- apply --
offers "knobs --format values" text json markdown words man -- knobs --format = ""
offers "knobs --format values, separate word" man -- knobs --format m
offers "diagnose --second-root directories, separate word" /tmp -- diagnose --second-root /tm
mapfile -t devs < <(ls /sys/class/net)
offers "device names after 'map'" "${devs[@]}" -- map ""
offers "directories after --root=" /tmp -- --root = /tm
# Each verb's options, as its --help usage line shows them, are offered.
for v in "${verbs[@]}"; do
	mapfile -t vo < <("$napictl" "$v" --help | head -n 1 | grep -o -- '--[a-z-]\+=\?' | sort -u)
	[ "${#vo[@]}" -gt 0 ] || continue
	offers "$v's options" "${vo[@]}" -- "$v" --
done

tap_summary "docs: "
