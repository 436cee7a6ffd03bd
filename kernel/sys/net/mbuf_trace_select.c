/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Copyright (c) 2026 The mbuf_trace authors
 */

/*
 * mbuf_trace: selection (mbuf_trace(4), SELECTION), which packets start a
 * trace, per VNET.  A packet is selected when a source chooses it and the
 * filter passes it.  The filter and the pf tag name are read on the packet
 * path in the network epoch; their sysctls replace them under
 * mtrace_sel_mtx and free the old value once the epoch has passed.
 * Variables carry the locking keys of <net/mbuf_trace_var.h>.
 */

#include <sys/cdefs.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/ck.h>
#include <sys/counter.h>
#include <sys/epoch.h>
#include <sys/kernel.h>
#include <sys/lock.h>
#include <sys/malloc.h>
#include <sys/mbuf.h>
#include <sys/mutex.h>
#include <sys/socket.h>
#include <sys/socketvar.h>
#include <sys/sysctl.h>

/* struct mtrace_filter of <sys/mbuf_trace.h> needs struct bpf_insn. */
#include <net/bpf.h>
#include <sys/mbuf_trace.h>

#include <net/ethernet.h>
#include <net/if.h>
#include <net/if_var.h>
#include <net/if_private.h>
#include <net/vnet.h>
#include <net/mbuf_trace_var.h>

static int mtrace_enable = 1;			/* (a) */
SYSCTL_INT(_net_mbuf_trace, OID_AUTO, enable, CTLFLAG_RWTUN, &mtrace_enable, 0,
    "Start traces while someone listens on the mbuf_trace interface");

/* The interface group whose members choose packets ("group mtrace"). */
#define	MTRACE_IFGROUP		"mtrace"
#define	MTRACE_PF_TAG_MAX	64		/* pf's PF_TAG_NAME_SIZE */
/* The longest filter: both programs BPF_MAXINSNS long. */
#define	MTRACE_FILTER_MAX						\
	(sizeof(struct mtrace_filter) +					\
	    2 * BPF_MAXINSNS * sizeof(struct bpf_insn))

VNET_DEFINE_STATIC(int, mtrace_start_points) = 1;		/* (a) */
VNET_DEFINE_STATIC(int, mtrace_start_anywhere) = 0;		/* (s) */
VNET_DEFINE_STATIC(struct mtrace_filter *, mtrace_filter) = NULL; /* (s) */
VNET_DEFINE_STATIC(char *, mtrace_pf_tag) = NULL;		/* (s) */

#define	V_mtrace_start_points	MTRACE_V(mtrace_start_points)
#define	V_mtrace_start_anywhere	MTRACE_V(mtrace_start_anywhere)
#define	V_mtrace_filter		MTRACE_V(mtrace_filter)
#define	V_mtrace_pf_tag		MTRACE_V(mtrace_pf_tag)

u_int mbuf_trace_anywhere;			/* (s) */

static struct mtx mtrace_sel_mtx;
MTX_SYSINIT(mbuf_trace_sel, &mtrace_sel_mtx, "mbuf_trace selection", MTX_DEF);

SYSCTL_INT(_net_mbuf_trace, OID_AUTO, start_points, CTLFLAG_VNET | CTLFLAG_RW,
    &VNET_NAME(mtrace_start_points), 0,
    "Start a trace on every packet that passes a start point");

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
	MTRACESTAT_INC(mts_filtered);
	return (false);
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
struct mtrace *
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
