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

#endif
