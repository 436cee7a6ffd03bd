/*
 * The counters the reasons of <sys/mbuf_trace_reason.h> name, against
 * FreeBSD's own statistics structures: a reason whose counter is no member
 * of its group's struct (what netstat -s shows) does not compile.  The
 * VM's mtstats reads them through the same table (kernel/tools/vm.d).
 */
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/mbuf.h>
#include <sys/socket.h>

#include <net/if.h>
#include <net/if_var.h>
#include <netinet/in.h>
#include <netinet/in_pcb.h>
#include <netinet/in_systm.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <netinet/icmp_var.h>
#include <netinet/if_ether.h>
#include <netinet/ip_var.h>
#include <netinet/tcp.h>
#include <netinet/tcp_var.h>
#include <netinet/udp.h>
#include <netinet/udp_var.h>
#include <netinet/icmp6.h>
#include <netinet/ip6.h>
#include <netinet6/ip6_var.h>
#include <netinet6/raw_ip6.h>

#include <sys/mbuf_trace.h>

#define COUNTER(type, c) offsetof(struct type, c),
#define COUNTER_ip(c)    COUNTER(ipstat, c)
#define COUNTER_ip6(c)   COUNTER(ip6stat, c)
#define COUNTER_icmp(c)  COUNTER(icmpstat, c)
#define COUNTER_icmp6(c) COUNTER(icmp6stat, c)
#define COUNTER_tcp(c)   COUNTER(tcpstat, c)
#define COUNTER_udp(c)   COUNTER(udpstat, c)
#define COUNTER_arp(c)   COUNTER(arpstat, c)
#define COUNTER_rip6(c)  COUNTER(rip6stat, c)
/* pf's counters are pfctl -si's PFRES_* (the table's codes are 700 + them). */
#define COUNTER_pf(c)
/* An interface counter is IFCOUNTER_<COUNTER>, ift_counter's. */
#define COUNTER_if(c)
#define COUNTER_none(c)
#define ROW(name, code, fate, group, counter, text) COUNTER_##group(counter)

const size_t mtrace_reason_counters[] = { MTRACE_REASONS(ROW) 0 };
