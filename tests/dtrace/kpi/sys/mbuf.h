/*
 * Stand-in for FreeBSD 15.1's <sys/mbuf.h>: the header of struct mbuf, with
 * its members in FreeBSD's order and of FreeBSD's types so that on LP64 they
 * sit at the same offsets (m_next 0, m_data 16, m_len 24, m_type/m_flags 28),
 * and the flags dtrace_mbuf.c looks at.
 */
#ifndef MBUF_TRACE_TEST_SYS_MBUF_H
#define MBUF_TRACE_TEST_SYS_MBUF_H

#include <stdint.h>

#define MSIZE 256

struct mbuf {
    struct mbuf *m_next;    /* next buffer of this packet */
    struct mbuf *m_nextpkt; /* next packet */
    char *m_data;
    int32_t m_len;
    uint32_t m_type : 8, m_flags : 24;
    char m_dat[MSIZE - 32]; /* internal storage (no packet header here) */
};

#define M_EXT   0x00000001 /* data in external storage */
#define M_EXTPG 0x00000100 /* data in unmapped physical pages */

#endif
