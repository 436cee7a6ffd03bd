/*
 * pcap files for the bpf(4) stand-in, written by libpcap itself: the file
 * header, the linktype and each record header are libpcap's own.
 */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>

#include "kpi_private.h"

struct kpi_pcap {
    pcap_t *pd;
    pcap_dumper_t *dumper;
    bool flush;
};

struct kpi_pcap *
kpi_pcap_open(const char *path, int linktype, int snaplen, bool flush)
{
    struct kpi_pcap *p = calloc(1, sizeof(*p));

    if (p == NULL)
        return NULL;
    p->flush = flush;
    p->pd = pcap_open_dead(linktype, snaplen);
    if (p->pd == NULL) {
        free(p);
        return NULL;
    }
    p->dumper = pcap_dump_open(p->pd, path);
    if (p->dumper == NULL) {
        fprintf(stderr, "kpi: %s: %s\n", path, pcap_geterr(p->pd));
        pcap_close(p->pd);
        free(p);
        return NULL;
    }
    return p;
}

void
kpi_pcap_write(struct kpi_pcap *p, const struct timeval *ts, const void *data, size_t len)
{
    struct pcap_pkthdr hdr = { .ts = *ts, .caplen = (bpf_u_int32)len, .len = (bpf_u_int32)len };

    pcap_dump((u_char *)p->dumper, &hdr, data);
    if (p->flush)
        pcap_dump_flush(p->dumper);
}

void
kpi_pcap_close(struct kpi_pcap *p)
{
    pcap_dump_close(p->dumper);
    pcap_close(p->pd);
    free(p);
}
