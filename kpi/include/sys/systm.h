/*
 * KPI stand-in: <sys/systm.h>.  Assertions are always compiled in
 * (INVARIANTS): the userspace build is where they are checked.
 */
#ifndef KPI_SYS_SYSTM_H
#define KPI_SYS_SYSTM_H

#include <sys/param.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void kassert_panic(const char *fmt, ...) __printflike(1, 2) __dead2;
void panic(const char *fmt, ...) __printflike(1, 2) __dead2;

#define KASSERT(exp, msg)                                                                          \
    do {                                                                                           \
        if (__predict_false(!(exp)))                                                               \
            kassert_panic msg;                                                                     \
    } while (0)
/* <sys/libkern.h>, which systm.h includes: each argument read once. */
static inline unsigned int
min(unsigned int a, unsigned int b)
{
    return a < b ? a : b;
}

/* <sys/kassert.h>, which systm.h includes. */
#define CTASSERT(x) _Static_assert(x, "compile-time assertion failed")

#define MPASS(ex) KASSERT((ex), ("Assertion %s failed at %s:%d", #ex, __FILE__, __LINE__))

#endif
