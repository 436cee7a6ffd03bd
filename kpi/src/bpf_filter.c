/*
 * Stand-ins for the kernel's bpf_filter(), whose buflen 0 makes p an mbuf
 * chain: libpcap's interpreter runs the program on the packet's bytes,
 * those of the first mbuf when it holds the whole packet, otherwise a copy;
 * and for its bpf_validate(), with FreeBSD's rule.
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

/*
 * The opcodes FreeBSD's interpreter runs (sys/net/bpf_filter.c,
 * bpf_code_map); libpcap's bpf_validate() checks only the class of an
 * instruction, so an opcode such as 0x9e9e passes it and makes libpcap's
 * bpf_filter() call abort().
 */
static const uint16_t valid_codes[] = {
    BPF_LD | BPF_IMM,
    BPF_LD | BPF_W | BPF_ABS,
    BPF_LD | BPF_H | BPF_ABS,
    BPF_LD | BPF_B | BPF_ABS,
    BPF_LD | BPF_W | BPF_IND,
    BPF_LD | BPF_H | BPF_IND,
    BPF_LD | BPF_B | BPF_IND,
    BPF_LD | BPF_MEM,
    BPF_LD | BPF_W | BPF_LEN,
    BPF_LDX | BPF_IMM,
    BPF_LDX | BPF_MEM,
    BPF_LDX | BPF_W | BPF_LEN,
    BPF_LDX | BPF_MSH | BPF_B,
    BPF_ST,
    BPF_STX,
    BPF_ALU | BPF_ADD | BPF_K,
    BPF_ALU | BPF_ADD | BPF_X,
    BPF_ALU | BPF_SUB | BPF_K,
    BPF_ALU | BPF_SUB | BPF_X,
    BPF_ALU | BPF_MUL | BPF_K,
    BPF_ALU | BPF_MUL | BPF_X,
    BPF_ALU | BPF_DIV | BPF_K,
    BPF_ALU | BPF_DIV | BPF_X,
    BPF_ALU | BPF_MOD | BPF_K,
    BPF_ALU | BPF_MOD | BPF_X,
    BPF_ALU | BPF_AND | BPF_K,
    BPF_ALU | BPF_AND | BPF_X,
    BPF_ALU | BPF_OR | BPF_K,
    BPF_ALU | BPF_OR | BPF_X,
    BPF_ALU | BPF_XOR | BPF_K,
    BPF_ALU | BPF_XOR | BPF_X,
    BPF_ALU | BPF_LSH | BPF_K,
    BPF_ALU | BPF_LSH | BPF_X,
    BPF_ALU | BPF_RSH | BPF_K,
    BPF_ALU | BPF_RSH | BPF_X,
    BPF_ALU | BPF_NEG,
    BPF_JMP | BPF_JA,
    BPF_JMP | BPF_JEQ | BPF_K,
    BPF_JMP | BPF_JEQ | BPF_X,
    BPF_JMP | BPF_JGT | BPF_K,
    BPF_JMP | BPF_JGT | BPF_X,
    BPF_JMP | BPF_JGE | BPF_K,
    BPF_JMP | BPF_JGE | BPF_X,
    BPF_JMP | BPF_JSET | BPF_K,
    BPF_JMP | BPF_JSET | BPF_X,
    BPF_RET | BPF_K,
    BPF_RET | BPF_A,
    BPF_MISC | BPF_TAX,
    BPF_MISC | BPF_TXA,
};

/*
 * A program FreeBSD runs: known opcodes, jumps forward and inside it,
 * scratch memory indexes below BPF_MEMWORDS, no division by a constant 0,
 * a return last; no instructions is a program that accepts all.
 */
int
kpi_bpf_validate(const struct bpf_insn *f, int len)
{
    const struct bpf_insn *p;
    unsigned int i, k, jump;
    bool known;

    if (len < 0)
        return 0;
    for (i = 0; i < (unsigned int)len; i++) {
        p = &f[i];
        known = false;
        for (k = 0; k < nitems(valid_codes) && !known; k++)
            known = p->code == valid_codes[k];
        if (!known)
            return 0;
        if (BPF_CLASS(p->code) == BPF_JMP) {
            jump = p->code == (BPF_JMP | BPF_JA) ? p->k : MAX(p->jt, p->jf);
            if (jump >= (unsigned int)len - i - 1)
                return 0;
        } else if ((p->code == BPF_ST || p->code == BPF_STX || p->code == (BPF_LD | BPF_MEM) ||
                    p->code == (BPF_LDX | BPF_MEM)) &&
                   p->k >= BPF_MEMWORDS) {
            return 0;
        } else if ((p->code == (BPF_ALU | BPF_DIV | BPF_K) ||
                    p->code == (BPF_ALU | BPF_MOD | BPF_K)) &&
                   p->k == 0) {
            return 0;
        }
    }
    return len == 0 || BPF_CLASS(f[len - 1].code) == BPF_RET;
}
