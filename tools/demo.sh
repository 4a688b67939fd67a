#!/usr/bin/env bash
# The main job for a newcomer: install dependencies, build, and show napitune working
# on this machine. Read-only on the host: nothing here changes a kernel setting.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "dependencies"
if [ "$(id -u)" -eq 0 ]; then
	tools/install-deps.sh
else
	echo "not root: skipping tools/install-deps.sh (run it as root once)"
fi

step "build"
[ -f build/build.ninja ] || meson setup build >/dev/null
meson compile -C build >/dev/null
echo "built build/cli/napictl ($(build/cli/napictl --version))"

napictl=build/cli/napictl
step "napictl --help"
$napictl --help

step "this machine's CPUs: napictl cpuset"
$napictl cpuset

step "what an IRQ's affinity mask means: napictl cpuset --mask <smp_affinity>"
for irq in /proc/irq/[0-9]*; do
	[ -r "$irq/smp_affinity" ] || continue
	mask=$(cat "$irq/smp_affinity")
	echo "IRQ ${irq##*/}: smp_affinity=$mask"
	$napictl cpuset --mask "$mask"
	break
done

step "the same as JSON: napictl --json cpuset 0"
$napictl --json cpuset 0
