/*
 * mkcap - write the small Ethernet captures the replay tests feed to
 * mbuf_trace-replay, one scenario each, with libpcap.
 *
 * usage: mkcap SCENARIO FILE.pcap
 *        mkcap linktype=N FILE.pcap     an empty capture of link type N
 *
 * The peer 198.51.100.1 / 2001:db8::a (MAC 02:00:00:00:00:0a) talks to
 * the host 192.0.2.1 / 2001:db8::b (MAC 02:00:00:00:00:0b); packets are
 * built field by field here, checksums computed here, independently of the
 * replay tool's own code.
 */
#include <arpa/inet.h>
#include <pcap/pcap.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PEER4 "198.51.100.1"
#define HOST4 "192.0.2.1"
#define FAR4  "203.0.113.9" /* beyond the host, for forwarding */
#define PEER6 "2001:db8::a"
#define HOST6 "2001:db8::b"
#define FAR6  "2001:db8:ff::9"

static const uint8_t peer_mac[6] = { 2, 0, 0, 0, 0, 0x0a };
static const uint8_t host_mac[6] = { 2, 0, 0, 0, 0, 0x0b };
static const uint8_t bcast_mac[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

/* A frame being built. */
struct frame {
    uint8_t b[4096];
    size_t len;
};

static pcap_dumper_t *dumper;
static int nframes;
/* While set, emit() keeps the frames here instead of writing them. */
static struct frame *kept;
static size_t nkept, maxkept;

static void
put(struct frame *f, const void *p, size_t n)
{
    if (f->len + n > sizeof(f->b))
        abort();
    memcpy(f->b + f->len, p, n);
    f->len += n;
}

static void
put8(struct frame *f, unsigned v)
{
    uint8_t b = (uint8_t)v;

    put(f, &b, 1);
}

static void
put16(struct frame *f, unsigned v)
{
    put8(f, v >> 8);
    put8(f, v);
}

static void
put32(struct frame *f, uint32_t v)
{
    put16(f, v >> 16);
    put16(f, v & 0xffff);
}

static void
set16(struct frame *f, size_t off, unsigned v)
{
    f->b[off] = (uint8_t)(v >> 8);
    f->b[off + 1] = (uint8_t)v;
}

static uint32_t
sum(uint32_t s, const uint8_t *p, size_t n)
{
    size_t i;

    for (i = 0; i + 1 < n; i += 2)
        s += (uint32_t)(p[i] << 8 | p[i + 1]);
    if (n & 1)
        s += (uint32_t)(p[n - 1] << 8);
    return s;
}

static unsigned
fold(uint32_t s)
{
    while (s >> 16)
        s = (s & 0xffff) + (s >> 16);
    return ~s & 0xffff;
}

static void
addr(int af, const char *s, void *a)
{
    if (inet_pton(af, s, a) != 1)
        abort();
}

static void
ether(struct frame *f, const uint8_t *dst, const uint8_t *src, unsigned type)
{
    f->len = 0;
    put(f, dst, 6);
    put(f, src, 6);
    put16(f, type);
}

/* An IPv4 header at the current end of f; the payload follows it. */
struct ip4 {
    size_t off; /* of the header in the frame */
    size_t hlen;
};

static struct ip4
ip4(struct frame *f, const char *src, const char *dst, unsigned proto, unsigned ttl, unsigned df,
    const uint8_t *opts, size_t optlen)
{
    struct ip4 ip = { f->len, 20 + optlen };
    uint8_t a[4];

    put8(f, 0x40 | (unsigned)(ip.hlen / 4));
    put8(f, 0);
    put16(f, 0); /* length, set by ip4_end() */
    put16(f, 0x1234);
    put16(f, df ? 0x4000 : 0);
    put8(f, ttl);
    put8(f, proto);
    put16(f, 0);
    addr(AF_INET, src, a);
    put(f, a, 4);
    addr(AF_INET, dst, a);
    put(f, a, 4);
    put(f, opts, optlen);
    return ip;
}

/* Length and header checksum, and the transport checksum at csum_at (0: none). */
static void
ip4_end(struct frame *f, struct ip4 ip, size_t csum_at, bool pseudo)
{
    size_t plen = f->len - ip.off - ip.hlen;
    uint32_t s = 0;

    set16(f, ip.off + 2, (unsigned)(f->len - ip.off));
    set16(f, ip.off + 10, fold(sum(0, f->b + ip.off, ip.hlen)));
    if (csum_at == 0)
        return;
    if (pseudo) {
        s = sum(0, f->b + ip.off + 12, 8);
        s += f->b[ip.off + 9] + (uint32_t)plen;
    }
    set16(f, csum_at, fold(sum(s, f->b + ip.off + ip.hlen, plen)));
}

static size_t
ip6(struct frame *f, const char *src, const char *dst, unsigned nxt, unsigned hlim)
{
    size_t off = f->len;
    uint8_t a[16];

    put32(f, 0x60000000);
    put16(f, 0); /* payload length, set by ip6_end() */
    put8(f, nxt);
    put8(f, hlim);
    addr(AF_INET6, src, a);
    put(f, a, 16);
    addr(AF_INET6, dst, a);
    put(f, a, 16);
    return off;
}

/* Payload length, and the checksum of the upper layer at up (proto) at csum_at. */
static void
ip6_end(struct frame *f, size_t off, size_t up, unsigned proto, size_t csum_at)
{
    uint32_t s;

    set16(f, off + 4, (unsigned)(f->len - off - 40));
    if (csum_at == 0)
        return;
    s = sum(0, f->b + off + 8, 32) + proto + (uint32_t)(f->len - up);
    set16(f, csum_at, fold(sum(s, f->b + up, f->len - up)));
}

static void
echo(struct frame *f, unsigned type, unsigned datalen)
{
    unsigned i;

    put8(f, type);
    put8(f, 0);
    put16(f, 0);
    put16(f, 0x4242); /* identifier */
    put16(f, 1);      /* sequence */
    for (i = 0; i < datalen; i++)
        put8(f, 'a' + i % 26);
}

static size_t
tcp(struct frame *f, unsigned sport, unsigned dport, uint32_t seq, uint32_t ack, unsigned flags)
{
    size_t at = f->len + 16;

    put16(f, sport);
    put16(f, dport);
    put32(f, seq);
    put32(f, ack);
    put8(f, 5 << 4);
    put8(f, flags);
    put16(f, 65535);
    put16(f, 0);
    put16(f, 0);
    return at;
}

static size_t
udp(struct frame *f, unsigned sport, unsigned dport, const char *data)
{
    size_t at = f->len + 6;

    put16(f, sport);
    put16(f, dport);
    put16(f, (unsigned)(8 + strlen(data)));
    put16(f, 0);
    put(f, data, strlen(data));
    return at;
}

/* Write f; caplen less than its length makes a record cut by a snapshot length. */
static void
emit_cut(const struct frame *f, size_t caplen)
{
    struct pcap_pkthdr h = { .caplen = (bpf_u_int32)caplen, .len = (bpf_u_int32)f->len };

    if (kept != NULL) {
        if (nkept == maxkept)
            abort();
        kept[nkept++] = *f;
        return;
    }
    h.ts.tv_sec = 1700000000 + nframes;
    h.ts.tv_usec = 250000;
    nframes++;
    pcap_dump((u_char *)dumper, &h, f->b);
}

static bool
has_prefix(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static void
emit(const struct frame *f)
{
    emit_cut(f, f->len);
}

/*
 * Emit the IPv4 datagram in whole (Ethernet, 20-byte IP header) as
 * fragments of at most 1480 data bytes, those whose index is in which
 * ("012": all, in order; "210": backwards; "0": the first alone).
 */
static void
emit_fragments(const struct frame *whole, const char *which)
{
    size_t dlen = whole->len - 34, off;
    const char *c;

    for (c = which; *c != '\0'; c++) {
        struct frame f;
        size_t len;

        off = (size_t)(*c - '0') * 1480;
        if (off >= dlen)
            abort();
        len = dlen - off < 1480 ? dlen - off : 1480;
        f.len = 0;
        put(&f, whole->b, 34);
        put(&f, whole->b + 34 + off, len);
        set16(&f, 14 + 2, (unsigned)(20 + len));
        set16(&f, 14 + 6, (unsigned)(off / 8 | (off + len < dlen ? 0x2000 : 0)));
        set16(&f, 14 + 10, 0);
        set16(&f, 14 + 10, fold(sum(0, f.b + 14, 20)));
        emit(&f);
    }
}

static void
icmp_echo4(struct frame *f, const char *src, const char *dst, unsigned ttl)
{
    struct ip4 ip;

    ether(f, host_mac, peer_mac, 0x0800);
    ip = ip4(f, src, dst, 1, ttl, 1, NULL, 0);
    echo(f, 8, 16);
    ip4_end(f, ip, ip.off + ip.hlen + 2, false);
}

static void
udp4(struct frame *f, const char *dst, unsigned dport, unsigned ttl)
{
    struct ip4 ip;
    size_t at;

    ether(f, host_mac, peer_mac, 0x0800);
    ip = ip4(f, PEER4, dst, 17, ttl, 0, NULL, 0);
    at = udp(f, 40000, dport, "hello, replay");
    ip4_end(f, ip, at, true);
}

static void
icmp_echo6(struct frame *f, const char *dst, unsigned hlim)
{
    size_t off;

    ether(f, host_mac, peer_mac, 0x86dd);
    off = ip6(f, PEER6, dst, 58, hlim);
    echo(f, 128, 16);
    ip6_end(f, off, off + 40, 58, off + 42);
}

static void scenario(const char *name);

/*
 * 20000 frames of the other scenarios with random damage (a fixed seed):
 * bytes changed, cut, inserted.  Those still IPv4 get a right header
 * checksum, so that the damage reaches further than ip_input().
 */
static void
mutants(void)
{
    static const char *const seeds[] = {
        "mixed",           "fragments_012", "neighbour_solicitation",
        "forward_options", "tcp_rst",       "arp_request"
    };
    static const uint8_t interesting[] = { 0,    1,    2,    6,    17,   58,   0x40, 0x45, 0x46,
                                           0x4f, 0x60, 0x7f, 0x80, 0x81, 0x86, 0xdd, 0xff };
    struct frame pool[64], f;
    uint32_t x = 2463534242u; /* xorshift32 */
    size_t i, n, j, hl;

#define RND() (x ^= x << 13, x ^= x >> 17, x ^= x << 5, x)
    kept = pool;
    maxkept = sizeof(pool) / sizeof(pool[0]);
    for (i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++)
        scenario(seeds[i]);
    kept = NULL;
    for (i = 0; i < 20000; i++) {
        f = pool[RND() % nkept];
        for (n = 1 + RND() % 4; n > 0; n--) {
            j = 14 + RND() % (f.len > 14 ? f.len - 14 : 1);
            switch (RND() % 4) {
                case 0:
                    if (j < f.len)
                        f.b[j] = (uint8_t)RND();
                    break;
                case 1:
                    if (j < f.len)
                        f.b[j] = interesting[RND() % sizeof(interesting)];
                    break;
                case 2:
                    f.len = j < f.len ? j : f.len;
                    break;
                default:
                    if (f.len + 8 <= sizeof(f.b) && j <= f.len) {
                        memmove(f.b + j + 8, f.b + j, f.len - j);
                        memset(f.b + j, (int)RND(), 8);
                        f.len += 8;
                    }
                    break;
            }
        }
        hl = f.len > 14 ? (size_t)(f.b[14] & 0x0f) * 4 : 0;
        if (f.len >= 14 + hl && hl >= 20 && f.b[12] == 0x08 && f.b[13] == 0 &&
            (f.b[14] >> 4) == 4) {
            set16(&f, 24, 0);
            set16(&f, 24, fold(sum(0, f.b + 14, hl)));
        }
        emit(&f);
    }
#undef RND
}

static void
scenario(const char *name)
{
    struct frame f;
    struct ip4 ip;
    size_t at, off;
    uint8_t a[4], a6[16];

    if (strcmp(name, "icmp_echo") == 0) {
        icmp_echo4(&f, PEER4, HOST4, 64);
        emit(&f);
    } else if (strcmp(name, "icmp6_echo") == 0) {
        icmp_echo6(&f, HOST6, 64);
        emit(&f);
    } else if (strcmp(name, "arp_request") == 0) {
        ether(&f, bcast_mac, peer_mac, 0x0806);
        put16(&f, 1); /* Ethernet */
        put16(&f, 0x0800);
        put8(&f, 6);
        put8(&f, 4);
        put16(&f, 1); /* request */
        put(&f, peer_mac, 6);
        addr(AF_INET, PEER4, a);
        put(&f, a, 4);
        put(&f, "\0\0\0\0\0\0", 6);
        addr(AF_INET, HOST4, a);
        put(&f, a, 4);
        put(&f, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 18); /* padding to 60 bytes */
        emit(&f);
    } else if (strcmp(name, "vlan_echo") == 0) {
        ether(&f, host_mac, peer_mac, 0x8100);
        put16(&f, 42); /* VLAN 42, priority 0 */
        put16(&f, 0x0800);
        ip = ip4(&f, PEER4, HOST4, 1, 64, 1, NULL, 0);
        echo(&f, 8, 16);
        ip4_end(&f, ip, ip.off + ip.hlen + 2, false);
        emit(&f);
    } else if (strcmp(name, "tcp_syn") == 0) {
        ether(&f, host_mac, peer_mac, 0x0800);
        ip = ip4(&f, PEER4, HOST4, 6, 64, 1, NULL, 0);
        at = tcp(&f, 40000, 80, 1000, 0, 0x02);
        ip4_end(&f, ip, at, true);
        emit(&f);
    } else if (strcmp(name, "tcp6_syn") == 0) {
        ether(&f, host_mac, peer_mac, 0x86dd);
        off = ip6(&f, PEER6, HOST6, 6, 64);
        at = tcp(&f, 40000, 80, 1000, 0, 0x02);
        ip6_end(&f, off, off + 40, 6, at);
        emit(&f);
    } else if (strcmp(name, "udp") == 0) {
        udp4(&f, HOST4, 9, 64);
        emit(&f);
    } else if (strcmp(name, "udp6") == 0) {
        ether(&f, host_mac, peer_mac, 0x86dd);
        off = ip6(&f, PEER6, HOST6, 17, 64);
        at = udp(&f, 40000, 9, "hello, replay");
        ip6_end(&f, off, off + 40, 17, at);
        emit(&f);
    } else if (strcmp(name, "forward") == 0) {
        icmp_echo4(&f, PEER4, FAR4, 64);
        emit(&f);
    } else if (strcmp(name, "forward_ttl1") == 0) {
        udp4(&f, FAR4, 33434, 1);
        emit(&f);
    } else if (strcmp(name, "forward_options") == 0) {
        static const uint8_t nops[4] = { 1, 1, 1, 0 }; /* NOP NOP NOP EOL */

        ether(&f, host_mac, peer_mac, 0x0800);
        ip = ip4(&f, PEER4, FAR4, 1, 64, 1, nops, sizeof(nops));
        echo(&f, 8, 16);
        ip4_end(&f, ip, ip.off + ip.hlen + 2, false);
        emit(&f);
    } else if (strcmp(name, "forward_big_df") == 0 || strcmp(name, "forward_big") == 0) {
        ether(&f, host_mac, peer_mac, 0x0800);
        ip = ip4(&f, PEER4, FAR4, 1, 64, strcmp(name, "forward_big_df") == 0, NULL, 0);
        echo(&f, 8, 1400 - 28);
        ip4_end(&f, ip, ip.off + ip.hlen + 2, false);
        emit(&f);
    } else if (strcmp(name, "forward6") == 0) {
        icmp_echo6(&f, FAR6, 64);
        emit(&f);
    } else if (strcmp(name, "forward6_hlim1") == 0) {
        icmp_echo6(&f, FAR6, 1);
        emit(&f);
    } else if (has_prefix(name, "fragments_")) {
        /* An echo request of 3000 bytes in fragments, those the name says. */
        ether(&f, host_mac, peer_mac, 0x0800);
        ip = ip4(&f, PEER4, HOST4, 1, 64, 0, NULL, 0);
        echo(&f, 8, 3000 - 28);
        ip4_end(&f, ip, ip.off + ip.hlen + 2, false);
        emit_fragments(&f, name + strlen("fragments_"));
    } else if (strcmp(name, "icmp_echo_record_route") == 0) {
        /* Record route with room for two addresses, none recorded yet. */
        static const uint8_t rr[12] = { 7, 11, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0 };

        ether(&f, host_mac, peer_mac, 0x0800);
        ip = ip4(&f, PEER4, HOST4, 1, 64, 1, rr, sizeof(rr));
        echo(&f, 8, 16);
        ip4_end(&f, ip, ip.off + ip.hlen + 2, false);
        emit(&f);
    } else if (strcmp(name, "icmp_echo_reply") == 0) {
        ether(&f, host_mac, peer_mac, 0x0800);
        ip = ip4(&f, PEER4, HOST4, 1, 64, 1, NULL, 0);
        echo(&f, 0, 16);
        ip4_end(&f, ip, ip.off + ip.hlen + 2, false);
        emit(&f);
    } else if (strcmp(name, "icmp_port_unreachable") == 0) {
        /* The peer's answer to a datagram the host sent it: the quote is the host's. */
        struct frame q;
        struct ip4 qip;

        udp4(&q, PEER4, 9, 64);
        ether(&f, host_mac, peer_mac, 0x0800);
        ip = ip4(&f, PEER4, HOST4, 1, 64, 0, NULL, 0);
        put8(&f, 3);
        put8(&f, 3);
        put16(&f, 0);
        put32(&f, 0);
        qip.off = f.len;
        put(&f, q.b + 14, q.len - 14);
        addr(AF_INET, HOST4, a); /* the quoted datagram went from the host to the peer */
        memcpy(f.b + qip.off + 12, a, 4);
        addr(AF_INET, PEER4, a);
        memcpy(f.b + qip.off + 16, a, 4);
        ip4_end(&f, ip, ip.off + ip.hlen + 2, false);
        emit(&f);
    } else if (strcmp(name, "icmp6_echo_big") == 0) {
        ether(&f, host_mac, peer_mac, 0x86dd);
        off = ip6(&f, PEER6, HOST6, 58, 64);
        echo(&f, 128, 2000);
        ip6_end(&f, off, off + 40, 58, off + 42);
        emit(&f);
    } else if (strcmp(name, "icmp_too_short") == 0) {
        ether(&f, host_mac, peer_mac, 0x0800);
        ip = ip4(&f, PEER4, HOST4, 1, 64, 1, NULL, 0);
        put32(&f, 0x08000000); /* half an ICMP header */
        ip4_end(&f, ip, 0, false);
        emit(&f);
    } else if (strcmp(name, "udp_bad_length") == 0) {
        udp4(&f, HOST4, 9, 64);
        set16(&f, 34 + 4, 200); /* the UDP length says more than the IP length */
        emit(&f);
    } else if (strcmp(name, "ip_length_below_header") == 0) {
        icmp_echo4(&f, PEER4, HOST4, 64);
        set16(&f, 14 + 2, 16);
        set16(&f, 14 + 10, 0);
        set16(&f, 14 + 10, fold(sum(0, f.b + 14, 20)));
        emit(&f);
    } else if (strcmp(name, "unspecified_destination") == 0) {
        icmp_echo4(&f, PEER4, "0.0.0.0", 64);
        emit(&f);
    } else if (strcmp(name, "link_local_destination") == 0) {
        icmp_echo4(&f, PEER4, "169.254.1.1", 64);
        emit(&f);
    } else if (strcmp(name, "experimental_destination_with_options") == 0) {
        static const uint8_t nops[4] = { 1, 1, 1, 0 };

        ether(&f, host_mac, peer_mac, 0x0800);
        ip = ip4(&f, PEER4, "240.0.0.1", 1, 64, 1, nops, sizeof(nops));
        echo(&f, 8, 16);
        ip4_end(&f, ip, ip.off + ip.hlen + 2, false);
        emit(&f);
    } else if (strcmp(name, "udp_from_subnet_broadcast") == 0) {
        ether(&f, host_mac, peer_mac, 0x0800);
        ip = ip4(&f, "192.0.2.255", HOST4, 17, 64, 0, NULL, 0);
        at = udp(&f, 40000, 9, "from a broadcast address");
        ip4_end(&f, ip, at, true);
        emit(&f);
    } else if (strcmp(name, "bad_ip6_version") == 0) {
        icmp_echo6(&f, HOST6, 64);
        f.b[14] = 0x50;
        emit(&f);
    } else if (strcmp(name, "icmp6_echo_to_a_group") == 0) {
        icmp_echo6(&f, "ff02::1:3", 64);
        emit(&f);
    } else if (strcmp(name, "bad_version") == 0) {
        icmp_echo4(&f, PEER4, HOST4, 64);
        f.b[14] = 0x55;
        emit(&f);
    } else if (strcmp(name, "bad_header_length") == 0) {
        icmp_echo4(&f, PEER4, HOST4, 64);
        f.b[14] = 0x44;
        emit(&f);
    } else if (strcmp(name, "bad_header_checksum") == 0) {
        icmp_echo4(&f, PEER4, HOST4, 64);
        f.b[14 + 10] ^= 0x01;
        emit(&f);
    } else if (strcmp(name, "truncated_ip") == 0) {
        icmp_echo4(&f, PEER4, HOST4, 64);
        f.len -= 4; /* the IP length says 4 more than there are */
        emit(&f);
    } else if (strcmp(name, "bad_udp_checksum") == 0) {
        udp4(&f, HOST4, 9, 64);
        f.b[f.len - 1] ^= 0x01;
        emit(&f);
    } else if (strcmp(name, "bad_tcp_checksum") == 0 || strcmp(name, "bad_tcp_offset") == 0) {
        ether(&f, host_mac, peer_mac, 0x0800);
        ip = ip4(&f, PEER4, HOST4, 6, 64, 1, NULL, 0);
        at = tcp(&f, 40000, 80, 1000, 0, 0x02);
        if (strcmp(name, "bad_tcp_offset") == 0)
            f.b[at - 4] = 4 << 4; /* 16 bytes: less than a TCP header */
        ip4_end(&f, ip, at, true);
        if (strcmp(name, "bad_tcp_checksum") == 0)
            f.b[at] ^= 0x01;
        emit(&f);
    } else if (strcmp(name, "bad_tcp6_checksum") == 0) {
        ether(&f, host_mac, peer_mac, 0x86dd);
        off = ip6(&f, PEER6, HOST6, 6, 64);
        at = tcp(&f, 40000, 80, 1000, 0, 0x02);
        ip6_end(&f, off, off + 40, 6, at);
        f.b[at] ^= 0x01;
        emit(&f);
    } else if (strcmp(name, "tcp_rst") == 0) {
        ether(&f, host_mac, peer_mac, 0x0800);
        ip = ip4(&f, PEER4, HOST4, 6, 64, 1, NULL, 0);
        at = tcp(&f, 40000, 80, 1000, 0, 0x04);
        ip4_end(&f, ip, at, true);
        emit(&f);
    } else if (strcmp(name, "arp_unknown_hardware") == 0 ||
               strcmp(name, "arp_bad_hardware_length") == 0 || strcmp(name, "arp_not_ipv4") == 0) {
        ether(&f, bcast_mac, peer_mac, 0x0806);
        put16(&f, strcmp(name, "arp_unknown_hardware") == 0 ? 0x99 : 1);
        put16(&f, strcmp(name, "arp_not_ipv4") == 0 ? 0x86dd : 0x0800);
        put8(&f, strcmp(name, "arp_bad_hardware_length") == 0 ? 8 : 6);
        put8(&f, 4);
        put16(&f, 1);
        put(&f, "\2\0\0\0\0\x0a\xc6\x33\x64\x01\0\0\0\0\0\0\xc0\0\2\1", 20);
        put(&f, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 18);
        emit(&f);
    } else if (strcmp(name, "neighbour_solicitation") == 0) {
        /* Who has 2001:db8::b? To its solicited-node group, from the peer. */
        static const uint8_t group_mac[6] = { 0x33, 0x33, 0xff, 0, 0, 0x0b };

        ether(&f, group_mac, peer_mac, 0x86dd);
        off = ip6(&f, PEER6, "ff02::1:ff00:b", 58, 255);
        at = f.len;
        put8(&f, 135);
        put8(&f, 0);
        put16(&f, 0);
        put32(&f, 0);
        addr(AF_INET6, HOST6, a6);
        put(&f, a6, 16);
        put8(&f, 1); /* source link-layer address option */
        put8(&f, 1);
        put(&f, peer_mac, 6);
        ip6_end(&f, off, at, 58, at + 2);
        emit(&f);
    } else if (strcmp(name, "bad_icmp6_checksum") == 0) {
        icmp_echo6(&f, HOST6, 64);
        f.b[f.len - 1] ^= 0x01;
        emit(&f);
    } else if (strcmp(name, "loopback_source") == 0) {
        icmp_echo4(&f, "127.0.0.1", HOST4, 64);
        emit(&f);
    } else if (strcmp(name, "spoofed_source") == 0) {
        icmp_echo4(&f, HOST4, HOST4, 64);
        emit(&f);
    } else if (strcmp(name, "short_frame") == 0) {
        f.len = 0;
        put(&f, host_mac, 6);
        put(&f, peer_mac, 4);
        emit(&f);
    } else if (strcmp(name, "unknown_ethertype") == 0) {
        ether(&f, host_mac, peer_mac, 0x88b5); /* IEEE 802 local experimental */
        put(&f, "experimental payload, padded out to sixty bytes....", 46);
        emit(&f);
    } else if (strcmp(name, "snapped") == 0) {
        icmp_echo4(&f, PEER4, HOST4, 64);
        emit_cut(&f, 34);
        emit(&f);
    } else if (strcmp(name, "many") == 0) {
        int i;

        for (i = 0; i < 2000; i++) {
            icmp_echo4(&f, PEER4, HOST4, 64);
            emit(&f);
        }
    } else if (strcmp(name, "mutants") == 0) {
        mutants();
    } else if (strcmp(name, "mixed") == 0) {
        /* One of most kinds, for the whole-run checks. */
        const char *const all[] = {
            "icmp_echo",         "icmp6_echo", "arp_request", "vlan_echo",   "tcp_syn",
            "tcp6_syn",          "udp",        "udp6",        "bad_version", "bad_header_checksum",
            "unknown_ethertype", "short_frame"
        };
        size_t i;

        for (i = 0; i < sizeof(all) / sizeof(all[0]); i++)
            scenario(all[i]);
    } else {
        fprintf(stderr, "mkcap: no scenario %s\n", name);
        exit(2);
    }
}

int
main(int argc, char **argv)
{
    pcap_t *pd;
    int linktype = DLT_EN10MB;

    if (argc == 3 && strncmp(argv[1], "linktype=", 9) == 0) {
        /* An empty capture of another link type. */
        linktype = atoi(argv[1] + 9);
    } else if (argc != 3) {
        fprintf(stderr, "usage: mkcap SCENARIO|linktype=N FILE.pcap\n");
        return 2;
    }
    pd = pcap_open_dead(linktype, 65535);
    dumper = pcap_dump_open(pd, argv[2]);
    if (dumper == NULL) {
        fprintf(stderr, "mkcap: %s\n", pcap_geterr(pd));
        return 1;
    }
    if (linktype == DLT_EN10MB)
        scenario(argv[1]);
    pcap_dump_close(dumper);
    pcap_close(pd);
    return 0;
}
