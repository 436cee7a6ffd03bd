/*
 * IPv6 (sys/netinet6/ip6_input.c, dest6.c, route6.c, ip6_forward.c,
 * ip6_output.c) and ICMPv6 with neighbour discovery (icmp6.c, nd6_nbr.c):
 * input checks and extension headers, delivery, forwarding, output with
 * fragmentation, echo replies, neighbour advertisements and errors.
 */
#include <glib.h>

#include <arpa/inet.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netinet/ip6.h>
#include <string.h>
#include <sys/socket.h>

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/mbuf.h>

#include "replay.h"
#include "tp.h"

#define IPV6_HLIMDEC           1
#define IPV6_MMTU              1280
#define ICMPV6_PLD_MAXLEN      (IPV6_MMTU - sizeof(struct ip6_hdr) - sizeof(struct icmp6_hdr))
#define IP6_HDRNESTLIMIT       15 /* net.inet6.ip6.hdrnestlimit */
#define IP6OPT_MINLEN          2
#define IP6OPT_RTALERT_LEN     4
#define IP6OPT_RTALERT_MLD     0
#define MLDV2_LISTENER_REPORT_ 143
#define IPPROTO_MOBILE_        55
#define IPPROTO_ETHERIP_       97

/* What an extension header or upper layer handler returns: the next header, or this. */
#define IPPROTO_DONE_ 257

static void ip6_forward(struct host *h, struct pkt *p);
static uint32_t ip6_get_prevhdr(const struct pkt *p, int off);
static int icmp6_input(struct host *h, struct pkt *p, int off);

static struct ip6_hdr *
ip6_hdr(const struct pkt *p)
{
    return (struct ip6_hdr *)pkt_data(p);
}

/* ip6_unknown_opt(): how the option's type says to treat an unknown one. */
static int
ip6_unknown_opt(struct host *h, struct pkt *p, const uint8_t *opt, int off)
{
    switch (IP6OPT_TYPE(*opt)) {
        case IP6OPT_TYPE_SKIP:
            return opt[1];
        case IP6OPT_TYPE_DISCARD:
            pkt_free(p);
            return -1;
        case IP6OPT_TYPE_FORCEICMP:
            icmp6_error(h, p, ICMP6_PARAM_PROB, ICMP6_PARAMPROB_OPTION, (uint32_t)off);
            return -1;
        default: /* IP6OPT_TYPE_ICMP */
            if (IN6_IS_ADDR_MULTICAST(&ip6_hdr(p)->ip6_dst) || (p->flags & (PKT_BCAST | PKT_MCAST)))
                pkt_free(p);
            else
                icmp6_error(h, p, ICMP6_PARAM_PROB, ICMP6_PARAMPROB_OPTION, (uint32_t)off);
            return -1;
    }
}

/*
 * ip6_process_hopopts() and the option loop of dest6_input(): 0, or -1
 * when the packet is gone.  *rtalert gets a router alert's value.
 */
static int
ip6_options(struct host *h, struct pkt *p, int off, int len, bool hbh, uint32_t *rtalert)
{
    const uint8_t *opt = pkt_data(p) + off + 2;
    int optlen;

    for (len -= 2; len > 0; len -= optlen, opt += optlen) {
        if (*opt == IP6OPT_PAD1) {
            optlen = 1;
            continue;
        }
        if (len < IP6OPT_MINLEN || (!hbh && opt[1] + 2 > len))
            goto bad;
        if (*opt == IP6OPT_PADN) {
            optlen = opt[1] + 2;
        } else if (hbh && *opt == IP6OPT_ROUTER_ALERT) {
            if (len < IP6OPT_RTALERT_LEN)
                goto bad;
            if (opt[1] != IP6OPT_RTALERT_LEN - 2) {
                icmp6_error(h, p, ICMP6_PARAM_PROB, ICMP6_PARAMPROB_HEADER,
                            (uint32_t)(opt + 1 - pkt_data(p)));
                return -1;
            }
            *rtalert = (uint32_t)(opt[2] << 8 | opt[3]);
            optlen = IP6OPT_RTALERT_LEN;
        } else if (hbh && *opt == IP6OPT_JUMBO) {
            /* No jumbogram fits a frame: a jumbo payload option is an error. */
            if (len < IP6OPT_JUMBO_LEN)
                goto bad;
            icmp6_error(h, p, ICMP6_PARAM_PROB, ICMP6_PARAMPROB_HEADER,
                        (uint32_t)(opt + (opt[1] != IP6OPT_JUMBO_LEN - 2 ? 1 : 0) - pkt_data(p)));
            return -1;
        } else {
            optlen = ip6_unknown_opt(h, p, opt, (int)(opt - pkt_data(p)));
            if (optlen == -1)
                return -1;
            optlen += 2;
        }
    }
    return 0;
bad:
    pkt_free(p);
    return -1;
}

/* ip6_hopopts_input(), dest6_input(): the header's length, then its options. */
static int
ip6_ext_options(struct host *h, struct pkt *p, int *off, bool hbh, uint32_t *rtalert)
{
    int len;

    if (!pkt_pullup(p, (size_t)*off + 2))
        return -1;
    len = (pkt_data(p)[*off + 1] + 1) << 3;
    if (!pkt_pullup(p, (size_t)(*off + len)))
        return -1;
    if (ip6_options(h, p, *off, len, hbh, rtalert) < 0)
        return -1;
    *off += len;
    return 0;
}

/* ip6_protox[] of a GENERIC kernel: handlers return the next header or IPPROTO_DONE_. */
static int
ip6_deliver(struct host *h, struct pkt *p, int *off, int nxt)
{
    uint32_t rtalert = ~0u;
    const uint8_t *rh;

    switch (nxt) {
        case IPPROTO_ICMPV6:
            return icmp6_input(h, p, *off);
        case IPPROTO_TCP:
            tcp6_input(h, p, *off);
            return IPPROTO_DONE_;
        case IPPROTO_UDP:
        case IPPROTO_UDPLITE:
            udp6_input(h, p, *off, nxt);
            return IPPROTO_DONE_;
        case IPPROTO_DSTOPTS:
            nxt = pkt_len(p) > (size_t)*off ? pkt_data(p)[*off] : 0;
            return ip6_ext_options(h, p, off, false, &rtalert) < 0 ? IPPROTO_DONE_ : nxt;
        case IPPROTO_ROUTING:
            /* route6_input(): no routing header type is known; one at its end is ignored. */
            if (!pkt_pullup(p, (size_t)*off + 4))
                return IPPROTO_DONE_;
            rh = pkt_data(p) + *off;
            if (rh[3] != 0) {
                icmp6_error(h, p, ICMP6_PARAM_PROB, ICMP6_PARAMPROB_HEADER, (uint32_t)(*off + 2));
                return IPPROTO_DONE_;
            }
            *off += (rh[1] + 1) << 3;
            return rh[0];
        case IPPROTO_FRAGMENT:
            /* frag6_input(): reassembly is not simulated (see docs/replay.md). */
            pkt_free(p);
            return IPPROTO_DONE_;
        case IPPROTO_IPIP:
        case IPPROTO_IPV6:
        case IPPROTO_ETHERIP_:
        case IPPROTO_GRE:
        case IPPROTO_PIM:
            /* encap6_input(): no tunnel, rip6_input() without a socket. */
        default:
            /* rip6_input() with no raw socket */
            if (nxt == IPPROTO_NONE) {
                pkt_free(p);
            } else {
                icmp6_error(h, p, ICMP6_PARAM_PROB, ICMP6_PARAMPROB_NEXTHEADER,
                            ip6_get_prevhdr(p, *off));
            }
            return IPPROTO_DONE_;
    }
}

/*
 * ip6_get_prevhdr(): the offset of the next header field that names the
 * header at off (rip6_input()'s parameter problem points at it).
 */
static uint32_t
ip6_get_prevhdr(const struct pkt *p, int off)
{
    int len = sizeof(struct ip6_hdr), nxt = ip6_hdr(p)->ip6_nxt;
    uint32_t prev = offsetof(struct ip6_hdr, ip6_nxt);

    while (len < off && (size_t)len + 2 <= pkt_len(p)) {
        const uint8_t *eh = pkt_data(p) + len;

        prev = (uint32_t)len;
        if (nxt == IPPROTO_FRAGMENT)
            len += sizeof(struct ip6_frag);
        else if (nxt == IPPROTO_AH)
            len += (eh[1] + 2) << 2;
        else
            len += (eh[1] + 1) << 3;
        nxt = eh[0];
    }
    return prev;
}

/* in6_clearscope() and in6_setscope() refusals: embedded zones, ::1 from the wire. */
static bool
ip6_scope_bad(const struct in6_addr *a)
{
    bool scoped =
        IN6_IS_ADDR_LINKLOCAL(a) || IN6_IS_ADDR_MC_LINKLOCAL(a) || IN6_IS_ADDR_MC_NODELOCAL(a);

    return (scoped && (a->s6_addr[2] != 0 || a->s6_addr[3] != 0)) || IN6_IS_ADDR_LOOPBACK(a);
}

void
ip6_input(struct host *h, struct pkt *p)
{
    struct ip6_hdr *ip6;
    uint32_t plen, rtalert = ~0u;
    int off = sizeof(struct ip6_hdr), nest = 0, nxt;
    bool ours = false;

    tp(p->m, TP_IP6_INPUT_ENTER);
    if (!pkt_pullup(p, sizeof(struct ip6_hdr)))
        return;
    ip6 = ip6_hdr(p);
    if ((ip6->ip6_vfc & IPV6_VERSION_MASK) != IPV6_VERSION) {
        tp(p->m, TP_IP6_INPUT_DROP_NOT_IP_VERSION_6);
        goto bad;
    }
    host_adopt_dst6(h, &ip6->ip6_dst);
    /* Bad scopes: no records, ip6s_badscope. */
    if (IN6_IS_ADDR_MULTICAST(&ip6->ip6_src) || IN6_IS_ADDR_MC_NODELOCAL(&ip6->ip6_dst) ||
        (IN6_IS_ADDR_MULTICAST(&ip6->ip6_dst) && (ip6->ip6_dst.s6_addr[1] & 0x0f) == 0) ||
        IN6_IS_ADDR_V4MAPPED(&ip6->ip6_src) || IN6_IS_ADDR_V4MAPPED(&ip6->ip6_dst))
        goto bad;
    /*
     * ip6_tryforward() only runs with net.inet6.ip6.redirect 0; FreeBSD's
     * default is 1, so forwarding takes ip6_forward().
     */
    if (IN6_IS_ADDR_UNSPECIFIED(&ip6->ip6_dst) || ip6_scope_bad(&ip6->ip6_src) ||
        ip6_scope_bad(&ip6->ip6_dst))
        goto bad;
    /*
     * in6_setscope() would now embed the zone of link-local addresses in
     * the header; every path out clears it again, so the replay skips both.
     */
    if (IN6_IS_ADDR_MULTICAST(&ip6->ip6_dst)) {
        ours = true;
    } else if (host_is_local6(h, &ip6->ip6_dst)) {
        /* net.inet6.ip6.source_address_validation */
        if (host_is_local6(h, &ip6->ip6_src))
            goto bad;
        ours = true;
    } else if (!h->cfg.forwarding) {
        tp(p->m, TP_IP6_INPUT_DROP_NOT_FOR_THIS_HOST_AND_FORWARDING_IS_OFF);
        goto bad;
    }
    plen = g_ntohs(ip6->ip6_plen);
    if (ip6->ip6_nxt == IPPROTO_HOPOPTS) {
        if (ip6_ext_options(h, p, &off, true, &rtalert) < 0)
            return;
        ip6 = ip6_hdr(p);
        if (plen == 0) {
            icmp6_error(h, p, ICMP6_PARAM_PROB, ICMP6_PARAMPROB_HEADER,
                        offsetof(struct ip6_hdr, ip6_plen));
            return;
        }
        nxt = pkt_data(p)[sizeof(struct ip6_hdr)];
        if (rtalert == IP6OPT_RTALERT_MLD && h->cfg.forwarding)
            ours = true;
    } else {
        nxt = ip6->ip6_nxt;
    }
    if (rtalert != ~0u)
        p->flags |= PKT_RTALERT_MLD;
    if (pkt_len(p) - sizeof(struct ip6_hdr) < plen)
        goto bad; /* ip6s_tooshort */
    if (pkt_len(p) > sizeof(struct ip6_hdr) + plen)
        pkt_adj(p, (long)(sizeof(struct ip6_hdr) + plen) - (long)pkt_len(p));
    if (!ours) {
        tp(p->m, TP_IP6_INPUT_LEAVE_2);
        ip6_forward(h, p);
        return;
    }
    while (nxt != IPPROTO_DONE_) {
        if (++nest > IP6_HDRNESTLIMIT)
            goto bad;
        if (pkt_len(p) < (size_t)off) {
            tp(p->m, TP_IP6_INPUT_DROP_SHORTER_THAN_ITS_HEADERS);
            goto bad;
        }
        tp(p->m, TP_IP6_INPUT_LEAVE_3);
        nxt = ip6_deliver(h, p, &off, nxt);
    }
    return;
bad:
    pkt_free(p);
}

static void
ip6_forward(struct host *h, struct pkt *p)
{
    struct ip6_hdr *ip6 = ip6_hdr(p);
    struct in6_addr dst = ip6->ip6_dst;
    struct pkt *mcopy;

    tp(p->m, TP_IP6_FORWARD_ENTER);
    if ((p->flags & (PKT_BCAST | PKT_MCAST)) || IN6_IS_ADDR_MULTICAST(&ip6->ip6_dst) ||
        IN6_IS_ADDR_UNSPECIFIED(&ip6->ip6_src) || IN6_IS_ADDR_UNSPECIFIED(&ip6->ip6_dst)) {
        pkt_free(p); /* ip6s_cantforward */
        return;
    }
    if (ip6->ip6_hlim <= IPV6_HLIMDEC) {
        tp(p->m, TP_IP6_FORWARD_DROP_HOP_LIMIT_EXCEEDED_SENDING_ICMPV6_TIME_EXCEEDED);
        icmp6_error(h, p, ICMP6_TIME_EXCEEDED, ICMP6_TIME_EXCEED_TRANSIT, 0);
        return;
    }
    /* For an ICMPv6 error later: the start of the packet, and a copy of its trace. */
    if ((mcopy = pkt_copy(p)) != NULL)
        pkt_adj(mcopy, (long)MIN(pkt_len(p), ICMPV6_PLD_MAXLEN) - (long)pkt_len(p));
    ip6->ip6_hlim -= IPV6_HLIMDEC;
    /*
     * The default route, through the interface the packet came in on; the
     * redirect that asks for goes only to a sender that is a neighbour.
     */
    if (pkt_len(p) > (size_t)h->cfg.mtu) {
        if (mcopy != NULL)
            icmp6_error(h, mcopy, ICMP6_PACKET_TOO_BIG, 0, (uint32_t)h->cfg.mtu);
        pkt_free(p);
        return;
    }
    tp(p->m, TP_IP6_FORWARD_LEAVE);
    ether_output(h, h->route_if, p, AF_INET6, &dst, NULL);
    /* icmp6_redirect_output() sends nothing to a source that is not a neighbour. */
    if (mcopy != NULL)
        pkt_free(mcopy);
}

/*
 * ip6_fragment(): every fragment is a new packet, with a copy of the
 * header (the next header now IPPROTO_FRAGMENT) and of the trace.
 */
static int
ip6_fragment(struct host *h, struct pkt *p, int mtu, GPtrArray *frags)
{
    struct ip6_hdr *ip6 = ip6_hdr(p);
    int hlen = sizeof(struct ip6_hdr), tlen = (int)pkt_len(p), off;
    int fraglen = (mtu - hlen - (int)sizeof(struct ip6_frag)) & ~7;
    uint8_t nextproto = ip6->ip6_nxt;
    uint32_t id = ++h->ip6_id;

    if (fraglen < 8)
        return FBSD_EMSGSIZE;
    ip6->ip6_nxt = IPPROTO_FRAGMENT;
    for (off = hlen; off < tlen; off += fraglen) {
        int len = MIN(fraglen, tlen - off);
        uint8_t *buf = g_malloc((size_t)hlen + sizeof(struct ip6_frag) + (size_t)len);
        struct ip6_hdr *mhip6 = (struct ip6_hdr *)buf;
        struct ip6_frag *ip6f = (struct ip6_frag *)(buf + hlen);
        struct pkt *f;

        memcpy(buf, ip6, (size_t)hlen);
        ip6f->ip6f_nxt = nextproto;
        ip6f->ip6f_reserved = 0;
        ip6f->ip6f_offlg = g_htons((uint16_t)((off - hlen) & ~7));
        if (off + fraglen < tlen)
            ip6f->ip6f_offlg |= IP6F_MORE_FRAG;
        ip6f->ip6f_ident = g_htonl(id);
        mhip6->ip6_plen = g_htons((uint16_t)(len + sizeof(*ip6f)));
        memcpy(buf + hlen + sizeof(*ip6f), pkt_data(p) + off, (size_t)len);
        f = pkt_new(buf, (size_t)hlen + sizeof(*ip6f) + (size_t)len);
        g_free(buf);
        if (!pkt_dup_pkthdr(f, p))
            panic("ip6_fragment: the KPI cannot fail without failure injection");
        g_ptr_array_add(frags, f);
    }
    return 0;
}

/* ip6_output(): the route is the interface the current input came in on. */
int
ip6_output(struct host *h, struct pkt *p)
{
    struct ip6_hdr *ip6;
    struct in6_addr dst;
    size_t plen;
    int error;
    GPtrArray *frags;
    guint i;

    tp(p->m, TP_IP6_OUTPUT_START_SOCKET);
    tp_start(p->m, TP_IP6_OUTPUT_START, 0, NULL);
    tp(p->m, TP_IP6_OUTPUT_ENTER);
    ip6 = ip6_hdr(p);
    if (IN6_IS_ADDR_UNSPECIFIED(&ip6->ip6_src) || IN6_IS_ADDR_MULTICAST(&ip6->ip6_src)) {
        error = FBSD_EOPNOTSUPP;
        goto bad;
    }
    plen = pkt_len(p) - sizeof(*ip6);
    ip6->ip6_plen = g_htons((uint16_t)plen);
    /* The callers that send to a group (nd6_na_output()) set the hop limit themselves. */
    dst = ip6->ip6_dst;
    if (IN6_IS_ADDR_MULTICAST(&dst))
        p->flags = (p->flags & ~PKT_BCAST) | PKT_MCAST;
    else
        p->flags &= ~(PKT_BCAST | PKT_MCAST);
    /* No checksum offload: in6_delayed_cksum() finishes what tcp_respond() began. */
    if (p->csum & PKT_CSUM_TCP6) {
        uint8_t *th = pkt_data(p) + sizeof(*ip6);
        uint16_t sum = 0;

        memcpy(th + 16, &sum, sizeof(sum));
        sum = in_cksum_pseudo6(ip6, IPPROTO_TCP, th, plen);
        memcpy(th + 16, &sum, sizeof(sum));
        p->csum &= ~PKT_CSUM_TCP6;
    }
    if (pkt_len(p) <= (size_t)h->cfg.mtu) {
        tp(p->m, TP_IP6_OUTPUT_LEAVE_1);
        ether_output(h, h->route_if, p, AF_INET6, &dst, NULL);
        return 0;
    }
    frags = g_ptr_array_new();
    error = ip6_fragment(h, p, h->cfg.mtu, frags);
    if (error != 0) {
        g_ptr_array_free(frags, TRUE);
        goto bad;
    }
    /* The unfragmented packet goes first, its trace with it. */
    pkt_free(p);
    for (i = 0; i < frags->len; i++) {
        struct pkt *f = g_ptr_array_index(frags, i);

        tp(f->m, TP_IP6_OUTPUT_LEAVE_2);
        ether_output(h, h->route_if, f, AF_INET6, &dst, NULL);
    }
    g_ptr_array_free(frags, TRUE);
    return 0;
bad:
    tp_printf(p->m, TP_IP6_OUTPUT_DROP_ERROR, error);
    pkt_free(p);
    return error;
}

/* icmp6_reflect(): back to the source, from the address it came to. */
static void
icmp6_reflect(struct host *h, struct pkt *p, size_t off)
{
    struct ip6_hdr *ip6, nip6;
    struct icmp6_hdr *icmp6;
    struct in6_addr src;
    int hlim = 0;
    size_t plen;

    if (off < sizeof(struct ip6_hdr))
        goto bad;
    if (off > sizeof(struct ip6_hdr)) {
        /* The extension headers between IPv6 and ICMPv6 go. */
        memcpy(&nip6, pkt_data(p), sizeof(nip6));
        pkt_adj(p, (long)(off - sizeof(struct ip6_hdr)));
        if (!pkt_pullup(p, sizeof(struct ip6_hdr) + sizeof(struct icmp6_hdr)))
            return;
        memcpy(pkt_data(p), &nip6, sizeof(nip6));
    } else if (!pkt_pullup(p, sizeof(struct ip6_hdr) + sizeof(struct icmp6_hdr))) {
        return;
    }
    plen = pkt_len(p) - sizeof(struct ip6_hdr);
    ip6 = ip6_hdr(p);
    ip6->ip6_nxt = IPPROTO_ICMPV6;
    icmp6 = (struct icmp6_hdr *)(ip6 + 1);
    if (IN6_IS_ADDR_UNSPECIFIED(&ip6->ip6_src))
        goto bad;
    if (!IN6_IS_ADDR_MULTICAST(&ip6->ip6_dst) && host_is_local6(h, &ip6->ip6_dst)) {
        src = ip6->ip6_dst;
        hlim = IPV6_DEFHLIM; /* the interface's current hop limit */
    } else if (host_select_src6(h, &ip6->ip6_src, &src)) {
        hlim = IPV6_DEFHLIM;
    } else {
        goto bad; /* no source address for the reply */
    }
    ip6->ip6_dst = ip6->ip6_src;
    ip6->ip6_src = src;
    ip6->ip6_flow = 0;
    ip6->ip6_vfc = (ip6->ip6_vfc & ~IPV6_VERSION_MASK) | IPV6_VERSION;
    ip6->ip6_nxt = IPPROTO_ICMPV6;
    ip6->ip6_hlim = (uint8_t)hlim;
    icmp6->icmp6_cksum = 0;
    icmp6->icmp6_cksum = in_cksum_pseudo6(ip6, IPPROTO_ICMPV6, icmp6, plen);
    p->flags &= ~(PKT_BCAST | PKT_MCAST);
    p->rcvif = NULL;
    p->csum = 0;
    ip6_output(h, p);
    return;
bad:
    pkt_free(p);
}

/*
 * icmp6_error(): unlike IPv4's, the packet itself becomes the error (cut
 * to fit the minimum MTU, the new headers put in front), so its trace goes
 * on into the output path.
 */
void
icmp6_error(struct host *h, struct pkt *p, int type, int code, uint32_t param)
{
    struct ip6_hdr *oip6, *nip6;
    struct icmp6_hdr *icmp6;
    size_t preplen = sizeof(struct ip6_hdr) + sizeof(struct icmp6_hdr);
    int off, nxt;

    if (!pkt_pullup(p, sizeof(struct ip6_hdr)))
        return;
    oip6 = ip6_hdr(p);
    if (((p->flags & (PKT_BCAST | PKT_MCAST)) || IN6_IS_ADDR_MULTICAST(&oip6->ip6_dst)) &&
        type != ICMP6_PACKET_TOO_BIG &&
        (type != ICMP6_PARAM_PROB || code != ICMP6_PARAMPROB_OPTION))
        goto freeit;
    if (IN6_IS_ADDR_UNSPECIFIED(&oip6->ip6_src) || IN6_IS_ADDR_MULTICAST(&oip6->ip6_src))
        goto freeit;
    /* ip6_lasthdr(): never an error about an ICMPv6 error (or redirect). */
    off = sizeof(struct ip6_hdr);
    nxt = oip6->ip6_nxt;
    while ((nxt == IPPROTO_HOPOPTS || nxt == IPPROTO_DSTOPTS || nxt == IPPROTO_ROUTING) &&
           pkt_len(p) >= (size_t)off + 2) {
        nxt = pkt_data(p)[off];
        off += (pkt_data(p)[off + 1] + 1) << 3;
    }
    if (nxt == IPPROTO_ICMPV6) {
        const struct icmp6_hdr *icp;

        if (!pkt_pullup(p, (size_t)off + sizeof(struct icmp6_hdr)))
            return;
        icp = (const struct icmp6_hdr *)(pkt_data(p) + off);
        if (icp->icmp6_type < ICMP6_ECHO_REQUEST || icp->icmp6_type == ND_REDIRECT)
            goto freeit;
    }
    if (pkt_len(p) >= ICMPV6_PLD_MAXLEN)
        pkt_adj(p, (long)ICMPV6_PLD_MAXLEN - (long)pkt_len(p));
    pkt_prepend(p, preplen);
    nip6 = ip6_hdr(p);
    oip6 = (struct ip6_hdr *)(pkt_data(p) + preplen);
    memset(nip6, 0, sizeof(*nip6));
    nip6->ip6_src = oip6->ip6_src;
    nip6->ip6_dst = oip6->ip6_dst;
    icmp6 = (struct icmp6_hdr *)(nip6 + 1);
    icmp6->icmp6_type = (uint8_t)type;
    icmp6->icmp6_code = (uint8_t)code;
    icmp6->icmp6_pptr = g_htonl(param);
    icmp6_reflect(h, p, sizeof(struct ip6_hdr));
    return;
freeit:
    pkt_free(p);
}

/* nd6_na_output_fib(): a new packet, with a trace of its own from ip6_output(). */
static void
nd6_na_output(struct host *h, const struct in6_addr *daddr, const struct in6_addr *taddr,
              uint32_t flags, bool tlladdr)
{
    uint8_t buf[sizeof(struct ip6_hdr) + sizeof(struct nd_neighbor_advert) + 8] = { 0 };
    struct ip6_hdr *ip6 = (struct ip6_hdr *)buf;
    struct nd_neighbor_advert *na = (struct nd_neighbor_advert *)(ip6 + 1);
    size_t icmp6len = sizeof(*na);
    struct pkt *p;

    ip6->ip6_vfc = IPV6_VERSION;
    ip6->ip6_nxt = IPPROTO_ICMPV6;
    ip6->ip6_hlim = 255;
    if (IN6_IS_ADDR_UNSPECIFIED(daddr)) {
        /* To a duplicate address detection: all nodes, unsolicited. */
        inet_pton(AF_INET6, "ff02::1", &ip6->ip6_dst);
        flags &= ~ND_NA_FLAG_SOLICITED;
    } else {
        ip6->ip6_dst = *daddr;
    }
    if (!host_select_src6(h, &ip6->ip6_dst, &ip6->ip6_src))
        return;
    na->nd_na_type = ND_NEIGHBOR_ADVERT;
    na->nd_na_target = *taddr;
    if (tlladdr) {
        struct nd_opt_hdr *opt = (struct nd_opt_hdr *)(na + 1);

        opt->nd_opt_type = ND_OPT_TARGET_LINKADDR;
        opt->nd_opt_len = 1;
        memcpy(opt + 1, h->mac, ETHER_ADDR_LEN);
        icmp6len += 8;
    } else {
        flags &= ~ND_NA_FLAG_OVERRIDE;
    }
    ip6->ip6_plen = g_htons((uint16_t)icmp6len);
    na->nd_na_flags_reserved = flags;
    na->nd_na_cksum = in_cksum_pseudo6(ip6, IPPROTO_ICMPV6, na, icmp6len);
    p = pkt_new(buf, sizeof(*ip6) + icmp6len);
    ip6_output(h, p);
}

/* nd6_ns_input(): consumes the solicitation; answers one for an address of ours. */
static void
nd6_ns_input(struct host *h, struct pkt *p, int off, int icmp6len)
{
    struct ip6_hdr *ip6 = ip6_hdr(p);
    const struct nd_neighbor_solicit *ns = (const struct nd_neighbor_solicit *)(pkt_data(p) + off);
    struct in6_addr saddr = ip6->ip6_src, daddr = ip6->ip6_dst, taddr = ns->nd_ns_target;
    const uint8_t *opt = (const uint8_t *)(ns + 1), *lladdr = NULL;
    int left = icmp6len - (int)sizeof(*ns);
    uint32_t flags = h->cfg.forwarding ? ND_NA_FLAG_ROUTER : 0;

    /* In local mode the address asked about is the host's (and its /64 on-link). */
    host_adopt_dst6(h, &taddr);
    if (ip6->ip6_hlim != 255)
        goto freeit;
    if (IN6_IS_ADDR_UNSPECIFIED(&saddr)) {
        static const uint8_t sol[13] = { 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0xff };

        if (memcmp(daddr.s6_addr, sol, sizeof(sol)) != 0)
            goto freeit;
    } else if (!host_is_neighbour6(h, &saddr)) {
        goto freeit; /* net.inet6.icmp6.nd6_onlink_ns_rfc4861 is 0 */
    }
    if (IN6_IS_ADDR_MULTICAST(&taddr))
        goto freeit;
    /* nd6_options(): malformed options make it ignored; the source's link address. */
    while (left > 0) {
        int len = left >= 2 ? opt[1] << 3 : 0;

        if (len == 0 || len > left)
            goto freeit;
        if (opt[0] == ND_OPT_SOURCE_LINKADDR && lladdr == NULL)
            lladdr = opt;
        opt += len;
        left -= len;
    }
    if (IN6_IS_ADDR_UNSPECIFIED(&saddr) && lladdr != NULL)
        goto freeit;
    if (!host_is_local6(h, &taddr))
        goto freeit; /* no proxy NDP entries */
    if (lladdr != NULL && lladdr[1] << 3 != 8)
        goto freeit;
    if (IN6_ARE_ADDR_EQUAL(&taddr, &saddr))
        goto freeit; /* duplicate address detection from us: looped back */
    if (IN6_IS_ADDR_MULTICAST(&daddr))
        flags |= ND_NA_FLAG_OVERRIDE;
    if (!IN6_IS_ADDR_UNSPECIFIED(&saddr)) {
        if (lladdr != NULL)
            host_learn(h, AF_INET6, &saddr, lladdr + 2);
        flags |= ND_NA_FLAG_SOLICITED;
    }
    nd6_na_output(h, &saddr, &taddr, flags, IN6_IS_ADDR_MULTICAST(&daddr));
freeit:
    pkt_free(p);
}

static int
icmp6_input(struct host *h, struct pkt *p, int off)
{
    struct ip6_hdr *ip6;
    struct icmp6_hdr *icmp6;
    struct pkt *n;
    int icmp6len, code;
    size_t minlen = 0;

    tp(p->m, TP_ICMP6_INPUT_ENTER);
    if (!pkt_pullup(p, (size_t)off + sizeof(struct icmp6_hdr)))
        return IPPROTO_DONE_;
    icmp6len = (int)pkt_len(p) - off;
    if (icmp6len < (int)sizeof(struct icmp6_hdr)) {
        tp(p->m, TP_ICMP6_INPUT_DROP_TOO_SHORT);
        goto freeit;
    }
    ip6 = ip6_hdr(p);
    if (IN6_IS_ADDR_MULTICAST(&ip6->ip6_dst) && !host_is_member6(h, &ip6->ip6_dst)) {
        tp(p->m, TP_ICMP6_INPUT_DROP_NOT_A_MEMBER_OF_THE_DESTINATION_MULTICAST_GROUP);
        goto freeit;
    }
    icmp6 = (struct icmp6_hdr *)(pkt_data(p) + off);
    code = icmp6->icmp6_code;
    if (in_cksum_pseudo6(ip6, IPPROTO_ICMPV6, icmp6, (size_t)icmp6len) != 0) {
        tp(p->m, TP_ICMP6_INPUT_DROP_BAD_CHECKSUM);
        goto freeit;
    }
    switch (icmp6->icmp6_type) {
        case ICMP6_DST_UNREACH:
            if (code > ICMP6_DST_UNREACH_NOPORT)
                break; /* badcode */
            goto deliver;
        case ICMP6_PACKET_TOO_BIG:
            goto deliver;
        case ICMP6_TIME_EXCEEDED:
            if (code > ICMP6_TIME_EXCEED_REASSEMBLY)
                break;
            goto deliver;
        case ICMP6_PARAM_PROB:
            if (code > ICMP6_PARAMPROB_OPTION)
                break;
            goto deliver;
        case ICMP6_ECHO_REQUEST:
            if (code != 0)
                break;
            /*
             * m_copym() of a packet in a cluster: a new header mbuf with the
             * IPv6 and ICMPv6 headers (no extension headers), the data after.
             */
            if ((n = pkt_copy(p)) == NULL)
                break;
            memmove(pkt_data(n) + off - sizeof(struct ip6_hdr), pkt_data(n),
                    sizeof(struct ip6_hdr));
            pkt_adj(n, off - (int)sizeof(struct ip6_hdr));
            icmp6 = (struct icmp6_hdr *)(pkt_data(n) + sizeof(struct ip6_hdr));
            icmp6->icmp6_type = ICMP6_ECHO_REPLY;
            icmp6->icmp6_code = 0;
            tp(n->m, TP_ICMP6_INPUT_REPLY_A_COPY_OF_THIS_PACKET_BECOMES_THE_ECHO_REPLY);
            icmp6_reflect(h, n, sizeof(struct ip6_hdr));
            break;
        case MLD_LISTENER_QUERY:
        case MLD_LISTENER_REPORT:
        case MLD_LISTENER_REDUCTION:
        case MLDV2_LISTENER_REPORT_:
            /* Only link-local, hop limit 1, with a router alert; mld_input() keeps it. */
            if (ip6->ip6_hlim != 1 || (p->flags & PKT_RTALERT_MLD) == 0)
                goto freeit;
            break;
        case ND_ROUTER_SOLICIT:
            minlen = sizeof(struct nd_router_solicit);
            goto nd6;
        case ND_ROUTER_ADVERT:
            minlen = sizeof(struct nd_router_advert);
            goto nd6;
        case ND_NEIGHBOR_SOLICIT:
            minlen = sizeof(struct nd_neighbor_solicit);
            goto nd6;
        case ND_NEIGHBOR_ADVERT:
            minlen = sizeof(struct nd_neighbor_advert);
            goto nd6;
        case ND_REDIRECT:
            minlen = sizeof(struct nd_redirect);
        nd6:
            if (code != 0 || (size_t)icmp6len < minlen)
                break;
            /*
             * The handler consumes the packet, a copy (with a copy of the
             * trace) goes on to the raw sockets.
             */
            n = pkt_copy(p);
            if (icmp6->icmp6_type == ND_NEIGHBOR_SOLICIT)
                nd6_ns_input(h, p, off, icmp6len);
            else
                pkt_free(p); /* nd6_rs_input(), nd6_ra_input(), ... */
            if ((p = n) == NULL)
                return IPPROTO_DONE_;
            break;
        default:
            if (icmp6->icmp6_type < ICMP6_ECHO_REQUEST)
                goto deliver;
            break; /* informational: not delivered, also node information queries */
        deliver:
            /* icmp6_notify_error(): no protocol has a socket to tell. */
            if (icmp6len < (int)(sizeof(struct icmp6_hdr) + sizeof(struct ip6_hdr)))
                goto freeit;
            break;
    }
    tp(p->m, TP_ICMP6_INPUT_LEAVE);
    pkt_free(p); /* icmp6_rip6_input(): no raw socket */
    return IPPROTO_DONE_;
freeit:
    pkt_free(p);
    return IPPROTO_DONE_;
}
