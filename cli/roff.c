// SPDX-License-Identifier: GPL-2.0-or-later
/* Text for man(7) pages: escapes as groff_man(7) and groff(7) describe them. */
#include <stdio.h>

#include "napictl.h"

void roff_text(FILE *f, const char *s)
{
	/* A '.' or '\'' that starts a line would make it a request: \& in front keeps it text. */
	if (*s == '.' || *s == '\'')
		fputs("\\&", f);
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\e", f);
		else if (*s == '-')
			fputs("\\-", f); /* a minus, so keys and options copy and search as typed */
		else if (*s == '\n')
			fputs(s[1] == '.' || s[1] == '\'' ? "\n\\&" : "\n", f);
		else
			fputc(*s, f);
	}
}
