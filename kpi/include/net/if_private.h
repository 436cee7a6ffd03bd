/*
 * KPI stand-in: <net/if_private.h>, where FreeBSD defines struct ifnet for
 * the code that reads its fields (here: if_groups).  The stand-in's struct
 * ifnet is in <net/if_var.h>.
 */
#ifndef KPI_NET_IF_PRIVATE_H
#define KPI_NET_IF_PRIVATE_H

#include <net/if_var.h>

#endif
