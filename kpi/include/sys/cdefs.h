/*
 * KPI stand-in: <sys/cdefs.h>.  glibc's, plus the FreeBSD kernel's
 * attribute macros the kernel sources use.
 */
#ifndef KPI_SYS_CDEFS_H
#define KPI_SYS_CDEFS_H

#include_next <sys/cdefs.h>

#define __unused              __attribute__((__unused__))
#define __aligned(x)          __attribute__((__aligned__(x)))
#define __printflike(fmt, va) __attribute__((__format__(__printf__, fmt, va)))
#define __predict_false(e)    __builtin_expect(!!(e), 0)
#define __predict_true(e)     __builtin_expect(!!(e), 1)
#define __dead2               __attribute__((__noreturn__))
#define __noinline            __attribute__((__noinline__))
#define __DECONST(type, var)  ((type)(uintptr_t)(const void *)(var))

/*
 * Linker sets, as FreeBSD's <sys/linker_set.h> makes them: an array of
 * pointers in a named section, bounded by the __start_/__stop_ symbols
 * the GNU linker provides.
 */
#define DATA_SET(set, sym)                                                                         \
    static void const *const __set_##set##_sym_##sym                                               \
        __attribute__((__section__("set_" #set), __used__, __aligned__(sizeof(void *)))) = &(sym)
#define SET_DECLARE(set, ptype)                                                                    \
    extern ptype *__start_set_##set[] __attribute__((__weak__));                                   \
    extern ptype *__stop_set_##set[] __attribute__((__weak__))
#define SET_BEGIN(set) (__start_set_##set)
#define SET_LIMIT(set) (__stop_set_##set)

#endif
