/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What every YAML file napitune reads shares (profiles, the daemon's configuration): a
 * screened load (size, NUL bytes, aliases, nesting and document count checked on the event
 * stream before libyaml builds a tree), "file:line:col: " messages collected in a struct
 * nt_msgs, duplicate-key detection, and "did you mean" for unknown keys. libyaml does the
 * parsing; nothing here parses YAML itself.
 */
#ifndef NT_YAML_UTIL_H
#define NT_YAML_UTIL_H

#include <stdbool.h>
#include <stddef.h>

#include <yaml.h>

#include "msgs.h"

struct nt_yaml {
	const char *file;      /* names the input in messages */
	yaml_document_t *doc;  /* while a document is loaded */
	struct nt_msgs *msgs;  /* errors and warnings go here */
	const char *alias_fix; /* the advice appended to "aliases are not allowed" */
};

#define NT_YAML_AT(y, node)                                                                        \
	(y)->file, (unsigned long)(node)->start_mark.line + 1,                                     \
		(unsigned long)(node)->start_mark.column + 1

#define nt_yaml_err(y, node, fmt, ...)                                                             \
	nt_msgs_add((y)->msgs, true, "%s:%lu:%lu: " fmt, NT_YAML_AT(y, node), ##__VA_ARGS__)
#define nt_yaml_warn(y, node, fmt, ...)                                                            \
	nt_msgs_add((y)->msgs, false, "%s:%lu:%lu: warning: " fmt, NT_YAML_AT(y, node),            \
		    ##__VA_ARGS__)

/* "a scalar", "a list", "a mapping", "nothing": for messages. */
const char *nt_yaml_node_kind(const yaml_node_t *n);
/* The text of a scalar node, NULL for anything else. */
const char *nt_yaml_scalar(const yaml_node_t *n);
/* "file:line:col" of @n (malloc'ed; NULL on OOM). */
char *nt_yaml_where(const struct nt_yaml *y, const yaml_node_t *n);
/* The closest of @known (NULL-terminated) to @s within an edit distance of 3, or NULL. */
const char *nt_yaml_closest(const char *s, const char *const *known);
/* Reports an unknown key, with the closest of @known as a suggestion; @what: "in WHAT". */
void nt_yaml_unknown_key(struct nt_yaml *y, const yaml_node_t *key, const char *const *known,
			 const char *what);
/* Reports unless @n has @type; @what names it ("'sysctl'", "a devices entry"). */
bool nt_yaml_expect(struct nt_yaml *y, const yaml_node_t *n, yaml_node_type_t type,
		    const char *what);

/* Calls @fn for each key/value of a mapping; reports duplicate and non-scalar keys. */
typedef void (*nt_yaml_pair_fn)(struct nt_yaml *y, const yaml_node_t *key, const char *name,
				yaml_node_t *value, void *userdata);
void nt_yaml_for_pairs(struct nt_yaml *y, yaml_node_t *map, nt_yaml_pair_fn fn, void *userdata);

/*
 * Screens @buf (at most @max bytes, no NUL, no aliases, nesting and node count bounded, one
 * document), loads it and calls @fn with its root node (NULL for an empty document) while
 * y->doc is set. Returns -EINVAL (-EFBIG for size) if anything was reported as an error
 * while doing so, 0 otherwise.
 */
int nt_yaml_parse(struct nt_yaml *y, const char *buf, size_t len, size_t max,
		  void (*fn)(struct nt_yaml *y, yaml_node_t *root, void *userdata), void *userdata);

/* Reads a whole regular file of at most @max bytes (NUL-terminated). -EFBIG if larger. */
int nt_yaml_read_file(const char *path, size_t max, char **ret, size_t *ret_len);

#endif
