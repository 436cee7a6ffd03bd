/*
 * KPI stand-in: <sys/param.h>.  glibc's, plus the kernel's basic types
 * and the macros FreeBSD adds.
 */
#ifndef KPI_SYS_PARAM_H
#define KPI_SYS_PARAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/cdefs.h>
#include <sys/types.h>
#include_next <sys/param.h>
/* FreeBSD's <sys/param.h> brings these in for the kernel. */
#include <errno.h>
#include <sys/priority.h>
#include <sys/time.h>

#ifndef nitems
#define nitems(x) (sizeof((x)) / sizeof((x)[0]))
#endif
#define rounddown2(x, y) ((x) & ~((__typeof__(x))(y)-1))
#define roundup2(x, y)   (((x) + ((y)-1)) & ~((__typeof__(x))(y)-1))

#define MSIZE    256
#define MCLSHIFT 11
#define MCLBYTES (1 << MCLSHIFT)

#endif
