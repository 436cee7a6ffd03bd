/*
 * What became of a packet: every fate macro's FATE record, byte for byte,
 * and the FREE record of where its trace ended, on the stand-ins of
 * stack(9), the kernel linker and curthread.
 */
#include "mt_test.h"

#include <sys/endian.h>
#include <net/ethernet.h>
#include <net/if_var.h>
#include <netinet/in_pcb.h>

#include <pthread.h>
#include <unistd.h>

static struct mbuf *
traced(void)
{
    struct mbuf *m;

    mt_reset();
    m = mt_packet(60, NULL, 0);
    mtrace_start(m);
    return m;
}

/* Record i's value, and whether the flags say it has one. */
static guint32
fate_value(const MtFrame *f, guint i, gboolean *has_value)
{
    const MtRecord *r = mt_record(f, i, MTRACE_REC_FATE);

    *has_value = (r->payload[1] & MTRACE_FATE_VALUE) != 0;
    return be32dec(r->payload + 4);
}

static void
assert_fate(const MtFrame *f, guint i, guint fate, guint reason, gboolean has_value, guint32 value,
            const char *detail)
{
    char *got = mt_fate(f, i, fate, reason);
    gboolean got_has;

    g_assert_cmpstr(got, ==, detail);
    g_assert_cmpuint(fate_value(f, i, &got_has), ==, value);
    g_assert_cmpint(got_has, ==, has_value);
    g_free(got);
}

/*
 * Freed here, by a function the stand-in linker can name (an exported
 * one: dladdr(3) knows no static function).
 */
__attribute__((__noinline__)) void test_fates_drop_it(struct mbuf *m);
__attribute__((__noinline__)) void
test_fates_drop_it(struct mbuf *m)
{
    m_freem(m);
    __asm__ __volatile__("" ::: "memory"); /* not a tail call */
}

static void
test_drop_records_its_reason(void)
{
    struct mbuf *m = traced();
    GPtrArray *frames;
    MtFrame *f;

    mtrace_drop(m, PF_MEMORY);
    mtrace_drop_why(m, PF_SHORT, "shorter than its TCP header");
    mtrace_drop_value(m, PF_NORM, 65);
    m_freem(m);
    f = mt_one_frame(&frames);
    g_assert_cmpuint(f->records->len, ==, 3);
    assert_fate(f, 0, MTRACE_FATE_DROPPED, MTRACE_R_PF_MEMORY, FALSE, 0, "");
    assert_fate(f, 1, MTRACE_FATE_DROPPED, MTRACE_R_PF_SHORT, FALSE, 0,
                "shorter than its TCP header");
    assert_fate(f, 2, MTRACE_FATE_DROPPED, MTRACE_R_PF_NORM, TRUE, 65, "");
    g_ptr_array_unref(frames);
}

static void
test_pf_drop_records_the_rule_and_its_label(void)
{
    char label[100];
    struct mbuf *m = traced();
    GPtrArray *frames;
    MtFrame *f;
    char *want;

    /* pf's labels are 64 bytes; a longer text is cut there. */
    memset(label, 'l', sizeof(label) - 1);
    label[sizeof(label) - 1] = '\0';
    mtrace_drop_pf(m, 10 /* PFRES_BADSTATE */, 3, "block-telnet");
    mtrace_drop_pf(m, 0 /* PFRES_MATCH */, UINT32_MAX, "");
    mtrace_drop_pf(m, 5 /* PFRES_MEMORY */, 7, label);
    m_freem(m);
    f = mt_one_frame(&frames);
    assert_fate(f, 0, MTRACE_FATE_DROPPED, MTRACE_R_PF_BADSTATE, TRUE, 3, "block-telnet");
    assert_fate(f, 1, MTRACE_FATE_DROPPED, MTRACE_R_PF_MATCH, TRUE, UINT32_MAX, "");
    want = g_strnfill(64, 'l');
    assert_fate(f, 2, MTRACE_FATE_DROPPED, MTRACE_R_PF_MEMORY, TRUE, 7, want);
    g_free(want);
    g_ptr_array_unref(frames);
}

/* A default drop says why only where nothing on the way did. */
static void
test_default_drop_is_recorded_only_after_no_drop(void)
{
    struct mbuf *m = traced();
    GPtrArray *frames;
    MtFrame *f;

    mtrace_drop_default(m, PF_CONGEST, 55); /* nothing before: kept */
    mtrace_drop(m, PF_MEMORY);
    mtrace_drop_default(m, PF_CONGEST, 55); /* after a drop: skipped */
    mtrace_fate_value(m, ICMP_ERROR, 3 << 8 | 1);
    mtrace_drop_default(m, PF_CONGEST, 65); /* after another fate: kept */
    m_freem(m);
    f = mt_one_frame(&frames);
    g_assert_cmpuint(f->records->len, ==, 4);
    assert_fate(f, 0, MTRACE_FATE_DROPPED, MTRACE_R_PF_CONGEST, TRUE, 55, "");
    assert_fate(f, 1, MTRACE_FATE_DROPPED, MTRACE_R_PF_MEMORY, FALSE, 0, "");
    assert_fate(f, 2, MTRACE_FATE_CONSUMED, MTRACE_R_ICMP_ERROR, TRUE, 3 << 8 | 1, "");
    assert_fate(f, 3, MTRACE_FATE_DROPPED, MTRACE_R_PF_CONGEST, TRUE, 65, "");
    g_ptr_array_unref(frames);
}

/*
 * A packet dropped before any snapshot shows its bytes: one snapshot of the
 * IP header it begins with, before the FATE record; never a second one,
 * never for another fate, never bytes the start point says are not IP.
 */
static void
test_drop_before_any_snapshot_snapshots_the_ip_packet(void)
{
    static const guint8 ip4[28] = { 0x45, 0, 0, 28, [8] = 64, [9] = 17 };
    static const guint8 ip6[48] = { 0x60, [4] = 0, 8, 17, 64 };
    struct mbuf *m;
    GPtrArray *frames;
    MtFrame *f;

    /* Sent by this host (ip_output(): the start point says no more). */
    mt_reset();
    m = kpi_mbuf_chain(ip4, sizeof(ip4), NULL, 0);
    mtrace_start(m);
    mtrace_drop(m, IP_NOROUTE);
    mtrace_drop(m, IP_CANTFRAG);
    m_freem(m);
    f = mt_one_frame(&frames);
    g_assert_cmpuint(f->records->len, ==, 3);
    mt_assert_data(f, 0, ETHERTYPE_IP, ip4, sizeof(ip4));
    assert_fate(f, 1, MTRACE_FATE_DROPPED, MTRACE_R_IP_NOROUTE, FALSE, 0, "");
    assert_fate(f, 2, MTRACE_FATE_DROPPED, MTRACE_R_IP_CANTFRAG, FALSE, 0, "");
    g_ptr_array_unref(frames);

    /* IPv6, said by the start point; a snapshot taken on the way stays the only one. */
    m = kpi_mbuf_chain(ip6, sizeof(ip6), NULL, 0);
    mtrace_start_proto(m, ETHERTYPE_IPV6, NULL);
    mtrace_drop(m, IP6_NOROUTE);
    m_freem(m);
    f = mt_one_frame(&frames);
    g_assert_cmpuint(f->records->len, ==, 2);
    mt_assert_data(f, 0, ETHERTYPE_IPV6, ip6, sizeof(ip6));
    g_ptr_array_unref(frames);
    m = kpi_mbuf_chain(ip6, sizeof(ip6), NULL, 0);
    mtrace_start(m);
    mtrace_data_proto(m, ETHERTYPE_IPV6);
    mtrace_drop(m, IP6_NOROUTE);
    m_freem(m);
    f = mt_one_frame(&frames);
    g_assert_cmpuint(f->records->len, ==, 2);
    mt_record(f, 1, MTRACE_REC_FATE);
    g_ptr_array_unref(frames);

    /* Bytes the start point says are IPv6 but begin as IPv4; a delivery. */
    m = kpi_mbuf_chain(ip4, sizeof(ip4), NULL, 0);
    mtrace_start_proto(m, ETHERTYPE_IPV6, NULL);
    mtrace_drop(m, IP6_NOROUTE);
    m_freem(m);
    f = mt_one_frame(&frames);
    g_assert_cmpuint(f->records->len, ==, 1);
    g_ptr_array_unref(frames);
    m = kpi_mbuf_chain(ip4, sizeof(ip4), NULL, 0);
    mtrace_start(m);
    mtrace_fate(m, REASSEMBLED);
    m_freem(m);
    f = mt_one_frame(&frames);
    g_assert_cmpuint(f->records->len, ==, 1);
    g_ptr_array_unref(frames);
}

/*
 * An inpcb of these endpoints, as FreeBSD makes it: the version in
 * inp_vflag, INC_ISIPV6 set by TCP alone (tcp6_usr_attach()), not by UDP
 * or raw IPv6 sockets.
 */
static struct inpcb
pcb(bool v6, bool tcp, const char *laddr, uint16_t lport, const char *faddr, uint16_t fport)
{
    struct inpcb inp = { .inp_vflag = v6 ? INP_IPV6 : INP_IPV4 };
    struct in_conninfo *inc = &inp.inp_inc;

    inc->inc_flags = v6 && tcp ? INC_ISIPV6 : 0;
    g_assert_cmpint(inet_pton(v6 ? AF_INET6 : AF_INET, laddr,
                              v6 ? (void *)&inc->inc6_laddr : (void *)&inc->inc_laddr),
                    ==, 1);
    g_assert_cmpint(inet_pton(v6 ? AF_INET6 : AF_INET, faddr,
                              v6 ? (void *)&inc->inc6_faddr : (void *)&inc->inc_faddr),
                    ==, 1);
    inc->inc_lport = htons(lport);
    inc->inc_fport = htons(fport);
    return inp;
}

/* The socket as sockstat names it: protocol, local and foreign end. */
static void
test_deliver_names_the_socket_by_its_endpoints(void)
{
    struct inpcb udp = pcb(false, false, "192.0.2.1", 7104, "192.0.2.2", 51000);
    struct inpcb any = pcb(false, false, "0.0.0.0", 7002, "0.0.0.0", 0);
    struct inpcb tcp6 = pcb(true, true, "2001:db8::1", 7000, "2001:db8::2", 49152);
    struct inpcb raw6 = pcb(true, false, "::", 0, "::", 0);
    /* ping -6's socket, connected: IPv6 without INC_ISIPV6. */
    struct inpcb ping6 = pcb(true, false, "2001:db8::1", 0, "2001:db8::2", 0);
    struct mbuf *m = traced();
    GPtrArray *frames;
    MtFrame *f;

    mtrace_deliver(m, &udp, IPPROTO_UDP);
    mtrace_deliver(m, &any, IPPROTO_UDP);
    mtrace_deliver(m, &tcp6, IPPROTO_TCP);
    mtrace_deliver(m, &raw6, IPPROTO_ICMPV6);
    mtrace_deliver(m, &ping6, IPPROTO_ICMPV6);
    m_freem(m);
    f = mt_one_frame(&frames);
    assert_fate(f, 0, MTRACE_FATE_DELIVERED, MTRACE_R_SOCKET, TRUE, IPPROTO_UDP,
                "udp 192.0.2.1:7104 < 192.0.2.2:51000");
    assert_fate(f, 1, MTRACE_FATE_DELIVERED, MTRACE_R_SOCKET, TRUE, IPPROTO_UDP, "udp *:7002");
    assert_fate(f, 2, MTRACE_FATE_DELIVERED, MTRACE_R_SOCKET, TRUE, IPPROTO_TCP,
                "tcp [2001:db8::1]:7000 < [2001:db8::2]:49152");
    assert_fate(f, 3, MTRACE_FATE_DELIVERED, MTRACE_R_SOCKET, TRUE, IPPROTO_ICMPV6, "proto 58 *:0");
    assert_fate(f, 4, MTRACE_FATE_DELIVERED, MTRACE_R_SOCKET, TRUE, IPPROTO_ICMPV6,
                "proto 58 [2001:db8::1]:0 < [2001:db8::2]:0");
    g_ptr_array_unref(frames);
}

/* The driver frees a sent packet when it pleases: the trace ends at once. */
static void
test_sent_ends_the_trace_with_the_interface(void)
{
    struct mbuf *m = traced();
    GPtrArray *frames;
    MtFrame *f;

    mtrace(m, "before");
    mtrace_sent(m, kpi_ifunit("mbuf_trace"));
    f = mt_one_frame(&frames);
    g_assert_cmpuint(f->records->len, ==, 2);
    assert_fate(f, 1, MTRACE_FATE_SENT, MTRACE_R_SENT, FALSE, 0, "mbuf_trace");
    g_ptr_array_unref(frames);
    /* The packet goes on untraced. */
    mtrace(m, "after");
    m_freem(m);
    frames = mt_frames();
    g_assert_cmpuint(frames->len, ==, 0);
    g_ptr_array_unref(frames);
}

static void
test_fate_of_an_untraced_packet_records_nothing(void)
{
    struct mbuf *m;
    GPtrArray *frames;
    guint64 started;

    mt_reset();
    started = mt_stat("started");
    m = mt_packet(60, NULL, 0);
    mtrace_drop(m, PF_MEMORY);
    mtrace_sent(m, kpi_ifunit("mbuf_trace"));
    m_freem(m);
    frames = mt_frames();
    g_assert_cmpuint(frames->len, ==, 0);
    g_assert_cmpuint(mt_stat("started"), ==, started);
    g_ptr_array_unref(frames);
}

/*
 * The free site: the function that freed the packet first, the mbuf and
 * tag code left out, each frame "function+0xoffset"; the thread and its
 * process.
 */
static void
test_free_site_names_the_function_that_freed_the_packet(void)
{
    struct mbuf *m = traced();
    GPtrArray *frames;
    MtFrame *f;
    char *site, *thread;
    char **frame;

    test_fates_drop_it(m);
    f = mt_one_frame(&frames);
    site = mt_free_frames(f);
    g_assert_true(g_str_has_prefix(site, "test_fates_drop_it+0x"));
    frame = g_strsplit(site, " < ", -1);
    g_assert_cmpuint(g_strv_length(frame), >=, 2);
    g_assert_cmpuint(g_strv_length(frame), <=, 6);
    g_assert_cmpuint(mt_free_pid(f), ==, getpid());
    g_assert_cmpuint(f->free.payload[4], ==, MTRACE_FREE_USER);
    thread = mt_free_thread(f);
    g_assert_cmpstr(thread, !=, "");
    g_strfreev(frame);
    g_free(thread);
    g_free(site);
    g_ptr_array_unref(frames);
}

static void *
free_in_kernel_thread(void *arg)
{
    kpi_thread_is_kernel("swi1: netisr 0");
    test_fates_drop_it(arg);
    return NULL;
}

static void
test_free_site_says_a_kernel_thread_is_no_user_process(void)
{
    struct mbuf *m = traced();
    GPtrArray *frames;
    pthread_t td;
    MtFrame *f;
    char *thread;

    g_assert_cmpint(pthread_create(&td, NULL, free_in_kernel_thread, m), ==, 0);
    g_assert_cmpint(pthread_join(td, NULL), ==, 0);
    f = mt_one_frame(&frames);
    g_assert_cmpuint(mt_free_pid(f), ==, 0);
    g_assert_cmpuint(f->free.payload[4], ==, 0);
    thread = mt_free_thread(f);
    g_assert_cmpstr(thread, ==, "swi1: netisr 0");
    g_free(thread);
    g_ptr_array_unref(frames);
}

static void
test_free_site_is_off_with_free_site_0(void)
{
    struct mbuf *m = traced();
    GPtrArray *frames;
    MtFrame *f;

    mt_set("free_site", 0);
    test_fates_drop_it(m);
    f = mt_one_frame(&frames);
    g_assert_false(f->has_free);
    g_ptr_array_unref(frames);
}

/*
 * The kernel linker scans its whole symbol table for each address: a free
 * site seen before is named from the emit task's cache, until a module is
 * unloaded.
 */
static void
test_free_site_symbols_are_looked_up_once(void)
{
    GPtrArray *frames;
    long before, first;
    int i;

    mt_reset();
    kpi_kld_unload();
    before = kpi_linker_lookups();
    for (i = 0; i < 50; i++) {
        struct mbuf *m = mt_packet(60, NULL, 0);

        mtrace_start(m);
        test_fates_drop_it(m);
        if (i == 0) {
            g_ptr_array_unref(mt_frames());
            first = kpi_linker_lookups() - before;
            g_assert_cmpint(first, >, 0);
        }
    }
    g_ptr_array_unref(mt_frames());
    g_assert_cmpint(kpi_linker_lookups() - before, ==, first);
    kpi_kld_unload();
    test_fates_drop_it(traced());
    frames = mt_frames();
    g_assert_cmpint(kpi_linker_lookups() - before, ==, 2 * first);
    g_ptr_array_unref(frames);
}

/* A long trace keeps its FREE record: the frame keeps room for it. */
static void
test_full_frame_keeps_room_for_the_free_site(void)
{
    static char text[60000];
    struct mbuf *m = traced();
    GPtrArray *frames;
    MtFrame *f;
    char *site;

    memset(text, 'x', sizeof(text));
    mt_set("trace_max", 65344);
    mtrace_static_length(m, text, sizeof(text));
    mtrace_static_length(m, text, 5400);
    test_fates_drop_it(m);
    f = mt_one_frame(&frames);
    g_assert_cmpuint(mt_lost(f), ==, 1);
    site = mt_free_frames(f);
    g_assert_true(g_str_has_prefix(site, "test_fates_drop_it+0x"));
    g_free(site);
    g_ptr_array_unref(frames);
}

static void
test_ddb_shows_the_fate(void)
{
    struct mbuf *m = traced();
    const char *out;

    mtrace_drop_pf(m, 10 /* PFRES_BADSTATE */, 3, "block-telnet");
    out = kpi_db_show("mtrace", m, true);
    g_assert_nonnull(strstr(out, "  fate dropped PF_BADSTATE 3 \"block-telnet\"\n"));
    m_freem(m);
    g_ptr_array_unref(mt_frames());
}

int
main(int argc, char **argv)
{
    mt_init(&argc, &argv);
    mt_add("drop_records_its_reason", test_drop_records_its_reason);
    mt_add("pf_drop_records_the_rule_and_its_label", test_pf_drop_records_the_rule_and_its_label);
    mt_add("default_drop_is_recorded_only_after_no_drop",
           test_default_drop_is_recorded_only_after_no_drop);
    mt_add("drop_before_any_snapshot_snapshots_the_ip_packet",
           test_drop_before_any_snapshot_snapshots_the_ip_packet);
    mt_add("deliver_names_the_socket_by_its_endpoints",
           test_deliver_names_the_socket_by_its_endpoints);
    mt_add("sent_ends_the_trace_with_the_interface", test_sent_ends_the_trace_with_the_interface);
    mt_add("fate_of_an_untraced_packet_records_nothing",
           test_fate_of_an_untraced_packet_records_nothing);
    mt_add("free_site_names_the_function_that_freed_the_packet",
           test_free_site_names_the_function_that_freed_the_packet);
    mt_add("free_site_says_a_kernel_thread_is_no_user_process",
           test_free_site_says_a_kernel_thread_is_no_user_process);
    mt_add("free_site_is_off_with_free_site_0", test_free_site_is_off_with_free_site_0);
    mt_add("free_site_symbols_are_looked_up_once", test_free_site_symbols_are_looked_up_once);
    mt_add("full_frame_keeps_room_for_the_free_site", test_full_frame_keeps_room_for_the_free_site);
    mt_add("ddb_shows_the_fate", test_ddb_shows_the_fate);
    return g_test_run();
}
