/* Shared helpers of the kernel tests; see mt_test.h. */
#include "mt_test.h"
#include "mt_frame.h"

#include <sys/endian.h>

static struct kpi_bpf_listener *listener;
static size_t frames_seen;

static const char *const limits[] = { "enable",   "timestamps", "trace_max",
                                      "snap_max", "queue_max",  "free_site" };
static unsigned int limit_defaults[G_N_ELEMENTS(limits)];

void
mt_set(const char *name, unsigned int val)
{
    char *full = g_strdup_printf("net.mbuf_trace.%s", name);

    g_assert_cmpint(kpi_sysctl_set_uint(full, val), ==, 0);
    g_free(full);
}

void
mt_init(int *argc, char ***argv)
{
    gsize i;

    g_test_init(argc, argv, NULL);
    kpi_boot();
    /* The tests trace as the stack does, in the network epoch. */
    kpi_net_epoch_enter();
    for (i = 0; i < G_N_ELEMENTS(limits); i++) {
        char *full = g_strdup_printf("net.mbuf_trace.%s", limits[i]);

        limit_defaults[i] = kpi_sysctl_uint(full);
        g_free(full);
    }
    mt_listen(true);
}

void
mt_listen(bool on)
{
    if (on && listener == NULL) {
        listener = kpi_bpf_listen("mbuf_trace", NULL);
        g_assert_nonnull(listener);
        frames_seen = 0;
    } else if (!on && listener != NULL) {
        kpi_taskqueue_drain_all();
        kpi_bpf_unlisten(listener);
        listener = NULL;
    }
}

void
mt_reset(void)
{
    gsize i;

    kpi_malloc_fail_nth(0);
    kpi_clock_set(0, 0);
    mt_listen(true);
    for (i = 0; i < G_N_ELEMENTS(limits); i++)
        mt_set(limits[i], limit_defaults[i]);
    g_ptr_array_unref(mt_frames());
}

const guint8 *
mt_pattern(size_t len)
{
    static guint8 bytes[65536];
    size_t i;

    g_assert_cmpuint(len, <=, sizeof(bytes));
    for (i = 0; i < len; i++)
        bytes[i] = (guint8)(i * 7 + 1);
    return bytes;
}

struct mbuf *
mt_packet(size_t len, const size_t *seglen, size_t nseg)
{
    return kpi_mbuf_chain(mt_pattern(len), len, seglen, nseg);
}

void
mt_frame_free(gpointer p)
{
    MtFrame *f = p;

    g_bytes_unref(f->bytes);
    g_array_unref(f->records);
    g_free(f);
}

MtFrame *
mt_decode(const guint8 *data, gsize len)
{
    MtFrame *f = g_new0(MtFrame, 1);
    guint max = len >= MTRACE_FRAME_HDRLEN ? be16dec(data) : 0;
    struct mt_rec *rec = g_new(struct mt_rec, max + 1);
    const guint8 *p;
    gsize size;
    char why[160];
    int n;

    f->bytes = g_bytes_new(data, len);
    f->records = g_array_new(FALSE, TRUE, sizeof(MtRecord));
    p = g_bytes_get_data(f->bytes, &size);
    n = mt_frame_decode(p, size, rec, max, why, sizeof(why));
    g_assert_cmpstr(why, ==, "");
    for (int i = 0; i < n; i++) {
        MtRecord r = { rec[i].type, (guint)rec[i].len, rec[i].p };

        /* The FREE record apart (mt_frame_decode() allows one, last but
         * LOST): the tests ask for it by name. */
        if (r.type == MTRACE_REC_FREE) {
            f->free = r;
            f->has_free = true;
        } else {
            g_array_append_val(f->records, r);
        }
    }
    g_free(rec);
    return f;
}

char *
mt_free_frames(const MtFrame *f)
{
    g_assert_true(f->has_free);
    return g_strndup((const char *)f->free.payload + MTRACE_FREE_HDRLEN,
                     f->free.len - MTRACE_FREE_HDRLEN);
}

guint32
mt_free_pid(const MtFrame *f)
{
    g_assert_true(f->has_free);
    return be32dec(f->free.payload);
}

char *
mt_free_thread(const MtFrame *f)
{
    g_assert_true(f->has_free);
    return g_strndup((const char *)f->free.payload + 6, MTRACE_FREE_THREADLEN);
}

char *
mt_fate(const MtFrame *f, guint i, guint fate, guint reason)
{
    const MtRecord *r = mt_record(f, i, MTRACE_REC_FATE);

    g_assert_cmpuint(r->len, >=, MTRACE_FATE_HDRLEN);
    g_assert_cmpuint(r->payload[0], ==, fate);
    g_assert_cmpuint(be16dec(r->payload + 2), ==, reason);
    return g_strndup((const char *)r->payload + MTRACE_FATE_HDRLEN, r->len - MTRACE_FATE_HDRLEN);
}

GPtrArray *
mt_frames(void)
{
    GPtrArray *frames = g_ptr_array_new_with_free_func(mt_frame_free);
    size_t n;

    kpi_taskqueue_drain_all();
    n = kpi_bpf_nframes(listener);
    for (; frames_seen < n; frames_seen++) {
        size_t len;
        struct timeval ts;
        const uint8_t *data = kpi_bpf_frame(listener, frames_seen, &len, &ts);
        MtFrame *f = mt_decode(data, len);

        f->ts = ts;
        g_ptr_array_add(frames, f);
    }
    return frames;
}

MtFrame *
mt_one_frame(GPtrArray **holder)
{
    *holder = mt_frames();
    g_assert_cmpuint((*holder)->len, ==, 1);
    return g_ptr_array_index(*holder, 0);
}

const MtRecord *
mt_record(const MtFrame *f, guint i, guint type)
{
    const MtRecord *r;

    g_assert_cmpuint(i, <, f->records->len);
    r = &g_array_index(f->records, MtRecord, i);
    g_assert_cmpuint(r->type, ==, type);
    return r;
}

void
mt_assert_string(const MtFrame *f, guint i, guint type, const char *s)
{
    const MtRecord *r = mt_record(f, i, type);
    char *got = g_strndup((const char *)r->payload, r->len);

    g_assert_cmpstr(got, ==, s);
    g_assert_cmpuint(r->len, ==, strlen(s));
    g_free(got);
}

void
mt_assert_data(const MtFrame *f, guint i, int ethertype, const guint8 *bytes, gsize len)
{
    const MtRecord *r;

    if (ethertype == MTRACE_L2) {
        r = mt_record(f, i, MTRACE_REC_DATA);
        g_assert_cmpmem(r->payload, r->len, bytes, len);
    } else {
        r = mt_record(f, i, MTRACE_REC_DATA_L3);
        g_assert_cmpuint(r->len, >=, 2);
        g_assert_cmpuint(be16dec(r->payload), ==, ethertype);
        g_assert_cmpmem(r->payload + 2, r->len - 2, bytes, len);
    }
}

guint32
mt_lost(const MtFrame *f)
{
    const MtRecord *r;

    if (f->records->len == 0)
        return 0;
    r = &g_array_index(f->records, MtRecord, f->records->len - 1);
    if (r->type != MTRACE_REC_LOST)
        return 0;
    g_assert_cmpuint(r->len, ==, 4);
    return be32dec(r->payload);
}

guint64
mt_stat(const char *name)
{
    char *full = g_strdup_printf("net.mbuf_trace.stats.%s", name);
    guint64 v = kpi_sysctl_u64(full);

    g_free(full);
    return v;
}
