/*
 * KPI stand-in: <net/vnet.h> of a kernel with one VNET, whose per-VNET
 * variables are plain globals.  VNET_SYSINIT and VNET_SYSUNINIT go to sets
 * of their own: kpi_boot() runs them with the SYSINITs, in order, like
 * vnet0's creation; kpi_vnet_destroy() and kpi_vnet_create() run them
 * again, as a VNET jail's end and start do.
 */
#ifndef KPI_NET_VNET_H
#define KPI_NET_VNET_H

#include <sys/kernel.h>

struct vnet;

#define curvnet                  NULL
#define VNET_DECLARE(t, n)       extern t n
#define VNET_DEFINE(t, n)        t n
#define VNET_DEFINE_STATIC(t, n) static t n
#define VNET(n)                  (n)
#define VNET_NAME(n)             n
#define VNET_VNET(vnet, n)       (n)

#define VNET_SYSINIT(ident, subsystem, order, func, arg)                                           \
    static void ident##_vnet_init_call(const void *a)                                              \
    {                                                                                              \
        (func)((void *)(uintptr_t)a);                                                              \
    }                                                                                              \
    static struct sysinit ident##_vnet_init = { subsystem, order, ident##_vnet_init_call,          \
                                                (const void *)(arg) };                             \
    DATA_SET(vnet_sysinit_set, ident##_vnet_init)
#define VNET_SYSUNINIT(ident, subsystem, order, func, arg)                                         \
    static void ident##_vnet_uninit_call(const void *a)                                            \
    {                                                                                              \
        (func)((void *)(uintptr_t)a);                                                              \
    }                                                                                              \
    static struct sysinit ident##_vnet_uninit = { subsystem, order, ident##_vnet_uninit_call,      \
                                                  (const void *)(arg) };                           \
    DATA_SET(vnet_sysuninit_set, ident##_vnet_uninit)

/* Statistics: an array of counter(9)s per VNET, as FreeBSD defines them. */
#define VNET_PCPUSTAT_DECLARE(type, name)                                                          \
    VNET_DECLARE(counter_u64_t, name[sizeof(type) / sizeof(uint64_t)])
#define VNET_PCPUSTAT_DEFINE(type, name)                                                           \
    VNET_DEFINE(counter_u64_t, name[sizeof(type) / sizeof(uint64_t)])
#define VNET_PCPUSTAT_ALLOC(name, wait)                                                            \
    COUNTER_ARRAY_ALLOC(VNET(name), sizeof(VNET(name)) / sizeof(counter_u64_t), (wait))
#define VNET_PCPUSTAT_FREE(name)                                                                   \
    COUNTER_ARRAY_FREE(VNET(name), sizeof(VNET(name)) / sizeof(counter_u64_t))
#define VNET_PCPUSTAT_SYSINIT(name)                                                                \
    static void vnet_##name##_init(const void *unused __unused)                                    \
    {                                                                                              \
        VNET_PCPUSTAT_ALLOC(name, M_WAITOK);                                                       \
    }                                                                                              \
    VNET_SYSINIT(vnet_##name##_init, SI_SUB_INIT_IF, SI_ORDER_FIRST, vnet_##name##_init, NULL)
#define VNET_PCPUSTAT_SYSUNINIT(name)                                                              \
    static void vnet_##name##_uninit(const void *unused __unused)                                  \
    {                                                                                              \
        VNET_PCPUSTAT_FREE(name);                                                                  \
    }                                                                                              \
    VNET_SYSUNINIT(vnet_##name##_uninit, SI_SUB_INIT_IF, SI_ORDER_FIRST, vnet_##name##_uninit, NULL)

#endif
