#!/usr/bin/env bash
# Install everything napitune's build, tests, VM harness and demo need on Debian 12.
# Idempotent; needs root. Usage: tools/install-deps.sh
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: must run as root (apt-get)" >&2
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive

pkgs=(
	# build
	build-essential gcc make pkg-config meson ninja-build git
	libnl-3-dev libnl-genl-3-dev libnl-route-3-dev libnl-idiag-3-dev libsystemd-dev libyaml-dev libcmocka-dev
	clang-14 llvm-14 libclang-rt-14-dev  # libFuzzer + sanitizers
	clang-format-14                      # the format suite (Debian 12's version)
	# kernel module build + VM
	linux-headers-6.12-amd64 linux-image-6.12-amd64 qemu-system-x86 busybox-static kmod cpio
	# the kernels suite: other series are fetched, 7.x modules built in an unstable chroot
	debootstrap debian-archive-keyring
	# style check for the driver (checkpatch.pl ships in this tarball)
	linux-source-6.12 perl python3 xz-utils gzip
	# tools the suites drive; dbus: the system bus of the VM's systemd (irqbalance stop/start
	# through systemd's D-Bus API; a minimal Debian install has systemd without it)
	ethtool iproute2 iperf3 procps util-linux systemd dbus jq
	# the man pages are checked with groff -ww and man -l; bash-completion names the
	# directory the completion installs to (its pkg-config file)
	groff-base man-db bash-completion
	# promtool (prometheus): the metrics are checked with "promtool check metrics", the shipped
	# alerting rules with "promtool test rules"
	prometheus
	# the packages suite: .deb (dpkg-buildpackage, dh_dkms, lintian), the VM installs them with
	# dpkg and dkms; .rpm (Debian's rpm, rpmlint)
	debhelper dh-dkms dkms dpkg-dev lintian rpm rpmlint
)

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ "${#missing[@]}" -gt 0 ]; then
	echo "install-deps: installing: ${missing[*]}"
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "install-deps: all packages present"

# The metapackages pull the newest 6.12 image and headers; a point release can move one
# without the other (or an older pair may stay behind): say which kernel the driver build
# and the VM will use, or what is missing.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if ! "$here/kernel.sh" --check; then
	echo "install-deps: no complete kernel image + headers pair; install the packages" \
		"named above (apt-get update first), or set KVER= to a complete one" >&2
	exit 1
fi
