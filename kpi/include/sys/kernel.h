/*
 * KPI stand-in: <sys/kernel.h>.  SYSINIT and SYSUNINIT go to linker sets
 * like FreeBSD's; kpi_boot() runs the first in (subsystem, order) order and
 * kpi_shutdown() the second in reverse.
 */
#ifndef KPI_SYS_KERNEL_H
#define KPI_SYS_KERNEL_H

#include <sys/param.h>

enum sysinit_sub_id {
    SI_SUB_DUMMY = 0x0000000,
    SI_SUB_LOCK = 0x1B00000,
    SI_SUB_COUNTER = 0x1100000,
    SI_SUB_TASKQ = 0x2880000,
    SI_SUB_INIT_IF = 0x3000000,
    SI_SUB_KLD = 0x4000000,
    SI_SUB_PSEUDO = 0x7000000,
    SI_SUB_PROTO_BEGIN = 0x8000000,
    SI_SUB_LAST = 0xfffffff
};

enum sysinit_elem_order {
    SI_ORDER_FIRST = 0x0000000,
    SI_ORDER_SECOND = 0x0000001,
    SI_ORDER_MIDDLE = 0x1000000,
    SI_ORDER_ANY = 0xfffffff
};

typedef void (*sysinit_cfunc_t)(const void *);

struct sysinit {
    enum sysinit_sub_id subsystem;
    enum sysinit_elem_order order;
    sysinit_cfunc_t func;
    const void *udata;
};

/*
 * The kernel casts func to sysinit_cfunc_t; calling through the cast
 * pointer is undefined behaviour that UBSan reports, so the stand-in calls
 * func from a trampoline of the right type instead.  func takes void * or
 * const void *: both accept the argument.
 */
#define C_SYSINIT(uniquifier, subsystem, order, func, ident)                                       \
    static void uniquifier##_sys_init_call(const void *arg)                                        \
    {                                                                                              \
        (func)((void *)(uintptr_t)arg);                                                            \
    }                                                                                              \
    static struct sysinit uniquifier##_sys_init = { subsystem, order, uniquifier##_sys_init_call,  \
                                                    (ident) };                                     \
    DATA_SET(sysinit_set, uniquifier##_sys_init)
#define SYSINIT(uniquifier, subsystem, order, func, ident)                                         \
    C_SYSINIT(uniquifier, subsystem, order, func, (const void *)(ident))

#define C_SYSUNINIT(uniquifier, subsystem, order, func, ident)                                     \
    static void uniquifier##_sys_uninit_call(const void *arg)                                      \
    {                                                                                              \
        (func)((void *)(uintptr_t)arg);                                                            \
    }                                                                                              \
    static struct sysinit uniquifier##_sys_uninit = { subsystem, order,                            \
                                                      uniquifier##_sys_uninit_call, (ident) };     \
    DATA_SET(sysuninit_set, uniquifier##_sys_uninit)
#define SYSUNINIT(uniquifier, subsystem, order, func, ident)                                       \
    C_SYSUNINIT(uniquifier, subsystem, order, func, (const void *)(ident))

#endif
