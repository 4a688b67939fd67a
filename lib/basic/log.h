/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Logging front end. Library code does not log (debug excepted); programs log once
 * where they handle an error. The program chooses the sink: stderr for napictl,
 * the journal for the daemon.
 */
#ifndef NT_LOG_H
#define NT_LOG_H

#include <stdarg.h>
#include <syslog.h>

#include "macro.h"

/*
 * A sink receives one finished message. @err is the positive errno the message is
 * about (0 if none). @fields are extra "KEY=value" strings (NULL-terminated list or
 * NULL) for structured sinks; others ignore them.
 */
typedef void (*nt_log_sink_t)(int level, int err, const char *msg, const char *const *fields,
			      void *userdata);

void nt_log_set_sink(nt_log_sink_t sink, void *userdata);
void nt_log_set_max_level(int level);
int nt_log_get_max_level(void);
/* Level name ("err", "warning", "info", "debug"...) to syslog level, -EINVAL if unknown. */
int nt_log_level_from_string(const char *s);

/* Default sink: "<prefix>: message" on stderr; prefix set with nt_log_set_prefix(). */
void nt_log_sink_stderr(int level, int err, const char *msg, const char *const *fields,
			void *userdata);
void nt_log_set_prefix(const char *prefix);

/*
 * Formats and emits. "%m" in @fmt expands to strerror(err). Returns -abs(err), or
 * -EIO when err is 0 and level is an error, so "return log_error_errno(r, ...)" works.
 */
int nt_log_fields(int level, int err, const char *const *fields, const char *fmt, ...)
	_printf_(4, 5);
int nt_log_fieldsv(int level, int err, const char *const *fields, const char *fmt, va_list ap)
	_printf_(4, 0);

#define log_full_errno(level, err, ...) nt_log_fields((level), (err), NULL, __VA_ARGS__)
#define log_error_errno(err, ...)	log_full_errno(LOG_ERR, (err), __VA_ARGS__)
#define log_warning_errno(err, ...)	log_full_errno(LOG_WARNING, (err), __VA_ARGS__)
#define log_error(...)			((void)log_full_errno(LOG_ERR, 0, __VA_ARGS__))
#define log_warning(...)		((void)log_full_errno(LOG_WARNING, 0, __VA_ARGS__))
#define log_notice(...)			((void)log_full_errno(LOG_NOTICE, 0, __VA_ARGS__))
#define log_info(...)			((void)log_full_errno(LOG_INFO, 0, __VA_ARGS__))
#define log_debug(...)			((void)log_full_errno(LOG_DEBUG, 0, __VA_ARGS__))

#endif
