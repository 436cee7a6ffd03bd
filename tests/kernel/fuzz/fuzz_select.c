/*
 * fuzz_select.c - libFuzzer harness for the selection of mbuf_trace(4),
 * which packets start a trace: the facility's sources
 * (kernel/sys/kern/kern_mbuf_trace.c, net/mbuf_trace_select.c,
 * net/if_mbuf_trace.c), unchanged, on the KPI stand-ins, built with
 * -fsanitize=fuzzer,address,undefined.
 *
 * An input is a program of operations:
 *  - write net.mbuf_trace.filter: a structure built from the input's bytes,
 *    hostile (any instructions, lengths that lie), or one of a few
 *    expressions compiled by libpcap; or clear it;
 *  - write net.mbuf_trace.pf_tag: any bytes, of any length up to past its
 *    limit;
 *  - switch start_points, start_anywhere and source_position; add an
 *    interface to, or take it out of, a group whose name is "mtrace" or
 *    close to it;
 *  - attach and detach the listener;
 *  - offer a packet, its bytes and mbuf chain from the input, at a start
 *    point of each kind (mtrace_start, _ether, _proto, _chosen, with the
 *    interface or without), to mtrace() for start_anywhere, to pf with a
 *    tag name, or to a socket with SO_MTRACE or without.
 * A model keeps what the program set.  After each operation: a write is
 * refused exactly when the structure is not one to run (its sizes, and
 * bpf_validate() on each program; the tag's length), a refused write
 * changes nothing, and both read back as written; a packet is traced
 * exactly when the
 * model says (a listener, a source that chooses it, a filter that passes
 * it: the model runs the program on the packet's bytes laid flat), and
 * stats.started and stats.filtered move by what it says.  After the
 * program: no mbuf left, nothing of M_MBUF_TRACE allocated but what the
 * model's filter holds; the sanitizers halt on any bad access, and an
 * accepted hostile program runs on every packet offered after it.
 */
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/mbuf.h>
#include <sys/socket.h>
#include <sys/socketvar.h>
#include <net/bpf.h>
#include <net/ethernet.h>
#include <net/if_types.h>
#include <net/if_var.h>
#include <sys/mbuf_trace.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../filter_for.h"
#include "kpi.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAXPROG 6   /* instructions of a program made from the input */
#define MAXPKT  128 /* bytes of a packet */
#define TAGMAX  64  /* bytes of pf_tag's buffer: pf's PF_TAG_NAME_SIZE */

static void __attribute__((noreturn, format(printf, 1, 2))) fail(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    fprintf(stderr, "fuzz_select: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    abort();
}

/* The input, read a byte at a time; 0 past its end. */
static const uint8_t *in;
static size_t in_len, in_pos;

static unsigned
u8(void)
{
    return in_pos < in_len ? in[in_pos++] : 0;
}

/* ---- What the program set ---- */

static const char *const exprs[] = {
    "tcp port 80 and host 192.0.2.1",
    "udp",
    "ip6",
    "ether host 02:00:00:00:00:01",
    "tcp[13] & 2 != 0",
    "len > 60",
};
static struct mtrace_filter *compiled[nitems(exprs)];
static size_t compiled_len[nitems(exprs)];

static const char *const groups[] = { "mtrace", "mtrace0", "mtrac", "mtracE", "all" };

static struct {
    uint8_t filter[sizeof(struct mtrace_filter) + 2 * BPF_MAXINSNS * sizeof(struct bpf_insn)];
    size_t filter_len; /* 0: no filter */
    bool start_points; /* default on */
    bool start_anywhere;
    bool source_position;
    char pf_tag[TAGMAX]; /* "": none */
    bool in_group[nitems(groups)];
    uint64_t started, filtered;
} model;

static struct kpi_bpf_listener *listener;
static struct ifnet *ifp;

static uint64_t
stat(const char *name)
{
    char full[64];

    snprintf(full, sizeof(full), "net.mbuf_trace.stats.%s", name);
    return kpi_sysctl_u64(full);
}

/* ---- Filters ---- */

/* The structure for expr, as mtracectl(8) makes it. */
static struct mtrace_filter *
filter_for(const char *expr, size_t *len)
{
    struct mtrace_filter *f = mt_filter_for(expr, len);

    if (f == NULL)
        fail("cannot make the filter of \"%s\"", expr);
    return f;
}

/*
 * Is f, len bytes, a filter to run, by mbuf_trace(4): whole, each program
 * at most BPF_MAXINSNS long and accepted by bpf_validate()?
 */
static bool
runnable(const struct mtrace_filter *f, size_t len)
{
    if (len < sizeof(*f) || f->mf_ether_len > BPF_MAXINSNS || f->mf_ip_len > BPF_MAXINSNS ||
        len != sizeof(*f) + ((size_t)f->mf_ether_len + f->mf_ip_len) * sizeof(struct bpf_insn))
        return false;
    return (f->mf_ether_len == 0 || bpf_validate(f->mf_insns, (int)f->mf_ether_len)) &&
           (f->mf_ip_len == 0 || bpf_validate(f->mf_insns + f->mf_ether_len, (int)f->mf_ip_len));
}

/* The filter as it reads back must be the model's. */
static void
check_filter(void)
{
    static uint8_t got[sizeof(model.filter)];
    size_t len = sizeof(got);

    if (kpi_sysctl_get("net.mbuf_trace.filter", got, &len) != 0)
        fail("reading the filter failed");
    if (len != model.filter_len || memcmp(got, model.filter, len) != 0)
        fail("the filter reads back as %zu bytes, the model has %zu", len, model.filter_len);
}

static void
write_filter(const void *f, size_t len)
{
    const struct mtrace_filter *mf = f;
    bool ok = len == 0 || runnable(mf, len);
    int error = kpi_sysctl_set("net.mbuf_trace.filter", f, len);

    if ((error == 0) != ok)
        fail("a filter of %zu bytes (%u + %u instructions): error %d, the model %s it", len,
             len >= sizeof(*mf) ? mf->mf_ether_len : 0, len >= sizeof(*mf) ? mf->mf_ip_len : 0,
             error, ok ? "accepts" : "refuses");
    if (ok) {
        /* No bytes, or two empty programs: no filter. */
        model.filter_len = len == 0 || (mf->mf_ether_len == 0 && mf->mf_ip_len == 0) ? 0 : len;
        if (model.filter_len > 0) {
            memcpy(model.filter, f, model.filter_len);
            ((struct mtrace_filter *)model.filter)->mf_text[MTRACE_FILTER_TEXT - 1] = '\0';
        }
    }
    check_filter();
}

/* A filter from the input: programs of up to MAXPROG instructions of any
 * bytes, lengths that may lie about them, a text without its NUL. */
static void
op_hostile_filter(void)
{
    static uint8_t buf[sizeof(struct mtrace_filter) + 2 * MAXPROG * sizeof(struct bpf_insn)];
    struct mtrace_filter *f = (struct mtrace_filter *)buf;
    unsigned ne = u8() % (MAXPROG + 1), ni = u8() % (MAXPROG + 1), lie = u8(), i;
    size_t len;

    memset(f->mf_text, 'x', sizeof(f->mf_text));
    f->mf_ether_len = ne;
    f->mf_ip_len = ni;
    for (i = 0; i < (ne + ni) * sizeof(struct bpf_insn); i++)
        ((uint8_t *)f->mf_insns)[i] = (uint8_t)u8();
    len = sizeof(*f) + (ne + ni) * sizeof(struct bpf_insn);
    switch (lie % 8) {
        case 1:
            f->mf_ether_len = u8() | u8() << 8; /* too many, or too few */
            break;
        case 2:
            f->mf_ip_len = u8() | u8() << 8;
            break;
        case 3:
            len -= MIN(len, 1 + u8() % 16); /* cut short */
            break;
        default:
            break;
    }
    write_filter(buf, len);
}

/* ---- The pf tag ---- */

/* A tag name of any bytes, NULs included, up to past pf's limit: one of
 * TAGMAX bytes or more is refused, a shorter one kept to its first NUL. */
static void
op_pf_tag(void)
{
    char buf[TAGMAX + 8], got[TAGMAX + 8];
    size_t len = u8() % sizeof(buf), i, got_len = sizeof(got);
    int error;

    for (i = 0; i < len; i++)
        buf[i] = (char)(u8() % 4 == 0 ? 0 : 'a' + u8() % 3);
    error = kpi_sysctl_set("net.mbuf_trace.pf_tag", buf, len);
    if ((error == 0) != (len < TAGMAX))
        fail("a pf tag of %zu bytes: error %d", len, error);
    if (error == 0)
        snprintf(model.pf_tag, sizeof(model.pf_tag), "%.*s", (int)len, buf);
    if (kpi_sysctl_get("net.mbuf_trace.pf_tag", got, &got_len) != 0 ||
        strnlen(got, got_len) != strlen(model.pf_tag) ||
        memcmp(got, model.pf_tag, strlen(model.pf_tag)) != 0)
        fail("the pf tag reads back as \"%.*s\", the model has \"%s\"", (int)got_len, got,
             model.pf_tag);
}

/* ---- Packets ---- */

/* libpcap's interpreter on p[len] laid flat (the stand-ins' bpf_filter()
 * takes a buffer length of 0 for an mbuf chain). */
static bool
run(const struct bpf_insn *pc, const uint8_t *p, size_t len)
{
#undef bpf_filter
    return bpf_filter(pc, p, (unsigned)len, (unsigned)len) != 0;
}

/* Does the model's filter pass bytes p[len], which begin as proto says? */
static bool
passes(const uint8_t *p, size_t len, int proto)
{
    const struct mtrace_filter *f = (const struct mtrace_filter *)model.filter;
    const struct bpf_insn *pc;
    unsigned n;

    if (model.filter_len == 0)
        return true;
    if (proto == MTRACE_L2) {
        pc = f->mf_insns;
        n = f->mf_ether_len;
    } else if (proto == 0 || proto == ETHERTYPE_IP || proto == ETHERTYPE_IPV6) {
        pc = f->mf_insns + f->mf_ether_len;
        n = f->mf_ip_len;
    } else {
        return false;
    }
    return n == 0 || run(pc, p, len);
}

static void
op_packet(void)
{
    static const size_t segs[] = { 0, 1, 7, 20 };
    static const int protos[] = { 0, ETHERTYPE_IP, ETHERTYPE_IPV6, ETHERTYPE_ARP, MTRACE_L2 };
    unsigned how = u8(), seg = segs[u8() % nitems(segs)], i;
    int proto = protos[u8() % nitems(protos)];
    struct ifnet *at = u8() % 2 != 0 ? ifp : NULL;
    size_t len = u8() % MAXPKT, seglen[MAXPKT], n = 0;
    uint8_t bytes[MAXPKT];
    bool chosen, traced, want;
    const char *pf_name = NULL;
    struct socket so = { 0 };
    uint64_t started = stat("started"), filtered = stat("filtered");
    size_t frames = listener != NULL ? kpi_bpf_nframes(listener) : 0;
    struct mbuf *m;

    for (i = 0; i < len; i++)
        bytes[i] = (uint8_t)u8();
    for (i = 0; seg != 0 && i < len; i += seg)
        seglen[n++] = MIN(seg, len - i);
    m = kpi_mbuf_chain(bytes, len, seglen, n);

    switch (how % 7) {
        case 0:
            mtrace_start(m);
            proto = 0;
            break;
        case 1:
            mtrace_start_ether(m, at);
            proto = MTRACE_L2;
            break;
        case 2:
            mtrace_start_proto(m, proto, at);
            break;
        case 3:
            mtrace_start_chosen(m, proto);
            break;
        case 4:
            /* An untraced packet meets a trace point: start_anywhere. */
            mtrace(m, "a trace point");
            proto = 0;
            break;
        case 5: /* pf tags it with its tag, another, or none */
            pf_name = u8() % 3 == 0 ? NULL : u8() % 2 == 0 ? model.pf_tag : "b";
            mbuf_trace_pf_tagged(m, pf_name);
            proto = 0;
            break;
        default: /* its socket has SO_MTRACE or not */
            so.so_options = u8() % 2 != 0 ? SO_MTRACE : 0;
            mtrace_start_socket(m, &so);
            proto = 0;
            break;
    }
    if (how % 7 == 4)
        chosen = model.start_anywhere;
    else if (how % 7 == 5)
        chosen = pf_name != NULL && model.pf_tag[0] != '\0' && strcmp(pf_name, model.pf_tag) == 0;
    else if (how % 7 == 6)
        chosen = so.so_options != 0;
    else
        chosen = how % 7 == 3 || model.start_points || model.start_anywhere ||
                 (how % 7 != 0 && at != NULL && model.in_group[0]);
    chosen = chosen && listener != NULL;
    want = chosen && passes(bytes, len, proto);
    /* Freed, a traced packet's trace is one frame. */
    m_freem(m);
    kpi_taskqueue_run_held();
    traced = listener != NULL && kpi_bpf_nframes(listener) != frames;
    if (traced != want)
        fail("a %zu-byte packet at start %u (proto %#x, %s interface) is %s, the model says %s",
             len, how % 7, (unsigned)proto, at != NULL ? "an" : "no", traced ? "traced" : "not",
             want ? "traced" : "not");
    model.started += want;
    model.filtered += chosen && !want;
    if (stat("started") - started != want || stat("filtered") - filtered != (chosen && !want))
        fail("started +%ju, filtered +%ju; the model says +%d, +%d",
             (uintmax_t)(stat("started") - started), (uintmax_t)(stat("filtered") - filtered), want,
             chosen && !want);
}

/* ---- The program ---- */

static void
op_switch(const char *name, bool *var)
{
    *var = u8() % 2 != 0;
    if (kpi_sysctl_set_uint(name, *var) != 0)
        fail("cannot set %s", name);
}

static void
op_group(void)
{
    unsigned g = u8() % nitems(groups);
    bool add = u8() % 2 != 0;
    int error = add ? kpi_if_addgroup(ifp, groups[g]) : kpi_if_delgroup(ifp, groups[g]);

    if (error != (add == model.in_group[g] ? (add ? EEXIST : ENOENT) : 0))
        fail("%s group %s: error %d", add ? "adding" : "removing", groups[g], error);
    model.in_group[g] = add;
}

static void
op_listener(void)
{
    if (listener == NULL) {
        if ((listener = kpi_bpf_listen("mbuf_trace", NULL)) == NULL)
            fail("cannot listen on mbuf_trace");
    } else {
        kpi_bpf_unlisten(listener);
        listener = NULL;
    }
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    unsigned i;

    (void)argc;
    (void)argv;
    kpi_boot();
    /* The emit task runs when the program says, in this thread. */
    kpi_taskqueue_hold(true);
    kpi_net_epoch_enter();
    model.start_points = kpi_sysctl_uint("net.mbuf_trace.start_points") != 0;
    model.start_anywhere = kpi_sysctl_uint("net.mbuf_trace.start_anywhere") != 0;
    for (i = 0; i < nitems(exprs); i++)
        compiled[i] = filter_for(exprs[i], &compiled_len[i]);
    ifp = if_alloc(IFT_OTHER);
    snprintf(ifp->if_xname, sizeof(ifp->if_xname), "vtnet0");
    return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    long mbufs = kpi_mbuf_outstanding();
    unsigned g;

    in = data;
    in_len = size;
    in_pos = 0;
    model.started = stat("started");
    model.filtered = stat("filtered");
    while (in_pos < in_len) {
        unsigned op = u8();

        switch (op % 10) {
            case 0:
                op_hostile_filter();
                break;
            case 1: {
                unsigned e = u8() % nitems(exprs);

                write_filter(compiled[e], compiled_len[e]);
                break;
            }
            case 2:
                write_filter("", 0); /* a new value of no bytes: NULL would only read */
                break;
            case 3:
                op_switch("net.mbuf_trace.start_points", &model.start_points);
                break;
            case 4:
                op_switch("net.mbuf_trace.start_anywhere", &model.start_anywhere);
                break;
            case 5:
                op_group();
                break;
            case 6:
                op_listener();
                break;
            case 7:
                op_pf_tag();
                break;
            case 8:
                op_switch("net.mbuf_trace.source_position", &model.source_position);
                break;
            default:
                op_packet();
                break;
        }
    }

    /* Back to the defaults, and nothing left. */
    write_filter("", 0); /* a new value of no bytes: NULL would only read */
    kpi_sysctl_set_uint("net.mbuf_trace.start_points", model.start_points = true);
    kpi_sysctl_set_uint("net.mbuf_trace.start_anywhere", model.start_anywhere = false);
    kpi_sysctl_set_uint("net.mbuf_trace.source_position", model.source_position = false);
    if (kpi_sysctl_set("net.mbuf_trace.pf_tag", "", 0) != 0)
        fail("cannot clear the pf tag");
    model.pf_tag[0] = '\0';
    for (g = 0; g < nitems(groups); g++) {
        if (model.in_group[g])
            kpi_if_delgroup(ifp, groups[g]);
        model.in_group[g] = false;
    }
    if (listener != NULL)
        op_listener();
    kpi_taskqueue_run_held();
    if (kpi_mbuf_outstanding() != mbufs)
        fail("%ld mbufs left", kpi_mbuf_outstanding() - mbufs);
    if (stat("started") != model.started || stat("filtered") != model.filtered)
        fail("stats: started %ju, filtered %ju; the model %ju, %ju", (uintmax_t)stat("started"),
             (uintmax_t)stat("filtered"), (uintmax_t)model.started, (uintmax_t)model.filtered);
    return 0;
}
