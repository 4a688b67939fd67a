// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The daemon's configuration (tune/daemon-config.c over tune/yaml-util.c, the profile's
 * screened libyaml reader): any bytes give a configuration or errors, never both, never
 * neither. What it accepts round-trips: every key formatted and loaded again gives the same
 * configuration.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon-config.h"
#include "fuzz.h"

const unsigned int nt_fuzz_texts = 0; /* YAML may hold NULs: the loader takes a length */

/* @v as a YAML double-quoted scalar: any value the loader took survives it unchanged */
static void put_quoted(FILE *f, const char *v)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\x%02x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

static void check_round_trip(const struct nt_daemon_config *c)
{
	struct nt_daemon_config again = {};
	struct nt_msgs d = {};
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	FUZZ_CHECK(f != NULL);
	for (size_t i = 0; i < nt_dconf_n_keys; i++) {
		char *v = NULL;

		FUZZ_CHECK(nt_daemon_config_format(c, &nt_dconf_keys[i], &v) == 0);
		fprintf(f, "%s: ", nt_dconf_keys[i].key);
		put_quoted(f, v);
		fputc('\n', f);
		free(v);
	}
	fclose(f);
	FUZZ_CHECK(nt_daemon_config_load_buffer("again.yaml", text, len, &again, &d) == 0);
	FUZZ_CHECK((c->profile == NULL) == (again.profile == NULL));
	FUZZ_CHECK(!c->profile || strcmp(c->profile, again.profile) == 0);
	FUZZ_CHECK(c->on_stop == again.on_stop && c->drift == again.drift);
	FUZZ_CHECK(c->verify_interval_ns == again.verify_interval_ns);
	FUZZ_CHECK(c->reassert_limit == again.reassert_limit);
	FUZZ_CHECK(c->reassert_window_ns == again.reassert_window_ns);
	nt_daemon_config_done(&again);
	nt_msgs_done(&d);
	free(text);
}

void nt_fuzz_run(_unused_ const char *const *text, const uint8_t *data, size_t size)
{
	struct nt_daemon_config c = {};
	struct nt_msgs d = {};
	int r;

	r = nt_daemon_config_load_buffer("fuzz.yaml", (const char *)data, size, &c, &d);
	FUZZ_CHECK(r >= 0 ? d.n_errors == 0 : d.n_errors > 0 || r == -ENOMEM);
	if (r >= 0)
		check_round_trip(&c);
	nt_daemon_config_done(&c);
	nt_msgs_done(&d);
}
