/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Small helpers used everywhere: cleanup attributes, TAKE_PTR/TAKE_FD, ARRAY_SIZE,
 * streq. Semantics after systemd's macro.h, written for napitune.
 */
#ifndef NT_MACRO_H
#define NT_MACRO_H

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define _cleanup_(f)   __attribute__((cleanup(f)))
#define _unused_       __attribute__((unused))
#define _printf_(a, b) __attribute__((format(printf, a, b)))

/* Return the value of a variable and reset it to NULL/0, for ownership transfer. */
#define TAKE_PTR(p)                                                                                \
	({                                                                                         \
		__typeof__(p) *_pp = &(p);                                                         \
		__typeof__(p) _p = *_pp;                                                           \
		*_pp = NULL;                                                                       \
		_p;                                                                                \
	})

#define TAKE_FD(fd)                                                                                \
	({                                                                                         \
		int *_pfd = &(fd);                                                                 \
		int _fd = *_pfd;                                                                   \
		*_pfd = -EBADF;                                                                    \
		_fd;                                                                               \
	})

/* Defines NAME##p(type **p) that calls func(*p) if *p is set. */
#define DEFINE_TRIVIAL_CLEANUP_FUNC(type, func)                                                    \
	static inline void func##p(type *p)                                                        \
	{                                                                                          \
		if (*p)                                                                            \
			func(*p);                                                                  \
	}

static inline void freep(void *p)
{
	free(*(void **)p);
}

#define _cleanup_free_ _cleanup_(freep)

static inline void closep(int *fd)
{
	if (*fd >= 0) {
		int saved = errno;

		(void)close(*fd);
		errno = saved;
	}
}

#define _cleanup_close_ _cleanup_(closep)

#define streq(a, b) (strcmp((a), (b)) == 0)

#endif
