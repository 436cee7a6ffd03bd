/*
 * Cheap when idle: with nobody listening on mbuf_trace, or with
 * net.mbuf_trace.enable at 0, mtrace_start() starts nothing and every
 * other call is a lookup that finds no trace.
 */
#include "mt_test.h"

/* Every call on m; then m must carry no tag and nothing was allocated. */
static void
assert_nothing_started(void)
{
    struct mbuf *m = mt_packet(60, NULL, 0);
    unsigned long mallocs = kpi_malloc_nowait_calls();
    guint64 started = mt_stat("started");

    mtrace_start(m);
    mtrace_data(m);
    mtrace_data_proto(m, 0x0800);
    mtrace_printf(m, "%d", 1);
    mtrace(m, "x");
    mtrace_dynamic(m, "y");
    mtrace_enter(m);
    g_assert_true(SLIST_EMPTY(&m->m_pkthdr.tags));
    g_assert_cmpuint(kpi_malloc_nowait_calls(), ==, mallocs);
    g_assert_cmpuint(mt_stat("started"), ==, started);
    m_freem(m);
}

static void
test_no_listener_starts_nothing(void)
{
    GPtrArray *frames;

    mt_reset();
    mt_listen(false);
    assert_nothing_started();
    mt_listen(true);
    frames = mt_frames();
    g_assert_cmpuint(frames->len, ==, 0);
    g_ptr_array_unref(frames);
}

static void
test_disabled_starts_nothing(void)
{
    GPtrArray *frames;

    mt_reset();
    mt_set("enable", 0);
    assert_nothing_started();
    frames = mt_frames();
    g_assert_cmpuint(frames->len, ==, 0);
    g_ptr_array_unref(frames);
}

static void
test_trace_whose_listener_left_is_dropped(void)
{
    struct mbuf *m;
    guint64 dropped;
    GPtrArray *frames;

    mt_reset();
    dropped = mt_stat("dropped.no_listener");
    m = mt_packet(60, NULL, 0);
    mtrace_start(m);
    mtrace(m, "x");
    mt_listen(false);
    m_freem(m);
    kpi_taskqueue_drain_all();
    g_assert_cmpuint(mt_stat("dropped.no_listener"), ==, dropped + 1);
    g_assert_cmpint(kpi_malloc_inuse(M_PACKET_TAGS), ==, 0);
    mt_listen(true);
    frames = mt_frames();
    g_assert_cmpuint(frames->len, ==, 0);
    g_ptr_array_unref(frames);
}

int
main(int argc, char **argv)
{
    mt_init(&argc, &argv);
    mt_add("no_listener_starts_nothing", test_no_listener_starts_nothing);
    mt_add("disabled_starts_nothing", test_disabled_starts_nothing);
    mt_add("trace_whose_listener_left_is_dropped", test_trace_whose_listener_left_is_dropped);
    return g_test_run();
}
