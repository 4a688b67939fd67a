# SPDX-License-Identifier: GPL-2.0
# Sourced (not run) by guest scripts: what the running kernel offers, probed from its own
# symbols rather than from its version (Debian 12's 6.1 has no netdev netlink family, 6.12 has
# napi-get but no napi-set, ...).

# kernel_has SYMBOL...: sets has_SYMBOL=1 if /proc/kallsyms lists SYMBOL, else 0 (one read)
kernel_has()
{
	local s found
	found=" $(grep -oE " ($(IFS='|'; echo "$*"))\$" /proc/kallsyms | tr '\n' ' ') "
	for s in "$@"; do
		if [[ $found == *" $s "* ]]; then printf -v "has_$s" 1; else printf -v "has_$s" 0; fi
	done
}
