// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>

#include "log.h"
#include "string-table.h"

static nt_log_sink_t log_sink = nt_log_sink_stderr;
static void *log_userdata;
static int log_max_level = LOG_INFO;
static const char *log_prefix;

void nt_log_set_sink(nt_log_sink_t sink, void *userdata)
{
	log_sink = sink ? sink : nt_log_sink_stderr;
	log_userdata = userdata;
}

void nt_log_set_max_level(int level)
{
	log_max_level = level;
}

int nt_log_get_max_level(void)
{
	return log_max_level;
}

void nt_log_set_prefix(const char *prefix)
{
	log_prefix = prefix;
}

static const char *const log_level_table[] = {
	[LOG_EMERG] = "emerg", [LOG_ALERT] = "alert",	  [LOG_CRIT] = "crit",
	[LOG_ERR] = "err",     [LOG_WARNING] = "warning", [LOG_NOTICE] = "notice",
	[LOG_INFO] = "info",   [LOG_DEBUG] = "debug",
};

DEFINE_PRIVATE_STRING_TABLE_LOOKUP(log_level, int);

int nt_log_level_from_string(const char *s)
{
	char lower[16];
	size_t i;

	/* Case does not matter, and "error" is "err" (the daemon's config, systemd's habit). */
	for (i = 0; s[i] && i < sizeof(lower) - 1; i++)
		lower[i] = (char)tolower((unsigned char)s[i]);
	lower[i] = '\0';
	if (s[i])
		return -EINVAL;
	if (streq(lower, "error"))
		return LOG_ERR;
	return log_level_from_string(lower);
}

void nt_log_sink_stderr(int level, int err _unused_, const char *msg,
			const char *const *fields _unused_, void *userdata _unused_)
{
	const char *tag = level <= LOG_ERR ? "error: " : level == LOG_WARNING ? "warning: " : "";

	if (log_prefix)
		fprintf(stderr, "%s: %s%s\n", log_prefix, tag, msg);
	else
		fprintf(stderr, "%s%s\n", tag, msg);
}

int nt_log_fieldsv(int level, int err, const char *const *fields, const char *fmt, va_list ap)
{
	int saved = errno;
	char buf[2048];

	if (err < 0)
		err = -err;
	if (level <= log_max_level) {
		/* glibc expands %m from errno: make it describe err. */
		errno = err;
		vsnprintf(buf, sizeof(buf), fmt, ap);
		log_sink(level, err, buf, fields, log_userdata);
	}
	errno = saved;
	if (err)
		return -err;
	return level <= LOG_ERR ? -EIO : 0;
}

int nt_log_fields(int level, int err, const char *const *fields, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = nt_log_fieldsv(level, err, fields, fmt, ap);
	va_end(ap);
	return r;
}
