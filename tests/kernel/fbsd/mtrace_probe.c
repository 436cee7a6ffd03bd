/*
 * A kernel source that uses every mbuf_trace macro, for the check against
 * real FreeBSD headers (check.sh): built with options MBUF_TRACE its object
 * must call the facility; built without, it must still compile and must
 * not mention the facility at all.
 */
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/mbuf.h>
#include <sys/mbuf_trace.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <netinet/in_pcb.h>

void mtrace_probe(struct mbuf *m, const char *s, size_t len, struct ifnet *ifp, struct socket *so,
                  struct inpcb *inp, int error);

void
mtrace_probe(struct mbuf *m, const char *s, size_t len, struct ifnet *ifp, struct socket *so,
             struct inpcb *inp, int error)
{
    mtrace_start(m);
    mtrace_start_ether(m, ifp);
    mtrace_start_proto(m, 0x86dd, ifp);
    mtrace_start_chosen(m, MTRACE_L2);
    mtrace_start_socket(m, so);
    mtrace_data(m);
    mtrace_data_proto(m, 0x0800);
    mtrace_printf(m, "%s %zu", s, len);
    mtrace_static_length(m, s, len);
    mtrace_static(m, "static");
    mtrace_dynamic_length(m, s, len);
    mtrace_dynamic(m, s);
    mtrace(m, "mtrace");
    mtrace_(m);
    mtrace_enter(m);
    mtrace_leave(m);
    mtrace_func(m);
    mtrace_drop(m, PF_MEMORY);
    mtrace_drop_why(m, PF_SHORT, "why");
    mtrace_drop_value(m, PF_NORM, error);
    mtrace_drop_default(m, PF_CONGEST, error);
    mtrace_drop_pf(m, 0, 2, s);
    mtrace_fate(m, REASSEMBLED);
    mtrace_fate_value(m, ICMP_ERROR, 3 << 8 | 3);
    mtrace_deliver(m, inp, IPPROTO_UDP);
    mtrace_sent(m, ifp);
    mtrace_end(m);
}
