/*
 * Stand-in for the kernel's bpf_filter(): with buflen 0, p is an mbuf
 * chain.  libpcap's interpreter runs the program on the packet's bytes:
 * those of the first mbuf when it holds the whole packet, otherwise a copy.
 */
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/mbuf.h>

#include <net/bpf.h>

#include <stdlib.h>

#undef bpf_filter

unsigned int
kpi_bpf_filter(const struct bpf_insn *pc, unsigned char *p, unsigned int wirelen,
               unsigned int buflen)
{
    struct mbuf *m;
    unsigned char *buf;
    unsigned int len, r;

    if (buflen != 0)
        return bpf_filter(pc, p, wirelen, buflen);
    m = (struct mbuf *)(void *)p;
    len = m_length(m, NULL);
    if ((unsigned int)m->m_len == len)
        return bpf_filter(pc, mtod(m, unsigned char *), wirelen, len);
    buf = (malloc)(len == 0 ? 1 : len);
    if (buf == NULL)
        abort();
    m_copydata(m, 0, (int)len, (char *)buf);
    r = bpf_filter(pc, buf, wirelen, len);
    (free)(buf);
    return r;
}
