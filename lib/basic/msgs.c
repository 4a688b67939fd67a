// SPDX-License-Identifier: GPL-2.0-or-later
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "json.h"
#include "msgs.h"

void nt_msgs_add(struct nt_msgs *d, bool error, const char *fmt, ...)
{
	char **m;
	bool *e;
	char *s;
	va_list ap;
	int r;

	if (!d)
		return;
	if (error)
		d->n_errors++;
	if (d->n >= NT_MSGS_MAX)
		return;
	va_start(ap, fmt);
	r = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (r < 0)
		return;
	m = realloc(d->msg, (d->n + 1) * sizeof(*m));
	if (!m) {
		free(s);
		return;
	}
	d->msg = m;
	e = realloc(d->is_error, (d->n + 1) * sizeof(*e));
	if (!e) {
		free(s);
		return;
	}
	d->is_error = e;
	d->msg[d->n] = s;
	d->is_error[d->n++] = error;
}

void nt_msgs_done(struct nt_msgs *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->msg[i]);
	free(d->msg);
	free(d->is_error);
	*d = (struct nt_msgs){};
}

void nt_msgs_write_json(const struct nt_msgs *d, struct nt_json *j)
{
	nt_json_key(j, "errors");
	nt_json_begin_array(j);
	for (size_t i = 0; i < d->n; i++)
		if (d->is_error[i])
			nt_json_string(j, d->msg[i]);
	nt_json_end_array(j);
	nt_json_key(j, "warnings");
	nt_json_begin_array(j);
	for (size_t i = 0; i < d->n; i++)
		if (!d->is_error[i])
			nt_json_string(j, d->msg[i]);
	nt_json_end_array(j);
}
