/*
 * mtrace_cost - instructions per mtrace_*() call, on the unchanged kernel
 * sources built on the KPI stand-ins, counted by callgrind.
 *
 * Run it under "valgrind --tool=callgrind --collect-atstart=no" (see
 * bench/kernel-cost.sh, which also sums the dumps): every measured call is
 * wrapped in a pair of collection toggles and followed by a dump whose
 * description names the case, so each call is one sample and the script can
 * show the distribution, not only the mean.  Outside callgrind the client
 * requests do nothing and the program only runs the cases.
 *
 * The counts include what the stand-ins do for the kernel (malloc(9),
 * counter(9), the bpf tap); they are written like FreeBSD's, but
 * they are not FreeBSD's code, and glibc's snprintf() stands in for the
 * kernel's.
 */
#include <sys/param.h>
#include <sys/mbuf.h>
#include <net/bpf.h>
#include <sys/mbuf_trace.h>
#include <net/if_types.h>
#include <net/if_var.h>
#include <netinet/in_pcb.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <valgrind/callgrind.h>

#include "filter_for.h"

#include "kpi.h"

/* One sample: the instructions of call, labelled "case" in the dump. */
#define MEASURE(label, call)                                                                       \
    do {                                                                                           \
        CALLGRIND_TOGGLE_COLLECT;                                                                  \
        call;                                                                                      \
        CALLGRIND_TOGGLE_COLLECT;                                                                  \
        CALLGRIND_DUMP_STATS_AT(label);                                                            \
    } while (0)

enum {
    PACKETS = 4,  /* traced packets per case */
    RECORDS = 24, /* records per traced packet: the trace grows twice */
    IDLE = 32,    /* samples of an idle case */
};

static unsigned char bytes[1500];

static void traced_location_cases(void);
static void emit_location_cases(void);

/* The socket mtrace_deliver() names: udp 192.0.2.1:7104 < 192.0.2.2:51000. */
static struct inpcb udp_socket = {
    .inp_inc = { .inc_ie = { .ie_fport = 0xc7b8,
                             .ie_lport = 0xc01b,
                             .ie_faddr = { .s_addr = 0x020200c0 },
                             .ie_laddr = { .s_addr = 0x010200c0 } } },
    .inp_vflag = INP_IPV4,
};

static struct mbuf *
packet(size_t len)
{
    return kpi_mbuf_chain(bytes, len, NULL, 0);
}

/* A packet that already carries somebody else's tag, as many do. */
static struct mbuf *
tagged_packet(void)
{
    struct mbuf *m = packet(64);

    m_tag_prepend(m, m_tag_alloc(0x4d54, 1, 8, M_NOWAIT));
    return m;
}

static void
drop(struct mbuf *m)
{
    m_freem(m);
    kpi_taskqueue_run_held();
}

static void
idle_cases(void)
{
    struct mbuf *m;
    int i;

    for (i = 0; i < IDLE; i++) {
        m = packet(64);
        MEASURE("idle: mtrace_start, nobody listening", mtrace_start(m));
        drop(m);
    }
}

static void
untraced_cases(const char *what, struct mbuf *(*make)(void))
{
    char label[128];
    struct mbuf *m;
    int i;

#define UNTRACED(name, call)                                                                       \
    do {                                                                                           \
        snprintf(label, sizeof(label), "untraced%s: %s", what, name);                              \
        MEASURE(label, call);                                                                      \
    } while (0)
    for (i = 0; i < IDLE; i++) {
        m = make();
        UNTRACED("mtrace", mtrace(m, "drop: bad checksum"));
        UNTRACED("mtrace_enter", mtrace_enter(m));
        UNTRACED("mtrace_dynamic", mtrace_dynamic(m, "vtnet0"));
        UNTRACED("mtrace_printf", mtrace_printf(m, "ttl %d", i));
        UNTRACED("mtrace_data", mtrace_data(m));
        UNTRACED("mtrace_drop", mtrace_drop(m, PF_MEMORY));
        drop(m);
    }
#undef UNTRACED
}

static struct mbuf *
plain_packet(void)
{
    return packet(64);
}

static void
start_cases(void)
{
    struct mbuf *m;
    int i;

    for (i = 0; i < IDLE; i++) {
        m = packet(64);
        MEASURE("traced: mtrace_start", mtrace_start(m));
        drop(m);
    }
}

/* RECORDS calls of one kind on each of PACKETS traced packets. */
#define TRACED(label, len, call)                                                                   \
    do {                                                                                           \
        struct mbuf *m;                                                                            \
        int p, i;                                                                                  \
                                                                                                   \
        for (p = 0; p < PACKETS; p++) {                                                            \
            m = packet(len);                                                                       \
            mtrace_start(m);                                                                       \
            for (i = 0; i < RECORDS; i++)                                                          \
                MEASURE(label, call);                                                              \
            drop(m);                                                                               \
        }                                                                                          \
    } while (0)

static void
traced_cases(void)
{
    TRACED("traced: mtrace", 64, mtrace(m, "drop: bad checksum"));
    traced_location_cases();
    TRACED("traced: mtrace_dynamic (6 bytes)", 64, mtrace_dynamic(m, "vtnet0"));
    TRACED("traced: mtrace_printf (\"ttl %d\")", 64, mtrace_printf(m, "ttl %d", i));
    TRACED("traced: mtrace_data (64 bytes)", 64, mtrace_data(m));
    TRACED("traced: mtrace_data (256 bytes)", 256, mtrace_data(m));
    TRACED("traced: mtrace_data_proto (64 bytes)", 64, mtrace_data_proto(m, 0x0800));
    TRACED("traced: mtrace_drop", 64, mtrace_drop(m, PF_MEMORY));
    TRACED("traced: mtrace_drop_pf (a 12-byte label)", 64, mtrace_drop_pf(m, 0, 2, "block-telnet"));
    TRACED("traced: mtrace_deliver", 64, mtrace_deliver(m, &udp_socket, IPPROTO_UDP));
}

/*
 * Where a trace ends: freeing a traced packet with free_site on saves the
 * call stack and the thread (the difference to free_site off); its FREE
 * record is made when the frame is, by the emit task, once with the
 * symbols to look up, then from the cache.
 */
static void
free_site_cases(void)
{
    static const char *const on[] = { "0", "1" };
    char label[64];
    struct mbuf *m;
    int k, p;

    for (k = 0; k < 2; k++) {
        kpi_sysctl_set_uint("net.mbuf_trace.free_site", (unsigned)k);
        kpi_kld_unload();
        for (p = 0; p < IDLE; p++) {
            m = packet(64);
            mtrace_start(m);
            mtrace_enter(m);
            snprintf(label, sizeof(label), "free: m_freem, free_site %s", on[k]);
            MEASURE(label, m_freem(m));
            snprintf(label, sizeof(label), "emit: 1 location, free_site %s%s", on[k],
                     k == 1 && p == 0 ? ", symbols looked up" : "");
            MEASURE(label, kpi_taskqueue_run_held());
        }
    }
}

/*
 * Emission: the trace of a freed packet, serialised and tapped by the emit
 * task.  The same records in traces of 1 and of RECORDS records give the
 * cost per record (the script takes the difference) apart from the cost
 * per frame.
 */
#define EMIT(label, len, call)                                                                     \
    do {                                                                                           \
        static const int n[] = { 1, RECORDS };                                                     \
        char l[128];                                                                               \
        struct mbuf *m;                                                                            \
        int k, p, i;                                                                               \
                                                                                                   \
        for (k = 0; k < 2; k++) {                                                                  \
            snprintf(l, sizeof(l), "emit %d: %s", n[k], label);                                    \
            for (p = 0; p < PACKETS; p++) {                                                        \
                m = packet(len);                                                                   \
                mtrace_start(m);                                                                   \
                for (i = 0; i < n[k]; i++)                                                         \
                    call;                                                                          \
                m_freem(m);                                                                        \
                MEASURE(l, kpi_taskqueue_run_held());                                              \
            }                                                                                      \
        }                                                                                          \
    } while (0)

static void
emit_cases(void)
{
    EMIT("mtrace (18 bytes)", 64, mtrace(m, "drop: bad checksum"));
    emit_location_cases();
    EMIT("mtrace_dynamic (6 bytes)", 64, mtrace_dynamic(m, "vtnet0"));
    EMIT("mtrace_data (64 bytes)", 64, mtrace_data(m));
    EMIT("mtrace_data (256 bytes)", 256, mtrace_data(m));
}

/*
 * Selection: what a start point costs when it does not start a trace, and
 * what start_anywhere costs.  The packet is UDP from 192.0.2.2:1234 to
 * 192.0.2.1:53 behind an Ethernet header; the filter is the one of the
 * tests, "tcp port 80 and host 192.0.2.1" (libpcap's programs, run by
 * libpcap's interpreter in the stand-in bpf_filter()).
 */
static const unsigned char udp_frame[] = {
    0x02, 0,    0,   0,   0,   0x01, 0x02, 0,   0,  0,  0, 0x02, 0x08, 0x00, /* Ethernet */
    0x45, 0,    0,   36,  0,   0,    0,    0,   64, 17, 0, 0,    192,  0,
    2,    2,    192, 0,   2,   1,             /* IPv4 */
    0x04, 0xd2, 0,   53,  0,   16,   0,    0, /* UDP */
    'q',  'u',  'e', 'r', 'y', '.',  '.',  '.',
};

/* Set the filter of expr ("" clears it); the filter set, to free(). */
static struct mtrace_filter *
set_filter(const char *expr)
{
    struct mtrace_filter *f;
    size_t len;

    if ((f = mt_filter_for(expr, &len)) == NULL ||
        kpi_sysctl_set("net.mbuf_trace.filter", expr[0] != '\0' ? (void *)f : "",
                       expr[0] != '\0' ? len : 0) != 0)
        abort();
    printf("filter \"%s\": %u + %u instructions\n", expr, f->mf_ether_len, f->mf_ip_len);
    return f;
}

static void
select_cases(void)
{
    struct ifnet *ifp = if_alloc(IFT_OTHER);
    struct mtrace_filter *f;
    const struct bpf_insn *ether, *ip;
    struct mbuf *m;
    int i;

    /* An interface in the groups every one has, not in mtrace. */
    kpi_if_addgroup(ifp, "all");
    kpi_if_addgroup(ifp, "vtnet");
    kpi_sysctl_set_uint("net.mbuf_trace.start_points", 0);
    for (i = 0; i < IDLE; i++) {
        m = kpi_mbuf_chain(udp_frame, sizeof(udp_frame), NULL, 0);
        MEASURE("select: start_points 0: mtrace_start (no interface)", mtrace_start(m));
        MEASURE("select: start_points 0: mtrace_start_ether (2 groups, not mtrace)",
                mtrace_start_ether(m, ifp));
        drop(m);
    }
    kpi_sysctl_set_uint("net.mbuf_trace.start_points", 1);
    f = set_filter("tcp port 80 and host 192.0.2.1");
    ether = f->mf_insns;
    ip = f->mf_insns + f->mf_ether_len;
    for (i = 0; i < IDLE; i++) {
        m = kpi_mbuf_chain(udp_frame, sizeof(udp_frame), NULL, 0);
        MEASURE("select: filter rejects: mtrace_start_ether (L2)", mtrace_start_ether(m, ifp));
        /* What the start point costs above this is the facility's. */
        MEASURE("select: filter rejects: its program alone (L2)",
                (void)bpf_filter(ether, (u_char *)m, m->m_pkthdr.len, 0));
        drop(m);
        m = kpi_mbuf_chain(udp_frame + 14, sizeof(udp_frame) - 14, NULL, 0);
        MEASURE("select: filter rejects: mtrace_start (L3)", mtrace_start(m));
        MEASURE("select: filter rejects: its program alone (L3)",
                (void)bpf_filter(ip, (u_char *)m, m->m_pkthdr.len, 0));
        drop(m);
    }
    (free)(f);
    (free)(set_filter("udp port 53"));
    for (i = 0; i < IDLE; i++) {
        m = kpi_mbuf_chain(udp_frame, sizeof(udp_frame), NULL, 0);
        MEASURE("select: filter passes: mtrace_start_ether (L2)", mtrace_start_ether(m, ifp));
        drop(m);
    }
    (free)(set_filter(""));
    /* start_anywhere on: every call on an untraced packet starts its trace. */
    kpi_sysctl_set_uint("net.mbuf_trace.start_anywhere", 1);
    for (i = 0; i < IDLE; i++) {
        m = kpi_mbuf_chain(udp_frame + 14, sizeof(udp_frame) - 14, NULL, 0);
        MEASURE("select: start_anywhere on: mtrace on an untraced packet (starts it)",
                mtrace(m, "drop: bad checksum"));
        drop(m);
    }
    kpi_sysctl_set_uint("net.mbuf_trace.start_anywhere", 0);
    if_free(ifp);
}

int
main(void)
{
    struct kpi_bpf_listener *l;
    int i;

    for (i = 0; i < (int)sizeof(bytes); i++)
        bytes[i] = (unsigned char)i;
    kpi_boot();
    /* The stack's trace points run in the network epoch. */
    kpi_net_epoch_enter();
    /* Emission runs here, in this thread, when drop() asks for it. */
    kpi_taskqueue_hold(true);
    for (i = 0; i < IDLE; i++)
        MEASURE("calibration: nothing", (void)0);

    idle_cases();
    untraced_cases("", plain_packet);
    l = kpi_bpf_listen("mbuf_trace", NULL);
    untraced_cases(", another tag on the packet", tagged_packet);
    untraced_cases(", someone listening", plain_packet);
    start_cases();
    select_cases();
    traced_cases();
    /* The listener keeps what it is given: a new one starts empty. */
    kpi_bpf_unlisten(l);
    l = kpi_bpf_listen_pcap("mbuf_trace", "/dev/null");
    emit_cases();
    free_site_cases();
    kpi_bpf_unlisten(l);
    kpi_taskqueue_hold(false);
    kpi_net_epoch_exit();
    kpi_shutdown();
    return 0;
}

/*
 * Location records keep __FILE__ and format it when they are serialised:
 * give them the path a kernel built from /usr/src gives them, not this
 * file's, whose length and components depend on where the checkout is.
 */
#line 600 "/usr/src/sys/netinet/ip_input.c"
static void
traced_location_cases(void)
{
    TRACED("traced: mtrace_enter", 64, mtrace_enter(m));
}

static void
emit_location_cases(void)
{
    EMIT("mtrace_enter", 64, mtrace_enter(m));
}
