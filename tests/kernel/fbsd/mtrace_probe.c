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

void mtrace_probe(struct mbuf *m, const char *s, size_t len, struct ifnet *ifp, struct socket *so);

void
mtrace_probe(struct mbuf *m, const char *s, size_t len, struct ifnet *ifp, struct socket *so)
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
}
