/*
 * Selection (mbuf_trace(4), SELECTION): which packets start a trace.  Each
 * source chooses exactly its packets, the filter (programs compiled by
 * libpcap, run by the stand-in bpf_filter() on the mbuf chain) passes
 * exactly the matching ones at L2 and at L3, bad programs are refused,
 * switching loses and leaks nothing, source_position and start_anywhere
 * do what the deployed switches did.
 */
#include "filter_for.h"
#include "mt_test.h"

#include <net/bpf.h>
#include <sys/socketvar.h>
#include <net/if_types.h>
#include <net/if_var.h>

#include <arpa/inet.h>

/* Every selection sysctl back to its default; frames so far gone. */
static void
sel_reset(void)
{
    mt_reset();
    mt_set("start_points", 1);
    mt_set("source_position", 0);
    mt_set("start_anywhere", 0);
    g_assert_cmpint(kpi_sysctl_set("net.mbuf_trace.pf_tag", "", 1), ==, 0);
    g_assert_cmpint(kpi_sysctl_set("net.mbuf_trace.filter", "", 0), ==, 0);
}

/* The number of frames tapped since the last call. */
static guint
nframes(void)
{
    GPtrArray *frames = mt_frames();
    guint n = frames->len;

    g_ptr_array_unref(frames);
    return n;
}

/* Free m; was it traced (one frame)? */
static gboolean
was_traced(struct mbuf *m)
{
    guint n;

    m_freem(m);
    n = nframes();
    g_assert_cmpuint(n, <=, 1);
    return n == 1;
}

/*
 * Free m, which a source chose: its one frame begins with why, then, when
 * snap is not NULL, a DATA_L3 snapshot of the IPv4 packet's len bytes snap.
 */
static void
freed_as_chosen(struct mbuf *m, const char *why, const guint8 *snap, size_t len)
{
    GPtrArray *frames;
    const MtRecord *r;
    MtFrame *f;

    m_freem(m);
    frames = mt_frames();
    g_assert_cmpuint(frames->len, ==, 1);
    f = g_ptr_array_index(frames, 0);
    g_assert_cmpuint(f->records->len, ==, snap != NULL ? 2 : 1);
    r = mt_record(f, 0, MTRACE_REC_STRING);
    g_assert_cmpmem(r->payload, r->len, why, strlen(why));
    if (snap != NULL) {
        r = mt_record(f, 1, MTRACE_REC_DATA_L3);
        g_assert_cmpuint(r->len, ==, 2 + len);
        g_assert_cmpuint((guint)r->payload[0] << 8 | r->payload[1], ==, 0x0800);
        g_assert_cmpmem(r->payload + 2, len, snap, len);
    }
    g_ptr_array_unref(frames);
}

/* --- Packets --------------------------------------------------------------------- */

#define ETHER_HDR 14

/*
 * An IPv4 packet from src to dst, protocol proto (6 TCP, 17 UDP) with
 * ports 1234 -> dport, after an Ethernet header when ether; into buf,
 * returns its length.
 */
static size_t
ipv4_packet(guint8 *buf, gboolean ether, const char *src, const char *dst, int proto, int dport)
{
    guint8 *ip = buf + (ether ? ETHER_HDR : 0);
    size_t l4 = proto == 6 ? 20 : 8, len = 20 + l4 + 8;
    guint8 *th = ip + 20;

    memset(buf, 0, 2048);
    if (ether) {
        memcpy(buf, "\x02\x00\x00\x00\x00\x01\x02\x00\x00\x00\x00\x02\x08\x00", ETHER_HDR);
    }
    ip[0] = 0x45;
    ip[2] = len >> 8;
    ip[3] = len & 0xff;
    ip[8] = 64;
    ip[9] = proto;
    g_assert_cmpint(inet_pton(AF_INET, src, ip + 12), ==, 1);
    g_assert_cmpint(inet_pton(AF_INET, dst, ip + 16), ==, 1);
    th[0] = 1234 >> 8;
    th[1] = 1234 & 0xff;
    th[2] = dport >> 8;
    th[3] = dport & 0xff;
    if (proto == 6)
        th[12] = 5 << 4;
    return (ether ? ETHER_HDR : 0) + len;
}

/* The same over IPv6. */
static size_t
ipv6_packet(guint8 *buf, gboolean ether, const char *src, const char *dst, int dport)
{
    guint8 *ip = buf + (ether ? ETHER_HDR : 0);
    guint8 *th = ip + 40;

    memset(buf, 0, 2048);
    if (ether) {
        memcpy(buf, "\x02\x00\x00\x00\x00\x01\x02\x00\x00\x00\x00\x02\x86\xdd", ETHER_HDR);
    }
    ip[0] = 0x60;
    ip[5] = 20;
    ip[6] = 6;
    ip[7] = 64;
    g_assert_cmpint(inet_pton(AF_INET6, src, ip + 8), ==, 1);
    g_assert_cmpint(inet_pton(AF_INET6, dst, ip + 24), ==, 1);
    th[0] = 1234 >> 8;
    th[1] = 1234 & 0xff;
    th[2] = dport >> 8;
    th[3] = dport & 0xff;
    th[12] = 5 << 4;
    return (ether ? ETHER_HDR : 0) + 40 + 20;
}

/* buf[len] as a chain of mbufs of at most seg bytes each (0: one mbuf). */
static struct mbuf *
chain(const guint8 *buf, size_t len, size_t seg)
{
    size_t seglen[64], n = 0, off;

    if (seg == 0)
        return kpi_mbuf_chain(buf, len, NULL, 0);
    for (off = 0; off < len; off += seg)
        seglen[n++] = MIN(seg, len - off);
    return kpi_mbuf_chain(buf, len, seglen, n);
}

/* --- Filters --------------------------------------------------------------------- */

/* struct mtrace_filter for expr, as mtracectl makes it; *len its size. */
static struct mtrace_filter *
filter_for(const char *expr, size_t *len)
{
    struct mtrace_filter *f = mt_filter_for(expr, len);

    g_assert_nonnull(f);
    return f;
}

static void
set_filter(const char *expr)
{
    size_t len;
    struct mtrace_filter *f = filter_for(expr, &len);

    g_assert_cmpint(kpi_sysctl_set("net.mbuf_trace.filter", f, len), ==, 0);
    (free)(f);
}

/* The filter's value as read back; *len its size. */
static guint8 *
get_filter(size_t *len)
{
    guint8 *buf = g_malloc0(65536);

    *len = 65536;
    g_assert_cmpint(kpi_sysctl_get("net.mbuf_trace.filter", buf, len), ==, 0);
    return buf;
}

static struct ifnet *
interface(const char *name)
{
    struct ifnet *ifp = if_alloc(IFT_OTHER);

    g_strlcpy(ifp->if_xname, name, sizeof(ifp->if_xname));
    return ifp;
}

/* --- Sources ---------------------------------------------------------------------- */

static void
test_start_points_choose_every_packet_only_while_on(void)
{
    guint8 buf[2048];
    size_t len = ipv4_packet(buf, TRUE, "192.0.2.2", "192.0.2.1", 6, 80);
    struct ifnet *ifp = interface("vtnet0");
    guint64 started;

    sel_reset();
    started = mt_stat("started");
    /* Default: every start point chooses. */
    {
        struct mbuf *m = chain(buf, len, 0);

        mtrace_start_ether(m, ifp);
        g_assert_true(was_traced(m));
    }
    {
        struct mbuf *m = chain(buf + ETHER_HDR, len - ETHER_HDR, 0);

        mtrace_start(m);
        g_assert_true(was_traced(m));
    }
    mt_set("start_points", 0);
    {
        struct mbuf *m = chain(buf, len, 0);

        mtrace_start_ether(m, ifp);
        mtrace_start_proto(m, 0x0800, ifp);
        mtrace_start(m);
        mtrace_enter(m);
        g_assert_false(was_traced(m));
    }
    g_assert_cmpuint(mt_stat("started"), ==, started + 2);
    g_assert_cmpuint(kpi_sysctl_uint("net.mbuf_trace.start_points"), ==, 0);
    if_free(ifp);
}

static void
test_interface_group_mtrace_chooses_its_packets(void)
{
    guint8 buf[2048];
    size_t len = ipv4_packet(buf, TRUE, "192.0.2.2", "192.0.2.1", 6, 80);
    struct ifnet *ifp = interface("vtnet0"), *other = interface("vtnet1");
    struct mbuf *m;

    sel_reset();
    mt_set("start_points", 0);
    /* The groups every interface has, and one named like it: not chosen. */
    g_assert_cmpint(kpi_if_addgroup(ifp, "all"), ==, 0);
    g_assert_cmpint(kpi_if_addgroup(ifp, "vtnet"), ==, 0);
    g_assert_cmpint(kpi_if_addgroup(ifp, "mtrace0"), ==, 0);
    g_assert_cmpint(kpi_if_addgroup(ifp, "mtr"), ==, 0);
    m = chain(buf, len, 0);
    mtrace_start_ether(m, ifp);
    g_assert_false(was_traced(m));

    g_assert_cmpint(kpi_if_addgroup(ifp, "mtrace"), ==, 0);
    m = chain(buf, len, 0);
    mtrace_start_ether(m, ifp);
    g_assert_true(was_traced(m));
    m = chain(buf + ETHER_HDR, len - ETHER_HDR, 0);
    mtrace_start_proto(m, 0x0800, ifp);
    g_assert_true(was_traced(m));
    /* Another interface, no interface, a start point without one: not chosen. */
    m = chain(buf, len, 0);
    mtrace_start_ether(m, other);
    mtrace_start_ether(m, NULL);
    mtrace_start(m);
    g_assert_false(was_traced(m));

    g_assert_cmpint(kpi_if_delgroup(ifp, "mtrace"), ==, 0);
    m = chain(buf, len, 0);
    mtrace_start_ether(m, ifp);
    g_assert_false(was_traced(m));
    if_free(ifp);
    if_free(other);
}

static void
test_socket_with_so_mtrace_starts_its_packets(void)
{
    guint8 buf[2048];
    size_t len = ipv4_packet(buf, FALSE, "192.0.2.1", "192.0.2.2", 6, 80);
    struct socket so = { .so_options = SO_REUSEADDR | SO_KEEPALIVE };
    struct mbuf *m;

    sel_reset();
    /* Not a start point: it starts nothing for a socket without the bit. */
    m = chain(buf, len, 0);
    mtrace_start_socket(m, &so);
    mtrace_start_socket(m, NULL);
    g_assert_false(was_traced(m));

    mt_set("start_points", 0);
    m = chain(buf, len, 0);
    mtrace_start_socket(m, &so);
    mtrace_start(m);
    g_assert_false(was_traced(m));

    so.so_options |= SO_MTRACE;
    m = chain(buf, len, 0);
    mtrace_start_socket(m, &so);
    mtrace_start(m);
    /* No snapshot: where a socket chooses, the stack holds the packet as the wire does not. */
    freed_as_chosen(m, "start: its socket has SO_MTRACE", NULL, 0);
}

static void
test_pf_tag_name_chooses_what_pf_tags_with_it(void)
{
    guint8 buf[2048];
    size_t len = ipv4_packet(buf, FALSE, "192.0.2.2", "192.0.2.1", 6, 80);
    char name[128], longest[64];
    size_t got;
    struct mbuf *m;

    sel_reset();
    mt_set("start_points", 0);
    /* Empty: off. */
    m = chain(buf, len, 0);
    mbuf_trace_pf_tagged(m, "");
    mbuf_trace_pf_tagged(m, "mtrace");
    g_assert_false(was_traced(m));

    g_assert_cmpint(kpi_sysctl_set("net.mbuf_trace.pf_tag", "mtrace", 6), ==, 0);
    got = sizeof(name);
    g_assert_cmpint(kpi_sysctl_get("net.mbuf_trace.pf_tag", name, &got), ==, 0);
    g_assert_cmpstr(name, ==, "mtrace");
    m = chain(buf, len, 0);
    mbuf_trace_pf_tagged(m, "mtrace2");
    mbuf_trace_pf_tagged(m, "mtrac");
    mbuf_trace_pf_tagged(m, "MTRACE");
    mbuf_trace_pf_tagged(m, NULL);
    g_assert_false(was_traced(m));
    m = chain(buf, len, 0);
    mbuf_trace_pf_tagged(m, "mtrace");
    /* Then the packet as pf saw it. */
    freed_as_chosen(m, "start: pf tagged it", buf, len);

    /* pf's names have at most 63 bytes; a longer one is refused, the old kept. */
    memset(longest, 'x', sizeof(longest) - 1);
    longest[sizeof(longest) - 1] = '\0';
    g_assert_cmpint(kpi_sysctl_set("net.mbuf_trace.pf_tag", longest, 63), ==, 0);
    m = chain(buf, len, 0);
    mbuf_trace_pf_tagged(m, longest);
    g_assert_true(was_traced(m));
    memset(name, 'y', 64);
    g_assert_cmpint(kpi_sysctl_set("net.mbuf_trace.pf_tag", name, 64), ==, EINVAL);
    got = sizeof(name);
    g_assert_cmpint(kpi_sysctl_get("net.mbuf_trace.pf_tag", name, &got), ==, 0);
    g_assert_cmpstr(name, ==, longest);

    g_assert_cmpint(kpi_sysctl_set("net.mbuf_trace.pf_tag", "", 0), ==, 0);
    m = chain(buf, len, 0);
    mbuf_trace_pf_tagged(m, "");
    mbuf_trace_pf_tagged(m, longest);
    g_assert_false(was_traced(m));
}

static void
test_chosen_skips_start_points_but_not_the_filter(void)
{
    guint8 buf[2048];
    size_t len = ipv4_packet(buf, TRUE, "192.0.2.2", "192.0.2.1", 17, 53);
    guint64 filtered;
    struct mbuf *m;

    sel_reset();
    mt_set("start_points", 0);
    m = chain(buf, len, 0);
    mtrace_start_chosen(m, MTRACE_L2);
    g_assert_true(was_traced(m));

    set_filter("tcp");
    filtered = mt_stat("filtered");
    m = chain(buf, len, 0);
    mtrace_start_chosen(m, MTRACE_L2);
    g_assert_false(was_traced(m));
    g_assert_cmpuint(mt_stat("filtered"), ==, filtered + 1);
    m = chain(buf + ETHER_HDR, len - ETHER_HDR, 0);
    mtrace_start_chosen(m, 0);
    g_assert_false(was_traced(m));
    g_assert_cmpuint(mt_stat("filtered"), ==, filtered + 2);
}

/* --- The filter ------------------------------------------------------------------- */

/*
 * Packets at an L2 start point (from the Ethernet header) and at L3 ones
 * (from the IP header: mtrace_start(), and mtrace_start_proto() with the
 * ethertype), each in one mbuf and in chains of 7-byte mbufs.
 */
static gboolean
selected(const guint8 *buf, size_t len, gboolean ether, int where, size_t seg)
{
    struct mbuf *m;

    if (ether) {
        m = chain(buf, len, seg);
        mtrace_start_ether(m, NULL);
    } else {
        m = chain(buf, len, seg);
        if (where == 0)
            mtrace_start(m);
        else
            mtrace_start_proto(m, (buf[0] >> 4) == 6 ? 0x86dd : 0x0800, NULL);
    }
    return was_traced(m);
}

static void
assert_selected(gboolean want, const char *what, gboolean v6, const char *src, const char *dst,
                int proto, int dport)
{
    guint8 buf[2048];
    size_t len;
    int l2, where;
    size_t segs[] = { 0, 7 };
    guint s;

    for (l2 = 0; l2 < 2; l2++) {
        len = v6 ? ipv6_packet(buf, l2, src, dst, dport)
                 : ipv4_packet(buf, l2, src, dst, proto, dport);
        for (where = 0; where < (l2 ? 1 : 2); where++) {
            for (s = 0; s < G_N_ELEMENTS(segs); s++) {
                if (selected(buf, len, l2, where, segs[s]) != want)
                    g_error("%s at %s%s, %s: %s, want %s", what, l2 ? "L2" : "L3",
                            l2 ? "" : (where == 0 ? " (mtrace_start)" : " (start_proto)"),
                            segs[s] != 0 ? "7-byte mbufs" : "one mbuf",
                            want ? "not selected" : "selected", want ? "selected" : "not");
            }
        }
    }
}

static void
test_filter_selects_exactly_the_matching_packets_at_l2_and_l3(void)
{
    guint64 filtered;

    sel_reset();
    set_filter("tcp port 80 and host 192.0.2.1");
    filtered = mt_stat("filtered");
    assert_selected(TRUE, "TCP to 192.0.2.1:80", FALSE, "192.0.2.2", "192.0.2.1", 6, 80);
    assert_selected(TRUE, "TCP from 192.0.2.1 to :80", FALSE, "192.0.2.1", "192.0.2.9", 6, 80);
    assert_selected(FALSE, "TCP to 192.0.2.1:81", FALSE, "192.0.2.2", "192.0.2.1", 6, 81);
    assert_selected(FALSE, "TCP to 192.0.2.9:80", FALSE, "192.0.2.2", "192.0.2.9", 6, 80);
    assert_selected(FALSE, "UDP to 192.0.2.1:80", FALSE, "192.0.2.2", "192.0.2.1", 17, 80);
    assert_selected(FALSE, "TCP over IPv6 to :80", TRUE, "2001:db8::2", "2001:db8::1", 6, 80);
    /* 4 rejected packets, 3 start points, 2 chain shapes. */
    g_assert_cmpuint(mt_stat("filtered"), ==, filtered + 4 * 3 * 2);

    set_filter("ip6 and tcp dst port 443");
    assert_selected(TRUE, "TCP over IPv6 to :443", TRUE, "2001:db8::2", "2001:db8::1", 6, 443);
    assert_selected(FALSE, "TCP over IPv6 to :80", TRUE, "2001:db8::2", "2001:db8::1", 6, 80);
    assert_selected(FALSE, "TCP over IPv4 to :443", FALSE, "192.0.2.2", "192.0.2.1", 6, 443);
}

static void
test_filter_passes_a_packet_it_cannot_judge_only_without_a_filter(void)
{
    guint8 arp[28] = { 0, 1, 8, 0, 6, 4, 0, 1 };
    struct mbuf *m;

    sel_reset();
    /* ARP through ether_output: an L3 start point that is not IP. */
    m = kpi_mbuf_chain(arp, sizeof(arp), NULL, 0);
    mtrace_start_proto(m, 0x0806, NULL);
    g_assert_true(was_traced(m));
    set_filter("not tcp");
    m = kpi_mbuf_chain(arp, sizeof(arp), NULL, 0);
    mtrace_start_proto(m, 0x0806, NULL);
    g_assert_false(was_traced(m));
}

static void
test_filter_reads_back_as_written_and_an_empty_one_clears_it(void)
{
    guint8 buf[2048], *got;
    size_t len = ipv4_packet(buf, TRUE, "192.0.2.2", "192.0.2.1", 17, 53), flen, glen;
    struct mtrace_filter *f, empty = { .mf_text = "nothing" };
    struct mbuf *m;

    sel_reset();
    got = get_filter(&glen);
    g_assert_cmpuint(glen, ==, 0);
    g_free(got);

    f = filter_for("tcp", &flen);
    g_assert_cmpint(kpi_sysctl_set("net.mbuf_trace.filter", f, flen), ==, 0);
    got = get_filter(&glen);
    g_assert_cmpmem(got, glen, f, flen);
    g_free(got);
    m = chain(buf, len, 0);
    mtrace_start_ether(m, NULL);
    g_assert_false(was_traced(m));

    /* Two programs of no instructions: no filter. */
    g_assert_cmpint(kpi_sysctl_set("net.mbuf_trace.filter", &empty, sizeof(empty)), ==, 0);
    got = get_filter(&glen);
    g_assert_cmpuint(glen, ==, 0);
    g_free(got);
    m = chain(buf, len, 0);
    mtrace_start_ether(m, NULL);
    g_assert_true(was_traced(m));

    /* No bytes: no filter. */
    g_assert_cmpint(kpi_sysctl_set("net.mbuf_trace.filter", f, flen), ==, 0);
    g_assert_cmpint(kpi_sysctl_set("net.mbuf_trace.filter", "", 0), ==, 0);
    got = get_filter(&glen);
    g_assert_cmpuint(glen, ==, 0);
    g_free(got);
    m = chain(buf, len, 0);
    mtrace_start_ether(m, NULL);
    g_assert_true(was_traced(m));
    (free)(f);
}

/* Write bad, of len bytes: EINVAL, and the filter is still "tcp". */
static void
assert_refused(const char *what, const void *bad, size_t len, const struct mtrace_filter *old,
               size_t oldlen)
{
    guint8 buf[2048], *got;
    size_t plen = ipv4_packet(buf, TRUE, "192.0.2.2", "192.0.2.1", 17, 53), glen;
    struct mbuf *m;

    if (kpi_sysctl_set("net.mbuf_trace.filter", bad, len) != EINVAL)
        g_error("%s: not refused with EINVAL", what);
    got = get_filter(&glen);
    g_assert_cmpmem(got, glen, old, oldlen);
    g_free(got);
    m = chain(buf, plen, 0);
    mtrace_start_ether(m, NULL);
    g_assert_false(was_traced(m));
}

static void
test_invalid_filters_are_refused_and_the_old_one_stays(void)
{
    size_t oldlen, len;
    struct mtrace_filter *old = filter_for("tcp", &oldlen), *bad;
    const struct bpf_insn ret = BPF_STMT(BPF_RET | BPF_K, 65535);
    guint i;

    sel_reset();
    g_assert_cmpint(kpi_sysctl_set("net.mbuf_trace.filter", old, oldlen), ==, 0);

    /* A jump past the end of the Ethernet program. */
    bad = g_memdup2(old, oldlen);
    bad->mf_insns[0] = (struct bpf_insn)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 200, 0);
    assert_refused("bad jump", bad, oldlen, old, oldlen);
    g_free(bad);

    /* A jump out of the IP program, into nothing (its last jump, lengthened). */
    bad = g_memdup2(old, oldlen);
    bad->mf_insns[bad->mf_ether_len] =
        (struct bpf_insn)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, bad->mf_ip_len, 0);
    assert_refused("bad jump in the IP program", bad, oldlen, old, oldlen);
    g_free(bad);

    /* A program that does not end with a return. */
    bad = g_memdup2(old, oldlen);
    bad->mf_insns[bad->mf_ether_len - 1] = (struct bpf_insn)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0);
    assert_refused("no return", bad, oldlen, old, oldlen);
    g_free(bad);

    /*
     * Opcodes FreeBSD's interpreter does not know, of a known class: a
     * return with neither K nor A (libpcap's own bpf_validate() takes it,
     * and its bpf_filter() aborts on it), and a code above 0xff.
     */
    bad = g_memdup2(old, oldlen);
    bad->mf_insns[bad->mf_ether_len - 1].code = BPF_RET | 0x18;
    assert_refused("a return of neither K nor A", bad, oldlen, old, oldlen);
    bad->mf_insns[bad->mf_ether_len - 1].code = 0x9e9e;
    assert_refused("an opcode above 0xff", bad, oldlen, old, oldlen);
    g_free(bad);
    /* A division by a constant 0, and scratch memory past its end. */
    bad = g_memdup2(old, oldlen);
    bad->mf_insns[0] = (struct bpf_insn)BPF_STMT(BPF_ALU | BPF_DIV | BPF_K, 0);
    assert_refused("division by a constant 0", bad, oldlen, old, oldlen);
    bad->mf_insns[0] = (struct bpf_insn)BPF_STMT(BPF_ST, BPF_MEMWORDS);
    assert_refused("scratch memory past its end", bad, oldlen, old, oldlen);
    g_free(bad);

    /* Longer than BPF_MAXINSNS, with as many instructions as it says. */
    len = sizeof(*bad) + (BPF_MAXINSNS + 1 + 1) * sizeof(struct bpf_insn);
    bad = g_malloc0(len);
    bad->mf_ether_len = BPF_MAXINSNS + 1;
    bad->mf_ip_len = 1;
    for (i = 0; i < BPF_MAXINSNS + 2; i++)
        bad->mf_insns[i] = ret;
    assert_refused("too long", bad, len, old, oldlen);
    /* BPF_MAXINSNS itself is fine (and then "tcp" again). */
    bad->mf_ether_len = BPF_MAXINSNS;
    bad->mf_ip_len = 2;
    g_assert_cmpint(kpi_sysctl_set("net.mbuf_trace.filter", bad, len), ==, 0);
    g_assert_cmpint(kpi_sysctl_set("net.mbuf_trace.filter", old, oldlen), ==, 0);
    g_free(bad);

    /* Lengths that do not match the bytes written, either way. */
    bad = g_memdup2(old, oldlen);
    bad->mf_ip_len++;
    assert_refused("one instruction more than written", bad, oldlen, old, oldlen);
    bad->mf_ip_len -= 2;
    assert_refused("one instruction less than written", bad, oldlen, old, oldlen);
    g_free(bad);
    bad = g_malloc0(oldlen + 4);
    memcpy(bad, old, oldlen);
    assert_refused("half an instruction more", bad, oldlen + 4, old, oldlen);
    g_free(bad);
    assert_refused("shorter than the header", old, sizeof(*old) - 1, old, oldlen);
    (free)(old);
}

/* --- Switching mid-stream ------------------------------------------------------- */

static void
test_switching_selection_mid_stream_loses_nothing_and_leaks_nothing(void)
{
    guint8 buf[2048];
    size_t len = ipv4_packet(buf, TRUE, "192.0.2.2", "192.0.2.1", 6, 80);
    struct ifnet *ifp = interface("vtnet0");
    struct mbuf *inflight[64];
    guint64 started, emitted;
    GPtrArray *frames;
    guint i, n = 0, round;

    sel_reset();
    started = mt_stat("started");
    emitted = mt_stat("emitted");
    /*
     * Each round starts packets, records on them, switches a selection
     * setting while they are in flight, records again, and frees half of
     * them; every trace must come out whole.
     */
    for (round = 0; round < 16; round++) {
        for (i = 0; i < 4; i++) {
            struct mbuf *m = chain(buf, len, round % 2 == 0 ? 0 : 13);

            mtrace_start_ether(m, ifp);
            mtrace_enter(m);
            inflight[n++] = m;
        }
        switch (round % 8) {
            case 0:
                set_filter("udp");
                break;
            case 1:
                mt_set("start_points", 0);
                break;
            case 2:
                g_assert_cmpint(kpi_if_addgroup(ifp, "mtrace"), ==, 0);
                break;
            case 3:
                g_assert_cmpint(kpi_sysctl_set("net.mbuf_trace.filter", "", 0), ==, 0);
                break;
            case 4:
                g_assert_cmpint(kpi_if_delgroup(ifp, "mtrace"), ==, 0);
                g_assert_cmpint(kpi_sysctl_set("net.mbuf_trace.pf_tag", "mtrace", 6), ==, 0);
                break;
            case 5:
                mt_set("start_anywhere", 1);
                mt_set("source_position", 1);
                break;
            case 6:
                mt_set("start_anywhere", 0);
                set_filter("tcp port 80");
                break;
            default:
                mt_set("start_points", 1);
                mt_set("source_position", 0);
                g_assert_cmpint(kpi_sysctl_set("net.mbuf_trace.pf_tag", "", 0), ==, 0);
                break;
        }
        for (i = 0; i < n; i++) {
            mbuf_trace_pf_tagged(inflight[i], "mtrace");
            mtrace(inflight[i], "after the switch");
        }
        while (n > round % 3) {
            m_freem(inflight[--n]);
        }
    }
    while (n > 0)
        m_freem(inflight[--n]);
    frames = mt_frames();
    g_assert_cmpuint(mt_stat("emitted") - emitted, ==, mt_stat("started") - started);
    g_assert_cmpuint(frames->len, ==, mt_stat("started") - started);
    for (i = 0; i < frames->len; i++) {
        const MtFrame *f = g_ptr_array_index(frames, i);
        guint r, after = 0;

        g_assert_cmpuint(mt_lost(f), ==, 0);
        for (r = 0; r < f->records->len; r++) {
            const MtRecord *rec = &g_array_index(f->records, MtRecord, r);

            if (rec->len >= 16 && memcmp(rec->payload + rec->len - 16, "after the switch", 16) == 0)
                after++;
        }
        /* Every traced packet got the record made after the switch. */
        g_assert_cmpuint(after, >=, 1);
    }
    g_ptr_array_unref(frames);
    g_assert_cmpint(kpi_mbuf_outstanding(), ==, 0);
    sel_reset();
    if_free(ifp);
}

/* --- The deployed switches ------------------------------------------------------- */

static void
test_source_position_writes_file_line_text(void)
{
    struct mbuf *m;
    GPtrArray *frames;
    MtFrame *f;
    char *want;
    int line, enter_line;

    sel_reset();
    mt_set("source_position", 1);
    m = mt_packet(60, NULL, 0);
    mtrace_start(m);
    line = __LINE__ + 1;
    mtrace(m, "drop: bad checksum");
    mtrace_printf(m, "ttl %d", 7);
    mtrace_dynamic(m, "copied");
    mtrace_static_length(m, "static text", 6);
    mtrace_dynamic_length(m, "dynamic text", 7);
    /* As the kernel's builds spell __FILE__, shortened as locations are. */
    mbuf_trace_string(m, NULL, "/usr/src/sys/netinet/ip_input.c", 512, "abs", 3);
    mbuf_trace_string_copy(m, NULL, "../../../netinet/tcp_input.c", 77, "rel", 3);
    mbuf_trace_printf(m, NULL, "../../../netinet6/ip6_output.c", 1184, "%s", "printf");
    enter_line = __LINE__ + 1;
    mtrace_enter(m);
    mt_set("source_position", 0);
    mtrace(m, "plain again");
    mtrace_printf(m, "plain %d", 2);
    m_freem(m);
    f = mt_one_frame(&frames);
    g_assert_cmpuint(f->records->len, ==, 11);
    want = g_strdup_printf("%s:%d: drop: bad checksum", __FILE__, line);
    mt_assert_string(f, 0, MTRACE_REC_STRING, want);
    g_free(want);
    want = g_strdup_printf("%s:%d: ttl 7", __FILE__, line + 1);
    mt_assert_string(f, 1, MTRACE_REC_STRING_DYNAMIC, want);
    g_free(want);
    want = g_strdup_printf("%s:%d: copied", __FILE__, line + 2);
    mt_assert_string(f, 2, MTRACE_REC_STRING_DYNAMIC, want);
    g_free(want);
    want = g_strdup_printf("%s:%d: static", __FILE__, line + 3);
    mt_assert_string(f, 3, MTRACE_REC_STRING, want);
    g_free(want);
    want = g_strdup_printf("%s:%d: dynamic", __FILE__, line + 4);
    mt_assert_string(f, 4, MTRACE_REC_STRING_DYNAMIC, want);
    g_free(want);
    mt_assert_string(f, 5, MTRACE_REC_STRING, "sys/netinet/ip_input.c:512: abs");
    mt_assert_string(f, 6, MTRACE_REC_STRING_DYNAMIC, "sys/netinet/tcp_input.c:77: rel");
    mt_assert_string(f, 7, MTRACE_REC_STRING_DYNAMIC, "sys/netinet6/ip6_output.c:1184: printf");
    want = g_strdup_printf("%s:%d: +%s", __FILE__, enter_line, __func__);
    mt_assert_string(f, 8, MTRACE_REC_STRING, want);
    g_free(want);
    mt_assert_string(f, 9, MTRACE_REC_STRING, "plain again");
    mt_assert_string(f, 10, MTRACE_REC_STRING_DYNAMIC, "plain 2");
    g_ptr_array_unref(frames);
}

static void
test_source_position_strings_fill_and_grow_the_trace(void)
{
    struct mbuf *m;
    GPtrArray *frames;
    MtFrame *f;
    char text[600], *want;
    guint i;

    sel_reset();
    mt_set("source_position", 1);
    memset(text, 'a', sizeof(text) - 1);
    text[sizeof(text) - 1] = '\0';
    m = mt_packet(60, NULL, 0);
    mtrace_start(m);
    /* Past the first 256 bytes of the trace: printf formats again after growing. */
    for (i = 0; i < 3; i++)
        mbuf_trace_printf(m, NULL, "sys/x.c", (int)i, "%s", text);
    m_freem(m);
    f = mt_one_frame(&frames);
    g_assert_cmpuint(f->records->len, ==, 3);
    for (i = 0; i < 3; i++) {
        want = g_strdup_printf("sys/x.c:%u: %s", i, text);
        mt_assert_string(f, i, MTRACE_REC_STRING_DYNAMIC, want);
        g_free(want);
    }
    g_ptr_array_unref(frames);
}

static void
test_start_anywhere_traces_a_packet_that_passed_no_start_point(void)
{
    struct mbuf *m;
    GPtrArray *frames;
    MtFrame *f;
    guint8 buf[2048];
    size_t len = ipv4_packet(buf, FALSE, "192.0.2.2", "192.0.2.1", 6, 80);
    guint64 started;

    sel_reset();
    mt_set("start_points", 0);
    m = chain(buf, len, 0);
    mtrace_enter(m);
    g_assert_false(was_traced(m));

    mt_set("start_anywhere", 1);
    /* Set twice, counted once: one VNET has it on. */
    mt_set("start_anywhere", 1);
    g_assert_cmpuint(mbuf_trace_anywhere, ==, 1);
    started = mt_stat("started");
    m = chain(buf, len, 0);
    mtrace_end(m); /* ending starts nothing */
    mtrace_enter(m);
    mtrace(m, "no start point");
    m_freem(m);
    f = mt_one_frame(&frames);
    g_assert_cmpuint(f->records->len, ==, 2);
    mt_assert_string(f, 1, MTRACE_REC_STRING, "no start point");
    g_ptr_array_unref(frames);
    g_assert_cmpuint(mt_stat("started"), ==, started + 1);
    /* Start points choose too, as every call does. */
    m = chain(buf, len, 0);
    mtrace_start(m);
    g_assert_true(was_traced(m));

    /* The filter still applies: the IP program, or the snapshot's layer. */
    set_filter("udp");
    m = chain(buf, len, 0);
    mtrace_enter(m);
    mtrace_data_proto(m, 0x0800);
    g_assert_false(was_traced(m));
    len = ipv4_packet(buf, FALSE, "192.0.2.2", "192.0.2.1", 17, 53);
    m = chain(buf, len, 0);
    mtrace_enter(m);
    g_assert_true(was_traced(m));
    len = ipv4_packet(buf, TRUE, "192.0.2.2", "192.0.2.1", 17, 53);
    m = chain(buf, len, 0);
    mtrace_data(m);
    g_assert_true(was_traced(m));

    /* Nobody listening: nothing. */
    mt_listen(false);
    m = chain(buf, len, 0);
    mtrace_data(m);
    mt_listen(true);
    g_assert_false(was_traced(m));

    mt_set("start_anywhere", 0);
    g_assert_cmpuint(mbuf_trace_anywhere, ==, 0);
    m = chain(buf, len, 0);
    mtrace_data(m);
    g_assert_false(was_traced(m));

    /* A VNET that ends takes its start_anywhere with it. */
    mt_set("start_anywhere", 1);
    mt_listen(false);
    kpi_vnet_destroy();
    g_assert_cmpuint(mbuf_trace_anywhere, ==, 0);
    kpi_vnet_create();
    mt_listen(true);
    sel_reset();
}

int
main(int argc, char **argv)
{
    mt_init(&argc, &argv);
    mt_add("start_points_choose_every_packet_only_while_on",
           test_start_points_choose_every_packet_only_while_on);
    mt_add("interface_group_mtrace_chooses_its_packets",
           test_interface_group_mtrace_chooses_its_packets);
    mt_add("socket_with_so_mtrace_starts_its_packets",
           test_socket_with_so_mtrace_starts_its_packets);
    mt_add("pf_tag_name_chooses_what_pf_tags_with_it",
           test_pf_tag_name_chooses_what_pf_tags_with_it);
    mt_add("chosen_skips_start_points_but_not_the_filter",
           test_chosen_skips_start_points_but_not_the_filter);
    mt_add("filter_selects_exactly_the_matching_packets_at_l2_and_l3",
           test_filter_selects_exactly_the_matching_packets_at_l2_and_l3);
    mt_add("filter_passes_a_packet_it_cannot_judge_only_without_a_filter",
           test_filter_passes_a_packet_it_cannot_judge_only_without_a_filter);
    mt_add("filter_reads_back_as_written_and_an_empty_one_clears_it",
           test_filter_reads_back_as_written_and_an_empty_one_clears_it);
    mt_add("invalid_filters_are_refused_and_the_old_one_stays",
           test_invalid_filters_are_refused_and_the_old_one_stays);
    mt_add("switching_selection_mid_stream_loses_nothing_and_leaks_nothing",
           test_switching_selection_mid_stream_loses_nothing_and_leaks_nothing);
    mt_add("source_position_writes_file_line_text", test_source_position_writes_file_line_text);
    mt_add("source_position_strings_fill_and_grow_the_trace",
           test_source_position_strings_fill_and_grow_the_trace);
    mt_add("start_anywhere_traces_a_packet_that_passed_no_start_point",
           test_start_anywhere_traces_a_packet_that_passed_no_start_point);
    return g_test_run();
}
