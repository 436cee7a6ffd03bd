/*
 * TCP input (sys/netinet/tcp_input.c, tcp_subr.c) and UDP input
 * (sys/netinet/udp_usrreq.c, sys/netinet6/udp6_usrreq.c).  There are no
 * sockets: a segment or datagram for an open port is delivered (to
 * tcp_do_segment(), to the socket buffer) and consumed; one for a closed
 * port gets the kernel's answer, an RST or an ICMP port unreachable.
 */
#include <glib.h>

#include <netinet/in.h>
#include <netinet/icmp6.h>
#include <netinet/ip.h>
#include <netinet/ip6.h>
#include <netinet/ip_icmp.h>
#include <netinet/tcp.h>
#include <netinet/udp.h>
#include <string.h>

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/mbuf.h>

#include "replay.h"
#include "tp.h"

static uint16_t
tcp_get_flags(const struct tcphdr *th)
{
    return (uint16_t)(th->th_flags | (th->th_x2 << 8));
}

/*
 * tcp_respond() reusing the segment's mbuf: addresses and ports swapped,
 * the headers rewritten, the data gone; the checksum is left to the
 * output path (CSUM_TCP, CSUM_TCP_IPV6), as the kernel leaves it.
 */
static void
tcp_respond(struct host *h, struct pkt *p, struct tcphdr *th, bool isipv6, uint32_t ack,
            uint32_t seq, uint16_t flags)
{
    struct tcphdr *nth;
    uint16_t port;
    int tlen;

    if (isipv6) {
        struct ip6_hdr *ip6 = (struct ip6_hdr *)pkt_data(p);
        struct in6_addr a = ip6->ip6_dst;

        ip6->ip6_dst = ip6->ip6_src;
        ip6->ip6_src = a;
        nth = (struct tcphdr *)(ip6 + 1);
        tlen = sizeof(struct ip6_hdr) + sizeof(struct tcphdr);
    } else {
        struct ip *ip = (struct ip *)pkt_data(p);
        struct in_addr a = ip->ip_dst;

        ip->ip_dst = ip->ip_src;
        ip->ip_src = a;
        nth = (struct tcphdr *)(ip + 1);
        tlen = sizeof(struct ip) + sizeof(struct tcphdr);
    }
    if (th != nth) {
        /* IPv6 extension headers were between: the TCP header moves up. */
        nth->th_sport = th->th_sport;
        nth->th_dport = th->th_dport;
    }
    port = nth->th_dport;
    nth->th_dport = nth->th_sport;
    nth->th_sport = port;
    pkt_adj(p, (long)tlen - (long)pkt_len(p));
    if (isipv6) {
        struct ip6_hdr *ip6 = (struct ip6_hdr *)pkt_data(p);

        ip6->ip6_flow = 0;
        ip6->ip6_vfc = IPV6_VERSION;
        ip6->ip6_nxt = IPPROTO_TCP;
        ip6->ip6_plen = g_htons((uint16_t)(tlen - sizeof(*ip6)));
    } else {
        struct ip *ip = (struct ip *)pkt_data(p);

        ip->ip_len = g_htons((uint16_t)tlen);
        ip->ip_tos = 0;
        ip->ip_ttl = IPDEFTTL;
        ip->ip_p = IPPROTO_TCP;
        ip->ip_off |= g_htons(IP_DF); /* net.inet.tcp.path_mtu_discovery */
    }
    p->rcvif = NULL;
    nth->th_seq = g_htonl(seq);
    nth->th_ack = g_htonl(ack);
    nth->th_off = sizeof(struct tcphdr) >> 2;
    nth->th_x2 = (flags >> 8) & 0x0f;
    nth->th_flags = flags & 0xff;
    nth->th_win = 0;
    nth->th_urp = 0;
    if (isipv6) {
        struct ip6_hdr *ip6 = (struct ip6_hdr *)pkt_data(p);

        p->csum = PKT_CSUM_TCP6;
        ip6->ip6_hlim = IPV6_DEFHLIM;
        ip6_output(h, p);
    } else {
        p->csum = PKT_CSUM_TCP;
        ip_output(h, p, NULL, 0, 0);
    }
}

static void
tcp_dropwithreset(struct host *h, struct pkt *p, struct tcphdr *th, bool isipv6, int tlen)
{
    uint16_t thflags = tcp_get_flags(th);

    if ((thflags & TH_RST) || (p->flags & (PKT_BCAST | PKT_MCAST)))
        goto drop;
    if (isipv6) {
        const struct ip6_hdr *ip6 = (const struct ip6_hdr *)pkt_data(p);

        if (IN6_IS_ADDR_MULTICAST(&ip6->ip6_dst) || IN6_IS_ADDR_MULTICAST(&ip6->ip6_src))
            goto drop;
    } else {
        const struct ip *ip = (const struct ip *)pkt_data(p);

        if (IN_MULTICAST(g_ntohl(ip->ip_dst.s_addr)) || IN_MULTICAST(g_ntohl(ip->ip_src.s_addr)) ||
            ip->ip_src.s_addr == INADDR_BROADCAST || host_is_broadcast4(h, ip->ip_dst))
            goto drop;
    }
    /* The header's fields are in host order since tcp_fields_to_host(). */
    if (thflags & TH_ACK) {
        tcp_respond(h, p, th, isipv6, 0, th->th_ack, TH_RST);
    } else {
        if (thflags & TH_SYN)
            tlen++;
        if (thflags & TH_FIN)
            tlen++;
        tcp_respond(h, p, th, isipv6, th->th_seq + (uint32_t)tlen, 0, TH_RST | TH_ACK);
    }
    return;
drop:
    pkt_free(p);
}

static void
tcp_input_with_port(struct host *h, struct pkt *p, int off0, bool isipv6)
{
    struct tcphdr *th;
    int tlen, off;

    tp(p->m, TP_TCP_INPUT_WITH_PORT_ENTER);
    if (isipv6) {
        struct ip6_hdr *ip6 = (struct ip6_hdr *)pkt_data(p);

        th = (struct tcphdr *)(pkt_data(p) + off0);
        tlen = (int)sizeof(*ip6) + g_ntohs(ip6->ip6_plen) - off0;
        /* The result goes into th_sum: 0 for a good segment. */
        if (p->csum & PKT_CSUM_RX_VALID)
            th->th_sum = 0xffff ^ 0xffff; /* csum_data, as the driver set it */
        else
            th->th_sum = in_cksum_pseudo6(ip6, IPPROTO_TCP, th, (size_t)tlen);
        if (th->th_sum) {
            tp(p->m, TP_TCP_INPUT_WITH_PORT_DROP_BAD_CHECKSUM_1);
            goto drop;
        }
        if (IN6_IS_ADDR_UNSPECIFIED(&ip6->ip6_src))
            goto drop;
    } else {
        struct ip *ip;
        uint16_t sum;

        if (off0 > (int)sizeof(struct ip)) {
            /* ip_stripoptions() */
            size_t olen = (size_t)off0 - sizeof(struct ip);

            memmove(pkt_data(p) + sizeof(struct ip), pkt_data(p) + off0, pkt_len(p) - (size_t)off0);
            pkt_adj(p, -(long)olen);
            ip = (struct ip *)pkt_data(p);
            ip->ip_hl = sizeof(struct ip) >> 2;
            ip->ip_len = g_htons((uint16_t)(g_ntohs(ip->ip_len) - olen));
            off0 = sizeof(struct ip);
        }
        if (!pkt_pullup(p, sizeof(struct ip) + sizeof(struct tcphdr)))
            return;
        ip = (struct ip *)pkt_data(p);
        th = (struct tcphdr *)(pkt_data(p) + off0);
        tlen = g_ntohs(ip->ip_len) - off0;
        if (p->csum & PKT_CSUM_RX_VALID) {
            th->th_sum = 0xffff ^ 0xffff; /* csum_data, as the driver set it */
        } else {
            /*
             * The checksum runs over the IP header made into the pseudo
             * header (struct ipovly), which is restored afterwards but for
             * ip_id and ip_off, left zero, and ip_sum, left holding the
             * length.
             */
            sum = in_cksum_pseudo4(ip, IPPROTO_TCP, th, (size_t)tlen);
            ip->ip_id = 0;
            ip->ip_off = 0;
            ip->ip_sum = g_htons((uint16_t)tlen);
            th->th_sum = sum;
        }
        if (th->th_sum) {
            tp(p->m, TP_TCP_INPUT_WITH_PORT_DROP_BAD_CHECKSUM_2);
            goto drop;
        }
        if (ip->ip_src.s_addr == INADDR_ANY)
            goto drop;
    }
    off = th->th_off << 2;
    if (off < (int)sizeof(struct tcphdr) || off > tlen) {
        tp(p->m, TP_TCP_INPUT_WITH_PORT_DROP_BAD_DATA_OFFSET);
        goto drop;
    }
    tlen -= off;
    /* tcp_fields_to_host() */
    th->th_seq = g_ntohl(th->th_seq);
    th->th_ack = g_ntohl(th->th_ack);
    th->th_win = g_ntohs(th->th_win);
    th->th_urp = g_ntohs(th->th_urp);
    if (host_port_open(h, IPPROTO_TCP, g_ntohs(th->th_dport))) {
        /* A connection (no state is simulated): tcp_do_segment() consumes it. */
        tp(p->m, TP_TCP_INPUT_WITH_PORT_LEAVE_2);
        pkt_free(p);
        return;
    }
    /* net.inet.tcp.blackhole is 0 */
    tp(p->m, TP_TCP_INPUT_WITH_PORT_REPLY_REFUSED_THIS_PACKET_BECOMES_THE_RST);
    tcp_dropwithreset(h, p, th, isipv6, tlen);
    return;
drop:
    pkt_free(p);
}

void
tcp_input(struct host *h, struct pkt *p, int off)
{
    tp(p->m, TP_TCP_INPUT_FUNC);
    tcp_input_with_port(h, p, off, false);
}

/* tcp6_input_with_port(): no anycast addresses, on to tcp_input_with_port(). */
void
tcp6_input(struct host *h, struct pkt *p, int off)
{
    if (!pkt_pullup(p, (size_t)off + sizeof(struct tcphdr)))
        return;
    tcp_input_with_port(h, p, off, true);
}

/* The UDP checksum with the pseudo header; 0 for a good datagram. */
static uint16_t
udp_cksum(const struct pkt *p, int off, bool isipv6, int proto, size_t pseudo_len, size_t cov)
{
    uint8_t *buf = g_malloc(pseudo_len);
    uint16_t sum;

    /* The pseudo header counts pseudo_len bytes; the sum covers the first cov. */
    memset(buf, 0, pseudo_len);
    memcpy(buf, pkt_data(p) + off, cov);
    if (isipv6)
        sum = in_cksum_pseudo6(pkt_data(p), proto, buf, pseudo_len);
    else
        sum = in_cksum_pseudo4(pkt_data(p), proto, buf, pseudo_len);
    g_free(buf);
    return sum;
}

void
udp_input(struct host *h, struct pkt *p, int iphlen, int proto)
{
    struct ip *ip;
    struct udphdr *uh;
    int len, ip_len;
    bool partial = proto == IPPROTO_UDPLITE;

    tp(p->m, TP_UDP_INPUT_ENTER);
    if (iphlen > (int)sizeof(struct ip)) {
        size_t olen = (size_t)iphlen - sizeof(struct ip);

        memmove(pkt_data(p) + sizeof(struct ip), pkt_data(p) + iphlen, pkt_len(p) - (size_t)iphlen);
        pkt_adj(p, -(long)olen);
        ip = (struct ip *)pkt_data(p);
        ip->ip_hl = sizeof(struct ip) >> 2;
        ip->ip_len = g_htons((uint16_t)(g_ntohs(ip->ip_len) - olen));
        iphlen = sizeof(struct ip);
    }
    if (!pkt_pullup(p, (size_t)iphlen + sizeof(struct udphdr)))
        return;
    ip = (struct ip *)pkt_data(p);
    uh = (struct udphdr *)(pkt_data(p) + iphlen);
    if (uh->uh_dport == 0)
        goto bad;
    len = g_ntohs(uh->uh_ulen);
    ip_len = g_ntohs(ip->ip_len) - iphlen;
    if (proto == IPPROTO_UDPLITE && (len == 0 || len == ip_len)) {
        if (len == 0)
            len = ip_len;
        partial = false;
    }
    if (ip_len != len) {
        if (len > ip_len || len < (int)sizeof(struct udphdr)) {
            tp(p->m, TP_UDP_INPUT_DROP_BAD_LENGTH);
            goto bad;
        }
        if (proto == IPPROTO_UDP)
            pkt_adj(p, len - ip_len);
    }
    if (uh->uh_sum) {
        /* UDP-Lite: the pseudo header says the whole length, the sum covers len bytes. */
        size_t pseudo_len = proto == IPPROTO_UDP ? (size_t)len : (size_t)ip_len;
        bool verified = (p->csum & PKT_CSUM_RX_VALID) && !partial;

        if (!verified && udp_cksum(p, iphlen, false, proto, pseudo_len, (size_t)len) != 0) {
            tp(p->m, TP_UDP_INPUT_DROP_BAD_CHECKSUM);
            goto bad;
        }
    } else if (proto == IPPROTO_UDPLITE) {
        goto bad; /* UDP-Lite requires a checksum */
    }
    if (IN_MULTICAST(g_ntohl(ip->ip_dst.s_addr)) || host_is_broadcast4(h, ip->ip_dst)) {
        /* udp_multi_input(): to every socket on the port, or to none. */
        goto bad;
    }
    if (host_port_open(h, IPPROTO_UDP, g_ntohs(uh->uh_dport))) {
        tp(p->m, TP_UDP_INPUT_LEAVE);
        pkt_free(p); /* udp_append(): to the socket buffer */
        return;
    }
    tp(p->m, TP_UDP_INPUT_NO_SOCKET_IS_BOUND_TO_THE_DESTINATION_PORT);
    if (p->flags & (PKT_MCAST | PKT_BCAST))
        goto bad;
    /* net.inet.udp.blackhole is 0 */
    tp(p->m, TP_UDP_INPUT_DROP_SENDING_ICMP_PORT_UNREACHABLE);
    icmp_error(h, p, ICMP_UNREACH, ICMP_UNREACH_PORT, 0, 0);
    return;
bad:
    pkt_free(p);
}

/* udp6_input(): not instrumented; a closed port makes the datagram the ICMPv6 error. */
void
udp6_input(struct host *h, struct pkt *p, int off, int proto)
{
    struct ip6_hdr *ip6;
    struct udphdr *uh;
    int plen, ulen;

    if (!pkt_pullup(p, (size_t)off + sizeof(struct udphdr)))
        return;
    ip6 = (struct ip6_hdr *)pkt_data(p);
    uh = (struct udphdr *)(pkt_data(p) + off);
    if (uh->uh_dport == 0)
        goto bad;
    plen = g_ntohs(ip6->ip6_plen) - off + (int)sizeof(*ip6);
    ulen = g_ntohs(uh->uh_ulen);
    if (proto == IPPROTO_UDPLITE) {
        if (ulen == 0)
            ulen = plen;
        if (ulen < (int)sizeof(struct udphdr) || ulen > plen || uh->uh_sum == 0)
            goto bad;
    } else if (ulen < (int)sizeof(struct udphdr) || plen != ulen || uh->uh_sum == 0) {
        goto bad; /* a zero checksum only for net.inet6.udp6.zero_checksum_port, 0 */
    }
    if (!((p->csum & PKT_CSUM_RX_VALID) && ulen == plen) &&
        udp_cksum(p, off, true, proto, (size_t)plen, (size_t)ulen) != 0)
        goto bad;
    if (IN6_IS_ADDR_MULTICAST(&ip6->ip6_dst))
        goto bad; /* udp6_multi_input() */
    if (host_port_open(h, IPPROTO_UDP, g_ntohs(uh->uh_dport))) {
        pkt_free(p); /* udp6_append() */
        return;
    }
    if (p->flags & PKT_MCAST)
        goto bad;
    icmp6_error(h, p, ICMP6_DST_UNREACH, ICMP6_DST_UNREACH_NOPORT, 0);
    return;
bad:
    pkt_free(p);
}
