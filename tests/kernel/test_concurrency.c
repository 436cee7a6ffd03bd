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

int
main(int argc, char **argv)
{
    mt_init(&argc, &argv);
    mt_add("concurrent_tracing_accounts_for_every_trace",
           test_concurrent_tracing_accounts_for_every_trace);
    return g_test_run();
}
