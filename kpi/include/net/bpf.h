/*
 * KPI stand-in: the driver side of bpf(4).  Listeners are made by tests
 * (kpi_bpf_listen()); a tap stamps the frame with the stand-in clock and
 * hands it to each listener, which keeps it and/or writes it to a pcap
 * file with the interface's DLT as its linktype.
 */
#ifndef KPI_NET_BPF_H
#define KPI_NET_BPF_H

#include <sys/param.h>
#include <sys/eventhandler.h>

/*
 * struct bpf_insn and its opcodes are libpcap's, which come from BSD's.
 * bpf_filter() with buflen 0 reads an mbuf chain, as the kernel's does;
 * libpcap's reads a buffer, so the facility's calls go to a stand-in that
 * hands it the packet's bytes.  bpf_validate() is FreeBSD's rule, not
 * libpcap's, which accepts opcodes its own interpreter aborts on.
 */
#include <pcap/bpf.h>

#define BPF_MAXINSNS 512 /* FreeBSD's; libpcap keeps its limit private */

#define bpf_filter kpi_bpf_filter
unsigned int kpi_bpf_filter(const struct bpf_insn *pc, unsigned char *p, unsigned int wirelen,
                            unsigned int buflen);
#define bpf_validate kpi_bpf_validate
int kpi_bpf_validate(const struct bpf_insn *f, int len);

#ifndef DLT_USER0
#define DLT_USER0 147
#endif

struct ifnet;

void bpfattach(struct ifnet *ifp, unsigned int dlt, unsigned int hdrlen);
void bpfdetach(struct ifnet *ifp);
bool bpf_peers_present_if(struct ifnet *ifp);
void bpf_tap_if(struct ifnet *ifp, unsigned char *pkt, unsigned int pktlen);

/* A listener attached (1) to or detached (0) from an interface's tap. */
typedef void (*bpf_track_fn)(void *, struct ifnet *, int /* dlt */, int /* 1 =>'s attach */);
EVENTHANDLER_DECLARE(bpf_track, bpf_track_fn);

#endif
