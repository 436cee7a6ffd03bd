/*
 * KPI stand-in: <netinet/in_pcb.h>, the connection info of an inpcb
 * (struct in_conninfo) with FreeBSD's field names, which mtrace_deliver()
 * reads.
 */
#ifndef KPI_NETINET_IN_PCB_H
#define KPI_NETINET_IN_PCB_H

#include <netinet/in.h>

/* The IPv4 address of an IPv6-sized slot, where FreeBSD keeps it. */
struct in_addr_4in6 {
    uint32_t ia46_pad32[3];
    struct in_addr ia46_addr4;
};

union in_dependaddr {
    struct in_addr_4in6 id46_addr;
    struct in6_addr id6_addr;
};

struct in_endpoints {
    uint16_t ie_fport;
    uint16_t ie_lport;
    union in_dependaddr ie_dependfaddr;
    union in_dependaddr ie_dependladdr;
#define ie_faddr  ie_dependfaddr.id46_addr.ia46_addr4
#define ie_laddr  ie_dependladdr.id46_addr.ia46_addr4
#define ie6_faddr ie_dependfaddr.id6_addr
#define ie6_laddr ie_dependladdr.id6_addr
    uint32_t ie6_zoneid;
};

/* INC_ISIPV6: set by TCP alone; a socket's version is in inp_vflag. */
struct in_conninfo {
    uint8_t inc_flags;
    uint8_t inc_len;
    uint16_t inc_fibnum;
    struct in_endpoints inc_ie;
};
#define INC_ISIPV6 0x01
#define inc_fport  inc_ie.ie_fport
#define inc_lport  inc_ie.ie_lport
#define inc_faddr  inc_ie.ie_faddr
#define inc_laddr  inc_ie.ie_laddr
#define inc6_faddr inc_ie.ie6_faddr
#define inc6_laddr inc_ie.ie6_laddr

/* An inpcb as far as mtrace_deliver() looks: its connection info and version. */
struct inpcb {
    struct in_conninfo inp_inc;
    uint8_t inp_vflag;
};
#define INP_IPV4 0x1
#define INP_IPV6 0x2

#endif
