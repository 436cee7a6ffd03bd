/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Copyright (c) 2026 The mbuf_trace authors
 */

/*
 * mbuf_trace(9)'s internals, shared by its three files and nothing else:
 *
 *	kern/kern_mbuf_trace.c	the trace store: a trace's records on its
 *				packet, the ddb command that shows them
 *	net/mbuf_trace_select.c	selection: which packets start a trace
 *	net/if_mbuf_trace.c	the mbuf_trace interface: the emit queue,
 *				serialisation into frames, the tap to bpf(4)
 *
 * Stack code includes <sys/mbuf_trace.h> only.
 */

#ifndef _NET_MBUF_TRACE_VAR_H_
#define	_NET_MBUF_TRACE_VAR_H_

#ifdef _KERNEL
#include <sys/counter.h>
#include <sys/malloc.h>
#include <sys/mbuf.h>
#include <sys/queue.h>
#include <sys/sysctl.h>
#include <sys/mbuf_trace.h>

#include <net/vnet.h>

/*
 * Locking key of the fields and variables of the three files:
 *	(a)	a word read with atomic_load_*() and written whole, by its
 *		sysctl or with atomic(9): no lock
 *	(c)	constant once set up (by mtrace_begin(), a SYSINIT, a handler)
 *	(e)	the emit task's alone; mtrace_tq runs it on a single thread
 *	(f)	set once by the tag's free routine, as the packet lets go of the
 *		trace; zero until then
 *	(p)	the packet's: changed only by the thread that holds the packet,
 *		whose hold on the mbuf is the lock, as the stack hands it on
 *	(q)	mtrace_queue_mtx
 *	(s)	mtrace_sel_mtx; read on the packet path without it, in the
 *		network epoch, and freed only after NET_EPOCH_WAIT()
 *	(v)	set as its VNET is made and ended; read in the network epoch
 */

MALLOC_DECLARE(M_MBUF_TRACE);
SYSCTL_DECL(_net_mbuf_trace);

/*
 * The free site: the return addresses stack_save() finds where the trace
 * ends, the tag and mbuf code's frames among them, and the thread.
 */
#define	MTRACE_FREE_PCS		16
/* mt_free_flags: the free site was recorded (free_site was on). */
#define	MTRACE_FREE_KEPT	0x80
/* mt_drop_snap: the IP versions a drop may snapshot. */
#define	MTRACE_SNAP_IP4		0x01
#define	MTRACE_SNAP_IP6		0x02

/*
 * A trace: the tag on its packet, then, once the packet lets go of it
 * (mtrace_tag_free()), an entry of the emit queue, and after that the emit
 * task's alone, which reads every field without a lock and frees it.
 */
struct mtrace {
	struct m_tag	mt_tag;		/* (p) on the packet's tag list */
	STAILQ_ENTRY(mtrace) mt_queue;	/* (q) emit queue; stale on a packet */
	uint64_t	mt_start;	/* (c) nanouptime() at start, in ns */
	uint32_t	mt_ifid;	/* (c) interface the frame goes to */
	uint32_t	mt_lost;	/* (p) records not stored */
	uint32_t	mt_used;	/* (p) bytes of mt_recs in use */
	/* Where the trace ended (mtrace_free_site()). */
	pid_t		mt_free_pid;	/* (f) */
	uint8_t		mt_free_flags;	/* (f) MTRACE_FREE_*, _KEPT */
	uint8_t		mt_free_depth;	/* (f) of mt_free_pcs */
	uint8_t		mt_fate;	/* (p) of the last FATE record, or 0 */
	uint8_t		mt_drop_snap;	/* (p) MTRACE_SNAP_IP*: mtrace_snap() */
	char		mt_free_thread[MTRACE_FREE_THREADLEN];	/* (f) */
	uintptr_t	mt_free_pcs[MTRACE_FREE_PCS];		/* (f) */
	u_char		mt_recs[] __aligned(8);	/* (p) the records */
};

/*
 * A stored record: this head, then its payload padded to MTRACE_ALIGN.
 * DATA and DATA_L3 hold the packet's length and its first bytes,
 * STRING_DYNAMIC its bytes and a NUL (for ddb), STRING the pointer, TIME the
 * ns, LOCATION a struct mtrace_loc.
 */
struct mtrace_rec {
	uint8_t		mr_type;	/* MTRACE_REC_*, _LOCATION */
	uint8_t		mr_event;	/* MTRACE_EV_* of a location, _POS */
	uint16_t	mr_len;		/* bytes of data or string */
	uint32_t	mr_arg;		/* a line, an ethertype */
};

#define	MTRACE_REC_LOCATION	0x80	/* serialised as a STRING */
/*
 * The mr_event of a string recorded while source_position was on: its
 * payload begins with the __FILE__ pointer of its call, mr_arg is the line.
 */
#define	MTRACE_STR_POS		1

struct mtrace_loc {
	const char	*ml_file;
	const char	*ml_func;
};

/*
 * A stored FATE record: mr_event is the fate, mr_arg the reason and, from
 * bit 16, the MTRACE_FD_* of its detail; mr_len the detail's text length.
 * The payload is the value, then the detail: a static string's address, a
 * copied text (NUL-terminated, for ddb), or a socket's endpoints.
 */
#define	MTRACE_FATE_STORED	8	/* the value, padded */
#define	MTRACE_FATE_TEXT	64	/* the longest copied text */
#define	MTRACE_FATE_HOW(r)	((r)->mr_arg >> 16)
#define	MTRACE_FATE_REASON(r)	((r)->mr_arg & 0xffff)

struct mtrace_endpoint {
	uint8_t		me_v6;		/* the addresses are IPv6 */
	uint8_t		me_proto;	/* IPPROTO_* */
	uint16_t	me_lport;	/* network byte order */
	uint16_t	me_fport;
	uint8_t		me_laddr[16];
	uint8_t		me_faddr[16];
};

/* A stored snapshot: the packet's length, then mr_len of its bytes. */
#define	MTRACE_SNAP_HDRLEN	sizeof(uint32_t)

/*
 * A knob of net.mbuf_trace with its bounds, for mtrace_sysctl_limit(),
 * which stores it with atomic_store_int(): readers load it once.
 */
struct mtrace_limit {
	u_int	*ml_var;	/* (c) the knob, itself (a) */
	u_int	ml_min;		/* (c) */
	u_int	ml_max;		/* (c) */
};

#ifdef VIMAGE
/* A start point reached before the packet's VNET is set uses vnet0's. */
#define	MTRACE_V(n)							\
	(*(curvnet != NULL ? &VNET(n) : &VNET_VNET(vnet0, n)))
#else
#define	MTRACE_V(n)	VNET(n)
#endif

/*
 * net.mbuf_trace.stats, a VNET's counter(9)s.  What becomes of a trace is
 * counted in the VNET of the interface it goes to, wherever its packet went
 * (MTRACESTAT_TRACE_INC(): that VNET may be gone, and then nothing is
 * counted); what selection does, in the VNET that selects
 * (MTRACESTAT_INC()), the one whose listener a trace it starts is for.
 */
struct mtracestat {
	uint64_t	mts_started;		/* traces started */
	uint64_t	mts_emitted;		/* frames tapped */
	uint64_t	mts_copies;		/* copies traced on their own */
	uint64_t	mts_records_lost;	/* records counted in LOST */
	uint64_t	mts_grow_failed;	/* traces that could not grow */
	uint64_t	mts_truncated;		/* frames cut at a record */
	uint64_t	mts_filtered;		/* rejected by the filter */
	uint64_t	mts_dropped_nomem;	/* traces not started: memory */
	uint64_t	mts_dropped_queue_full;	/* queue_max traces waited */
	uint64_t	mts_dropped_no_listener; /* nobody listened any more */
};
VNET_PCPUSTAT_DECLARE(struct mtracestat, mtracestat);
/* The index of member f of struct mtracestat among the counters. */
#define	MTRACESTAT(f)	(offsetof(struct mtracestat, f) / sizeof(uint64_t))
#define	MTRACESTAT_INC(f)						\
	counter_u64_add(MTRACE_V(mtracestat)[MTRACESTAT(f)], 1)
#define	MTRACESTAT_TRACE_INC(mt, f)					\
	mtrace_stat_trace((mt)->mt_ifid, MTRACESTAT(f), 1)

/* kern_mbuf_trace.c */
int	mtrace_sysctl_limit(SYSCTL_HANDLER_ARGS);
size_t	mtrace_rec_size(const struct mtrace_rec *);
struct mtrace *mtrace_lookup(struct mbuf *);
struct mtrace *mtrace_begin(struct mbuf *, uint32_t, int);
int	mtrace_ip_version(const struct mbuf *);

/* mbuf_trace_select.c */
struct mtrace *mtrace_anywhere(struct mbuf *, int);

/*
 * if_mbuf_trace.c.  mbuf_trace_if_listener(), in the network epoch: a
 * nonzero handle for the current VNET's interface when someone listens on
 * it, which the trace keeps (mt_ifid) until it is emitted there.
 */
uint32_t mbuf_trace_if_listener(void);
void	mtrace_enqueue(struct mtrace *);
void	mtrace_stat_trace(uint32_t, u_int, uint64_t);
void	mtrace_rec_text(const struct mtrace_rec *, char *, size_t);

#endif /* _KERNEL */
#endif /* !_NET_MBUF_TRACE_VAR_H_ */
