/*
 * Without options MBUF_TRACE every mtrace_*() macro is a statement that
 * evaluates nothing.  This file is built without MBUF_TRACE and is not
 * linked with the facility: a call left behind would not link, arguments
 * that are not even valid C would not compile, and arguments with side
 * effects would change "evaluated".
 */
#include <glib.h>

#include <sys/param.h>
#include <sys/mbuf.h>
#include <sys/mbuf_trace.h>

#include "kpi.h"

#ifdef MBUF_TRACE
#error "test_compiled_out.c must be built without MBUF_TRACE"
#endif

static void
test_compiled_out_macros_evaluate_nothing(void)
{
    static const guint8 bytes[60];
    struct mbuf *m = kpi_mbuf_chain(bytes, sizeof(bytes), NULL, 0);
    int evaluated = 0;

    /* Valid as the only statement of a branch. */
    if (m != NULL)
        mtrace_start(m);
    else
        mtrace_start(no_such_mbuf);
    mtrace_data(no_such_mbuf);
    mtrace_data_proto(m, no_such_ethertype);
    mtrace_printf(m, "%d %s", no_such_int, evaluated++);
    mtrace_static_length(m, no_such_string, evaluated++);
    mtrace_static(m, 42 +);
    mtrace_dynamic_length(m, "x", evaluated++);
    mtrace_dynamic(m, (evaluated++, "x"));
    mtrace(m, struct not_a_type);
    mtrace_(evaluated++);
    mtrace_enter(no_such_mbuf->m_next);
    mtrace_leave(evaluated++);
    mtrace_func(m = NULL);
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
