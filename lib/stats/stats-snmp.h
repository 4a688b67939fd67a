/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Protocol counters of one network namespace: /proc/net/snmp and /proc/net/netstat
 * (pairs of lines "Group: Name1 Name2 ..." / "Group: v1 v2 ..."). They are per netns:
 * "proc/net" is the reader's namespace, "proc/<pid>/net" that of process <pid>.
 * Counters are looked up as ("Udp", "RcvbufErrors"), ("TcpExt", "ListenOverflows").
 */
#ifndef NT_STATS_SNMP_H
#define NT_STATS_SNMP_H

#include <stdbool.h>
#include <stdint.h>

struct nt_root;

struct nt_snmp_entry {
	char group[16];
	char name[48];
	uint64_t value; /* signed values (Tcp MaxConn -1) are stored two's complement */
};

struct nt_snmp {
	unsigned int n;
	struct nt_snmp_entry *e; /* sorted by (group, name) after nt_snmp_read/_finish */
	bool have_netstat;
};

/* Appends the counters of one file's text; call nt_snmp_finish() after the last. */
int nt_snmp_parse(const char *text, struct nt_snmp *s);
void nt_snmp_finish(struct nt_snmp *s);
/*
 * Reads <netdir>/snmp (required) and <netdir>/netstat (optional: have_netstat).
 * @netdir: "proc/net" or "proc/<pid>/net"; NULL means "proc/net".
 */
int nt_snmp_read(const struct nt_root *root, const char *netdir, struct nt_snmp *ret);
void nt_snmp_done(struct nt_snmp *s);
/* Returns true and the value if the counter exists. */
bool nt_snmp_get(const struct nt_snmp *s, const char *group, const char *name, uint64_t *ret);

#endif
