# link: Ethernet, loopback, if_bridge, vlan, netisr and the interface send
# queue.  A packet ends as SENT where a driver's if_transmit takes it:
# ether_output_frame(), or, where a bridge or a vlan hands it on, the
# member's or the parent's if_transmit.  Interfaces whose if_transmit is
# the stack's own record the fate there instead of ether_output_frame()
# (mbuf_trace_transmit_records() in if.c says which): a bridge and a vlan
# hand the packet on, if_transmit_default() queues it for the driver's
# if_start, under the queue's lock, and drops it when the queue is full.

# mt_macro_line TEXT: TEXT as a line of a multi-line #define, padded with
# tabs to the backslash at column 72.
mt_macro_line()
{
	printf '%s' "$1" | awk '{
		s = $0; w = 0
		for (i = 1; i <= length(s); i++)
			w = substr(s, i, 1) == "\t" ? w - w % 8 + 8 : w + 1
		while (w < 72) { s = s "\t"; w = w - w % 8 + 8 }
		print s "\\"
	}'
}

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

# --- if_bridge: sys/net/if_bridge.c -----------------------------------------
f=sys/net/if_bridge.c
mt_include $f

mt_insert $f bridge_enqueue after '^		/\* Perhaps the interface was removed from the bridge \*/$' \
    "${T}${T}mtrace_drop(m, BRIDGE_NOMEMBER);"
mt_insert $f bridge_enqueue after '^	if \(!bridge_vfilter_out\(bif, m\)\) \{$' \
    "${T}${T}mtrace_drop(m, BRIDGE_VFILTER_OUT);"
mt_skip $f bridge_enqueue if.oerrors "ether_vlanencap_proto() freed the frame it could not tag"
mt_insert $f bridge_enqueue before '^		if \(\(err = dst_ifp->if_transmit\(dst_ifp, m\)\)\) \{$' \
"#ifdef MBUF_TRACE
${T}${T}if (mtrace_tag(m) != NULL &&
${T}${T}    !mbuf_trace_transmit_records(dst_ifp))
${T}${T}${T}mtrace_sent(m, dst_ifp);
#endif"
# The member refused a fragment: the fragments after it are freed and
# counted with it (the one refused was SENT, its driver freed it).
mt_fate $f bridge_enqueue 'm_freem\(m\);' 'mtrace_drop(m, BRIDGE_TXFAIL);' 3/3

mt_insert $f bridge_dummynet after '^	if \(sc == NULL\) \{$' "${T}${T}mtrace_drop(m, BRIDGE_NOMEMBER);"

mt_skip $f bridge_output if.oerrors "m_dup() failed: the copy for this member was never made; the frame goes on"
mt_replace $f bridge_output '^		if \(used == 0\)$
^			m_freem\(m\);$' \
"${T}${T}if (used == 0) {
${T}${T}${T}mtrace_fate(m, BRIDGE_FLOODED);
${T}${T}${T}m_freem(m);
${T}${T}}"
mt_insert $f bridge_output after '^	if \(\(dst_if->if_drv_flags & IFF_DRV_RUNNING\) == 0\) \{$' \
    "${T}${T}mtrace_drop(m, BRIDGE_DOWN);"

# bridge_forward(): every drop goes to "drop:".
mt_replace $f bridge_forward '^	    sbif->bif_stp.bp_state == BSTP_IFSTATE_DISCARDING\)$
^		goto drop;$' \
"${T}    sbif->bif_stp.bp_state == BSTP_IFSTATE_DISCARDING) {
${T}${T}mtrace_drop(m, BRIDGE_STP_DISCARDING);
${T}${T}goto drop;
${T}}"
mt_replace $f bridge_forward '^		if \(error && sbif->bif_addrmax\)$
^			goto drop;$' \
"${T}${T}if (error && sbif->bif_addrmax) {
${T}${T}${T}mtrace_drop(m, BRIDGE_ADDRMAX);
${T}${T}${T}goto drop;
${T}${T}}"
mt_replace $f bridge_forward '^	    sbif->bif_stp.bp_state == BSTP_IFSTATE_LEARNING\)$
^		goto drop;$' \
"${T}    sbif->bif_stp.bp_state == BSTP_IFSTATE_LEARNING) {
${T}${T}mtrace_drop(m, BRIDGE_STP_LEARNING);
${T}${T}goto drop;
${T}}"
mt_replace $f bridge_forward '^		if \(src_if == dst_if\)$
^			goto drop;$' \
"${T}${T}if (src_if == dst_if) {
${T}${T}${T}mtrace_drop(m, BRIDGE_SAMESIDE);
${T}${T}${T}goto drop;
${T}${T}}"
mt_replace $f bridge_forward '^		    dst\[4\] == 0x00 && dst\[5\] <= 0x0f\)$
^			goto drop;$' \
"${T}${T}    dst[4] == 0x00 && dst[5] <= 0x0f) {
${T}${T}${T}mtrace_drop(m, BRIDGE_RESERVED);
${T}${T}${T}goto drop;
${T}${T}}"
mt_replace $f bridge_forward '^	if \(\(dst_if->if_drv_flags & IFF_DRV_RUNNING\) == 0\)$
^		goto drop;$' \
"${T}if ((dst_if->if_drv_flags & IFF_DRV_RUNNING) == 0) {
${T}${T}mtrace_drop(m, BRIDGE_DOWN);
${T}${T}goto drop;
${T}}"
mt_replace $f bridge_forward '^	if \(dbif == NULL\)$
^		/\* Not a member of the bridge \(anymore\?\) \*/$
^		goto drop;$' \
"${T}if (dbif == NULL) {
${T}${T}/* Not a member of the bridge (anymore?) */
${T}${T}mtrace_drop(m, BRIDGE_NOMEMBER);
${T}${T}goto drop;
${T}}"
mt_replace $f bridge_forward '^	if \(sbif->bif_flags & dbif->bif_flags & IFBIF_PRIVATE\)$
^		goto drop;$' \
"${T}if (sbif->bif_flags & dbif->bif_flags & IFBIF_PRIVATE) {
${T}${T}mtrace_drop(m, BRIDGE_PRIVATE);
${T}${T}goto drop;
${T}}"
mt_replace $f bridge_forward '^	    dbif->bif_stp.bp_state == BSTP_IFSTATE_DISCARDING\)$
^		goto drop;$' \
"${T}    dbif->bif_stp.bp_state == BSTP_IFSTATE_DISCARDING) {
${T}${T}mtrace_drop(m, BRIDGE_STP_DISCARDING);
${T}${T}goto drop;
${T}}"

mt_skip $f bridge_input if.ierrors "m_pullup() freed the frame it could not pull the Ethernet header up in"
mt_fate $f bridge_input 'if_inc_counter\(sc->sc_ifp, IFCOUNTER_IERRORS, 1\);' \
    'mtrace_drop(m, BRIDGE_INJECT_NOSRC);' 2/3
mt_fate $f bridge_input 'if_inc_counter\(sc->sc_ifp, IFCOUNTER_IERRORS, 1\);' \
    'mtrace_drop(m, BRIDGE_VFILTER_IN);' 3/3
mt_insert $f bridge_input after '^		if_inc_counter\(bifp, IFCOUNTER_IBYTES, m->m_pkthdr\.len\);$' \
    "${T}${T}mtrace_drop(m, BRIDGE_MONITOR);"
mt_insert $f bridge_input before \
    '^			bstp_input\(&bif->bif_stp, ifp, m\); /\* consumes mbuf \*/$' \
    "${T}${T}${T}mtrace_fate(m, BRIDGE_STP_BPDU);"
# GRAB_OUR_PACKETS(), a macro defined inside bridge_input(), after the
# "} while (0)" that ends the function for mt_insert.
mt_insert $f "" after '^			if \(error && bif->bif_addrmax\) \{	+\\$' \
    "$(mt_macro_line "${T}${T}${T}${T}mtrace_drop(m, BRIDGE_ADDRMAX);")"
mt_insert $f "" after '^			if \(bifp->if_vlantrunk == NULL\) \{	+\\$' \
    "$(mt_macro_line "${T}${T}${T}${T}mtrace_drop(m, BRIDGE_NOVLAN);")"
mt_insert $f "" after '^	    CARP_CHECK_WE_ARE_SRC\(iface\)\) \{	+\\$' \
    "$(mt_macro_line "${T}${T}mtrace_drop(m, BRIDGE_OWNFRAME);")"

mt_skip $f bridge_broadcast if.oerrors "m_dup() or m_copyup() failed: no copy for this member, or m_copyup() freed it"
mt_replace $f bridge_broadcast '^	if \(used == 0\)$
^		m_freem\(m\);$' \
"${T}if (used == 0) {
${T}${T}mtrace_fate(m, BRIDGE_FLOODED);
${T}${T}m_freem(m);
${T}}"
mt_skip $f bridge_span if.oerrors "m_dup() failed: the span copy was never made; the frame goes on"

mt_replace $f bridge_pfil '^			if \(V_pfil_onlyip\)$
^				goto bad;$' \
"${T}${T}${T}if (V_pfil_onlyip) {
${T}${T}${T}${T}mtrace_drop(*mp, BRIDGE_ONLYIP);
${T}${T}${T}${T}goto bad;
${T}${T}${T}}"
mt_insert $f bridge_pfil after '^bad:$' "${T}mtrace_drop_default(*mp, BRIDGE_FILTER_BAD, 0);"

# The checks bridge_pfil() makes before the filters see a packet, which
# count as ip_input()'s do.  Those after a failed m_copyup() or
# m_pullup() have no packet left.
mt_skip $f bridge_ip_checkbasic ip.ips_toosmall "m_copyup() or m_pullup() freed the packet"
mt_fate $f bridge_ip_checkbasic 'KMOD_IPSTAT_INC\(ips_badvers\);' 'mtrace_drop(m, BRIDGE_IP_BADVERS);'
mt_fate $f bridge_ip_checkbasic 'KMOD_IPSTAT_INC\(ips_badhlen\);' 'mtrace_drop(m, BRIDGE_IP_BADHLEN);' 1/2
mt_skip $f bridge_ip_checkbasic ip.ips_badhlen "m_pullup() freed the packet whose header it could not pull up"
mt_fate $f bridge_ip_checkbasic 'KMOD_IPSTAT_INC\(ips_badsum\);' 'mtrace_drop(m, BRIDGE_IP_BADSUM);'
mt_fate $f bridge_ip_checkbasic 'KMOD_IPSTAT_INC\(ips_badlen\);' 'mtrace_drop(m, BRIDGE_IP_BADLEN);'
mt_fate $f bridge_ip_checkbasic 'KMOD_IPSTAT_INC\(ips_tooshort\);' 'mtrace_drop(m, BRIDGE_IP_TOOSHORT);'
mt_skip $f bridge_ip6_checkbasic ip6.ip6s_toosmall "m_copyup() or m_pullup() freed the packet"
mt_fate $f bridge_ip6_checkbasic 'IP6STAT_INC\(ip6s_badvers\);' 'mtrace_drop(m, BRIDGE_IP6_BADVERS);'

mt_fate $f bridge_fragment 'm_freem\(mcur\);' 'mtrace_drop_default(mcur, BRIDGE_FRAGMENT, error);'

# --- vlan: sys/net/if_vlan.c ------------------------------------------------
f=sys/net/if_vlan.c
mt_include $f

mt_fate $f vlan_transmit 'if_inc_counter\(ifp, IFCOUNTER_OERRORS, 1\);' \
    'mtrace_drop(m, VLAN_TX_NOPARENT);' 1/5
mt_fate $f vlan_transmit 'if_inc_counter\(ifp, IFCOUNTER_OERRORS, 1\);' \
    'mtrace_drop(m, VLAN_SNDTAG);' 2/5
mt_fate $f vlan_transmit 'if_inc_counter\(ifp, IFCOUNTER_OERRORS, 1\);' \
    'mtrace_drop(m, VLAN_PARENTDOWN);' 3/5
mt_skip $f vlan_transmit if.oerrors "ether_8021q_frame() freed the frame it could not tag; or the parent's driver refused the frame, SENT, and freed it"
mt_insert $f vlan_transmit before '^	error = \(p->if_transmit\)\(p, m\);$' \
"#ifdef MBUF_TRACE
${T}if (mtrace_tag(m) != NULL && !mbuf_trace_transmit_records(p))
${T}${T}mtrace_sent(m, p);
#endif"

mt_insert $f vlan_output after '^		if \(TRUNK\(ifv\) == NULL\) \{$' \
    "${T}${T}${T}mtrace_drop(m, VLAN_OUT_NOPARENT);"

mt_insert $f vlan_input after '^	if \(trunk == NULL\) \{$' "${T}${T}mtrace_drop(m, VLAN_NOTRUNK);"
mt_fate $f vlan_input 'if_inc_counter\(ifp, IFCOUNTER_NOPROTO, 1\);' \
    'mtrace_drop(m, VLAN_IFTYPE);' 1/2
mt_fate $f vlan_input 'if_inc_counter\(ifp, IFCOUNTER_NOPROTO, 1\);' \
'if (ifv == NULL)
	mtrace_drop(m, VLAN_UNKNOWN);
else
	mtrace_drop(m, VLAN_DOWN);' 2/2
mt_fate $f vlan_input 'if_inc_counter\(ifp, IFCOUNTER_IERRORS, 1\);' 'mtrace_drop(m, VLAN_NOMEM);'
