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

#define DLT_USER0 147

struct ifnet;

void bpfattach(struct ifnet *ifp, unsigned int dlt, unsigned int hdrlen);
void bpfdetach(struct ifnet *ifp);
bool bpf_peers_present_if(struct ifnet *ifp);
void bpf_tap_if(struct ifnet *ifp, unsigned char *pkt, unsigned int pktlen);

/* A listener attached (1) to or detached (0) from an interface's tap. */
typedef void (*bpf_track_fn)(void *, struct ifnet *, int /* dlt */, int /* 1 =>'s attach */);
EVENTHANDLER_DECLARE(bpf_track, bpf_track_fn);

#endif
