/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Error detail for callers: library functions return -errno and, where the errno
 * alone would not tell a user what is wrong, fill a struct nt_err passed as
 * reterr_err (may be NULL). The caller decides whether and how to log it.
 */
#ifndef NT_ERROR_H
#define NT_ERROR_H

#include "macro.h"

struct nt_err {
	char msg[512];
};

/* Sets e->msg (if e is not NULL) and returns r, which must be negative. */
int nt_err_set(struct nt_err *e, int r, const char *fmt, ...) _printf_(3, 4);

/* The message, or strerror(-r) when none was set. */
const char *nt_err_msg(const struct nt_err *e, int r);

#endif
