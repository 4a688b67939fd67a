/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Strict number parsing: whole string, no sign surprises, -ERANGE on overflow. */
#ifndef NT_PARSE_UTIL_H
#define NT_PARSE_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Decimal (or 0x-prefixed hex) unsigned; surrounding white space allowed. */
int nt_parse_u64(const char *s, uint64_t *ret);
int nt_parse_u32(const char *s, uint32_t *ret);
int nt_parse_s64(const char *s, int64_t *ret);
/* 1/0, yes/no, true/false, on/off. */
int nt_parse_bool(const char *s, bool *ret);

/*
 * Splits one "  name: value" line of ethtool's text output (@line up to @eol; the last ':'
 * ends the name). False if the line has no ':'. The name has leading blanks skipped; the
 * value starts after the blanks following the ':' and is empty (== @eol) for a section
 * header such as "NIC statistics:".
 */
bool nt_split_kv_line(const char *line, const char *eol, const char **ret_name, size_t *ret_len,
		      const char **ret_val);

#endif
