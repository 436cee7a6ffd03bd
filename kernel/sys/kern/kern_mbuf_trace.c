/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Copyright (c) 2026 The mbuf_trace authors
 */

/*
 * mbuf_trace: the trace store, its serialisation and its emission.
 *
 * A trace is one mbuf tag (struct mtrace) holding a small header and a run
 * of records in host byte order.  The tag owns no pointers, so a byte copy
 * of it (m_tag_copy() under m_dup(), m_copypacket(), ...) is a complete,
 * independent trace.  Location records keep the __FILE__ and __func__
 * pointers and the line; their text is made only when the frame is
 * serialised, so the traced path never formats anything.
 *
 * The tag's free routine runs wherever the packet dies, in the mbuf
 * destructor, so it only queues the finished trace (the tag memory itself is
 * the queue entry: no allocation).  A taskqueue serialises queued traces
 * into the wire format of <sys/mbuf_trace.h> and taps them to BPF on the
 * mbuf_trace interface.  Every allocation on the traced path is M_NOWAIT; a
 * record that cannot be stored, for want of room or memory, is counted and
 * reported in the frame's LOST record.
 */

#include <sys/cdefs.h>
#include "opt_ddb.h"
#include "opt_inet.h"
#include "opt_inet6.h"

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/ck.h>
#include <sys/counter.h>
#include <sys/endian.h>
#include <sys/epoch.h>
#include <sys/eventhandler.h>
#include <sys/kernel.h>
#include <sys/linker.h>
#include <sys/lock.h>
#include <sys/malloc.h>
#include <sys/mbuf.h>
#include <sys/mutex.h>
#include <sys/priority.h>
#include <sys/proc.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/socketvar.h>
#ifdef DDB
#include <sys/stack.h>
#endif
#include <sys/stdarg.h>
#include <sys/sysctl.h>
#include <sys/taskqueue.h>
#include <sys/time.h>

/* struct mtrace_filter of <sys/mbuf_trace.h> needs struct bpf_insn. */
#include <net/bpf.h>
#include <sys/mbuf_trace.h>

#include <net/ethernet.h>
#include <net/if.h>
#include <net/if_var.h>
#include <net/if_private.h>
#include <net/vnet.h>

#include <netinet/in.h>
#include <netinet/in_pcb.h>

#ifdef DDB
#include <ddb/ddb.h>
#endif

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

struct mtrace {
	struct m_tag	mt_tag;
	STAILQ_ENTRY(mtrace) mt_queue;	/* emit queue; stale on a packet */
	uint64_t	mt_start;	/* nanouptime() at start, in ns */
	uint32_t	mt_ifid;	/* interface the frame goes to */
	uint32_t	mt_lost;	/* records that could not be stored */
	uint32_t	mt_used;	/* bytes of mt_recs in use */
	/* Set where the trace ends (mtrace_free_site()). */
	pid_t		mt_free_pid;
	uint8_t		mt_free_flags;	/* MTRACE_FREE_*, _KEPT */
	uint8_t		mt_free_depth;	/* of mt_free_pcs */
	uint8_t		mt_fate;	/* of the last FATE record, or 0 */
	uint8_t		mt_drop_snap;	/* MTRACE_SNAP_IP*: see mtrace_snap() */
	char		mt_free_thread[MTRACE_FREE_THREADLEN];
	uintptr_t	mt_free_pcs[MTRACE_FREE_PCS];
	u_char		mt_recs[] __aligned(8);
};

/* The bytes of the tag after struct m_tag that are not records. */
#define	MTRACE_HDRLEN							\
	(offsetof(struct mtrace, mt_recs) - sizeof(struct m_tag))
#define	MTRACE_ALIGN	8
/* Record bytes of a new trace; it grows up to trace_max. */
#define	MTRACE_INITIAL	256
/* m_tag_len is 16 bits wide. */
#define	MTRACE_CAP_LIMIT						\
	rounddown2(UINT16_MAX - MTRACE_HDRLEN, MTRACE_ALIGN)

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
/* mbuf_trace_location() writes it as two pointers. */
CTASSERT(sizeof(struct mtrace_loc) == 2 * sizeof(const char *));

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

#define	MTRACE_TIME_SIZE	(sizeof(struct mtrace_rec) + sizeof(uint64_t))
#define	MTRACE_LOST_SIZE	(MTRACE_RECORD_HDRLEN + MTRACE_LOST_LEN)
#define	MTRACE_CUT_SIZE		(MTRACE_RECORD_HDRLEN + MTRACE_CUT_LEN)
/* A stored snapshot: the packet's length, then mr_len of its bytes. */
#define	MTRACE_SNAP_HDRLEN	sizeof(uint32_t)

static MALLOC_DEFINE(M_MBUF_TRACE, "mbuf_trace", "mbuf_trace frame buffer");

static SYSCTL_NODE(_net, OID_AUTO, mbuf_trace, CTLFLAG_RW | CTLFLAG_MPSAFE, 0,
    "Per-packet traces of the network stack");

static int mtrace_enable = 1;
SYSCTL_INT(_net_mbuf_trace, OID_AUTO, enable, CTLFLAG_RWTUN, &mtrace_enable, 0,
    "Start traces while someone listens on the mbuf_trace interface");

static int mtrace_timestamps = 0;
SYSCTL_INT(_net_mbuf_trace, OID_AUTO, timestamps, CTLFLAG_RWTUN,
    &mtrace_timestamps, 0, "Precede every record with a TIME record");

static int mtrace_free_site_on = 1;
SYSCTL_INT(_net_mbuf_trace, OID_AUTO, free_site, CTLFLAG_RWTUN,
    &mtrace_free_site_on, 0,
    "End every trace with where it ended: the code and the thread");

static u_int mtrace_trace_max = 8192;
static u_int mtrace_snap_max = 256;
static u_int mtrace_queue_max = 256;

struct mtrace_limit {
	u_int	*ml_var;
	u_int	ml_min;
	u_int	ml_max;
};

static struct mtrace_limit mtrace_trace_limit = {
	&mtrace_trace_max, 64, MTRACE_CAP_LIMIT
};
/* A DATA_L3 payload is the ethertype and the bytes, in 16 bits. */
static struct mtrace_limit mtrace_snap_limit = {
	&mtrace_snap_max, 0, UINT16_MAX - 2
};
static struct mtrace_limit mtrace_queue_limit = {
	&mtrace_queue_max, 1, 65536
};

static int
mtrace_sysctl_limit(SYSCTL_HANDLER_ARGS)
{
	struct mtrace_limit *l = arg1;
	u_int val;
	int error;

	val = *l->ml_var;
	error = sysctl_handle_int(oidp, &val, 0, req);
	if (error != 0 || req->newptr == NULL)
		return (error);
	if (val < l->ml_min || val > l->ml_max)
		return (EINVAL);
	atomic_store_int(l->ml_var, val);
	return (0);
}

SYSCTL_PROC(_net_mbuf_trace, OID_AUTO, trace_max,
    CTLTYPE_UINT | CTLFLAG_RWTUN | CTLFLAG_MPSAFE, &mtrace_trace_limit, 0,
    mtrace_sysctl_limit, "IU",
    "Bytes of records one trace may hold (rounded down to 8)");
SYSCTL_PROC(_net_mbuf_trace, OID_AUTO, snap_max,
    CTLTYPE_UINT | CTLFLAG_RWTUN | CTLFLAG_MPSAFE, &mtrace_snap_limit, 0,
    mtrace_sysctl_limit, "IU", "Bytes of the packet one snapshot keeps");
SYSCTL_PROC(_net_mbuf_trace, OID_AUTO, queue_max,
    CTLTYPE_UINT | CTLFLAG_RWTUN | CTLFLAG_MPSAFE, &mtrace_queue_limit, 0,
    mtrace_sysctl_limit, "IU", "Finished traces waiting to be emitted");

static SYSCTL_NODE(_net_mbuf_trace, OID_AUTO, stats,
    CTLFLAG_RD | CTLFLAG_MPSAFE, 0, "mbuf_trace statistics");
static SYSCTL_NODE(_net_mbuf_trace_stats, OID_AUTO, dropped,
    CTLFLAG_RD | CTLFLAG_MPSAFE, 0, "Traces that were not emitted");

static COUNTER_U64_DEFINE_EARLY(mtrace_started);
SYSCTL_COUNTER_U64(_net_mbuf_trace_stats, OID_AUTO, started, CTLFLAG_RD,
    &mtrace_started, "Traces started");
static COUNTER_U64_DEFINE_EARLY(mtrace_emitted);
SYSCTL_COUNTER_U64(_net_mbuf_trace_stats, OID_AUTO, emitted, CTLFLAG_RD,
    &mtrace_emitted, "Frames tapped to the mbuf_trace interface");
static COUNTER_U64_DEFINE_EARLY(mtrace_copies);
SYSCTL_COUNTER_U64(_net_mbuf_trace_stats, OID_AUTO, copies, CTLFLAG_RD,
    &mtrace_copies, "Copies of a trace (m_tag_copy) traced on their own");
static COUNTER_U64_DEFINE_EARLY(mtrace_records_lost);
SYSCTL_COUNTER_U64(_net_mbuf_trace_stats, OID_AUTO, records_lost, CTLFLAG_RD,
    &mtrace_records_lost, "Records counted in LOST records");
static COUNTER_U64_DEFINE_EARLY(mtrace_grow_failed);
SYSCTL_COUNTER_U64(_net_mbuf_trace_stats, OID_AUTO, grow_failed, CTLFLAG_RD,
    &mtrace_grow_failed, "Traces that could not grow for want of memory");
static COUNTER_U64_DEFINE_EARLY(mtrace_truncated);
SYSCTL_COUNTER_U64(_net_mbuf_trace_stats, OID_AUTO, truncated, CTLFLAG_RD,
    &mtrace_truncated, "Frames cut at a record boundary to fit a frame");
static COUNTER_U64_DEFINE_EARLY(mtrace_filtered);
SYSCTL_COUNTER_U64(_net_mbuf_trace_stats, OID_AUTO, filtered, CTLFLAG_RD,
    &mtrace_filtered, "Chosen packets the filter rejected");
static COUNTER_U64_DEFINE_EARLY(mtrace_dropped_nomem);
SYSCTL_COUNTER_U64(_net_mbuf_trace_stats_dropped, OID_AUTO, nomem, CTLFLAG_RD,
    &mtrace_dropped_nomem, "Traces not started for want of memory");
static COUNTER_U64_DEFINE_EARLY(mtrace_dropped_queue_full);
SYSCTL_COUNTER_U64(_net_mbuf_trace_stats_dropped, OID_AUTO, queue_full,
    CTLFLAG_RD, &mtrace_dropped_queue_full,
    "Finished traces dropped because queue_max were waiting");
static COUNTER_U64_DEFINE_EARLY(mtrace_dropped_no_listener);
SYSCTL_COUNTER_U64(_net_mbuf_trace_stats_dropped, OID_AUTO, no_listener,
    CTLFLAG_RD, &mtrace_dropped_no_listener,
    "Finished traces whose interface had no listener left");

/*
 * Selection (mbuf_trace(4), SELECTION): which packets start a trace, per
 * VNET.  A packet is selected when a source chooses it and the filter
 * passes it.  The filter and the pf tag name are read on the packet path in
 * the network epoch; their sysctls replace them under mtrace_sel_mtx and
 * free the old value once the epoch has passed.
 */
/* The interface group whose members choose packets ("group mtrace"). */
#define	MTRACE_IFGROUP		"mtrace"
#define	MTRACE_PF_TAG_MAX	64		/* pf's PF_TAG_NAME_SIZE */
/* The longest filter: both programs BPF_MAXINSNS long. */
#define	MTRACE_FILTER_MAX						\
	(sizeof(struct mtrace_filter) +					\
	    2 * BPF_MAXINSNS * sizeof(struct bpf_insn))

VNET_DEFINE_STATIC(int, mtrace_start_points) = 1;
VNET_DEFINE_STATIC(int, mtrace_source_position) = 0;
VNET_DEFINE_STATIC(int, mtrace_start_anywhere) = 0;
VNET_DEFINE_STATIC(struct mtrace_filter *, mtrace_filter) = NULL;
VNET_DEFINE_STATIC(char *, mtrace_pf_tag) = NULL;

#ifdef VIMAGE
/* A start point reached before the packet's VNET is set uses vnet0's. */
#define	MTRACE_V(n)							\
	(*(curvnet != NULL ? &VNET(n) : &VNET_VNET(vnet0, n)))
#else
#define	MTRACE_V(n)	VNET(n)
#endif
#define	V_mtrace_start_points	MTRACE_V(mtrace_start_points)
#define	V_mtrace_source_position MTRACE_V(mtrace_source_position)
#define	V_mtrace_start_anywhere	MTRACE_V(mtrace_start_anywhere)
#define	V_mtrace_filter		MTRACE_V(mtrace_filter)
#define	V_mtrace_pf_tag		MTRACE_V(mtrace_pf_tag)

u_int mbuf_trace_anywhere;

static struct mtx mtrace_sel_mtx;
MTX_SYSINIT(mbuf_trace_sel, &mtrace_sel_mtx, "mbuf_trace selection", MTX_DEF);

SYSCTL_INT(_net_mbuf_trace, OID_AUTO, start_points, CTLFLAG_VNET | CTLFLAG_RW,
    &VNET_NAME(mtrace_start_points), 0,
    "Start a trace on every packet that passes a start point");
SYSCTL_INT(_net_mbuf_trace, OID_AUTO, source_position,
    CTLFLAG_VNET | CTLFLAG_RW, &VNET_NAME(mtrace_source_position), 0,
    "Write every string record as \"FILE:LINE: text\"");

static int
mtrace_sysctl_anywhere(SYSCTL_HANDLER_ARGS)
{
	int *var = arg1;
	int error, val;

	val = *var;
	error = sysctl_handle_int(oidp, &val, 0, req);
	if (error != 0 || req->newptr == NULL)
		return (error);
	val = val != 0;
	mtx_lock(&mtrace_sel_mtx);
	if (val != *var) {
		if (val != 0)
			atomic_add_int(&mbuf_trace_anywhere, 1);
		else
			atomic_subtract_int(&mbuf_trace_anywhere, 1);
		atomic_store_int(var, val);
	}
	mtx_unlock(&mtrace_sel_mtx);
	return (0);
}
SYSCTL_PROC(_net_mbuf_trace, OID_AUTO, start_anywhere,
    CTLTYPE_INT | CTLFLAG_RW | CTLFLAG_MPSAFE | CTLFLAG_VNET,
    &VNET_NAME(mtrace_start_anywhere), 0, mtrace_sysctl_anywhere, "I",
    "Start a trace on an untraced packet at any mtrace call");

/*
 * Publish p in *slot, read by the stack without the lock, and free what it
 * replaces once no reader can still hold it.
 */
static void
mtrace_publish(void **slot, void *p)
{
	void *old;

	mtx_lock(&mtrace_sel_mtx);
	old = *slot;
	atomic_store_rel_ptr((volatile uintptr_t *)slot, (uintptr_t)p);
	mtx_unlock(&mtrace_sel_mtx);
	if (old != NULL) {
		NET_EPOCH_WAIT();
		free(old, M_MBUF_TRACE);
	}
}

static int
mtrace_sysctl_pf_tag(SYSCTL_HANDLER_ARGS)
{
	char buf[MTRACE_PF_TAG_MAX];
	char *tag;
	size_t len;
	int error;

	mtx_lock(&mtrace_sel_mtx);
	tag = V_mtrace_pf_tag;
	/* A tag is shorter than buf: this handler wrote it. */
	if (tag != NULL)
		memcpy(buf, tag, strlen(tag) + 1);
	else
		buf[0] = '\0';
	mtx_unlock(&mtrace_sel_mtx);
	error = sysctl_handle_string(oidp, buf, sizeof(buf), req);
	if (error != 0 || req->newptr == NULL)
		return (error);
	tag = NULL;
	len = strlen(buf);
	if (len > 0) {
		tag = malloc(len + 1, M_MBUF_TRACE, M_WAITOK);
		memcpy(tag, buf, len + 1);
	}
	mtrace_publish((void **)&V_mtrace_pf_tag, tag);
	return (0);
}
SYSCTL_PROC(_net_mbuf_trace, OID_AUTO, pf_tag,
    CTLTYPE_STRING | CTLFLAG_RW | CTLFLAG_MPSAFE | CTLFLAG_VNET, NULL, 0,
    mtrace_sysctl_pf_tag, "A",
    "Start a trace on a packet pf tags with this tag name");

static size_t
mtrace_filter_size(const struct mtrace_filter *f)
{

	return (sizeof(*f) + ((size_t)f->mf_ether_len + f->mf_ip_len) *
	    sizeof(struct bpf_insn));
}

/* The filter as written, len bytes: is it one to run? */
static bool
mtrace_filter_valid(const struct mtrace_filter *f, size_t len)
{

	if (len < sizeof(*f) || f->mf_ether_len > BPF_MAXINSNS ||
	    f->mf_ip_len > BPF_MAXINSNS || len != mtrace_filter_size(f))
		return (false);
	if (f->mf_ether_len != 0 &&
	    bpf_validate(f->mf_insns, f->mf_ether_len) == 0)
		return (false);
	if (f->mf_ip_len != 0 &&
	    bpf_validate(f->mf_insns + f->mf_ether_len, f->mf_ip_len) == 0)
		return (false);
	return (true);
}

static int
mtrace_sysctl_filter(SYSCTL_HANDLER_ARGS)
{
	struct mtrace_filter *f, *old;
	size_t len;
	int error;

	/* Reading returns what was written, copied under the lock. */
	f = malloc(MTRACE_FILTER_MAX, M_MBUF_TRACE, M_WAITOK);
	mtx_lock(&mtrace_sel_mtx);
	old = V_mtrace_filter;
	len = old != NULL ? mtrace_filter_size(old) : 0;
	if (len > 0)
		memcpy(f, old, len);
	mtx_unlock(&mtrace_sel_mtx);
	error = SYSCTL_OUT(req, f, len);
	if (error != 0 || req->newptr == NULL) {
		free(f, M_MBUF_TRACE);
		return (error);
	}
	len = req->newlen - req->newidx;
	if (len > MTRACE_FILTER_MAX) {
		free(f, M_MBUF_TRACE);
		return (EINVAL);
	}
	if (len > 0) {
		error = SYSCTL_IN(req, f, len);
		if (error == 0 && !mtrace_filter_valid(f, len))
			error = EINVAL;
		if (error != 0) {
			free(f, M_MBUF_TRACE);
			return (error);
		}
		f->mf_text[MTRACE_FILTER_TEXT - 1] = '\0';
	}
	/* No bytes, or two empty programs: no filter. */
	if (len == 0 || (f->mf_ether_len == 0 && f->mf_ip_len == 0)) {
		free(f, M_MBUF_TRACE);
		f = NULL;
	}
	mtrace_publish((void **)&V_mtrace_filter, f);
	return (0);
}
SYSCTL_PROC(_net_mbuf_trace, OID_AUTO, filter,
    CTLTYPE_OPAQUE | CTLFLAG_RW | CTLFLAG_MPSAFE | CTLFLAG_VNET, NULL, 0,
    mtrace_sysctl_filter, "S,mtrace_filter",
    "The filter a chosen packet must pass (struct mtrace_filter)");

/*
 * A VNET ends: its filter and tag go, and its start_anywhere with it.  Its
 * interfaces are gone, so no packet of it reads them any more.
 */
static void
mtrace_sel_uninit(void *arg __unused)
{
	struct mtrace_filter *f;
	char *tag;

	mtx_lock(&mtrace_sel_mtx);
	f = V_mtrace_filter;
	tag = V_mtrace_pf_tag;
	V_mtrace_filter = NULL;
	V_mtrace_pf_tag = NULL;
	if (V_mtrace_start_anywhere != 0) {
		atomic_store_int(&V_mtrace_start_anywhere, 0);
		atomic_subtract_int(&mbuf_trace_anywhere, 1);
	}
	mtx_unlock(&mtrace_sel_mtx);
	free(f, M_MBUF_TRACE);
	free(tag, M_MBUF_TRACE);
}
VNET_SYSUNINIT(mbuf_trace_sel, SI_SUB_INIT_IF, SI_ORDER_ANY, mtrace_sel_uninit,
    NULL);

/*
 * Does a source other than the caller choose a packet at a start point on
 * interface ifp (NULL: not known)?  It runs at every start point while
 * anybody listens, so it makes no call: a group's name, NUL included, is
 * compared in a load or two (memcmp of a constant size is a builtin).
 */
static __inline bool
mtrace_chosen(struct ifnet *ifp)
{
	struct ifg_list *ifgl;

	if (atomic_load_int(&V_mtrace_start_points) != 0 ||
	    atomic_load_int(&V_mtrace_start_anywhere) != 0)
		return (true);
	if (ifp == NULL)
		return (false);
	CK_STAILQ_FOREACH(ifgl, &ifp->if_groups, ifgl_next) {
		if (memcmp(ifgl->ifgl_group->ifg_group, MTRACE_IFGROUP,
		    sizeof(MTRACE_IFGROUP)) == 0)
			return (true);
	}
	return (false);
}

/*
 * Does the filter pass m, whose bytes begin as proto says?  An L2 packet
 * meets the Ethernet program, an IP packet the IP program; a program of
 * no instructions passes everything, and a packet that is neither Ethernet
 * nor IP passes only while there is no filter.  A packet it rejects is
 * counted.
 */
static __inline bool
mtrace_filter_pass(struct mbuf *m, int proto)
{
	const struct mtrace_filter *f;
	const struct bpf_insn *pc;
	u_int len;

	f = atomic_load_ptr(&V_mtrace_filter);
	if (f == NULL)
		return (true);
	if (proto == MTRACE_L2) {
		pc = f->mf_insns;
		len = f->mf_ether_len;
	} else if (proto == 0 || proto == ETHERTYPE_IP ||
	    proto == ETHERTYPE_IPV6) {
		pc = f->mf_insns + f->mf_ether_len;
		len = f->mf_ip_len;
	} else {
		pc = NULL;
		len = 0;
	}
	/* buflen 0: the packet is the mbuf chain m. */
	if (pc != NULL &&
	    (len == 0 || bpf_filter(pc, (u_char *)m, m->m_pkthdr.len, 0) != 0))
		return (true);
	counter_u64_add(mtrace_filtered, 1);
	return (false);
}

/* Finished traces, from the tag free routine to the emit task. */
static struct mtx mtrace_queue_mtx;
MTX_SYSINIT(mbuf_trace_queue, &mtrace_queue_mtx, "mbuf_trace queue", MTX_DEF);
static STAILQ_HEAD(, mtrace) mtrace_queue =
    STAILQ_HEAD_INITIALIZER(mtrace_queue);
static u_int mtrace_queued;

static struct taskqueue *mtrace_tq;
static struct task mtrace_task;
/*
 * The one frame buffer, MTRACE_FRAME_MAX bytes.  Only mtrace_emit() uses it,
 * and mtrace_tq runs that task on a single thread, so it takes no lock.
 */
static u_char *mtrace_frame;

static void mtrace_tag_free(struct m_tag *);

static uint64_t
mtrace_now(void)
{
	struct timespec ts;

	nanouptime(&ts);
	return ((uint64_t)ts.tv_sec * 1000000000 + ts.tv_nsec);
}

static u_int
mtrace_cap(const struct mtrace *mt)
{

	return (mt->mt_tag.m_tag_len - MTRACE_HDRLEN);
}

/* The bytes a FATE record's detail takes in the store. */
static size_t
mtrace_fate_detail_size(u_int how, size_t textlen)
{

	switch (how) {
	case MTRACE_FD_STATIC:
		return (sizeof(const char *));
	case MTRACE_FD_COPY:
	case MTRACE_FD_IFP:
		return (textlen + 1);
	case MTRACE_FD_SOCKET:
	case MTRACE_FD_SOCKET6:
		return (sizeof(struct mtrace_endpoint));
	default:
		return (0);
	}
}

static size_t
mtrace_rec_size(const struct mtrace_rec *r)
{
	size_t len;

	len = r->mr_event == MTRACE_STR_POS ? sizeof(const char *) : 0;
	switch (r->mr_type) {
	case MTRACE_REC_STRING:
		len += sizeof(const char *);
		break;
	case MTRACE_REC_LOCATION:
		len = sizeof(struct mtrace_loc);
		break;
	case MTRACE_REC_TIME:
		len = sizeof(uint64_t);
		break;
	case MTRACE_REC_STRING_DYNAMIC:
		len += r->mr_len + 1;
		break;
	case MTRACE_REC_DATA:
	case MTRACE_REC_DATA_L3:
		len = MTRACE_SNAP_HDRLEN + r->mr_len;
		break;
	case MTRACE_REC_FATE:
		len = MTRACE_FATE_STORED + mtrace_fate_detail_size(
		    MTRACE_FATE_HOW(r), r->mr_len);
		break;
	default:
		len = r->mr_len;
		break;
	}
	return (sizeof(*r) + roundup2(len, MTRACE_ALIGN));
}

/*
 * A packet's trace tag t as a trace that takes records.  A tag copied by
 * m_tag_copy() comes with m_tag_free_default() as its free routine; the
 * first call that finds such a copy makes it emit too.
 */
static __inline struct mtrace *
mtrace_adopt(struct m_tag *t)
{

	if (__predict_false(t->m_tag_free != mtrace_tag_free)) {
		t->m_tag_free = mtrace_tag_free;
		counter_u64_add(mtrace_copies, 1);
	}
	return ((struct mtrace *)t);
}

/* The trace on m, or NULL. */
static __inline struct mtrace *
mtrace_lookup(struct mbuf *m)
{
	struct m_tag *t;

	return ((t = mtrace_tag(m)) != NULL ? mtrace_adopt(t) : NULL);
}

/*
 * m's trace tag: t, which the caller found with mtrace_tag() (the macros
 * do), or, when t is NULL, the one looked for now; NULL if m has none.
 */
static __inline struct m_tag *
mtrace_found(struct mbuf *m, struct m_tag *t)
{

	KASSERT(t == NULL || t == mtrace_tag(m),
	    ("%s: tag %p is not the trace of mbuf %p", __func__, t, m));
	return (t != NULL ? t : mtrace_tag(m));
}

static void
mtrace_lose(struct mtrace *mt)
{

	mt->mt_lost++;
	counter_u64_add(mtrace_records_lost, 1);
}

/*
 * Replace the trace on m by a copy with room for need more bytes.  The old
 * tag is freed with the default routine: it is not a finished trace.
 */
static struct mtrace *
mtrace_grow(struct mbuf *m, struct mtrace *mt, size_t need)
{
	struct mtrace *nmt;
	struct m_tag *t;
	size_t cap, limit, want;

	limit = rounddown2(atomic_load_int(&mtrace_trace_max), MTRACE_ALIGN);
	want = mt->mt_used + need;
	if (want > limit)
		return (NULL);
	cap = MIN(MAX(2 * mtrace_cap(mt), want), limit);
	t = m_tag_alloc(MTAG_MBUF_TRACE, MTAG_MBUF_TRACE_TRACE,
	    MTRACE_HDRLEN + cap, M_NOWAIT);
	if (t == NULL) {
		counter_u64_add(mtrace_grow_failed, 1);
		return (NULL);
	}
	nmt = (struct mtrace *)t;
	memcpy(&nmt->mt_tag + 1, &mt->mt_tag + 1, MTRACE_HDRLEN + mt->mt_used);
	t->m_tag_free = mtrace_tag_free;
	m_tag_unlink(m, &mt->mt_tag);
	m_tag_free_default(&mt->mt_tag);
	m_tag_prepend(m, t);
	return (nmt);
}

/* The bytes a record of payload bytes takes, with its TIME record if stamp. */
static size_t
mtrace_need(bool stamp, size_t payload)
{

	return ((stamp ? MTRACE_TIME_SIZE : 0) + sizeof(struct mtrace_rec) +
	    roundup2(payload, MTRACE_ALIGN));
}

/*
 * Make sure the trace on m has need free bytes at its end, growing it if it
 * must.  Returns false after counting the record lost.  *mtp follows the
 * trace if it had to grow.
 */
static __inline bool
mtrace_reserve(struct mbuf *m, struct mtrace **mtp, size_t need)
{
	struct mtrace *mt;

	mt = *mtp;
	if (__predict_false(mt->mt_used + need > mtrace_cap(mt))) {
		if ((mt = mtrace_grow(m, mt, need)) == NULL) {
			mtrace_lose(*mtp);
			return (false);
		}
		*mtp = mt;
	}
	return (true);
}

/*
 * Append a record of the given type with payload bytes of storage to a trace
 * that has room for it, preceded by a TIME record if stamp.  Returns the
 * record with its type set; the payload, which follows it, is left as it
 * is.
 */
static __inline struct mtrace_rec *
mtrace_commit(struct mtrace *mt, bool stamp, int type, size_t payload)
{
	struct mtrace_rec *r;

	KASSERT(mt->mt_used + mtrace_need(stamp, payload) <= mtrace_cap(mt),
	    ("%s: %zu bytes do not fit in trace %p", __func__, payload, mt));
	if (stamp) {
		r = (struct mtrace_rec *)&mt->mt_recs[mt->mt_used];
		*r = (struct mtrace_rec) { .mr_type = MTRACE_REC_TIME };
		*(uint64_t *)(r + 1) = mtrace_now() - mt->mt_start;
		mt->mt_used += MTRACE_TIME_SIZE;
	}
	r = (struct mtrace_rec *)&mt->mt_recs[mt->mt_used];
	*r = (struct mtrace_rec) { .mr_type = type };
	mt->mt_used += sizeof(*r) + roundup2(payload, MTRACE_ALIGN);
	return (r);
}

/*
 * Append a record with payload bytes of storage, preceded by a TIME record
 * when timestamps are on.  Returns the record with its type set, or NULL
 * after counting it lost.  *mtp follows the trace if it had to grow.
 */
static __inline struct mtrace_rec *
mtrace_append(struct mbuf *m, struct mtrace **mtp, int type, size_t payload)
{
	bool stamp;

	stamp = atomic_load_int(&mtrace_timestamps) != 0;
	if (!mtrace_reserve(m, mtp, mtrace_need(stamp, payload)))
		return (NULL);
	return (mtrace_commit(*mtp, stamp, type, payload));
}

/* The MTRACE_SNAP_IP* bit of an ethertype, or 0. */
static __inline u_int
mtrace_snap_ip(int proto)
{

	return (proto == ETHERTYPE_IP ? MTRACE_SNAP_IP4 :
	    proto == ETHERTYPE_IPV6 ? MTRACE_SNAP_IP6 : 0);
}

/*
 * Start a trace on m, which a source chose and the filter passed, for the
 * listener ifid; its bytes begin as proto says.  Returns the trace, or NULL.
 */
static struct mtrace *
mtrace_begin(struct mbuf *m, uint32_t ifid, int proto)
{
	struct mtrace *mt;
	struct m_tag *t;
	u_int cap;

	cap = min(MTRACE_INITIAL,
	    rounddown2(atomic_load_int(&mtrace_trace_max), MTRACE_ALIGN));
	t = m_tag_alloc(MTAG_MBUF_TRACE, MTAG_MBUF_TRACE_TRACE,
	    MTRACE_HDRLEN + cap, M_NOWAIT);
	if (t == NULL) {
		counter_u64_add(mtrace_dropped_nomem, 1);
		return (NULL);
	}
	mt = (struct mtrace *)t;
	mt->mt_start = mtrace_now();
	mt->mt_ifid = ifid;
	mt->mt_lost = 0;
	mt->mt_used = 0;
	mt->mt_fate = 0;
	mt->mt_drop_snap = proto == 0 ? MTRACE_SNAP_IP4 | MTRACE_SNAP_IP6 :
	    mtrace_snap_ip(proto);
	mt->mt_free_flags = 0;
	mt->mt_free_depth = 0;
	t->m_tag_free = mtrace_tag_free;
	m_tag_prepend(m, t);
	counter_u64_add(mtrace_started, 1);
	return (mt);
}

/*
 * May a source's choice start m's trace, its bytes beginning as proto
 * says?  m must be a packet and untraced (starting a traced packet again
 * continues its trace), tracing enabled and the filter passing m.  Inline
 * in each start routine, so that a packet the filter rejects costs the
 * filter's program and a few tests, not the call and the saved registers
 * of mtrace_start_at().
 */
static __inline bool
mtrace_may_start(struct mbuf *m, int proto)
{

	return (m != NULL && (m->m_flags & M_PKTHDR) != 0 &&
	    atomic_load_int(&mtrace_enable) != 0 && mtrace_lookup(m) == NULL &&
	    mtrace_filter_pass(m, proto));
}

/* The ethertype of the IP header m begins with, by its version, or 0. */
static int
mtrace_ip_version(const struct mbuf *m)
{
	u_char v;

	if (m->m_len == 0)
		return (0);
	v = *mtod(m, const u_char *) >> 4;
	return (v == 4 ? ETHERTYPE_IP : v == 6 ? ETHERTYPE_IPV6 : 0);
}

/*
 * Start the trace of m, which mtrace_may_start() let through: at a start
 * point whose packet a source chose (why NULL), or where a source chose it
 * (why says which).  A packet chosen there starts where no trace point
 * records it (after a PCB lookup, in pf, in a netgraph node): its trace
 * begins with why, so that it shows who chose it, and with a snapshot when
 * snap says the bytes are as on the wire there.
 */
static void
mtrace_start_at(struct mbuf *m, int proto, const char *why, bool snap)
{
	uint32_t ifid;

	/* The listener lookup needs the epoch; the stack's paths hold it. */
	NET_EPOCH_ASSERT();
	if ((ifid = mbuf_trace_if_listener()) == 0 ||
	    mtrace_begin(m, ifid, proto) == NULL || why == NULL)
		return;
	mbuf_trace_string(m, NULL, __FILE__, __LINE__, why, strlen(why));
	if (!snap)
		return;
	if (proto == 0)
		proto = mtrace_ip_version(m);
	if (proto != 0)
		mbuf_trace_data(m, NULL, proto);
}

/*
 * A start point whose packet a source chose: start m's trace if
 * mtrace_may_start() lets it, which rejects most packets while start_points
 * is on and a filter is set.  Not inlined: its saved registers would be
 * saved before the packet is chosen.
 */
static __noinline void
mtrace_start_here(struct mbuf *m, int proto, const char *why)
{

	if (mtrace_may_start(m, proto))
		mtrace_start_at(m, proto, why, true);
}

/*
 * A start point.  The macro asked whether anybody listens anywhere; while
 * start_points is off, whether a source chooses the packet rejects most
 * packets, so it is asked here, in a function that makes no call and
 * saves no register until it has chosen.  The interface's groups need the
 * epoch, as the listener lookup does.
 */
void
mbuf_trace_start(struct mbuf *m, int proto, struct ifnet *ifp, bool chosen)
{

	NET_EPOCH_ASSERT();
	if (chosen)
		mtrace_start_here(m, proto, "start: chosen");
	else if (mtrace_chosen(ifp))
		mtrace_start_here(m, proto, NULL);
}

void
mbuf_trace_start_socket(struct mbuf *m, struct socket *so)
{

#ifdef SO_MTRACE
	/*
	 * No snapshot: where a socket chooses its packets, the stack holds
	 * them as the wire does not (tcp_input() has turned the TCP header to
	 * host order, ip_output() has not filled the IP header in yet).
	 */
	if (so != NULL && (so->so_options & SO_MTRACE) != 0 &&
	    mtrace_may_start(m, 0))
		mtrace_start_at(m, 0, "start: its socket has SO_MTRACE", false);
#endif
}

void
mbuf_trace_pf_tagged(struct mbuf *m, const char *tagname)
{
	const char *tag;

	if (tagname == NULL || atomic_load_int(&mbuf_trace_if_readers) == 0)
		return;
	NET_EPOCH_ASSERT();
	tag = atomic_load_ptr(&V_mtrace_pf_tag);
	if (tag != NULL && strcmp(tag, tagname) == 0 && mtrace_may_start(m, 0))
		mtrace_start_at(m, 0, "start: pf tagged it", true);
}

/*
 * An mtrace_*() call on an untraced packet while start_anywhere is on in
 * some VNET: start the trace if it is on in this one.  The call may come
 * from outside the network epoch.
 */
static struct mtrace *
mtrace_anywhere(struct mbuf *m, int proto)
{
	struct epoch_tracker et;
	struct mtrace *mt;
	uint32_t ifid;

	if (m == NULL || (m->m_flags & M_PKTHDR) == 0 ||
	    atomic_load_int(&mtrace_enable) == 0 ||
	    atomic_load_int(&mbuf_trace_if_readers) == 0)
		return (NULL);
	mt = NULL;
	NET_EPOCH_ENTER(et);
	if (atomic_load_int(&V_mtrace_start_anywhere) != 0 &&
	    mtrace_filter_pass(m, proto) &&
	    (ifid = mbuf_trace_if_listener()) != 0)
		mt = mtrace_begin(m, ifid, proto);
	NET_EPOCH_EXIT(et);
	return (mt);
}

/*
 * The trace a record goes to: t, m's trace if the caller found it, else the
 * one on m, or with start_anywhere a new one, started as at a start point
 * whose bytes begin as proto says.
 */
static __inline struct mtrace *
mtrace_get(struct mbuf *m, struct m_tag *t, int proto)
{

	if ((t = mtrace_found(m, t)) != NULL)
		return (mtrace_adopt(t));
	if (__predict_false(atomic_load_int(&mbuf_trace_anywhere) != 0))
		return (mtrace_anywhere(m, proto));
	return (NULL);
}

/*
 * A snapshot of m, whose bytes begin as ethertype says, into *mtp.  Until
 * the trace holds one, a drop takes one (mbuf_trace_fate()) of the IP
 * header m begins with, if its version is one the start point allowed
 * (mt_drop_snap).  The version is read at the drop: the bytes may have
 * changed since (ether_output() prepends a header before its snapshot).
 */
static __always_inline void
mtrace_snap(struct mbuf *m, struct mtrace **mtp, int ethertype)
{
	struct mtrace_rec *r;
	u_int len, pktlen;

	pktlen = m_length(m, NULL);
	/* min(), not MIN(): the limit is read once, a sysctl may change it. */
	len = min(pktlen, atomic_load_int(&mtrace_snap_max));
	r = mtrace_append(m, mtp,
	    ethertype == MTRACE_L2 ? MTRACE_REC_DATA : MTRACE_REC_DATA_L3,
	    MTRACE_SNAP_HDRLEN + len);
	if (r == NULL)
		return;
	(*mtp)->mt_drop_snap = 0;
	r->mr_len = len;
	r->mr_arg = ethertype & 0xffff;
	*(uint32_t *)(r + 1) = pktlen;
	m_copydata(m, 0, len, (caddr_t)(r + 1) + MTRACE_SNAP_HDRLEN);
}

void
mbuf_trace_data(struct mbuf *m, struct m_tag *t, int ethertype)
{
	struct mtrace *mt;

	if ((mt = mtrace_get(m, t, ethertype)) != NULL)
		mtrace_snap(m, &mt, ethertype);
}

/*
 * With source_position, a string record's payload begins with the file of
 * its call and mr_arg holds the line: the bytes the file takes, and the
 * writing of both.
 */
static __inline size_t
mtrace_position_len(void)
{

	return (atomic_load_int(&V_mtrace_source_position) != 0 ?
	    sizeof(const char *) : 0);
}

static __inline void
mtrace_position_set(struct mtrace_rec *r, size_t pos, const char *file,
    int line)
{

	if (pos == 0)
		return;
	r->mr_event = MTRACE_STR_POS;
	r->mr_arg = line;
	*(const char **)(r + 1) = file;
}

/*
 * Records whose payload is one or two pointers to text that stays: a
 * static string (its file first with source_position) and a location (a
 * struct mtrace_loc).  They are most of a trace, so appending one costs the
 * least: while the trace is the packet's own, has room and no TIME record
 * is due, no call; otherwise a tail call given all it writes.  Neither path
 * saves a register.  t is m's trace as the caller found it, or NULL (the
 * slow path looks); head gives the record's type, event, length and
 * argument, and says how many pointers follow.
 */
static __inline size_t
mtrace_pointers_len(const struct mtrace_rec *head)
{

	return (head->mr_type == MTRACE_REC_LOCATION ||
	    head->mr_event == MTRACE_STR_POS ? 2 * sizeof(char *) :
	    sizeof(char *));
}

static __inline void
mtrace_pointers_put(struct mtrace_rec *r, const struct mtrace_rec *head,
    const char *p0, const char *p1)
{
	const char **p;

	r->mr_event = head->mr_event;
	r->mr_len = head->mr_len;
	r->mr_arg = head->mr_arg;
	p = (const char **)(r + 1);
	p[0] = p0;
	if (mtrace_pointers_len(head) > sizeof(p0))
		p[1] = p1;
}

static __noinline void
mtrace_pointers_slow(struct mbuf *m, struct m_tag *t, struct mtrace_rec head,
    const char *p0, const char *p1)
{
	struct mtrace *mt;
	struct mtrace_rec *r;

	if ((mt = mtrace_get(m, t, 0)) != NULL &&
	    (r = mtrace_append(m, &mt, head.mr_type,
	    mtrace_pointers_len(&head))) != NULL)
		mtrace_pointers_put(r, &head, p0, p1);
}

static __always_inline void
mtrace_pointers(struct mbuf *m, struct m_tag *t, struct mtrace_rec head,
    const char *p0, const char *p1)
{
	struct mtrace *mt;
	size_t len;

	len = mtrace_pointers_len(&head);
	mt = (struct mtrace *)t;
	if (__predict_false(t == NULL || t->m_tag_free != mtrace_tag_free ||
	    atomic_load_int(&mtrace_timestamps) != 0 ||
	    mt->mt_used + mtrace_need(false, len) > mtrace_cap(mt))) {
		mtrace_pointers_slow(m, t, head, p0, p1);
		return;
	}
	mtrace_pointers_put(mtrace_commit(mt, false, head.mr_type, len), &head,
	    p0, p1);
}

void
mbuf_trace_string_copy(struct mbuf *m, struct m_tag *t, const char *file,
    int line, const char *s, size_t len)
{
	struct mtrace *mt;
	struct mtrace_rec *r;
	size_t pos;
	char *text;

	if ((mt = mtrace_get(m, t, 0)) == NULL)
		return;
	if (len > UINT16_MAX) {
		mtrace_lose(mt);
		return;
	}
	pos = mtrace_position_len();
	r = mtrace_append(m, &mt, MTRACE_REC_STRING_DYNAMIC, pos + len + 1);
	if (r == NULL)
		return;
	text = (char *)(r + 1) + pos;
	memcpy(text, s, len);
	text[len] = '\0';
	r->mr_len = len;
	mtrace_position_set(r, pos, file, line);
}

void
mbuf_trace_string(struct mbuf *m, struct m_tag *t, const char *file, int line,
    const char *s, size_t len)
{
	struct mtrace_rec head;

	/* A string too long to record is counted lost there. */
	if (__predict_false(len > UINT16_MAX)) {
		mbuf_trace_string_copy(m, t, file, line, s, len);
		return;
	}
	head = (struct mtrace_rec){ .mr_type = MTRACE_REC_STRING,
	    .mr_len = len };
	if (mtrace_position_len() != 0) {
		head.mr_event = MTRACE_STR_POS;
		head.mr_arg = line;
		mtrace_pointers(m, t, head, file, s);
	} else
		mtrace_pointers(m, t, head, s, NULL);
}

/*
 * The text is formatted once, straight into the free end of the trace where
 * its record's payload goes.  Only a text that does not fit there is
 * formatted again, after the trace has grown to hold it.
 */
void
mbuf_trace_printf(struct mbuf *m, struct m_tag *t, const char *file, int line,
    const char *fmt, ...)
{
	struct mtrace *mt;
	struct mtrace_rec *r;
	va_list ap;
	size_t head, pos, room;
	char *text;
	int len;
	bool stamp;

	if ((mt = mtrace_get(m, t, 0)) == NULL)
		return;
	stamp = atomic_load_int(&mtrace_timestamps) != 0;
	pos = mtrace_position_len();
	head = mtrace_need(stamp, 0) + pos;
	room = mtrace_cap(mt) - mt->mt_used;
	room = room > head ? room - head : 0;
	text = room > 0 ? (char *)&mt->mt_recs[mt->mt_used + head] : NULL;
	va_start(ap, fmt);
	len = vsnprintf(text, room, fmt, ap);
	va_end(ap);
	if (len < 0 || len > UINT16_MAX) {
		mtrace_lose(mt);
		return;
	}
	if ((size_t)len >= room) {
		/* Cut short, or not written at all: grow, then format again. */
		if (!mtrace_reserve(m, &mt, mtrace_need(stamp, pos + len + 1)))
			return;
		text = (char *)&mt->mt_recs[mt->mt_used + head];
		va_start(ap, fmt);
		vsnprintf(text, len + 1, fmt, ap);
		va_end(ap);
	}
	r = mtrace_commit(mt, stamp, MTRACE_REC_STRING_DYNAMIC, pos + len + 1);
	r->mr_len = len;
	mtrace_position_set(r, pos, file, line);
}

void
mbuf_trace_location(struct mbuf *m, struct m_tag *t, int event,
    const char *file, int line, const char *func)
{

	mtrace_pointers(m, t, (struct mtrace_rec){
	    .mr_type = MTRACE_REC_LOCATION, .mr_event = event, .mr_arg = line },
	    file, func);
}

/*
 * A socket's endpoints, from its connection info (struct in_conninfo) and
 * whether it is an IPv6 socket.
 */
static void
mtrace_endpoint(struct mtrace_endpoint *e, const struct in_conninfo *inc,
    bool v6, u_int proto)
{

	memset(e, 0, sizeof(*e));
	e->me_proto = proto;
	e->me_lport = inc->inc_lport;
	e->me_fport = inc->inc_fport;
	if (v6) {
		e->me_v6 = 1;
		memcpy(e->me_laddr, &inc->inc6_laddr, 16);
		memcpy(e->me_faddr, &inc->inc6_faddr, 16);
	} else {
		memcpy(e->me_laddr, &inc->inc_laddr, 4);
		memcpy(e->me_faddr, &inc->inc_faddr, 4);
	}
}

/*
 * What became of the packet: rf is MTRACE_RF(reason), how says what p is
 * (MTRACE_FD_*).  Once per trace, or a few times: the detail is copied
 * here, and only a socket's endpoints are made into text later.  A fate of
 * SENT ends the trace: the driver frees the packet when it pleases.
 */
void
mbuf_trace_fate(struct mbuf *m, struct m_tag *t, uint32_t rf, int how,
    uint32_t value, const void *p)
{
	struct mtrace *mt;
	struct mtrace_rec *r;
	const char *text;
	size_t len;
	u_char *d;
	int proto;

	if ((mt = mtrace_get(m, t, 0)) == NULL)
		return;
	if (((rf & MTRACE_RF_DEFAULT) != 0 &&
	    mt->mt_fate == MTRACE_FATE_DROPPED) ||
	    ((rf & MTRACE_RF_UNSAID) != 0 && mt->mt_fate != 0))
		return;
	rf &= ~(MTRACE_RF_DEFAULT | MTRACE_RF_UNSAID);
	/*
	 * A packet dropped before any snapshot (one sent by this host that
	 * dies in ip_output(), say) shows its bytes: the IP header it begins
	 * with, where the start point said IP or nothing.
	 */
	if ((rf >> 16) == MTRACE_FATE_DROPPED && mt->mt_drop_snap != 0 &&
	    (mt->mt_drop_snap &
	    mtrace_snap_ip(proto = mtrace_ip_version(m))) != 0)
		mtrace_snap(m, &mt, proto);
	text = NULL;
	len = 0;
	if (how == MTRACE_FD_COPY && p != NULL)
		text = p;
	else if (how == MTRACE_FD_IFP)
		text = if_name(__DECONST(struct ifnet *, p));
	if (text != NULL)
		len = strnlen(text, MTRACE_FATE_TEXT);
	r = mtrace_append(m, &mt, MTRACE_REC_FATE,
	    MTRACE_FATE_STORED + mtrace_fate_detail_size(how, len));
	if (r != NULL) {
		mt->mt_fate = rf >> 16;
		r->mr_event = rf >> 16;
		r->mr_arg = (rf & 0xffff) | (uint32_t)how << 16;
		r->mr_len = len;
		d = (u_char *)(r + 1);
		*(uint32_t *)d = value;
		d += MTRACE_FATE_STORED;
		if (how == MTRACE_FD_STATIC)
			*(const void **)d = p;
		else if (how == MTRACE_FD_SOCKET || how == MTRACE_FD_SOCKET6)
			mtrace_endpoint((struct mtrace_endpoint *)d, p,
			    how == MTRACE_FD_SOCKET6, value);
		else if (text != NULL) {
			memcpy(d, text, len);
			d[len] = '\0';
		}
	}
	if ((rf >> 16) == MTRACE_FATE_SENT)
		m_tag_delete(m, &mt->mt_tag);
}

/*
 * The packet goes where the trace cannot follow (a driver's transmit ring,
 * freed when the driver pleases): take the trace off it and emit it now.
 * The packet goes on untraced; a later mtrace_start() begins a new trace.
 */
void
mbuf_trace_end(struct mbuf *m, struct m_tag *t)
{

	if ((t = mtrace_found(m, t)) == NULL)
		return;
	m_tag_delete(m, &mtrace_adopt(t)->mt_tag);
}

/*
 * Where the trace ends, in the tag's free routine: the call stack (with
 * frame pointers, which DDB kernels keep) and the thread.  The stack holds
 * the mbuf and tag code's frames too; the emit task leaves them out.
 */
static void
mtrace_free_site(struct mtrace *mt)
{
	struct thread *td;
#ifdef DDB
	struct stack st;
	int i;

	stack_save(&st);
	mt->mt_free_depth = MIN(st.depth, MTRACE_FREE_PCS);
	for (i = 0; i < mt->mt_free_depth; i++)
		mt->mt_free_pcs[i] = st.pcs[i];
#endif
	td = curthread;
	mt->mt_free_pid = td->td_proc->p_pid;
	mt->mt_free_flags = MTRACE_FREE_KEPT |
	    ((td->td_proc->p_flag & P_SYSTEM) == 0 ? MTRACE_FREE_USER : 0);
	memcpy(mt->mt_free_thread, td->td_name, sizeof(mt->mt_free_thread));
}

/*
 * The tag's free routine, called wherever the packet is freed: queue the
 * trace for the emit task, or drop it when queue_max traces wait already.
 */
static void
mtrace_tag_free(struct m_tag *t)
{
	struct mtrace *mt = (struct mtrace *)t;

	KASSERT(t->m_tag_cookie == MTAG_MBUF_TRACE &&
	    t->m_tag_id == MTAG_MBUF_TRACE_TRACE,
	    ("%s: tag %p is not a trace", __func__, t));
	if (atomic_load_int(&mtrace_free_site_on) != 0)
		mtrace_free_site(mt);
	mtx_lock(&mtrace_queue_mtx);
	if (mtrace_queued >= atomic_load_int(&mtrace_queue_max)) {
		mtx_unlock(&mtrace_queue_mtx);
		counter_u64_add(mtrace_dropped_queue_full, 1);
		m_tag_free_default(t);
		return;
	}
	STAILQ_INSERT_TAIL(&mtrace_queue, mt, mt_queue);
	mtrace_queued++;
	mtx_unlock(&mtrace_queue_mtx);
	taskqueue_enqueue(mtrace_tq, &mtrace_task);
}

/*
 * The path of a source file from the top of the source tree, the way
 * people quote it: "sys/netinet/ip_input.c".  Kernel builds spell __FILE__
 * "/usr/src/sys/netinet/ip_input.c" (buildkernel, modules, reproducible
 * builds) or "../../../netinet/ip_input.c" (a kernel configured and built
 * in sys/<arch>/compile/<conf>, where S is ../../..).  A path that starts
 * with "../" is relative to sys/: its leading "../" and "./" are dropped and
 * "sys/" goes in front.  Any other path starts at its first component named
 * "sys"; a path without one stays as it is.
 */
static const char *
mtrace_srcpath(const char *file, const char **prefix)
{
	const char *p;

	*prefix = "";
	if (strncmp(file, "../", 3) == 0) {
		for (;;) {
			if (strncmp(file, "../", 3) == 0)
				file += 3;
			else if (strncmp(file, "./", 2) == 0)
				file += 2;
			else
				break;
		}
		*prefix = "sys/";
		return (file);
	}
	/* Every record's path goes through here: no call per component. */
	for (p = file; *p != '\0'; p++) {
		if ((p == file || p[-1] == '/') && p[0] == 's' &&
		    p[1] == 'y' && p[2] == 's' && p[3] == '/')
			return (p);
	}
	return (file);
}

/*
 * Text made into a buffer the way snprintf() makes it: as much as fits, a
 * NUL after it, and the length the whole text would have.  Location records
 * are the most common records and every one is formatted when its trace is
 * serialised; copying their parts costs a tenth of a printf(9) format.
 */
struct mtrace_text {
	char	*mx_buf;
	size_t	 mx_size;
	size_t	 mx_len;
};

static void
mtrace_text_cat(struct mtrace_text *x, const char *s, size_t len)
{

	if (x->mx_len < x->mx_size)
		memcpy(x->mx_buf + x->mx_len, s,
		    MIN(len, x->mx_size - x->mx_len));
	x->mx_len += len;
}

static void
mtrace_text_uint(struct mtrace_text *x, u_int val)
{
	char digits[10];
	size_t i;

	i = sizeof(digits);
	do {
		digits[--i] = (char)('0' + val % 10);
		val /= 10;
	} while (val != 0);
	mtrace_text_cat(x, digits + i, sizeof(digits) - i);
}

/* Is an address of an endpoint (4 bytes, 16 for IPv6) unspecified? */
static bool
mtrace_addr_any(const uint8_t *addr, bool v6)
{
	static const uint8_t any[16];

	return (memcmp(addr, any, v6 ? 16 : 4) == 0);
}

/* "ADDR:PORT", "[ADDR]:PORT" for IPv6, "*:PORT" for an unspecified address. */
static void
mtrace_text_addr(struct mtrace_text *x, bool v6, const uint8_t *addr,
    uint16_t port)
{
	char text[INET6_ADDRSTRLEN];

	if (mtrace_addr_any(addr, v6))
		mtrace_text_cat(x, "*", 1);
	else {
		inet_ntop(v6 ? AF_INET6 : AF_INET, addr, text, sizeof(text));
		if (v6)
			mtrace_text_cat(x, "[", 1);
		mtrace_text_cat(x, text, strlen(text));
		if (v6)
			mtrace_text_cat(x, "]", 1);
	}
	mtrace_text_cat(x, ":", 1);
	mtrace_text_uint(x, ntohs(port));
}

/* "FILE:LINE", the file as mtrace_srcpath() shortens it. */
static void
mtrace_text_position(struct mtrace_text *x, const char *file, u_int line)
{
	const char *path, *prefix;

	path = mtrace_srcpath(file, &prefix);
	mtrace_text_cat(x, prefix, strlen(prefix));
	mtrace_text_cat(x, path, strlen(path));
	mtrace_text_cat(x, ":", 1);
	mtrace_text_uint(x, line);
}

/*
 * The text of a string record: its text, after "FILE:LINE: " if it was
 * recorded with source_position.  No NUL.
 */
static void
mtrace_text_string(struct mtrace_text *x, const struct mtrace_rec *r)
{
	const char *p, *text;

	p = (const char *)(r + 1);
	if (r->mr_event == MTRACE_STR_POS) {
		mtrace_text_position(x, *(const char *const *)p, r->mr_arg);
		mtrace_text_cat(x, ": ", 2);
		p += sizeof(const char *);
	}
	text = r->mr_type == MTRACE_REC_STRING ? *(const char *const *)p : p;
	mtrace_text_cat(x, text, r->mr_len);
}

/* The text of a location record, as snprintf() would return it. */
static int
mtrace_format_location(const struct mtrace_rec *r, char *buf, size_t size)
{
	static const char sign[] = {
		[MTRACE_EV_ENTER] = '+',
		[MTRACE_EV_LEAVE] = '-',
		[MTRACE_EV_MARK] = '\0',
	};
	const struct mtrace_loc *loc = (const struct mtrace_loc *)(r + 1);
	struct mtrace_text x = { buf, size, 0 };
	u_int ev;

	mtrace_text_position(&x, loc->ml_file, r->mr_arg);
	ev = r->mr_event;
	if (ev != MTRACE_EV_LOCATION && ev < nitems(sign) &&
	    loc->ml_func != NULL) {
		mtrace_text_cat(&x, ": ", 2);
		if (sign[ev] != '\0')
			mtrace_text_cat(&x, &sign[ev], 1);
		mtrace_text_cat(&x, loc->ml_func, strlen(loc->ml_func));
	}
	if (size > 0)
		buf[MIN(x.mx_len, size - 1)] = '\0';
	return ((int)x.mx_len);
}

/* "udp 192.0.2.1:7002 < 192.0.2.2:5353": a socket, as sockstat says it. */
static void
mtrace_text_endpoint(struct mtrace_text *x, const struct mtrace_endpoint *e)
{

	switch (e->me_proto) {
	case IPPROTO_TCP:
		mtrace_text_cat(x, "tcp ", 4);
		break;
	case IPPROTO_UDP:
		mtrace_text_cat(x, "udp ", 4);
		break;
	default:
		mtrace_text_cat(x, "proto ", 6);
		mtrace_text_uint(x, e->me_proto);
		mtrace_text_cat(x, " ", 1);
		break;
	}
	mtrace_text_addr(x, e->me_v6, e->me_laddr, e->me_lport);
	if (e->me_fport == 0 && mtrace_addr_any(e->me_faddr, e->me_v6))
		return;
	mtrace_text_cat(x, " < ", 3);
	mtrace_text_addr(x, e->me_v6, e->me_faddr, e->me_fport);
}

/* The text of a FATE record's detail. */
static void
mtrace_text_fate(struct mtrace_text *x, const struct mtrace_rec *r)
{
	const u_char *d;
	const char *s;

	d = (const u_char *)(r + 1) + MTRACE_FATE_STORED;
	switch (MTRACE_FATE_HOW(r)) {
	case MTRACE_FD_STATIC:
		s = *(const char *const *)d;
		if (s != NULL)
			mtrace_text_cat(x, s, strlen(s));
		break;
	case MTRACE_FD_COPY:
	case MTRACE_FD_IFP:
		mtrace_text_cat(x, (const char *)d, r->mr_len);
		break;
	case MTRACE_FD_SOCKET:
	case MTRACE_FD_SOCKET6:
		mtrace_text_endpoint(x, (const struct mtrace_endpoint *)d);
		break;
	}
}

/*
 * Write record r in wire format to dst, which has room bytes: one record,
 * or a cut snapshot and its CUT record, *nrec says.  Returns the bytes
 * written, or 0 if they do not fit.
 */
static u_int
mtrace_put(const struct mtrace_rec *r, u_char *dst, u_int room, u_int *nrec)
{
	const void *payload = r + 1;
	u_char *out = dst + MTRACE_RECORD_HDRLEN;
	struct mtrace_text x;
	u_int cut, hdr, len, pktlen, type;
	int n;

	if (room < MTRACE_RECORD_HDRLEN)
		return (0);
	room -= MTRACE_RECORD_HDRLEN;
	cut = 0;
	type = r->mr_type;
	switch (type) {
	case MTRACE_REC_LOCATION:
		/* snprintf() wants room for its NUL, which is not sent. */
		n = mtrace_format_location(r, (char *)out, room);
		if (n < 0 || (u_int)n >= room || n > UINT16_MAX)
			return (0);
		len = n;
		type = MTRACE_REC_STRING;
		break;
	case MTRACE_REC_STRING:
	case MTRACE_REC_STRING_DYNAMIC:
		x = (struct mtrace_text) { (char *)out, room, 0 };
		mtrace_text_string(&x, r);
		if (x.mx_len > room || x.mx_len > UINT16_MAX)
			return (0);
		len = x.mx_len;
		break;
	case MTRACE_REC_TIME:
		len = MTRACE_TIME_LEN;
		if (len > room)
			return (0);
		be64enc(out, *(const uint64_t *)payload);
		break;
	case MTRACE_REC_FATE:
		if (room < MTRACE_FATE_HDRLEN)
			return (0);
		x = (struct mtrace_text) { (char *)out + MTRACE_FATE_HDRLEN,
		    room - MTRACE_FATE_HDRLEN, 0 };
		mtrace_text_fate(&x, r);
		len = MTRACE_FATE_HDRLEN + x.mx_len;
		if (len > room || len > UINT16_MAX)
			return (0);
		out[0] = r->mr_event;
		out[1] = MTRACE_FATE_HOW(r) != MTRACE_FD_NONE &&
		    MTRACE_FATE_HOW(r) != MTRACE_FD_STATIC &&
		    MTRACE_FATE_HOW(r) != MTRACE_FD_IFP ? MTRACE_FATE_VALUE : 0;
		be16enc(out + 2, MTRACE_FATE_REASON(r));
		be32enc(out + 4, *(const uint32_t *)payload);
		break;
	case MTRACE_REC_DATA:
	case MTRACE_REC_DATA_L3:
		hdr = type == MTRACE_REC_DATA_L3 ? MTRACE_DATA_L3_HDRLEN : 0;
		len = hdr + r->mr_len;
		pktlen = *(const uint32_t *)payload;
		if (pktlen > r->mr_len)
			cut = MTRACE_CUT_SIZE;
		if (len + cut > room)
			return (0);
		if (hdr != 0)
			be16enc(out, r->mr_arg);
		memcpy(out + hdr, (const u_char *)payload + MTRACE_SNAP_HDRLEN,
		    r->mr_len);
		/* Cut at snap_max: the CUT record after it tells how long. */
		if (cut != 0) {
			be16enc(out + len, MTRACE_CUT_LEN);
			be16enc(out + len + 2, MTRACE_REC_CUT);
			be32enc(out + len + MTRACE_RECORD_HDRLEN, pktlen);
		}
		break;
	default:
		len = r->mr_len;
		if (len > room)
			return (0);
		memcpy(out, payload, len);
		break;
	}
	be16enc(dst, len);
	be16enc(dst + 2, type);
	*nrec = cut != 0 ? 2 : 1;
	return (MTRACE_RECORD_HDRLEN + len + cut);
}

/*
 * The symbols of the free sites' return addresses.
 * linker_search_symbol_name() scans the kernel's symbol table, and a free
 * site's frames are mostly the same few dozen functions, so the emit task
 * keeps what it found in a hash table (open addressing, linear probing),
 * emptied when a module is unloaded (its addresses may then name other
 * code) and when it is half full (so that a probe stays short).  A
 * direct-mapped cache would look two frames of one site up again for every
 * trace whenever their addresses shared a slot.
 */
#define	MTRACE_SYMS		256
#define	MTRACE_SYMLEN		48

struct mtrace_sym {
	uintptr_t	ms_pc;
	long		ms_off;
	bool		ms_skip;	/* freeing code's, or nameless */
	char		ms_name[MTRACE_SYMLEN];	/* "": none found */
};

static struct mtrace_sym *mtrace_syms;	/* only the emit task's */
static u_int mtrace_syms_used;		/* entries of mtrace_syms in use */
static u_int mtrace_syms_gen;		/* of mtrace_kld_gen, when filled */
static u_int mtrace_kld_gen;		/* bumped by every module unload */
static eventhandler_tag mtrace_kld_tag;

static void
mtrace_kld_unload(void *arg __unused, const char *name __unused,
    caddr_t address __unused, size_t size __unused)
{

	atomic_add_int(&mtrace_kld_gen, 1);
}

/*
 * Is a free site's innermost frame in the code that frees a packet or
 * deletes its tags, rather than in the code that decided to?
 */
static bool
mtrace_internal_frame(const char *name)
{
	static const char *const prefix[] = { "mtrace_", "mbuf_trace_",
	    "m_tag_", "mb_dtor_", "mb_free", "uma_", "item_", "zone_",
	    "cache_", "stack_" };
	static const char *const whole[] = { "m_free", "m_freem",
	    "m_freemp", "m_demote", "m_demote_pkthdr" };
	u_int i;

	for (i = 0; i < nitems(prefix); i++)
		if (strncmp(name, prefix[i], strlen(prefix[i])) == 0)
			return (true);
	for (i = 0; i < nitems(whole); i++)
		if (strcmp(name, whole[i]) == 0)
			return (true);
	return (false);
}

static const struct mtrace_sym *
mtrace_symbol(uintptr_t pc)
{
	struct mtrace_sym *ms;
	u_int gen, i;

	gen = atomic_load_int(&mtrace_kld_gen);
	if (gen != mtrace_syms_gen || mtrace_syms_used >= MTRACE_SYMS / 2) {
		memset(mtrace_syms, 0, MTRACE_SYMS * sizeof(*mtrace_syms));
		mtrace_syms_used = 0;
		mtrace_syms_gen = gen;
	}
	/* At most half full: the probe meets pc or an empty entry. */
	for (i = pc ^ pc >> 10;; i++) {
		ms = &mtrace_syms[i % MTRACE_SYMS];
		if (ms->ms_pc == pc)
			return (ms);
		if (ms->ms_pc == 0)
			break;
	}
	mtrace_syms_used++;
	ms->ms_pc = pc;
	if (linker_search_symbol_name((caddr_t)pc, ms->ms_name,
	    sizeof(ms->ms_name), &ms->ms_off) != 0)
		ms->ms_name[0] = '\0';
	ms->ms_skip = ms->ms_name[0] == '\0' ||
	    mtrace_internal_frame(ms->ms_name);
	return (ms);
}

static void
mtrace_text_hex(struct mtrace_text *x, uintmax_t val)
{
	char digits[2 + 16];
	size_t i;

	i = sizeof(digits);
	do {
		digits[--i] = "0123456789abcdef"[val & 0xf];
		val >>= 4;
	} while (val != 0);
	digits[--i] = 'x';
	digits[--i] = '0';
	mtrace_text_cat(x, digits + i, sizeof(digits) - i);
}

/* The frames a FREE record names, and the bytes of text they may take. */
#define	MTRACE_FREE_FRAMES	6
#define	MTRACE_FREE_SIZE_MAX						\
	(MTRACE_RECORD_HDRLEN + MTRACE_FREE_HDRLEN + MTRACE_FREE_TEXTMAX)

/*
 * The FREE record of mt into dst, which has room for it: the free site's
 * frames from the first that is not the freeing code's, innermost first,
 * "func+0xoff < caller+0xoff < ...".  Returns the bytes written.
 */
static u_int
mtrace_put_free(const struct mtrace *mt, u_char *dst)
{
	const struct mtrace_sym *ms;
	u_char *out = dst + MTRACE_RECORD_HDRLEN;
	struct mtrace_text x;
	u_int fit, i, n;

	be32enc(out, mt->mt_free_pid);
	out[4] = mt->mt_free_flags & MTRACE_FREE_USER;
	out[5] = 0;
	memcpy(out + 6, mt->mt_free_thread, MTRACE_FREE_THREADLEN);
	out[6 + MTRACE_FREE_THREADLEN - 1] = '\0';
	x = (struct mtrace_text) { (char *)out + MTRACE_FREE_HDRLEN,
	    MTRACE_FREE_TEXTMAX, 0 };
	fit = n = 0;
	for (i = 0; i < mt->mt_free_depth && n < MTRACE_FREE_FRAMES; i++) {
		ms = mtrace_symbol(mt->mt_free_pcs[i]);
		/* The freeing code's frames, and any nameless before them. */
		if (n == 0 && ms->ms_skip)
			continue;
		if (n++ > 0)
			mtrace_text_cat(&x, " < ", 3);
		if (ms->ms_name[0] == '\0')
			mtrace_text_hex(&x, mt->mt_free_pcs[i]);
		else {
			mtrace_text_cat(&x, ms->ms_name, strlen(ms->ms_name));
			mtrace_text_cat(&x, "+", 1);
			mtrace_text_hex(&x, ms->ms_off);
		}
		/* Whole frames only: a cut one would name another function. */
		if (x.mx_len > x.mx_size)
			break;
		fit = x.mx_len;
	}
	be16enc(dst, MTRACE_FREE_HDRLEN + fit);
	be16enc(dst + 2, MTRACE_REC_FREE);
	return (MTRACE_RECORD_HDRLEN + MTRACE_FREE_HDRLEN + fit);
}

/*
 * Serialise trace mt into buf, which has size bytes.  A record (with the
 * TIME record that stamps it) that does not fit ends the frame: it and all
 * records after it are counted lost.  The FREE and LOST records, always
 * given room, come last.  Returns the frame's length.
 */
static u_int
mtrace_serialise(const struct mtrace *mt, u_char *buf, u_int size)
{
	const struct mtrace_rec *r;
	const u_char *p, *end;
	u_int count, limit, lost, n, nrec, pos, unit_count, unit_pos;
	bool full;

	KASSERT(size >= MTRACE_FRAME_HDRLEN + MTRACE_FREE_SIZE_MAX +
	    MTRACE_LOST_SIZE, ("%s: frame buffer of %u bytes", __func__, size));
	limit = size - MTRACE_LOST_SIZE -
	    ((mt->mt_free_flags & MTRACE_FREE_KEPT) != 0 ?
	    MTRACE_FREE_SIZE_MAX : 0);
	pos = MTRACE_FRAME_HDRLEN;
	count = 0;
	lost = 0;
	full = false;
	p = mt->mt_recs;
	end = p + mt->mt_used;
	while (p < end) {
		unit_pos = pos;
		unit_count = count;
		do {
			r = (const struct mtrace_rec *)p;
			p += mtrace_rec_size(r);
			nrec = 1;
			if (!full)
				n = mtrace_put(r, buf + pos, limit - pos,
				    &nrec);
			else
				n = 0;
			if (n == 0)
				full = true;
			pos += n;
			count += nrec;
		} while (r->mr_type == MTRACE_REC_TIME && p < end);
		if (full) {
			pos = unit_pos;
			count = unit_count;
			lost++;
		}
	}
	KASSERT(p == end, ("%s: records of trace %p overrun it", __func__, mt));
	if (lost > 0) {
		counter_u64_add(mtrace_truncated, 1);
		counter_u64_add(mtrace_records_lost, lost);
	}
	if ((mt->mt_free_flags & MTRACE_FREE_KEPT) != 0) {
		pos += mtrace_put_free(mt, buf + pos);
		count++;
	}
	lost += mt->mt_lost;
	if (lost > 0) {
		be16enc(buf + pos, MTRACE_LOST_LEN);
		be16enc(buf + pos + 2, MTRACE_REC_LOST);
		be32enc(buf + pos + MTRACE_RECORD_HDRLEN, lost);
		pos += MTRACE_LOST_SIZE;
		count++;
	}
	be16enc(buf, count);
	return (pos);
}

/*
 * The emit task.  It runs on the single thread of mtrace_tq and never
 * concurrently with itself: that is what lets it use mtrace_frame unlocked.
 */
static void
mtrace_emit(void *arg __unused, int pending __unused)
{
	STAILQ_HEAD(, mtrace) batch = STAILQ_HEAD_INITIALIZER(batch);
	struct mtrace *mt, *next;
	u_int len;

	mtx_lock(&mtrace_queue_mtx);
	STAILQ_CONCAT(&batch, &mtrace_queue);
	mtrace_queued = 0;
	mtx_unlock(&mtrace_queue_mtx);
	STAILQ_FOREACH_SAFE(mt, &batch, mt_queue, next) {
		len = mtrace_serialise(mt, mtrace_frame, MTRACE_FRAME_MAX);
		if (mbuf_trace_if_tap(mt->mt_ifid, mtrace_frame, len))
			counter_u64_add(mtrace_emitted, 1);
		else
			counter_u64_add(mtrace_dropped_no_listener, 1);
		m_tag_free_default(&mt->mt_tag);
	}
}

static void
mtrace_init(void *arg __unused)
{

	mtrace_frame = malloc(MTRACE_FRAME_MAX, M_MBUF_TRACE, M_WAITOK);
	mtrace_syms = malloc(MTRACE_SYMS * sizeof(*mtrace_syms), M_MBUF_TRACE,
	    M_WAITOK | M_ZERO);
	mtrace_kld_tag = EVENTHANDLER_REGISTER(kld_unload, mtrace_kld_unload,
	    NULL, EVENTHANDLER_PRI_ANY);
	TASK_INIT(&mtrace_task, 0, mtrace_emit, NULL);
	mtrace_tq = taskqueue_create("mbuf_trace", M_WAITOK,
	    taskqueue_thread_enqueue, &mtrace_tq);
	/* One thread, and one only: mtrace_emit() relies on it. */
	taskqueue_start_threads(&mtrace_tq, 1, PWAIT, "mbuf_trace emit");
}
/* Before the interfaces (SI_SUB_PSEUDO), hence before the first trace. */
SYSINIT(mbuf_trace, SI_SUB_INIT_IF, SI_ORDER_ANY, mtrace_init, NULL);

#ifdef DDB
/* A record type's name in lower case, "data_l3"; any other is "type N". */
static const char *
mtrace_db_type(u_int type, char *buf, size_t size)
{
	static const char *const names[] = {
#define	MTRACE_DB_NAME(name, type, len, exact)	[type] = #name,
		MTRACE_RECORD_TYPES(MTRACE_DB_NAME)
#undef MTRACE_DB_NAME
	};
	const char *n;
	size_t i;
	char c;

	if (type < nitems(names) && (n = names[type]) != NULL) {
		for (i = 0; i + 1 < size && (c = n[i]) != '\0'; i++)
			buf[i] = c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
		buf[i] = '\0';
	} else
		snprintf(buf, size, "type %u", type);
	return (buf);
}

/* A reason's name, "IP_BADSUM", or its number. */
static const char *
mtrace_db_reason(u_int reason, char *buf, size_t size)
{

	switch (reason) {
#define	MTRACE_DB_REASON(name, code, fate, group, counter, text)	\
	case code:							\
		return (#name);
	MTRACE_REASONS(MTRACE_DB_REASON)
#undef MTRACE_DB_REASON
	}
	snprintf(buf, size, "reason %u", reason);
	return (buf);
}

static void
mtrace_db_print(const struct mtrace *mt)
{
	static const char *const fates[] = { "unknown", "dropped",
	    "consumed", "delivered", "sent" };
	char name[24];
	const struct mtrace_rec *r;
	const u_char *data, *p, *end;
	struct mtrace_text x;
	const char *fate;
	char text[256];
	u_int i, len;

	db_printf("trace %p: %u of %u bytes, %u lost, start %ju ns, if %#x\n",
	    mt, mt->mt_used, mtrace_cap(mt), mt->mt_lost,
	    (uintmax_t)mt->mt_start, mt->mt_ifid);
	end = mt->mt_recs + mt->mt_used;
	for (p = mt->mt_recs; p < end; p += mtrace_rec_size(r)) {
		r = (const struct mtrace_rec *)p;
		data = (const u_char *)(r + 1);
		switch (r->mr_type) {
		case MTRACE_REC_TIME:
			db_printf("  time +%ju ns\n",
			    (uintmax_t)*(const uint64_t *)data);
			continue;
		case MTRACE_REC_LOCATION:
			mtrace_format_location(r, text, sizeof(text));
			db_printf("  string %s\n", text);
			continue;
		case MTRACE_REC_STRING:
		case MTRACE_REC_STRING_DYNAMIC:
			x = (struct mtrace_text) { text, sizeof(text) - 1, 0 };
			mtrace_text_string(&x, r);
			text[MIN(x.mx_len, sizeof(text) - 1)] = '\0';
			db_printf("  %s \"%s\"\n",
			    mtrace_db_type(r->mr_type, name, sizeof(name)),
			    text);
			continue;
		case MTRACE_REC_FATE:
			x = (struct mtrace_text) { text, sizeof(text) - 1, 0 };
			mtrace_text_fate(&x, r);
			text[MIN(x.mx_len, sizeof(text) - 1)] = '\0';
			fate = r->mr_event < nitems(fates) ?
			    fates[r->mr_event] : "?";
			db_printf("  fate %s %s %u \"%s\"\n", fate,
			    mtrace_db_reason(MTRACE_FATE_REASON(r), name,
			    sizeof(name)), *(const uint32_t *)data, text);
			continue;
		}
		db_printf("  %s", mtrace_db_type(r->mr_type, name,
		    sizeof(name)));
		if (r->mr_type == MTRACE_REC_DATA_L3)
			db_printf(" ethertype %#06x", r->mr_arg);
		db_printf(" %u bytes:", r->mr_len);
		data += MTRACE_SNAP_HDRLEN;
		len = MIN(r->mr_len, 32);
		for (i = 0; i < len; i++)
			db_printf(" %02x", data[i]);
		db_printf("%s\n", len < r->mr_len ? " ..." : "");
	}
}

DB_SHOW_COMMAND(mtrace, db_show_mtrace)
{
	struct mbuf *m;
	struct m_tag *t;

	if (!have_addr) {
		db_printf("usage: show mtrace <struct mbuf *>\n");
		return;
	}
	m = (struct mbuf *)addr;
	if ((m->m_flags & M_PKTHDR) == 0) {
		db_printf("mbuf %p has no packet header\n", m);
		return;
	}
	t = mtrace_tag(m);
	if (t == NULL) {
		db_printf("mbuf %p is not traced\n", m);
		return;
	}
	mtrace_db_print((const struct mtrace *)t);
}
#endif /* DDB */
