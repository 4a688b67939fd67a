/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The socket rules, R05 (receive buffers) and R06 (listen queues): they name the socket that
 * dropped and the process that holds it, and tell who set the limit that was too small,
 * because the fix depends on it: a size the application chose itself is changed in the
 * application (no sysctl reaches it), one the application asked for but a sysctl capped is
 * the sysctl, and the system default is the default's sysctl.
 */
#ifndef NT_DIAGNOSE_SOCKETS_H
#define NT_DIAGNOSE_SOCKETS_H

#include "finding.h"

/* Who set the receive buffer of @k, from its size and the sysctls (sockets.c says how). */
enum nt_limit_origin nt_rcvbuf_origin(const struct nt_sock *k, const struct nt_snap_sysctl *sc);
/* Who set the backlog of listener @k: the application, or somaxconn capped it. */
enum nt_limit_origin nt_backlog_origin(const struct nt_sock *k, int64_t somaxconn);

void nt_rule_socket(struct nt_diag_ctx *c);
void nt_rule_listen(struct nt_diag_ctx *c);

#endif
