/*
 * Bounded by sysctls, never silent: a record that cannot be stored is
 * counted, exactly once, in the frame's LOST record and in
 * net.mbuf_trace.stats.records_lost; a frame too long for the wire is cut at
 * a record boundary; a full emit queue drops traces and counts them.
 */
#include "mt_test.h"

#include <errno.h>
#include <limits.h>

/* A static string record is stored in 16 bytes: an 8-byte head and the pointer. */
#define STATIC_RECORD 16

static void
test_trace_full_counts_exact_lost_records(void)
{
    struct mbuf *m;
    GPtrArray *frames;
    MtFrame *f;
    guint64 lost;
    int i;

    mt_reset();
    mt_set("trace_max", 4 * STATIC_RECORD);
    lost = mt_stat("records_lost");
    m = mt_packet(60, NULL, 0);
    mtrace_start(m);
    for (i = 0; i < 10; i++)
        mtrace(m, "r");
    m_freem(m);
    f = mt_one_frame(&frames);
    g_assert_cmpuint(f->records->len, ==, 4 + 1);
    for (i = 0; i < 4; i++)
        mt_assert_string(f, i, MTRACE_REC_STRING, "r");
    g_assert_cmpuint(mt_lost(f), ==, 6);
    g_assert_cmpuint(mt_stat("records_lost"), ==, lost + 6);
    g_ptr_array_unref(frames);
}

static void
test_trace_grows_up_to_trace_max(void)
{
    struct mbuf *m;
    GPtrArray *frames;
    MtFrame *f;
    guint64 emitted;
    int i;

    mt_reset();
    mt_set("trace_max", 64 * STATIC_RECORD);
    emitted = mt_stat("emitted");
    m = mt_packet(60, NULL, 0);
    mtrace_start(m);
    for (i = 0; i < 100; i++)
        mtrace(m, "r");
    g_assert_cmpint(kpi_malloc_inuse(M_PACKET_TAGS), ==, 1);
    m_freem(m);
    /* Growing replaced the tag three times without emitting the old ones. */
    f = mt_one_frame(&frames);
    g_assert_cmpuint(mt_stat("emitted"), ==, emitted + 1);
    g_assert_cmpuint(f->records->len, ==, 64 + 1);
    g_assert_cmpuint(mt_lost(f), ==, 36);
    g_assert_cmpint(kpi_malloc_inuse(M_PACKET_TAGS), ==, 0);
    g_ptr_array_unref(frames);
}

/* The largest trace still fits the 16-bit length of its tag. */
static void
test_trace_grows_to_the_largest_trace_max(void)
{
    struct mbuf *m;
    GPtrArray *frames;
    MtFrame *f;
    int i;

    mt_reset();
    mt_set("trace_max", 65344);
    m = mt_packet(60, NULL, 0);
    mtrace_start(m);
    for (i = 0; i < 5000; i++)
        mtrace(m, "r");
    m_freem(m);
    f = mt_one_frame(&frames);
    g_assert_cmpuint(f->records->len, ==, 65344 / STATIC_RECORD + 1);
    mt_assert_string(f, 65344 / STATIC_RECORD - 1, MTRACE_REC_STRING, "r");
    g_assert_cmpuint(mt_lost(f), ==, 5000 - 65344 / STATIC_RECORD);
    g_ptr_array_unref(frames);
}

static void
test_lost_record_does_not_stop_smaller_ones(void)
{
    struct mbuf *m;
    GPtrArray *frames;
    MtFrame *f;

    mt_reset();
    mt_set("trace_max", 64);
    m = mt_packet(60, NULL, 0);
    mtrace_start(m);
    mtrace_data(m); /* 8 + 64 bytes: more than the trace may hold */
    mtrace(m, "after");
    m_freem(m);
    f = mt_one_frame(&frames);
    g_assert_cmpuint(f->records->len, ==, 2);
    mt_assert_string(f, 0, MTRACE_REC_STRING, "after");
    g_assert_cmpuint(mt_lost(f), ==, 1);
    g_ptr_array_unref(frames);
}

static void
test_strings_too_long_are_lost(void)
{
    static char big[70000];
    struct mbuf *m;
    GPtrArray *frames;
    MtFrame *f;

    mt_reset();
    mt_set("trace_max", 64);
    memset(big, 'a', sizeof(big) - 1);
    m = mt_packet(60, NULL, 0);
    mtrace_start(m);
    mtrace_static(m, big); /* beyond the 16-bit record length */
    mtrace_dynamic(m, big + 69900);
    mtrace_printf(m, "%s", big + 69900);
    mtrace_static_length(m, big, 65000); /* kept by address: fits */
    m_freem(m);
    f = mt_one_frame(&frames);
    g_assert_cmpuint(f->records->len, ==, 2);
    g_assert_cmpuint(mt_record(f, 0, MTRACE_REC_STRING)->len, ==, 65000);
    g_assert_cmpuint(mt_lost(f), ==, 3);
    g_ptr_array_unref(frames);
}

/*
 * mtrace_printf() formats into the free end of the trace.  A text exactly
 * one byte too long for it (its NUL does not fit) must grow the trace and
 * come out whole, a short one then fits in the grown trace, with and
 * without the TIME records that come before each record.
 */
static void
test_printf_fills_the_trace_then_grows_it(void)
{
    int stamp;

    for (stamp = 0; stamp <= 1; stamp++) {
        size_t time = stamp ? 16 : 0, used, room;
        struct mbuf *m;
        GPtrArray *frames;
        MtFrame *f;
        char *text;
        guint i = 0;

        mt_reset();
        mt_set("timestamps", stamp);
        m = mt_packet(100, NULL, 0);
        mtrace_start(m); /* a 256-byte trace */
        mtrace_data(m);  /* 8 + 104 bytes, after its TIME record */
        used = time + 8 + 104;
        room = 256 - used - (time + 8); /* the text and its NUL */
        text = g_strnfill(room, 'p');
        mtrace_printf(m, "%s", text);
        mtrace_printf(m, "%d", 42);
        m_freem(m);
        f = mt_one_frame(&frames);
        g_assert_cmpuint(f->records->len, ==, 3 * (1 + stamp));
        if (stamp)
            mt_record(f, i++, MTRACE_REC_TIME);
        mt_assert_data(f, i++, MTRACE_L2, mt_pattern(100), 100);
        if (stamp)
            mt_record(f, i++, MTRACE_REC_TIME);
        mt_assert_string(f, i++, MTRACE_REC_STRING_DYNAMIC, text);
        if (stamp)
            mt_record(f, i++, MTRACE_REC_TIME);
        mt_assert_string(f, i++, MTRACE_REC_STRING_DYNAMIC, "42");
        g_assert_cmpuint(mt_lost(f), ==, 0);
        g_ptr_array_unref(frames);
        g_free(text);
    }
}

/* Defined at the end of this file, under a long #line file name. */
static void long_location(struct mbuf *m);

static void
test_frame_too_long_is_cut_at_a_record_boundary(void)
{
    struct mbuf *m;
    GPtrArray *frames;
    MtFrame *f;
    guint64 lost, truncated;
    size_t wire, fit;
    guint i;
    char *dir = g_strnfill(100, 'x');
    char *text = g_strdup_printf("sys/dev/%s/long_driver_file.c:1003: long_location", dir);

    mt_reset();
    /* The frame's room for records alone (test_free_site_has_room_...). */
    mt_set("free_site", 0);
    /* 2000 location records of 24 bytes: the trace holds them all. */
    mt_set("trace_max", 2000 * 24);
    lost = mt_stat("records_lost");
    truncated = mt_stat("truncated");
    m = mt_packet(60, NULL, 0);
    mtrace_start(m);
    for (i = 0; i < 2000; i++)
        long_location(m);
    m_freem(m);
    f = mt_one_frame(&frames);
    /* Serialised, they need more than a frame: what fits, then LOST. */
    wire = MTRACE_RECORD_HDRLEN + strlen(text);
    fit = (MTRACE_FRAME_MAX - MTRACE_FRAME_HDRLEN - (MTRACE_RECORD_HDRLEN + 4)) / wire;
    g_assert_cmpuint(fit, <, 2000);
    g_assert_cmpuint(f->records->len, ==, fit + 1);
    for (i = 0; i < fit; i++)
        mt_assert_string(f, i, MTRACE_REC_STRING, text);
    g_assert_cmpuint(mt_lost(f), ==, 2000 - fit);
    g_assert_cmpuint(g_bytes_get_size(f->bytes), ==,
                     MTRACE_FRAME_HDRLEN + fit * wire + MTRACE_RECORD_HDRLEN + 4);
    g_assert_cmpuint(mt_stat("records_lost"), ==, lost + 2000 - fit);
    g_assert_cmpuint(mt_stat("truncated"), ==, truncated + 1);
    g_ptr_array_unref(frames);
    g_free(text);
    g_free(dir);
}

/*
 * The same with timestamps on: a TIME record goes with the record it
 * stamps.  Where the frame has room for the next TIME record but not for
 * its string, both are left out and counted as one lost record: no TIME
 * record is left dangling before LOST.
 */
static void
test_frame_too_long_loses_a_record_with_its_time(void)
{
    struct mbuf *m;
    GPtrArray *frames;
    MtFrame *f;
    size_t unit, room, fit;
    guint i;
    char *dir = g_strnfill(100, 'x');
    char *text = g_strdup_printf("sys/dev/%s/long_driver_file.c:1003: long_location", dir);

    mt_reset();
    mt_set("free_site", 0);
    mt_set("timestamps", 1);
    /* 500 locations of 24 bytes, each after a TIME record of 16. */
    mt_set("trace_max", 500 * 40);
    m = mt_packet(60, NULL, 0);
    mtrace_start(m);
    for (i = 0; i < 500; i++)
        long_location(m);
    m_freem(m);
    f = mt_one_frame(&frames);
    unit = MTRACE_RECORD_HDRLEN + 8 + MTRACE_RECORD_HDRLEN + strlen(text);
    room = MTRACE_FRAME_MAX - MTRACE_FRAME_HDRLEN - (MTRACE_RECORD_HDRLEN + 4);
    fit = room / unit;
    g_assert_cmpuint(fit, <, 500);
    /* What is left holds the next TIME record, not the string after it. */
    g_assert_cmpuint(room - fit * unit, >=, MTRACE_RECORD_HDRLEN + 8);
    g_assert_cmpuint(f->records->len, ==, 2 * fit + 1);
    for (i = 0; i < fit; i++) {
        mt_record(f, 2 * i, MTRACE_REC_TIME);
        mt_assert_string(f, 2 * i + 1, MTRACE_REC_STRING, text);
    }
    g_assert_cmpuint(mt_lost(f), ==, 500 - fit);
    g_assert_cmpuint(g_bytes_get_size(f->bytes), ==,
                     MTRACE_FRAME_HDRLEN + fit * unit + MTRACE_RECORD_HDRLEN + 4);
    g_ptr_array_unref(frames);
    g_free(text);
    g_free(dir);
}

static void
test_full_queue_drops_and_counts_traces(void)
{
    struct mbuf *m;
    GPtrArray *frames;
    guint64 dropped;
    int i;

    mt_reset();
    mt_set("queue_max", 3);
    dropped = mt_stat("dropped.queue_full");
    kpi_taskqueue_hold(true);
    for (i = 0; i < 5; i++) {
        m = mt_packet(60, NULL, 0);
        mtrace_start(m);
        m_freem(m);
    }
    g_assert_cmpuint(mt_stat("dropped.queue_full"), ==, dropped + 2);
    g_assert_cmpint(kpi_malloc_inuse(M_PACKET_TAGS), ==, 3);
    kpi_taskqueue_hold(false);
    frames = mt_frames();
    g_assert_cmpuint(frames->len, ==, 3);
    g_assert_cmpint(kpi_malloc_inuse(M_PACKET_TAGS), ==, 0);
    g_ptr_array_unref(frames);
}

static void
test_limits_reject_values_out_of_range(void)
{
    /* The ranges of mbuf_trace(4); 65344 is for 64-bit platforms. */
    static const struct {
        const char *name;
        unsigned int min, max;
    } limits[] = {
        { "net.mbuf_trace.trace_max", 64, 65344 },
        { "net.mbuf_trace.snap_max", 0, 65533 },
        { "net.mbuf_trace.queue_max", 1, 65536 },
    };
    gsize i;

    mt_reset();
    for (i = 0; i < G_N_ELEMENTS(limits); i++) {
        const char *name = limits[i].name;
        unsigned int before = kpi_sysctl_uint(name);

        if (limits[i].min > 0)
            g_assert_cmpint(kpi_sysctl_set_uint(name, limits[i].min - 1), ==, EINVAL);
        g_assert_cmpint(kpi_sysctl_set_uint(name, limits[i].max + 1), ==, EINVAL);
        g_assert_cmpint(kpi_sysctl_set_uint(name, UINT_MAX), ==, EINVAL);
        g_assert_cmpuint(kpi_sysctl_uint(name), ==, before);
        g_assert_cmpint(kpi_sysctl_set_uint(name, limits[i].min), ==, 0);
        g_assert_cmpuint(kpi_sysctl_uint(name), ==, limits[i].min);
        g_assert_cmpint(kpi_sysctl_set_uint(name, limits[i].max), ==, 0);
        g_assert_cmpuint(kpi_sysctl_uint(name), ==, limits[i].max);
    }
    mt_reset();
}

int
main(int argc, char **argv)
{
    mt_init(&argc, &argv);
    mt_add("trace_full_counts_exact_lost_records", test_trace_full_counts_exact_lost_records);
    mt_add("trace_grows_up_to_trace_max", test_trace_grows_up_to_trace_max);
    mt_add("trace_grows_to_the_largest_trace_max", test_trace_grows_to_the_largest_trace_max);
    mt_add("lost_record_does_not_stop_smaller_ones", test_lost_record_does_not_stop_smaller_ones);
    mt_add("strings_too_long_are_lost", test_strings_too_long_are_lost);
    mt_add("printf_fills_the_trace_then_grows_it", test_printf_fills_the_trace_then_grows_it);
    mt_add("frame_too_long_is_cut_at_a_record_boundary",
           test_frame_too_long_is_cut_at_a_record_boundary);
    mt_add("frame_too_long_loses_a_record_with_its_time",
           test_frame_too_long_loses_a_record_with_its_time);
    mt_add("full_queue_drops_and_counts_traces", test_full_queue_drops_and_counts_traces);
    mt_add("limits_reject_values_out_of_range", test_limits_reject_values_out_of_range);
    return g_test_run();
}

/* A path of 136 characters, so that each record is about 160 bytes on the wire. */
#line 1000 "/usr/src/sys/dev/xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/long_driver_file.c"
static void
long_location(struct mbuf *m)
{
    mtrace_func(m);
}
