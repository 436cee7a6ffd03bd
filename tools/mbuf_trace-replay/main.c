/*
 * mbuf_trace-replay - run captured Ethernet frames through the FreeBSD 15.1
 * stack's instrumented paths and write the mbuf_trace capture the kernel
 * would have written.
 *
 * Each frame goes to ether_input() of a simulated host (replay.h); the
 * unchanged facility (kernel/sys/kern/kern_mbuf_trace.c, on the KPI
 * stand-ins) records the trace points and emits a frame when a packet is
 * freed; a listener on the mbuf_trace interface writes them to a pcap
 * file, as "tcpdump -i mbuf_trace -w" would.  docs/replay.md has the rest.
 */
#include <glib.h>

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <sys/param.h>
#include <net/bpf.h>
#include <sys/mbuf_trace.h>

#include "kpi.h"
#include "replay.h"
#include "tp.h"

#define PROG "mbuf_trace-replay"

static GHashTable *drops; /* reason -> count */

static void
count_drop(const char *reason)
{
    gpointer n = g_hash_table_lookup(drops, reason);

    g_hash_table_replace(drops, g_strdup(reason), GSIZE_TO_POINTER(GPOINTER_TO_SIZE(n) + 1));
}

static gboolean
parse_addr(const char *s, struct host_config *cfg, GError **error)
{
    char **parts = g_strsplit(s, "/", 2);
    struct prefix4 p4;
    struct prefix6 p6;
    gint64 plen = -1;
    gboolean ok = TRUE;

    if (parts[1] != NULL && !g_ascii_string_to_signed(parts[1], 10, 0, 128, &plen, NULL))
        ok = FALSE;
    else if (inet_pton(AF_INET, parts[0], &p4.addr) == 1 && plen <= 32) {
        p4.plen = plen < 0 ? 32 : (int)plen;
        g_array_append_val(cfg->addr4, p4);
    } else if (inet_pton(AF_INET6, parts[0], &p6.addr) == 1) {
        p6.plen = plen < 0 ? 128 : (int)plen;
        g_array_append_val(cfg->addr6, p6);
    } else {
        ok = FALSE;
    }
    if (!ok)
        g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                    "--local-addr %s: not an IPv4 or IPv6 address[/prefix length]", s);
    g_strfreev(parts);
    return ok;
}

static gboolean
parse_ports(const char *s, struct host_config *cfg, GError **error)
{
    struct port_range r = { 0, 0, 0 };
    const char *range = s;
    char **ends;
    guint64 lo, hi;
    gboolean ok;

    if (g_str_has_prefix(s, "tcp:"))
        r.proto = IPPROTO_TCP, range = s + 4;
    else if (g_str_has_prefix(s, "udp:"))
        r.proto = IPPROTO_UDP, range = s + 4;
    ends = g_strsplit(range, "-", 2);
    ok = g_ascii_string_to_unsigned(ends[0], 10, 1, 65535, &lo, NULL) &&
         g_ascii_string_to_unsigned(ends[1] != NULL ? ends[1] : ends[0], 10, lo, 65535, &hi, NULL);
    g_strfreev(ends);
    if (!ok) {
        g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                    "--open-port %s: want [tcp:|udp:]PORT[-PORT], ports 1 to 65535", s);
        return FALSE;
    }
    r.lo = (uint16_t)lo;
    r.hi = (uint16_t)hi;
    g_array_append_val(cfg->open_ports, r);
    return TRUE;
}

static gboolean
parse_vlans(const char *s, struct host_config *cfg, GError **error)
{
    char **ids;
    guint i;

    cfg->vlans_all = strcmp(s, "all") == 0;
    g_array_set_size(cfg->vlan_ids, 0);
    if (cfg->vlans_all || strcmp(s, "none") == 0)
        return TRUE;
    ids = g_strsplit(s, ",", -1);
    for (i = 0; ids[i] != NULL; i++) {
        guint64 id;
        uint16_t vid;

        if (!g_ascii_string_to_unsigned(ids[i], 10, 1, 4094, &id, NULL)) {
            g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                        "--vlan %s: want all, none or VLAN IDs 1 to 4094, comma-separated", s);
            g_strfreev(ids);
            return FALSE;
        }
        vid = (uint16_t)id;
        g_array_append_val(cfg->vlan_ids, vid);
    }
    g_strfreev(ids);
    return TRUE;
}

static gboolean
parse_mac(const char *s, struct host_config *cfg, GError **error)
{
    unsigned int b[ETHER_ADDR_LEN];
    char end;
    int i;

    if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5], &end) !=
        ETHER_ADDR_LEN) {
        g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                    "--mac %s: want six hex bytes, xx:xx:xx:xx:xx:xx", s);
        return FALSE;
    }
    for (i = 0; i < ETHER_ADDR_LEN; i++)
        cfg->mac[i] = (uint8_t)b[i];
    cfg->fixed_mac = true;
    return TRUE;
}

static struct {
    struct host_config cfg;
    gint snap_max, trace_max;
    gboolean timestamps, progress;
    /* Selection: mbuf_trace(4), SELECTION. */
    char *filter;
    gboolean no_start_points, source_position, start_anywhere;
} opt = { .snap_max = -1, .trace_max = -1 };

static gboolean
option_cb(const char *name, const char *value, gpointer data, GError **error)
{
    (void)data;
    if (strcmp(name, "--local-addr") == 0 || strcmp(name, "-l") == 0)
        return parse_addr(value, &opt.cfg, error);
    if (strcmp(name, "--open-port") == 0 || strcmp(name, "-p") == 0)
        return parse_ports(value, &opt.cfg, error);
    if (strcmp(name, "--vlan") == 0)
        return parse_vlans(value, &opt.cfg, error);
    if (strcmp(name, "--interface-group") == 0) {
        if (strcmp(value, "em0") != 0 && strncmp(value, "em0.", 4) != 0) {
            g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                        "--interface-group %s: want em0 or em0.VID", value);
            return FALSE;
        }
        g_ptr_array_add(opt.cfg.mtrace_group, g_strdup(value));
        return TRUE;
    }
    return parse_mac(value, &opt.cfg, error);
}

static gboolean
set_limit(const char *name, gint val)
{
    int error;

    if (val < 0)
        return TRUE;
    error = kpi_sysctl_set_uint(name, (unsigned int)val);
    if (error != 0)
        g_printerr("%s: %s=%d: %s\n", PROG, name, val,
                   error == EINVAL ? "out of the range the kernel accepts" : g_strerror(error));
    return error == 0;
}

/*
 * One program of --filter: expr compiled for the link type dlt.  An
 * expression that means nothing at that layer ("arp" for IP packets,
 * "ether host" for either) gets a program that rejects every packet: the
 * kernel passes every packet to a program of no instructions.
 */
static GArray *
compile_filter(const char *expr, int dlt, const char *what)
{
    static const struct bpf_insn reject = BPF_STMT(BPF_RET | BPF_K, 0);
    GArray *insns = g_array_new(FALSE, FALSE, sizeof(struct bpf_insn));
    struct bpf_program prog;
    pcap_t *p = pcap_open_dead(dlt, 65535);

    if (pcap_compile(p, &prog, expr, 1, PCAP_NETMASK_UNKNOWN) == 0) {
        g_array_append_vals(insns, prog.bf_insns, prog.bf_len);
        pcap_freecode(&prog);
    } else {
        g_printerr("%s: --filter: %s (%s): no %s packet passes it\n", PROG, what, pcap_geterr(p),
                   what);
        g_array_append_val(insns, reject);
    }
    pcap_close(p);
    return insns;
}

/*
 * net.mbuf_trace.filter for expr, as mtracectl sets it: the program for
 * Ethernet frames (DLT_EN10MB) and the one for IP packets (DLT_RAW).
 */
static gboolean
set_filter(const char *expr)
{
    struct mtrace_filter *f;
    GArray *ether, *ip;
    size_t len;
    int error;

    if (strlen(expr) >= MTRACE_FILTER_TEXT) {
        g_printerr("%s: --filter: longer than %d bytes\n", PROG, MTRACE_FILTER_TEXT - 1);
        return FALSE;
    }
    ether = compile_filter(expr, DLT_EN10MB, "Ethernet");
    ip = compile_filter(expr, DLT_RAW, "IP");
    if (ether->len + ip->len == 2 && g_array_index(ether, struct bpf_insn, 0).k == 0 &&
        g_array_index(ip, struct bpf_insn, 0).k == 0) {
        /* Refused at both layers: a mistake, not a choice. */
        g_array_free(ether, TRUE);
        g_array_free(ip, TRUE);
        return FALSE;
    }
    len = sizeof(*f) + (ether->len + ip->len) * sizeof(struct bpf_insn);
    f = g_malloc0(len);
    g_strlcpy(f->mf_text, expr, sizeof(f->mf_text));
    f->mf_ether_len = ether->len;
    f->mf_ip_len = ip->len;
    memcpy(f->mf_insns, ether->data, ether->len * sizeof(struct bpf_insn));
    memcpy(f->mf_insns + ether->len, ip->data, ip->len * sizeof(struct bpf_insn));
    error = kpi_sysctl_set("net.mbuf_trace.filter", f, len);
    if (error != 0)
        g_printerr("%s: --filter: the kernel refuses the programs: %s\n", PROG, g_strerror(error));
    g_free(f);
    g_array_free(ether, TRUE);
    g_array_free(ip, TRUE);
    return error == 0;
}

/* The selection options, set before the stack runs (outside the net epoch). */
static gboolean
set_selection(void)
{
    if (opt.filter != NULL && !set_filter(opt.filter))
        return FALSE;
    return set_limit("net.mbuf_trace.start_points", opt.no_start_points ? 0 : 1) &&
           set_limit("net.mbuf_trace.source_position", opt.source_position ? 1 : 0) &&
           set_limit("net.mbuf_trace.start_anywhere", opt.start_anywhere ? 1 : 0);
}

static void
print_drops(void)
{
    GList *keys = g_hash_table_get_keys(drops), *k;

    if (keys == NULL)
        return;
    keys = g_list_sort(keys, (GCompareFunc)strcmp);
    g_printerr("%s: drops by reason:\n", PROG);
    for (k = keys; k != NULL; k = k->next)
        g_printerr("%8zu  %s\n", GPOINTER_TO_SIZE(g_hash_table_lookup(drops, k->data)),
                   (const char *)k->data);
    g_list_free(keys);
}

/* pcap_open_offline()'s messages start with the file name; say it once. */
static const char *
without_prefix(const char *msg, const char *path)
{
    size_t n = strlen(path);

    return strncmp(msg, path, n) == 0 && strncmp(msg + n, ": ", 2) == 0 ? msg + n + 2 : msg;
}

int
main(int argc, char **argv)
{
    GOptionEntry entries[] = {
        { "forward", 'f', 0, G_OPTION_ARG_NONE, &opt.cfg.forwarding,
          "Forward: only the --local-addr addresses are the host's (default: every destination is)",
          NULL },
        { "local-addr", 'l', 0, G_OPTION_ARG_CALLBACK, option_cb,
          "An address of the host, with its prefix length; repeat for more", "ADDR[/LEN]" },
        { "open-port", 'p', 0, G_OPTION_ARG_CALLBACK, option_cb,
          "Ports with a socket (default: all); repeat for more", "[tcp:|udp:]PORT[-PORT]" },
        { "vlan", 0, 0, G_OPTION_ARG_CALLBACK, option_cb,
          "VLAN IDs with a vlan(4) interface (default: all)", "all|none|ID[,ID...]" },
        { "mac", 0, 0, G_OPTION_ARG_CALLBACK, option_cb,
          "The interface's MAC address (default: the destination of each unicast frame)",
          "xx:xx:xx:xx:xx:xx" },
        { "rxcsum", 0, 0, G_OPTION_ARG_NONE, &opt.cfg.rxcsum,
          "The interface checks checksums: the stack trusts the TCP, UDP and IPv4 header ones "
          "(for captures from hosts that offload them)",
          NULL },
        { "mtu", 0, 0, G_OPTION_ARG_INT, &opt.cfg.mtu, "The interface's MTU (default: 1500)",
          "BYTES" },
        { "snap-max", 0, 0, G_OPTION_ARG_INT, &opt.snap_max,
          "net.mbuf_trace.snap_max: bytes of the packet a snapshot keeps", "BYTES" },
        { "trace-max", 0, 0, G_OPTION_ARG_INT, &opt.trace_max,
          "net.mbuf_trace.trace_max: bytes of records a trace may hold", "BYTES" },
        { "timestamps", 't', 0, G_OPTION_ARG_NONE, &opt.timestamps,
          "net.mbuf_trace.timestamps=1: a TIME record before every record", NULL },
        { "filter", 0, 0, G_OPTION_ARG_STRING, &opt.filter,
          "net.mbuf_trace.filter: trace only the packets this tcpdump expression matches", "EXPR" },
        { "no-start-points", 0, 0, G_OPTION_ARG_NONE, &opt.no_start_points,
          "net.mbuf_trace.start_points=0: start points choose only packets of a group "
          "interface",
          NULL },
        { "interface-group", 0, 0, G_OPTION_ARG_CALLBACK, option_cb,
          "The interface is in group mtrace (ifconfig IF group mtrace); repeat for more",
          "em0|em0.VID" },
        { "source-position", 0, 0, G_OPTION_ARG_NONE, &opt.source_position,
          "net.mbuf_trace.source_position=1: strings as FILE:LINE: text", NULL },
        { "start-anywhere", 0, 0, G_OPTION_ARG_NONE, &opt.start_anywhere,
          "net.mbuf_trace.start_anywhere=1: any trace point starts an untraced packet's trace",
          NULL },
        { "progress", 0, 0, G_OPTION_ARG_NONE, &opt.progress,
          "Show progress on stderr even when it is not a terminal", NULL },
        { NULL, 0, 0, 0, NULL, NULL, NULL },
    };
    GOptionContext *ctx;
    GError *error = NULL;
    char errbuf[PCAP_ERRBUF_SIZE];
    struct kpi_bpf_listener *listener;
    struct pcap_pkthdr *hdr;
    const u_char *data;
    struct host host;
    struct pkt *p;
    pcap_t *in;
    FILE *out;
    uint64_t packets = 0, skipped = 0, clock_ns = 0;
    gint64 next_progress = 0;
    gboolean progress;
    int rc, status = 0;

    opt.cfg.addr4 = g_array_new(FALSE, FALSE, sizeof(struct prefix4));
    opt.cfg.addr6 = g_array_new(FALSE, FALSE, sizeof(struct prefix6));
    opt.cfg.open_ports = g_array_new(FALSE, FALSE, sizeof(struct port_range));
    opt.cfg.vlan_ids = g_array_new(FALSE, FALSE, sizeof(uint16_t));
    opt.cfg.vlans_all = true;
    opt.cfg.mtrace_group = g_ptr_array_new_with_free_func(g_free);
    opt.cfg.mtu = 1500;
    ctx = g_option_context_new("INPUT OUTPUT");
    g_option_context_set_summary(
        ctx, "Replay an Ethernet capture (pcap or pcapng; - is stdin) through the paths of\n"
             "the instrumented FreeBSD 15.1 stack and write the mbuf_trace capture it\n"
             "would make (pcap, DLT_USER0; - is stdout).  See docs/replay.md.");
    g_option_context_add_main_entries(ctx, entries, NULL);
    if (!g_option_context_parse(ctx, &argc, &argv, &error)) {
        g_printerr("%s: %s (try --help)\n", PROG, error->message);
        return 2;
    }
    if (argc != 3) {
        g_printerr("%s: want INPUT and OUTPUT (try --help)\n", PROG);
        return 2;
    }
    if (opt.cfg.mtu < 576 || opt.cfg.mtu > 65535) {
        g_printerr("%s: --mtu %d: want 576 to 65535\n", PROG, opt.cfg.mtu);
        return 2;
    }
    g_option_context_free(ctx);

    in = pcap_open_offline_with_tstamp_precision(argv[1], PCAP_TSTAMP_PRECISION_NANO, errbuf);
    if (in == NULL) {
        g_printerr("%s: cannot read %s: %s\n", PROG, argv[1], without_prefix(errbuf, argv[1]));
        return 1;
    }
    if (pcap_datalink(in) != DLT_EN10MB) {
        int dlt = pcap_datalink(in);
        const char *name = pcap_datalink_val_to_name(dlt);

        g_printerr("%s: %s: link type %s%s%s%s, not Ethernet (EN10MB): the replay needs Ethernet "
                   "frames%s\n",
                   PROG, argv[1], name != NULL ? name : "", name != NULL ? " (" : "",
                   pcap_datalink_val_to_description_or_dlt(dlt), name != NULL ? ")" : "",
                   dlt == DLT_USER0 ? " (147 is what mbuf_trace captures have: is this a trace?)"
                                    : "");
        pcap_close(in);
        return 1;
    }
    /* A clear message before the KPI's pcap writer tries the same. */
    if (strcmp(argv[2], "-") != 0) {
        if ((out = fopen(argv[2], "wb")) == NULL) {
            g_printerr("%s: cannot write %s: %s\n", PROG, argv[2], g_strerror(errno));
            pcap_close(in);
            return 1;
        }
        fclose(out);
    }

    kpi_boot();
    /*
     * No FREE records: their frames would be this program's functions,
     * which stand in for FreeBSD's only by their names (docs/replay.md).
     */
    kpi_sysctl_set_uint("net.mbuf_trace.free_site", 0);
    /* A new filter waits for the network epoch: set it before entering. */
    if (!set_selection()) {
        kpi_shutdown();
        return 2;
    }
    /* This thread is the driver: the stack runs in the network epoch. */
    kpi_net_epoch_enter();
    kpi_clock_set_boottime(0);
    /* The emit task runs here, after each packet, on the packet's clock. */
    kpi_taskqueue_hold(true);
    if (!set_limit("net.mbuf_trace.snap_max", opt.snap_max) ||
        !set_limit("net.mbuf_trace.trace_max", opt.trace_max) ||
        !set_limit("net.mbuf_trace.timestamps", opt.timestamps ? 1 : 0)) {
        kpi_shutdown();
        return 2;
    }
    listener = kpi_bpf_listen_pcap("mbuf_trace", argv[2]);
    if (listener == NULL) {
        g_printerr("%s: cannot write %s\n", PROG, argv[2]);
        kpi_shutdown();
        return 1;
    }
    drops = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    tp_drop_hook = count_drop;
    host_init(&host, &opt.cfg);
    progress = opt.progress || isatty(STDERR_FILENO);

    while ((rc = pcap_next_ex(in, &hdr, &data)) == 1) {
        uint64_t ts = (uint64_t)hdr->ts.tv_sec * 1000000000u + (uint64_t)hdr->ts.tv_usec;

        packets++;
        if (hdr->caplen < hdr->len) {
            /* Cut by the capture's snapshot length: not the frame the host got. */
            skipped++;
            continue;
        }
        /*
         * The kernel's clock is the capture's: each trace starts at its
         * packet's time, and frames are stamped with it when emitted.
         * It never goes back, as the uptime clock would not.
         */
        clock_ns = MAX(clock_ns, ts);
        ip_reass_expire(&host, clock_ns);
        kpi_clock_set(clock_ns, 0);
        host.now_ns = clock_ns;
        p = pkt_new_frame(data, hdr->caplen);
        if (opt.cfg.rxcsum)
            p->csum = PKT_CSUM_RX_VALID;
        ether_input(&host, &host.ether, p);
        host_tx_complete(&host);
        kpi_taskqueue_run_held();
        if (progress && (packets & 1023) == 0 && g_get_monotonic_time() >= next_progress) {
            g_printerr("\r%s: %" PRIu64 " packets, %zu traces", PROG, packets,
                       kpi_bpf_nframes(listener));
            next_progress = g_get_monotonic_time() + G_USEC_PER_SEC;
        }
    }
    if (progress && next_progress != 0)
        g_printerr("\n");
    if (rc == PCAP_ERROR) {
        g_printerr("%s: %s: packet %" PRIu64 ": %s\n", PROG, argv[1], packets + 1, pcap_geterr(in));
        status = 1;
    }
    /* Fragments still waiting: dropped when their time runs out, as they would be. */
    ip_reass_expire(&host, UINT64_MAX);
    host_destroy(&host);
    kpi_taskqueue_run_held();
    kpi_taskqueue_hold(false);
    /* Every packet the replay made must have been freed, hence traced out. */
    if (kpi_mbuf_outstanding() != 0) {
        g_printerr("%s: internal error: %ld mbufs never freed\n", PROG, kpi_mbuf_outstanding());
        status = 1;
    }
    g_printerr("%s: %" PRIu64 " packets read, %zu traces written", PROG, packets,
               kpi_bpf_nframes(listener));
    if (skipped > 0)
        g_printerr(", %" PRIu64 " packets skipped (cut short by the capture's snapshot length)",
                   skipped);
    g_printerr("\n");
    print_drops();
    kpi_bpf_unlisten(listener);
    kpi_shutdown();
    pcap_close(in);
    return status;
}
