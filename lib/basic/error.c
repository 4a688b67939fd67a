// SPDX-License-Identifier: GPL-2.0-or-later
#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "error.h"

int nt_err_set(struct nt_err *e, int r, const char *fmt, ...)
{
	va_list ap;

	assert(r < 0);
	if (e) {
		va_start(ap, fmt);
		vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
		va_end(ap);
	}
	return r;
}

const char *nt_err_msg(const struct nt_err *e, int r)
{
	if (e && e->msg[0])
		return e->msg;
	return strerror(r < 0 ? -r : r);
}
