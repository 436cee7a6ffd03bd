/*
 * filter_for.c - see filter_for.h.
 */
#include <sys/param.h>
#include <net/bpf.h>
#include <sys/mbuf_trace.h>

#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filter_for.h"

/* expr for packets of link type dlt: 0, or -1 if libpcap cannot compile it. */
static int
compile(int dlt, const char *expr, struct bpf_program *prog)
{
    pcap_t *p = pcap_open_dead(dlt, 65535);
    int error = pcap_compile(p, prog, expr, 1, PCAP_NETMASK_UNKNOWN);

    pcap_close(p);
    return error;
}

struct mtrace_filter *
mt_filter_for(const char *expr, size_t *len)
{
    static struct bpf_insn reject = BPF_STMT(BPF_RET | BPF_K, 0);
    struct bpf_program ether, ip;
    struct mtrace_filter *f;
    int ip_compiled;

    if (compile(DLT_EN10MB, expr, &ether) != 0)
        return NULL;
    if (!(ip_compiled = compile(DLT_RAW, expr, &ip) == 0)) {
        ip.bf_len = 1;
        ip.bf_insns = &reject;
    }
    *len = sizeof(*f) + (ether.bf_len + ip.bf_len) * sizeof(struct bpf_insn);
    if ((f = (calloc)(1, *len)) != NULL) {
        snprintf(f->mf_text, sizeof(f->mf_text), "%s", expr);
        f->mf_ether_len = ether.bf_len;
        f->mf_ip_len = ip.bf_len;
        memcpy(f->mf_insns, ether.bf_insns, ether.bf_len * sizeof(struct bpf_insn));
        memcpy(f->mf_insns + ether.bf_len, ip.bf_insns, ip.bf_len * sizeof(struct bpf_insn));
    }
    pcap_freecode(&ether);
    if (ip_compiled)
        pcap_freecode(&ip);
    return f;
}
