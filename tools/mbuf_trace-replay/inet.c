/*
 * IPv4 (sys/netinet/ip_input.c, ip_fastfwd.c, ip_output.c, ip_options.c)
 * and ICMP (sys/netinet/ip_icmp.c): input checks, delivery, forwarding,
 * output with fragmentation, and the replies and errors the stack makes.
 */
#include <glib.h>

#include <netinet/in.h>
#include <netinet/in_systm.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/mbuf.h>

#include "replay.h"
#include "tp.h"

#define IPTTLDEC               1
#define IP_ALLOWBROADCAST      0x2 /* ip_output() flag; no caller of the replay sets it */
#define IPPROTO_MOBILE_        55
#define IPPROTO_ETHERIP_       97
#define ICMP_PARAMPROB_LENGTH_ 2
#define ICMP_QUOTELEN          548 /* net.inet.icmp.quotelen */
#define FREEBSD_MHLEN          160 /* MHLEN of FreeBSD 15.1 amd64 (not the KPI stand-in's) */
#define ICMP_ADVLENMIN_        (8 + sizeof(struct ip) + 8)
#define IN_EXPERIMENTAL_(a)    (((a)&0xf0000000u) == 0xf0000000u)
#define IN_ZERONET_(a)         (((a)&0xff000000u) == 0)
#define IN_LINKLOCAL_(a)       (((a)&0xffff0000u) == 0xa9fe0000u)
#define IN_LOOPBACK_(a)        (((a)&0xff000000u) == 0x7f000000u)

static void ip_forward(struct host *h, struct pkt *p);
static void icmp_input(struct host *h, struct pkt *p, int hlen);
static void icmp_reflect(struct host *h, struct pkt *p);
static int ip_dooptions(struct host *h, struct pkt *p);

static struct ip *
ip_hdr(const struct pkt *p)
{
    return (struct ip *)pkt_data(p);
}

/* ip_fillid(): 0 for an atomic datagram (RFC 6864), else the next of V_ip_id. */
static void
ip_fillid(struct host *h, struct ip *ip)
{
    uint16_t id = (uint16_t)++h->ip_id;

    if (ip->ip_off & g_htons(IP_DF))
        ip->ip_id = 0;
    else
        ip->ip_id = g_htons(id);
}

/* iptime(): milliseconds since midnight UTC, of the input's clock. */
static uint32_t
iptime(struct host *h)
{
    uint64_t ms = h->now_ns / 1000000;

    return g_htonl((uint32_t)(ms % (24 * 60 * 60 * 1000)));
}

/* ip_stripoptions(): the options go, the header shrinks to 20 bytes. */
static void
ip_stripoptions(struct pkt *p)
{
    struct ip *ip = ip_hdr(p);
    size_t olen = (ip->ip_hl << 2) - sizeof(struct ip);

    memmove(pkt_data(p) + sizeof(struct ip), pkt_data(p) + sizeof(struct ip) + olen,
            pkt_len(p) - sizeof(struct ip) - olen);
    pkt_adj(p, -(long)olen);
    ip = ip_hdr(p);
    ip->ip_hl = sizeof(struct ip) >> 2;
    ip->ip_len = g_htons((uint16_t)(g_ntohs(ip->ip_len) - olen));
}

/* rip_input() with no raw socket: protocol unreachable if nobody else takes the protocol. */
static void
rip_input(struct host *h, struct pkt *p, bool registered)
{
    if (registered)
        pkt_free(p);
    else
        icmp_error(h, p, ICMP_UNREACH, ICMP_UNREACH_PROTOCOL, 0, 0);
}

/* ip_protox[] of a GENERIC kernel without loadable modules. */
static void
ip_deliver(struct host *h, struct pkt *p, int hlen)
{
    int proto = ip_hdr(p)->ip_p;

    switch (proto) {
        case IPPROTO_ICMP:
            icmp_input(h, p, hlen);
            break;
        case IPPROTO_TCP:
            tcp_input(h, p, hlen);
            break;
        case IPPROTO_UDP:
        case IPPROTO_UDPLITE:
            udp_input(h, p, hlen, proto);
            break;
        case IPPROTO_IGMP: /* igmp_input(): consumed */
        case IPPROTO_RSVP: /* rsvp_input() with net.inet.ip.rsvp_on 0: dropped */
            pkt_free(p);
            break;
        case IPPROTO_IPIP:
        case IPPROTO_MOBILE_:
        case IPPROTO_ETHERIP_:
        case IPPROTO_GRE:
        case IPPROTO_IPV6:
        case IPPROTO_PIM:
            /* encap4_input(): no tunnel claims it, rip_input() gets it. */
            rip_input(h, p, true);
            break;
        default:
            rip_input(h, p, false);
            break;
    }
}

static struct pkt *ip_tryforward(struct host *h, struct pkt *p);

void
ip_input(struct host *h, struct pkt *p)
{
    struct ip *ip;
    int hlen;
    uint16_t ip_len;
    uint32_t dst, src;
    struct in_addr any;

    tp(p->m, TP_IP_INPUT_ENTER);
    if (pkt_len(p) < sizeof(struct ip))
        goto tooshort;
    ip = ip_hdr(p);
    if (ip->ip_v != IPVERSION) {
        tp(p->m, TP_IP_INPUT_DROP_NOT_IP_VERSION_4);
        goto bad;
    }
    hlen = ip->ip_hl << 2;
    if (hlen < (int)sizeof(struct ip)) {
        tp(p->m, TP_IP_INPUT_DROP_BAD_HEADER_LENGTH);
        goto bad;
    }
    if (!pkt_pullup(p, (size_t)hlen))
        return;
    ip = ip_hdr(p);
    host_adopt_dst4(h, ip->ip_dst);
    dst = g_ntohl(ip->ip_dst.s_addr);
    src = g_ntohl(ip->ip_src.s_addr);
    if (IN_LOOPBACK_(dst) || IN_LOOPBACK_(src)) {
        tp(p->m, TP_IP_INPUT_DROP_LOOPBACK_ADDRESS_ON_A_NON_LOOPBACK_INTERFACE);
        goto bad;
    }
    if ((p->csum & PKT_CSUM_RX_VALID) == 0 && in_cksum(ip, (size_t)hlen) != 0) {
        tp(p->m, TP_IP_INPUT_DROP_BAD_HEADER_CHECKSUM);
        goto bad;
    }
    ip_len = g_ntohs(ip->ip_len);
    if (ip_len < hlen) {
        tp(p->m, TP_IP_INPUT_DROP_TOTAL_LENGTH_SHORTER_THAN_THE_HEADER);
        goto bad;
    }
    if (pkt_len(p) < ip_len) {
    tooshort:
        tp(p->m, TP_IP_INPUT_DROP_SHORTER_THAN_ITS_TOTAL_LENGTH);
        goto bad;
    }
    if (pkt_len(p) > ip_len)
        pkt_adj(p, (long)ip_len - (long)pkt_len(p));
    if (h->cfg.forwarding) {
        if ((p = ip_tryforward(h, p)) == NULL)
            return;
        ip = ip_hdr(p);
    }
    if (dst == INADDR_ANY) {
        tp(p->m, TP_IP_INPUT_DROP_UNSPECIFIED_DESTINATION);
        goto bad;
    }
    if (hlen > (int)sizeof(struct ip) && ip_dooptions(h, p))
        return;
    ip = ip_hdr(p);
    dst = g_ntohl(ip->ip_dst.s_addr);
    /* No IPv4 address at all: any unicast packet may be for us. */
    if (!host_first4(h, &any) && (p->flags & (PKT_MCAST | PKT_BCAST)) == 0)
        goto ours;
    if (host_is_local4(h, ip->ip_dst)) {
        /* net.inet.ip.source_address_validation */
        if (host_is_local4(h, ip->ip_src)) {
            tp(p->m, TP_IP_INPUT_DROP_SOURCE_ADDRESS_IS_ONE_OF_OURS_SPOOFED);
            goto bad;
        }
        goto ours;
    }
    if (IN_MULTICAST(dst) || host_is_broadcast4(h, ip->ip_dst))
        goto ours;
    if (IN_LINKLOCAL_(dst) || IN_LINKLOCAL_(src)) {
        tp(p->m, TP_IP_INPUT_DROP_LINK_LOCAL_ADDRESS_NOT_FORWARDED);
        goto bad;
    }
    if (!h->cfg.forwarding) {
        tp(p->m, TP_IP_INPUT_DROP_NOT_FOR_THIS_HOST_AND_FORWARDING_IS_OFF);
        goto bad;
    }
    tp(p->m, TP_IP_INPUT_LEAVE_2);
    ip_forward(h, p);
    return;
ours:
    if (ip->ip_off & g_htons(IP_MF | IP_OFFMASK)) {
        if ((p = ip_reass(h, p)) == NULL)
            return;
        ip = ip_hdr(p);
        hlen = ip->ip_hl << 2;
    }
    tp(p->m, TP_IP_INPUT_LEAVE_3);
    ip_deliver(h, p, hlen);
    return;
bad:
    pkt_free(p);
}

/*
 * ip_dooptions(): check the options, act on source routes, fill in record
 * route and timestamp options; 1 when the packet is gone (an ICMP error
 * went back for it, or it was dropped).
 */
static int
ip_dooptions(struct host *h, struct pkt *p)
{
    struct ip *ip = ip_hdr(p);
    uint8_t *cp = pkt_data(p) + sizeof(struct ip);
    int cnt = (ip->ip_hl << 2) - (int)sizeof(struct ip);
    int opt, optlen, off, code = 0, type = ICMP_PARAMPROB;
    struct in_addr a;
    uint32_t ntime;

    for (; cnt > 0; cnt -= optlen, cp += optlen) {
        opt = cp[IPOPT_OPTVAL];
        if (opt == IPOPT_EOL)
            break;
        if (opt == IPOPT_NOP) {
            optlen = 1;
        } else {
            if (cnt < IPOPT_OLEN + 1) {
                code = (int)(&cp[IPOPT_OLEN] - pkt_data(p));
                goto bad;
            }
            optlen = cp[IPOPT_OLEN];
            if (optlen < IPOPT_OLEN + 1 || optlen > cnt) {
                code = (int)(&cp[IPOPT_OLEN] - pkt_data(p));
                goto bad;
            }
        }
        switch (opt) {
            case IPOPT_LSRR:
            case IPOPT_SSRR:
                if (optlen < IPOPT_OFFSET + 1) {
                    code = (int)(&cp[IPOPT_OLEN] - pkt_data(p));
                    goto bad;
                }
                if ((off = cp[IPOPT_OFFSET]) < IPOPT_MINOFF) {
                    code = (int)(&cp[IPOPT_OFFSET] - pkt_data(p));
                    goto bad;
                }
                /*
                 * net.inet.ip.sourceroute and accept_sourceroute are 0: a
                 * source route ends in "source route failed", except one
                 * through us with hops left, which is dropped quietly
                 * when the host does not forward.
                 */
                if (host_is_local4(h, ip->ip_dst) && off - 1 <= optlen - 4 && !h->cfg.forwarding) {
                    pkt_free(p);
                    return 1;
                }
                type = ICMP_UNREACH;
                code = ICMP_UNREACH_SRCFAIL;
                goto bad;
            case IPOPT_RR:
                if (optlen < IPOPT_OFFSET + 1) {
                    code = (int)(&cp[IPOPT_OFFSET] - pkt_data(p));
                    goto bad;
                }
                if ((off = cp[IPOPT_OFFSET]) < IPOPT_MINOFF) {
                    code = (int)(&cp[IPOPT_OFFSET] - pkt_data(p));
                    goto bad;
                }
                off--;
                if (off > optlen - (int)sizeof(struct in_addr))
                    break;
                /* Our address for the destination: its own, or the route's. */
                if (host_is_local4(h, ip->ip_dst))
                    a = ip->ip_dst;
                else if (!host_first4(h, &a)) {
                    type = ICMP_UNREACH;
                    code = ICMP_UNREACH_HOST;
                    goto bad;
                }
                memcpy(cp + off, &a, sizeof(a));
                cp[IPOPT_OFFSET] += sizeof(struct in_addr);
                break;
            case IPOPT_TS:
                code = (int)(cp - pkt_data(p));
                if (optlen < 4 || optlen > 40) {
                    code = (int)(&cp[IPOPT_OLEN] - pkt_data(p));
                    goto bad;
                }
                if ((off = cp[IPOPT_OFFSET]) < 5) {
                    code = (int)(&cp[IPOPT_OLEN] - pkt_data(p));
                    goto bad;
                }
                if (off > optlen - (int)sizeof(int32_t)) {
                    cp[IPOPT_OFFSET + 1] += (1 << 4);
                    if ((cp[IPOPT_OFFSET + 1] & 0xf0) == 0) {
                        code = (int)(&cp[IPOPT_OFFSET] - pkt_data(p));
                        goto bad;
                    }
                    break;
                }
                off--;
                switch (cp[IPOPT_OFFSET + 1] & 0x0f) {
                    case IPOPT_TS_TSONLY:
                        break;
                    case IPOPT_TS_TSANDADDR:
                        if (off + 8 > optlen) {
                            code = (int)(&cp[IPOPT_OFFSET] - pkt_data(p));
                            goto bad;
                        }
                        if (!host_first4(h, &a))
                            continue;
                        memcpy(cp + off, &a, sizeof(a));
                        cp[IPOPT_OFFSET] += sizeof(struct in_addr);
                        off += sizeof(struct in_addr);
                        break;
                    case IPOPT_TS_PRESPEC:
                        if (off + 8 > optlen) {
                            code = (int)(&cp[IPOPT_OFFSET] - pkt_data(p));
                            goto bad;
                        }
                        memcpy(&a, cp + off, sizeof(a));
                        if (!host_is_local4(h, a))
                            continue;
                        cp[IPOPT_OFFSET] += sizeof(struct in_addr);
                        off += sizeof(struct in_addr);
                        break;
                    default:
                        code = (int)(&cp[IPOPT_OFFSET + 1] - pkt_data(p));
                        goto bad;
                }
                ntime = iptime(h);
                memcpy(cp + off, &ntime, sizeof(uint32_t));
                cp[IPOPT_OFFSET] += sizeof(uint32_t);
                break;
            default:
                break;
        }
    }
    return 0;
bad:
    icmp_error(h, p, type, code, 0, 0);
    return 1;
}

/*
 * ip_fragment(): p becomes the first fragment; the others are new packets
 * with a copy of its header (and, through m_dup_pkthdr(), of its trace),
 * appended to frags.  0, or FBSD_EMSGSIZE when a fragment could hold no data.
 */
static int
ip_fragment(struct pkt *p, int mtu, GPtrArray *frags)
{
    struct ip *ip = ip_hdr(p);
    int hlen = ip->ip_hl << 2, ip_len = g_ntohs(ip->ip_len);
    int ip_off = g_ntohs(ip->ip_off), len = (mtu - hlen) & ~7, firstlen = len, off;
    uint8_t hdr[60];
    int mhlen = sizeof(struct ip);

    if (len < 8)
        return FBSD_EMSGSIZE;
    /* ip_optcopy(): the fragments keep only the options marked "copied". */
    memcpy(hdr, ip, sizeof(struct ip));
    if (hlen > (int)sizeof(struct ip)) {
        const uint8_t *cp = pkt_data(p) + sizeof(struct ip);
        int cnt, optlen;

        for (cnt = hlen - (int)sizeof(struct ip); cnt > 0; cnt -= optlen, cp += optlen) {
            if (cp[0] == IPOPT_EOL)
                break;
            if (cp[0] == IPOPT_NOP) {
                hdr[mhlen++] = IPOPT_NOP;
                optlen = 1;
                continue;
            }
            optlen = MIN(cp[IPOPT_OLEN], cnt);
            if (IPOPT_COPIED(cp[0])) {
                memcpy(hdr + mhlen, cp, (size_t)optlen);
                mhlen += optlen;
            }
        }
        while (mhlen & 3)
            hdr[mhlen++] = IPOPT_EOL;
        ((struct ip *)hdr)->ip_hl = (unsigned)mhlen >> 2;
    }
    for (off = hlen + len; off < ip_len; off += len) {
        struct pkt *f;
        struct ip *mhip;
        uint16_t frag_off = (uint16_t)(((off - hlen) >> 3) + ip_off);
        uint8_t *buf;

        if (off + len >= ip_len)
            len = ip_len - off;
        else
            frag_off |= IP_MF;
        buf = g_malloc((size_t)(mhlen + len));
        memcpy(buf, hdr, (size_t)mhlen);
        memcpy(buf + mhlen, pkt_data(p) + off, (size_t)len);
        f = pkt_new(buf, (size_t)(mhlen + len));
        g_free(buf);
        if (!pkt_dup_pkthdr(f, p))
            panic("ip_fragment: the KPI cannot fail without failure injection");
        mhip = ip_hdr(f);
        mhip->ip_off = g_htons(frag_off);
        mhip->ip_len = g_htons((uint16_t)(mhlen + len));
        mhip->ip_sum = 0;
        mhip->ip_sum = in_cksum(mhip, (size_t)mhlen);
        g_ptr_array_add(frags, f);
    }
    pkt_adj(p, (long)(hlen + firstlen) - (long)pkt_len(p));
    ip = ip_hdr(p);
    ip->ip_len = g_htons((uint16_t)(hlen + firstlen));
    ip->ip_off = g_htons((uint16_t)(ip_off | IP_MF));
    ip->ip_sum = 0;
    ip->ip_sum = in_cksum(ip, (size_t)hlen);
    return 0;
}

/*
 * ip_tryforward(): the fast path of a forwarding host for plain unicast
 * packets not for it.  NULL when it took the packet, else the packet,
 * for ip_input() to go on with.
 */
static struct pkt *
ip_tryforward(struct host *h, struct pkt *p)
{
    struct ip *ip = ip_hdr(p);
    uint32_t src = g_ntohl(ip->ip_src.s_addr), dst = g_ntohl(ip->ip_dst.s_addr);
    struct in_addr dest = ip->ip_dst;
    uint16_t ip_len, ip_off, sum;
    struct sim_if *ifp = h->route_if;

    /* Options: net.inet.ip.process_options is 1, ip_input() deals with them. */
    if (ip->ip_hl != (sizeof(struct ip) >> 2))
        return p;
    if ((p->flags & (PKT_BCAST | PKT_MCAST)) || host_is_broadcast4(h, ip->ip_src) ||
        host_is_broadcast4(h, ip->ip_dst) || IN_MULTICAST(src) || IN_MULTICAST(dst) ||
        IN_LINKLOCAL_(src) || IN_LINKLOCAL_(dst))
        return p;
    if (host_is_local4(h, ip->ip_dst))
        return p;
    /* Marked only here, where the fast path takes the packet. */
    tp(p->m, TP_IP_TRYFORWARD_FUNC);
    if (ip->ip_ttl <= IPTTLDEC) {
        tp(p->m, TP_IP_TRYFORWARD_DROP_TTL_EXCEEDED_SENDING_ICMP_TIME_EXCEEDED);
        icmp_error(h, p, ICMP_TIMXCEED, ICMP_TIMXCEED_INTRANS, 0, 0);
        return NULL;
    }
    /* The TTL goes down by one and the checksum is mended, not recomputed. */
    ip->ip_ttl -= IPTTLDEC;
    sum = ip->ip_sum;
    if (sum >= (uint16_t)~g_htons(IPTTLDEC << 8))
        sum = (uint16_t)(sum - (uint16_t)~g_htons(IPTTLDEC << 8));
    else
        sum = (uint16_t)(sum + g_htons(IPTTLDEC << 8));
    ip->ip_sum = sum;
    /* ip_findroute(): the default route, through the interface it came in on. */
    ip_len = g_ntohs(ip->ip_len);
    ip_off = g_ntohs(ip->ip_off);
    if (ip_len <= h->cfg.mtu) {
        tp(p->m, TP_IP_TRYFORWARD_FORWARD_FAST_PATH);
        ether_output(h, ifp, p, AF_INET, &dest, NULL);
    } else if (ip_off & IP_DF) {
        tp(p->m, TP_IP_TRYFORWARD_DROP_NEEDS_FRAGMENTING_BUT_DF_IS_SET_SENDING_ICMP);
        icmp_error(h, p, ICMP_UNREACH, ICMP_UNREACH_NEEDFRAG, 0, h->cfg.mtu);
    } else {
        GPtrArray *frags = g_ptr_array_new();
        guint i;

        if (ip_fragment(p, h->cfg.mtu, frags) != 0) {
            pkt_free(p);
        } else {
            ether_output(h, ifp, p, AF_INET, &dest, NULL);
            for (i = 0; i < frags->len; i++)
                ether_output(h, ifp, g_ptr_array_index(frags, i), AF_INET, &dest, NULL);
        }
        g_ptr_array_free(frags, TRUE);
    }
    return NULL;
}

/* in_canforward() */
static bool
in_canforward(uint32_t a)
{
    return !IN_MULTICAST(a) && !IN_LINKLOCAL_(a) && !IN_LOOPBACK_(a) && a != INADDR_ANY &&
           !IN_EXPERIMENTAL_(a) && !IN_ZERONET_(a);
}

/* ip_forward(): the slow path, for packets with options; no redirects on a default route. */
static void
ip_forward(struct host *h, struct pkt *p)
{
    struct ip *ip = ip_hdr(p);
    struct pkt *mcopy;
    int error, mtu;

    tp(p->m, TP_IP_FORWARD_ENTER);
    if ((p->flags & (PKT_BCAST | PKT_MCAST)) || !in_canforward(g_ntohl(ip->ip_dst.s_addr))) {
        tp(p->m, TP_IP_FORWARD_DROP_DESTINATION_CANNOT_BE_FORWARDED_TO);
        pkt_free(p);
        return;
    }
    if (ip->ip_ttl <= IPTTLDEC) {
        tp(p->m, TP_IP_FORWARD_DROP_TTL_EXCEEDED_SENDING_ICMP_TIME_EXCEEDED);
        icmp_error(h, p, ICMP_TIMXCEED, ICMP_TIMXCEED_INTRANS, 0, 0);
        return;
    }
    /* The header and the start of the data, for an ICMP error: a copy with the trace's copy. */
    if ((mcopy = pkt_copy(p)) != NULL)
        pkt_adj(mcopy, (long)MIN(g_ntohs(ip->ip_len), FREEBSD_MHLEN) - (long)pkt_len(mcopy));
    ip->ip_ttl -= IPTTLDEC;
    tp(p->m, TP_IP_FORWARD_LEAVE);
    error = ip_output(h, p, NULL, 0, IP_FORWARDING);
    if (mcopy == NULL)
        return;
    switch (error) {
        case 0:
        case FBSD_ENOBUFS:
        case FBSD_EACCES:
            pkt_free(mcopy);
            return;
        case FBSD_EMSGSIZE:
            mtu = h->cfg.mtu;
            icmp_error(h, mcopy, ICMP_UNREACH, ICMP_UNREACH_NEEDFRAG, 0, mtu);
            return;
        default:
            icmp_error(h, mcopy, ICMP_UNREACH, ICMP_UNREACH_HOST, 0, 0);
            return;
    }
}

/*
 * ip_output(): opts (the first 4 bytes a first-hop address, as
 * ip_insertoptions() takes them) go in after the header; the route is the
 * interface the current input came in on.
 */
int
ip_output(struct host *h, struct pkt *p, const uint8_t *opts, size_t optlen, int flags)
{
    struct ip *ip;
    struct in_addr dst;
    int hlen = sizeof(struct ip), error = 0;
    uint16_t ip_len, ip_off;
    struct sim_if *ifp = h->route_if;
    GPtrArray *frags;
    guint i;

    tp(p->m, TP_IP_OUTPUT_START_SOCKET);
    tp_start(p->m, TP_IP_OUTPUT_START, 0, NULL);
    tp(p->m, TP_IP_OUTPUT_ENTER);
    if (opts != NULL && optlen > 4 && optlen - 4 + g_ntohs(ip_hdr(p)->ip_len) <= IP_MAXPACKET) {
        /* ip_insertoptions() */
        optlen -= 4;
        pkt_prepend(p, optlen);
        memmove(pkt_data(p), pkt_data(p) + optlen, sizeof(struct ip));
        memcpy(pkt_data(p) + sizeof(struct ip), opts + 4, optlen);
        ip = ip_hdr(p);
        hlen = (int)(sizeof(struct ip) + optlen);
        ip->ip_hl = (unsigned)hlen >> 2;
        ip->ip_len = g_htons((uint16_t)(g_ntohs(ip->ip_len) + optlen));
    }
    ip = ip_hdr(p);
    ip_len = g_ntohs(ip->ip_len);
    ip_off = g_ntohs(ip->ip_off);
    if ((flags & IP_FORWARDING) == 0) {
        ip->ip_v = IPVERSION;
        ip->ip_hl = (unsigned)hlen >> 2;
        ip_fillid(h, ip);
    } else {
        hlen = ip->ip_hl << 2;
    }
    dst = ip->ip_dst;
    if (host_is_broadcast4(h, dst)) {
        if ((flags & IP_ALLOWBROADCAST) == 0) {
            error = FBSD_EACCES;
            goto bad;
        }
        p->flags |= PKT_BCAST;
    } else {
        p->flags &= ~PKT_BCAST;
    }
    if (IN_LOOPBACK_(g_ntohl(ip->ip_dst.s_addr)) || IN_LOOPBACK_(g_ntohl(ip->ip_src.s_addr))) {
        error = FBSD_EADDRNOTAVAIL;
        goto bad;
    }
    /* No checksum offload: in_delayed_cksum() finishes what tcp_respond() began. */
    if (p->csum & PKT_CSUM_TCP) {
        struct tcphdr *th = (struct tcphdr *)(pkt_data(p) + hlen);

        th->th_sum = 0;
        th->th_sum = in_cksum_pseudo4(ip, IPPROTO_TCP, th, (size_t)(ip_len - hlen));
        if (th->th_sum == 0)
            th->th_sum = 0xffff;
        p->csum &= ~PKT_CSUM_TCP;
    }
    if (ip_len <= h->cfg.mtu) {
        ip->ip_sum = 0;
        ip->ip_sum = in_cksum(ip, (size_t)hlen);
        tp(p->m, TP_IP_OUTPUT_LEAVE_1);
        ether_output(h, ifp, p, AF_INET, &dst, NULL);
        return 0;
    }
    if (ip_off & IP_DF) {
        error = FBSD_EMSGSIZE;
        goto bad;
    }
    frags = g_ptr_array_new();
    error = ip_fragment(p, h->cfg.mtu, frags);
    if (error != 0) {
        g_ptr_array_free(frags, TRUE);
        goto bad;
    }
    g_ptr_array_insert(frags, 0, p);
    for (i = 0; i < frags->len; i++) {
        struct pkt *f = g_ptr_array_index(frags, i);

        tp(f->m, TP_IP_OUTPUT_LEAVE_2);
        ether_output(h, ifp, f, AF_INET, &dst, NULL);
    }
    g_ptr_array_free(frags, TRUE);
    return 0;
bad:
    tp_printf(p->m, TP_IP_OUTPUT_DROP_ERROR, error);
    pkt_free(p);
    return error;
}

static void
icmp_input(struct host *h, struct pkt *p, int hlen)
{
    struct ip *ip = ip_hdr(p);
    int icmplen = g_ntohs(ip->ip_len) - hlen, code;
    struct icmp *icp;

    tp(p->m, TP_ICMP_INPUT_ENTER);
    if (icmplen < ICMP_MINLEN) {
        tp(p->m, TP_ICMP_INPUT_DROP_TOO_SHORT);
        goto freeit;
    }
    icp = (struct icmp *)(pkt_data(p) + hlen);
    if (in_cksum(icp, (size_t)icmplen) != 0) {
        tp(p->m, TP_ICMP_INPUT_DROP_BAD_CHECKSUM);
        goto freeit;
    }
    if (icp->icmp_type > ICMP_MAXTYPE)
        goto raw;
    code = icp->icmp_code;
    switch (icp->icmp_type) {
        case ICMP_UNREACH:
            if (code > ICMP_UNREACH_PRECEDENCE_CUTOFF)
                goto raw; /* badcode */
            goto deliver;
        case ICMP_TIMXCEED:
            if (code > ICMP_TIMXCEED_REASS)
                goto raw;
            goto deliver;
        case ICMP_PARAMPROB:
            if (code > ICMP_PARAMPROB_LENGTH_)
                goto raw;
        deliver:
            if (icmplen < (int)ICMP_ADVLENMIN_ || icmplen < ICMP_ADVLEN(icp) ||
                icp->icmp_ip.ip_hl < (sizeof(struct ip) >> 2))
                goto freeit; /* icps_badlen */
            if (IN_MULTICAST(g_ntohl(icp->icmp_ip.ip_dst.s_addr)))
                goto raw;
            if (icp->icmp_ip.ip_dst.s_addr == INADDR_ANY ||
                icp->icmp_ip.ip_src.s_addr == INADDR_ANY)
                goto freeit;
            /* The protocol's ctlinput finds no socket to tell. */
            ip_stripoptions(p);
            break;
        case ICMP_ECHO:
            if (p->flags & (PKT_MCAST | PKT_BCAST))
                break; /* net.inet.icmp.bmcastecho is 0 */
            icp->icmp_type = ICMP_ECHOREPLY;
            goto reflect;
        case ICMP_TSTAMP:
            if (p->flags & (PKT_MCAST | PKT_BCAST))
                break;
            if (icmplen < (int)ICMP_TSLEN)
                break;
            icp->icmp_type = ICMP_TSTAMPREPLY;
            icp->icmp_rtime = iptime(h);
            icp->icmp_ttime = icp->icmp_rtime;
            goto reflect;
        default:
            /*
             * Address mask requests (net.inet.icmp.maskrepl is 0),
             * redirects (the routing table is not simulated: none is
             * taken), and what needs no kernel processing.
             */
            break;
        reflect:
            tp(p->m, TP_ICMP_INPUT_REPLY_THIS_PACKET_BECOMES_THE_ICMP_REPLY);
            icmp_reflect(h, p);
            return;
    }
raw:
    tp(p->m, TP_ICMP_INPUT_LEAVE);
    rip_input(h, p, true);
    return;
freeit:
    pkt_free(p);
}

static void
icmp_send(struct host *h, struct pkt *p, const uint8_t *opts, size_t optlen)
{
    struct ip *ip = ip_hdr(p);
    int hlen = ip->ip_hl << 2;
    struct icmp *icp = (struct icmp *)(pkt_data(p) + hlen);

    icp->icmp_cksum = 0;
    icp->icmp_cksum = in_cksum(icp, (size_t)(g_ntohs(ip->ip_len) - hlen));
    p->rcvif = NULL;
    ip_output(h, p, opts, optlen, 0);
}

/* icmp_reflect(): the packet goes back to its source, from the address it came to. */
static void
icmp_reflect(struct host *h, struct pkt *p)
{
    struct ip *ip = ip_hdr(p);
    uint32_t src = g_ntohl(ip->ip_src.s_addr);
    int optlen = (ip->ip_hl << 2) - (int)sizeof(struct ip);
    uint8_t opts[4 + 40] = { 0 };
    size_t olen = 4;
    struct in_addr t;

    if (IN_MULTICAST(src) || IN_EXPERIMENTAL_(src) || IN_ZERONET_(src)) {
        pkt_free(p); /* icps_badaddr */
        return;
    }
    t = ip->ip_dst;
    ip->ip_dst = ip->ip_src;
    if (!host_is_local4(h, t)) {
        /*
         * Sent to a broadcast address of ours, or passing through: the
         * interface's address (the route back goes through it).
         */
        if (!host_first4(h, &t)) {
            pkt_free(p); /* icps_noroute */
            return;
        }
    }
    ip->ip_src = t;
    ip->ip_off = g_htons(0);
    ip->ip_ttl = IPDEFTTL;
    if (optlen > 0) {
        /* Record route, timestamp and security options go back; ip_srcroute() has none. */
        const uint8_t *cp = pkt_data(p) + sizeof(struct ip);
        int cnt, len;

        for (cnt = optlen; cnt > 0; cnt -= len, cp += len) {
            if (cp[IPOPT_OPTVAL] == IPOPT_EOL)
                break;
            if (cp[IPOPT_OPTVAL] == IPOPT_NOP) {
                len = 1;
            } else {
                if (cnt < IPOPT_OLEN + 1)
                    break;
                len = cp[IPOPT_OLEN];
                if (len < IPOPT_OLEN + 1 || len > cnt)
                    break;
            }
            if (cp[IPOPT_OPTVAL] == IPOPT_RR || cp[IPOPT_OPTVAL] == IPOPT_TS ||
                cp[IPOPT_OPTVAL] == IPOPT_SECURITY) {
                memcpy(opts + olen, cp, (size_t)len);
                olen += (size_t)len;
            }
        }
        while (olen % 4)
            opts[olen++] = IPOPT_EOL;
        ip_stripoptions(p);
    }
    p->flags &= ~(PKT_BCAST | PKT_MCAST);
    icmp_send(h, p, optlen > 0 ? opts : NULL, olen);
}

/*
 * icmp_error(): a new packet, quoting n, goes back to n's source; n is
 * freed (and its trace emitted) after the error has been sent.
 */
void
icmp_error(struct host *h, struct pkt *n, int type, int code, uint32_t dest, int mtu)
{
    struct ip *oip, *nip;
    struct icmp *icp;
    struct pkt *m;
    unsigned oiphlen, icmpelen, icmplen, nlen = (unsigned)pkt_len(n);
    uint8_t *buf;

    if (n->flags & (PKT_BCAST | PKT_MCAST))
        goto freeit;
    if (nlen < sizeof(struct ip) + ICMP_MINLEN)
        goto freeit;
    oip = ip_hdr(n);
    oiphlen = oip->ip_hl << 2;
    if (nlen < oiphlen + ICMP_MINLEN)
        goto freeit;
    if (oip->ip_off & g_htons(~(IP_MF | IP_DF)))
        goto freeit;
    if (oip->ip_p == IPPROTO_ICMP && type != ICMP_REDIRECT &&
        !ICMP_INFOTYPE(((struct icmp *)(pkt_data(n) + oiphlen))->icmp_type))
        goto freeit;
    if (oip->ip_p == IPPROTO_TCP && oiphlen + sizeof(struct tcphdr) <= nlen) {
        unsigned tcphlen = (unsigned)((struct tcphdr *)(pkt_data(n) + oiphlen))->th_off << 2;

        if (tcphlen < sizeof(struct tcphdr) || g_ntohs(oip->ip_len) < oiphlen + tcphlen)
            goto freeit;
        if (oiphlen + tcphlen > nlen)
            goto stdreply;
        icmpelen = MAX(tcphlen, MIN(ICMP_QUOTELEN, g_ntohs(oip->ip_len) - oiphlen));
    } else if (oip->ip_p == IPPROTO_SCTP && g_ntohs(oip->ip_len) >= oiphlen + 12 &&
               oiphlen + 12 <= nlen) {
        icmpelen = MAX(12, MIN(ICMP_QUOTELEN, g_ntohs(oip->ip_len) - oiphlen));
    } else {
    stdreply:
        icmpelen = MAX(8, MIN(ICMP_QUOTELEN, g_ntohs(oip->ip_len) - oiphlen));
    }
    icmplen = MIN(oiphlen + icmpelen, nlen);
    if (icmplen < sizeof(struct ip))
        goto freeit;
    buf = g_malloc0(sizeof(struct ip) + ICMP_MINLEN + icmplen);
    icp = (struct icmp *)(buf + sizeof(struct ip));
    icp->icmp_type = (uint8_t)type;
    if (type == ICMP_REDIRECT) {
        icp->icmp_gwaddr.s_addr = dest;
    } else if (type == ICMP_PARAMPROB) {
        icp->icmp_pptr = (uint8_t)code;
        code = 0;
    } else if (type == ICMP_UNREACH && code == ICMP_UNREACH_NEEDFRAG && mtu) {
        icp->icmp_nextmtu = g_htons((uint16_t)mtu);
    }
    icp->icmp_code = (uint8_t)code;
    memcpy(&icp->icmp_ip, pkt_data(n), icmplen);
    nip = (struct ip *)buf;
    memcpy(nip, oip, sizeof(struct ip));
    nip->ip_len = g_htons((uint16_t)(sizeof(struct ip) + ICMP_MINLEN + icmplen));
    nip->ip_v = IPVERSION;
    nip->ip_hl = 5;
    nip->ip_p = IPPROTO_ICMP;
    nip->ip_tos = 0;
    m = pkt_new(buf, sizeof(struct ip) + ICMP_MINLEN + icmplen);
    g_free(buf);
    m->rcvif = n->rcvif;
    /* net.inet.icmp.error_keeptags is 0: the error starts a trace of its own. */
    icmp_reflect(h, m);
freeit:
    pkt_free(n);
}
