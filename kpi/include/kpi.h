/*
 * kpi.h - what tests and tools use to drive the kernel sources built on the
 * KPI stand-ins: boot and shutdown, mbuf chains from bytes, BPF listeners
 * that keep frames and write pcap files, the emit taskqueue, the clock,
 * sysctl, malloc(9) failure injection and leak counts, and ddb.
 */
#ifndef KPI_H
#define KPI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/time.h>

struct mbuf;
struct ifnet;
struct malloc_type;

/* Run every SYSINIT in (subsystem, order) order; once per process. */
void kpi_boot(void);
/* Run every SYSUNINIT in reverse order, stopping the taskqueue threads. */
void kpi_shutdown(void);
/*
 * The VNET ends (its VNET_SYSUNINITs run, in reverse order) and a new one
 * starts (its VNET_SYSINITs run), as when a VNET jail is removed and
 * created again: the per-VNET interfaces are detached, freed and made
 * anew, under the same index with the next generation.
 */
void kpi_vnet_destroy(void);
void kpi_vnet_create(void);

/*
 * A packet of len bytes in a chain of nseg mbufs whose lengths are seglen[]
 * (they must add up to len; zero-length mbufs are allowed).  nseg == 0:
 * one mbuf, with an external buffer when len does not fit in it.
 */
struct mbuf *kpi_mbuf_chain(const void *data, size_t len, const size_t *seglen, size_t nseg);
/* mbufs allocated and not freed yet. */
long kpi_mbuf_outstanding(void);

/*
 * A listener on interface ifname, like a bpf(4) descriptor: it keeps every
 * frame tapped from now on and, when pcap_path is not NULL, also writes it
 * to that pcap file ("-" is stdout), flushed after each frame.
 */
struct kpi_bpf_listener *kpi_bpf_listen(const char *ifname, const char *pcap_path);
/*
 * The same, like "tcpdump -w": frames are only written to the pcap file
 * (and counted), not kept, so a long run does not accumulate them, and the
 * file is flushed when the listener goes, not after each frame.
 */
struct kpi_bpf_listener *kpi_bpf_listen_pcap(const char *ifname, const char *pcap_path);
void kpi_bpf_unlisten(struct kpi_bpf_listener *l);
/* It stops listening, its frames stay readable until kpi_bpf_unlisten(). */
void kpi_bpf_detach(struct kpi_bpf_listener *l);
size_t kpi_bpf_nframes(struct kpi_bpf_listener *l);
/* Frame i as kept, or NULL (past the end, or a listener that keeps none). */
const uint8_t *kpi_bpf_frame(struct kpi_bpf_listener *l, size_t i, size_t *len, struct timeval *ts);
/*
 * The attached interface named ifname, or NULL.  "ifconfig NAME destroy"
 * (force: as a VNET teardown does, which the cloner cannot refuse) and
 * "ifconfig NAME create"; 0 or an errno, as FreeBSD 15's if_clone.c gives
 * them (destroying an interface that no cloner made: EINVAL).
 */
struct ifnet *kpi_ifunit(const char *ifname);
int kpi_if_clone_destroy(const char *ifname, bool force);
int kpi_if_clone_create(const char *ifname);
/* "ifconfig NAME group GROUP" and "-group GROUP": 0, EEXIST or ENOENT. */
int kpi_if_addgroup(struct ifnet *ifp, const char *group);
int kpi_if_delgroup(struct ifnet *ifp, const char *group);

/*
 * Enter and leave the network epoch in the calling thread, as a driver
 * does around ether_input(): the stack's trace points run inside it, and
 * mtrace_start() asserts it (NET_EPOCH_ASSERT()).  Sections nest.
 */
void kpi_net_epoch_enter(void);
void kpi_net_epoch_exit(void);

/*
 * The calling thread is a kernel thread named name (P_SYSTEM, pid 0), as
 * the taskqueue threads are; any other thread is this process's.
 */
void kpi_thread_is_kernel(const char *name);
/* Symbol lookups the stand-in linker has made (linker_search_symbol_name). */
long kpi_linker_lookups(void);
/* A module is unloaded: the kld_unload event. */
void kpi_kld_unload(void);

/* Wait until every taskqueue is empty and idle. */
void kpi_taskqueue_drain_all(void);
/* Hold (true) or release (false) every taskqueue, like taskqueue_block(). */
void kpi_taskqueue_hold(bool hold);
/*
 * Run the tasks queued on held taskqueues now, in the calling thread, as
 * their threads would once released: a driver whose clock must be the one
 * the tasks see (the replay tool) runs them itself, without a thread switch.
 */
void kpi_taskqueue_run_held(void);

/*
 * The uptime clock: nanouptime() returns uptime_ns, then the clock moves on
 * by step_ns.  Wall time (BPF timestamps) is boottime + uptime.
 */
void kpi_clock_set(uint64_t uptime_ns, uint64_t step_ns);
void kpi_clock_set_boottime(time_t sec);

/*
 * sysctl(8) by name: 0 or the handler's errno (ENOENT if there is none).  A
 * write comes from userland, never from inside the network epoch (its
 * handler may wait for it): the calling thread's sections are left for the
 * handler's call and entered again.
 */
int kpi_sysctl_get(const char *name, void *val, size_t *len);
int kpi_sysctl_set(const char *name, const void *val, size_t len);
/* The same for the common cases; they abort when the sysctl is missing. */
uint64_t kpi_sysctl_u64(const char *name);
unsigned int kpi_sysctl_uint(const char *name);
int kpi_sysctl_set_uint(const char *name, unsigned int val);

/*
 * malloc(9) failure injection: the n-th M_NOWAIT call from now (1-based)
 * returns NULL; 0 disarms.  The count of M_NOWAIT calls so far, and the
 * allocations of a type not freed yet.
 */
void kpi_malloc_fail_nth(unsigned long n);
unsigned long kpi_malloc_nowait_calls(void);
long kpi_malloc_inuse(struct malloc_type *type);

/* Run "show <cmd> <addr>" in ddb; returns its output (valid until next call). */
const char *kpi_db_show(const char *cmd, const void *addr, bool have_addr);

#endif
