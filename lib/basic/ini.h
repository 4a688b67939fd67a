/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Ini-like configuration text, the common ground of the files other tools tune the machine
 * with: systemd's sysctl.d(5) and systemd.link(5) files (systemd.syntax(7): "[Section]",
 * "Key=Value", '#' and ';' comments, a trailing backslash continues the line), tuned's
 * tuned.conf (tuned.conf(5)) and NetworkManager's keyfiles (nm-settings-keyfile(5), GLib's
 * key file format). Only the syntax: what a key means is the caller's. Nothing is unquoted
 * or unescaped: the callers compare keys and report values as the file writes them.
 */
#ifndef NT_INI_H
#define NT_INI_H

#include <stddef.h>

/* Lines longer than this (after continuations) are skipped as a whole. */
#define NT_INI_LINE_MAX 4096

enum {
	NT_INI_CONTINUATION = 1 << 0, /* a line ending in '\' continues (systemd.syntax(7)) */
	NT_INI_NO_SECTIONS = 1 << 1,  /* sysctl.d: "[x]" is not a section header */
	NT_INI_BARE_KEYS = 1 << 2,    /* a line without '=' is a key with a NULL value */
};

/*
 * Called for every "key = value" line: @section is the last header's name ("" before any),
 * key and value with white space around them removed, @line the 1-based number of the
 * line the assignment starts on. A non-zero return stops the parse and is returned.
 */
typedef int (*nt_ini_fn)(const char *section, const char *key, const char *value, unsigned int line,
			 void *userdata);

/*
 * Walks @text (NUL-terminated). Lines that are neither a comment, a header nor an
 * assignment are skipped, as systemd-sysctl and systemd-udevd skip them with a warning.
 * Returns 0, -ENOMEM, or what @fn returned.
 */
int nt_ini_parse(const char *text, unsigned int flags, nt_ini_fn fn, void *userdata);

struct nt_ini_entry {
	char *section, *key, *value; /* value NULL: a bare key (NT_INI_BARE_KEYS) */
	unsigned int line;
};

struct nt_ini {
	struct nt_ini_entry *e;
	size_t n;
};

/* Every assignment of @text, in order, into @ret (freed with nt_ini_done()); -ENOMEM. */
int nt_ini_load(const char *text, unsigned int flags, struct nt_ini *ret);
void nt_ini_done(struct nt_ini *ini);

/* @s without leading and trailing white space, in place (returns a pointer into @s). */
char *nt_strstrip(char *s);

#endif
