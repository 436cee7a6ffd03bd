/* gen_captures.c
 * Writes the plugin's test captures: one small pcap per scenario, built
 * record by record so that every byte of every test input is reviewable here.
 *
 * usage: gen_captures OUTDIR              all scenarios, OUTDIR/<name>.pcap,
 *                                         and each frame as OUTDIR/seeds/<name>-<n>
 *        gen_captures --bench-KIND N FILE   the plugin benchmark's captures
 *            (bench/plugin-bench.sh): typical (T), acked (A), each also
 *            as KIND-ether (its snapshots as 2N Ethernet frames), strings
 *            (S), gen1, gen2
 *
 * The wire format is <sys/mbuf_trace.h>, explained in docs/format.md:
 * count:u16 then count records of length:u16 type:u16 payload[length], all
 * big-endian.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <pcap/pcap.h>

/* The format this project's kernel writes, as its header defines it. */
#include <sys/mbuf_trace.h>

/* The deployed kernel patch's record types: generation 1 numbers as the header
 * (without types 4 and up), generation 2 has a packet and a string type only. */
typedef struct generation {
    guint packet;
    guint string;  /* static text */
    guint dynamic; /* formatted text */
} generation_t;

static const generation_t gen1 = { MTRACE_REC_DATA, MTRACE_REC_STRING, MTRACE_REC_STRING_DYNAMIC };
static const generation_t gen2 = { 0, 1, 1 };

#define ETHERTYPE_IPV4 0x0800
#define ETHERTYPE_ARP  0x0806
#define ETHERTYPE_IPV6 0x86dd

/* Traces can exceed 64 KiB (a 65535-byte record plus its header alone
 * does), so the file's snapshot length is Wireshark's maximum. */
#define SNAPLEN 262144

/* Where each frame is also written as a raw file (fuzzer seeds); NULL when
 * writing a benchmark capture. */
static const char *seed_dir;

typedef struct frame {
    GByteArray *bytes;
    guint records;
} frame_t;

typedef struct capture {
    pcap_t *pcap;
    pcap_dumper_t *dumper;
    guint frames;
    char *seed_prefix; /* <dir>/seeds/<scenario>-, or NULL */
} capture_t;

static void
put16(GByteArray *b, guint v)
{
    guint8 x[2] = { (guint8)(v >> 8), (guint8)v };

    g_byte_array_append(b, x, 2);
}

static void
put32(GByteArray *b, guint32 v)
{
    put16(b, v >> 16);
    put16(b, v & 0xffff);
}

static frame_t
frame_new(void)
{
    frame_t f = { g_byte_array_new(), 0 };

    put16(f.bytes, 0); /* count, filled in by frame_write() */
    return f;
}

/* A record whose header says `declared` bytes but which carries `len`. */
static void
rec_raw(frame_t *f, guint declared, guint type, const void *payload, guint len)
{
    put16(f->bytes, declared);
    put16(f->bytes, type);
    g_byte_array_append(f->bytes, payload, len);
    f->records++;
}

static void
rec(frame_t *f, guint type, const void *payload, guint len)
{
    rec_raw(f, len, type, payload, len);
}

static void
rec_str(frame_t *f, guint type, const char *s)
{
    rec(f, type, s, (guint)strlen(s));
}

/* A C string with its terminating NUL, which the length counts: how the
 * deployed patch sends every string. */
static void
rec_cstr(frame_t *f, guint type, const char *s)
{
    rec(f, type, s, (guint)strlen(s) + 1);
}

static void
rec_time(frame_t *f, guint64 ns)
{
    put16(f->bytes, 8);
    put16(f->bytes, MTRACE_REC_TIME);
    put32(f->bytes, (guint32)(ns >> 32));
    put32(f->bytes, (guint32)ns);
    f->records++;
}

static void
rec_lost(frame_t *f, guint32 n)
{
    guint8 b[4] = { (guint8)(n >> 24), (guint8)(n >> 16), (guint8)(n >> 8), (guint8)n };

    rec(f, MTRACE_REC_LOST, b, sizeof(b));
}

/* Our kernel's CUT: the snapshot before it was cut from a packet of len. */
static void
rec_cut(frame_t *f, guint32 len)
{
    guint8 b[4] = { (guint8)(len >> 24), (guint8)(len >> 16), (guint8)(len >> 8), (guint8)len };

    rec(f, MTRACE_REC_CUT, b, sizeof(b));
}

/* FATE: what became of the packet (docs/format.md): fate, flags, reason,
 * value, then the detail text (NULL: none). */
static void
rec_fate(frame_t *f, guint fate, guint reason, gboolean has_value, guint32 value,
         const char *detail)
{
    GByteArray *p = g_byte_array_new();

    g_byte_array_append(p, (const guint8[]){ (guint8)fate, has_value ? MTRACE_FATE_VALUE : 0 }, 2);
    put16(p, reason);
    put32(p, value);
    if (detail != NULL)
        g_byte_array_append(p, (const guint8 *)detail, (guint)strlen(detail));
    rec(f, MTRACE_REC_FATE, p->data, p->len);
    g_byte_array_free(p, TRUE);
}

/* FREE: where the trace ended: the process, whether it is a user's, the
 * thread (NUL-padded to 20 bytes), the frames. */
static void
rec_free(frame_t *f, guint32 pid, gboolean user, const char *thread, const char *frames)
{
    GByteArray *p = g_byte_array_new();
    guint8 name[MTRACE_FREE_THREADLEN] = { 0 };

    put32(p, pid);
    g_byte_array_append(p, (const guint8[]){ user ? MTRACE_FREE_USER : 0, 0 }, 2);
    memcpy(name, thread, MIN(strlen(thread), sizeof(name) - 1));
    g_byte_array_append(p, name, sizeof(name));
    g_byte_array_append(p, (const guint8 *)frames, (guint)strlen(frames));
    rec(f, MTRACE_REC_FREE, p->data, p->len);
    g_byte_array_free(p, TRUE);
}

static void
rec_l3(frame_t *f, guint ethertype, const GByteArray *pkt, guint skip)
{
    GByteArray *p = g_byte_array_new();

    put16(p, ethertype);
    g_byte_array_append(p, pkt->data + skip, pkt->len - skip);
    rec(f, MTRACE_REC_DATA_L3, p->data, p->len);
    g_byte_array_free(p, TRUE);
}

/* One frame into the pcap and, for the fuzzer's seed corpus, into a file
 * of its own. */
static void
dump(capture_t *c, const guint8 *bytes, guint len)
{
    struct pcap_pkthdr h;

    c->frames++;
    /* Fixed times: the goldens must not depend on when they were made. */
    h.ts.tv_sec = 1700000000 + c->frames;
    h.ts.tv_usec = 0;
    h.caplen = h.len = len;
    pcap_dump((u_char *)c->dumper, &h, bytes);
    if (c->seed_prefix != NULL) {
        char *path = g_strdup_printf("%s%u", c->seed_prefix, c->frames);
        GError *error = NULL;

        if (!g_file_set_contents(path, (const char *)bytes, len, &error)) {
            fprintf(stderr, "gen_captures: %s\n", error->message);
            exit(1);
        }
        g_free(path);
    }
}

/* count < 0: the number of records written. */
static void
frame_write(capture_t *c, frame_t *f, int count)
{
    guint n = count < 0 ? f->records : (guint)count;

    f->bytes->data[0] = (guint8)(n >> 8);
    f->bytes->data[1] = (guint8)n;
    dump(c, f->bytes->data, f->bytes->len);
    g_byte_array_free(f->bytes, TRUE);
}

/* A frame of exactly these bytes, for malformations below the record level. */
static void
frame_write_bytes(capture_t *c, const void *bytes, guint len)
{
    dump(c, bytes, len);
}

static void
capture_open_dlt(capture_t *c, const char *dir, const char *name, int dlt)
{
    char *path = g_strdup_printf("%s/%s.pcap", dir, name);

    c->frames = 0;
    c->seed_prefix = seed_dir != NULL ? g_strdup_printf("%s/%s-", seed_dir, name) : NULL;
    c->pcap = pcap_open_dead(dlt, SNAPLEN);
    c->dumper = c->pcap != NULL ? pcap_dump_open(c->pcap, path) : NULL;
    if (c->dumper == NULL) {
        fprintf(stderr, "gen_captures: cannot write %s: %s\n", path,
                c->pcap != NULL ? pcap_geterr(c->pcap) : "pcap_open_dead failed");
        exit(1);
    }
    g_free(path);
}

static void
capture_open(capture_t *c, const char *dir, const char *name)
{
    capture_open_dlt(c, dir, name, DLT_USER0);
}

static void
capture_close(capture_t *c)
{
    pcap_dump_close(c->dumper);
    pcap_close(c->pcap);
    g_free(c->seed_prefix);
}

/* ---- Packets the snapshots show. Checksums are left 0: Wireshark does not
 * verify them by default and the trace is about the path, not the packet. */

static const guint8 mac_a[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x0a };
static const guint8 mac_b[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x0b };

static void
put_eth(GByteArray *p, guint ethertype)
{
    g_byte_array_append(p, mac_b, 6);
    g_byte_array_append(p, mac_a, 6);
    put16(p, ethertype);
}

/* Ethernet + IPv4 + TCP from 10.0.0.1:49152 to 10.0.0.2:port. */
static GByteArray *
pkt_tcp4(guint32 seq, guint flags, guint port, const char *payload)
{
    GByteArray *p = g_byte_array_new();
    guint plen = (guint)strlen(payload);

    put_eth(p, ETHERTYPE_IPV4);
    put16(p, 0x4500);
    put16(p, 20 + 20 + plen);
    put32(p, 0x00014000); /* id 1, DF */
    put16(p, 0x4006);     /* TTL 64, TCP */
    put16(p, 0);
    put32(p, 0x0a000001);
    put32(p, 0x0a000002);
    put16(p, 49152);
    put16(p, port);
    put32(p, seq);
    put32(p, flags & 0x10 ? 1000 : 0); /* ack */
    put16(p, 0x5000 | flags);
    put16(p, 65535);
    put32(p, 0); /* checksum, urgent */
    g_byte_array_append(p, (const guint8 *)payload, plen);
    return p;
}

/* The Internet checksum (RFC 1071) of b[len]: the ones' complement of the
 * ones' complement sum of its big-endian 16-bit words. */
static guint
inet_cksum(const guint8 *b, guint len)
{
    guint32 sum = 0;

    for (guint i = 0; i < len; i += 2)
        sum += (guint32)(b[i] << 8) | (i + 1 < len ? b[i + 1] : 0);
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return ~sum & 0xffff;
}

/* Ethernet + IPv6 + UDP from [2001:db8::1]:40000 to [2001:db8::2]:40001.
 * UDP over IPv6 must carry a checksum (RFC 8200), so this one is real. */
static GByteArray *
pkt_udp6(const char *payload)
{
    static const guint8 a1[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
    static const guint8 a2[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };
    GByteArray *p = g_byte_array_new(), *over;
    guint plen = (guint)strlen(payload);
    guint udp_off, sum;

    put_eth(p, ETHERTYPE_IPV6);
    put32(p, 0x60000000);
    put16(p, 8 + plen);
    put16(p, 0x1140); /* UDP, hop limit 64 */
    g_byte_array_append(p, a1, 16);
    g_byte_array_append(p, a2, 16);
    udp_off = p->len;
    put16(p, 40000);
    put16(p, 40001);
    put16(p, 8 + plen);
    put16(p, 0);
    g_byte_array_append(p, (const guint8 *)payload, plen);

    /* Over the pseudo-header (addresses, upper-layer length, next header)
     * and the datagram. */
    over = g_byte_array_new();
    g_byte_array_append(over, a1, 16);
    g_byte_array_append(over, a2, 16);
    put32(over, 8 + plen);
    put32(over, 17);
    g_byte_array_append(over, p->data + udp_off, 8 + plen);
    sum = inet_cksum(over->data, over->len);
    g_byte_array_free(over, TRUE);
    p->data[udp_off + 6] = (guint8)(sum >> 8);
    p->data[udp_off + 7] = (guint8)sum;
    return p;
}

/* Ethernet + ARP request: who has 10.0.0.2, tell 10.0.0.1. */
static GByteArray *
pkt_arp(void)
{
    static const guint8 zero[6] = { 0 };
    GByteArray *p = g_byte_array_new();

    put_eth(p, ETHERTYPE_ARP);
    put32(p, 0x00010800); /* Ethernet, IPv4 */
    put32(p, 0x06040001); /* sizes, request */
    g_byte_array_append(p, mac_a, 6);
    put32(p, 0x0a000001);
    g_byte_array_append(p, zero, 6);
    put32(p, 0x0a000002);
    return p;
}

/* Ethernet + IPv4 + ICMP echo request (type 8) or reply (type 0) between
 * 10.0.0.1 and 10.0.0.2, with a real ICMP checksum. */
static GByteArray *
pkt_icmp4(guint type, gboolean from_a)
{
    static const char data[] = "0123456789abcdef";
    GByteArray *p = g_byte_array_new();
    guint icmp_off, sum;

    put_eth(p, ETHERTYPE_IPV4);
    put16(p, 0x4500);
    put16(p, 20 + 8 + sizeof(data) - 1);
    put32(p, 0x00024000);
    put16(p, 0x4001); /* TTL 64, ICMP */
    put16(p, 0);
    put32(p, from_a ? 0x0a000001 : 0x0a000002);
    put32(p, from_a ? 0x0a000002 : 0x0a000001);
    icmp_off = p->len;
    put16(p, type << 8);
    put16(p, 0);
    put32(p, 0x12340001); /* id 0x1234, seq 1 */
    g_byte_array_append(p, (const guint8 *)data, sizeof(data) - 1);
    sum = inet_cksum(p->data + icmp_off, p->len - icmp_off);
    p->data[icmp_off + 2] = (guint8)(sum >> 8);
    p->data[icmp_off + 3] = (guint8)sum;
    return p;
}

/* The ARP reply to pkt_arp(): 10.0.0.2 is at mac_b. */
static GByteArray *
pkt_arp_reply(void)
{
    GByteArray *p = g_byte_array_new();

    g_byte_array_append(p, mac_a, 6);
    g_byte_array_append(p, mac_b, 6);
    put16(p, ETHERTYPE_ARP);
    put32(p, 0x00010800);
    put32(p, 0x06040002);
    g_byte_array_append(p, mac_b, 6);
    put32(p, 0x0a000002);
    g_byte_array_append(p, mac_a, 6);
    put32(p, 0x0a000001);
    return p;
}

#define ETH_HLEN 14

/* ---- Scenarios ---- */

/* What the kernel writes for a TCP segment received and delivered: the
 * deployed types 1-3 plus TIME stamps, an L3 snapshot and the four kinds of
 * location strings. Two more frames: an IPv6 datagram and an ARP request.
 * Written twice: as DLT_USER0, the kernel's linktype, and as DLT_USER3 for
 * the dlt_user preference. */
static void
scenario_basic(const char *dir, const char *name, int dlt)
{
    capture_t c;
    frame_t f;
    GByteArray *p;

    capture_open_dlt(&c, dir, name, dlt);

    p = pkt_tcp4(1001, 0x18, 80, "GET / HTTP/1.0\r\n\r\n");
    f = frame_new();
    rec_time(&f, 0);
    rec_str(&f, MTRACE_REC_STRING, "sys/net/if_ethersubr.c:623: +ether_input");
    rec(&f, MTRACE_REC_DATA, p->data, p->len);
    rec_str(&f, MTRACE_REC_STRING, "sys/net/if_ethersubr.c:651: -ether_input");
    rec_time(&f, 1250);
    rec_str(&f, MTRACE_REC_STRING, "sys/netinet/ip_input.c:512: +ip_input");
    rec_str(&f, MTRACE_REC_STRING, "sys/netinet/ip_input.c:530");
    rec_str(&f, MTRACE_REC_STRING_DYNAMIC, "ip_input: len 58 from 10.0.0.1");
    rec_time(&f, 4100);
    rec_str(&f, MTRACE_REC_STRING, "sys/netinet/tcp_input.c:601: +tcp_input");
    rec_l3(&f, ETHERTYPE_IPV4, p, ETH_HLEN);
    rec_str(&f, MTRACE_REC_STRING, "sys/netinet/tcp_input.c:1402: tcp_do_segment");
    rec_str(&f, MTRACE_REC_STRING, "sys/netinet/tcp_input.c:640: -tcp_input");
    rec_str(&f, MTRACE_REC_STRING, "sys/netinet/ip_input.c:790: -ip_input");
    frame_write(&c, &f, -1);
    g_byte_array_free(p, TRUE);

    p = pkt_udp6("hello");
    f = frame_new();
    rec_str(&f, MTRACE_REC_STRING, "sys/netinet6/ip6_input.c:560: +ip6_input");
    rec(&f, MTRACE_REC_DATA, p->data, p->len);
    rec_str(&f, MTRACE_REC_STRING, "sys/netinet/udp_usrreq.c:700: +udp_input");
    rec_str(&f, MTRACE_REC_STRING_DYNAMIC, "no socket for port 7777");
    rec_str(&f, MTRACE_REC_STRING, "sys/netinet/udp_usrreq.c:735: -udp_input");
    frame_write(&c, &f, -1);
    g_byte_array_free(p, TRUE);

    p = pkt_arp();
    f = frame_new();
    rec_str(&f, MTRACE_REC_STRING, "sys/net/if_ethersubr.c:623: +ether_input");
    rec_str(&f, MTRACE_REC_STRING, "sys/netinet/if_ether.c:800: arpintr");
    rec(&f, MTRACE_REC_DATA, p->data, p->len);
    rec_str(&f, MTRACE_REC_STRING, "sys/netinet/if_ether.c:880: in_arpinput");
    frame_write(&c, &f, -1);
    g_byte_array_free(p, TRUE);

    capture_close(&c);
}

/* Every record type, one per frame, then a type the format does not know. */
static void
scenario_record_types(const char *dir)
{
    capture_t c;
    frame_t f;
    GByteArray *p = pkt_arp();
    static const guint8 unknown[] = { 0xde, 0xad, 0xbe, 0xef, 0x01 };

    capture_open(&c, dir, "record_types");
    f = frame_new();
    rec(&f, MTRACE_REC_DATA, p->data, p->len);
    frame_write(&c, &f, -1);
    f = frame_new();
    rec_str(&f, MTRACE_REC_STRING, "sys/net/if.c:100: +if_input");
    frame_write(&c, &f, -1);
    f = frame_new();
    rec_str(&f, MTRACE_REC_STRING_DYNAMIC, "dynamic text");
    frame_write(&c, &f, -1);
    f = frame_new();
    rec_l3(&f, ETHERTYPE_ARP, p, ETH_HLEN);
    frame_write(&c, &f, -1);
    f = frame_new();
    rec_time(&f, 1000000123);
    rec_str(&f, MTRACE_REC_STRING, "stamped");
    frame_write(&c, &f, -1);
    f = frame_new();
    rec_lost(&f, 7);
    frame_write(&c, &f, -1);
    f = frame_new();
    rec_cut(&f, 1500);
    frame_write(&c, &f, -1);
    f = frame_new();
    rec_fate(&f, MTRACE_FATE_SENT, MTRACE_R_SENT, FALSE, 0, "vtnet0");
    frame_write(&c, &f, -1);
    f = frame_new();
    rec_free(&f, 812, TRUE, "nc", "sbappendaddr_locked+0x4a < udp_append+0x1c2");
    frame_write(&c, &f, -1);
    f = frame_new();
    rec(&f, 99, unknown, sizeof(unknown));
    rec_str(&f, MTRACE_REC_STRING, "after the unknown record");
    frame_write(&c, &f, -1);
    capture_close(&c);
    g_byte_array_free(p, TRUE);
}

/* For the stats tree's "unknown" and "Lost records" buckets: types just
 * outside the known ones (0, 10 right after FREE, 0xffff) and LOST records
 * that add up across frames. */
static void
scenario_lost_unknown(const char *dir)
{
    capture_t c;
    frame_t f;

    capture_open(&c, dir, "lost_unknown");
    f = frame_new();
    rec_str(&f, MTRACE_REC_STRING, "sys/net/if.c:100: +if_input");
    /* Types no generation uses: 0 means generation 2. */
    rec(&f, MTRACE_REC_MAX + 1, "\x01", 1);
    rec_lost(&f, 3);
    frame_write(&c, &f, -1);
    f = frame_new();
    rec(&f, MTRACE_REC_MAX + 1, "", 0);
    rec(&f, 0xffff, "??", 2);
    rec_str(&f, MTRACE_REC_STRING_DYNAMIC, "dynamic text");
    rec_lost(&f, 5);
    frame_write(&c, &f, -1);
    capture_close(&c);
}

/* What became of packets, a frame of each (docs/format.md, "FATE"): a
 * drop pf decided, with its rule and label; drops in a row (the reasons
 * all tell); a drop, then the packet delivered after all; consumed into an
 * ICMP error; delivered to a socket; sent; a reason this plugin does not
 * know; a trace that ends without saying, only where it was freed; and a
 * free site of a kernel without frame pointers (no frames). */
static void
scenario_fates(const char *dir)
{
    capture_t c;
    frame_t f;
    GByteArray *p = pkt_icmp4(8, TRUE);

    capture_open(&c, dir, "fates");
    f = frame_new();
    rec(&f, MTRACE_REC_DATA, p->data, p->len);
    rec_str(&f, MTRACE_REC_STRING, "sys/netinet/ip_input.c:470: +ip_input");
    rec_fate(&f, MTRACE_FATE_DROPPED, MTRACE_R_PF_MATCH, TRUE, 2, "block-telnet");
    rec_free(&f, 0, FALSE, "swi1: netisr 0",
             "pf_test+0x4a5 < pf_check_in+0x1d < pfil_mbuf_in+0x3b");
    frame_write(&c, &f, -1);
    f = frame_new();
    rec(&f, MTRACE_REC_DATA, p->data, p->len);
    rec_fate(&f, MTRACE_FATE_DROPPED, MTRACE_R_PF_BADSTATE, TRUE, 4294967295u, NULL);
    rec_fate(&f, MTRACE_FATE_DROPPED, MTRACE_R_PF_MEMORY, FALSE, 0, NULL);
    rec_free(&f, 0, FALSE, "swi1: netisr 0", "pf_test+0x4a5");
    frame_write(&c, &f, -1);
    f = frame_new();
    rec(&f, MTRACE_REC_DATA, p->data, p->len);
    rec_fate(&f, MTRACE_FATE_DROPPED, MTRACE_R_PF_MEMORY, FALSE, 0, NULL);
    rec_fate(&f, MTRACE_FATE_DELIVERED, MTRACE_R_SOCKET, TRUE, 17,
             "udp 192.0.2.1:7104 < 192.0.2.2:51000");
    rec_free(&f, 0, FALSE, "swi1: netisr 0",
             "sbappendaddr_locked_internal+0x1a0 < udp_append+0x2cc < udp_input+0x8d1");
    frame_write(&c, &f, -1);
    f = frame_new();
    rec(&f, MTRACE_REC_DATA, p->data, p->len);
    rec_str(&f, MTRACE_REC_STRING, "sys/netinet/udp_usrreq.c:640: +udp_input");
    rec_fate(&f, MTRACE_FATE_CONSUMED, MTRACE_R_ICMP_ERROR, TRUE, 3 << 8 | 3, NULL);
    rec_free(&f, 0, FALSE, "swi1: netisr 0", "icmp_error+0x6f1 < udp_input+0x9c4");
    frame_write(&c, &f, -1);
    f = frame_new();
    rec(&f, MTRACE_REC_DATA, p->data, p->len);
    rec_fate(&f, MTRACE_FATE_DELIVERED, MTRACE_R_SOCKET, TRUE, 6,
             "tcp [2001:db8::1]:7000 < [2001:db8::2]:49152");
    rec_free(&f, 0, FALSE, "swi1: netisr 0", "m_demote+0x3a < sbappendstream_locked+0x21");
    frame_write(&c, &f, -1);
    f = frame_new();
    rec_str(&f, MTRACE_REC_STRING, "sys/netinet/ip_output.c:360: +ip_output");
    rec(&f, MTRACE_REC_DATA, p->data, p->len);
    rec_fate(&f, MTRACE_FATE_SENT, MTRACE_R_SENT, FALSE, 0, "vtnet0");
    rec_free(&f, 812, TRUE, "ping", "ether_output_frame+0x3c < ether_output+0x6d7");
    frame_write(&c, &f, -1);
    f = frame_new();
    rec(&f, MTRACE_REC_DATA, p->data, p->len);
    rec_fate(&f, MTRACE_FATE_DROPPED, 65000, TRUE, 61, "a future kernel's reason");
    frame_write(&c, &f, -1);
    f = frame_new();
    rec(&f, MTRACE_REC_DATA, p->data, p->len);
    rec_str(&f, MTRACE_REC_STRING, "sys/netinet/ip_input.c:470: +ip_input");
    rec_free(&f, 0, FALSE, "swi1: netisr 0",
             "ip_dooptions+0x2f4 < ip_input+0x55c < netisr_dispatch_src+0x9a");
    frame_write(&c, &f, -1);
    f = frame_new();
    rec(&f, MTRACE_REC_DATA, p->data, p->len);
    rec_free(&f, 0, FALSE, "intr", "");
    frame_write(&c, &f, -1);
    capture_close(&c);
    g_byte_array_free(p, TRUE);
}

/* One malformation per frame; each frame ends with what can still be
 * decoded after the fault. */
static void
scenario_malformed(const char *dir)
{
    static const guint8 one_byte[] = { 0x00 };
    static const guint8 time7[7] = { 0 };
    static const guint8 time9[9] = { 0, 0, 0, 0, 0, 0, 0, 1, 0xff };
    static const guint8 lost3[3] = { 0, 0, 1 };
    static const guint8 lost5[5] = { 0, 0, 0, 2, 0xff };
    static const guint8 l3_1[1] = { 0x08 };
    capture_t c;
    frame_t f;

    capture_open(&c, dir, "malformed");

    /* 1: empty frame, 2: a lone byte: no room for the count. */
    frame_write_bytes(&c, "", 0);
    frame_write_bytes(&c, one_byte, sizeof(one_byte));

    /* 3: count says 3, two records follow. */
    f = frame_new();
    rec_str(&f, MTRACE_REC_STRING, "sys/a.c:1: +first");
    rec_str(&f, MTRACE_REC_STRING, "sys/a.c:2: +second");
    frame_write(&c, &f, 3);

    /* 4: a record header cut after 2 of its 4 bytes. */
    f = frame_new();
    rec_str(&f, MTRACE_REC_STRING, "sys/a.c:1: +complete");
    put16(f.bytes, 10);
    frame_write(&c, &f, 2);

    /* 5: a string record whose payload is cut short. */
    f = frame_new();
    rec_str(&f, MTRACE_REC_STRING, "sys/a.c:1: +complete");
    rec_raw(&f, 40, MTRACE_REC_STRING, "sys/a.c:2: +cut_sh", 18);
    frame_write(&c, &f, -1);

    /* 6: an Ethernet snapshot cut short: decoded as far as it goes. */
    {
        GByteArray *p = pkt_tcp4(1, 0x02, 22, "");

        f = frame_new();
        rec_raw(&f, (guint)p->len, MTRACE_REC_DATA, p->data, 30);
        frame_write(&c, &f, -1);
        g_byte_array_free(p, TRUE);
    }

    /* 7: two records, then 3 trailing bytes. */
    f = frame_new();
    rec_str(&f, MTRACE_REC_STRING, "sys/a.c:1: +one");
    rec_str(&f, MTRACE_REC_STRING, "sys/a.c:2: +two");
    g_byte_array_append(f.bytes, (const guint8 *)"xyz", 3);
    frame_write(&c, &f, 2);

    /* 8: count 0 with bytes after it. */
    f = frame_new();
    g_byte_array_append(f.bytes, (const guint8 *)"\x00\x01", 2);
    frame_write(&c, &f, 0);

    /* 9: TIME of 7 and of 9 bytes; LOST of 3 and 5; DATA_L3 of 1. The long
     * ones still decode their first 8 / 4 bytes. */
    f = frame_new();
    rec(&f, MTRACE_REC_TIME, time7, sizeof(time7));
    rec(&f, MTRACE_REC_TIME, time9, sizeof(time9));
    rec_str(&f, MTRACE_REC_STRING, "stamped by the 9-byte TIME");
    rec(&f, MTRACE_REC_LOST, lost3, sizeof(lost3));
    rec(&f, MTRACE_REC_LOST, lost5, sizeof(lost5));
    rec(&f, MTRACE_REC_DATA_L3, l3_1, sizeof(l3_1));
    rec_str(&f, MTRACE_REC_STRING, "sys/a.c:9: +still_decoded");
    frame_write(&c, &f, -1);

    /* 10: NUL inside a string (flagged), and a string ending in NUL: its
     * terminator, as the deployed kernels send it (not flagged). */
    f = frame_new();
    rec(&f, MTRACE_REC_STRING_DYNAMIC, "before\0after", 12);
    rec(&f, MTRACE_REC_STRING, "sys/a.c:3: +terminated\0", 23);
    frame_write(&c, &f, -1);

    /* 11: lost records. */
    f = frame_new();
    rec_str(&f, MTRACE_REC_STRING, "sys/a.c:1: +busy");
    rec_lost(&f, 42);
    frame_write(&c, &f, -1);

    /* 12: a TIME followed by a TIME, and a TIME at the end: neither stamps
     * anything. */
    f = frame_new();
    rec_time(&f, 100);
    rec_time(&f, 200);
    rec_str(&f, MTRACE_REC_STRING, "stamped at 200 ns");
    rec_time(&f, 300);
    frame_write(&c, &f, -1);

    /* 13: a 2-byte Ethernet snapshot throws inside the Ethernet dissector;
     * the records after it still decode. */
    f = frame_new();
    rec(&f, MTRACE_REC_DATA, "\x02\x00", 2);
    rec_str(&f, MTRACE_REC_STRING, "sys/a.c:5: +after_exception");
    frame_write(&c, &f, -1);

    /* 14: an unknown type in the middle. */
    f = frame_new();
    rec_str(&f, MTRACE_REC_STRING, "sys/a.c:1: +before");
    rec(&f, 0x7fff, "??", 2);
    rec_str(&f, MTRACE_REC_STRING, "sys/a.c:2: +after");
    frame_write(&c, &f, -1);

    capture_close(&c);
}

/* Limits: count 0, zero-length records of every type, a 65535-byte record,
 * non-ASCII bytes, and text that only looks like a location. */
static void
scenario_edges(const char *dir)
{
    capture_t c;
    frame_t f;
    guint8 *big = g_malloc(65535);

    capture_open(&c, dir, "edges");

    /* 1: an empty trace. */
    f = frame_new();
    frame_write(&c, &f, 0);

    /* 2: zero-length records of every type. */
    f = frame_new();
    for (guint type = MTRACE_REC_DATA; type <= MTRACE_REC_LOST; type++)
        rec(&f, type, "", 0);
    rec(&f, 200, "", 0);
    frame_write(&c, &f, -1);

    /* 3: the largest record: a 65535-byte string, mostly 'x', ending in a
     * location-like tail that must not parse (the file part has spaces). */
    memset(big, 'x', 65535);
    memcpy(big + 65535 - 20, " tail.c:1: +not_loc", 19);
    big[65534] = 'X';
    f = frame_new();
    rec(&f, MTRACE_REC_STRING_DYNAMIC, big, 65535);
    rec_str(&f, MTRACE_REC_STRING, "sys/a.c:7: +after_big");
    frame_write(&c, &f, -1);

    /* 4: non-ASCII: valid UTF-8, an invalid byte, Latin-1. */
    f = frame_new();
    rec_str(&f, MTRACE_REC_STRING_DYNAMIC, "caf\xc3\xa9 na\xc3\xafve");
    rec_str(&f, MTRACE_REC_STRING_DYNAMIC, "bad \xff byte");
    rec_str(&f, MTRACE_REC_STRING, "sys/r\xe9seau.c:12: +latin1_file");
    frame_write(&c, &f, -1);

    /* 5: almost locations (free text), and the exact forms. */
    f = frame_new();
    rec_str(&f, MTRACE_REC_STRING, "state:3");
    rec_str(&f, MTRACE_REC_STRING, "sys/a.c:");
    rec_str(&f, MTRACE_REC_STRING, "sys/a.c:12:");
    rec_str(&f, MTRACE_REC_STRING, "sys/a.c:12: ");
    rec_str(&f, MTRACE_REC_STRING, "sys/a.c:12: +");
    rec_str(&f, MTRACE_REC_STRING, "sys/a.c:12: +two words");
    rec_str(&f, MTRACE_REC_STRING, "sys/a.c:12345678901: +too_long_line");
    rec_str(&f, MTRACE_REC_STRING, "sys/a.c:4294967295: max_line");
    rec_str(&f, MTRACE_REC_STRING, "sys/a.c:12 +no_colon");
    rec_str(&f, MTRACE_REC_STRING, "/usr/src/sys/kern/uipc_mbuf.c:99: m_free");
    rec_str(&f, MTRACE_REC_STRING, "sys/a.c:1: +f");
    rec_str(&f, MTRACE_REC_STRING, "sys/a.c:2: +f");
    rec_str(&f, MTRACE_REC_STRING, "sys/a.c:3: -f");
    rec_str(&f, MTRACE_REC_STRING, "sys/a.c:4: f");
    rec_str(&f, MTRACE_REC_STRING, "sys/a.c:5: +g");
    frame_write(&c, &f, -1);

    capture_close(&c);
    g_free(big);
}

/* Several snapshots of one packet: the same TCP segment at three trace
 * points (Ethernet, then twice at L3), and L3 snapshots of IPv4, IPv6 and
 * ARP. Frame 1 opens the connection so frame 2's segment is in sequence;
 * frames 4 and 5 carry an HTTP request split over two segments, each seen
 * at two trace points, so it needs TCP reassembly exactly once. */
static void
scenario_snapshots(const char *dir)
{
    capture_t c;
    frame_t f;
    GByteArray *syn = pkt_tcp4(1000, 0x02, 80, "");
    static const char req[] = "GET /index.html HTTP/1.1\r\nHost: a\r\n\r\n";
    static const char part1[] = "GET /split HTTP/1.1\r\nHo";
    GByteArray *seg = pkt_tcp4(1001, 0x18, 80, req);
    GByteArray *split1 = pkt_tcp4(1001 + sizeof(req) - 1, 0x10, 80, part1);
    GByteArray *split2 =
        pkt_tcp4(1001 + sizeof(req) - 1 + sizeof(part1) - 1, 0x18, 80, "st: b\r\n\r\n");
    GByteArray *v6 = pkt_udp6("hi");
    GByteArray *arp = pkt_arp();

    capture_open(&c, dir, "snapshots");

    f = frame_new();
    rec_str(&f, MTRACE_REC_STRING, "sys/net/if_ethersubr.c:623: +ether_input");
    rec(&f, MTRACE_REC_DATA, syn->data, syn->len);
    frame_write(&c, &f, -1);

    f = frame_new();
    rec_str(&f, MTRACE_REC_STRING, "sys/net/if_ethersubr.c:623: +ether_input");
    rec(&f, MTRACE_REC_DATA, seg->data, seg->len);
    rec_str(&f, MTRACE_REC_STRING, "sys/netinet/ip_input.c:512: +ip_input");
    rec_l3(&f, ETHERTYPE_IPV4, seg, ETH_HLEN);
    rec_str(&f, MTRACE_REC_STRING, "sys/netinet/tcp_input.c:601: +tcp_input");
    rec_l3(&f, ETHERTYPE_IPV4, seg, ETH_HLEN);
    frame_write(&c, &f, -1);

    f = frame_new();
    rec_str(&f, MTRACE_REC_STRING, "sys/netinet6/ip6_input.c:560: +ip6_input");
    rec_l3(&f, ETHERTYPE_IPV6, v6, ETH_HLEN);
    rec_str(&f, MTRACE_REC_STRING, "sys/netinet/if_ether.c:800: arpintr");
    rec_l3(&f, ETHERTYPE_ARP, arp, ETH_HLEN);
    rec_str(&f, MTRACE_REC_STRING, "sys/netinet/ip_input.c:512: +ip_input");
    rec_l3(&f, ETHERTYPE_IPV4, syn, ETH_HLEN);
    /* An ethertype nothing decodes: the bytes go to the data dissector. */
    rec_l3(&f, 0x88b5, arp, ETH_HLEN);
    frame_write(&c, &f, -1);

    f = frame_new();
    rec(&f, MTRACE_REC_DATA, split1->data, split1->len);
    rec_str(&f, MTRACE_REC_STRING, "sys/netinet/tcp_input.c:601: +tcp_input");
    rec_l3(&f, ETHERTYPE_IPV4, split1, ETH_HLEN);
    frame_write(&c, &f, -1);

    f = frame_new();
    rec(&f, MTRACE_REC_DATA, split2->data, split2->len);
    rec_str(&f, MTRACE_REC_STRING, "sys/netinet/tcp_input.c:601: +tcp_input");
    rec_l3(&f, ETHERTYPE_IPV4, split2, ETH_HLEN);
    frame_write(&c, &f, -1);

    capture_close(&c);
    g_byte_array_free(syn, TRUE);
    g_byte_array_free(seg, TRUE);
    g_byte_array_free(split1, TRUE);
    g_byte_array_free(split2, TRUE);
    g_byte_array_free(v6, TRUE);
    g_byte_array_free(arp, TRUE);
}

/* The deployed format only (types 1-3), with what the Lua dissector handles
 * oddly: type 3 (dropped by its bug), non-ASCII, NUL, empty strings, and a
 * cut record at the end. The compatibility test decodes it with both. */
static void
scenario_compat(const char *dir)
{
    capture_t c;
    frame_t f;
    GByteArray *p = pkt_tcp4(1, 0x02, 22, "");

    capture_open(&c, dir, "compat");

    f = frame_new();
    rec_str(&f, MTRACE_REC_STRING, "sys/net/if_ethersubr.c:623: +ether_input");
    rec(&f, MTRACE_REC_DATA, p->data, p->len);
    rec_str(&f, MTRACE_REC_STRING_DYNAMIC, "dynamic, with a comma");
    rec_str(&f, MTRACE_REC_STRING, "sys/netinet/ip_input.c:512: +ip_input");
    frame_write(&c, &f, -1);

    f = frame_new();
    rec_str(&f, MTRACE_REC_STRING, "caf\xc3\xa9");
    rec_str(&f, MTRACE_REC_STRING_DYNAMIC, "bad \xff byte");
    rec(&f, MTRACE_REC_STRING, "nul\0inside", 11);
    rec(&f, MTRACE_REC_STRING_DYNAMIC, "", 0);
    rec(&f, MTRACE_REC_STRING, "", 0);
    rec_str(&f, MTRACE_REC_STRING, "sys/a.c:1: -ip_input");
    frame_write(&c, &f, -1);

    f = frame_new();
    rec_str(&f, MTRACE_REC_STRING_DYNAMIC, "only dynamic");
    rec_str(&f, MTRACE_REC_STRING, "static then cut");
    rec_raw(&f, 50, MTRACE_REC_STRING, "cut", 3);
    frame_write(&c, &f, -1);

    capture_close(&c);
    g_byte_array_free(p, TRUE);
}

/* What the deployed patch writes for a packet sent on vtnet0, byte for byte
 * as its real captures hold it: the packet is handed to
 * if_transmit_default(), enqueued, then dequeued by the driver, and the
 * frame lists those records newest first, with NUL-terminated strings and
 * absolute __FILE__ paths. `first` is the packet as if_transmit_default()
 * saw it, `last` as the driver dequeued it (the same packet, unless the
 * test needs them apart). */
static void
deployed_frame(capture_t *c, const generation_t *g, const GByteArray *first, const GByteArray *last)
{
    frame_t f = frame_new();

    rec(&f, g->packet, last->data, last->len);
    rec_cstr(&f, g->dynamic, "/usr/src/sys/net/if.c:4784: if_dequeue(vtnet0)");
    rec_cstr(&f, g->string, "/usr/src/sys/net/if.c:4782: IFQ_DEQUEUE_NOLOCK");
    rec_cstr(&f, g->string, "/usr/src/sys/net/if.c:4782: _IF_DEQUEUE");
    rec_cstr(&f, g->string, "/usr/src/sys/net/if.c:3982: _IF_ENQUEUE");
    rec_cstr(&f, g->string, "/usr/src/sys/net/if.c:3982: IFQ_ENQUEUE");
    rec_cstr(&f, g->dynamic, "/usr/src/sys/net/if.c:3982: IFQ_HANDOFF_ADJ(vtnet0)");
    rec(&f, g->packet, first->data, first->len);
    rec_cstr(&f, g->dynamic, "/usr/src/sys/net/if.c:3980: if_transmit_default(vtnet0)");
    frame_write(c, &f, -1);
}

/* The deployed patch's captures, one per generation: ARP request and
 * reply, an ICMP echo request that the trace follows into its reply (the
 * snapshots differ: the first in time is the request), and a TCP
 * handshake and segment. Then what each generation alone can hold: a frame
 * of type 1 records only (generation 1: packets; generation 2: strings),
 * and free text after a location. */
static void
scenario_deployed(const char *dir, const char *name, const generation_t *g)
{
    GByteArray *arp = pkt_arp(), *arp_reply = pkt_arp_reply();
    GByteArray *echo = pkt_icmp4(8, TRUE), *echo_reply = pkt_icmp4(0, FALSE);
    GByteArray *syn = pkt_tcp4(1000, 0x02, 80, "");
    GByteArray *seg = pkt_tcp4(1001, 0x18, 80, "GET / HTTP/1.0\r\n\r\n");
    capture_t c;
    frame_t f;

    capture_open(&c, dir, name);
    deployed_frame(&c, g, arp, arp);
    deployed_frame(&c, g, arp_reply, arp_reply);
    deployed_frame(&c, g, echo, echo_reply);
    deployed_frame(&c, g, syn, syn);
    deployed_frame(&c, g, seg, seg);

    f = frame_new();
    if (g->packet == 1) {
        rec(&f, 1, arp_reply->data, arp_reply->len);
        rec(&f, 1, arp->data, arp->len);
    } else {
        rec_cstr(&f, 1, "/usr/src/sys/net/if.c:4784: if_dequeue(vtnet0)");
        rec_cstr(&f, 1, "/usr/src/sys/net/if.c:3980: if_transmit_default(vtnet0)");
    }
    frame_write(&c, &f, -1);

    f = frame_new();
    rec_cstr(&f, g->dynamic, "/usr/src/sys/netinet/ip_input.c:600: drop: bad checksum");
    rec(&f, g->packet, echo->data, echo->len);
    rec_cstr(&f, g->string, "/usr/src/sys/netinet/ip_input.c:512: ip_input");
    frame_write(&c, &f, -1);

    /* Packets alone, one of them cut to bytes whose only zero is the last:
     * a C string by accident, which does not make the frame strings. */
    if (g->packet == 1) {
        /* An Ethernet header to a protocol nobody knows, 0x8800. */
        static const uint8_t cut[] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02,
                                       0x01, 0x02, 0x03, 0x04, 0x05, 0x88, 0x00 };

        f = frame_new();
        rec(&f, 1, cut, sizeof(cut));
        rec(&f, 1, arp->data, arp->len);
        frame_write(&c, &f, -1);
    }

    capture_close(&c);
    g_byte_array_free(arp, TRUE);
    g_byte_array_free(arp_reply, TRUE);
    g_byte_array_free(echo, TRUE);
    g_byte_array_free(echo_reply, TRUE);
    g_byte_array_free(syn, TRUE);
    g_byte_array_free(seg, TRUE);
}

/* Every form of trace string the grammar of docs/format.md knows, in our
 * kernel's layout (oldest first, no terminators), then the NUL cases. */
static void
scenario_strings(const char *dir)
{
    capture_t c;
    frame_t f;

    capture_open(&c, dir, "strings");

    /* 1: locations with every kind of file path and function. */
    f = frame_new();
    rec_str(&f, MTRACE_REC_STRING, "/usr/src/sys/net/if.c:3980: if_transmit_default(vtnet0)");
    rec_str(&f, MTRACE_REC_STRING, "sys/net/if.c:3982: +IFQ_HANDOFF_ADJ(vtnet0)");
    rec_str(&f, MTRACE_REC_STRING, "../../../net/if.c:3983: _IF_ENQUEUE");
    rec_str(&f, MTRACE_REC_STRING, "/home/me/src/sys/net/if.c:3984: -IFQ_HANDOFF_ADJ(vtnet0)");
    rec_str(&f, MTRACE_REC_STRING, "/usr/src/sys/net/if.c:4784: m_pullup(m, (sizeof(struct ip)))");
    rec_str(&f, MTRACE_REC_STRING, "/usr/src/sys/net/if.c:4785: f()");
    rec_str(&f, MTRACE_REC_STRING, "/usr/src/sys/net/if.c:4786");
    frame_write(&c, &f, -1);

    /* 2: free text after a location, and strings that only look like
     * functions (they stay text). */
    f = frame_new();
    rec_str(&f, MTRACE_REC_STRING_DYNAMIC,
            "/usr/src/sys/netinet/ip_input.c:600: drop: bad checksum");
    rec_str(&f, MTRACE_REC_STRING, "sys/a.c:1: f(a) (b)");
    rec_str(&f, MTRACE_REC_STRING, "sys/a.c:2: f(unclosed");
    rec_str(&f, MTRACE_REC_STRING, "sys/a.c:3: f(a))");
    rec_str(&f, MTRACE_REC_STRING, "sys/a.c:4: 9lives(x)");
    rec_str(&f, MTRACE_REC_STRING, "sys/a.c:5: +");
    rec_str(&f, MTRACE_REC_STRING_DYNAMIC, "drop: no route");
    rec_str(&f, MTRACE_REC_STRING, "IFQ_DEQUEUE_NOLOCK");
    frame_write(&c, &f, -1);

    /* 3: the path: a function only its leave names is on it; a leave after
     * its enter is not; a mark between repeats of one function collapses. */
    f = frame_new();
    rec_str(&f, MTRACE_REC_STRING, "sys/a.c:1: -only_left");
    rec_str(&f, MTRACE_REC_STRING, "sys/a.c:2: +outer");
    rec_str(&f, MTRACE_REC_STRING, "sys/a.c:3: +inner(x)");
    rec_str(&f, MTRACE_REC_STRING, "sys/a.c:4: -inner(x)");
    rec_str(&f, MTRACE_REC_STRING, "sys/a.c:5: outer");
    rec_str(&f, MTRACE_REC_STRING, "sys/a.c:6: -outer");
    rec_str(&f, MTRACE_REC_STRING, "sys/a.c:7: -also_left");
    frame_write(&c, &f, -1);

    /* 4: NULs: a terminator (not part of the value), a NUL inside, a NUL
     * inside and a terminator, a string that is only a terminator, two
     * NULs at the end (the last is the terminator). */
    f = frame_new();
    rec(&f, MTRACE_REC_STRING, "sys/a.c:1: +terminated\0", 23);
    rec(&f, MTRACE_REC_STRING_DYNAMIC, "before\0after", 12);
    rec(&f, MTRACE_REC_STRING_DYNAMIC, "before\0after\0", 13);
    rec(&f, MTRACE_REC_STRING, "", 1);
    rec(&f, MTRACE_REC_STRING_DYNAMIC, "two\0\0", 5);
    frame_write(&c, &f, -1);

    /* 5: non-ASCII: none of it may reach a field as invalid UTF-8. */
    f = frame_new();
    rec_str(&f, MTRACE_REC_STRING_DYNAMIC, "caf\xc3\xa9");
    rec_str(&f, MTRACE_REC_STRING_DYNAMIC, "bad \xff byte");
    rec_str(&f, MTRACE_REC_STRING, "/usr/src/sys/r\xe9seau.c:12: f(\xe9t\xe9)");
    rec_str(&f, MTRACE_REC_STRING, "sys/a.c:13: drop: \xff");
    frame_write(&c, &f, -1);

    capture_close(&c);
}

/* Snapshots our kernel cut at snap_max, each followed by the CUT record
 * that tells the packet's length; then CUTs that describe nothing. */
static void
scenario_cut(const char *dir)
{
    GByteArray *seg = pkt_tcp4(1001, 0x18, 80, "GET /a/long/path/to/cut HTTP/1.0\r\n\r\n");
    GByteArray *v6 = pkt_udp6("a datagram longer than the snapshot");
    capture_t c;
    frame_t f;

    capture_open(&c, dir, "cut");

    /* 1: an Ethernet snapshot cut to 60 bytes: into the TCP payload. */
    f = frame_new();
    rec_str(&f, MTRACE_REC_STRING, "sys/net/if_ethersubr.c:623: +ether_input");
    rec(&f, MTRACE_REC_DATA, seg->data, 60);
    rec_cut(&f, seg->len);
    frame_write(&c, &f, -1);

    /* 2: an L3 snapshot cut inside the IPv6 header, and one that was not
     * cut (no CUT after it). */
    f = frame_new();
    rec_str(&f, MTRACE_REC_STRING, "sys/netinet6/ip6_input.c:560: +ip6_input");
    rec_l3(&f, ETHERTYPE_IPV6, v6, ETH_HLEN);
    {
        GByteArray *l3 = g_byte_array_new();

        put16(l3, ETHERTYPE_IPV6);
        g_byte_array_append(l3, v6->data + ETH_HLEN, 30);
        rec(&f, MTRACE_REC_DATA_L3, l3->data, l3->len);
        g_byte_array_free(l3, TRUE);
    }
    rec_cut(&f, v6->len - ETH_HLEN);
    frame_write(&c, &f, -1);

    /* 3: CUTs that describe no snapshot: first in the frame, after a
     * string, shorter than the snapshot before it, and of a wrong length. */
    f = frame_new();
    rec_cut(&f, 100);
    rec_str(&f, MTRACE_REC_STRING, "sys/a.c:1: +f");
    rec_cut(&f, 100);
    rec(&f, MTRACE_REC_DATA, seg->data, 60);
    rec_cut(&f, 59);
    rec(&f, MTRACE_REC_CUT, "\0\0\1", 3);
    frame_write(&c, &f, -1);

    capture_close(&c);
    g_byte_array_free(seg, TRUE);
    g_byte_array_free(v6, TRUE);
}

/* docs/format.md, "Version": the record a reader knows this kernel's frames
 * by, first in the frame. Not in <sys/mbuf_trace.h> yet: neither the kernel
 * nor the plugin writes or checks it. `extra` bytes after the version, which
 * a reader skips. */
#define VERSION_TYPE 10
static void
rec_version(frame_t *f, guint version, guint extra)
{
    GByteArray *p = g_byte_array_new();

    g_byte_array_append(p, (const guint8 *)"MBTR", 4);
    put16(p, version);
    for (guint i = 0; i < extra; i++)
        g_byte_array_append(p, (const guint8[]){ 0 }, 1);
    rec(f, VERSION_TYPE, p->data, p->len);
    g_byte_array_free(p, TRUE);
}

/* The same frames twice: version_none.pcap as this kernel writes them
 * today, version.pcap with a VERSION record first in each. A generation 1
 * reader must read both alike (tests/plugin/version_lua.sh). */
static void
scenario_version(const char *dir)
{
    GByteArray *p = pkt_tcp4(1, 0x02, 22, "");
    GByteArray *icmp = pkt_icmp4(8, TRUE);

    for (guint versioned = 0; versioned < 2; versioned++) {
        capture_t c;
        frame_t f;

        capture_open(&c, dir, versioned ? "version" : "version_none");
        f = frame_new();
        if (versioned)
            rec_version(&f, 1, 0);
        rec_str(&f, MTRACE_REC_STRING, "sys/net/if_ethersubr.c:861: ether_input");
        rec(&f, MTRACE_REC_DATA, p->data, p->len);
        rec_time(&f, 1250);
        rec_str(&f, MTRACE_REC_STRING, "sys/netinet/ip_input.c:470: +ip_input");
        rec_str(&f, MTRACE_REC_STRING_DYNAMIC, "ip_input: len 40");
        rec_fate(&f, MTRACE_FATE_DROPPED, MTRACE_R_PF_MATCH, TRUE, 1, "drops-in");
        rec_free(&f, 0, FALSE, "epair_task", "pf_test+0xced < pf_check_in+0x46");
        frame_write(&c, &f, -1);

        f = frame_new(); /* snapshots alone */
        if (versioned)
            rec_version(&f, 1, 0);
        rec(&f, MTRACE_REC_DATA, icmp->data, icmp->len);
        rec(&f, MTRACE_REC_DATA, icmp->data, icmp->len);
        frame_write(&c, &f, -1);

        f = frame_new(); /* an empty trace */
        if (versioned)
            rec_version(&f, 1, 0);
        frame_write(&c, &f, -1);

        /* Type 1 records that are C strings: unversioned, the generation
         * 2 guess reads them as strings; with VERSION they are packets. */
        f = frame_new();
        if (versioned)
            rec_version(&f, 1, 0);
        rec(&f, MTRACE_REC_DATA, "sys/a.c:1: +f", 14);
        rec(&f, MTRACE_REC_DATA, "sys/a.c:2: -f", 14);
        frame_write(&c, &f, -1);

        f = frame_new();
        if (versioned)
            rec_version(&f, 1, 4); /* a later version's additions */
        rec_str(&f, MTRACE_REC_STRING, "sys/netinet/ip_input.c:470: +ip_input");
        rec(&f, MTRACE_REC_DATA, icmp->data, icmp->len);
        frame_write(&c, &f, -1);
        capture_close(&c);
    }
    g_byte_array_free(p, TRUE);
    g_byte_array_free(icmp, TRUE);
}

/* ---- The plugin benchmark's captures (bench/plugin-bench.sh,
 * docs/performance.md): deterministic, many flows, the kinds of frame the
 * issue names. */

/* A deterministic byte stream (a 32-bit LCG): payloads that differ from
 * frame to frame without depending on anything but the frame number. */
static guint32
lcg(guint32 *state)
{
    *state = *state * 1664525u + 1013904223u;
    return *state >> 8;
}

/* Ethernet + IPv4 + TCP with everything chosen by the caller. */
static GByteArray *
pkt_tcp4_flow(const guint8 *dst_mac, const guint8 *src_mac, guint32 src, guint32 dst, guint sport,
              guint dport, guint32 seq, guint32 ack, guint flags, guint ttl, const guint8 *payload,
              guint plen)
{
    GByteArray *p = g_byte_array_new();

    g_byte_array_append(p, dst_mac, 6);
    g_byte_array_append(p, src_mac, 6);
    put16(p, ETHERTYPE_IPV4);
    put16(p, 0x4500);
    put16(p, 20 + 20 + plen);
    put32(p, (seq & 0xffff) << 16 | 0x4000); /* id, DF */
    put16(p, (ttl << 8) | 6);
    put16(p, 0);
    put32(p, src);
    put32(p, dst);
    put16(p, sport);
    put16(p, dport);
    put32(p, seq);
    put32(p, ack);
    put16(p, 0x5000 | flags);
    put16(p, 65535);
    put32(p, 0);
    g_byte_array_append(p, payload, plen);
    return p;
}

static const guint8 mac_host[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
static const guint8 mac_router[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 };

/* One frame of T or A: the trace of 8 strings and 2 Ethernet snapshots of
 * a packet that arrived as `in` and left as `out`, oldest first as this
 * project's kernel writes it; `where` and `why` are what the stack did in
 * between (a mark and a dynamic string). `ether`, when not NULL, receives
 * the two snapshots as plain Ethernet frames: the same packets for stock
 * tshark; `c` NULL writes only those. */
static void
bench_trace(capture_t *c, capture_t *ether, const GByteArray *in, const GByteArray *out,
            const char *where, const char *why)
{
    frame_t f = frame_new();

    rec_str(&f, MTRACE_REC_STRING, "sys/net/if_ethersubr.c:861: ether_input");
    rec(&f, MTRACE_REC_DATA, in->data, in->len);
    rec_str(&f, MTRACE_REC_STRING, "sys/net/if_ethersubr.c:881: +ether_demux");
    rec_str(&f, MTRACE_REC_STRING, "sys/netinet/ip_input.c:470: +ip_input");
    rec_str(&f, MTRACE_REC_STRING, where);
    rec_str(&f, MTRACE_REC_STRING_DYNAMIC, why);
    rec_str(&f, MTRACE_REC_STRING, "sys/net/if_ethersubr.c:295: +ether_output");
    rec_str(&f, MTRACE_REC_STRING, "sys/net/if_ethersubr.c:517: ether_output_frame");
    rec(&f, MTRACE_REC_DATA, out->data, out->len);
    rec_str(&f, MTRACE_REC_STRING, "sys/net/if_ethersubr.c:443: -ether_output");
    if (c != NULL)
        frame_write(c, &f, -1);
    else
        g_byte_array_free(f.bytes, TRUE);
    if (ether != NULL) {
        dump(ether, in->data, in->len);
        dump(ether, out->data, out->len);
    }
}

static const char bench_forward[] = "sys/netinet/ip_fastfwd.c:301: ip_tryforward";

/* Frame i of the typical mix (T): one TCP segment of one of 1000 flows with
 * 0-180 bytes of payload. Three frames in four are forwarded (the second
 * snapshot leaves with the TTL one lower and new MACs); the fourth is
 * refused by tcp_input and the same mbuf leaves as the RST. No flow sees
 * an ACK of its data, and its sequence numbers jump from segment to
 * segment. */
static void
bench_typical_frame(capture_t *c, capture_t *ether, guint i)
{
    guint flow = (i * 7919u) % 1000;
    guint32 src = 0x0a010000 | (flow << 2 | 1), dst = 0xc6336400 | (1 + flow % 200);
    guint sport = 20000 + flow, dport = 5001 + flow % 4;
    guint32 seq = 1000 + (i / 1000) * 1460, state = i;
    guint ttl = 64 - flow % 8, plen = (i * 37u) % 181;
    guint8 payload[181];
    GByteArray *in, *out;
    char why[80];

    for (guint k = 0; k < plen; k++)
        payload[k] = (guint8)lcg(&state);
    in = pkt_tcp4_flow(mac_host, mac_router, src, dst, sport, dport, seq, 1, 0x18, ttl, payload,
                       plen);
    if (i % 4 != 3) {
        out = pkt_tcp4_flow(mac_router, mac_host, src, dst, sport, dport, seq, 1, 0x18, ttl - 1,
                            payload, plen);
        g_snprintf(why, sizeof(why), "sys/netinet/ip_fastfwd.c:390: ttl %u -> %u", ttl, ttl - 1);
        bench_trace(c, ether, in, out, bench_forward, why);
    } else {
        out = pkt_tcp4_flow(mac_router, mac_host, dst, src, dport, sport, 0, seq + plen, 0x14, 64,
                            payload, 0);
        g_snprintf(why, sizeof(why), "port %u closed: this packet becomes the RST", dport);
        bench_trace(c, ether, in, out, "sys/netinet/tcp_input.c:1500: tcp_input", why);
    }
    g_byte_array_free(in, TRUE);
    g_byte_array_free(out, TRUE);
}

/* Frame i of the acknowledged mix (A): ordinary traffic through a router.
 * Short TCP flows of 10 packets each: the handshake, a request of 1-180
 * bytes and its ACK, a response of 1-180 bytes and its ACK, and both FINs
 * with the last ACK; 50 flows at a time, in turn, then the next 50 (new
 * addresses and ports), so that every flow ends and the sequence numbers
 * follow. Every packet is forwarded: its trace is T's, and the second
 * snapshot leaves with the TTL one lower and new MACs. */
#define BENCH_ACKED_FLOWS   50
#define BENCH_ACKED_PACKETS 10
static void
bench_acked_frame(capture_t *c, capture_t *ether, guint i)
{
    guint block = i / (BENCH_ACKED_FLOWS * BENCH_ACKED_PACKETS);
    guint step = i % (BENCH_ACKED_FLOWS * BENCH_ACKED_PACKETS) / BENCH_ACKED_FLOWS;
    guint flow = block * BENCH_ACKED_FLOWS + i % BENCH_ACKED_FLOWS;
    guint32 client = 0x0a010000 | (flow % 65536), server = 0xc6336400 | (1 + flow % 200);
    guint cport = 10000 + flow % 50000, sport = 5001 + flow % 4;
    guint32 cseq = (flow + 1) * 2654435761u, sseq = ~cseq, state = i;
    guint creq = 1 + flow * 37u % 180, sresp = 1 + flow * 53u % 180;
    /* Each packet: who sends it, its flags, its data (1 the request, 2 the
     * response), and how far the sender's own sequence numbers and the
     * other side's acknowledged ones have gone (0: none, 1: the SYN, 2: and
     * the data, 3: and the FIN); only the SYN acknowledges nothing. */
    static const struct {
        guint8 from_client, flags, data, seq, ack;
    } steps[BENCH_ACKED_PACKETS] = {
        { 1, 0x02, 0, 0, 0 }, /* SYN */
        { 0, 0x12, 0, 0, 1 }, /* SYN-ACK */
        { 1, 0x10, 0, 1, 1 }, /* ACK */
        { 1, 0x18, 1, 1, 1 }, /* the request */
        { 0, 0x10, 0, 1, 2 }, /* its ACK */
        { 0, 0x18, 2, 1, 2 }, /* the response */
        { 1, 0x10, 0, 2, 2 }, /* its ACK */
        { 1, 0x11, 0, 2, 2 }, /* FIN */
        { 0, 0x11, 0, 2, 3 }, /* FIN */
        { 1, 0x10, 0, 3, 3 }, /* the last ACK */
    };
    const gboolean from_client = steps[step].from_client;
    const guint32 own = from_client ? cseq : sseq, other = from_client ? sseq : cseq;
    const guint own_data = from_client ? creq : sresp, other_data = from_client ? sresp : creq;
    guint ttl = 64 - flow % 8;
    guint plen = steps[step].data == 0 ? 0 : steps[step].data == 1 ? creq : sresp;
    guint8 payload[180];
    GByteArray *in, *out;
    char why[80];
#define ACKED_SEQ(isn, data, n) ((isn) + ((n) > 0) + ((n) > 1 ? (data) : 0) + ((n) > 2))
    const guint32 seq = ACKED_SEQ(own, own_data, steps[step].seq);
    const guint32 ack = steps[step].ack == 0 ? 0 : ACKED_SEQ(other, other_data, steps[step].ack);
#undef ACKED_SEQ

    for (guint k = 0; k < plen; k++)
        payload[k] = (guint8)lcg(&state);
    if (from_client) {
        in = pkt_tcp4_flow(mac_host, mac_router, client, server, cport, sport, seq, ack,
                           steps[step].flags, ttl, payload, plen);
        out = pkt_tcp4_flow(mac_router, mac_host, client, server, cport, sport, seq, ack,
                            steps[step].flags, ttl - 1, payload, plen);
    } else {
        in = pkt_tcp4_flow(mac_router, mac_host, server, client, sport, cport, seq, ack,
                           steps[step].flags, ttl, payload, plen);
        out = pkt_tcp4_flow(mac_host, mac_router, server, client, sport, cport, seq, ack,
                            steps[step].flags, ttl - 1, payload, plen);
    }
    g_snprintf(why, sizeof(why), "sys/netinet/ip_fastfwd.c:390: ttl %u -> %u", ttl, ttl - 1);
    bench_trace(c, ether, in, out, bench_forward, why);
    g_byte_array_free(in, TRUE);
    g_byte_array_free(out, TRUE);
}

/* Frame i of strings only (S): ten strings in every form of docs/format.md's
 * grammar (relative and absolute files, enter, leave, mark, NAME(ARG), a
 * bare location, text after a location, free text), with varying lines,
 * arguments and numbers, oldest first, no terminators. */
static void
bench_strings_frame(capture_t *c, guint i)
{
    frame_t f = frame_new();
    char s[128];

    rec_str(&f, MTRACE_REC_STRING, "sys/netinet/ip_input.c:470: +ip_input");
    g_snprintf(s, sizeof(s), "sys/netinet/ip_input.c:%u", 500 + i % 50);
    rec_str(&f, MTRACE_REC_STRING, s);
    g_snprintf(s, sizeof(s), "ip_input: len %u from 10.0.%u.%u", 40 + i % 1400, i / 256 % 256,
               i % 256);
    rec_str(&f, MTRACE_REC_STRING_DYNAMIC, s);
    rec_str(&f, MTRACE_REC_STRING, "sys/netinet/tcp_input.c:626: +tcp_input_with_port");
    rec_str(&f, MTRACE_REC_STRING, "sys/netinet/tcp_input.c:1500: tcp_input");
    g_snprintf(s, sizeof(s), "/usr/src/sys/net/if.c:4784: if_dequeue(vtnet%u)", i % 4);
    rec_str(&f, MTRACE_REC_STRING_DYNAMIC, s);
    g_snprintf(s, sizeof(s), "/usr/src/sys/netinet/tcp_input.c:%u: drop: bad checksum",
               700 + i % 100);
    rec_str(&f, MTRACE_REC_STRING_DYNAMIC, s);
    rec_str(&f, MTRACE_REC_STRING, "IFQ_ENQUEUE");
    rec_str(&f, MTRACE_REC_STRING, "sys/netinet/tcp_input.c:1391: -tcp_input_with_port");
    rec_str(&f, MTRACE_REC_STRING, "sys/netinet/ip_input.c:884: -ip_input");
    frame_write(c, &f, -1);
}

/* Frame i as the deployed patch writes it (G1, G2): deployed_frame() with
 * the typical mix's packets. */
static void
bench_deployed_frame(capture_t *c, const generation_t *g, guint i)
{
    guint flow = (i * 7919u) % 1000;
    guint32 src = 0x0a010000 | (flow << 2 | 1), dst = 0xc6336400 | (1 + flow % 200);
    guint32 state = i;
    guint plen = (i * 37u) % 181;
    guint8 payload[181];
    GByteArray *p;

    for (guint k = 0; k < plen; k++)
        payload[k] = (guint8)lcg(&state);
    p = pkt_tcp4_flow(mac_router, mac_host, src, dst, 20000 + flow, 5001 + flow % 4,
                      1000 + (i / 1000) * 1460, 1, 0x18, 64, payload, plen);
    deployed_frame(c, g, p, p);
    g_byte_array_free(p, TRUE);
}

/* gen_captures --bench-KIND N FILE: N frames of one of the plugin
 * benchmark's kinds; typical-ether and acked-ether write the 2N snapshots
 * of T and A as Ethernet frames. */
static int
bench_kind(const char *kind, guint n, const char *path)
{
    char *dir = g_path_get_dirname(path);
    char *name = g_path_get_basename(path);
    capture_t c;

    if (g_str_has_suffix(name, ".pcap"))
        name[strlen(name) - 5] = '\0';
    if (g_str_has_suffix(kind, "-ether"))
        capture_open_dlt(&c, dir, name, DLT_EN10MB);
    else
        capture_open(&c, dir, name);
    for (guint i = 0; i < n; i++) {
        if (strcmp(kind, "typical") == 0)
            bench_typical_frame(&c, NULL, i);
        else if (strcmp(kind, "typical-ether") == 0)
            bench_typical_frame(NULL, &c, i);
        else if (strcmp(kind, "acked") == 0)
            bench_acked_frame(&c, NULL, i);
        else if (strcmp(kind, "acked-ether") == 0)
            bench_acked_frame(NULL, &c, i);
        else if (strcmp(kind, "strings") == 0)
            bench_strings_frame(&c, i);
        else if (strcmp(kind, "gen1") == 0)
            bench_deployed_frame(&c, &gen1, i);
        else if (strcmp(kind, "gen2") == 0)
            bench_deployed_frame(&c, &gen2, i);
        else {
            fprintf(stderr, "gen_captures: unknown benchmark kind %s\n", kind);
            return 2;
        }
    }
    capture_close(&c);
    g_free(dir);
    g_free(name);
    return 0;
}

int
main(int argc, char **argv)
{
    if (argc == 4 && g_str_has_prefix(argv[1], "--bench-"))
        return bench_kind(argv[1] + strlen("--bench-"), (guint)strtoul(argv[2], NULL, 10), argv[3]);
    if (argc != 2) {
        fprintf(stderr,
                "usage: gen_captures OUTDIR\n"
                "       gen_captures --bench-typical|--bench-typical-ether|--bench-acked|"
                "--bench-acked-ether|--bench-strings|--bench-gen1|--bench-gen2 N FILE.pcap\n");
        return 2;
    }
    seed_dir = g_build_filename(argv[1], "seeds", NULL);
    if (g_mkdir_with_parents(seed_dir, 0755) != 0) {
        fprintf(stderr, "gen_captures: %s: %s\n", seed_dir, strerror(errno));
        return 1;
    }
    scenario_basic(argv[1], "basic", DLT_USER0);
    scenario_basic(argv[1], "basic_user3", DLT_USER3);
    scenario_record_types(argv[1]);
    scenario_lost_unknown(argv[1]);
    scenario_malformed(argv[1]);
    scenario_edges(argv[1]);
    scenario_snapshots(argv[1]);
    scenario_compat(argv[1]);
    scenario_deployed(argv[1], "gen1", &gen1);
    scenario_deployed(argv[1], "gen2", &gen2);
    scenario_strings(argv[1]);
    scenario_cut(argv[1]);
    scenario_fates(argv[1]);
    scenario_version(argv[1]);
    return 0;
}
