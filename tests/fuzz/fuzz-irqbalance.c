// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * irqbalance's answer to "setup" on its control socket (tune/irqbalance.c), another process's
 * text that napictl parses as root, and the "settings ban irqs" request built from it:
 * the request must fit what irqbalance reads at once, or be refused (-E2BIG).
 */
#include <errno.h>
#include <string.h>

#include "fuzz.h"
#include "irqbalance.h"

const unsigned int nt_fuzz_texts = 1;

void nt_fuzz_run(const char *const *text, _unused_ const uint8_t *data, _unused_ size_t size)
{
	int *irqs = NULL;
	char *cmd = NULL;
	size_t n;
	int r;

	if (nt_irqbalance_parse_setup(text[0], &irqs, &n) < 0)
		return;
	for (size_t i = 0; i < n; i++)
		FUZZ_CHECK(irqs[i] >= 0);
	r = nt_irqbalance_ban_cmd(irqs, n, irqs, n / 2, &cmd);
	FUZZ_CHECK(r == 0 || r == -E2BIG);
	if (r == 0)
		FUZZ_CHECK(strlen(cmd) < NT_IRQBALANCE_MSG_MAX &&
			   !strncmp(cmd, "settings ban irqs ", 18));
	free(cmd);
	free(irqs);
}
