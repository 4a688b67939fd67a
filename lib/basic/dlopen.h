/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Libraries loaded on first use (dlopen) instead of at program start. libsystemd and the
 * six libraries it needs are most of napictl's start-up time, yet only irqbalance 'stop'
 * (and its revert) uses it, to talk to systemd over D-Bus. Its headers are still needed at
 * build time (the types and the typed pointers below); napictl has no DT_NEEDED on it
 * (tests/cli/test-linkage.sh checks).
 *
 * Callers use sym_<function> after nt_dlopen_libsystemd() returned 0. Not thread-safe:
 * call it from one thread (napictl has only one).
 */
#ifndef NT_DLOPEN_H
#define NT_DLOPEN_H

#include <stddef.h>

#include <systemd/sd-bus.h>

#include "error.h"

struct nt_dl_sym {
	const char *name;
	void **addr; /* where the symbol's address goes, a function pointer in practice */
};

/*
 * dlopen()s SONAME and resolves every symbol of SYMS. All or nothing: the addresses are
 * written only once all are found. -EOPNOTSUPP when the library cannot be loaded, -ELIBBAD
 * when a symbol is missing; reterr says which and why (dlerror()).
 */
int nt_dl_open(const char *soname, const struct nt_dl_sym *syms, size_t n, void **ret_handle,
	       struct nt_err *reterr);

#define NT_LIBSYSTEMD_SONAME "libsystemd.so.0"

extern __typeof__(sd_bus_open_system) *sym_sd_bus_open_system;
extern __typeof__(sd_bus_call_method) *sym_sd_bus_call_method;
extern __typeof__(sd_bus_error_free) *sym_sd_bus_error_free;
extern __typeof__(sd_bus_message_unref) *sym_sd_bus_message_unref;
extern __typeof__(sd_bus_flush_close_unref) *sym_sd_bus_flush_close_unref;

/*
 * Loads libsystemd.so.0 and sets the sym_* pointers above; a no-op once it succeeded.
 * Errors as nt_dl_open(); the caller says what needed the library.
 */
int nt_dlopen_libsystemd(struct nt_err *reterr);

#endif
