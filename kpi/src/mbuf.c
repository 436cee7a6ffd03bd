/*
 * Stand-ins for mbuf(9) and mbuf_tags(9), written from their manual pages
 * and FreeBSD 15.1 semantics:
 *  - freeing a packet header mbuf deletes its tag chain, calling each tag's
 *    m_tag_free routine (the mbuf destructor does this in the kernel);
 *  - m_tag_alloc() uses malloc(9) with the caller's wait flag and sets
 *    m_tag_free_default() as the free routine; m_tag_copy() allocates the
 *    copy the same way, so a copy never inherits a custom free routine;
 *  - m_tag_copy_chain() replaces the destination's tags and, on failure,
 *    leaves it with none;
 *  - m_dup() copies the data, m_copypacket() shares external buffers; both
 *    copy the tags through m_dup_pkthdr() and fail as a whole when that
 *    fails;
 *  - m_copydata() asserts that the range lies inside the chain.
 * mbufs themselves come from calloc(): the kernel takes them from UMA, not
 * malloc(9), so failure injection does not reach them.
 */
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/malloc.h>
#include <sys/mbuf.h>

#include "kpi.h"

MALLOC_DEFINE(M_PACKET_TAGS, "mtag", "packet-attached information");

static long mbufs_outstanding;

long
kpi_mbuf_outstanding(void)
{
    return __atomic_load_n(&mbufs_outstanding, __ATOMIC_SEQ_CST);
}

struct mbuf *
m_get(int how __unused, short type)
{
    struct mbuf *m = calloc(1, sizeof(*m));

    if (m == NULL)
        abort();
    m->m_type = (uint8_t)type;
    m->m_data = m->m_dat;
    __atomic_add_fetch(&mbufs_outstanding, 1, __ATOMIC_SEQ_CST);
    return m;
}

struct mbuf *
m_gethdr(int how, short type)
{
    struct mbuf *m = m_get(how, type);

    m->m_flags = M_PKTHDR;
    SLIST_INIT(&m->m_pkthdr.tags);
    return m;
}

static void
m_extadd(struct mbuf *m, unsigned int size)
{
    m->m_ext.ext_buf = calloc(1, size);
    m->m_ext.ext_cnt = calloc(1, sizeof(*m->m_ext.ext_cnt));
    if (m->m_ext.ext_buf == NULL || m->m_ext.ext_cnt == NULL)
        abort();
    *m->m_ext.ext_cnt = 1;
    m->m_ext.ext_size = size;
    m->m_flags |= M_EXT;
    m->m_data = m->m_ext.ext_buf;
}

struct mbuf *
m_getcl(int how, short type, int flags)
{
    struct mbuf *m = (flags & M_PKTHDR) ? m_gethdr(how, type) : m_get(how, type);

    m_extadd(m, MCLBYTES);
    return m;
}

struct mbuf *
m_free(struct mbuf *m)
{
    struct mbuf *next = m->m_next;

    if ((m->m_flags & M_PKTHDR) && !SLIST_EMPTY(&m->m_pkthdr.tags))
        m_tag_delete_chain(m, NULL);
    if ((m->m_flags & M_EXT) && __atomic_sub_fetch(m->m_ext.ext_cnt, 1, __ATOMIC_ACQ_REL) == 0) {
        (free)(m->m_ext.ext_buf);
        (free)(m->m_ext.ext_cnt);
    }
    (free)(m);
    __atomic_sub_fetch(&mbufs_outstanding, 1, __ATOMIC_SEQ_CST);
    return next;
}

void
m_freem(struct mbuf *m)
{
    while (m != NULL)
        m = m_free(m);
}

unsigned int
m_length(struct mbuf *m, struct mbuf **last)
{
    unsigned int len = 0;
    struct mbuf *m0 = NULL;

    for (; m != NULL; m = m->m_next) {
        len += (unsigned int)m->m_len;
        m0 = m;
    }
    if (last != NULL)
        *last = m0;
    return len;
}

void
m_copydata(const struct mbuf *m, int off, int len, char *cp)
{
    int count;

    KASSERT(off >= 0, ("m_copydata, negative off %d", off));
    KASSERT(len >= 0, ("m_copydata, negative len %d", len));
    while (off > 0) {
        KASSERT(m != NULL, ("m_copydata, offset > size of mbuf chain"));
        if (off < m->m_len)
            break;
        off -= m->m_len;
        m = m->m_next;
    }
    while (len > 0) {
        KASSERT(m != NULL, ("m_copydata, length > size of mbuf chain"));
        count = MIN(m->m_len - off, len);
        memcpy(cp, m->m_data + off, (size_t)count);
        len -= count;
        cp += count;
        off = 0;
        m = m->m_next;
    }
}

int
m_dup_pkthdr(struct mbuf *to, const struct mbuf *from, int how)
{
    to->m_flags = (from->m_flags & M_COPYFLAGS) | (to->m_flags & M_EXT);
    if ((to->m_flags & M_EXT) == 0)
        to->m_data = to->m_dat;
    to->m_pkthdr = from->m_pkthdr;
    SLIST_INIT(&to->m_pkthdr.tags);
    return m_tag_copy_chain(to, from, how);
}

struct mbuf *
m_dup(const struct mbuf *m, int how)
{
    struct mbuf *top = NULL, **p = &top, *n;
    int off = 0, remain, chunk;

    KASSERT(m->m_flags & M_PKTHDR, ("m_dup: not a packet header"));
    remain = m->m_pkthdr.len;
    do {
        n = remain >= MINCLSIZE ? m_getcl(how, m->m_type, 0) : m_get(how, m->m_type);
        if (top == NULL && !m_dup_pkthdr(n, m, how)) {
            m_free(n);
            return NULL;
        }
        chunk = MIN(remain, (n->m_flags & M_EXT) ? MCLBYTES : MLEN);
        m_copydata(m, off, chunk, n->m_data);
        n->m_len = chunk;
        off += chunk;
        remain -= chunk;
        *p = n;
        p = &n->m_next;
    } while (remain > 0);
    return top;
}

struct mbuf *
m_copypacket(struct mbuf *m, int how)
{
    struct mbuf *top, *n;

    top = n = m_get(how, m->m_type);
    if (!m_dup_pkthdr(n, m, how)) {
        m_freem(top);
        return NULL;
    }
    for (;;) {
        n->m_len = m->m_len;
        if (m->m_flags & M_EXT) {
            n->m_ext = m->m_ext;
            __atomic_add_fetch(n->m_ext.ext_cnt, 1, __ATOMIC_ACQ_REL);
            n->m_flags |= M_EXT | M_RDONLY;
            n->m_data = m->m_data;
        } else {
            memcpy(n->m_data, m->m_data, (size_t)m->m_len);
        }
        m = m->m_next;
        if (m == NULL)
            break;
        n->m_next = m_get(how, m->m_type);
        n = n->m_next;
    }
    return top;
}

struct m_tag *
m_tag_alloc(uint32_t cookie, uint16_t type, int len, int wait)
{
    struct m_tag *t;

    if (len < 0)
        return NULL;
    t = malloc((size_t)len + sizeof(struct m_tag), M_PACKET_TAGS, wait);
    if (t == NULL)
        return NULL;
    m_tag_setup(t, cookie, type, len);
    t->m_tag_free = m_tag_free_default;
    return t;
}

void
m_tag_free_default(struct m_tag *t)
{
    free(t, M_PACKET_TAGS);
}

void
m_tag_delete(struct mbuf *m, struct m_tag *t)
{
    m_tag_unlink(m, t);
    m_tag_free(t);
}

void
m_tag_delete_chain(struct mbuf *m, struct m_tag *t)
{
    struct m_tag *p, *q;

    p = t != NULL ? t : SLIST_FIRST(&m->m_pkthdr.tags);
    if (p == NULL)
        return;
    while ((q = SLIST_NEXT(p, m_tag_link)) != NULL)
        m_tag_delete(m, q);
    m_tag_delete(m, p);
}

void
m_tag_delete_nonpersistent(struct mbuf *m)
{
    struct m_tag *p, *q;

    SLIST_FOREACH_SAFE(p, &m->m_pkthdr.tags, m_tag_link, q)
    {
        if ((p->m_tag_id & MTAG_PERSISTENT) == 0)
            m_tag_delete(m, p);
    }
}

struct m_tag *
m_tag_locate(struct mbuf *m, uint32_t cookie, uint16_t type, struct m_tag *t)
{
    struct m_tag *p = t == NULL ? SLIST_FIRST(&m->m_pkthdr.tags) : SLIST_NEXT(t, m_tag_link);

    for (; p != NULL; p = SLIST_NEXT(p, m_tag_link))
        if (p->m_tag_cookie == cookie && p->m_tag_id == type)
            return p;
    return NULL;
}

struct m_tag *
m_tag_copy(struct m_tag *t, int how)
{
    struct m_tag *p = m_tag_alloc(t->m_tag_cookie, t->m_tag_id, t->m_tag_len, how);

    if (p == NULL)
        return NULL;
    memcpy(p + 1, t + 1, t->m_tag_len);
    return p;
}

int
m_tag_copy_chain(struct mbuf *to, const struct mbuf *from, int how)
{
    struct m_tag *p, *t, *tprev = NULL;

    m_tag_delete_chain(to, NULL);
    SLIST_FOREACH(p, &from->m_pkthdr.tags, m_tag_link)
    {
        t = m_tag_copy(p, how);
        if (t == NULL) {
            m_tag_delete_chain(to, NULL);
            return 0;
        }
        if (tprev == NULL)
            SLIST_INSERT_HEAD(&to->m_pkthdr.tags, t, m_tag_link);
        else
            SLIST_INSERT_AFTER(tprev, t, m_tag_link);
        tprev = t;
    }
    return 1;
}

struct mbuf *
kpi_mbuf_chain(const void *data, size_t len, const size_t *seglen, size_t nseg)
{
    struct mbuf *top = NULL, **p = &top, *m;
    const char *src = data;
    size_t i, done = 0, n;

    for (i = 0; i < (nseg == 0 ? 1 : nseg); i++) {
        n = nseg == 0 ? len : seglen[i];
        m = top == NULL ? m_gethdr(M_WAITOK, MT_DATA) : m_get(M_WAITOK, MT_DATA);
        if (n > (size_t)MLEN)
            m_extadd(m, (unsigned int)n);
        if (n > 0)
            memcpy(m->m_data, src + done, n);
        m->m_len = (int32_t)n;
        done += n;
        *p = m;
        p = &m->m_next;
    }
    KASSERT(done == len, ("kpi_mbuf_chain: segments hold %zu of %zu bytes", done, len));
    top->m_pkthdr.len = (int32_t)len;
    return top;
}
