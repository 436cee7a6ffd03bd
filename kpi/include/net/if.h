/*
 * KPI stand-in: <net/if.h>.  glibc's (IFNAMSIZ, IFF_UP, ...), plus the
 * driver flags of FreeBSD.
 */
#ifndef KPI_NET_IF_H
#define KPI_NET_IF_H

#include_next <net/if.h>

#define IFF_DRV_RUNNING 0x40

#endif
