/*
 * Stand-in for FreeBSD's <sys/param.h>: the part dtrace_mbuf.c uses, on
 * the host's C library.
 */
#ifndef MBUF_TRACE_TEST_SYS_PARAM_H
#define MBUF_TRACE_TEST_SYS_PARAM_H

/* <sys/types.h> gives the kernel bool, true and false. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Round x up to a multiple of y, a power of two. */
#define roundup2(x, y) (((x) + ((y)-1)) & ~((uintmax_t)(y)-1))

#endif
