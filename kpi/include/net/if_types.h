/* KPI stand-in: the interface types of FreeBSD's <net/if_types.h>. */
#ifndef KPI_NET_IF_TYPES_H
#define KPI_NET_IF_TYPES_H
#define IFT_OTHER 0x1
#endif
