/*
 * KPI stand-in: mbuf(9) and mbuf_tags(9).
 *
 * The fields and functions the kernel sources and the tests use, with
 * FreeBSD's semantics (see the comments in mbuf.c): chains of mbufs, a
 * packet header with a tag list, clusters shared by m_copypacket(), tags
 * allocated with malloc(9) (so failure injection reaches them), and a free
 * path that deletes the tag chain as the mbuf destructor does.
 */
#ifndef KPI_SYS_MBUF_H
#define KPI_SYS_MBUF_H

#include <sys/param.h>
#include <sys/malloc.h>
#include <sys/queue.h>

struct ifnet;

#define MLEN      ((int)(MSIZE - 32))
#define MHLEN     ((int)(MSIZE - 88))
#define MINCLSIZE (MHLEN + 1)

#define M_EXT       0x00000001 /* data in external storage (m_ext) */
#define M_PKTHDR    0x00000002 /* start of a packet: m_pkthdr is valid */
#define M_RDONLY    0x00000008 /* data is shared, read-only */
#define M_COPYFLAGS (M_PKTHDR)

#define MT_DATA 1

struct m_tag {
    SLIST_ENTRY(m_tag) m_tag_link;
    uint16_t m_tag_id;
    uint16_t m_tag_len;
    uint32_t m_tag_cookie;
    void (*m_tag_free)(struct m_tag *);
};

struct pkthdr {
    struct ifnet *rcvif;
    SLIST_HEAD(packet_tags, m_tag) tags;
    int32_t len;
};

struct m_ext {
    char *ext_buf;
    unsigned int ext_size;
    unsigned int *ext_cnt; /* references to ext_buf */
};

struct mbuf {
    struct mbuf *m_next;
    struct mbuf *m_nextpkt;
    char *m_data;
    int32_t m_len;
    uint8_t m_type;
    uint32_t m_flags;
    struct pkthdr m_pkthdr;
    struct m_ext m_ext;
    char m_dat[MLEN];
};

#define mtod(m, t) ((t)((m)->m_data))

MALLOC_DECLARE(M_PACKET_TAGS);

struct mbuf *m_get(int how, short type);
struct mbuf *m_gethdr(int how, short type);
struct mbuf *m_getcl(int how, short type, int flags);
struct mbuf *m_free(struct mbuf *m);
void m_freem(struct mbuf *m);
struct mbuf *m_dup(const struct mbuf *m, int how);
struct mbuf *m_copypacket(struct mbuf *m, int how);
int m_dup_pkthdr(struct mbuf *to, const struct mbuf *from, int how);
void m_copydata(const struct mbuf *m, int off, int len, char *cp);
unsigned int m_length(struct mbuf *m, struct mbuf **last);

#define MTAG_PERSISTENT 0x800

struct m_tag *m_tag_alloc(uint32_t cookie, uint16_t type, int len, int wait);
void m_tag_delete(struct mbuf *m, struct m_tag *t);
void m_tag_delete_chain(struct mbuf *m, struct m_tag *t);
void m_tag_free_default(struct m_tag *t);
struct m_tag *m_tag_locate(struct mbuf *m, uint32_t cookie, uint16_t type, struct m_tag *t);
struct m_tag *m_tag_copy(struct m_tag *t, int how);
int m_tag_copy_chain(struct mbuf *to, const struct mbuf *from, int how);
void m_tag_delete_nonpersistent(struct mbuf *m);

static inline void
m_tag_setup(struct m_tag *t, uint32_t cookie, uint16_t type, int len)
{
    t->m_tag_id = type;
    t->m_tag_len = (uint16_t)len;
    t->m_tag_cookie = cookie;
}

static inline void
m_tag_free(struct m_tag *t)
{
    (*t->m_tag_free)(t);
}

static inline struct m_tag *
m_tag_first(struct mbuf *m)
{
    return SLIST_FIRST(&m->m_pkthdr.tags);
}

static inline void
m_tag_prepend(struct mbuf *m, struct m_tag *t)
{
    SLIST_INSERT_HEAD(&m->m_pkthdr.tags, t, m_tag_link);
}

static inline void
m_tag_unlink(struct mbuf *m, struct m_tag *t)
{
    SLIST_REMOVE(&m->m_pkthdr.tags, t, m_tag, m_tag_link);
}

#endif
