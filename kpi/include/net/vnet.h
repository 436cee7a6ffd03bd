/*
 * KPI stand-in: <net/vnet.h> of a kernel without VIMAGE, where per-VNET
 * variables are plain globals and VNET_SYSINIT is SYSINIT.
 */
#ifndef KPI_NET_VNET_H
#define KPI_NET_VNET_H

#include <sys/kernel.h>

struct vnet;

#define curvnet                  NULL
#define VNET_DEFINE_STATIC(t, n) static t n
#define VNET(n)                  (n)
#define VNET_VNET(vnet, n)       (n)

#define VNET_SYSINIT(ident, subsystem, order, func, arg) SYSINIT(ident, subsystem, order, func, arg)
#define VNET_SYSUNINIT(ident, subsystem, order, func, arg)                                         \
    SYSUNINIT(ident, subsystem, order, func, arg)

#endif
