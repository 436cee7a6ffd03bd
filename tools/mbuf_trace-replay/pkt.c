/*
 * Packet buffers: one KPI mbuf whose data lies in one buffer, with room in
 * front for the headers the stack prepends (Ethernet, 802.1Q, ICMPv6).
 * Where the kernel would chain mbufs the replay keeps one: the trace only
 * sees the bytes (m_copydata()) and the tags, never the chain's shape.
 */
#include <glib.h>

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/mbuf.h>

#include "kpi.h"
#include "replay.h"

static char *
pkt_buffer(const struct pkt *p)
{
    return (p->m->m_flags & M_EXT) ? p->m->m_ext.ext_buf : p->m->m_dat;
}

static struct pkt *
pkt_new_headroom(const void *data, size_t len, size_t headroom)
{
    struct pkt *p = g_new0(struct pkt, 1);
    char *buf = g_malloc0(headroom + len);

    memcpy(buf + headroom, data, len);
    p->m = kpi_mbuf_chain(buf, headroom + len, NULL, 0);
    g_free(buf);
    p->m->m_data += headroom;
    p->m->m_len = (int32_t)len;
    p->m->m_pkthdr.len = (int32_t)len;
    return p;
}

/* A packet of len bytes that start with its network header, aligned. */
struct pkt *
pkt_new(const void *data, size_t len)
{
    return pkt_new_headroom(data, len, PKT_HEADROOM);
}

/* A received frame: 2 bytes more in front (ETHER_ALIGN) align its network header. */
struct pkt *
pkt_new_frame(const void *data, size_t len)
{
    return pkt_new_headroom(data, len, PKT_HEADROOM + 2);
}

/*
 * A writable copy, as m_dup() and m_copym() make one: the same bytes and
 * packet header, and copies of the tags (m_dup_pkthdr()), so a traced
 * packet's copy carries a copy of its trace.
 */
struct pkt *
pkt_copy(struct pkt *p)
{
    struct pkt *n = pkt_new(pkt_data(p), pkt_len(p));

    if (!pkt_dup_pkthdr(n, p)) {
        pkt_free(n);
        return NULL;
    }
    return n;
}

/*
 * m_dup_pkthdr(): to gets from's packet header, with copies of its tags (a
 * trace's copy among them), keeping its own data and length.
 */
bool
pkt_dup_pkthdr(struct pkt *to, struct pkt *from)
{
    ptrdiff_t off = to->m->m_data - pkt_buffer(to);
    int32_t len = to->m->m_len;

    if (!m_dup_pkthdr(to->m, from->m, M_NOWAIT))
        return false;
    /* m_dup_pkthdr() points m_data of an mbuf without a cluster at its start. */
    to->m->m_data = pkt_buffer(to) + off;
    to->m->m_len = to->m->m_pkthdr.len = len;
    to->rcvif = from->rcvif;
    to->flags = from->flags;
    to->vtag = from->vtag;
    to->csum = from->csum;
    return true;
}

/* m_freem(): the trace on the packet, if any, is emitted. */
void
pkt_free(struct pkt *p)
{
    m_freem(p->m);
    g_free(p);
}

uint8_t *
pkt_data(const struct pkt *p)
{
    return (uint8_t *)p->m->m_data;
}

size_t
pkt_len(const struct pkt *p)
{
    return (size_t)p->m->m_len;
}

/* M_PREPEND() */
void
pkt_prepend(struct pkt *p, size_t len)
{
    KASSERT(p->m->m_data - pkt_buffer(p) >= (ptrdiff_t)len,
            ("pkt_prepend: %zu bytes, %td of headroom", len, p->m->m_data - pkt_buffer(p)));
    p->m->m_data -= len;
    p->m->m_len += (int32_t)len;
    p->m->m_pkthdr.len = p->m->m_len;
}

/* m_adj(): len > 0 trims from the front, len < 0 from the end. */
void
pkt_adj(struct pkt *p, long len)
{
    if (len >= 0) {
        len = MIN(len, (long)pkt_len(p));
        p->m->m_data += len;
        p->m->m_len -= (int32_t)len;
    } else {
        p->m->m_len -= (int32_t)MIN(-len, (long)pkt_len(p));
    }
    p->m->m_pkthdr.len = p->m->m_len;
}

/* m_pullup(): false when the packet is shorter than len, and then it is freed. */
bool
pkt_pullup(struct pkt *p, size_t len)
{
    if (pkt_len(p) >= len)
        return true;
    pkt_free(p);
    return false;
}
