/*
 * fuzz_facility.c - libFuzzer harness for the kernel facility, in process:
 * its sources (kernel/sys/kern/kern_mbuf_trace.c,
 * net/mbuf_trace_select.c, net/if_mbuf_trace.c), unchanged, on the KPI
 * stand-ins, built with -fsanitize=fuzzer,address,undefined.
 *
 * An input is a program: its first byte configures the run, then each
 * byte is an operation (byte % OP_COUNT) followed by its arguments, read
 * from the bytes after it (0 once the input is used up).  The operations
 * trace packets with every mtrace_*() macro and the functions behind them,
 * build chains of any shape (zero-length mbufs, external buffers of the
 * exact size), copy them (m_dup, m_copypacket, m_tag_copy), move m_data
 * (prepend, m_adj at either end, pullup), free them in any order, end
 * traces, make the n-th M_NOWAIT allocation fail, attach and detach the
 * listener, recreate the VNET, change every sysctl mid-trace and run the
 * emit task; see the OP_ list below.
 *
 * Alongside, a model keeps what the program asked for: each packet's bytes
 * and, for each trace, the records it should hold, in order, with what
 * they must read as on the wire.  After every operation the packets' bytes
 * must be the model's (tracing never changes a packet); every frame the
 * emit task taps is decoded strictly by an independent reader of
 * docs/format.md and must hold the model's records in order, a record
 * being absent only when it is counted in the frame's LOST record (at the
 * end), and absent never when nothing could make it so (no failed
 * allocation, the trace under trace_max and the frame under 64 KiB).  At
 * the end of a program every trace is accounted for in the statistics
 * exactly (started, copies, emitted, dropped.*; a trace of a VNET that
 * ended counts nowhere), no tag or mbuf is left, and LeakSanitizer sees no
 * leak.  A mismatch aborts with a description.
 *
 * MTRACE_FUZZ_FRAMES=DIR also writes each tapped frame to DIR (named by
 * its hash), as seeds for the dissector's harness.
 */
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/mbuf.h>
#include <sys/mbuf_trace.h>

#include <net/ethernet.h>
#include <net/if_var.h>
#include <netinet/in_pcb.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kpi.h"
#include "../mt_frame.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NSLOT   4   /* packets alive at once */
#define MAXOPS  64  /* operations of one program */
#define MAXREC  128 /* records of one trace (MAXOPS bounds it) */
#define MAXPKT  70000
#define LONGSTR 70000

/* ---- Input ---- */

static const uint8_t *in_data;
static size_t in_len, in_pos;

static unsigned
u8(void)
{
    return in_pos < in_len ? in_data[in_pos++] : 0;
}

static unsigned
u16(void)
{
    unsigned hi = u8();

    return hi << 8 | u8();
}

static uint32_t
u32(void)
{
    uint32_t hi = u16();

    return hi << 16 | u16();
}

/* ---- Failure ---- */

static char oplog[4096]; /* the program so far, shown on failure */
static size_t oplog_len;

static void __attribute__((noreturn, format(printf, 1, 2))) fail(const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "fuzz_facility: the program:%.*s\n", (int)oplog_len, oplog);
    va_start(ap, fmt);
    fprintf(stderr, "fuzz_facility: ");
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    abort();
}

static void *
xalloc(size_t n)
{
    void *p = (malloc)(n == 0 ? 1 : n);

    if (p == NULL)
        abort();
    return p;
}

/* The model's text for a printf: the C library's formatting, allocated. */
static char *__attribute__((__format__(__printf__, 1, 2))) xprintf(const char *fmt, ...)
{
    va_list ap;
    char *text;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    text = xalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(text, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return text;
}

/* Every payload the model keeps lives until the end of the program. */
static void **arena;
static size_t arena_n, arena_cap;

static void *
arena_alloc(size_t n)
{
    if (arena_n == arena_cap) {
        arena_cap = arena_cap == 0 ? 64 : 2 * arena_cap;
        arena = (realloc)(arena, arena_cap * sizeof(*arena));
        if (arena == NULL)
            abort();
    }
    return arena[arena_n++] = xalloc(n);
}

static void
arena_free(void)
{
    while (arena_n > 0)
        (free)(arena[--arena_n]);
}

/* ---- The model ---- */

/* A record as it must read on the wire. */
struct erec {
    unsigned type;       /* wire type: DATA, STRING, STRING_DYNAMIC, DATA_L3 */
    const uint8_t *data; /* payload (arena) */
    size_t len;          /* payload bytes */
    uint32_t pktlen;     /* snapshots: a CUT record follows when > snapshot */
    bool cut;
    bool stamped;  /* a TIME record precedes it */
    bool lost;     /* it cannot have been stored */
    bool optional; /* the kernel may not have made it at all */
};

/* Whether a trace holds a snapshot, which a drop takes when it has none. */
enum snap { SNAP_NONE, SNAP_TAKEN, SNAP_MAYBE };

struct tmodel {
    bool active;         /* its free routine queues it (not a fresh copy) */
    unsigned gen;        /* VNET generation it started in */
    bool exact;          /* nothing but lost records may be missing */
    size_t store;        /* bound on the bytes its records take stored */
    size_t wire;         /* bound on its frame's bytes */
    unsigned min_max;    /* lowest trace_max over its life */
    unsigned known_lost; /* records marked lost */
    enum snap snap;
    bool free_site; /* it ended while free_site was on */
    unsigned nrec;
    struct erec rec[MAXREC];
};

struct slot {
    struct mbuf *m;
    uint8_t *bytes; /* what the packet holds */
    size_t len;
    struct tmodel *t; /* its trace, or NULL */
};

static struct slot slots[NSLOT];
static struct tmodel *queue[2 * MAXOPS + NSLOT];
static unsigned nqueue;

/* What the sysctls are, as the model knows them. */
static unsigned s_enable, s_timestamps, s_trace_max, s_snap_max, s_queue_max, s_free_site;
static unsigned def_enable, def_timestamps, def_trace_max, def_snap_max, def_queue_max,
    def_free_site;

static struct kpi_bpf_listener *listener;
static size_t frames_seen;
static unsigned vnet_gen;
static const char *frames_dir;
static bool verbose; /* MTRACE_FUZZ_VERBOSE: each operation on stderr */

/* Statistics the program should produce. */
static struct {
    uint64_t started, copies, emitted, queue_full, no_listener, nomem, lost;
    unsigned fired;
    bool lost_exact;
} want;

static uint64_t
stat_get(const char *name)
{
    char full[96];

    snprintf(full, sizeof(full), "net.mbuf_trace.stats.%s", name);
    return kpi_sysctl_u64(full);
}

static const char *const stat_names[] = {
    "started",       "copies",       "emitted",     "dropped.queue_full", "dropped.no_listener",
    "dropped.nomem", "records_lost", "grow_failed", "truncated"
};
/* At the program's start, or its VNET's; what VNETs that ended counted. */
static uint64_t stat0[9], stat_ended[9];

/* ---- Allocation failures: did the armed one fire during this call? ---- */

static unsigned long fail_at; /* kpi_malloc_nowait_calls() value that fails; 0: none */

static bool
fired_since(unsigned long before)
{
    unsigned long now = kpi_malloc_nowait_calls();

    if (fail_at != 0 && fail_at > before && fail_at <= now) {
        fail_at = 0;
        want.fired++;
        return true;
    }
    return false;
}

/* ---- Packets ---- */

static void
check_packet(const struct slot *s, const char *after)
{
    static uint8_t buf[MAXPKT + MAXOPS * MLEN];
    unsigned len;

    if (s->m == NULL)
        return;
    len = m_length(s->m, NULL);
    if (len != s->len || (size_t)s->m->m_pkthdr.len != s->len || (s->m->m_flags & M_PKTHDR) == 0)
        fail("after %s: packet of %zu bytes has m_length %u, pkthdr.len %d", after, s->len, len,
             s->m->m_pkthdr.len);
    m_copydata(s->m, 0, (int)len, (char *)buf);
    if (memcmp(buf, s->bytes, len) != 0)
        fail("after %s: tracing changed the packet's bytes", after);
}

static uint8_t *
pattern(size_t len, unsigned seed)
{
    uint8_t *b = xalloc(len);
    size_t i;

    for (i = 0; i < len; i++)
        b[i] = (uint8_t)(seed + i * (seed | 1) + (i >> 8));
    return b;
}

static void
slot_clear(struct slot *s)
{
    (free)(s->bytes);
    s->bytes = NULL;
    s->m = NULL;
    s->len = 0;
    s->t = NULL;
}

/* The packet's trace is freed: queued if it emits, dropped if queue_max wait. */
static void
trace_freed(struct tmodel *t)
{
    if (t == NULL || !t->active)
        return;
    t->free_site = s_free_site != 0;
    if (nqueue >= s_queue_max) {
        if (t->gen == vnet_gen)
            want.queue_full++;
        if (!t->exact)
            want.lost_exact = false;
        return;
    }
    queue[nqueue++] = t;
}

static void
free_slot(struct slot *s)
{
    if (s->m == NULL)
        return;
    m_freem(s->m);
    trace_freed(s->t);
    slot_clear(s);
}

static struct tmodel *
trace_new(void)
{
    struct tmodel *t = arena_alloc(sizeof(*t));

    memset(t, 0, sizeof(*t));
    t->gen = vnet_gen;
    t->exact = true;
    t->min_max = s_trace_max;
    /* The LOST record, and the FREE record's room (kept or not). */
    t->wire = MTRACE_FRAME_HDRLEN + MTRACE_RECORD_HDRLEN + 4 + MTRACE_RECORD_HDRLEN +
              MTRACE_FREE_HDRLEN + MTRACE_FREE_TEXTMAX;
    return t;
}

static struct tmodel *
trace_copy(const struct tmodel *from)
{
    struct tmodel *t = trace_new();

    *t = *from;
    t->active = false;
    t->min_max = MIN(from->min_max, s_trace_max);
    return t;
}

/* Any mtrace call that looks the trace up makes a copy a trace of its own. */
static void
touch(struct tmodel *t)
{
    if (t != NULL && !t->active) {
        t->active = true;
        if (t->gen == vnet_gen)
            want.copies++;
    }
}

/*
 * A record the program made.  store is its stored payload's size; it goes
 * into the bound on the trace's size, wire into the frame's.
 */
static void
expect(struct tmodel *t, unsigned type, const void *data, size_t len, size_t store, bool lost,
       bool fired)
{
    struct erec *r;
    uint8_t *copy;

    if (t == NULL)
        return;
    if (t->nrec == MAXREC)
        fail("more than %d records in one trace", MAXREC);
    r = &t->rec[t->nrec++];
    memset(r, 0, sizeof(*r));
    copy = arena_alloc(len);
    if (len > 0)
        memcpy(copy, data, len);
    r->type = type;
    r->data = copy;
    r->len = len;
    r->stamped = s_timestamps != 0;
    r->lost = lost || fired;
    if (r->lost) {
        t->known_lost++;
        if (t->gen == vnet_gen)
            want.lost++;
        return;
    }
    t->store += 8 + roundup2(store, 8) + (r->stamped ? 16 : 0);
    t->wire += MTRACE_RECORD_HDRLEN + len + (r->stamped ? 12 : 0);
    t->min_max = MIN(t->min_max, s_trace_max);
    if (t->store > rounddown2(t->min_max, 8) || t->wire > MTRACE_FRAME_MAX - 8 /* a CUT */)
        t->exact = false;
}

/* ---- Location text, as docs/format.md and mtrace_srcpath() say ---- */

static size_t
location_text(char *buf, size_t size, int event, const char *file, unsigned line, const char *func)
{
    const char *prefix = "", *p;
    int n;

    if (strncmp(file, "../", 3) == 0) {
        for (;;) {
            if (strncmp(file, "../", 3) == 0)
                file += 3;
            else if (strncmp(file, "./", 2) == 0)
                file += 2;
            else
                break;
        }
        prefix = "sys/";
    } else {
        for (p = file; *p != '\0'; p++) {
            if ((p == file || p[-1] == '/') && strncmp(p, "sys/", 4) == 0) {
                file = p;
                break;
            }
        }
    }
    if (event != MTRACE_EV_LOCATION && func != NULL)
        n = snprintf(buf, size, "%s%s:%u: %s%s", prefix, file, line,
                     event == MTRACE_EV_ENTER   ? "+"
                     : event == MTRACE_EV_LEAVE ? "-"
                                                : "",
                     func);
    else
        n = snprintf(buf, size, "%s%s:%u", prefix, file, line);
    return (size_t)n;
}

/* ---- Strings the program can use ---- */

static char *long_static; /* LONGSTR bytes of text, NUL-terminated */
static char *long_file;   /* a path of more than 64 KiB */

static const char *const files[] = { "sys/netinet/ip_input.c",
                                     "/usr/src/sys/net/if.c",
                                     "../../../netinet/tcp_input.c",
                                     "../.././../net/if_ethersubr.c",
                                     "/home/me/src/freebsd/sys/kern/kern_mbuf_trace.c",
                                     "/usr/obj/sysfoo/sys/net/bpf.c",
                                     "ip_output.c",
                                     "",
                                     "a/b/c/mysys/d.c" };
static const char *const funcs[] = { NULL, "ip_input", "if_dequeue(vtnet0)", "x", "" };

/* ---- Frames, read by mt_frame_decode() (../mt_frame.h) ---- */

static void
write_frame(const uint8_t *f, size_t len)
{
    char path[4096];
    uint64_t h = 1469598103934665603ULL;
    size_t i;
    FILE *fp;

    for (i = 0; i < len; i++)
        h = (h ^ f[i]) * 1099511628211ULL;
    snprintf(path, sizeof(path), "%s/kernel-%016llx", frames_dir, (unsigned long long)h);
    if ((fp = fopen(path, "wb")) != NULL) {
        fwrite(f, 1, len, fp);
        fclose(fp);
    }
}

static const char *
type_name(unsigned type)
{
    switch (type) {
#define TYPE_NAME(name, type, len, exact)                                                          \
    case type:                                                                                     \
        return #name;
        MTRACE_RECORD_TYPES(TYPE_NAME)
#undef TYPE_NAME
    }
    return "?";
}

/* Frame f must hold the records of trace t, as the header comment says. */
static void
check_frame(const struct tmodel *t, const uint8_t *f, size_t len)
{
    static struct mt_rec w[2 * MAXREC * 2 + 2];
    unsigned n, i, j, k, missing, optional, lost_rec;
    char why[160];
    const struct erec *e;
    int count;

    if (frames_dir != NULL)
        write_frame(f, len);
    if ((count = mt_frame_decode(f, len, w, nitems(w), why, sizeof(why))) < 0)
        fail("%s", why);
    n = (unsigned)count;
    /* LOST and FREE end the frame, as the reader checked. */
    lost_rec = 0;
    if (n > 0 && w[n - 1].type == MTRACE_REC_LOST)
        lost_rec = mt_be32(w[--n].p);
    /* Where the trace ended, when free_site was on: the model does not know the frames. */
    if (n > 0 && w[n - 1].type == MTRACE_REC_FREE)
        n--;
    else if (t->free_site)
        fail("no FREE record in a trace that ended while free_site was on");
    missing = optional = 0;
    j = 0;
    for (i = 0; i < t->nrec; i++) {
        e = &t->rec[i];
        if (e->lost) {
            missing++;
            continue;
        }
        /* A stamped record is stored with its TIME, or neither is. */
        k = j;
        if (e->stamped) {
            if (k >= n || w[k].type != MTRACE_REC_TIME) {
                if (e->optional)
                    optional++;
                else
                    missing++;
                continue;
            }
            k++;
        }
        /*
         * A cut snapshot is itself only with its CUT: snapshots cut to
         * the same bytes (0 of them, say) differ in the length it gives.
         * One without its CUT is missing here and fails below.
         */
        if (k >= n || w[k].type != e->type || w[k].len != e->len ||
            memcmp(w[k].p, e->data, e->len) != 0 ||
            (e->cut &&
             (k + 1 >= n || w[k + 1].type != MTRACE_REC_CUT || mt_be32(w[k + 1].p) != e->pktlen))) {
            if (e->optional)
                optional++;
            else
                missing++;
            continue;
        }
        j = k + 1 + (e->cut ? 1 : 0);
    }
    if (j != n)
        fail("frame record %u of %u (%s of %zu bytes) is none of the model's %u records, "
             "in order",
             j, n, type_name(w[j].type), w[j].len, t->nrec);
    /* An optional record not in the frame was not made, or made and lost. */
    if (lost_rec < missing || lost_rec > missing + optional)
        fail("%u model records are missing from the frame (and %u optional ones), its LOST "
             "says %u",
             missing, optional, lost_rec);
    missing = lost_rec;
    if (t->exact && missing != t->known_lost)
        fail("%u records lost from a trace that had room for all but %u", missing, t->known_lost);
    want.lost += missing - t->known_lost;
}

/* ---- The emit task ---- */

static void
run_emit(void)
{
    const uint8_t *f;
    size_t len, nframes;
    unsigned i;

    kpi_taskqueue_run_held();
    nframes = listener != NULL ? kpi_bpf_nframes(listener) : 0;
    for (i = 0; i < nqueue; i++) {
        struct tmodel *t = queue[i];

        /* Records lost only when serialised are counted then. */
        if (!t->exact)
            want.lost_exact = false;
        if (t->gen != vnet_gen)
            continue;
        if (listener == NULL) {
            want.no_listener++;
            continue;
        }
        want.emitted++;
        if (frames_seen >= nframes)
            fail("trace %u of the queue was not tapped", i);
        f = kpi_bpf_frame(listener, frames_seen++, &len, NULL);
        check_frame(t, f, len);
    }
    if (frames_seen != nframes)
        fail("%zu frames tapped, the model expected %zu", nframes, frames_seen);
    nqueue = 0;
}

static void
listen_on(bool on)
{
    if (on && listener == NULL) {
        listener = kpi_bpf_listen("mbuf_trace", NULL);
        if (listener == NULL)
            fail("cannot listen on mbuf_trace");
        frames_seen = 0;
    } else if (!on && listener != NULL) {
        kpi_bpf_unlisten(listener);
        listener = NULL;
        frames_seen = 0;
    }
}

/* ---- mbuf surgery the stack does, moving m_data ---- */

static bool
writable(const struct mbuf *m)
{
    return (m->m_flags & M_RDONLY) == 0 && ((m->m_flags & M_EXT) == 0 || *m->m_ext.ext_cnt == 1);
}

/* M_MOVE_PKTHDR: the packet header, tags included, moves from 'from' to 'to'. */
static void
move_pkthdr(struct mbuf *to, struct mbuf *from)
{
    to->m_flags = (to->m_flags & M_EXT) | (from->m_flags & M_COPYFLAGS);
    to->m_pkthdr = from->m_pkthdr;
    from->m_flags &= ~M_PKTHDR;
    SLIST_INIT(&from->m_pkthdr.tags);
}

static struct mbuf *
fz_prepend(struct mbuf *m, const uint8_t *src, int n)
{
    char *start = (m->m_flags & M_EXT) != 0 ? m->m_ext.ext_buf : m->m_dat;
    struct mbuf *h;

    if (writable(m) && m->m_data - start >= n) {
        m->m_data -= n;
        m->m_len += n;
        memcpy(m->m_data, src, (size_t)n);
        m->m_pkthdr.len += n;
        return m;
    }
    h = m_gethdr(M_WAITOK, MT_DATA);
    move_pkthdr(h, m);
    h->m_data = h->m_dat + MLEN - n;
    h->m_len = n;
    memcpy(h->m_data, src, (size_t)n);
    h->m_next = m;
    h->m_pkthdr.len += n;
    return h;
}

/* m_adj(m, n) for n >= 0: the first n bytes go; emptied mbufs stay. */
static void
trim_front(struct mbuf *m, int n)
{
    struct mbuf *mm;
    int left = n;

    for (mm = m; mm != NULL && left > 0; mm = mm->m_next) {
        if (mm->m_len <= left) {
            left -= mm->m_len;
            mm->m_data += mm->m_len;
            mm->m_len = 0;
        } else {
            mm->m_data += left;
            mm->m_len -= left;
            left = 0;
        }
    }
}

/* m_adj(m, -n): the last n bytes go. */
static void
trim_back(struct mbuf *m, int keep)
{
    struct mbuf *mm;

    for (mm = m; mm != NULL; mm = mm->m_next) {
        if (mm->m_len >= keep) {
            mm->m_len = keep;
            keep = 0;
        } else {
            keep -= mm->m_len;
        }
    }
}

/* m_pullup(m, n): the first n bytes contiguous in a new first mbuf. */
static struct mbuf *
fz_pullup(struct mbuf *m, int n)
{
    struct mbuf *h, *rest;

    if (m->m_len >= n)
        return m;
    h = m_gethdr(M_WAITOK, MT_DATA);
    m_copydata(m, 0, n, h->m_dat);
    h->m_len = n;
    move_pkthdr(h, m);
    trim_front(m, n);
    rest = m;
    while (rest != NULL && rest->m_len == 0)
        rest = m_free(rest);
    h->m_next = rest;
    return h;
}

/* ---- The operations ---- */

/* A tag of some other subsystem, which packets carry too. */
#define OTHER_COOKIE 42

enum {
    OP_NEW,
    OP_START,
    OP_DATA,
    OP_DATA_PROTO,
    OP_STATIC,
    OP_DYNAMIC,
    OP_PRINTF,
    OP_LOCATION_MACRO,
    OP_LOCATION,
    OP_END,
    OP_DUP,
    OP_COPYPACKET,
    OP_TAG_COPY,
    OP_PREPEND,
    OP_ADJ,
    OP_PULLUP,
    OP_FREE,
    OP_SYSCTL,
    OP_LISTEN,
    OP_FAIL,
    OP_EMIT,
    OP_NONPERSISTENT,
    OP_VNET,
    OP_OTHER_TAG,
    OP_DDB,
    OP_EDGE,
    OP_FATE,
    OP_COUNT
};

static const char *const op_names[] = { "new",        "start",         "data",   "data_proto",
                                        "static",     "dynamic",       "printf", "location macro",
                                        "location",   "end",           "m_dup",  "m_copypacket",
                                        "m_tag_copy", "prepend",       "m_adj",  "pullup",
                                        "free",       "sysctl",        "listen", "fail",
                                        "emit",       "nonpersistent", "vnet",   "other tag",
                                        "ddb",        "edge",          "fate" };

static size_t
packet_len(void)
{
    switch (u8() % 4) {
        case 0:
            return u8() % 64;
        case 1:
            return u16() % 1600;
        case 2:
            return u16() % 5000;
        default:
            return u32() % (MAXPKT + 1);
    }
}

static void
op_new(struct slot *s)
{
    size_t len = packet_len(), seg[8], nseg, i, left, part;
    unsigned seed = u8();

    free_slot(s);
    nseg = u8() % 9;
    left = len;
    for (i = 0; i < nseg; i++) {
        /* MIN() evaluates its arguments twice: read the input once. */
        part = u16() % (len + 1);
        seg[i] = i + 1 == nseg ? left : MIN(left, part);
        left -= seg[i];
    }
    if (nseg > 0 && left != 0)
        abort();
    s->bytes = pattern(len, seed);
    s->len = len;
    s->m = kpi_mbuf_chain(s->bytes, len, seg, nseg);
}

static void
op_start(struct slot *s)
{
    unsigned long before = kpi_malloc_nowait_calls();
    bool fired;

    mtrace_start(s->m);
    fired = fired_since(before);
    if (s->m == NULL || listener == NULL || s_enable == 0)
        return;
    if (s->t != NULL) {
        touch(s->t);
        return;
    }
    if (fired) {
        want.nomem++;
        return;
    }
    s->t = trace_new();
    s->t->active = true;
    want.started++;
}

/*
 * A snapshot of s's bytes as ethertype et says they begin; optional when
 * the kernel may not have taken it.  The trace's snap follows.
 */
static void
expect_snapshot(struct slot *s, int et, bool fired, bool optional)
{
    size_t len = MIN(s->len, s_snap_max), hdr;
    struct erec *r;
    uint8_t *p;

    hdr = et == MTRACE_L2 ? 0 : 2;
    p = xalloc(hdr + len);
    if (hdr != 0) {
        p[0] = (uint8_t)(et >> 8);
        p[1] = (uint8_t)et;
    }
    memcpy(p + hdr, s->bytes, len);
    expect(s->t, hdr != 0 ? MTRACE_REC_DATA_L3 : MTRACE_REC_DATA, p, hdr + len, 4 + len, false,
           fired);
    r = &s->t->rec[s->t->nrec - 1];
    if (s->len > len && !r->lost) {
        r->cut = true;
        s->t->wire += 8;
    }
    r->pktlen = (uint32_t)s->len;
    r->optional = optional;
    if (!r->lost)
        s->t->snap = s->t->exact && !optional   ? SNAP_TAKEN
                     : s->t->snap == SNAP_TAKEN ? SNAP_TAKEN
                                                : SNAP_MAYBE;
    (free)(p);
}

static void
op_data(struct slot *s, bool l3)
{
    int et = l3 ? (int)(int16_t)u16() : MTRACE_L2;
    unsigned long before = kpi_malloc_nowait_calls();
    bool fired;

    if (l3)
        mtrace_data_proto(s->m, et);
    else
        mtrace_data(s->m);
    fired = fired_since(before);
    touch(s->t);
    if (s->t != NULL)
        expect_snapshot(s, et, fired, false);
}

/*
 * A drop on a trace without a snapshot snapshots the IP header the packet
 * begins with (mtrace_start() allowed either version).  An allocation
 * failure in the drop's call may have lost the snapshot or the FATE
 * record or neither: the trace is no longer exact, and *before moves past
 * it for the FATE record.
 */
static void
expect_drop_snapshot(struct slot *s, unsigned long *before)
{
    unsigned v;

    touch(s->t);
    if (s->t == NULL || s->t->snap == SNAP_TAKEN || s->m->m_len == 0)
        return;
    v = s->bytes[0] >> 4;
    if (v != 4 && v != 6)
        return;
    expect_snapshot(s, v == 4 ? ETHERTYPE_IP : ETHERTYPE_IPV6, false, s->t->snap == SNAP_MAYBE);
    if (fired_since(*before)) {
        s->t->exact = false;
        s->t->snap = SNAP_MAYBE;
        *before = kpi_malloc_nowait_calls();
    }
}

static void
op_string(struct slot *s, bool dynamic)
{
    unsigned long before;
    const char *str;
    char *owned = NULL;
    size_t len;
    unsigned how = u8();

    if (!dynamic) {
        static const char *const table[] = { "", "drop: bad checksum", "ip_input",
                                             "sys/a.c:12: +two words", "x" };

        if (how % 3 == 0) {
            str = table[u8() % nitems(table)];
            len = strlen(str);
        } else {
            /* The long string at any length: 65535 fits a record, 65536 does not. */
            str = long_static;
            len = how % 3 == 1 ? 65530 + u8() % 10 : u32() % (LONGSTR + 1);
        }
    } else if (how % 2 == 0) {
        /* Bytes of the input, NULs and all. */
        len = u16() % 512;
        len = MIN(len, in_len - in_pos);
        str = owned = xalloc(len + 1);
        memcpy(owned, in_data + in_pos, len);
        owned[len] = '\0';
        in_pos += len;
    } else {
        len = u32() % (LONGSTR + 1);
        str = owned = (char *)pattern(len + 1, u8());
        owned[len] = '\0';
    }
    before = kpi_malloc_nowait_calls();
    if (!dynamic) {
        if (how % 6 == 0)
            mtrace_static(s->m, str);
        else if (how % 6 == 3)
            mtrace(s->m, str);
        else
            mtrace_static_length(s->m, str, len);
    } else if (how % 4 == 0 && memchr(str, '\0', len) == NULL) {
        mtrace_dynamic(s->m, str);
    } else {
        mtrace_dynamic_length(s->m, str, len);
    }
    touch(s->t);
    expect(s->t, dynamic ? MTRACE_REC_STRING_DYNAMIC : MTRACE_REC_STRING, str, len,
           dynamic ? len + 1 : 8, len > UINT16_MAX, fired_since(before));
    (free)(owned);
}

static void
op_printf(struct slot *s)
{
    unsigned long before;
    char word[32], *text;
    int width, n;
    unsigned how = u8(), num = u32();

    snprintf(word, sizeof(word), "w%u", u8());
    width = (int)(u32() % (LONGSTR + 1));
    /* The model formats the same text with the C library's snprintf(). */
    switch (how % 4) {
        case 0:
            text = xprintf("ip_input: len %u from %s", num, word);
            before = kpi_malloc_nowait_calls();
            mtrace_printf(s->m, "ip_input: len %u from %s", num, word);
            break;
        case 1:
            text = xprintf("%*u", width, num);
            before = kpi_malloc_nowait_calls();
            mtrace_printf(s->m, "%*u", width, num);
            break;
        case 2:
            text = xprintf("%.*s", width, long_static);
            before = kpi_malloc_nowait_calls();
            mtrace_printf(s->m, "%.*s", width, long_static);
            break;
        default:
            text = xprintf("%s", "");
            before = kpi_malloc_nowait_calls();
            mtrace_printf(s->m, "%s", "");
            break;
    }
    n = (int)strlen(text);
    touch(s->t);
    expect(s->t, MTRACE_REC_STRING_DYNAMIC, text, (size_t)n, (size_t)n + 1, n > UINT16_MAX,
           fired_since(before));
    (free)(text);
}

static void
expect_location(struct slot *s, int event, const char *file, unsigned line, const char *func,
                unsigned long before)
{
    size_t n = location_text(NULL, 0, event, file, line, func);
    char *text = xalloc(n + 1);

    location_text(text, n + 1, event, file, line, func);
    touch(s->t);
    expect(s->t, MTRACE_REC_STRING, text, n, 16, false, fired_since(before));
    (free)(text);
}

/* The macros, each with the line it is on. */
#define LOCATION(s, mac, ev, fn)                                                                   \
    do {                                                                                           \
        unsigned long before_ = kpi_malloc_nowait_calls();                                         \
        mac((s)->m);                                                                               \
        expect_location((s), (ev), __FILE__, __LINE__, (fn), before_);                             \
    } while (0)

static void
op_location_macro(struct slot *s)
{
    switch (u8() % 4) {
        case 0:
            LOCATION(s, mtrace_, MTRACE_EV_LOCATION, NULL);
            break;
        case 1:
            LOCATION(s, mtrace_enter, MTRACE_EV_ENTER, __func__);
            break;
        case 2:
            LOCATION(s, mtrace_leave, MTRACE_EV_LEAVE, __func__);
            break;
        default:
            LOCATION(s, mtrace_func, MTRACE_EV_MARK, __func__);
            break;
    }
}

static void
op_location(struct slot *s)
{
    int event = (int)(u8() % 4);
    unsigned which = u8();
    const char *file = which == 255 ? long_file : files[which % nitems(files)];
    unsigned line = u32();
    const char *func = funcs[u8() % nitems(funcs)];
    unsigned long before;

    if (s->m == NULL)
        return;
    before = kpi_malloc_nowait_calls();
    /* Called directly, the function looks for the trace itself. */
    mbuf_trace_location(s->m, NULL, event, file, (int)line, func);
    expect_location(s, event, file, line, func, before);
}

/*
 * What became of the packet, by each macro: its FATE record reads
 * "fate:u8 flags:u8 reason:u16 value:u32 detail" (docs/format.md).
 */
static void
expect_fate(struct slot *s, unsigned fate, unsigned reason, bool has_value, uint32_t value,
            const char *detail, size_t store, unsigned long before)
{
    size_t dlen = detail != NULL ? strlen(detail) : 0;
    uint8_t *p = xalloc(MTRACE_FATE_HDRLEN + dlen);

    p[0] = (uint8_t)fate;
    p[1] = has_value ? MTRACE_FATE_VALUE : 0;
    p[2] = (uint8_t)(reason >> 8);
    p[3] = (uint8_t)reason;
    p[4] = (uint8_t)(value >> 24);
    p[5] = (uint8_t)(value >> 16);
    p[6] = (uint8_t)(value >> 8);
    p[7] = (uint8_t)value;
    if (dlen > 0)
        memcpy(p + MTRACE_FATE_HDRLEN, detail, dlen);
    touch(s->t);
    expect(s->t, MTRACE_REC_FATE, p, MTRACE_FATE_HDRLEN + dlen, 8 + store, false,
           fired_since(before));
    (free)(p);
}

/* "ADDR:PORT", "[ADDR]:PORT" for IPv6, "*:PORT" for an unspecified address. */
static char *
address_text(bool v6, const void *addr, uint16_t port)
{
    char a[INET6_ADDRSTRLEN];

    inet_ntop(v6 ? AF_INET6 : AF_INET, addr, a, sizeof(a));
    if (strcmp(a, "0.0.0.0") == 0 || strcmp(a, "::") == 0)
        return xprintf("*:%u", ntohs(port));
    return xprintf(v6 ? "[%s]:%u" : "%s:%u", a, ntohs(port));
}

/*
 * "udp 192.0.2.1:7 < [2001:db8::2]:9", as sockstat would say it: the
 * version is the socket's (inp_vflag), whatever INC_ISIPV6 says.
 */
static char *
endpoint_text(const struct inpcb *inp, unsigned proto)
{
    const struct in_conninfo *inc = &inp->inp_inc;
    bool v6 = (inp->inp_vflag & INP_IPV6) != 0;
    const void *la = v6 ? (const void *)&inc->inc6_laddr : &inc->inc_laddr;
    const void *fa = v6 ? (const void *)&inc->inc6_faddr : &inc->inc_faddr;
    static const uint8_t any[16];
    char *l = address_text(v6, la, inc->inc_lport), *f = NULL, *name, *text;

    if (inc->inc_fport != 0 || memcmp(fa, any, v6 ? 16 : 4) != 0)
        f = address_text(v6, fa, inc->inc_fport);
    name = proto == 6 ? xprintf("tcp") : proto == 17 ? xprintf("udp") : xprintf("proto %u", proto);
    text = f != NULL ? xprintf("%s %s < %s", name, l, f) : xprintf("%s %s", name, l);
    (free)(name);
    (free)(l);
    (free)(f);
    return text;
}

static void
op_fate(struct slot *s)
{
    static const char *const why[] = { "checksum", "", "a longer static explanation" };
    unsigned how = u8() % 6, i;
    unsigned long before = kpi_malloc_nowait_calls();
    uint32_t value = u32();
    struct inpcb inp;
    struct ifnet *ifp;
    char label[80], *text;
    size_t len;

    switch (how) {
        case 0:
            mtrace_drop(s->m, PF_BADSTATE);
            expect_drop_snapshot(s, &before);
            expect_fate(s, MTRACE_FATE_DROPPED, MTRACE_R_PF_BADSTATE, false, 0, NULL, 0, before);
            break;
        case 1:
            i = u8() % nitems(why);
            mtrace_drop_why(s->m, PF_BADSTATE, why[i]);
            expect_drop_snapshot(s, &before);
            expect_fate(s, MTRACE_FATE_DROPPED, MTRACE_R_PF_BADSTATE, false, 0, why[i], 8, before);
            break;
        case 2:
            mtrace_fate_value(s->m, ICMP_ERROR, value);
            expect_fate(s, MTRACE_FATE_CONSUMED, MTRACE_R_ICMP_ERROR, true, value, NULL, 0, before);
            break;
        case 3:
            /* A label of the input's bytes: copied up to its NUL, 64 at most. */
            len = u8() % sizeof(label);
            len = MIN(len, in_len - in_pos);
            memcpy(label, in_data + in_pos, len);
            label[len] = '\0';
            in_pos += len;
            mtrace_drop_pf(s->m, 0 /* PFRES_MATCH */, value, label);
            expect_drop_snapshot(s, &before);
            len = strnlen(label, 64);
            label[len] = '\0';
            expect_fate(s, MTRACE_FATE_DROPPED, MTRACE_R_PF_MATCH, true, value, label, len + 1,
                        before);
            break;
        case 4:
            memset(&inp, 0, sizeof(inp));
            inp.inp_inc.inc_flags = u8() % 2 ? INC_ISIPV6 : 0;
            inp.inp_vflag = u8() % 2 ? INP_IPV6 : INP_IPV4;
            for (i = 0; i < 16; i++)
                inp.inp_inc.inc6_laddr.s6_addr[i] = (uint8_t)(u8() % 3);
            for (i = 0; i < 16; i++)
                inp.inp_inc.inc6_faddr.s6_addr[i] = (uint8_t)(u8() % 3);
            inp.inp_inc.inc_lport = (uint16_t)u16();
            inp.inp_inc.inc_fport = (uint16_t)(u8() % 2 ? 0 : u16());
            value = u8() % 3 == 0 ? 6 : u8() % 2 ? 17 : u8();
            mtrace_deliver(s->m, &inp, value);
            text = endpoint_text(&inp, value);
            expect_fate(s, MTRACE_FATE_DELIVERED, MTRACE_R_SOCKET, true, value, text, 38, before);
            (free)(text);
            break;
        default:
            /* Sent: the record, and the trace ends as with mtrace_end(). */
            ifp = kpi_ifunit("mbuf_trace");
            mtrace_sent(s->m, ifp);
            expect_fate(s, MTRACE_FATE_SENT, MTRACE_R_SENT, false, 0, "mbuf_trace", 11, before);
            trace_freed(s->t);
            s->t = NULL;
            break;
    }
}

static void
op_copy(struct slot *from, struct slot *to, int how)
{
    unsigned long before;
    struct mbuf *n;
    struct m_tag *t, *c;
    bool fired = false;

    if (from == to || from->m == NULL)
        return;
    free_slot(to);
    before = kpi_malloc_nowait_calls();
    if (how == OP_DUP) {
        n = m_dup(from->m, M_NOWAIT);
    } else if (how == OP_COPYPACKET) {
        n = m_copypacket(from->m, M_NOWAIT);
    } else {
        /* A new chain of the same bytes and a copy of each tag. */
        n = kpi_mbuf_chain(from->bytes, from->len, NULL, 0);
        fired = false;
        SLIST_FOREACH(t, &from->m->m_pkthdr.tags, m_tag_link)
        {
            before = kpi_malloc_nowait_calls();
            if ((c = m_tag_copy(t, M_NOWAIT)) != NULL)
                m_tag_prepend(n, c);
            /* Only the trace's copy failing leaves the copy untraced. */
            if (fired_since(before) && t->m_tag_cookie != OTHER_COOKIE)
                fired = true;
        }
        before = kpi_malloc_nowait_calls();
    }
    fired |= fired_since(before);
    if (n == NULL) {
        if (!fired)
            fail("%s failed without a failed allocation", op_names[how]);
        return;
    }
    to->m = n;
    to->len = from->len;
    to->bytes = xalloc(from->len);
    memcpy(to->bytes, from->bytes, from->len);
    if (from->t != NULL && !fired)
        to->t = trace_copy(from->t);
}

static void
op_sysctl(void)
{
    static const char *const names[] = { "enable",   "timestamps", "trace_max",
                                         "snap_max", "queue_max",  "free_site" };
    unsigned which = u8() % nitems(names), val;
    unsigned *var[] = { &s_enable,   &s_timestamps, &s_trace_max,
                        &s_snap_max, &s_queue_max,  &s_free_site };
    char full[64];
    bool good;
    int error;

    switch (u8() % 4) {
        case 0:
            val = u8();
            break;
        case 1:
            val = u16();
            break;
        case 2:
            val = u32();
            break;
        default:
            val = u8() % 2;
            break;
    }
    snprintf(full, sizeof(full), "net.mbuf_trace.%s", names[which]);
    error = kpi_sysctl_set_uint(full, val);
    /*
     * The limits, as mbuf_trace(4) gives them: trace_max 64 up to a little
     * under 64 KiB (the tag's length is 16 bits), snap_max up to 65533,
     * queue_max 1 to 65536.  enable and timestamps take any int.
     */
    if (which == 2 && (val < 64 || val > 65535))
        good = false;
    else if (which == 2)
        good = error == 0 || val <= 65000;
    else if (which == 3)
        good = val <= 65533;
    else if (which == 4)
        good = val >= 1 && val <= 65536;
    else
        good = true;
    if (!good) {
        if (error != EINVAL)
            fail("%s = %u: error %d, not EINVAL", full, val, error);
        return;
    }
    if (error != 0)
        fail("%s = %u: error %d", full, val, error);
    *var[which] = val;
}

/* Start from the defaults, with the listener as the first byte says. */
static void
program_begin(unsigned config)
{
    unsigned i;

    memset(&want, 0, sizeof(want));
    want.lost_exact = true;
    for (i = 0; i < nitems(stat_names); i++) {
        stat0[i] = stat_get(stat_names[i]);
        stat_ended[i] = 0;
    }
    kpi_malloc_fail_nth(0);
    fail_at = 0;
    kpi_clock_set(1000000000, config & 0x40 ? 1000 : 0);
    s_timestamps = (config & 1) != 0;
    kpi_sysctl_set_uint("net.mbuf_trace.timestamps", s_timestamps);
    if (config & 2) {
        s_snap_max = config & 4 ? 0 : 60;
        kpi_sysctl_set_uint("net.mbuf_trace.snap_max", s_snap_max);
    }
    if (config & 8) {
        s_trace_max = 64 + (config & 0x30) * 8;
        kpi_sysctl_set_uint("net.mbuf_trace.trace_max", s_trace_max);
    }
    listen_on((config & 0x80) == 0);
}

static void
program_end(void)
{
    uint64_t got[nitems(stat_names)];
    unsigned i;

    for (i = 0; i < NSLOT; i++)
        free_slot(&slots[i]);
    run_emit();
    listen_on(false);
    for (i = 0; i < nitems(stat_names); i++)
        got[i] = stat_ended[i] + stat_get(stat_names[i]) - stat0[i];
#define WANT(i, v)                                                                                 \
    do {                                                                                           \
        if (got[i] != (v))                                                                         \
            fail("stats.%s went up by %llu, the program made %llu", stat_names[i],                 \
                 (unsigned long long)got[i], (unsigned long long)(v));                             \
    } while (0)
    WANT(0, want.started);
    WANT(1, want.copies);
    WANT(2, want.emitted);
    WANT(3, want.queue_full);
    WANT(4, want.no_listener);
    WANT(5, want.nomem);
    if (want.lost_exact)
        WANT(6, want.lost);
    if (got[7] > want.fired)
        fail("grow_failed went up by %llu, only %u allocations failed", (unsigned long long)got[7],
             want.fired);
    if (got[8] > want.emitted + want.no_listener)
        fail("truncated went up by %llu for %llu frames", (unsigned long long)got[8],
             (unsigned long long)(want.emitted + want.no_listener));
    if (kpi_mbuf_outstanding() != 0)
        fail("%ld mbufs left", kpi_mbuf_outstanding());
    if (kpi_malloc_inuse(M_PACKET_TAGS) != 0)
        fail("%ld tags left", kpi_malloc_inuse(M_PACKET_TAGS));
    kpi_malloc_fail_nth(0);
    kpi_sysctl_set_uint("net.mbuf_trace.enable", s_enable = def_enable);
    kpi_sysctl_set_uint("net.mbuf_trace.timestamps", s_timestamps = def_timestamps);
    kpi_sysctl_set_uint("net.mbuf_trace.trace_max", s_trace_max = def_trace_max);
    kpi_sysctl_set_uint("net.mbuf_trace.snap_max", s_snap_max = def_snap_max);
    kpi_sysctl_set_uint("net.mbuf_trace.queue_max", s_queue_max = def_queue_max);
    kpi_sysctl_set_uint("net.mbuf_trace.free_site", s_free_site = def_free_site);
    arena_free();
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    size_t i;

    (void)argc;
    (void)argv;
    kpi_boot();
    /* The emit task runs when the program says, in this thread. */
    kpi_taskqueue_hold(true);
    kpi_net_epoch_enter();
    s_enable = def_enable = kpi_sysctl_uint("net.mbuf_trace.enable");
    s_timestamps = def_timestamps = kpi_sysctl_uint("net.mbuf_trace.timestamps");
    s_trace_max = def_trace_max = kpi_sysctl_uint("net.mbuf_trace.trace_max");
    s_snap_max = def_snap_max = kpi_sysctl_uint("net.mbuf_trace.snap_max");
    s_queue_max = def_queue_max = kpi_sysctl_uint("net.mbuf_trace.queue_max");
    s_free_site = def_free_site = kpi_sysctl_uint("net.mbuf_trace.free_site");
    long_static = xalloc(LONGSTR + 1);
    for (i = 0; i < LONGSTR; i++)
        long_static[i] = (char)('a' + i % 26);
    long_static[LONGSTR] = '\0';
    long_file = xalloc(66000);
    memset(long_file, 'f', 65990);
    memcpy(long_file + 65990, "/x.c", 5);
    frames_dir = getenv("MTRACE_FUZZ_FRAMES");
    verbose = getenv("MTRACE_FUZZ_VERBOSE") != NULL;
    return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned op, nops, i;
    struct slot *s;
    int n;

    in_data = data;
    in_len = size;
    in_pos = 0;
    oplog_len = 0;
    program_begin(u8());
    for (nops = 0; nops < MAXOPS && in_pos < in_len; nops++) {
        op = u8() % OP_COUNT;
        s = &slots[u8() % NSLOT];
        if (oplog_len < sizeof(oplog))
            oplog_len += (size_t)snprintf(oplog + oplog_len, sizeof(oplog) - oplog_len, " %s(%td)",
                                          op_names[op], s - slots);
        oplog_len = MIN(oplog_len, sizeof(oplog));
        if (verbose)
            fprintf(stderr, "op %u: %s on packet %td (%zu bytes, %s)\n", nops, op_names[op],
                    s - slots, s->len,
                    s->t == NULL   ? "untraced"
                    : s->t->active ? "traced"
                                   : "copied trace");
        switch (op) {
            case OP_NEW:
                op_new(s);
                break;
            case OP_START:
                op_start(s);
                break;
            case OP_DATA:
            case OP_DATA_PROTO:
                op_data(s, op == OP_DATA_PROTO);
                break;
            case OP_STATIC:
            case OP_DYNAMIC:
                op_string(s, op == OP_DYNAMIC);
                break;
            case OP_PRINTF:
                op_printf(s);
                break;
            case OP_LOCATION_MACRO:
                op_location_macro(s);
                break;
            case OP_LOCATION:
                op_location(s);
                break;
            case OP_END: {
                unsigned long before = kpi_malloc_nowait_calls();

                mtrace_end(s->m);
                (void)fired_since(before);
                touch(s->t);
                trace_freed(s->t);
                s->t = NULL;
                break;
            }
            case OP_DUP:
            case OP_COPYPACKET:
            case OP_TAG_COPY:
                op_copy(s, &slots[u8() % NSLOT], (int)op);
                break;
            case OP_PREPEND: {
                uint8_t add[MLEN];
                uint8_t *b;

                n = (int)(u8() % (MLEN + 1));
                for (i = 0; i < (unsigned)n; i++)
                    add[i] = (uint8_t)u8();
                if (s->m == NULL)
                    break;
                s->m = fz_prepend(s->m, add, n);
                b = xalloc(s->len + (size_t)n);
                memcpy(b, add, (size_t)n);
                memcpy(b + n, s->bytes, s->len);
                (free)(s->bytes);
                s->bytes = b;
                s->len += (size_t)n;
                break;
            }
            case OP_ADJ: {
                unsigned how = u8();

                n = (int)(u16() % (s->len + 1));
                if (s->m == NULL)
                    break;
                if (how % 2 == 0) {
                    trim_front(s->m, n);
                    memmove(s->bytes, s->bytes + n, s->len - (size_t)n);
                } else {
                    trim_back(s->m, (int)s->len - n);
                }
                s->len -= (size_t)n;
                s->m->m_pkthdr.len = (int32_t)s->len;
                break;
            }
            case OP_PULLUP:
                n = (int)(u8() % (MLEN + 1));
                if (s->m != NULL && (size_t)n <= s->len)
                    s->m = fz_pullup(s->m, n);
                break;
            case OP_FREE:
                free_slot(s);
                break;
            case OP_SYSCTL:
                op_sysctl();
                break;
            case OP_LISTEN:
                /* Frames tapped so far are checked before they go. */
                run_emit();
                listen_on(listener == NULL);
                break;
            case OP_FAIL:
                n = (int)(1 + u8() % 8);
                kpi_malloc_fail_nth((unsigned long)n);
                fail_at = kpi_malloc_nowait_calls() + (unsigned long)n;
                break;
            case OP_EMIT:
                run_emit();
                break;
            case OP_NONPERSISTENT:
                if (s->m != NULL)
                    m_tag_delete_nonpersistent(s->m);
                break;
            case OP_OTHER_TAG: {
                struct m_tag *t;

                /* M_WAITOK: the failure injection is for the facility. */
                if (s->m == NULL)
                    break;
                t = m_tag_alloc(OTHER_COOKIE, (uint16_t)u8(), (int)(u8() % 32), M_WAITOK);
                m_tag_prepend(s->m, t);
                break;
            }
            case OP_DDB: {
                const char *out = kpi_db_show("mtrace", s->m, s->m != NULL);

                if (out == NULL || out[0] == '\0')
                    fail("show mtrace printed nothing");
                break;
            }
            case OP_EDGE: {
                /*
                 * A static string that brings the frame to within 8 bytes
                 * either side of 64 KiB: the serialiser's limits are hit
                 * exactly (t->wire counts the LOST record's room too).
                 */
                long len = MTRACE_FRAME_MAX - MTRACE_RECORD_HDRLEN - (s_timestamps ? 12 : 0) -
                           (long)(s->t != NULL ? s->t->wire : 0) + (long)(u8() % 17) - 8;
                unsigned long before = kpi_malloc_nowait_calls();

                len = len < 0 ? 0 : MIN(len, LONGSTR);
                mtrace_static_length(s->m, long_static, (size_t)len);
                touch(s->t);
                expect(s->t, MTRACE_REC_STRING, long_static, (size_t)len, 8, len > UINT16_MAX,
                       fired_since(before));
                break;
            }
            case OP_FATE:
                op_fate(s);
                break;
            case OP_VNET: {
                bool was = listener != NULL;

                run_emit();
                listen_on(false);
                /* A VNET's statistics end with it; the new one's start at 0. */
                for (i = 0; i < nitems(stat_names); i++)
                    stat_ended[i] += stat_get(stat_names[i]) - stat0[i];
                kpi_vnet_destroy();
                kpi_vnet_create();
                for (i = 0; i < nitems(stat_names); i++)
                    stat0[i] = stat_get(stat_names[i]);
                vnet_gen++;
                listen_on(was);
                break;
            }
        }
        if (fail_at != 0 && fail_at <= kpi_malloc_nowait_calls())
            fail("%s made an M_NOWAIT allocation the model does not know of", op_names[op]);
        for (i = 0; i < NSLOT; i++)
            check_packet(&slots[i], op_names[op]);
    }
    program_end();
    return 0;
}
