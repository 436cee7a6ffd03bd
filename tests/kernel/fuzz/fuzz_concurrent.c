/*
 * fuzz_concurrent.c - libFuzzer harness for the kernel facility under
 * ThreadSanitizer: its sources (kernel/sys/kern/kern_mbuf_trace.c,
 * net/mbuf_trace_select.c, net/if_mbuf_trace.c), unchanged, on the KPI
 * stand-ins, built with -fsanitize=fuzzer,thread.
 *
 * fuzz_facility.c checks every record of every call sequence against a
 * model, one thread at a time.  This one checks what only concurrency can
 * break.  An input is three scripts, run at once: two producers, each
 * tracing, copying, ending and freeing packets of its own, and a
 * controller that attaches and detaches the listener and changes the
 * sysctls, while the emit task drains the queue on its own thread, as in
 * the kernel.  Byte i of the input after the first goes to script i % 3.
 *
 * ThreadSanitizer halts on a data race.  Each frame tapped must decode
 * strictly by docs/format.md, hold the records of one producer only, its
 * numbered records in the order they were made (a packet's records, then
 * for a copy the copy's own), its LOST record last.  When the threads are
 * done and the queue is drained, every trace started or copied is
 * accounted for exactly once (emitted, or dropped with a reason), every
 * emitted trace was tapped (but for one a detach, see below), and no tag
 * or mbuf is left.  A mismatch aborts
 * with a description.
 */
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/mbuf.h>
#include <sys/mbuf_trace.h>

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kpi.h"
#include "../mt_frame.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NSCRIPT   3 /* two producers, then the controller */
#define NPRODUCER 2
#define NSLOT     3   /* packets a producer holds at once */
#define PKTLEN    80  /* bytes of a packet: byte 0 names its producer */
#define MAXREC    512 /* records of one frame the checks can hold */

static void __attribute__((noreturn, format(printf, 1, 2))) fail(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    fprintf(stderr, "fuzz_concurrent: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    abort();
}

/* A script: the bytes of the input that fall to one thread. */
struct script {
    const uint8_t *data;
    size_t len, pos;
};

static unsigned
next(struct script *s)
{
    unsigned b = s->pos < s->len ? s->data[s->pos] : 0;

    s->pos += NSCRIPT;
    return b;
}

static bool
more(const struct script *s)
{
    return s->pos < s->len;
}

/* ---- Producers ---- */

struct producer {
    pthread_t thread;
    unsigned id;
    struct script s;
    struct mbuf *slot[NSLOT];
    unsigned seq; /* the number of its next numbered record */
};

static struct mbuf *
packet(unsigned id, unsigned shape)
{
    static const size_t seg[][3] = { { PKTLEN, 0, 0 },
                                     { 14, 0, PKTLEN - 14 },
                                     { 1, 40, PKTLEN - 41 } };
    uint8_t bytes[PKTLEN];
    unsigned i;

    for (i = 0; i < PKTLEN; i++)
        bytes[i] = (uint8_t)(i == 0 ? id : i);
    shape %= nitems(seg) + 1;
    if (shape == nitems(seg))
        return kpi_mbuf_chain(bytes, PKTLEN, NULL, 0);
    return kpi_mbuf_chain(bytes, PKTLEN, seg[shape], 3);
}

static void *
produce(void *arg)
{
    struct producer *p = arg;
    struct mbuf **m;
    unsigned op;

    kpi_net_epoch_enter();
    while (more(&p->s)) {
        op = next(&p->s);
        m = &p->slot[next(&p->s) % NSLOT];
        if (*m == NULL && op % 8 != 0)
            continue;
        switch (op % 8) {
            case 0: /* a packet arrives at a start point */
                m_freem(*m);
                *m = packet(p->id, op / 8);
                mtrace_start(*m);
                break;
            case 1:
                mtrace_printf(*m, "p%u #%u", p->id, p->seq++);
                break;
            case 2:
                mtrace_data(*m);
                break;
            case 3:
                mtrace_enter(*m);
                break;
            case 4: { /* a copy, into another slot */
                struct mbuf **to = &p->slot[(m - p->slot + 1) % NSLOT];

                m_freem(*to);
                *to = m_dup(*m, M_NOWAIT);
                mtrace_printf(*to, "p%u #%u", p->id, p->seq++);
                break;
            }
            case 5:
                mtrace_end(*m);
                break;
            case 6:
                m_freem(*m);
                *m = NULL;
                break;
            default:
                mtrace(*m, "static");
                break;
        }
    }
    for (op = 0; op < NSLOT; op++) {
        m_freem(p->slot[op]);
        p->slot[op] = NULL;
    }
    kpi_net_epoch_exit();
    return NULL;
}

/* ---- Frames ---- */

static size_t frames_checked;

/* Frame f must decode strictly (mt_frame.h) and be a trace of one
 * producer's packet, in order. */
static void
check_frame(const uint8_t *f, size_t len)
{
    static struct mt_rec rec[MAXREC];
    unsigned i, id, seq, owner = 0, last = 0;
    bool numbered = false;
    char text[MTRACE_FRAME_MAX]; /* a record is shorter than its frame */
    int count = mt_frame_decode(f, len, rec, MAXREC, text, sizeof(text));

    if (count < 0)
        fail("%s", text);
    for (i = 0; i < (unsigned)count; i++) {
        const struct mt_rec *r = &rec[i];

        switch (r->type) {
            case MTRACE_REC_STRING_DYNAMIC:
                /*
                 * With source_position, "FILE:LINE: " comes first, and
                 * FILE is as long as the path of the build.
                 */
                memcpy(text, r->p, r->len);
                text[r->len] = '\0';
                if (sscanf(text, "p%u #%u", &id, &seq) != 2 &&
                    (strstr(text, ": p") == NULL ||
                     sscanf(strstr(text, ": p") + 2, "p%u #%u", &id, &seq) != 2))
                    fail("record %u: \"%s\" is no producer's", i, text);
                if (numbered && seq <= last)
                    fail("record %u: #%u after #%u: out of order", i, seq, last);
                last = seq;
                numbered = true;
                break;
            case MTRACE_REC_DATA:
                id = r->len > 0 ? r->p[0] : owner;
                break;
            case MTRACE_REC_STRING:
            case MTRACE_REC_TIME:
            case MTRACE_REC_CUT:
            case MTRACE_REC_LOST:
            case MTRACE_REC_FREE:
                id = owner;
                break;
            default:
                fail("record %u: type %u, which no producer makes", i, r->type);
        }
        if (owner == 0)
            owner = id;
        if (id != owner)
            fail("record %u belongs to producer %u, the frame to %u", i, id, owner);
    }
    frames_checked++;
}

/* ---- The controller ---- */

static struct kpi_bpf_listener *listener;
static unsigned detaches;

static void
listen_on(bool on)
{
    const uint8_t *f;
    size_t i, len, n;

    if (on && listener == NULL) {
        if ((listener = kpi_bpf_listen("mbuf_trace", NULL)) == NULL)
            fail("cannot listen on mbuf_trace");
    } else if (!on && listener != NULL) {
        /* Nothing is tapped to it once detached: all its frames are here. */
        kpi_bpf_detach(listener);
        detaches++;
        n = kpi_bpf_nframes(listener);
        for (i = 0; i < n; i++) {
            f = kpi_bpf_frame(listener, i, &len, NULL);
            check_frame(f, len);
        }
        kpi_bpf_unlisten(listener);
        listener = NULL;
    }
}

static const struct {
    const char *name;
    unsigned lo, hi;
} knobs[] = {
    { "net.mbuf_trace.enable", 0, 1 },          { "net.mbuf_trace.timestamps", 0, 1 },
    { "net.mbuf_trace.trace_max", 64, 1024 },   { "net.mbuf_trace.snap_max", 0, 300 },
    { "net.mbuf_trace.queue_max", 1, 8 },       { "net.mbuf_trace.start_points", 0, 1 },
    { "net.mbuf_trace.source_position", 0, 1 }, { "net.mbuf_trace.start_anywhere", 0, 1 },
};
static unsigned knob0[nitems(knobs)];

static void *
control(void *arg)
{
    struct script *s = arg;
    unsigned op, k;

    while (more(s)) {
        op = next(s);
        if (op % 4 == 0) {
            listen_on(op / 4 % 2 == 0);
        } else {
            k = op / 4 % nitems(knobs);
            kpi_sysctl_set_uint(knobs[k].name,
                                knobs[k].lo + next(s) % (knobs[k].hi - knobs[k].lo + 1));
        }
    }
    return NULL;
}

/* ---- One input ---- */

static const char *const stat_names[] = {
    "started", "copies", "emitted", "dropped.queue_full", "dropped.no_listener", "dropped.nomem"
};

static void
stats(uint64_t *v)
{
    char full[96];
    unsigned i;

    for (i = 0; i < nitems(stat_names); i++) {
        snprintf(full, sizeof(full), "net.mbuf_trace.stats.%s", stat_names[i]);
        v[i] = kpi_sysctl_u64(full);
    }
}

int
LLVMFuzzerInitialize(int *argc __unused, char ***argv __unused)
{
    unsigned k;

    kpi_boot();
    for (k = 0; k < nitems(knobs); k++)
        knob0[k] = kpi_sysctl_uint(knobs[k].name);
    return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct producer prod[NPRODUCER];
    struct script ctl;
    uint64_t before[nitems(stat_names)], after[nitems(stat_names)], in, out;
    unsigned i;

    if (size < 1)
        return 0;
    frames_checked = 0;
    detaches = 0;
    /* The first byte: whether someone listens from the start. */
    if ((data[0] & 1) != 0)
        listen_on(true);
    stats(before);
    memset(prod, 0, sizeof(prod));
    for (i = 0; i < NPRODUCER; i++) {
        prod[i].id = i + 1;
        prod[i].s = (struct script){ data + 1, size - 1, i };
        if (pthread_create(&prod[i].thread, NULL, produce, &prod[i]) != 0)
            fail("pthread_create");
    }
    ctl = (struct script){ data + 1, size - 1, NPRODUCER };
    control(&ctl);
    for (i = 0; i < NPRODUCER; i++)
        pthread_join(prod[i].thread, NULL);
    kpi_taskqueue_drain_all();
    /* Nothing is in flight now: this detach misses nothing. */
    i = detaches;
    listen_on(false);
    detaches = i;
    stats(after);

    in = after[0] - before[0] + after[1] - before[1];
    out = after[2] - before[2] + after[3] - before[3] + after[4] - before[4] + after[5] - before[5];
    if (in != out)
        fail("%llu traces started or copied, %llu emitted or dropped", (unsigned long long)in,
             (unsigned long long)out);
    /*
     * The emit task taps a frame when it sees a listener, as drivers do
     * (bpf_peers_present(), then the tap): one that detaches in between
     * misses that frame, which still counts as emitted.  One a detach.
     */
    out = after[2] - before[2];
    if (out < frames_checked || out > frames_checked + detaches)
        fail("%llu traces emitted, %zu frames tapped, %u detaches", (unsigned long long)out,
             frames_checked, detaches);
    if (kpi_mbuf_outstanding() != 0)
        fail("%ld mbufs left", kpi_mbuf_outstanding());
    if (kpi_malloc_inuse(M_PACKET_TAGS) != 0)
        fail("%ld tags left", kpi_malloc_inuse(M_PACKET_TAGS));
    for (i = 0; i < nitems(knobs); i++)
        kpi_sysctl_set_uint(knobs[i].name, knob0[i]);
    return 0;
}
