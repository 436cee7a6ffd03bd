# link: Ethernet, loopback, if_bridge, vlan, netisr and the interface send
# queue.  A packet ends as SENT where a driver's if_transmit takes it:
# ether_output_frame(), or, where a bridge or a vlan hands it on, the
# member's or the parent's if_transmit.  Interfaces whose if_transmit is
# the stack's own record the fate there instead of ether_output_frame()
# (mbuf_trace_transmit_records() in if.c says which): a bridge and a vlan
# hand the packet on, if_transmit_default() queues it for the driver's
# if_start, under the queue's lock, and drops it when the queue is full.

# --- Ethernet: sys/net/if_ethersubr.c ---------------------------------------
f=sys/net/if_ethersubr.c

mt_insert $f ether_input_internal after '^	if \(\(ifp->if_flags & IFF_UP\) == 0\) \{$' \
    "${T}${T}mtrace_drop(m, ETHER_IFDOWN);"
mt_insert $f ether_input_internal after \
    '^		if_printf\(ifp, "discard frame at !IFF_DRV_RUNNING\\n"\);$' \
    "${T}${T}mtrace_drop(m, ETHER_NOTRUNNING);"
mt_fate $f ether_input_internal 'if_inc_counter\(ifp, IFCOUNTER_IERRORS, 1\);' \
    'mtrace_drop(m, ETHER_SHORT);' 1/2
mt_skip $f ether_input_internal if.ierrors "m_pullup() freed the frame whose VLAN header it could not pull up"
mt_insert $f ether_input_internal after '^		case ETHERTYPE_REVARP:$' \
    "${T}${T}${T}mtrace_drop(m, ETHER_V6ONLY);"
mt_insert $f ether_input_internal after '^	if \(ifp->if_flags & IFF_MONITOR\) \{$' \
    "${T}${T}mtrace_drop(m, ETHER_MONITOR);"

mt_fate $f ether_demux 'if_inc_counter\(ifp, IFCOUNTER_NOPROTO, 1\);' \
    'mtrace_drop(m, ETHER_NOVLAN);'
mt_insert $f ether_demux after \
    '^	if \(\(ifp->if_flags & IFF_PPROMISC\) == 0 && \(m->m_flags & M_PROMISC\)\) \{$' \
    "${T}${T}mtrace_drop(m, ETHER_PROMISC);"
mt_insert $f ether_demux after '^			/\* Discard packet if ARP is disabled on interface \*/$' \
    "${T}${T}${T}mtrace_drop(m, ETHER_NOARP);"
# discard: an unsupported ethertype, unless ng_ether takes it as an orphan.
mt_insert $f ether_demux before '^	m_freem\(m\);$
^}$' "${T}mtrace_drop_value(m, ETHER_BADTYPE, ether_type);"

mt_replace $f ether_resolve_addr '^		if \(m != NULL\)$
^			m_freem\(m\);$' \
"${T}${T}if (m != NULL) {
${T}${T}${T}mtrace_drop_value(m, ETHER_OUT_ERROR, EAFNOSUPPORT);
${T}${T}${T}m_freem(m);
${T}${T}}"

mt_replace $f ether_output '^	if \(error\)$
^		senderr\(error\);$' \
"${T}if (error) {
${T}${T}mtrace_drop(m, IF_MAC);
${T}${T}senderr(error);
${T}}"
mt_replace $f ether_output '^	if \(ifp->if_flags & IFF_MONITOR\)$
^		senderr\(ENETDOWN\);$' \
"${T}if (ifp->if_flags & IFF_MONITOR) {
${T}${T}mtrace_drop(m, ETHER_OUT_MONITOR);
${T}${T}senderr(ENETDOWN);
${T}}"
mt_replace $f ether_output '^	    \(ifp->if_drv_flags & IFF_DRV_RUNNING\)\)\)$
^		senderr\(ENETDOWN\);$' \
"${T}    (ifp->if_drv_flags & IFF_DRV_RUNNING))) {
${T}${T}mtrace_drop(m, ETHER_OUT_DOWN);
${T}${T}senderr(ENETDOWN);
${T}}"
# bad: carp_output() and ng_ether's output failures, and the senderr()s
# above, which recorded their own drop.
mt_replace $f ether_output '^bad:	+if \(m != NULL\)$
^	+m_freem\(m\);$' \
"bad:${T}${T}${T}if (m != NULL) {
${T}${T}${T}${T}mtrace_drop_default(m, ETHER_OUT_ERROR, error);
${T}${T}${T}${T}m_freem(m);
${T}${T}${T}}"
mt_skip $f ether_output if.iqdrops "m_dup() failed: the copy to loop back was never made; the frame goes on"

mt_skip $f ether_set_pcp if.oerrors "ether_8021q_frame() freed the frame it could not tag"
mt_insert $f ether_output_frame after '^		case ETHERTYPE_REVARP:$' \
    "${T}${T}${T}mtrace_drop(m, ETHER_V6ONLY);"

# --- Loopback: sys/net/if_loop.c --------------------------------------------
f=sys/net/if_loop.c

mt_insert $f looutput after '^	if \(error\) \{$' "${T}${T}mtrace_drop(m, IF_MAC);"
mt_insert $f looutput after '^	if \(ro != NULL && ro->ro_flags & \(RT_REJECT\|RT_BLACKHOLE\)\) \{$' \
"${T}${T}if (ro->ro_flags & RT_BLACKHOLE)
${T}${T}${T}mtrace_drop(m, LOOP_BLACKHOLE);
${T}${T}else
${T}${T}${T}mtrace_drop(m, LOOP_REJECT);"
mt_insert $f looutput after '^		printf\("looutput: af=%d unexpected\\n", af\);$' \
    "${T}${T}mtrace_drop_value(m, LOOP_BADAF, af);"
mt_insert $f if_simloop after '^		printf\("if_simloop: can.t handle af=%d\\n", af\);$' \
    "${T}${T}mtrace_drop_value(m, LOOP_BADAF, af);"

# --- netisr: sys/net/netisr.c -----------------------------------------------
# Its queue drops are counted per protocol and CPU (nw_qdrops, netstat -Q),
# not by a statistic the reason table names.
f=sys/net/netisr.c
mt_include $f

mt_fate $f netisr_queue_workstream 'm_freem\(m\);' 'mtrace_drop(m, NETISR_QDROP);'
mt_fate $f netisr_process_workstream_proto 'm_freem\(m\);' 'mtrace_drop(m, NETISR_NOIF);'
mt_fate $f netisr_queue_src 'm_freem\(m\);' 'mtrace_drop(m, NETISR_DISABLED);'
mt_fate $f netisr_dispatch_src 'm_freem\(m\);' 'mtrace_drop(m, NETISR_DISABLED);'

# --- The interface send queue: sys/net/if.c ---------------------------------
f=sys/net/if.c
mt_include $f

mt_fate $f if_handoff 'if_inc_counter\(ifp, IFCOUNTER_OQDROPS, 1\);' \
    'mtrace_drop(m, IF_OQDROP);'
mt_replace $f if_transmit_default '^	int error;$
^$
^	IFQ_HANDOFF\(ifp, m, error\);$' \
"${T}int error;
#ifdef MBUF_TRACE
${T}int len;
${T}short mflags;
${T}bool altq;

${T}/*
${T} * IFQ_HANDOFF() spelled out, so that the packet's fate is recorded
${T} * under the send queue's lock, before the driver's if_start can take
${T} * it: sent once queued, dropped when the queue is full.  An ALTQ
${T} * discipline frees what it drops itself, after the packet counted as
${T} * sent.
${T} */
${T}len = m->m_pkthdr.len;
${T}mflags = m->m_flags;
${T}IF_LOCK(&ifp->if_snd);
${T}altq = ALTQ_IS_ENABLED(&ifp->if_snd);
${T}if (altq) {
${T}${T}mtrace_sent(m, ifp);
${T}${T}ALTQ_ENQUEUE(&ifp->if_snd, m, NULL, error);
${T}} else if (_IF_QFULL(&ifp->if_snd)) {
${T}${T}mtrace_drop(m, IF_OQDROP);
${T}${T}m_freem(m);
${T}${T}if_inc_counter(ifp, IFCOUNTER_OQDROPS, 1);
${T}${T}error = ENOBUFS;
${T}} else {
${T}${T}mtrace_sent(m, ifp);
${T}${T}_IF_ENQUEUE(&ifp->if_snd, m);
${T}${T}error = 0;
${T}}
${T}IF_UNLOCK(&ifp->if_snd);
${T}if (error == 0) {
${T}${T}if_inc_counter(ifp, IFCOUNTER_OBYTES, len);
${T}${T}if (mflags & M_MCAST)
${T}${T}${T}if_inc_counter(ifp, IFCOUNTER_OMCASTS, 1);
${T}${T}if ((ifp->if_drv_flags & IFF_DRV_OACTIVE) == 0)
${T}${T}${T}if_start(ifp);
${T}} else if (altq)
${T}${T}if_inc_counter(ifp, IFCOUNTER_OQDROPS, 1);
#else

${T}IFQ_HANDOFF(ifp, m, error);
#endif"
mt_skip $f if_transmit_default if.oqdrops "ALTQ: the discipline freed the packet it would not queue, which counted as sent"
mt_insert $f "" before '^static void$
^if_input_default\(struct ifnet \*ifp __unused, struct mbuf \*m\)$' \
"#ifdef MBUF_TRACE
/*
 * mbuf_trace: whether the if_transmit of ifp records the fate of the
 * packets it takes, so that its callers leave their traces open: a
 * bridge's and a vlan's hand them on to a member's or the parent's
 * if_transmit, if_transmit_default() queues them for the driver's
 * if_start.
 */
bool
mbuf_trace_transmit_records(struct ifnet *ifp)
{

${T}return (ifp->if_type == IFT_BRIDGE || ifp->if_type == IFT_L2VLAN ||
${T}    ifp->if_transmit == if_transmit_default);
}
#endif
"
mt_insert sys/net/if_var.h "" after '^if_transmit_fn_t if_gettransmitfn\(if_t ifp\);$' \
"#ifdef MBUF_TRACE
bool mbuf_trace_transmit_records(if_t ifp);
#endif"
