/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Messages for the user, collected rather than logged: every error and warning of a
 * profile ("file:line:col: message") or a plan, in order. The library fills them; the
 * program prints or logs them (napictl on stderr, the daemon in the journal).
 */
#ifndef NT_MSGS_H
#define NT_MSGS_H

#include <stdbool.h>
#include <stddef.h>

#include "macro.h"

/* Messages kept at most; errors beyond it are still counted in n_errors. */
#define NT_MSGS_MAX 100

struct nt_msgs {
	char **msg;
	bool *is_error;
	size_t n, n_errors;
};

/* Adds one message (@d may be NULL: then nothing happens). Out of memory drops it. */
void nt_msgs_add(struct nt_msgs *d, bool error, const char *fmt, ...) _printf_(3, 4);
void nt_msgs_done(struct nt_msgs *d);

struct nt_json;
/* "errors": [...], "warnings": [...] into the open JSON object. */
void nt_msgs_write_json(const struct nt_msgs *d, struct nt_json *j);

#endif
