/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Copyright (c) 2026 The mbuf_trace authors
 */

/*
 * mbuf_trace: the trace store.
 *
 * A trace is one mbuf tag (struct mtrace) holding a small header and a run
 * of records in host byte order.  The tag owns no pointers, so a byte copy
 * of it (m_tag_copy() under m_dup(), m_copypacket(), ...) is a complete,
 * independent trace.  Location records keep the __FILE__ and __func__
 * pointers and the line; their text is made only when the frame is
 * serialised, so the traced path never formats anything.
 *
 * The tag's free routine runs wherever the packet dies, in the mbuf
 * destructor, so it only hands the finished trace to the emit queue of
 * if_mbuf_trace.c (the tag memory itself is the queue entry: no
 * allocation).  Every allocation on the traced path is M_NOWAIT; a record
 * that cannot be stored, for want of room or memory, is counted and
 * reported in the frame's LOST record.  Which packets start a trace is
 * mbuf_trace_select.c's business.  Variables carry the locking keys of
 * <net/mbuf_trace_var.h>.
 */

#include <sys/cdefs.h>
#include "opt_ddb.h"

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/counter.h>
#include <sys/kernel.h>
#include <sys/malloc.h>
#include <sys/mbuf.h>
#include <sys/proc.h>
#include <sys/queue.h>
#include <sys/socket.h>
#ifdef DDB
#include <sys/stack.h>
#endif
#include <sys/stdarg.h>
#include <sys/sysctl.h>
#include <sys/time.h>

#include <sys/mbuf_trace.h>

#include <net/ethernet.h>
#include <net/if.h>
#include <net/if_var.h>
#include <net/vnet.h>
#include <net/mbuf_trace_var.h>

#include <netinet/in.h>
#include <netinet/in_pcb.h>

#ifdef DDB
#include <ddb/ddb.h>
#endif

/* The bytes of the tag after struct m_tag that are not records. */
#define	MTRACE_HDRLEN							\
	(offsetof(struct mtrace, mt_recs) - sizeof(struct m_tag))
#define	MTRACE_ALIGN	8
/* Record bytes of a new trace; it grows up to trace_max. */
#define	MTRACE_INITIAL	256
/* m_tag_len is 16 bits wide. */
#define	MTRACE_CAP_LIMIT						\
	rounddown2(UINT16_MAX - MTRACE_HDRLEN, MTRACE_ALIGN)

/* mbuf_trace_location() writes it as two pointers. */
CTASSERT(sizeof(struct mtrace_loc) == 2 * sizeof(const char *));

#define	MTRACE_TIME_SIZE	(sizeof(struct mtrace_rec) + sizeof(uint64_t))

MALLOC_DEFINE(M_MBUF_TRACE, "mbuf_trace", "mbuf_trace frame buffer");

SYSCTL_NODE(_net, OID_AUTO, mbuf_trace, CTLFLAG_RW | CTLFLAG_MPSAFE, 0,
    "Per-packet traces of the network stack");

static int mtrace_timestamps = 0;		/* (a) */
SYSCTL_INT(_net_mbuf_trace, OID_AUTO, timestamps, CTLFLAG_RWTUN,
    &mtrace_timestamps, 0, "Precede every record with a TIME record");

static int mtrace_free_site_on = 1;		/* (a) */
SYSCTL_INT(_net_mbuf_trace, OID_AUTO, free_site, CTLFLAG_RWTUN,
    &mtrace_free_site_on, 0,
    "End every trace with where it ended: the code and the thread");

static u_int mtrace_trace_max = 8192;		/* (a) */
static u_int mtrace_snap_max = 256;		/* (a) */

static struct mtrace_limit mtrace_trace_limit = {
	&mtrace_trace_max, 64, MTRACE_CAP_LIMIT
};
/* A DATA_L3 payload is the ethertype and the bytes, in 16 bits. */
static struct mtrace_limit mtrace_snap_limit = {
	&mtrace_snap_max, 0, UINT16_MAX - 2
};

int
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

static SYSCTL_NODE(_net_mbuf_trace, OID_AUTO, stats,
    CTLFLAG_RD | CTLFLAG_MPSAFE, 0, "mbuf_trace statistics, the VNET's");
static SYSCTL_NODE(_net_mbuf_trace_stats, OID_AUTO, dropped,
    CTLFLAG_RD | CTLFLAG_MPSAFE, 0, "Traces that were not emitted");

VNET_PCPUSTAT_DEFINE(struct mtracestat, mtracestat);
VNET_PCPUSTAT_SYSINIT(mtracestat);
VNET_PCPUSTAT_SYSUNINIT(mtracestat);

#define	MTRACESTAT_SYSCTL(parent, name, f, descr)			\
	SYSCTL_COUNTER_U64(parent, OID_AUTO, name, CTLFLAG_VNET | CTLFLAG_RD, \
	    &VNET_NAME(mtracestat)[MTRACESTAT(f)], descr)
MTRACESTAT_SYSCTL(_net_mbuf_trace_stats, started, mts_started,
    "Traces started");
MTRACESTAT_SYSCTL(_net_mbuf_trace_stats, emitted, mts_emitted,
    "Frames tapped to the mbuf_trace interface");
MTRACESTAT_SYSCTL(_net_mbuf_trace_stats, copies, mts_copies,
    "Copies of a trace (m_tag_copy) traced on their own");
MTRACESTAT_SYSCTL(_net_mbuf_trace_stats, records_lost, mts_records_lost,
    "Records counted in LOST records");
MTRACESTAT_SYSCTL(_net_mbuf_trace_stats, grow_failed, mts_grow_failed,
    "Traces that could not grow for want of memory");
MTRACESTAT_SYSCTL(_net_mbuf_trace_stats, truncated, mts_truncated,
    "Frames cut at a record boundary to fit a frame");
MTRACESTAT_SYSCTL(_net_mbuf_trace_stats, filtered, mts_filtered,
    "Chosen packets the filter rejected");
MTRACESTAT_SYSCTL(_net_mbuf_trace_stats_dropped, nomem, mts_dropped_nomem,
    "Traces not started for want of memory");
MTRACESTAT_SYSCTL(_net_mbuf_trace_stats_dropped, queue_full,
    mts_dropped_queue_full,
    "Finished traces dropped because queue_max were waiting");
MTRACESTAT_SYSCTL(_net_mbuf_trace_stats_dropped, no_listener,
    mts_dropped_no_listener,
    "Finished traces whose interface had no listener left");

VNET_DEFINE_STATIC(int, mtrace_source_position) = 0;	/* (a) */
#define	V_mtrace_source_position MTRACE_V(mtrace_source_position)
SYSCTL_INT(_net_mbuf_trace, OID_AUTO, source_position,
    CTLFLAG_VNET | CTLFLAG_RW, &VNET_NAME(mtrace_source_position), 0,
    "Write every string record as \"FILE:LINE: text\"");

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

size_t
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
		MTRACESTAT_TRACE_INC((struct mtrace *)t, mts_copies);
	}
	return ((struct mtrace *)t);
}

/* The trace on m, or NULL. */
struct mtrace *
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
	MTRACESTAT_TRACE_INC(mt, mts_records_lost);
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
		MTRACESTAT_TRACE_INC(mt, mts_grow_failed);
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
struct mtrace *
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
		MTRACESTAT_INC(mts_dropped_nomem);
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
	MTRACESTAT_INC(mts_started);
	return (mt);
}


/* The ethertype of the IP header m begins with, by its version, or 0. */
int
mtrace_ip_version(const struct mbuf *m)
{
	u_char v;

	if (m->m_len == 0)
		return (0);
	v = *mtod(m, const u_char *) >> 4;
	return (v == 4 ? ETHERTYPE_IP : v == 6 ? ETHERTYPE_IPV6 : 0);
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
	mtrace_enqueue(mt);
}

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
			mtrace_rec_text(r, text, sizeof(text));
			db_printf("  string %s\n", text);
			continue;
		case MTRACE_REC_STRING:
		case MTRACE_REC_STRING_DYNAMIC:
			mtrace_rec_text(r, text, sizeof(text));
			db_printf("  %s \"%s\"\n",
			    mtrace_db_type(r->mr_type, name, sizeof(name)),
			    text);
			continue;
		case MTRACE_REC_FATE:
			mtrace_rec_text(r, text, sizeof(text));
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
