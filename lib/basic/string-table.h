/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Enum <-> string from one table, the idea of systemd's DEFINE_STRING_TABLE_LOOKUP. Write
 * the names once, indexed by the enum,
 *
 *   static const char *const nt_level_table[_NT_LEVEL_MAX] = {
 *           [NT_LEVEL_OK] = "ok", [NT_LEVEL_WARN] = "warn", ...
 *   };
 *   DEFINE_STRING_TABLE_LOOKUP(nt_level, enum nt_level);
 *
 * and get both directions:
 *
 *   const char *nt_level_to_string(enum nt_level v);  NULL outside the table or for a hole
 *   int nt_level_from_string(const char *s);          the value, or -EINVAL
 *
 * Headers declare the pair with DECLARE_STRING_TABLE_LOOKUP(); a table private to one file
 * uses DEFINE_PRIVATE_STRING_TABLE_LOOKUP() (static functions, no declaration).
 */
#ifndef NT_STRING_TABLE_H
#define NT_STRING_TABLE_H

#include <stddef.h>

#include "macro.h"

/* The index of @s in @table (exact match; NULL entries never match), or -EINVAL. */
int nt_string_table_lookup(const char *const *table, size_t n, const char *s);

#define _DEFINE_STRING_TABLE_LOOKUP(name, type, scope)                                             \
	scope const char *name##_to_string(type v)                                                 \
	{                                                                                          \
		return (size_t)v < ARRAY_SIZE(name##_table) ? name##_table[(size_t)v] : NULL;      \
	}                                                                                          \
	scope int name##_from_string(const char *s)                                                \
	{                                                                                          \
		return nt_string_table_lookup(name##_table, ARRAY_SIZE(name##_table), s);          \
	}

#define DEFINE_STRING_TABLE_LOOKUP(name, type) _DEFINE_STRING_TABLE_LOOKUP(name, type, )
#define DEFINE_PRIVATE_STRING_TABLE_LOOKUP(name, type)                                             \
	_DEFINE_STRING_TABLE_LOOKUP(name, type, static _unused_)

#define DECLARE_STRING_TABLE_LOOKUP(name, type)                                                    \
	const char *name##_to_string(type v);                                                      \
	int name##_from_string(const char *s)

#endif
