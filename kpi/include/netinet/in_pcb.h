/*
 * KPI stand-in: <netinet/in_pcb.h>, the connection info of an inpcb
 * (struct in_conninfo) with FreeBSD's field names, which mtrace_deliver()
 * reads.
 */
#ifndef KPI_NETINET_IN_PCB_H
#define KPI_NETINET_IN_PCB_H

#include <netinet/in.h>

struct in_endpoints {
    uint16_t ie_fport;
    uint16_t ie_lport;
    union {
        struct in_addr ia4;
        struct in6_addr ia6;
    } ie_dependfaddr, ie_dependladdr;
#define ie_faddr  ie_dependfaddr.ia4
#define ie_laddr  ie_dependladdr.ia4
#define ie6_faddr ie_dependfaddr.ia6
#define ie6_laddr ie_dependladdr.ia6
    uint32_t ie6_zoneid;
};

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

/* An inpcb as far as mtrace_deliver() looks: its connection info. */
struct inpcb {
    struct in_conninfo inp_inc;
};

#endif
