// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What the receive-path thread reader parses (topo/kthreads.c): /proc/<pid>/stat,
 * /proc/<pid>/schedstat, /proc/<pid>/status and kthreadd's children file. Input:
 * STAT NUL SCHEDSTAT NUL STATUS NUL CHILDREN, each part fed to its parser.
 */
#include <errno.h>
#include <net/if.h>
#include <string.h>

#include "fuzz.h"
#include "kthreads.h"

const unsigned int nt_fuzz_texts = 4;

void nt_fuzz_run(const char *const *text, _unused_ const uint8_t *data, _unused_ size_t size)
{
	struct nt_kthread t = {.cpu = -1, .last_cpu = -1, .allowed_cpu = -1};
	int *pids = NULL;
	size_t n;
	int r;

	r = nt_kthread_parse_stat(text[0], &t);
	if (r == 0) {
		FUZZ_CHECK(t.pid > 0 && memchr(t.comm, '\0', sizeof(t.comm)));
		FUZZ_CHECK(t.kind == NT_KTHREAD_NAPI || t.cpu >= 0);
		FUZZ_CHECK(memchr(t.dev, '\0', IF_NAMESIZE));
	}
	r = nt_kthread_parse_schedstat(text[1], &t);
	FUZZ_CHECK(r == 0 ? t.have_schedstat : r == -EBADMSG);
	if (nt_kthread_parse_status(text[2], &t) == 0) {
		FUZZ_CHECK(t.n_allowed <= 8192);
		FUZZ_CHECK((t.n_allowed == 1) == (t.allowed_cpu >= 0));
		FUZZ_CHECK(memchr(t.allowed_list, '\0', sizeof(t.allowed_list)));
	}
	FUZZ_CHECK(nt_kthread_parse_children(text[3], &pids, &n) == 0);
	for (size_t i = 0; i < n; i++)
		FUZZ_CHECK(pids[i] > 0 && pids[i] < (1 << 22));
	free(pids);
}
