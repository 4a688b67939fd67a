// SPDX-License-Identifier: GPL-2.0-or-later
#include <dlfcn.h>
#include <errno.h>

#include "dlopen.h"

/* Enough for every table in this file; nt_dl_open() refuses longer ones. */
#define NT_DL_SYMS_MAX 16

int nt_dl_open(const char *soname, const struct nt_dl_sym *syms, size_t n, void **ret_handle,
	       struct nt_err *reterr)
{
	void *addr[NT_DL_SYMS_MAX];
	void *dl;

	if (n > NT_DL_SYMS_MAX)
		return nt_err_set(reterr, -E2BIG, "%zu symbols from %s, at most %d", n, soname,
				  NT_DL_SYMS_MAX);
	dl = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
	if (!dl)
		return nt_err_set(reterr, -EOPNOTSUPP, "%s", dlerror());
	for (size_t i = 0; i < n; i++) {
		(void)dlerror();
		addr[i] = dlsym(dl, syms[i].name);
		if (!addr[i]) {
			const char *why = dlerror();
			int r = nt_err_set(reterr, -ELIBBAD, "%s has no symbol '%s'%s%s", soname,
					   syms[i].name, why ? ": " : "", why ? why : "");

			(void)dlclose(dl);
			return r;
		}
	}
	for (size_t i = 0; i < n; i++)
		*syms[i].addr = addr[i];
	*ret_handle = dl;
	return 0;
}

__typeof__(sd_bus_open_system) *sym_sd_bus_open_system;
__typeof__(sd_bus_call_method) *sym_sd_bus_call_method;
__typeof__(sd_bus_error_free) *sym_sd_bus_error_free;
__typeof__(sd_bus_message_unref) *sym_sd_bus_message_unref;
__typeof__(sd_bus_flush_close_unref) *sym_sd_bus_flush_close_unref;

#define NT_DL_SYM(f)                                                                               \
	{                                                                                          \
#f, (void **)&sym_##f                                                              \
	}

int nt_dlopen_libsystemd(struct nt_err *reterr)
{
	static const struct nt_dl_sym syms[] = {
		NT_DL_SYM(sd_bus_open_system),	     NT_DL_SYM(sd_bus_call_method),
		NT_DL_SYM(sd_bus_error_free),	     NT_DL_SYM(sd_bus_message_unref),
		NT_DL_SYM(sd_bus_flush_close_unref),
	};
	static void *dl; /* kept open for the life of the process */

	if (dl)
		return 0;
	return nt_dl_open(NT_LIBSYSTEMD_SONAME, syms, ARRAY_SIZE(syms), &dl, reterr);
}
