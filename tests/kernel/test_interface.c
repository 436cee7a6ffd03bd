/*
 * The mbuf_trace interface as users meet it (tcpdump -i mbuf_trace, pcap
 * files with linktype 147, ifconfig), the sysctl tree, and ddb's
 * "show mtrace".
 */
#include "mt_test.h"

#include <net/bpf.h>
#include <net/if.h>
#include <net/if_clone.h>
#include <net/if_var.h>
#include <sys/sockio.h>

#include <errno.h>
#include <glib/gstdio.h>
#include <pcap/pcap.h>

static void
test_interface_is_named_mbuf_trace_without_a_unit(void)
{
    struct ifnet *ifp;

    mt_reset();
    ifp = kpi_ifunit("mbuf_trace");
    g_assert_nonnull(ifp);
    g_assert_cmpstr(ifp->if_xname, ==, "mbuf_trace");
    g_assert_cmpstr(ifp->if_dname, ==, "mbuf_trace");
    g_assert_cmpint(ifp->if_dunit, ==, IF_DUNIT_NONE);
    g_assert_null(kpi_ifunit("mbuf_trace0"));
    g_assert_true(ifp->if_flags & IFF_UP);
}

static void
test_interface_output_drops_everything(void)
{
    struct ifnet *ifp;
    uint64_t drops;
    long mbufs;

    mt_reset();
    ifp = kpi_ifunit("mbuf_trace");
    drops = ifp->if_counters[IFCOUNTER_OQDROPS];
    mbufs = kpi_mbuf_outstanding();
    g_assert_cmpint(ifp->if_output(ifp, mt_packet(60, NULL, 0), NULL, NULL), ==, 0);
    g_assert_cmpint(ifp->if_transmit(ifp, mt_packet(60, NULL, 0)), ==, 0);
    ifp->if_qflush(ifp);
    g_assert_cmpint(kpi_mbuf_outstanding(), ==, mbufs);
    g_assert_cmpuint(ifp->if_counters[IFCOUNTER_OQDROPS], ==, drops + 2);
}

static void
test_interface_goes_up_and_down(void)
{
    struct ifnet *ifp;

    mt_reset();
    ifp = kpi_ifunit("mbuf_trace");
    if_setflagbits(ifp, 0, IFF_UP);
    g_assert_cmpint(ifp->if_ioctl(ifp, SIOCSIFFLAGS, NULL), ==, 0);
    g_assert_false(ifp->if_drv_flags & IFF_DRV_RUNNING);
    if_setflagbits(ifp, IFF_UP, 0);
    g_assert_cmpint(ifp->if_ioctl(ifp, SIOCSIFFLAGS, NULL), ==, 0);
    g_assert_true(ifp->if_drv_flags & IFF_DRV_RUNNING);
    g_assert_cmpint(ifp->if_ioctl(ifp, SIOCSIFMTU, NULL), ==, ENOTTY);
}

/*
 * No cloner makes it (FreeBSD 15 refuses a cloner named "mbuf_trace"), so
 * ifconfig can neither destroy it under a capture nor create another.
 */
static void
test_interface_cannot_be_destroyed_or_created_again(void)
{
    mt_reset();
    g_assert_cmpint(kpi_if_clone_destroy("mbuf_trace", false), ==, EINVAL);
    g_assert_cmpint(kpi_if_clone_destroy("mbuf_trace", true), ==, EINVAL);
    g_assert_nonnull(kpi_ifunit("mbuf_trace"));
    g_assert_cmpint(kpi_if_clone_create("mbuf_trace"), ==, EINVAL);
}

/*
 * The stand-in's cloner KPI refuses what FreeBSD 15.1's if_clone.c refuses:
 * strnlen(name, IFCLOSIZ) >= IFCLOSIZ - 1, IFCLOSIZ being IFNAMSIZ - 5.  It
 * once took any name shorter than IFNAMSIZ - 1, and a cloner named
 * "mbuf_trace" passed every test while the real kernel said "mbuf_trace:
 * cannot create the interface".
 */
static int
never_create(struct if_clone *ifc, char *name, size_t maxlen, struct ifc_data *ifd,
             struct ifnet **ifpp)
{
    (void)ifc, (void)name, (void)maxlen, (void)ifd, (void)ifpp;
    return ENXIO;
}

static int
never_destroy(struct if_clone *ifc, struct ifnet *ifp, uint32_t flags)
{
    (void)ifc, (void)ifp, (void)flags;
    return EBUSY;
}

static void
test_stand_in_refuses_cloner_names_of_10_characters(void)
{
    struct if_clone_addreq req = { .create_f = never_create, .destroy_f = never_destroy };
    struct if_clone *ifc;

    g_assert_null(ifc_attach_cloner("mbuf_trace", &req));
    g_assert_null(ifc_attach_cloner("abcdefghij", &req));
    ifc = ifc_attach_cloner("abcdefghi", &req);
    g_assert_nonnull(ifc);
    ifc_detach_cloner(ifc);
}

static void
test_interface_counts_emitted_frames(void)
{
    struct ifnet *ifp;
    uint64_t packets, bytes;
    struct mbuf *m;
    GPtrArray *frames;
    MtFrame *f;

    mt_reset();
    ifp = kpi_ifunit("mbuf_trace");
    packets = ifp->if_counters[IFCOUNTER_OPACKETS];
    bytes = ifp->if_counters[IFCOUNTER_OBYTES];
    m = mt_packet(60, NULL, 0);
    mtrace_start(m);
    mtrace_data(m);
    m_freem(m);
    f = mt_one_frame(&frames);
    g_assert_cmpuint(ifp->if_counters[IFCOUNTER_OPACKETS], ==, packets + 1);
    g_assert_cmpuint(ifp->if_counters[IFCOUNTER_OBYTES], ==, bytes + g_bytes_get_size(f->bytes));
    g_ptr_array_unref(frames);
}

/*
 * A trace started on an interface that is gone (its VNET died) is dropped.
 * Its statistics were that VNET's, gone with it: the copy it makes and its
 * drop count nowhere, not in the VNET made since (a jail made again),
 * whose statistics start at 0.
 */
static void
test_trace_outliving_its_interface_is_dropped(void)
{
    struct mbuf *m, *c;
    GPtrArray *frames;

    mt_reset();
    m = mt_packet(60, NULL, 0);
    mtrace_start(m);
    mt_listen(false);
    kpi_vnet_destroy();
    g_assert_null(kpi_ifunit("mbuf_trace"));
    kpi_vnet_create();
    mt_listen(true);
    c = m_copypacket(m, M_NOWAIT);
    mtrace(c, "a copy, traced on its own");
    m_freem(c);
    m_freem(m);
    frames = mt_frames();
    g_assert_cmpuint(frames->len, ==, 0);
    g_assert_cmpuint(mt_stat("copies"), ==, 0);
    g_assert_cmpuint(mt_stat("dropped.no_listener"), ==, 0);
    g_ptr_array_unref(frames);
}

/*
 * mtrace_start() tests mbuf_trace_if_readers before anything else: it must
 * count every reader of every mbuf_trace interface, and only those, as
 * they attach, detach and lose their interface with its VNET.  Too low and
 * traces are lost; too high and every start point pays the slow test.
 */
static void
test_readers_are_counted_as_they_come_and_go(void)
{
    struct kpi_bpf_listener *second;
    struct mbuf *m;
    GPtrArray *frames;

    mt_reset();
    g_assert_cmpuint(mbuf_trace_if_readers, ==, 1);
    second = kpi_bpf_listen("mbuf_trace", NULL);
    g_assert_cmpuint(mbuf_trace_if_readers, ==, 2);
    kpi_bpf_unlisten(second);
    g_assert_cmpuint(mbuf_trace_if_readers, ==, 1);
    mt_listen(false);
    g_assert_cmpuint(mbuf_trace_if_readers, ==, 0);

    /* A reader still attached when its VNET goes away is detached. */
    second = kpi_bpf_listen("mbuf_trace", NULL);
    g_assert_cmpuint(mbuf_trace_if_readers, ==, 1);
    kpi_vnet_destroy();
    g_assert_cmpuint(mbuf_trace_if_readers, ==, 0);
    kpi_bpf_unlisten(second);
    g_assert_cmpuint(mbuf_trace_if_readers, ==, 0);
    kpi_vnet_create();

    /* With nobody left, nothing starts; a new reader sees traces again. */
    m = mt_packet(60, NULL, 0);
    mtrace_start(m);
    g_assert_true(SLIST_EMPTY(&m->m_pkthdr.tags));
    m_freem(m);
    mt_listen(true);
    g_assert_cmpuint(mbuf_trace_if_readers, ==, 1);
    m = mt_packet(60, NULL, 0);
    mtrace_start(m);
    mtrace(m, "seen");
    m_freem(m);
    frames = mt_frames();
    g_assert_cmpuint(frames->len, ==, 1);
    g_ptr_array_unref(frames);
}

/*
 * A VNET made again (a VNET jail removed and created with the same name)
 * gets a new mbuf_trace interface, under the index of the old one with the
 * next generation; captures on it see traces as before.  A handle that
 * kept the index but lost the generation finds nothing there, and every
 * trace after the recreation would be dropped.
 */
static void
test_interface_keeps_emitting_after_its_vnet_is_recreated(void)
{
    struct ifnet *old, *new;
    int index, gen, round;
    struct mbuf *m;
    GPtrArray *frames;

    mt_reset();
    old = kpi_ifunit("mbuf_trace");
    index = if_getindex(old);
    gen = if_getidxgen(old);
    for (round = 1; round <= 2; round++) {
        mt_listen(false);
        kpi_vnet_destroy();
        kpi_vnet_create();
        new = kpi_ifunit("mbuf_trace");
        g_assert_nonnull(new);
        g_assert_cmpint(if_getindex(new), ==, index);
        g_assert_cmpint(if_getidxgen(new), ==, gen + round);
        mt_listen(true);
        m = mt_packet(60, NULL, 0);
        mtrace_start(m);
        mtrace(m, "after the recreation");
        m_freem(m);
        frames = mt_frames();
        g_assert_cmpuint(frames->len, ==, 1);
        g_assert_cmpuint(new->if_counters[IFCOUNTER_OPACKETS], ==, 1);
        g_ptr_array_unref(frames);
    }
}

/*
 * Trace two packets into a pcap file, with the clock set: same bytes each
 * time.  Without free sites: they name the call that freed the packets,
 * which differs.
 */
static GBytes *
write_pcap(const char *path)
{
    struct kpi_bpf_listener *l;
    struct mbuf *m;
    char *contents;
    gsize len;
    int i;

    mt_reset();
    mt_set("timestamps", 1);
    mt_set("free_site", 0);
    kpi_clock_set(UINT64_C(42) * 1000000000, 1500);
    l = kpi_bpf_listen("mbuf_trace", path);
    g_assert_nonnull(l);
    for (i = 0; i < 2; i++) {
        m = mt_packet(60, NULL, 0);
        mtrace_start(m);
        mtrace_data(m);
        mtrace_printf(m, "packet %d", i);
        m_freem(m);
        kpi_taskqueue_drain_all();
    }
    kpi_bpf_unlisten(l);
    g_assert_true(g_file_get_contents(path, &contents, &len, NULL));
    return g_bytes_new_take(contents, len);
}

static void
test_pcap_files_have_linktype_147_and_the_frames(void)
{
    char *dir = g_dir_make_tmp("mbuf_trace-XXXXXX", NULL);
    char *path = g_build_filename(dir, "t.pcap", NULL);
    char errbuf[PCAP_ERRBUF_SIZE];
    struct pcap_pkthdr *hdr;
    const u_char *data;
    GPtrArray *frames;
    pcap_t *pd;
    guint i;

    g_bytes_unref(write_pcap(path));
    frames = mt_frames();
    g_assert_cmpuint(frames->len, ==, 2);
    pd = pcap_open_offline(path, errbuf);
    g_assert_nonnull(pd);
    g_assert_cmpint(pcap_datalink(pd), ==, 147);
    g_assert_cmpint(pcap_datalink(pd), ==, DLT_USER0);
    for (i = 0; i < 2; i++) {
        MtFrame *f = g_ptr_array_index(frames, i);

        g_assert_cmpint(pcap_next_ex(pd, &hdr, &data), ==, 1);
        g_assert_cmpmem(data, hdr->caplen, g_bytes_get_data(f->bytes, NULL),
                        g_bytes_get_size(f->bytes));
        g_assert_cmpuint(hdr->len, ==, hdr->caplen);
        g_assert_cmpint(hdr->ts.tv_sec, ==, f->ts.tv_sec);
        g_assert_cmpint(hdr->ts.tv_usec, ==, f->ts.tv_usec);
    }
    g_assert_cmpint(pcap_next_ex(pd, &hdr, &data), ==, PCAP_ERROR_BREAK);
    pcap_close(pd);
    g_ptr_array_unref(frames);
    g_unlink(path);
    g_rmdir(dir);
    g_free(path);
    g_free(dir);
}

static void
test_pcap_files_are_reproducible_byte_for_byte(void)
{
    char *dir = g_dir_make_tmp("mbuf_trace-XXXXXX", NULL);
    char *path = g_build_filename(dir, "t.pcap", NULL);
    GBytes *a, *b;

    a = write_pcap(path);
    b = write_pcap(path);
    g_assert_cmpuint(g_bytes_get_size(a), >, 24 + 2 * 16);
    g_assert_true(g_bytes_equal(a, b));
    g_bytes_unref(a);
    g_bytes_unref(b);
    g_unlink(path);
    g_rmdir(dir);
    g_free(path);
    g_free(dir);
}

static void
test_sysctl_tree_has_every_documented_name(void)
{
    static const char *const knobs[] = { "enable",          "timestamps",    "trace_max",
                                         "snap_max",        "queue_max",     "start_points",
                                         "source_position", "start_anywhere" };
    static const char *const stats[] = { "started",
                                         "emitted",
                                         "copies",
                                         "records_lost",
                                         "grow_failed",
                                         "truncated",
                                         "dropped.nomem",
                                         "dropped.queue_full",
                                         "dropped.no_listener",
                                         "filtered" };
    gsize i;

    mt_reset();
    for (i = 0; i < G_N_ELEMENTS(knobs); i++) {
        char *name = g_strdup_printf("net.mbuf_trace.%s", knobs[i]);
        unsigned int v = kpi_sysctl_uint(name);

        g_assert_cmpint(kpi_sysctl_set_uint(name, v), ==, 0);
        g_free(name);
    }
    for (i = 0; i < G_N_ELEMENTS(stats); i++) {
        char *name = g_strdup_printf("net.mbuf_trace.stats.%s", stats[i]);
        uint64_t zero = 0;

        (void)kpi_sysctl_u64(name);
        g_assert_cmpint(kpi_sysctl_set(name, &zero, sizeof(zero)), ==, EPERM);
        g_free(name);
    }
}

static void ip_input(struct mbuf *m);

static void
test_ddb_show_mtrace_prints_the_trace(void)
{
    struct mbuf *m;
    GString *want = g_string_new(NULL);
    const char *out;
    int i;

    mt_reset();
    mt_set("timestamps", 1);
    kpi_clock_set(1000, 10);
    m = mt_packet(40, NULL, 0);
    mtrace_start(m);
    mtrace(m, "static");
    mtrace_dynamic(m, "dyn");
    mtrace_data_proto(m, 0x0800);
    ip_input(m);
    mtrace_data(m);

    /* 5 TIME records of 16 bytes, 16 + 16 + (8 + 48) + 24 + (8 + 48) bytes of
     * records: a snapshot stores the packet's length before its bytes. */
    g_string_printf(want, "trace %p: 248 of 256 bytes, 0 lost, start 1000 ns, if %#x\n",
                    (void *)m_tag_first(m),
                    (unsigned int)(if_getindex(kpi_ifunit("mbuf_trace")) << 16 |
                                   if_getidxgen(kpi_ifunit("mbuf_trace"))));
    g_string_append(want, "  time +10 ns\n"
                          "  string \"static\"\n"
                          "  time +20 ns\n"
                          "  string_dynamic \"dyn\"\n"
                          "  time +30 ns\n"
                          "  data_l3 ethertype 0x0800 40 bytes:");
    for (i = 0; i < 32; i++)
        g_string_append_printf(want, " %02x", mt_pattern(40)[i]);
    g_string_append(want, " ...\n"
                          "  time +40 ns\n"
                          "  string sys/netinet/ip_input.c:515: +ip_input\n"
                          "  time +50 ns\n"
                          "  data 40 bytes:");
    for (i = 0; i < 32; i++)
        g_string_append_printf(want, " %02x", mt_pattern(40)[i]);
    g_string_append(want, " ...\n");
    out = kpi_db_show("mtrace", m, true);
    g_assert_cmpstr(out, ==, want->str);
    m_freem(m);
    g_string_free(want, TRUE);
    g_ptr_array_unref(mt_frames());
}

static void
test_ddb_show_mtrace_explains_what_it_cannot_show(void)
{
    struct mbuf *m = mt_packet(40, NULL, 0), *n = m_get(M_WAITOK, MT_DATA);
    char *want;

    mt_reset();
    g_assert_cmpstr(kpi_db_show("mtrace", NULL, false), ==, "usage: show mtrace <struct mbuf *>\n");
    want = g_strdup_printf("mbuf %p is not traced\n", (void *)m);
    g_assert_cmpstr(kpi_db_show("mtrace", m, true), ==, want);
    g_free(want);
    want = g_strdup_printf("mbuf %p has no packet header\n", (void *)n);
    g_assert_cmpstr(kpi_db_show("mtrace", n, true), ==, want);
    g_free(want);
    m_freem(m);
    m_freem(n);
}

int
main(int argc, char **argv)
{
    mt_init(&argc, &argv);
    mt_add("interface_is_named_mbuf_trace_without_a_unit",
           test_interface_is_named_mbuf_trace_without_a_unit);
    mt_add("interface_output_drops_everything", test_interface_output_drops_everything);
    mt_add("interface_goes_up_and_down", test_interface_goes_up_and_down);
    mt_add("interface_cannot_be_destroyed_or_created_again",
           test_interface_cannot_be_destroyed_or_created_again);
    mt_add("stand_in_refuses_cloner_names_of_10_characters",
           test_stand_in_refuses_cloner_names_of_10_characters);
    mt_add("interface_counts_emitted_frames", test_interface_counts_emitted_frames);
    mt_add("readers_are_counted_as_they_come_and_go", test_readers_are_counted_as_they_come_and_go);
    mt_add("interface_keeps_emitting_after_its_vnet_is_recreated",
           test_interface_keeps_emitting_after_its_vnet_is_recreated);
    mt_add("trace_outliving_its_interface_is_dropped",
           test_trace_outliving_its_interface_is_dropped);
    mt_add("pcap_files_have_linktype_147_and_the_frames",
           test_pcap_files_have_linktype_147_and_the_frames);
    mt_add("pcap_files_are_reproducible_byte_for_byte",
           test_pcap_files_are_reproducible_byte_for_byte);
    mt_add("sysctl_tree_has_every_documented_name", test_sysctl_tree_has_every_documented_name);
    mt_add("ddb_show_mtrace_prints_the_trace", test_ddb_show_mtrace_prints_the_trace);
    mt_add("ddb_show_mtrace_explains_what_it_cannot_show",
           test_ddb_show_mtrace_explains_what_it_cannot_show);
    return g_test_run();
}

#line 512 "/usr/src/sys/netinet/ip_input.c"
static void
ip_input(struct mbuf *m)
{
    mtrace_enter(m);
}
