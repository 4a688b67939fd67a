#!/usr/bin/env bash
# napictl's start-up libraries: libsystemd (with the six libraries it needs, most of the
# start-up time in the test VM) is loaded only when irqbalance 'stop' talks D-Bus
# (lib/basic/dlopen.h), so it must be neither in napictl's DT_NEEDED nor loaded at start.
# The whole DT_NEEDED list is fixed below: a new library is a decision, not an accident
# (libnl-idiag-3: sock_diag for diagnose, lib/stats/stats-sockets.c). Prints TAP.
set -u
napictl=${1:?usage: test-linkage.sh PATH-TO-NAPICTL}
n=0
fails=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
nok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $1"; }

if ! command -v readelf >/dev/null; then
	nok "readelf (binutils) is not installed: cannot read napictl's DT_NEEDED"
	echo "1..$n"
	exit 1
fi
dyn=$(readelf -d "$napictl" 2>&1); rc=$?
needed=$(sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p' <<<"$dyn" | tr '\n' ' ')
echo "# NEEDED: $needed"
# the list is read right: libc is in every dynamic executable's
if [ $rc -eq 0 ] && [[ " $needed " == *" libc.so.6 "* ]]; then
	ok "readelf lists napictl's NEEDED libraries"
else
	nok "readelf -d $napictl (rc=$rc): ${dyn:0:400}"
fi
# exactly these, in any order; the sanitizer runtimes of the ASan build aside
want="libc.so.6 libnl-3.so.200 libnl-genl-3.so.200 libnl-idiag-3.so.200 libnl-route-3.so.200 libyaml-0.so.2"
have=$(tr ' ' '\n' <<<"$needed" | grep -Ev '^(libasan|libubsan|liblsan)\.so' | grep . | sort | tr '\n' ' ')
if [ "${have% }" = "$want" ]; then ok "napictl's DT_NEEDED is exactly: $want"
else nok "napictl's DT_NEEDED is '${have% }', want '$want'"; fi
if [ $rc -ne 0 ] || [ -z "$needed" ]; then nok "cannot tell whether libsystemd is NEEDED"
elif [[ "$needed" != *libsystemd.so* ]]; then ok "libsystemd is not in napictl's DT_NEEDED"
else nok "napictl has DT_NEEDED on libsystemd: $needed"; fi

loaded=$(ldd "$napictl" 2>&1); rc=$?
if [ $rc -eq 0 ] && grep -q 'libc\.so\.6' <<<"$loaded" && ! grep -q 'libsystemd\.so' <<<"$loaded"
then ok "libsystemd is not loaded at start, not even through another library"
else nok "ldd $napictl (rc=$rc): ${loaded:0:600}"; fi

# the lazy path is built in: dlopen is called and the soname is there to open
syms=$(readelf --dyn-syms -W "$napictl" 2>&1)
if grep -Eq ' UND dlopen(@|$)' <<<"$syms" && grep -aq 'libsystemd\.so\.0' "$napictl"; then
	ok "napictl calls dlopen and names libsystemd.so.0"
else
	nok "napictl does not dlopen libsystemd.so.0: $(grep -E 'dlopen|sd_bus' <<<"$syms")"
fi

echo "1..$n"
[ $fails -eq 0 ]
