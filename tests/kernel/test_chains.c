/*
 * Snapshots of mbuf chains: one mbuf, many, zero-length ones, external
 * buffers; capped at net.mbuf_trace.snap_max, with a CUT record telling the
 * packet's length, and taken at call time.
 */
#include "mt_test.h"

#include <sys/endian.h>

/* Record i is the CUT record of a snapshot cut from a packet of len. */
static void
assert_cut(const MtFrame *f, guint i, guint32 len)
{
    const MtRecord *r = mt_record(f, i, MTRACE_REC_CUT);

    g_assert_cmpuint(r->len, ==, 4);
    g_assert_cmpuint(be32dec(r->payload), ==, len);
}

static MtFrame *
snapshot(GPtrArray **frames, size_t len, const size_t *seglen, size_t nseg, int ethertype)
{
    struct mbuf *m = mt_packet(len, seglen, nseg);

    mtrace_start(m);
    if (ethertype == MTRACE_L2)
        mtrace_data(m);
    else
        mtrace_data_proto(m, ethertype);
    m_freem(m);
    return mt_one_frame(frames);
}

static void
test_snapshot_of_one_mbuf(void)
{
    GPtrArray *frames;
    MtFrame *f;

    mt_reset();
    f = snapshot(&frames, 100, NULL, 0, MTRACE_L2);
    g_assert_cmpuint(f->records->len, ==, 1);
    mt_assert_data(f, 0, MTRACE_L2, mt_pattern(100), 100);
    g_ptr_array_unref(frames);
}

static void
test_snapshot_of_many_mbufs_is_contiguous(void)
{
    static const size_t seg[] = { 1, 2, 3, 5, 8, 13, 21, 34, 55, 58 };
    GPtrArray *frames;
    MtFrame *f;

    mt_reset();
    f = snapshot(&frames, 200, seg, G_N_ELEMENTS(seg), MTRACE_L2);
    g_assert_cmpuint(f->records->len, ==, 1);
    mt_assert_data(f, 0, MTRACE_L2, mt_pattern(200), 200);
    g_ptr_array_unref(frames);
}

static void
test_zero_length_mbufs_add_nothing(void)
{
    static const size_t seg[] = { 0, 14, 0, 0, 20, 26, 0 };
    GPtrArray *frames;
    MtFrame *f;

    mt_reset();
    f = snapshot(&frames, 60, seg, G_N_ELEMENTS(seg), 0x0800);
    g_assert_cmpuint(f->records->len, ==, 1);
    mt_assert_data(f, 0, 0x0800, mt_pattern(60), 60);
    g_ptr_array_unref(frames);
}

static void
test_snapshot_of_external_buffers(void)
{
    static const size_t seg[] = { 14, 1500, 9000 };
    GPtrArray *frames;
    MtFrame *f;

    mt_reset();
    mt_set("snap_max", 65533);
    mt_set("trace_max", 16384);
    f = snapshot(&frames, 10514, seg, G_N_ELEMENTS(seg), MTRACE_L2);
    g_assert_cmpuint(f->records->len, ==, 1);
    mt_assert_data(f, 0, MTRACE_L2, mt_pattern(10514), 10514);
    g_ptr_array_unref(frames);
}

static void
test_snapshots_are_capped_at_snap_max(void)
{
    static const size_t seg[] = { 10, 10, 80 };
    GPtrArray *frames;
    MtFrame *f;
    guint64 lost;

    mt_reset();
    lost = mt_stat("records_lost");
    mt_set("snap_max", 32);
    f = snapshot(&frames, 100, seg, G_N_ELEMENTS(seg), MTRACE_L2);
    g_assert_cmpuint(f->records->len, ==, 2);
    mt_assert_data(f, 0, MTRACE_L2, mt_pattern(32), 32);
    assert_cut(f, 1, 100);
    g_ptr_array_unref(frames);
    f = snapshot(&frames, 100, seg, G_N_ELEMENTS(seg), 0x86dd);
    g_assert_cmpuint(f->records->len, ==, 2);
    mt_assert_data(f, 0, 0x86dd, mt_pattern(32), 32);
    assert_cut(f, 1, 100);
    g_ptr_array_unref(frames);
    /* Exactly snap_max bytes: nothing was cut. */
    mt_set("snap_max", 100);
    f = snapshot(&frames, 100, seg, G_N_ELEMENTS(seg), MTRACE_L2);
    g_assert_cmpuint(f->records->len, ==, 1);
    g_ptr_array_unref(frames);
    mt_set("snap_max", 0);
    f = snapshot(&frames, 100, seg, G_N_ELEMENTS(seg), MTRACE_L2);
    g_assert_cmpuint(f->records->len, ==, 2);
    mt_assert_data(f, 0, MTRACE_L2, NULL, 0);
    assert_cut(f, 1, 100);
    g_assert_cmpuint(mt_lost(f), ==, 0);
    g_assert_cmpuint(mt_stat("records_lost"), ==, lost);
    g_ptr_array_unref(frames);
}

static void
test_snapshot_is_taken_at_call_time(void)
{
    struct mbuf *m;
    GPtrArray *frames;
    MtFrame *f;
    guint8 changed[20];

    mt_reset();
    m = mt_packet(20, NULL, 0);
    mtrace_start(m);
    mtrace_data(m);
    memset(mtod(m, char *), 0xee, 20);
    mtrace_data(m);
    m_freem(m);
    f = mt_one_frame(&frames);
    memset(changed, 0xee, sizeof(changed));
    mt_assert_data(f, 0, MTRACE_L2, mt_pattern(20), 20);
    mt_assert_data(f, 1, MTRACE_L2, changed, sizeof(changed));
    g_ptr_array_unref(frames);
}

int
main(int argc, char **argv)
{
    mt_init(&argc, &argv);
    mt_add("snapshot_of_one_mbuf", test_snapshot_of_one_mbuf);
    mt_add("snapshot_of_many_mbufs_is_contiguous", test_snapshot_of_many_mbufs_is_contiguous);
    mt_add("zero_length_mbufs_add_nothing", test_zero_length_mbufs_add_nothing);
    mt_add("snapshot_of_external_buffers", test_snapshot_of_external_buffers);
    mt_add("snapshots_are_capped_at_snap_max", test_snapshots_are_capped_at_snap_max);
    mt_add("snapshot_is_taken_at_call_time", test_snapshot_is_taken_at_call_time);
    return g_test_run();
}
