/*
 * Every mtrace_*() call produces its record, decoded from the frame the
 * kernel code taps to the mbuf_trace interface and compared field by field.
 */
#include "mt_test.h"

#include <sys/endian.h>

static struct mbuf *
traced(size_t len)
{
    struct mbuf *m;

    mt_reset();
    m = mt_packet(len, NULL, 0);
    mtrace_start(m);
    return m;
}

static void
test_start_alone_emits_an_empty_frame(void)
{
    struct mbuf *m;
    GPtrArray *frames;
    MtFrame *f;
    guint64 started, emitted;

    mt_reset();
    started = mt_stat("started");
    emitted = mt_stat("emitted");
    m = mt_packet(60, NULL, 0);
    mtrace_start(m);
    g_assert_cmpuint(mt_stat("started"), ==, started + 1);
    m_freem(m);
    f = mt_one_frame(&frames);
    /* No record but where the trace ended. */
    g_assert_cmpuint(f->records->len, ==, 0);
    g_assert_true(f->has_free);
    g_assert_cmpuint(mt_stat("emitted"), ==, emitted + 1);
    g_ptr_array_unref(frames);
}

static void
test_data_records_the_packet_bytes(void)
{
    struct mbuf *m = traced(60);
    GPtrArray *frames;
    MtFrame *f;

    mtrace_data(m);
    m_freem(m);
    f = mt_one_frame(&frames);
    g_assert_cmpuint(f->records->len, ==, 1);
    mt_assert_data(f, 0, MTRACE_L2, mt_pattern(60), 60);
    g_ptr_array_unref(frames);
}

static void
test_data_proto_records_the_ethertype_and_bytes(void)
{
    struct mbuf *m = traced(40);
    GPtrArray *frames;
    MtFrame *f;

    mtrace_data_proto(m, 0x86dd);
    m_freem(m);
    f = mt_one_frame(&frames);
    g_assert_cmpuint(f->records->len, ==, 1);
    mt_assert_data(f, 0, 0x86dd, mt_pattern(40), 40);
    g_ptr_array_unref(frames);
}

static void
test_printf_records_a_dynamic_string(void)
{
    struct mbuf *m = traced(60);
    GPtrArray *frames;
    MtFrame *f;

    mtrace_printf(m, "drop: %s len %d", "short", 42);
    m_freem(m);
    f = mt_one_frame(&frames);
    g_assert_cmpuint(f->records->len, ==, 1);
    mt_assert_string(f, 0, MTRACE_REC_STRING_DYNAMIC, "drop: short len 42");
    g_ptr_array_unref(frames);
}

static void
test_static_length_records_that_many_bytes(void)
{
    struct mbuf *m = traced(60);
    GPtrArray *frames;
    MtFrame *f;

    mtrace_static_length(m, "ip_input: bad checksum", 8);
    m_freem(m);
    f = mt_one_frame(&frames);
    g_assert_cmpuint(f->records->len, ==, 1);
    mt_assert_string(f, 0, MTRACE_REC_STRING, "ip_input");
    g_ptr_array_unref(frames);
}

static void
test_static_records_a_static_string(void)
{
    struct mbuf *m = traced(60);
    GPtrArray *frames;
    MtFrame *f;

    mtrace_static(m, "ip_input: bad checksum");
    m_freem(m);
    f = mt_one_frame(&frames);
    g_assert_cmpuint(f->records->len, ==, 1);
    mt_assert_string(f, 0, MTRACE_REC_STRING, "ip_input: bad checksum");
    g_ptr_array_unref(frames);
}

static void
test_mtrace_is_mtrace_static(void)
{
    struct mbuf *m = traced(60);
    GPtrArray *frames;
    MtFrame *f;

    mtrace(m, "tcp_input");
    m_freem(m);
    f = mt_one_frame(&frames);
    g_assert_cmpuint(f->records->len, ==, 1);
    mt_assert_string(f, 0, MTRACE_REC_STRING, "tcp_input");
    g_ptr_array_unref(frames);
}

static void
test_dynamic_length_copies_the_string_at_trace_time(void)
{
    struct mbuf *m = traced(60);
    char buf[] = "rule 17 matched";
    GPtrArray *frames;
    MtFrame *f;

    mtrace_dynamic_length(m, buf, 7);
    memset(buf, 'x', sizeof(buf) - 1);
    m_freem(m);
    f = mt_one_frame(&frames);
    g_assert_cmpuint(f->records->len, ==, 1);
    mt_assert_string(f, 0, MTRACE_REC_STRING_DYNAMIC, "rule 17");
    g_ptr_array_unref(frames);
}

static void
test_dynamic_copies_the_string_at_trace_time(void)
{
    struct mbuf *m = traced(60);
    char buf[] = "rule 17 matched";
    GPtrArray *frames;
    MtFrame *f;

    mtrace_dynamic(m, buf);
    memset(buf, 'x', sizeof(buf) - 1);
    m_freem(m);
    f = mt_one_frame(&frames);
    g_assert_cmpuint(f->records->len, ==, 1);
    mt_assert_string(f, 0, MTRACE_REC_STRING_DYNAMIC, "rule 17 matched");
    g_ptr_array_unref(frames);
}

/* At the end of this file, under #line: __FILE__ as kernel builds spell it. */
static void ip_input(struct mbuf *m);
static void tcp_input(struct mbuf *m);
static void in_a_header(struct mbuf *m);
static void odd_relative(struct mbuf *m);
static void outside_sys(struct mbuf *m);
static void every_location(struct mbuf *m);

static void
test_locations_record_file_line_and_function(void)
{
    struct mbuf *m = traced(60);
    GPtrArray *frames;
    MtFrame *f;

    ip_input(m);
    m_freem(m);
    f = mt_one_frame(&frames);
    g_assert_cmpuint(f->records->len, ==, 4);
    mt_assert_string(f, 0, MTRACE_REC_STRING, "sys/netinet/ip_input.c:515: +ip_input");
    mt_assert_string(f, 1, MTRACE_REC_STRING, "sys/netinet/ip_input.c:516");
    mt_assert_string(f, 2, MTRACE_REC_STRING, "sys/netinet/ip_input.c:517: ip_input");
    mt_assert_string(f, 3, MTRACE_REC_STRING, "sys/netinet/ip_input.c:518: -ip_input");
    g_ptr_array_unref(frames);
}

static void
test_source_paths_read_from_the_top_of_the_tree(void)
{
    struct mbuf *m = traced(60);
    GPtrArray *frames;
    MtFrame *f;

    tcp_input(m);
    in_a_header(m);
    odd_relative(m);
    outside_sys(m);
    m_freem(m);
    f = mt_one_frame(&frames);
    g_assert_cmpuint(f->records->len, ==, 4);
    mt_assert_string(f, 0, MTRACE_REC_STRING, "sys/netinet/tcp_input.c:91: +tcp_input");
    mt_assert_string(f, 1, MTRACE_REC_STRING, "sys/sys/mbuf.h:10");
    /* "./" first: not a sys-relative path; it has no "sys" component. */
    mt_assert_string(f, 2, MTRACE_REC_STRING, "./obj/../../../net/if.c:6");
    mt_assert_string(f, 3, MTRACE_REC_STRING, "/usr/obj/generated/vnode_if.c:4");
    g_ptr_array_unref(frames);
}

static void
test_calls_before_start_are_ignored(void)
{
    struct mbuf *m;
    GPtrArray *frames;
    MtFrame *f;

    mt_reset();
    m = mt_packet(60, NULL, 0);
    mtrace(m, "before");
    mtrace_data(m);
    mtrace_start(m);
    mtrace(m, "after");
    m_freem(m);
    f = mt_one_frame(&frames);
    g_assert_cmpuint(f->records->len, ==, 1);
    mt_assert_string(f, 0, MTRACE_REC_STRING, "after");
    g_ptr_array_unref(frames);
}

static void
test_restarting_a_traced_packet_continues_its_trace(void)
{
    struct mbuf *m = traced(60);
    GPtrArray *frames;
    MtFrame *f;
    guint64 started = mt_stat("started");

    mtrace(m, "driver");
    mtrace_start(m);
    mtrace(m, "ip_input");
    m_freem(m);
    f = mt_one_frame(&frames);
    g_assert_cmpuint(f->records->len, ==, 2);
    mt_assert_string(f, 0, MTRACE_REC_STRING, "driver");
    mt_assert_string(f, 1, MTRACE_REC_STRING, "ip_input");
    g_assert_cmpuint(mt_stat("started"), ==, started);
    g_ptr_array_unref(frames);
}

static void
test_every_call_in_order(void)
{
    struct mbuf *m = traced(20);
    char dyn[] = "dynamic";
    GPtrArray *frames;
    MtFrame *f;

    mtrace_data(m);
    mtrace_data_proto(m, 0x0800);
    mtrace_printf(m, "%d", 1);
    mtrace_static_length(m, "static_length", 6);
    mtrace_static(m, "static");
    mtrace_dynamic_length(m, dyn, 3);
    mtrace_dynamic(m, dyn);
    mtrace(m, "mtrace");
    every_location(m);
    m_freem(m);
    f = mt_one_frame(&frames);
    g_assert_cmpuint(f->records->len, ==, 12);
    mt_assert_data(f, 0, MTRACE_L2, mt_pattern(20), 20);
    mt_assert_data(f, 1, 0x0800, mt_pattern(20), 20);
    mt_assert_string(f, 2, MTRACE_REC_STRING_DYNAMIC, "1");
    mt_assert_string(f, 3, MTRACE_REC_STRING, "static");
    mt_assert_string(f, 4, MTRACE_REC_STRING, "static");
    mt_assert_string(f, 5, MTRACE_REC_STRING_DYNAMIC, "dyn");
    mt_assert_string(f, 6, MTRACE_REC_STRING_DYNAMIC, "dynamic");
    mt_assert_string(f, 7, MTRACE_REC_STRING, "mtrace");
    mt_assert_string(f, 8, MTRACE_REC_STRING, "sys/net/if_ethersubr.c:103");
    mt_assert_string(f, 9, MTRACE_REC_STRING, "sys/net/if_ethersubr.c:104: +every_location");
    mt_assert_string(f, 10, MTRACE_REC_STRING, "sys/net/if_ethersubr.c:105: -every_location");
    mt_assert_string(f, 11, MTRACE_REC_STRING, "sys/net/if_ethersubr.c:106: every_location");
    g_ptr_array_unref(frames);
}

static void
test_timestamps_precede_every_record(void)
{
    struct mbuf *m;
    GPtrArray *frames;
    MtFrame *f;
    guint i;

    mt_reset();
    mt_set("timestamps", 1);
    /* mtrace_start() reads 5000; every later reading is 250 ns on. */
    kpi_clock_set(5000, 250);
    m = mt_packet(60, NULL, 0);
    mtrace_start(m);
    mtrace(m, "a");
    mtrace_data(m);
    mtrace_printf(m, "c");
    m_freem(m);
    f = mt_one_frame(&frames);
    g_assert_cmpuint(f->records->len, ==, 6);
    for (i = 0; i < 3; i++) {
        const MtRecord *t = mt_record(f, 2 * i, MTRACE_REC_TIME);

        g_assert_cmpuint(t->len, ==, 8);
        g_assert_cmpuint(be64dec(t->payload), ==, 250 * (i + 1));
    }
    mt_assert_string(f, 1, MTRACE_REC_STRING, "a");
    mt_assert_data(f, 3, MTRACE_L2, mt_pattern(60), 60);
    mt_assert_string(f, 5, MTRACE_REC_STRING_DYNAMIC, "c");
    g_ptr_array_unref(frames);
}

static void
test_frames_carry_the_bpf_timestamp_of_the_tap(void)
{
    struct mbuf *m;
    GPtrArray *frames;
    MtFrame *f;

    mt_reset();
    kpi_clock_set_boottime(1767225600);
    kpi_clock_set(UINT64_C(3) * 1000000000 + 123456000, 0);
    m = mt_packet(60, NULL, 0);
    mtrace_start(m);
    m_freem(m);
    f = mt_one_frame(&frames);
    g_assert_cmpint(f->ts.tv_sec, ==, 1767225603);
    g_assert_cmpint(f->ts.tv_usec, ==, 123456);
    g_ptr_array_unref(frames);
}

/*
 * A driver frees a sent mbuf when it pleases: virtio and e1000 at a later
 * transmission, so on a real kernel the trace of the last packet sent did
 * not come out during a short capture.  mtrace_end(), where the stack hands
 * the packet to the driver, emits the trace then, not at the free.
 */
static void
test_end_emits_the_trace_before_the_packet_is_freed(void)
{
    struct mbuf *m;
    GPtrArray *frames;
    MtFrame *f;

    mt_reset();
    m = mt_packet(60, NULL, 0);
    mtrace_start(m);
    mtrace(m, "sent");
    mtrace_end(m);
    /* The driver still holds the packet. */
    f = mt_one_frame(&frames);
    g_assert_cmpuint(f->records->len, ==, 1);
    mt_assert_string(f, 0, MTRACE_REC_STRING, "sent");
    g_ptr_array_unref(frames);
    g_assert_true(SLIST_EMPTY(&m->m_pkthdr.tags));

    /* Untraced now: calls record nothing and the free emits nothing. */
    mtrace(m, "after the end");
    mtrace_end(m);
    m_freem(m);
    frames = mt_frames();
    g_assert_cmpuint(frames->len, ==, 0);
    g_ptr_array_unref(frames);
}

/* A packet that comes back to the stack (if_epair) starts a new trace. */
static void
test_start_after_end_begins_a_new_trace(void)
{
    struct mbuf *m;
    GPtrArray *frames;

    mt_reset();
    m = mt_packet(60, NULL, 0);
    mtrace_start(m);
    mtrace(m, "first");
    mtrace_end(m);
    mtrace_start(m);
    mtrace(m, "second");
    m_freem(m);
    frames = mt_frames();
    g_assert_cmpuint(frames->len, ==, 2);
    mt_assert_string(g_ptr_array_index(frames, 0), 0, MTRACE_REC_STRING, "first");
    mt_assert_string(g_ptr_array_index(frames, 1), 0, MTRACE_REC_STRING, "second");
    g_assert_cmpuint(((MtFrame *)g_ptr_array_index(frames, 1))->records->len, ==, 1);
    g_ptr_array_unref(frames);
}

/*
 * mtrace_start() looks the interface up under the network epoch its
 * callers hold; called outside it, it panics (NET_EPOCH_ASSERT()) rather
 * than touch an interface that may be going away.
 */
static void
test_start_outside_the_net_epoch_panics(void)
{
    struct mbuf *m;

    if (g_test_subprocess()) {
        mt_reset();
        m = mt_packet(60, NULL, 0);
        kpi_net_epoch_exit();
        mtrace_start(m);
        return;
    }
    g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_failed();
    g_test_trap_assert_stderr("*panic: Assertion kpi_net_epoch_depth > 0 failed*");
}

int
main(int argc, char **argv)
{
    mt_init(&argc, &argv);
    mt_add("end_emits_the_trace_before_the_packet_is_freed",
           test_end_emits_the_trace_before_the_packet_is_freed);
    mt_add("start_after_end_begins_a_new_trace", test_start_after_end_begins_a_new_trace);
    mt_add("start_alone_emits_an_empty_frame", test_start_alone_emits_an_empty_frame);
    mt_add("data_records_the_packet_bytes", test_data_records_the_packet_bytes);
    mt_add("data_proto_records_the_ethertype_and_bytes",
           test_data_proto_records_the_ethertype_and_bytes);
    mt_add("printf_records_a_dynamic_string", test_printf_records_a_dynamic_string);
    mt_add("static_length_records_that_many_bytes", test_static_length_records_that_many_bytes);
    mt_add("static_records_a_static_string", test_static_records_a_static_string);
    mt_add("mtrace_is_mtrace_static", test_mtrace_is_mtrace_static);
    mt_add("dynamic_length_copies_the_string_at_trace_time",
           test_dynamic_length_copies_the_string_at_trace_time);
    mt_add("dynamic_copies_the_string_at_trace_time", test_dynamic_copies_the_string_at_trace_time);
    mt_add("locations_record_file_line_and_function", test_locations_record_file_line_and_function);
    mt_add("source_paths_read_from_the_top_of_the_tree",
           test_source_paths_read_from_the_top_of_the_tree);
    mt_add("calls_before_start_are_ignored", test_calls_before_start_are_ignored);
    mt_add("restarting_a_traced_packet_continues_its_trace",
           test_restarting_a_traced_packet_continues_its_trace);
    mt_add("every_call_records_in_call_order", test_every_call_in_order);
    mt_add("timestamps_precede_every_record", test_timestamps_precede_every_record);
    mt_add("start_outside_the_net_epoch_panics", test_start_outside_the_net_epoch_panics);
    mt_add("frames_carry_the_bpf_timestamp_of_the_tap",
           test_frames_carry_the_bpf_timestamp_of_the_tap);
    return g_test_run();
}

/*
 * The location macros as a kernel build spells __FILE__: #line sets it.
 * Each function's records are checked by the test that calls it, so the
 * line numbers below are part of the expected results.
 */
#line 512 "/usr/src/sys/netinet/ip_input.c"
static void
ip_input(struct mbuf *m)
{
    mtrace_enter(m);
    mtrace_(m);
    mtrace_func(m);
    mtrace_leave(m);
}
#line 88 "../../../netinet/tcp_input.c"
static void
tcp_input(struct mbuf *m)
{
    mtrace_enter(m);
}
#line 7 "/home/dev/work/sys/sys/mbuf.h"
static void
in_a_header(struct mbuf *m)
{
    mtrace_(m);
}
#line 3 "./obj/../../../net/if.c"
static void
odd_relative(struct mbuf *m)
{
    mtrace_(m);
}
#line 1 "/usr/obj/generated/vnode_if.c"
static void
outside_sys(struct mbuf *m)
{
    mtrace_(m);
}
#line 100 "/usr/src/sys/net/if_ethersubr.c"
static void
every_location(struct mbuf *m)
{
    mtrace_(m);
    mtrace_enter(m);
    mtrace_leave(m);
    mtrace_func(m);
}
