/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The receive-path diagnosis: rules R01-R16 (rules.c) evaluated on the rates between two
 * snapshots, then a decision tree: one root cause per saturated CPU, the other findings
 * attached to it as consequences, every lost packet counted once. docs/diagnose-json.md
 * describes the rules, the levels, the causality and the sources of every threshold.
 *
 * Levels: ok (nothing), note (evidence below the warning rate; exit status 0), warn,
 * crit. Findings that no host knob can fix (R14, R15, R16, physical errors) are shown but
 * never raise the verdict.
 *
 * Pure computation: no I/O, so it is unit-tested on fixture pairs and benchmarked.
 */
#ifndef NT_DIAGNOSE_H
#define NT_DIAGNOSE_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

#include "snapshot.h"
#include "string-table.h"

struct nt_json;

enum nt_level {
	NT_LEVEL_OK,
	NT_LEVEL_NOTE,
	NT_LEVEL_WARN,
	NT_LEVEL_CRIT,
	_NT_LEVEL_MAX,
};

DECLARE_STRING_TABLE_LOOKUP(nt_level, enum nt_level);

#define NT_EVIDENCE_MAX 10

/*
 * Who set a socket's limit, its receive buffer or a listener's backlog (sockets.c): the
 * system default, the application itself (SO_RCVBUF, listen() backlog), or the application
 * asked for more than a sysctl allows and got that (capped).
 */
enum nt_limit_origin {
	NT_LIMIT_UNKNOWN,
	NT_LIMIT_DEFAULT,
	NT_LIMIT_APP,
	NT_LIMIT_CAPPED,
	_NT_LIMIT_ORIGIN_MAX,
};

DECLARE_STRING_TABLE_LOOKUP(nt_limit_origin, enum nt_limit_origin);

/* A socket named in evidence: the one that dropped, and who holds it. */
struct nt_ev_socket {
	char proto[4];	/* "udp", "tcp" */
	char local[56]; /* "10.0.0.2:9999", "[::1]:53" */
	uint64_t inode;
	int64_t uid;
	int pid;		       /* -1: not seen */
	char command[16];	       /* the process's comm, "" when not seen */
	int64_t rcvbuf;		       /* bytes, -1 unknown */
	int64_t accept_queue, backlog; /* listeners: queue length and its limit, else -1 */
	enum nt_limit_origin limit_set_by;
};

struct nt_evidence {
	char counter[48];      /* "dropped", "rx_missed_errors", "ListenOverflows" */
	char source[48];       /* "/proc/net/softnet_stat col 2", "IFLA_STATS64", ... */
	int cpu;	       /* -1 if not per CPU */
	char dev[IF_NAMESIZE]; /* "" if not per device */
	int queue;	       /* -1 */
	uint64_t delta;	       /* Δ in the window (counters), or 0 for shares */
	double rate;	       /* per second, or a share 0..1 when is_share */
	bool is_share;
	bool is_setting;    /* a configuration value, not a counter: value and max */
	int64_t value, max; /* when is_setting ("rx ring size" 256 of 4096); max -1 unknown */
	bool is_socket;	    /* a socket's drops (delta, rate) and the socket */
	struct nt_ev_socket sock;
};

struct nt_remedy {
	char knob[48];	/* knob key of lib/knobs/knobs.def, "" when only the application can fix it
			 */
	char scope[12]; /* global, netns, device, queue, irq, napi, app, none */
	char current[48]; /* "" if unknown */
	char suggested[48];
	char command[320]; /* an equivalent shell command, or what to change in the application */
	bool bounces_link;
	char caveat[320];
};

struct nt_rule;
struct nt_diag_ctx;

struct nt_finding {
	const struct nt_rule *rule;
	enum nt_level level;
	bool tunable;	       /* false: not a tuning problem (never raises the verdict) */
	int cpu;	       /* the CPU it is about, -1 */
	char dev[IF_NAMESIZE]; /* the device it is about, "" */
	char summary[192];
	char cause[448];
	struct nt_remedy remedy;
	char profile[384]; /* YAML profile snippet for napictl apply, "" if no knob */
	unsigned int n_ev;
	struct nt_evidence ev[NT_EVIDENCE_MAX];
	uint64_t lost; /* packets lost in the window that this finding owns */
	int caused_by; /* index of the root finding (after ordering), -1: a root */
	unsigned int n_consequences;
	uint64_t lost_with_consequences;
};

struct nt_diagnosis {
	double interval;     /* seconds */
	enum nt_level level; /* max level of tunable findings */
	unsigned int n;
	struct nt_finding *f; /* roots by severity, each followed by its consequences */
	uint64_t lost_total;  /* every dropped packet once */
	uint64_t lost_backlog, lost_flow_limit, lost_ring, lost_socket, lost_listen, lost_other;
	unsigned int n_saturated;
	int err[_NT_SRC_MAX]; /* copied from the samples: what could not be read */
	bool cpus_changed;
};

struct nt_rule {
	const char *id;	  /* "R01" */
	const char *name; /* "backlog-drops" */
	const char *title;
	const char *threshold; /* documented thresholds with their sources */
	void (*eval)(struct nt_diag_ctx *c);
};

int nt_diagnose(const struct nt_rates *r, struct nt_diagnosis *ret);
void nt_diagnosis_done(struct nt_diagnosis *d);
/* Number of findings of rule @id at @level or above. */
unsigned int nt_diagnosis_count(const struct nt_diagnosis *d, const char *id, enum nt_level min);

/* The JSON document of docs/diagnose-json.md (schema version 1). */
void nt_diagnosis_write_json(const struct nt_diagnosis *d, struct nt_json *j);

#endif
