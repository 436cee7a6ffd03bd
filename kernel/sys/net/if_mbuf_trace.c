/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Copyright (c) 2026 The mbuf_trace authors
 */

/*
 * The mbuf_trace interface: where finished packet traces meet BPF.
 *
 * One interface per VNET, created with the VNET and named exactly
 * "mbuf_trace", without a unit number, because that is the name people
 * capture on ("tcpdump -i mbuf_trace").  Frames are DLT_USER0; nothing is
 * ever sent on it: output drops everything.
 *
 * The trace store (kern_mbuf_trace.c) hands every finished trace to
 * mtrace_enqueue().  A taskqueue serialises queued traces into the wire
 * format of <sys/mbuf_trace.h> and taps them to BPF on the interface the
 * trace was started for.  Variables carry the locking keys of
 * <net/mbuf_trace_var.h>.
 */

#include <sys/cdefs.h>
#include "opt_inet.h"
#include "opt_inet6.h"

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/counter.h>
#include <sys/endian.h>
#include <sys/epoch.h>
#include <sys/eventhandler.h>
#include <sys/kernel.h>
#include <sys/linker.h>
#include <sys/lock.h>
#include <sys/malloc.h>
#include <sys/mbuf.h>
#include <sys/mbuf_trace.h>
#include <sys/mutex.h>
#include <sys/priority.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/sockio.h>
#include <sys/sysctl.h>
#include <sys/taskqueue.h>

#include <net/bpf.h>
#include <net/if.h>
#include <net/if_var.h>
#include <net/if_types.h>
#include <net/vnet.h>
#include <net/mbuf_trace_var.h>

#include <netinet/in.h>

#include <machine/atomic.h>

static const char mbuf_trace_name[] = "mbuf_trace";

VNET_DEFINE_STATIC(if_t, mbuf_trace_ifp);	/* (v) */
#define	V_mbuf_trace_ifp	VNET(mbuf_trace_ifp)

/*
 * Readers of the mbuf_trace interfaces of all VNETs, counted as bpf(4)
 * attaches and detaches them.  mtrace_start() reads it first, so that
 * where nobody captures a start point costs a load and a branch.  Our
 * interfaces are those whose softc is this counter.
 */
u_int mbuf_trace_if_readers;			/* (a) */
static eventhandler_tag mbuf_trace_bpf_track_tag;	/* (c) */

static void
mbuf_trace_bpf_track(void *arg __unused, struct ifnet *ifp, int dlt __unused,
    int attach)
{

	if (if_getsoftc(ifp) != &mbuf_trace_if_readers)
		return;
	if (attach != 0)
		atomic_add_int(&mbuf_trace_if_readers, 1);
	else
		atomic_subtract_int(&mbuf_trace_if_readers, 1);
}

static void
mbuf_trace_if_sysinit(void *arg __unused)
{

	mbuf_trace_bpf_track_tag = EVENTHANDLER_REGISTER(bpf_track,
	    mbuf_trace_bpf_track, NULL, EVENTHANDLER_PRI_ANY);
}
SYSINIT(mbuf_trace_if, SI_SUB_PSEUDO, SI_ORDER_FIRST, mbuf_trace_if_sysinit,
    NULL);

static void
mbuf_trace_if_sysuninit(void *arg __unused)
{

	EVENTHANDLER_DEREGISTER(bpf_track, mbuf_trace_bpf_track_tag);
}
SYSUNINIT(mbuf_trace_if, SI_SUB_PSEUDO, SI_ORDER_FIRST,
    mbuf_trace_if_sysuninit, NULL);

/*
 * A handle names one interface without holding a pointer to it, so that a
 * trace can outlive its VNET: the interface index and its generation.
 */
static uint32_t
mbuf_trace_if_handle(if_t ifp)
{

	return ((uint32_t)if_getindex(ifp) << 16 | (uint16_t)if_getidxgen(ifp));
}

/* The interface behind a handle, in the network epoch; NULL once gone. */
static if_t
mbuf_trace_if_byhandle(uint32_t handle)
{

	NET_EPOCH_ASSERT();
	return (ifnet_byindexgen(handle >> 16, handle & 0xffff));
}

/* Called in the network epoch, which keeps the interface alive. */
uint32_t
mbuf_trace_if_listener(void)
{
	uint32_t handle;
	if_t ifp;

	NET_EPOCH_ASSERT();
	handle = 0;
#ifdef VIMAGE
	/* A driver traces before ether_input() sets the packet's VNET. */
	if (curvnet == NULL)
		ifp = VNET_VNET(vnet0, mbuf_trace_ifp);
	else
#endif
		ifp = V_mbuf_trace_ifp;
	if (ifp != NULL && bpf_peers_present_if(ifp))
		handle = mbuf_trace_if_handle(ifp);
	return (handle);
}

/*
 * Count n in statistic stat (MTRACESTAT()) of the VNET of the interface
 * behind handle, if that interface still exists: the trace it names
 * belongs there, wherever its packet is now.
 */
void
mtrace_stat_trace(uint32_t handle, u_int stat, uint64_t n)
{
	struct epoch_tracker et;
	if_t ifp;

	NET_EPOCH_ENTER(et);
	if ((ifp = mbuf_trace_if_byhandle(handle)) != NULL)
		counter_u64_add(VNET_VNET(if_getvnet(ifp), mtracestat)[stat],
		    n);
	NET_EPOCH_EXIT(et);
}

/*
 * Deliver frame, len bytes, to the interface behind handle if it still
 * exists and someone still listens, and count it in that interface's VNET,
 * with the records (lost) that the frame had no room for.
 */
static void
mbuf_trace_if_tap(uint32_t handle, void *frame, u_int len, u_int lost)
{
	struct epoch_tracker et;
	counter_u64_t *stat;
	if_t ifp;

	NET_EPOCH_ENTER(et);
	if ((ifp = mbuf_trace_if_byhandle(handle)) == NULL) {
		NET_EPOCH_EXIT(et);
		return;
	}
	stat = VNET_VNET(if_getvnet(ifp), mtracestat);
	if (lost > 0) {
		counter_u64_add(stat[MTRACESTAT(mts_truncated)], 1);
		counter_u64_add(stat[MTRACESTAT(mts_records_lost)], lost);
	}
	if (bpf_peers_present_if(ifp)) {
		if_inc_counter(ifp, IFCOUNTER_OPACKETS, 1);
		if_inc_counter(ifp, IFCOUNTER_OBYTES, len);
		bpf_tap_if(ifp, frame, len);
		counter_u64_add(stat[MTRACESTAT(mts_emitted)], 1);
	} else
		counter_u64_add(stat[MTRACESTAT(mts_dropped_no_listener)], 1);
	NET_EPOCH_EXIT(et);
}

static int
mbuf_trace_output(if_t ifp, struct mbuf *m, const struct sockaddr *dst __unused,
    struct route *ro __unused)
{

	if_inc_counter(ifp, IFCOUNTER_OQDROPS, 1);
	m_freem(m);
	return (0);
}

static int
mbuf_trace_transmit(if_t ifp, struct mbuf *m)
{

	if_inc_counter(ifp, IFCOUNTER_OQDROPS, 1);
	m_freem(m);
	return (0);
}

static void
mbuf_trace_qflush(if_t ifp __unused)
{
}

static int
mbuf_trace_ioctl(if_t ifp, u_long cmd, caddr_t data __unused)
{

	switch (cmd) {
	case SIOCSIFFLAGS:
		if ((if_getflags(ifp) & IFF_UP) != 0)
			if_setdrvflagbits(ifp, IFF_DRV_RUNNING, 0);
		else
			if_setdrvflagbits(ifp, 0, IFF_DRV_RUNNING);
		return (0);
	default:
		return (ENOTTY);
	}
}

/*
 * No cloner: FreeBSD 15's if_clone.c refuses cloner names of IFCLOSIZ - 1
 * (10) characters or more, "mbuf_trace" among them, and an interface that
 * only its VNET creates and destroys needs none.  Without one, "ifconfig
 * mbuf_trace destroy" fails (EINVAL) and cannot pull the interface from
 * under a capture.
 */
static void
vnet_mbuf_trace_init(const void *unused __unused)
{
	if_t ifp;

	ifp = if_alloc(IFT_OTHER);
	if_initname(ifp, mbuf_trace_name, IF_DUNIT_NONE);
	if_setsoftc(ifp, &mbuf_trace_if_readers);
	if_setmtu(ifp, MTRACE_FRAME_MAX);
	if_setflagbits(ifp, IFF_UP, 0);
	if_setdrvflagbits(ifp, IFF_DRV_RUNNING, 0);
	if_setoutputfn(ifp, mbuf_trace_output);
	if_settransmitfn(ifp, mbuf_trace_transmit);
	if_setqflushfn(ifp, mbuf_trace_qflush);
	if_setioctlfn(ifp, mbuf_trace_ioctl);
	if_attach(ifp);
	/* The frame has no link header; its records are 16-bit aligned. */
	bpfattach(ifp, DLT_USER0, 0);
	V_mbuf_trace_ifp = ifp;
}
VNET_SYSINIT(vnet_mbuf_trace_init, SI_SUB_PSEUDO, SI_ORDER_ANY,
    vnet_mbuf_trace_init, NULL);

/*
 * With the other interfaces of a dying VNET.  A trace that started on this
 * interface finds no interface by its handle afterwards and is dropped.
 */
static void
vnet_mbuf_trace_uninit(const void *unused __unused)
{
	if_t ifp;

	ifp = V_mbuf_trace_ifp;
	V_mbuf_trace_ifp = NULL;
	bpfdetach(ifp);
	if_detach(ifp);
	if_free(ifp);
	/*
	 * The VNET's statistics go next (SI_ORDER_FIRST): whoever still counts
	 * there, having found the interface, is done once the epoch passed.
	 */
	NET_EPOCH_WAIT();
}
VNET_SYSUNINIT(vnet_mbuf_trace_uninit, SI_SUB_INIT_IF, SI_ORDER_ANY,
    vnet_mbuf_trace_uninit, NULL);

#define	MTRACE_LOST_SIZE	(MTRACE_RECORD_HDRLEN + MTRACE_LOST_LEN)
#define	MTRACE_CUT_SIZE		(MTRACE_RECORD_HDRLEN + MTRACE_CUT_LEN)

static u_int mtrace_queue_max = 256;		/* (a) */
static struct mtrace_limit mtrace_queue_limit = {
	&mtrace_queue_max, 1, 65536
};
SYSCTL_PROC(_net_mbuf_trace, OID_AUTO, queue_max,
    CTLTYPE_UINT | CTLFLAG_RWTUN | CTLFLAG_MPSAFE, &mtrace_queue_limit, 0,
    mtrace_sysctl_limit, "IU", "Finished traces waiting to be emitted");

/* Finished traces, from the tag free routine to the emit task. */
static struct mtx mtrace_queue_mtx;
MTX_SYSINIT(mbuf_trace_queue, &mtrace_queue_mtx, "mbuf_trace queue", MTX_DEF);
static STAILQ_HEAD(, mtrace) mtrace_queue =			/* (q) */
    STAILQ_HEAD_INITIALIZER(mtrace_queue);
static u_int mtrace_queued;				/* (q) */

static struct taskqueue *mtrace_tq;			/* (c) */
static struct task mtrace_task;				/* (c) */
/*
 * The one frame buffer, MTRACE_FRAME_MAX bytes.  Only mtrace_emit() uses it,
 * and mtrace_tq runs that task on a single thread, so it takes no lock.
 */
static u_char *mtrace_frame;				/* (e) */

/*
 * Queue the finished trace mt for the emit task, or drop it when queue_max
 * traces wait already.  Called from the trace's free routine, wherever its
 * packet is freed.
 */
void
mtrace_enqueue(struct mtrace *mt)
{

	mtx_lock(&mtrace_queue_mtx);
	if (mtrace_queued >= atomic_load_int(&mtrace_queue_max)) {
		mtx_unlock(&mtrace_queue_mtx);
		MTRACESTAT_TRACE_INC(mt, mts_dropped_queue_full);
		m_tag_free_default(&mt->mt_tag);
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
 * Text made into a buffer the way snprintf() makes it: as much as fits, and
 * the length the whole text would have.  Location records are the most
 * common records and every one is formatted when its trace is serialised;
 * copying their parts costs a tenth of a printf(9) format.
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
 * The text of record r, a string, a location or a FATE record (its
 * detail), into buf, which has size bytes, as snprintf() makes it: for
 * ddb.
 */
void
mtrace_rec_text(const struct mtrace_rec *r, char *buf, size_t size)
{
	struct mtrace_text x;

	KASSERT(size > 0, ("%s: no room", __func__));
	if (r->mr_type == MTRACE_REC_LOCATION) {
		mtrace_format_location(r, buf, size);
		return;
	}
	x = (struct mtrace_text) { buf, size - 1, 0 };
	if (r->mr_type == MTRACE_REC_FATE)
		mtrace_text_fate(&x, r);
	else
		mtrace_text_string(&x, r);
	buf[MIN(x.mx_len, size - 1)] = '\0';
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
	uintptr_t	ms_pc;		/* (e) */
	long		ms_off;		/* (e) */
	bool		ms_skip;	/* (e) freeing code's, or nameless */
	char		ms_name[MTRACE_SYMLEN];	/* (e) "": none found */
};

static struct mtrace_sym *mtrace_syms;	/* (e) MTRACE_SYMS of them */
static u_int mtrace_syms_used;		/* (e) entries of mtrace_syms in use */
static u_int mtrace_syms_gen;		/* (e) of mtrace_kld_gen, when filled */
static u_int mtrace_kld_gen;		/* (a) bumped by every module unload */
static eventhandler_tag mtrace_kld_tag;	/* (c) */

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
 * records after it are lost, *lostp of them.  The FREE and LOST records,
 * always given room, come last.  Returns the frame's length.
 */
static u_int
mtrace_serialise(const struct mtrace *mt, u_char *buf, u_int size,
    u_int *lostp)
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
	*lostp = lost;
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
	u_int len, lost;

	mtx_lock(&mtrace_queue_mtx);
	STAILQ_CONCAT(&batch, &mtrace_queue);
	mtrace_queued = 0;
	mtx_unlock(&mtrace_queue_mtx);
	STAILQ_FOREACH_SAFE(mt, &batch, mt_queue, next) {
		len = mtrace_serialise(mt, mtrace_frame, MTRACE_FRAME_MAX,
		    &lost);
		mbuf_trace_if_tap(mt->mt_ifid, mtrace_frame, len, lost);
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
