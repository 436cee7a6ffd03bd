/*
 * IPv4 reassembly (sys/netinet/ip_reass.c).  Fragments wait, traced, in a
 * queue per datagram; when the last piece comes, the fragment at offset 0
 * carries the datagram on, trace and all, and the others lose their packet
 * header (m_demote_pkthdr()), which frees their traces: they are emitted
 * then.  A queue still incomplete after net.inet.ip.fragttl (30 s of the
 * capture's clock) is dropped, its traces emitted at that time.
 */
#include <glib.h>

#include <netinet/in.h>
#include <netinet/ip.h>
#include <string.h>

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/mbuf.h>

#include "kpi.h"
#include "replay.h"

#define IPFRAGTTL_NS      (30 * G_GUINT64_CONSTANT(1000000000)) /* net.inet.ip.fragttl */
#define MAXFRAGSPERPACKET 16                                    /* net.inet.ip.maxfragsperpacket */
#define IPTOS_ECN_MASK_   0x03
#define IPTOS_ECN_NOTECT_ 0x00
#define IPTOS_ECN_CE_     0x03

/* A fragment: its packet, and the bytes of the datagram it holds. */
struct frag {
    struct pkt *p;
    int hlen;  /* its IP header */
    int skip;  /* data trimmed from its front, overlapped by an earlier one */
    int off;   /* in the datagram, bytes */
    int len;   /* bytes */
    bool more; /* IP_MF */
};

struct ipq {
    struct in_addr src, dst;
    uint16_t id;
    uint8_t proto;
    int nfrags;
    int maxoff; /* the datagram's length once its last fragment came; -1 before */
    uint64_t expire_ns;
    GList *frags; /* struct frag, by offset */
};

static struct ip *
frag_ip(const struct frag *f)
{
    return (struct ip *)pkt_data(f->p);
}

static void
frag_free(struct frag *f)
{
    pkt_free(f->p);
    g_free(f);
}

/* ipq_drop(): the whole queue goes, every fragment's trace with it. */
static void
ipq_drop(struct host *h, struct ipq *q)
{
    g_list_free_full(q->frags, (GDestroyNotify)frag_free);
    h->ipq = g_list_remove(h->ipq, q);
    g_free(q);
}

static struct ipq *
ipq_find(struct host *h, const struct ip *ip)
{
    GList *l;

    for (l = h->ipq; l != NULL; l = l->next) {
        struct ipq *q = l->data;

        if (q->id == ip->ip_id && q->src.s_addr == ip->ip_src.s_addr &&
            q->dst.s_addr == ip->ip_dst.s_addr && q->proto == ip->ip_p)
            return q;
    }
    return NULL;
}

/*
 * The datagram, in the first fragment's packet: its header, then the data
 * of every fragment in order.  The packet header, and so the trace, moves
 * to the bigger buffer; the other fragments are freed.
 */
static struct pkt *
ipq_assemble(struct host *h, struct ipq *q, int next)
{
    struct frag *first = q->frags->data;
    struct pkt *n;
    uint8_t *buf = g_malloc((size_t)(first->hlen + next));
    struct ip *ip;
    GList *l;
    int at = first->hlen;

    memcpy(buf, pkt_data(first->p), (size_t)first->hlen);
    for (l = q->frags; l != NULL; l = l->next) {
        const struct frag *f = l->data;

        memcpy(buf + at, pkt_data(f->p) + f->hlen + f->skip, (size_t)f->len);
        at += f->len;
    }
    n = pkt_new(buf, (size_t)at);
    g_free(buf);
    /* m_cat() keeps the first mbuf: its packet header stays at the front. */
    n->m->m_pkthdr.tags = first->p->m->m_pkthdr.tags;
    SLIST_INIT(&first->p->m->m_pkthdr.tags);
    n->rcvif = first->p->rcvif;
    n->flags = first->p->flags;
    n->csum = first->p->csum;
    ip = (struct ip *)pkt_data(n);
    ip->ip_len = g_htons((uint16_t)(first->hlen + next));
    ip->ip_src = q->src;
    ip->ip_dst = q->dst;
    /* The first fragment's mbuf, now without a trace, and the others, with theirs. */
    ipq_drop(h, q);
    return n;
}

/* ip_reass(): the datagram when p completes it, else NULL (p is held or dropped). */
struct pkt *
ip_reass(struct host *h, struct pkt *p)
{
    struct ip *ip = (struct ip *)pkt_data(p);
    struct frag *f = g_new0(struct frag, 1), *prev = NULL;
    struct ipq *q;
    GList *l, *pos;
    int i, next, ecn, ecn0;

    f->p = p;
    f->hlen = ip->ip_hl << 2;
    f->len = g_ntohs(ip->ip_len) - f->hlen;
    f->more = (ip->ip_off & g_htons(IP_MF)) != 0;
    if (f->len == 0 || (f->more && (f->len & 0x7) != 0))
        goto drop; /* ips_toosmall */
    /* In the header too, as the kernel keeps them: the length of the data, the offset in bytes. */
    f->off = (g_ntohs(ip->ip_off) << 3) & 0xffff;
    ip->ip_len = g_htons((uint16_t)f->len);
    ip->ip_off = g_htons((uint16_t)f->off);
    if (f->len + f->off > IP_MAXPACKET)
        goto drop;
    if ((q = ipq_find(h, ip)) == NULL) {
        q = g_new0(struct ipq, 1);
        q->src = ip->ip_src;
        q->dst = ip->ip_dst;
        q->id = ip->ip_id;
        q->proto = ip->ip_p;
        q->nfrags = 1;
        q->maxoff = f->more ? -1 : f->off + f->len;
        q->expire_ns = h->now_ns + IPFRAGTTL_NS;
        q->frags = g_list_append(NULL, f);
        h->ipq = g_list_prepend(h->ipq, q);
        return NULL;
    }
    if (q->maxoff > 0) {
        i = f->off + f->len;
        if ((f->more && i >= q->maxoff) || (!f->more && i != q->maxoff))
            goto drop; /* not a fragment of this datagram's length */
    } else if (!f->more) {
        q->maxoff = f->off + f->len;
    }
    q->nfrags++;
    /* RFC 3168: a CE mark on one fragment marks the datagram; not-ECT cannot mix. */
    ecn = ip->ip_tos & IPTOS_ECN_MASK_;
    ecn0 = frag_ip(q->frags->data)->ip_tos & IPTOS_ECN_MASK_;
    if (ecn == IPTOS_ECN_CE_) {
        if (ecn0 == IPTOS_ECN_NOTECT_)
            goto dropfrag;
        if (ecn0 != IPTOS_ECN_CE_)
            frag_ip(q->frags->data)->ip_tos |= IPTOS_ECN_CE_;
    }
    if (ecn == IPTOS_ECN_NOTECT_ && ecn0 != IPTOS_ECN_NOTECT_)
        goto dropfrag;
    /* After the last fragment that starts no later; its overlap trimmed off ours. */
    for (pos = q->frags; pos != NULL && ((struct frag *)pos->data)->off <= f->off; pos = pos->next)
        prev = pos->data;
    if (prev != NULL) {
        i = prev->off + prev->len - f->off;
        if (i > 0) {
            if (i >= f->len)
                goto dropfrag;
            f->skip += i;
            f->off += i;
            f->len -= i;
        }
    }
    q->frags = g_list_insert_before(q->frags, pos, f);
    /* Ours trims the fragments after it, or replaces those it covers. */
    while (pos != NULL && f->off + f->len > ((struct frag *)pos->data)->off) {
        struct frag *later = pos->data;

        i = f->off + f->len - later->off;
        if (i < later->len) {
            later->len -= i;
            later->off += i;
            later->skip += i;
            break;
        }
        l = pos->next;
        q->frags = g_list_delete_link(q->frags, pos);
        q->nfrags--;
        frag_free(later);
        pos = l;
    }
    /* Complete: contiguous from 0, and the last one says no more. */
    next = 0;
    for (l = q->frags; l != NULL; l = l->next) {
        const struct frag *g = l->data;

        if (g->off != next || (l->next == NULL && g->more)) {
            if (q->nfrags > MAXFRAGSPERPACKET)
                ipq_drop(h, q);
            return NULL;
        }
        next += g->len;
    }
    if (next + ((struct frag *)q->frags->data)->hlen > IP_MAXPACKET) {
        ipq_drop(h, q);
        return NULL;
    }
    return ipq_assemble(h, q, next);
dropfrag:
    q->nfrags--;
drop:
    frag_free(f);
    return NULL;
}

/*
 * ipreass_callout(): queues whose time ran out by now_ns go, each at the
 * time it ran out, the clock set to it so their traces carry it.
 */
void
ip_reass_expire(struct host *h, uint64_t now_ns)
{
    struct ipq *oldest;
    GList *l;

    for (;;) {
        oldest = NULL;
        for (l = h->ipq; l != NULL; l = l->next) {
            struct ipq *q = l->data;

            if (q->expire_ns <= now_ns && (oldest == NULL || q->expire_ns < oldest->expire_ns))
                oldest = q;
        }
        if (oldest == NULL)
            return;
        kpi_clock_set(oldest->expire_ns, 0);
        ipq_drop(h, oldest);
        kpi_taskqueue_run_held();
    }
}
