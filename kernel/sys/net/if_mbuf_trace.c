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
 * ever sent on it: output drops everything.  kern_mbuf_trace.c sees it only
 * through mbuf_trace_if_listener() and mbuf_trace_if_tap().
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/epoch.h>
#include <sys/eventhandler.h>
#include <sys/kernel.h>
#include <sys/mbuf.h>
#include <sys/mbuf_trace.h>
#include <sys/socket.h>
#include <sys/sockio.h>

#include <net/bpf.h>
#include <net/if.h>
#include <net/if_var.h>
#include <net/if_types.h>
#include <net/vnet.h>

#include <machine/atomic.h>

static const char mbuf_trace_name[] = "mbuf_trace";

VNET_DEFINE_STATIC(if_t, mbuf_trace_ifp);
#define	V_mbuf_trace_ifp	VNET(mbuf_trace_ifp)

/*
 * Readers of the mbuf_trace interfaces of all VNETs, counted as bpf(4)
 * attaches and detaches them.  mtrace_start() reads it first, so that
 * where nobody captures a start point costs a load and a branch.  Our
 * interfaces are those whose softc is this counter.
 */
u_int mbuf_trace_if_readers;
static eventhandler_tag mbuf_trace_bpf_track_tag;

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

bool
mbuf_trace_if_tap(uint32_t handle, void *frame, u_int len)
{
	struct epoch_tracker et;
	bool tapped;
	if_t ifp;

	tapped = false;
	NET_EPOCH_ENTER(et);
	ifp = ifnet_byindexgen(handle >> 16, handle & 0xffff);
	if (ifp != NULL && bpf_peers_present_if(ifp)) {
		if_inc_counter(ifp, IFCOUNTER_OPACKETS, 1);
		if_inc_counter(ifp, IFCOUNTER_OBYTES, len);
		bpf_tap_if(ifp, frame, len);
		tapped = true;
	}
	NET_EPOCH_EXIT(et);
	return (tapped);
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
}
VNET_SYSUNINIT(vnet_mbuf_trace_uninit, SI_SUB_INIT_IF, SI_ORDER_ANY,
    vnet_mbuf_trace_uninit, NULL);
