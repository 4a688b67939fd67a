# SPDX-License-Identifier: GPL-2.0
# Sourced (not run) by tools/kernel.sh and tools/kernel-fetch.sh.

# in_series RELEASE: RELEASE is a Debian kernel of the series $series in its generic amd64
# flavour: 6.12.N+debX-amd64, 6.1.0-N-amd64 or 7.N.M+debX-amd64 (not -cloud-amd64, -rt-amd64,
# -dbg).
in_series()
{
	case "$1" in
	"$series".*-amd64 | "$series"-*-amd64) ;;
	*) return 1 ;;
	esac
	case "$1" in
	*-cloud-amd64 | *-rt-amd64 | *-dbg*) return 1 ;;
	esac
}
