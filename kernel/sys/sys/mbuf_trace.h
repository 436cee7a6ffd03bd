/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Copyright (c) 2026 The mbuf_trace authors
 */

/*
 * mbuf_trace: per-packet traces of the network stack.
 *
 * Stack code annotates a packet with the mtrace_*() macros below.  The
 * annotations live in one mbuf tag on the packet; when the packet is freed
 * they leave the kernel as one frame on the mbuf_trace interface
 * (DLT_USER0), see mbuf_trace(4) and mbuf_trace(9).  Without
 * "options MBUF_TRACE" every macro compiles to nothing, as CTR*() of
 * <sys/ktr.h> do without KTR.
 */

#ifndef _SYS_MBUF_TRACE_H_
#define	_SYS_MBUF_TRACE_H_

/*
 * The capture format, one definition for the kernel that writes it and the
 * decoders that read it (docs/format.md explains it).  A frame is
 * "count:u16 record{count}", a record "length:u16 type:u16
 * payload[length]", all integers big-endian.  Types 1-3 are the format
 * deployed consumers already decode; the others are extensions they skip.
 *
 * MTRACE_RECORD_TYPES(X) lists every type as X(NAME, type, length, exact):
 * its payload is at least length bytes, exactly length when exact.  Each
 * becomes MTRACE_REC_NAME; readers make their names and checks from it.
 *	DATA		bytes from the Ethernet header
 *	STRING		text static in the kernel
 *	STRING_DYNAMIC	text copied at trace time
 *	DATA_L3		ethertype:u16, packet bytes
 *	TIME		ns:u64 since mtrace_start()
 *	LOST		records:u32 not stored
 *	CUT		length:u32 of the cut packet
 *	FATE		what became of the packet
 *	FREE		where the trace ended
 */
#define	MTRACE_RECORD_TYPES(X)						\
	X(DATA,			1, 0, 0)				\
	X(STRING,		2, 0, 0)				\
	X(STRING_DYNAMIC,	3, 0, 0)				\
	X(DATA_L3,		4, 2, 0)				\
	X(TIME,			5, 8, 1)				\
	X(LOST,			6, 4, 1)				\
	X(CUT,			7, 4, 1)				\
	X(FATE,			8, 8, 0)				\
	X(FREE,			9, 26, 0)

enum mtrace_record_type {
#define	MTRACE_REC_ENUM(name, type, len, exact)	MTRACE_REC_##name = type,
	MTRACE_RECORD_TYPES(MTRACE_REC_ENUM)
#undef MTRACE_REC_ENUM
	MTRACE_REC_MAX = MTRACE_REC_FREE	/* the highest type defined */
};

#define	MTRACE_FRAME_HDRLEN	2	/* count:u16 */
#define	MTRACE_RECORD_HDRLEN	4	/* length:u16 type:u16 */
#define	MTRACE_FRAME_MAX	65535	/* bytes of a frame, headers included */
#define	MTRACE_DATA_L3_HDRLEN	2	/* DATA_L3's ethertype */
#define	MTRACE_TIME_LEN		8	/* TIME's payload */
#define	MTRACE_LOST_LEN		4	/* LOST's payload */
#define	MTRACE_CUT_LEN		4	/* CUT's payload */

/*
 * FATE: "fate:u8 flags:u8 reason:u16 value:u32 detail", the detail text
 * to the end of the record.  What became of the packet: the fate and the
 * reason (MTRACE_FATE_* and the reasons of <sys/mbuf_trace_reason.h>)
 * and, when MTRACE_FATE_VALUE is set, a number the reason explains (a pf
 * rule, an error).  A trace may
 * hold several; the last one tells what became of the packet.
 */
#define	MTRACE_FATE_HDRLEN	8
#define	MTRACE_FATE_VALUE	0x01	/* flags: value is given */

/*
 * FREE: "pid:u32 flags:u8 reserved:u8 thread:char[20] frames", the frames
 * text to the end of the record: where the trace ended (the packet was
 * freed, or its tags deleted), as "func+0xoff < caller+0xoff < ...",
 * innermost first, the mbuf and tag code left out; the thread that did it,
 * NUL-padded, and its process.
 */
#define	MTRACE_FREE_HDRLEN	26
#define	MTRACE_FREE_THREADLEN	20	/* MAXCOMLEN + 1 */
#define	MTRACE_FREE_TEXTMAX	256	/* bytes of frames text at most */
#define	MTRACE_FREE_USER	0x01	/* flags: a user process */

/*
 * The filter of net.mbuf_trace.filter: a tcpdump expression compiled in
 * userland into two classic BPF programs, one for packets that begin with
 * an Ethernet header (DLT_EN10MB) and one for packets that begin with
 * their IP header (DLT_RAW).  The sysctl's value is this structure and
 * mf_ether_len + mf_ip_len instructions; writing 0 bytes, or both lengths
 * 0, clears the filter.  It needs struct bpf_insn: include <net/bpf.h> (or
 * <pcap.h>) before this header.
 */
#define	MTRACE_FILTER_TEXT	256
#ifdef BPF_MAXINSNS
struct mtrace_filter {
	char		mf_text[MTRACE_FILTER_TEXT]; /* the expression */
	uint32_t	mf_ether_len;	/* instructions for Ethernet frames */
	uint32_t	mf_ip_len;	/* instructions for IP packets */
	struct bpf_insn	mf_insns[];	/* the Ethernet, then the IP program */
};
#endif

#include <sys/mbuf_trace_reason.h>

#ifdef _KERNEL
#include <sys/mbuf.h>

#include <machine/atomic.h>

/* How a location record marks its place ("file:line: +func"...). */
#define	MTRACE_EV_LOCATION	0	/* "file:line" */
#define	MTRACE_EV_ENTER		1	/* "file:line: +func" */
#define	MTRACE_EV_LEAVE		2	/* "file:line: -func" */
#define	MTRACE_EV_MARK		3	/* "file:line: func" */

/*
 * What the bytes at m_data begin with, for the start points and snapshots:
 * MTRACE_L2, an Ethernet header; an ethertype (ETHERTYPE_IP,
 * ETHERTYPE_IPV6), that protocol's header; 0, an IP header of either
 * version.
 */
#define	MTRACE_L2	(-1)

struct ifnet;
struct in_conninfo;
struct socket;

/*
 * What a FATE record's detail is, for mbuf_trace_fate(): nothing, the
 * value alone, a static string (kept by its address), a string copied now,
 * an interface (its name copied), or a socket (its addresses and ports,
 * IPv4 or IPv6 as the socket's inp_vflag says: only TCP sets INC_ISIPV6).
 */
#define	MTRACE_FD_NONE		0
#define	MTRACE_FD_VALUE		1
#define	MTRACE_FD_STATIC	2
#define	MTRACE_FD_COPY		3
#define	MTRACE_FD_IFP		4
#define	MTRACE_FD_SOCKET	5	/* a struct in_conninfo, IPv4 */
#define	MTRACE_FD_SOCKET6	6	/* a struct in_conninfo, IPv6 */
/*
 * A reason and its fate in one argument, as mbuf_trace_fate() takes them;
 * with MTRACE_RF_DEFAULT, recorded only if no drop was recorded since the
 * last fate of another kind; with MTRACE_RF_UNSAID, only if the trace says
 * nothing yet of what became of the packet.
 */
#define	MTRACE_RF(name)	((uint32_t)MTRACE_RF_##name << 16 | MTRACE_R_##name)
#define	MTRACE_RF_DEFAULT	0x01000000
#define	MTRACE_RF_UNSAID	0x02000000

/*
 * The functions behind the macros.  Call the macros, not these: only the
 * macros disappear without the option.  The record functions take the
 * packet's trace as mtrace_tag() below found it, which the macros pass so
 * that it is not looked for twice, or NULL: then they look for it
 * themselves and, while start_anywhere is on, may start it.
 * mbuf_trace_string() keeps the string's address, mbuf_trace_string_copy()
 * its bytes.  mbuf_trace_pf_tagged() is pf's: it starts the trace of a
 * packet pf tagged with the name that net.mbuf_trace.pf_tag holds.
 */
void mbuf_trace_start(struct mbuf *, int, struct ifnet *, bool);
void mbuf_trace_start_socket(struct mbuf *, struct socket *);
void mbuf_trace_pf_tagged(struct mbuf *, const char *);
void mbuf_trace_data(struct mbuf *, struct m_tag *, int);
void mbuf_trace_string(struct mbuf *, struct m_tag *, const char *, int,
    const char *, size_t);
void mbuf_trace_string_copy(struct mbuf *, struct m_tag *, const char *, int,
    const char *, size_t);
void mbuf_trace_printf(struct mbuf *, struct m_tag *, const char *, int,
    const char *, ...) __printflike(5, 6);
void mbuf_trace_location(struct mbuf *, struct m_tag *, int, const char *, int,
    const char *);
void mbuf_trace_fate(struct mbuf *, struct m_tag *, uint32_t, int,
    uint32_t, const void *);
void mbuf_trace_end(struct mbuf *, struct m_tag *);

/* Readers of the mbuf_trace interfaces of all VNETs: 0 is nobody. */
extern u_int mbuf_trace_if_readers;
/* VNETs whose net.mbuf_trace.start_anywhere is on: 0 is none. */
extern u_int mbuf_trace_anywhere;

/*
 * The trace is an mbuf tag: a private cookie (date -u +%s when the facility
 * was written) and a persistent type, so that the trace survives the
 * m_tag_delete_nonpersistent() of if_loop, if_epair and icmp_reflect() and
 * follows the packet through them.
 */
#define	MTAG_MBUF_TRACE		1795380751
#define	MTAG_MBUF_TRACE_TRACE	(1 | MTAG_PERSISTENT)

/*
 * The trace m carries, or NULL.  The macros ask this inline, so that a call
 * on an untraced packet costs a few loads and branches, not a call, whatever
 * other tags the packet carries (pf's, IPsec's, ...).  The list is walked
 * here rather than by m_tag_locate() for that reason; mbuf_trace_start()
 * prepends the trace, so it is usually the first tag.
 */
static __inline struct m_tag *
mtrace_tag(const struct mbuf *m)
{
	struct m_tag *t;

	if (m == NULL || (m->m_flags & M_PKTHDR) == 0)
		return (NULL);
	SLIST_FOREACH(t, &m->m_pkthdr.tags, m_tag_link)
		if (t->m_tag_cookie == MTAG_MBUF_TRACE &&
		    t->m_tag_id == MTAG_MBUF_TRACE_TRACE)
			return (t);
	return (NULL);
}

/*
 * Call fn with m, evaluated once, its trace and the rest when m is traced,
 * or when start_anywhere is on in some VNET (then fn starts the trace of an
 * untraced packet).  Without the option the call is checked against fn's
 * prototype and compiled away: no argument is evaluated, and a call site
 * that no longer type-checks fails to build either way.
 */
#ifdef MBUF_TRACE
#define	MTRACE_CALL(m, fn, ...) do {					\
	struct mbuf *_mtrace_m;						\
	struct m_tag *_mtrace_t;					\
									\
	_mtrace_m = (m);						\
	_mtrace_t = mtrace_tag(_mtrace_m);				\
	if (__predict_false(_mtrace_t != NULL ||			\
	    atomic_load_int(&mbuf_trace_anywhere) != 0))		\
		fn(_mtrace_m, _mtrace_t, ##__VA_ARGS__);		\
} while (0)
#else
#define	MTRACE_CALL(m, fn, ...) do {					\
	if (0)								\
		fn((m), NULL, ##__VA_ARGS__);				\
} while (0)
#endif

/*
 * The start points.  While nobody captures anywhere, one costs a load and
 * a branch.  A packet is selected when a source chooses it (start points
 * as such while start_points is on, an interface of the group "mtrace", a
 * socket with SO_MTRACE, pf, a netgraph node, or the caller: chosen) and
 * the filter passes it; see mbuf_trace(4).
 */
#ifdef MBUF_TRACE
#define	MTRACE_IF_READERS(call) do {					\
	if (__predict_false(atomic_load_int(&mbuf_trace_if_readers) != 0)) \
		call;							\
} while (0)
#else
#define	MTRACE_IF_READERS(call) do {					\
	if (0)								\
		call;							\
} while (0)
#endif
#define	MTRACE_START(m, proto, ifp, chosen)				\
	MTRACE_IF_READERS(mbuf_trace_start((m), (proto), (ifp), (chosen)))
#define	mtrace_start(m)		MTRACE_START((m), 0, NULL, false)
#define	mtrace_start_ether(m, ifp) MTRACE_START((m), MTRACE_L2, (ifp), false)
#define	mtrace_start_proto(m, et, ifp) MTRACE_START((m), (et), (ifp), false)
#define	mtrace_start_chosen(m, et) MTRACE_START((m), (et), NULL, true)
/* Not a start point: it starts only the packets of a SO_MTRACE socket. */
#define	mtrace_start_socket(m, so)					\
	MTRACE_IF_READERS(mbuf_trace_start_socket((m), (so)))

#define	mtrace_data(m)		MTRACE_CALL((m), mbuf_trace_data, MTRACE_L2)
#define	mtrace_data_proto(m, et) MTRACE_CALL((m), mbuf_trace_data, (et))
/*
 * Strings carry the file and line of their call, for source_position; they
 * cost nothing until the call is made.
 */
#define	mtrace_printf(m, ...)						\
	MTRACE_CALL((m), mbuf_trace_printf, __FILE__, __LINE__, __VA_ARGS__)

/* A static string is kept by its address, a dynamic one is copied. */
#define	mtrace_static_length(m, s, l)					\
	MTRACE_CALL((m), mbuf_trace_string, __FILE__, __LINE__, (s), (l))
#define	mtrace_dynamic_length(m, s, l)					\
	MTRACE_CALL((m), mbuf_trace_string_copy, __FILE__, __LINE__, (s), (l))
/*
 * The same for NUL-terminated strings.  Once inlined, the length of a
 * string literal is a constant: the trace call does not measure it.
 */
static __inline void
mtrace_string_nul(struct mbuf *m, struct m_tag *t, const char *file, int line,
    const char *s, bool copy)
{

	if (copy)
		mbuf_trace_string_copy(m, t, file, line, s,
		    __builtin_strlen(s));
	else
		mbuf_trace_string(m, t, file, line, s, __builtin_strlen(s));
}
/*
 * mbuf_trace_fate() for each kind of detail, with the types the macros'
 * arguments must have.
 */
static __inline void
mtrace_fate_value_at(struct mbuf *m, struct m_tag *t, uint32_t rf,
    uint32_t value, bool has_value)
{

	mbuf_trace_fate(m, t, rf, has_value ? MTRACE_FD_VALUE : MTRACE_FD_NONE,
	    value, NULL);
}

static __inline void
mtrace_fate_why_at(struct mbuf *m, struct m_tag *t, uint32_t rf,
    const char *why)
{

	mbuf_trace_fate(m, t, rf, MTRACE_FD_STATIC, 0, why);
}

static __inline void
mtrace_fate_pf_at(struct mbuf *m, struct m_tag *t, u_int pfres, uint32_t rule,
    const char *label)
{

	mbuf_trace_fate(m, t, (uint32_t)MTRACE_FATE_DROPPED << 16 |
	    (MTRACE_R_PF_BASE + pfres), MTRACE_FD_COPY, rule, label);
}

static __inline void
mtrace_fate_socket_at(struct mbuf *m, struct m_tag *t,
    const struct in_conninfo *inc, bool v6, int proto)
{

	mbuf_trace_fate(m, t, MTRACE_RF(SOCKET),
	    v6 ? MTRACE_FD_SOCKET6 : MTRACE_FD_SOCKET, proto, inc);
}

static __inline void
mtrace_fate_ifp_at(struct mbuf *m, struct m_tag *t, struct ifnet *ifp)
{

	mbuf_trace_fate(m, t, MTRACE_RF(SENT), MTRACE_FD_IFP, 0, ifp);
}

#define	mtrace_static(m, s)						\
	MTRACE_CALL((m), mtrace_string_nul, __FILE__, __LINE__, (s), false)
#define	mtrace_dynamic(m, s)						\
	MTRACE_CALL((m), mtrace_string_nul, __FILE__, __LINE__, (s), true)
#define	mtrace(m, s)		mtrace_static((m), (s))

/* Locations: the pointers and the line are kept, the text made later. */
#define	MTRACE_LOCATION(m, ev, func)					\
	MTRACE_CALL((m), mbuf_trace_location, (ev), __FILE__, __LINE__, (func))
#define	mtrace_(m)	MTRACE_LOCATION((m), MTRACE_EV_LOCATION, NULL)
#define	mtrace_enter(m)	MTRACE_LOCATION((m), MTRACE_EV_ENTER, __func__)
#define	mtrace_leave(m)	MTRACE_LOCATION((m), MTRACE_EV_LEAVE, __func__)
#define	mtrace_func(m)	MTRACE_LOCATION((m), MTRACE_EV_MARK, __func__)

/*
 * What became of the packet: a reason of <sys/mbuf_trace_reason.h>, by
 * name.  mtrace_drop() takes only the reasons whose fate is a drop, the
 * compiler checks; the _why and _value forms add a static string or a
 * number.
 */
#define	MTRACE_IS_DROP(why)						\
	(sizeof(char[MTRACE_RF_##why == MTRACE_FATE_DROPPED ? 1 : -1]) * 0)
#define	mtrace_fate(m, why)						\
	MTRACE_CALL((m), mtrace_fate_value_at, MTRACE_RF(why), 0, false)
#define	mtrace_fate_value(m, why, v)					\
	MTRACE_CALL((m), mtrace_fate_value_at, MTRACE_RF(why), (v), true)
#define	mtrace_drop(m, why)						\
	MTRACE_CALL((m), mtrace_fate_value_at, MTRACE_RF(why),		\
	    MTRACE_IS_DROP(why), false)
#define	mtrace_drop_value(m, why, v)					\
	MTRACE_CALL((m), mtrace_fate_value_at, MTRACE_RF(why),		\
	    (v) + MTRACE_IS_DROP(why), true)
#define	mtrace_drop_why(m, why, s)					\
	MTRACE_CALL((m), mtrace_fate_why_at,				\
	    MTRACE_RF(why) + MTRACE_IS_DROP(why), (s))
/*
 * A drop recorded where several drops meet (a "bad:" label), only if none
 * was recorded on the way there: the first says more.  v is a value (an
 * error number), as for mtrace_drop_value().
 */
#define	mtrace_drop_default(m, why, v)					\
	MTRACE_CALL((m), mtrace_fate_value_at,				\
	    MTRACE_RF(why) | MTRACE_RF_DEFAULT, (v) + MTRACE_IS_DROP(why), true)
/*
 * Any reason, value v, where nothing said yet what became of the packet:
 * the kernel took in an ICMP message it then offers the raw sockets, and
 * none took it.
 */
#define	mtrace_fate_default(m, why, v)					\
	MTRACE_CALL((m), mtrace_fate_value_at,				\
	    MTRACE_RF(why) | MTRACE_RF_UNSAID, (v), true)
/* pf's drop: reason is a PFRES_* number, the rule's number and label. */
#define	mtrace_drop_pf(m, reason, rule, label)				\
	MTRACE_CALL((m), mtrace_fate_pf_at, (reason), (rule), (label))
/*
 * Delivered to the socket of inpcb inp, protocol proto (IPPROTO_*), which
 * the record names by its addresses and ports.
 */
#define	mtrace_deliver(m, inp, proto)					\
	MTRACE_CALL((m), mtrace_fate_socket_at, &(inp)->inp_inc,	\
	    ((inp)->inp_vflag & INP_IPV6) != 0, (proto))
/*
 * Handed to ifp's driver, which frees it when it pleases: the trace says
 * so and ends now (a fate of SENT always ends the trace).
 */
#define	mtrace_sent(m, ifp)	MTRACE_CALL((m), mtrace_fate_ifp_at, (ifp))

/* The trace is complete: emit it now, not when the packet is freed. */
#define	mtrace_end(m)		MTRACE_CALL((m), mbuf_trace_end)

#endif /* _KERNEL */
#endif /* !_SYS_MBUF_TRACE_H_ */
