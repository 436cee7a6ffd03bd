/* Between the stand-in implementation files only. */
#ifndef KPI_PRIVATE_H
#define KPI_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/time.h>

/* Join the taskqueue threads (after kpi_taskqueue_drain_all()). */
void kpi_taskqueue_stop_threads(void);

/* pcap files through libpcap; kept apart from the kernel headers. */
struct kpi_pcap;
/* flush: after every frame (else when closed). */
struct kpi_pcap *kpi_pcap_open(const char *path, int linktype, int snaplen, bool flush);
void kpi_pcap_write(struct kpi_pcap *p, const struct timeval *ts, const void *data, size_t len);
void kpi_pcap_close(struct kpi_pcap *p);

#endif
