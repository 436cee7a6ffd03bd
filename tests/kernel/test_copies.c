/*
 * Copies of a traced packet.  m_tag_copy() gives a copy the default free
 * routine; the first mtrace_*() call on a copy makes it emit too, so each
 * copy traced after it was made emits its own complete trace.  A copy never
 * traced again emits nothing (documented in mbuf_trace(9)).
 */
#include "mt_test.h"

static struct mbuf *
traced_with_history(void)
{
    struct mbuf *m;

    mt_reset();
    m = mt_packet(60, NULL, 0);
    mtrace_start(m);
    mtrace(m, "ether_input");
    mtrace_data(m);
    return m;
}

static void
assert_history(const MtFrame *f, const char *last)
{
    g_assert_cmpuint(f->records->len, ==, 3);
    mt_assert_string(f, 0, MTRACE_REC_STRING, "ether_input");
    mt_assert_data(f, 1, MTRACE_L2, mt_pattern(60), 60);
    mt_assert_string(f, 2, MTRACE_REC_STRING, last);
}

static void
assert_copy_emits_its_own_trace(struct mbuf *(*copy)(struct mbuf *))
{
    struct mbuf *m = traced_with_history(), *n;
    guint64 copies = mt_stat("copies");
    GPtrArray *frames;

    n = copy(m);
    g_assert_nonnull(n);
    mtrace(n, "copy");
    mtrace(m, "original");
    g_assert_cmpuint(mt_stat("copies"), ==, copies + 1);
    m_freem(n);
    m_freem(m);
    frames = mt_frames();
    g_assert_cmpuint(frames->len, ==, 2);
    assert_history(g_ptr_array_index(frames, 0), "copy");
    assert_history(g_ptr_array_index(frames, 1), "original");
    g_ptr_array_unref(frames);
}

static struct mbuf *
dup(struct mbuf *m)
{
    return m_dup(m, M_NOWAIT);
}

static struct mbuf *
copypacket(struct mbuf *m)
{
    return m_copypacket(m, M_NOWAIT);
}

static void
test_m_dup_copy_emits_its_own_complete_trace(void)
{
    assert_copy_emits_its_own_trace(dup);
}

static void
test_m_copypacket_copy_emits_its_own_complete_trace(void)
{
    assert_copy_emits_its_own_trace(copypacket);
}

static void
test_restarted_copy_emits_its_own_trace(void)
{
    struct mbuf *m = traced_with_history(), *n = m_dup(m, M_NOWAIT);
    GPtrArray *frames;

    mtrace_start(n);
    m_freem(n);
    mtrace(m, "original");
    m_freem(m);
    frames = mt_frames();
    g_assert_cmpuint(frames->len, ==, 2);
    g_assert_cmpuint(((MtFrame *)g_ptr_array_index(frames, 0))->records->len, ==, 2);
    assert_history(g_ptr_array_index(frames, 1), "original");
    g_ptr_array_unref(frames);
}

static void
test_copy_not_traced_again_emits_nothing(void)
{
    struct mbuf *m = traced_with_history(), *n = m_copypacket(m, M_NOWAIT);
    GPtrArray *frames;

    m_freem(n);
    mtrace(m, "original");
    m_freem(m);
    frames = mt_frames();
    g_assert_cmpuint(frames->len, ==, 1);
    assert_history(g_ptr_array_index(frames, 0), "original");
    g_ptr_array_unref(frames);
    g_assert_cmpint(kpi_malloc_inuse(M_PACKET_TAGS), ==, 0);
}

static void
test_trace_survives_nonpersistent_tag_deletion(void)
{
    struct mbuf *m = traced_with_history();
    struct m_tag *other = m_tag_alloc(42, 1, 8, M_WAITOK);
    GPtrArray *frames;
    MtFrame *f;

    m_tag_prepend(m, other);
    /* What if_loop, if_epair and icmp_reflect() do to a packet. */
    m_tag_delete_nonpersistent(m);
    g_assert_null(m_tag_locate(m, 42, 1, NULL));
    g_assert_nonnull(m_tag_first(m));
    mtrace(m, "looped");
    m_freem(m);
    f = mt_one_frame(&frames);
    assert_history(f, "looped");
    g_ptr_array_unref(frames);
}

/* The trace is looked for at the head of the tag list first: a tag that
 * another subsystem prepends later must not hide it. */
static void
test_trace_behind_another_tag_is_found(void)
{
    struct mbuf *m = traced_with_history();
    GPtrArray *frames;
    MtFrame *f;

    m_tag_prepend(m, m_tag_alloc(42, 1, 8, M_WAITOK));
    mtrace(m, "behind");
    m_freem(m);
    f = mt_one_frame(&frames);
    assert_history(f, "behind");
    g_ptr_array_unref(frames);
}

int
main(int argc, char **argv)
{
    mt_init(&argc, &argv);
    mt_add("m_dup_copy_emits_its_own_complete_trace", test_m_dup_copy_emits_its_own_complete_trace);
    mt_add("m_copypacket_copy_emits_its_own_complete_trace",
           test_m_copypacket_copy_emits_its_own_complete_trace);
    mt_add("restarted_copy_emits_its_own_trace", test_restarted_copy_emits_its_own_trace);
    mt_add("copy_not_traced_again_emits_nothing", test_copy_not_traced_again_emits_nothing);
    mt_add("trace_behind_another_tag_is_found", test_trace_behind_another_tag_is_found);
    mt_add("trace_survives_nonpersistent_tag_deletion",
           test_trace_survives_nonpersistent_tag_deletion);
    return g_test_run();
}
