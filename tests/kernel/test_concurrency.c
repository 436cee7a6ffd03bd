/*
 * Several threads trace, copy and free packets while the emit task drains
 * the queue.  Every trace started is accounted for exactly once (emitted or
 * dropped), every frame decodes, and each one is the whole trace of one
 * packet or copy, in call order.  Built and run under ThreadSanitizer too.
 */
#include "mt_test.h"

#include <pthread.h>
#include <stdio.h>

#define THREADS    4
#define PACKETS    1500
#define COPY_EVERY 5

static void *
tracer(void *arg)
{
    int t = GPOINTER_TO_INT(arg), i;
    guint8 bytes[60];
    struct mbuf *m, *n;

    kpi_net_epoch_enter();
    for (i = 0; i < PACKETS; i++) {
        memset(bytes, t * 16 + i % 16, sizeof(bytes));
        m = kpi_mbuf_chain(bytes, sizeof(bytes), NULL, 0);
        mtrace_start(m);
        mtrace_enter(m);
        mtrace_data(m);
        mtrace_printf(m, "thread %d packet %d", t, i);
        if (i % COPY_EVERY == 0) {
            n = m_dup(m, M_NOWAIT);
            mtrace_static(n, "copy");
            m_freem(n);
        }
        mtrace_leave(m);
        m_freem(m);
    }
    kpi_net_epoch_exit();
    return NULL;
}

static void
test_concurrent_tracing_accounts_for_every_trace(void)
{
    pthread_t threads[THREADS];
    guint64 started, copies, emitted, dropped;
    GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    GPtrArray *frames;
    guint i, originals = 0, dups = 0;

    mt_reset();
    /* A queue short enough that some traces may be dropped while others wait. */
    mt_set("queue_max", 1024);
    started = mt_stat("started");
    copies = mt_stat("copies");
    emitted = mt_stat("emitted");
    dropped = mt_stat("dropped.queue_full");
    for (i = 0; i < THREADS; i++)
        g_assert_cmpint(pthread_create(&threads[i], NULL, tracer, GINT_TO_POINTER(i)), ==, 0);
    for (i = 0; i < THREADS; i++)
        pthread_join(threads[i], NULL);
    frames = mt_frames();

    g_assert_cmpuint(mt_stat("started") - started, ==, THREADS * PACKETS);
    g_assert_cmpuint(mt_stat("copies") - copies, ==, THREADS * PACKETS / COPY_EVERY);
    g_assert_cmpuint(mt_stat("emitted") - emitted + mt_stat("dropped.queue_full") - dropped, ==,
                     THREADS * PACKETS + THREADS * PACKETS / COPY_EVERY);
    g_assert_cmpuint(frames->len, ==, mt_stat("emitted") - emitted);
    g_test_message("%u frames, %" G_GUINT64_FORMAT " dropped", frames->len,
                   mt_stat("dropped.queue_full") - dropped);

    for (i = 0; i < frames->len; i++) {
        MtFrame *f = g_ptr_array_index(frames, i);
        const MtRecord *text = mt_record(f, 2, MTRACE_REC_STRING_DYNAMIC);
        const MtRecord *last = mt_record(f, 3, MTRACE_REC_STRING);
        char *key = g_strdup_printf("%.*s%s", (int)text->len, (const char *)text->payload,
                                    last->len == 4 ? " copy" : "");
        int t, p;

        g_assert_cmpuint(f->records->len, ==, 4);
        g_assert_cmpuint(mt_record(f, 0, MTRACE_REC_STRING)->len, >, 0);
        g_assert_cmpint(sscanf(key, "thread %d packet %d", &t, &p), ==, 2);
        g_assert_cmpuint(mt_record(f, 1, MTRACE_REC_DATA)->payload[0], ==, t * 16 + p % 16);
        if (last->len == 4) {
            g_assert_cmpmem(last->payload, 4, "copy", 4);
            dups++;
        } else {
            originals++;
        }
        /* No trace is emitted twice. */
        g_assert_true(g_hash_table_add(seen, key));
    }
    g_test_message("%u originals, %u copies", originals, dups);
    g_assert_cmpint(kpi_malloc_inuse(M_PACKET_TAGS), ==, 0);
    g_assert_cmpint(kpi_mbuf_outstanding(), ==, 0);
    g_hash_table_unref(seen);
    g_ptr_array_unref(frames);
}

/*
 * Selection switched while packets are started: the filter and the pf tag
 * are replaced (and the old ones freed after the epoch) under threads that
 * read them at every start point.  Each start either starts a trace or is
 * counted filtered, every trace comes out, nothing is freed early (ASan,
 * TSan) and nothing leaks.
 */
#define SEL_PACKETS 3000

static int sel_done, sel_switches;

/* A struct mtrace_filter of a 1-instruction program for each layer. */
static void
sel_set_filter(unsigned int ret)
{
    size_t len = sizeof(struct mtrace_filter) + 2 * sizeof(struct bpf_insn);
    struct mtrace_filter *f = g_malloc0(len);

    g_snprintf(f->mf_text, sizeof(f->mf_text), "ret %u", ret);
    f->mf_ether_len = 1;
    f->mf_ip_len = 1;
    f->mf_insns[0] = (struct bpf_insn)BPF_STMT(BPF_RET | BPF_K, ret);
    f->mf_insns[1] = (struct bpf_insn)BPF_STMT(BPF_RET | BPF_K, ret);
    g_assert_cmpint(kpi_sysctl_set("net.mbuf_trace.filter", f, len), ==, 0);
    g_free(f);
}

static void *
sel_switcher(void *arg)
{
    int i = 0;

    (void)arg;
    while (!__atomic_load_n(&sel_done, __ATOMIC_ACQUIRE)) {
        switch (i++ % 4) {
            case 0:
                sel_set_filter(0);
                break;
            case 1:
                sel_set_filter(65535);
                g_assert_cmpint(kpi_sysctl_set("net.mbuf_trace.pf_tag", "mtrace", 6), ==, 0);
                break;
            case 2:
                g_assert_cmpint(kpi_sysctl_set("net.mbuf_trace.filter", "", 0), ==, 0);
                break;
            default:
                g_assert_cmpint(kpi_sysctl_set("net.mbuf_trace.pf_tag", "other", 5), ==, 0);
                break;
        }
        __atomic_add_fetch(&sel_switches, 1, __ATOMIC_RELEASE);
    }
    return NULL;
}

static void *
sel_tracer(void *arg)
{
    int t = GPOINTER_TO_INT(arg), i;
    guint8 bytes[60];
    struct mbuf *m;
    int seen = 0;

    for (i = 0; i < SEL_PACKETS; i++) {
        /* Every 20 packets, wait for a switch: they interleave for sure. */
        if (i % 20 == 0) {
            while (__atomic_load_n(&sel_switches, __ATOMIC_ACQUIRE) == seen)
                g_thread_yield();
            seen = __atomic_load_n(&sel_switches, __ATOMIC_ACQUIRE);
        }
        kpi_net_epoch_enter();
        memset(bytes, t * 16 + i % 16, sizeof(bytes));
        m = kpi_mbuf_chain(bytes, sizeof(bytes), NULL, 0);
        if (i % 2 == 0)
            mtrace_start_ether(m, NULL);
        else
            mbuf_trace_pf_tagged(m, "mtrace");
        mtrace_enter(m);
        m_freem(m);
        kpi_net_epoch_exit();
    }
    return NULL;
}

static void
test_selection_switched_under_tracing_threads_is_safe(void)
{
    pthread_t threads[THREADS], switcher;
    guint64 started, filtered, emitted;
    GPtrArray *frames;
    guint i;

    mt_reset();
    mt_set("queue_max", 65536);
    started = mt_stat("started");
    filtered = mt_stat("filtered");
    emitted = mt_stat("emitted");
    /* NET_EPOCH_WAIT() waits for every thread: this one leaves the epoch. */
    kpi_net_epoch_exit();
    g_assert_cmpint(pthread_create(&switcher, NULL, sel_switcher, NULL), ==, 0);
    for (i = 0; i < THREADS; i++)
        g_assert_cmpint(pthread_create(&threads[i], NULL, sel_tracer, GINT_TO_POINTER(i)), ==, 0);
    for (i = 0; i < THREADS; i++)
        pthread_join(threads[i], NULL);
    __atomic_store_n(&sel_done, 1, __ATOMIC_RELEASE);
    pthread_join(switcher, NULL);
    g_assert_cmpint(kpi_sysctl_set("net.mbuf_trace.filter", "", 0), ==, 0);
    g_assert_cmpint(kpi_sysctl_set("net.mbuf_trace.pf_tag", "", 0), ==, 0);
    kpi_net_epoch_enter();
    frames = mt_frames();

    /* Every start point either started a trace or had it filtered. */
    g_assert_cmpuint(mt_stat("started") - started + mt_stat("filtered") - filtered, <=,
                     THREADS * SEL_PACKETS);
    g_assert_cmpuint(mt_stat("started") - started + mt_stat("filtered") - filtered, >=,
                     THREADS * SEL_PACKETS / 2);
    g_assert_cmpuint(frames->len, ==, mt_stat("started") - started);
    g_assert_cmpuint(mt_stat("emitted") - emitted, ==, mt_stat("started") - started);
    g_test_message("%u traced, %" G_GUINT64_FORMAT " filtered", frames->len,
                   mt_stat("filtered") - filtered);
    /*
     * A start point's trace holds the enter record; pf's begins with why
     * it started and, for an IPv4 or IPv6 packet (the thread's byte), a
     * snapshot.
     */
    for (i = 0; i < frames->len; i++) {
        MtFrame *f = g_ptr_array_index(frames, i);
        const MtRecord *first = mt_record(f, 0, MTRACE_REC_STRING);
        static const char why[] = "start: pf tagged it";

        if (f->records->len == 1)
            continue;
        g_assert_cmpuint(f->records->len, >=, 2);
        g_assert_cmpuint(f->records->len, <=, 3);
        g_assert_cmpmem(first->payload, first->len, why, sizeof(why) - 1);
        if (f->records->len == 3)
            g_assert_cmpuint(mt_record(f, 1, MTRACE_REC_DATA_L3)->len, >, 0);
    }
    g_assert_cmpint(kpi_malloc_inuse(M_PACKET_TAGS), ==, 0);
    g_assert_cmpint(kpi_mbuf_outstanding(), ==, 0);
    g_ptr_array_unref(frames);
}

int
main(int argc, char **argv)
{
    mt_init(&argc, &argv);
    mt_add("concurrent_tracing_accounts_for_every_trace",
           test_concurrent_tracing_accounts_for_every_trace);
    mt_add("selection_switched_under_tracing_threads_is_safe",
           test_selection_switched_under_tracing_threads_is_safe);
    return g_test_run();
}
