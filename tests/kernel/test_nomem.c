/*
 * Allocation failure at every M_NOWAIT allocation of a traced packet's
 * life, in turn: starting the trace, growing it, and the tag copies of
 * m_dup() and m_copypacket().  Each failure must be counted exactly, lose
 * nothing else, leak nothing and leave the packet itself as it was.
 */
#include "mt_test.h"

enum site { NONE, START, GROW, DUP, COPYPACKET, NSITES };

static const char *const site_name[] = { "none", "start", "grow", "m_dup", "m_copypacket" };

/* The life of one traced packet, with a copy of each kind. */
static GPtrArray *
scenario(bool *dup_ok, bool *copy_ok)
{
    struct mbuf *m, *n, *c;
    char long_text[201];
    guint8 bytes[100];

    memset(long_text, 'z', sizeof(long_text) - 1);
    long_text[sizeof(long_text) - 1] = '\0';
    m = mt_packet(100, NULL, 0);
    mtrace_start(m);                   /* allocates a 256-byte trace */
    mtrace_data(m);                    /* 112 bytes */
    mtrace_printf(m, "%s", long_text); /* 208 more: the trace grows */
    n = m_dup(m, M_NOWAIT);            /* copies the tag */
    c = m_copypacket(m, M_NOWAIT);     /* copies the tag */
    mtrace(n, "dup");
    mtrace(c, "copy");
    mtrace(m, "orig");
    /* The packet is unharmed whatever failed. */
    g_assert_cmpuint(m_length(m, NULL), ==, 100);
    g_assert_cmpint(m->m_pkthdr.len, ==, 100);
    m_copydata(m, 0, 100, (char *)bytes);
    g_assert_cmpmem(bytes, 100, mt_pattern(100), 100);
    *dup_ok = n != NULL;
    *copy_ok = c != NULL;
    m_freem(n);
    m_freem(c);
    m_freem(m);
    return mt_frames();
}

/* Frame f holds the data, the printf (unless it was lost), then last. */
static void
assert_trace(const MtFrame *f, bool grown, const char *last)
{
    guint i = 0;

    mt_assert_data(f, i++, MTRACE_L2, mt_pattern(100), 100);
    if (grown)
        g_assert_cmpuint(mt_record(f, i++, MTRACE_REC_STRING_DYNAMIC)->len, ==, 200);
    mt_assert_string(f, i++, MTRACE_REC_STRING, last);
    g_assert_cmpuint(mt_lost(f), ==, grown ? 0 : 1);
    g_assert_cmpuint(f->records->len, ==, i + (grown ? 0 : 1));
}

static void
test_allocation_failure_at_every_site(void)
{
    static const char *const stats[] = { "started", "emitted", "dropped.nomem", "grow_failed",
                                         "records_lost" };
    unsigned long calls;
    bool dup_ok, copy_ok;
    GPtrArray *frames;
    int site;
    gsize k;

    mt_reset();
    calls = kpi_malloc_nowait_calls();
    g_ptr_array_unref(scenario(&dup_ok, &copy_ok));
    g_assert_cmpuint(kpi_malloc_nowait_calls() - calls, ==, NSITES - 1);

    for (site = NONE; site < NSITES; site++) {
        guint64 before[G_N_ELEMENTS(stats)], delta[G_N_ELEMENTS(stats)];
        /* Expected changes of the statistics above, in order. */
        guint64 want[NSITES][G_N_ELEMENTS(stats)] = {
            [NONE] = { 1, 3, 0, 0, 0 },       [START] = { 0, 0, 1, 0, 0 },
            [GROW] = { 1, 3, 0, 1, 1 },       [DUP] = { 1, 2, 0, 0, 0 },
            [COPYPACKET] = { 1, 2, 0, 0, 0 },
        };

        g_test_message("failing allocation: %s", site_name[site]);
        for (k = 0; k < G_N_ELEMENTS(stats); k++)
            before[k] = mt_stat(stats[k]);
        kpi_malloc_fail_nth(site == NONE ? 0 : (unsigned long)site);
        frames = scenario(&dup_ok, &copy_ok);
        kpi_malloc_fail_nth(0);
        for (k = 0; k < G_N_ELEMENTS(stats); k++) {
            delta[k] = mt_stat(stats[k]) - before[k];
            g_assert_cmpuint(delta[k], ==, want[site][k]);
        }
        g_assert_true(dup_ok == (site != DUP));
        g_assert_true(copy_ok == (site != COPYPACKET));
        g_assert_cmpuint(frames->len, ==, want[site][1]);
        /* Frames come in the order the packets were freed: n, c, m. */
        if (site == NONE || site == GROW) {
            assert_trace(g_ptr_array_index(frames, 0), site != GROW, "dup");
            assert_trace(g_ptr_array_index(frames, 1), site != GROW, "copy");
            assert_trace(g_ptr_array_index(frames, 2), site != GROW, "orig");
        } else if (site == DUP || site == COPYPACKET) {
            assert_trace(g_ptr_array_index(frames, 0), true, site == DUP ? "copy" : "dup");
            assert_trace(g_ptr_array_index(frames, 1), true, "orig");
        }
        g_ptr_array_unref(frames);
        g_assert_cmpint(kpi_malloc_inuse(M_PACKET_TAGS), ==, 0);
        g_assert_cmpint(kpi_mbuf_outstanding(), ==, 0);
    }
}

int
main(int argc, char **argv)
{
    mt_init(&argc, &argv);
    mt_add("allocation_failure_at_every_site_is_counted_and_contained",
           test_allocation_failure_at_every_site);
    return g_test_run();
}
