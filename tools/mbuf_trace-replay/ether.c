/*
 * Ethernet (sys/net/if_ethersubr.c), vlan(4) (sys/net/if_vlan.c) and ARP
 * (sys/netinet/if_ether.c): frames in from the driver, up to the protocols,
 * and out to the driver's transmit ring.
 */
#include <glib.h>

#include <net/ethernet.h>
#include <net/if_arp.h>
#include <netinet/ip.h>
#include <netinet/ip6.h>
#include <string.h>
#include <sys/socket.h>

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/mbuf.h>
#include <sys/mbuf_trace.h>

#include "replay.h"
#include "tp.h"

#define ETHERTYPE_QINQ        0x88a8
#define ETHER_VLAN_ENCAP_LEN  4
#define EVL_VLANOFTAG(tag)    ((tag)&0x0fff)
#define ETHER_IS_MULTICAST(a) ((a)[0] & 0x01)

static const uint8_t etherbroadcastaddr[ETHER_ADDR_LEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

static void ether_input_internal(struct host *h, struct sim_if *ifp, struct pkt *p);
static void ether_demux(struct host *h, struct sim_if *ifp, struct pkt *p);

/* if_input of the driver, or of a vlan(4) handing the frame on. */
void
ether_input(struct host *h, struct sim_if *ifp, struct pkt *p)
{
    p->rcvif = ifp;
    h->route_if = ifp;
    tp_start(p->m, TP_ETHER_INPUT_START_ETHER, MTRACE_L2, ifp->ifnet);
    tp(p->m, TP_ETHER_INPUT_FUNC);
    tp(p->m, TP_ETHER_INPUT_DATA);
    /* netisr_dispatch(NETISR_ETHER): direct dispatch. */
    ether_input_internal(h, ifp, p);
}

static void
ether_input_internal(struct host *h, struct sim_if *ifp, struct pkt *p)
{
    struct ether_header *eh;
    uint16_t etype;

    tp(p->m, TP_ETHER_INPUT_INTERNAL_ENTER);
    if (pkt_len(p) < ETHER_HDR_LEN) {
        tp(p->m, TP_ETHER_INPUT_INTERNAL_DROP_FRAME_SHORTER_THAN_AN_ETHERNET_HEADER);
        pkt_free(p);
        return;
    }
    eh = (struct ether_header *)pkt_data(p);
    etype = g_ntohs(eh->ether_type);
    if (ETHER_IS_MULTICAST(eh->ether_dhost))
        p->flags |= memcmp(eh->ether_dhost, etherbroadcastaddr, ETHER_ADDR_LEN) == 0 ? PKT_BCAST
                                                                                     : PKT_MCAST;
    /* The driver did not take the 802.1Q tag off: take it off here. */
    if ((p->flags & PKT_VLANTAG) == 0 && (etype == ETHERTYPE_VLAN || etype == ETHERTYPE_QINQ)) {
        if (!pkt_pullup(p, ETHER_HDR_LEN + ETHER_VLAN_ENCAP_LEN))
            return;
        p->vtag = (uint16_t)(pkt_data(p)[14] << 8 | pkt_data(p)[15]);
        p->flags |= PKT_VLANTAG;
        memmove(pkt_data(p) + ETHER_VLAN_ENCAP_LEN, pkt_data(p), ETHER_HDR_LEN - ETHER_TYPE_LEN);
        pkt_adj(p, ETHER_VLAN_ENCAP_LEN);
        eh = (struct ether_header *)pkt_data(p);
    }
    /* In local mode the interface answers to whatever unicast address a frame is for. */
    if (!h->cfg.fixed_mac && !ETHER_IS_MULTICAST(eh->ether_dhost))
        memcpy(h->mac, eh->ether_dhost, ETHER_ADDR_LEN);
    if (!ETHER_IS_MULTICAST(eh->ether_dhost) &&
        memcmp(h->mac, eh->ether_dhost, ETHER_ADDR_LEN) != 0)
        p->flags |= PKT_PROMISC;
    tp(p->m, TP_ETHER_INPUT_INTERNAL_LEAVE);
    ether_demux(h, ifp, p);
}

/*
 * vlan_input() of the trunk (the Ethernet interface): to the vlan(4) of
 * the tag, whose if_input is ether_input().
 */
static void
vlan_input(struct host *h, struct pkt *p)
{
    struct sim_if *ifv;
    uint16_t tag = p->vtag;

    p->flags &= ~PKT_VLANTAG;
    ifv = host_vlan(h, EVL_VLANOFTAG(tag));
    if (ifv == NULL) {
        /* No vlan(4) with that tag: IFCOUNTER_NOPROTO. */
        pkt_free(p);
        return;
    }
    ether_input(h, ifv, p);
}

static void
ether_demux(struct host *h, struct sim_if *ifp, struct pkt *p)
{
    const struct ether_header *eh;
    uint16_t ether_type;

    tp(p->m, TP_ETHER_DEMUX_ENTER);
    eh = (const struct ether_header *)pkt_data(p);
    ether_type = g_ntohs(eh->ether_type);
    if ((p->flags & PKT_VLANTAG) && EVL_VLANOFTAG(p->vtag) != 0) {
        /* Only the Ethernet interface is a trunk: no vlan(4) on a vlan(4). */
        if (!host_has_vlans(h) || ifp->vid != 0) {
            tp(p->m, TP_ETHER_DEMUX_DROP_VLAN_TAG_BUT_NO_VLAN_4_ON_THE_INTERFACE);
            pkt_free(p);
            return;
        }
        p->flags &= ~PKT_PROMISC;
        tp(p->m, TP_ETHER_DEMUX_LEAVE_1);
        vlan_input(h, p);
        return;
    }
    if (p->flags & PKT_PROMISC) {
        tp(p->m, TP_ETHER_DEMUX_DROP_PROMISCUOUSLY_RECEIVED_NOT_FOR_THIS_HOST);
        pkt_free(p);
        return;
    }
    p->flags &= ~PKT_VLANTAG;
    switch (ether_type) {
        case ETHERTYPE_IP:
        case ETHERTYPE_ARP:
        case ETHERTYPE_IPV6:
            break;
        default:
            tp_printf(p->m, TP_ETHER_DEMUX_DROP_UNSUPPORTED_ETHERTYPE, ether_type);
            pkt_free(p);
            return;
    }
    /* The replay's neighbour cache learns who sent from where (host_learn()). */
    if (ether_type == ETHERTYPE_IP && pkt_len(p) >= ETHER_HDR_LEN + sizeof(struct ip))
        host_learn(h, AF_INET, &((const struct ip *)(eh + 1))->ip_src, eh->ether_shost);
    else if (ether_type == ETHERTYPE_IPV6 && pkt_len(p) >= ETHER_HDR_LEN + sizeof(struct ip6_hdr))
        host_learn(h, AF_INET6, &((const struct ip6_hdr *)(eh + 1))->ip6_src, eh->ether_shost);
    pkt_adj(p, ETHER_HDR_LEN);
    tp(p->m, TP_ETHER_DEMUX_LEAVE_2);
    /* netisr_dispatch(): ip_input, arpintr, ip6_input run directly. */
    if (ether_type == ETHERTYPE_IP)
        ip_input(h, p);
    else if (ether_type == ETHERTYPE_ARP)
        arpintr(h, p);
    else
        ip6_input(h, p);
}

/* The driver: the frame goes on the transmit ring, freed when sent. */
static void
ether_transmit(struct host *h, struct pkt *p)
{
    g_queue_push_tail(&h->tx, p);
}

/* vlan_transmit(): the tag goes into the frame, then to the parent's driver. */
static void
vlan_transmit(struct host *h, struct sim_if *ifp, struct pkt *p)
{
    uint8_t *d;

    pkt_prepend(p, ETHER_VLAN_ENCAP_LEN);
    d = pkt_data(p);
    memmove(d, d + ETHER_VLAN_ENCAP_LEN, 2 * ETHER_ADDR_LEN);
    d[12] = ETHERTYPE_VLAN >> 8;
    d[13] = ETHERTYPE_VLAN & 0xff;
    d[14] = (uint8_t)(ifp->vid >> 8);
    d[15] = (uint8_t)ifp->vid;
    ether_transmit(h, p);
}

static int
ether_output_frame(struct host *h, struct sim_if *ifp, struct pkt *p)
{
    tp(p->m, TP_ETHER_OUTPUT_FRAME_FUNC);
    tp(p->m, TP_ETHER_OUTPUT_FRAME_DATA);
    tp(p->m, TP_ETHER_OUTPUT_FRAME_END);
    /* if_transmit */
    if (ifp->vid != 0)
        vlan_transmit(h, ifp, p);
    else
        ether_transmit(h, p);
    return 0;
}

/* Map a multicast IP address to its Ethernet group address. */
static void
ether_map_multicast(int af, const void *dst, uint8_t *mac)
{
    const uint8_t *a = dst;

    if (af == AF_INET) {
        mac[0] = 0x01;
        mac[1] = 0x00;
        mac[2] = 0x5e;
        mac[3] = a[1] & 0x7f;
        mac[4] = a[2];
        mac[5] = a[3];
    } else {
        mac[0] = 0x33;
        mac[1] = 0x33;
        memcpy(mac + 2, a + 12, 4);
    }
}

/*
 * ether_output(): the packet (from its network header on) gets its
 * Ethernet header and goes to ether_output_frame().  linkhdr is the
 * ready-made header of the route (ro_prepend, as ARP replies have one);
 * without one the destination dst of family af is resolved.
 */
int
ether_output(struct host *h, struct sim_if *ifp, struct pkt *p, int af, const void *dst,
             const uint8_t *linkhdr)
{
    struct ether_header eh;

    /* The ARP reply (AF_UNSPEC here) is AF_ARP in the kernel. */
    tp_start(p->m, TP_ETHER_OUTPUT_START_PROTO,
             af == AF_INET    ? ETHERTYPE_IP
             : af == AF_INET6 ? ETHERTYPE_IPV6
                              : ETHERTYPE_ARP,
             ifp->ifnet);
    tp(p->m, TP_ETHER_OUTPUT_ENTER);
    if (linkhdr != NULL) {
        memcpy(&eh, linkhdr, sizeof(eh));
    } else {
        /* ether_resolve_addr() */
        if (p->flags & PKT_BCAST)
            memcpy(eh.ether_dhost, etherbroadcastaddr, ETHER_ADDR_LEN);
        else if (p->flags & PKT_MCAST)
            ether_map_multicast(af, dst, eh.ether_dhost);
        else
            host_neighbour(h, af, dst, eh.ether_dhost);
        eh.ether_type = g_htons(af == AF_INET ? ETHERTYPE_IP : ETHERTYPE_IPV6);
        memcpy(eh.ether_shost, h->mac, ETHER_ADDR_LEN);
    }
    pkt_prepend(p, ETHER_HDR_LEN);
    memcpy(pkt_data(p), &eh, ETHER_HDR_LEN);
    tp(p->m, TP_ETHER_OUTPUT_LEAVE_3);
    return ether_output_frame(h, ifp, p);
}

/* The arp_hdr fields after the fixed part, as if_arp.h's ar_sha() and friends. */
#define ar_sha(ah)     ((uint8_t *)((ah) + 1))
#define ar_spa(ah)     (ar_sha(ah) + (ah)->ar_hln)
#define ar_tha(ah)     (ar_spa(ah) + (ah)->ar_pln)
#define ar_tpa(ah)     (ar_tha(ah) + (ah)->ar_hln)
#define arphdr_len(ah) (sizeof(struct arphdr) + 2 * (ah)->ar_hln + 2 * (ah)->ar_pln)

#define ARPHRD_INFINIBAND 32

static void in_arpinput(struct host *h, struct pkt *p);

void
arpintr(struct host *h, struct pkt *p)
{
    struct arphdr *ar;
    int hlen;

    tp(p->m, TP_ARPINTR_ENTER);
    if (!pkt_pullup(p, sizeof(struct arphdr)))
        return;
    ar = (struct arphdr *)pkt_data(p);
    if (!pkt_pullup(p, arphdr_len(ar)))
        return;
    switch (g_ntohs(ar->ar_hrd)) {
        case ARPHRD_ETHER:
        case ARPHRD_IEEE802:
            hlen = ETHER_ADDR_LEN;
            break;
        case ARPHRD_INFINIBAND:
            hlen = 20;
            break;
        case ARPHRD_IEEE1394:
            hlen = ar->ar_hln >= 20 ? 16 : 0;
            break;
        default:
            tp(p->m, TP_ARPINTR_DROP_UNKNOWN_HARDWARE_TYPE);
            pkt_free(p);
            return;
    }
    if (hlen != 0 && hlen != ar->ar_hln) {
        tp(p->m, TP_ARPINTR_DROP_BAD_HARDWARE_ADDRESS_LENGTH);
        pkt_free(p);
        return;
    }
    if (g_ntohs(ar->ar_pro) == ETHERTYPE_IP) {
        tp(p->m, TP_ARPINTR_LEAVE);
        in_arpinput(h, p);
        return;
    }
    tp(p->m, TP_ARPINTR_DROP_NOT_AN_ARP_PACKET_FOR_IPV4);
    pkt_free(p);
}

static void
in_arpinput(struct host *h, struct pkt *p)
{
    struct arphdr *ah = (struct arphdr *)pkt_data(p);
    struct in_addr isaddr, itaddr, myaddr;
    uint8_t linkhdr[ETHER_HDR_LEN];
    struct ether_header *eh = (struct ether_header *)linkhdr;
    int op;

    tp(p->m, TP_IN_ARPINPUT_ENTER);
    /* ARP_LOG()ged drops have no trace record of their own. */
    if (ah->ar_pln != sizeof(struct in_addr) || ETHER_IS_MULTICAST(ar_sha(ah)))
        goto drop;
    op = g_ntohs(ah->ar_op);
    memcpy(&isaddr, ar_spa(ah), sizeof(isaddr));
    memcpy(&itaddr, ar_tpa(ah), sizeof(itaddr));
    /* A gratuitous ARP asks for the sender's own address: that is not ours. */
    host_adopt_dst4(h, itaddr.s_addr != isaddr.s_addr ? itaddr : (struct in_addr){ INADDR_ANY });
    /* The address that matches the target, else the sender, else the interface's first. */
    if (host_is_local4(h, itaddr))
        myaddr = itaddr;
    else if (host_is_local4(h, isaddr))
        myaddr = isaddr;
    else if (!host_first4(h, &myaddr))
        goto drop;
    if (memcmp(ar_sha(ah), h->mac, ETHER_ADDR_LEN) == 0 ||
        memcmp(ar_sha(ah), etherbroadcastaddr, ETHER_ADDR_LEN) == 0 || ah->ar_hln != ETHER_ADDR_LEN)
        goto drop;
    if (isaddr.s_addr == myaddr.s_addr && myaddr.s_addr != 0) {
        /* Someone else uses our address: tell them ours. */
        itaddr = myaddr;
    } else {
        host_learn(h, AF_INET, &isaddr, ar_sha(ah));
    }
    if (op != ARPOP_REQUEST)
        goto drop;
    /* Not for us: no proxy ARP entries, net.link.ether.inet.proxyall is 0. */
    if (itaddr.s_addr != myaddr.s_addr)
        goto drop;
    memcpy(ar_tha(ah), ar_sha(ah), ah->ar_hln);
    memcpy(ar_sha(ah), h->mac, ah->ar_hln);
    if ((g_ntohl(itaddr.s_addr) & 0xffff0000u) == 0xa9fe0000u) /* IN_LINKLOCAL() */
        p->flags = (p->flags | PKT_BCAST) & ~PKT_MCAST;        /* RFC 3927: reply by broadcast */
    else
        p->flags &= ~(PKT_BCAST | PKT_MCAST);
    memcpy(ar_tpa(ah), ar_spa(ah), ah->ar_pln);
    memcpy(ar_spa(ah), &itaddr, ah->ar_pln);
    ah->ar_op = g_htons(ARPOP_REPLY);
    ah->ar_pro = g_htons(ETHERTYPE_IP);
    pkt_adj(p, -(long)(pkt_len(p) - (sizeof(*ah) + 2 * ah->ar_pln + 2 * ah->ar_hln)));
    /* arp_fillheader() with bcast 0: ether_requestencap() makes it an Ethernet ARP. */
    ah->ar_hrd = g_htons(ARPHRD_ETHER);
    memcpy(eh->ether_dhost, ar_tha(ah), ETHER_ADDR_LEN);
    memcpy(eh->ether_shost, h->mac, ETHER_ADDR_LEN);
    eh->ether_type = g_htons(ETHERTYPE_ARP);
    tp(p->m, TP_IN_ARPINPUT_REPLY_THIS_PACKET_BECOMES_THE_ARP_REPLY);
    ether_output(h, p->rcvif, p, AF_UNSPEC, NULL, linkhdr);
    return;
drop:
    pkt_free(p);
}
