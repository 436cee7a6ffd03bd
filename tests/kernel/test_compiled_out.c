/*
 * Without options MBUF_TRACE every mtrace_*() macro is a statement that
 * evaluates nothing: this file is built without MBUF_TRACE and is not
 * linked with the facility, so a call left behind would not link, and
 * arguments with side effects would change "evaluated".  The arguments
 * are still checked against the functions' prototypes, so that a call
 * site that rots fails to build with the option off too
 * (compiled_out_typecheck.sh tries the ones that must not build).
 */
#include <glib.h>

#include <sys/param.h>
#include <sys/mbuf.h>
#include <sys/mbuf_trace.h>

#include <net/if_var.h>
#include <netinet/in_pcb.h>

#include "kpi.h"

#ifdef MBUF_TRACE
#error "test_compiled_out.c must be built without MBUF_TRACE"
#endif

static struct mbuf *
counted(int *evaluated, struct mbuf *m)
{
    (*evaluated)++;
    return m;
}

static void
test_compiled_out_macros_evaluate_nothing(void)
{
    static const guint8 bytes[60];
    struct mbuf *m = kpi_mbuf_chain(bytes, sizeof(bytes), NULL, 0);
    struct inpcb inp = { .inp_vflag = INP_IPV4 };
    int evaluated = 0;

    /* Valid as the only statement of a branch. */
    if (m != NULL)
        mtrace_start(m);
    else
        mtrace_start(counted(&evaluated, m));
    mtrace_start_ether(counted(&evaluated, m), NULL);
    mtrace_start_proto(m, evaluated++, NULL);
    mtrace_start_chosen(m, evaluated++);
    mtrace_start_socket(counted(&evaluated, m), NULL);
    mtrace_data(counted(&evaluated, m));
    mtrace_data_proto(m, evaluated++);
    mtrace_printf(m, "%d %s", evaluated++, "x");
    mtrace_static_length(m, "static", evaluated++);
    mtrace_static(counted(&evaluated, m), "x");
    mtrace_dynamic_length(m, "x", evaluated++);
    mtrace_dynamic(m, (evaluated++, "x"));
    mtrace(counted(&evaluated, m), "x");
    mtrace_(counted(&evaluated, m));
    mtrace_enter(counted(&evaluated, m));
    mtrace_leave(counted(&evaluated, m));
    mtrace_func(m = NULL);
    mtrace_drop(counted(&evaluated, m), PF_MEMORY);
    mtrace_drop_why(counted(&evaluated, m), PF_SHORT, "why");
    mtrace_drop_value(m, PF_NORM, evaluated++);
    mtrace_drop_default(m, PF_NORM, evaluated++);
    mtrace_drop_pf(m, evaluated++, 2, "label");
    mtrace_fate(counted(&evaluated, m), REASSEMBLED);
    mtrace_fate_value(m, ICMP_ERROR, evaluated++);
    mtrace_deliver(counted(&evaluated, m), &inp, evaluated++);
    mtrace_sent(m, (evaluated++, (struct ifnet *)NULL));
    mtrace_end(m = NULL);

    g_assert_cmpint(evaluated, ==, 0);
    g_assert_nonnull(m);
    g_assert_true(SLIST_EMPTY(&m->m_pkthdr.tags));
    m_freem(m);
    g_assert_cmpint(kpi_mbuf_outstanding(), ==, 0);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/compiled_out_macros_evaluate_nothing",
                    test_compiled_out_macros_evaluate_nothing);
    return g_test_run();
}
