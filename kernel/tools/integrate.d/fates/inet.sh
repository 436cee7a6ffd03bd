# IPv4, ICMP, ARP, reassembly and raw IP: the reasons of the block
# MTRACE_REASONS_INET (150-299), at every drop counter of ipstat,
# icmpstat and arpstat in these files, and the fates of the packets they
# turn into ICMP errors (ICMP_ERROR), join to a datagram (REASSEMBLED) or
# deliver to raw sockets.
#
# - Where the stack counts one packet in two counters (ip_findroute():
#   ips_noroute and ips_cantforward; ip_reass(): ips_toosmall or
#   ips_toolong and ips_fragdropped), it gets a record for each, so that
#   both counters can be compared with the traces.
# - A packet turned into an ICMP error gets its reason first, then
#   icmp_error() records ICMP_ERROR with the error's type << 8 | code, or
#   the reason why it sent none.
# - Each fragment is a packet with its own trace: where a queue of them is
#   freed, each gets the record; where a datagram is completed, each
#   fragment but the first ends as REASSEMBLED, and the first one's trace
#   goes on as the datagram's.

# --- IPv4 input: sys/netinet/ip_input.c ------------------------------------
f=sys/netinet/ip_input.c
mt_skip $f ip_input ip.ips_toosmall "m_pullup() failed: it freed the packet"
mt_skip $f ip_input ip.ips_badhlen "m_pullup() failed: it freed the packet"
mt_fate $f ip_input 'IPSTAT_INC\(ips_badvers\);' "mtrace_drop(m, IP_BADVERS);"
mt_fate $f ip_input 'IPSTAT_INC\(ips_badhlen\);' "mtrace_drop(m, IP_BADHLEN);" 1/2
mt_fate $f ip_input 'IPSTAT_INC\(ips_badaddr\);' \
    "mtrace_drop(m, IP_BADADDR_LOOPBACK);" 1/4
mt_fate $f ip_input 'IPSTAT_INC\(ips_badsum\);' "mtrace_drop(m, IP_BADSUM);"
mt_fate $f ip_input 'IPSTAT_INC\(ips_badlen\);' "mtrace_drop(m, IP_BADLEN);"
# After the label "tooshort:": the goto from the start takes it too.
mt_fate $f ip_input 'IPSTAT_INC\(ips_tooshort\);' "mtrace_drop(m, IP_TOOSHORT);"
mt_fate $f ip_input 'IPSTAT_INC\(ips_badaddr\);' "mtrace_drop(m, IP_BADADDR_ANY);" 2/4
mt_fate $f ip_input 'IPSTAT_INC\(ips_badaddr\);' \
    "mtrace_drop(m, IP_BADADDR_STRONGES);" 3/4
mt_fate $f ip_input 'IPSTAT_INC\(ips_badaddr\);' \
    "mtrace_drop(m, IP_BADADDR_SPOOFED);" 4/4
mt_fate $f ip_input 'IPSTAT_INC\(ips_cantforward\);' "mtrace_drop(m, IP_MFORWARD);" 1/3
mt_fate $f ip_input 'IPSTAT_INC\(ips_cantforward\);' "mtrace_drop(m, IP_LINKLOCAL);" 2/3
mt_fate $f ip_input 'IPSTAT_INC\(ips_cantforward\);' "mtrace_drop(m, IP_NOTFORUS);" 3/3

# ip_forward(): the packet itself, or after ip_output() has failed with
# it (and recorded why), the copy it keeps for the ICMP error, which then
# emits a trace of its own: the original's history, the failure and the
# ICMP error it became (or its drop on ENOBUFS, EACCES).
mt_skip $f ip_forward ip.ips_cantforward "IPSEC_FORWARD() failed: IPsec consumed the packet"
mt_fate $f ip_forward 'IPSTAT_INC\(ips_cantforward\);' "mtrace_drop(m, IP_CANTFORWARD);" 1/5
mt_fate $f ip_forward 'icmp_error\(m, ICMP_TIMXCEED, ICMP_TIMXCEED_INTRANS, 0, 0\);' \
    "mtrace_drop(m, IP_TTLEXCEEDED);"
mt_fate $f ip_forward 'IPSTAT_INC\(ips_cantforward\);' "mtrace_drop(m, IP_BLACKHOLE);" 2/5
mt_fate $f ip_forward 'IPSTAT_INC\(ips_cantforward\);' "mtrace_drop(m, IP_REJECT);" 3/5
mt_replace $f ip_forward '^	if \(error\)$
^		IPSTAT_INC\(ips_cantforward\);$
^	else \{$' \
"${T}if (error) {
${T}${T}mtrace_drop_value(mcopy, IP_FWD_FAILED, error);
${T}${T}IPSTAT_INC(ips_cantforward);
${T}} else {"
mt_fate $f ip_forward 'IPSTAT_INC\(ips_cantfrag\);' "mtrace_drop(mcopy, IP_CANTFRAG);"

# --- IP options: sys/netinet/ip_options.c ----------------------------------
f=sys/netinet/ip_options.c
mt_include $f
mt_insert $f ip_dooptions after '^		code = ICMP_UNREACH_FILTER_PROHIB;$' \
    "${T}${T}mtrace_drop(m, IP_OPTIONS_REFUSED);"
mt_insert $f ip_dooptions after '^					    inet_ntoa_r\(ip->ip_dst, dstbuf\)\);$' \
    "${T}${T}${T}${T}${T}mtrace_drop(m, IP_SRCRT_REFUSED);"
mt_fate $f ip_dooptions 'IPSTAT_INC\(ips_cantforward\);' \
    "mtrace_drop(m, IP_SRCRT_NOTROUTER);"
mt_insert $f ip_dooptions after '^bad:$' \
    "${T}mtrace_drop_default(m, IP_BADOPTIONS, type << 8 | code);"

# --- IPv4 fast forwarding: sys/netinet/ip_fastfwd.c ------------------------
f=sys/netinet/ip_fastfwd.c
mt_fate $f ip_findroute 'IPSTAT_INC\(ips_noroute\);' \
"mtrace_drop(m, IP_NOROUTE);
mtrace_drop(m, IP_FWD_NOROUTE);"
mt_fate $f ip_findroute 'IPSTAT_INC\(ips_cantforward\);' "mtrace_drop(m, IP_BLACKHOLE);" 2/3
mt_fate $f ip_findroute 'IPSTAT_INC\(ips_cantforward\);' "mtrace_drop(m, IP_REJECT);" 3/3
mt_fate $f ip_tryforward 'icmp_error\(m, ICMP_TIMXCEED, ICMP_TIMXCEED_INTRANS, 0, 0\);' \
    "mtrace_drop(m, IP_TTLEXCEEDED);"
mt_fate $f ip_tryforward 'IPSTAT_INC\(ips_cantfrag\);' "mtrace_drop(m, IP_CANTFRAG);"
# With process_options=2, ip_tryforward() refuses a packet with options
# before ip_dooptions() sees it, and counts nothing.
mt_fate $f ip_tryforward 'icmp_error\(m, ICMP_UNREACH, ICMP_UNREACH_FILTER_PROHIB,' \
    "mtrace_drop(m, IP_FWD_OPTIONS_REFUSED);"
mt_skip $f ip_tryforward ip.ips_odropped "if_output() took the packet and failed with it"

# --- IPv4 output: sys/netinet/ip_output.c ----------------------------------
f=sys/netinet/ip_output.c
mt_fate $f ip_output_send 'm_freem\(m\);' "mtrace_drop(m, IP_SNDTAG);" 1/2
mt_fate $f ip_output_send 'm_freem\(m\);' "mtrace_drop(m, IP_SNDTAG);" 2/2
mt_fate $f ip_output 'IPSTAT_INC\(ips_noroute\);' "mtrace_drop(m, IP_NOROUTE);" 1/6
mt_fate $f ip_output 'IPSTAT_INC\(ips_noroute\);' "mtrace_drop(m, IP_NOROUTE);" 2/6
mt_fate $f ip_output 'IPSTAT_INC\(ips_noroute\);' "mtrace_drop(m, IP_NOROUTE);" 3/6
mt_fate $f ip_output 'IPSTAT_INC\(ips_noroute\);' "mtrace_drop(m, IP_NOROUTE);" 4/6
mt_fate $f ip_output 'IPSTAT_INC\(ips_noroute\);' \
"mtrace_drop_why(m, IP_NOROUTE,
    \"the interface does not multicast\");" 5/6
mt_fate $f ip_output 'IPSTAT_INC\(ips_noroute\);' "mtrace_drop(m, IP_NOROUTE);" 6/6
mt_insert $f ip_output after '^		if \(ip->ip_ttl == 0 \|\| ifp->if_flags & IFF_LOOPBACK\) \{$' \
    "${T}${T}${T}mtrace_drop(m, IP_MCAST_LOCAL);"
mt_fate $f ip_output 'error = EADDRNOTAVAIL;' "mtrace_drop(m, IP_BCAST_NOIF);" 1/2
mt_fate $f ip_output 'error = EACCES;' "mtrace_drop(m, IP_BCAST_DENIED);"
mt_fate $f ip_output 'error = EMSGSIZE;' "mtrace_drop(m, IP_BCAST_TOOBIG);" 1/2
mt_fate $f ip_output 'IPSTAT_INC\(ips_badaddr\);' "mtrace_drop(m, IP_BADADDR_LOOPBACK);"
mt_skip $f ip_output ip.ips_odropped "mb_unmapped_to_ext() failed: it freed the packet"
mt_fate $f ip_output 'IPSTAT_INC\(ips_cantfrag\);' "mtrace_drop(m, IP_CANTFRAG);"
# Where the drops meet; one recorded on the way says more.
mt_insert $f ip_output after '^bad:$' \
    "${T}mtrace_drop_default(m, IP_OUTPUT_ERROR, error);"
# ip_fragment(): m0 is the packet, which its caller frees on an error.
mt_fate $f ip_fragment 'IPSTAT_INC\(ips_cantfrag\);' "mtrace_drop(m0, IP_CANTFRAG);"
mt_fate $f ip_fragment 'IPSTAT_INC\(ips_odropped\);' "mtrace_drop(m0, IP_OFRAG_NOMEM);" 1/3
mt_fate $f ip_fragment 'IPSTAT_INC\(ips_odropped\);' "mtrace_drop(m0, IP_OFRAG_NOMEM);" 2/3
mt_fate $f ip_fragment 'IPSTAT_INC\(ips_odropped\);' "mtrace_drop(m0, IP_OFRAG_NOMEM);" 3/3

# --- IPv4 reassembly: sys/netinet/ip_reass.c -------------------------------
f=sys/netinet/ip_reass.c
mt_include $f
mt_fate $f ipq_timeout 'IPSTAT_ADD\(ips_fragtimeout, fp->ipq_nfrags\);' \
"for (struct mbuf *q = fp->ipq_frags; q != NULL; q = q->m_nextpkt)
${T}mtrace_drop(q, IP_FRAG_TIMEOUT);"
mt_fate $f ipq_drop 'IPSTAT_ADD\(ips_fragdropped, fp->ipq_nfrags\);' \
"for (struct mbuf *q = fp->ipq_frags; q != NULL; q = q->m_nextpkt)
${T}mtrace_drop(q, IP_FRAG_DROPPED);"
mt_fate $f ip_reass 'IPSTAT_INC\(ips_fragments\);' "mtrace_drop(m, IP_FRAG_NOREASS);" 1/2
mt_fate $f ip_reass 'IPSTAT_INC\(ips_toosmall\); /\* XXX \*/' \
"mtrace_drop(m, IP_FRAG_BAD);
mtrace_drop(m, IP_FRAG_BADLEN);"
mt_fate $f ip_reass 'IPSTAT_INC\(ips_toolong\);' \
"mtrace_drop(m, IP_FRAG_BAD);
mtrace_drop(m, IP_FRAG_TOOLONG);" 1/2
mt_insert $f ip_reass before '^				fp = NULL;$
^				goto dropfrag;$' "${T}${T}${T}${T}mtrace_drop(m, IP_FRAG_BADOFF);"
mt_replace $f ip_reass '^		if \(ecn0 == IPTOS_ECN_NOTECT\)$
^			goto dropfrag;$' \
"${T}${T}if (ecn0 == IPTOS_ECN_NOTECT) {
${T}${T}${T}mtrace_drop(m, IP_FRAG_ECN);
${T}${T}${T}goto dropfrag;
${T}${T}}"
mt_replace $f ip_reass '^	if \(ecn == IPTOS_ECN_NOTECT && ecn0 != IPTOS_ECN_NOTECT\)$
^		goto dropfrag;$' \
"${T}if (ecn == IPTOS_ECN_NOTECT && ecn0 != IPTOS_ECN_NOTECT) {
${T}${T}mtrace_drop(m, IP_FRAG_ECN);
${T}${T}goto dropfrag;
${T}}"
mt_replace $f ip_reass '^			if \(i >= ntohs\(ip->ip_len\)\)$
^				goto dropfrag;$' \
"${T}${T}${T}if (i >= ntohs(ip->ip_len)) {
${T}${T}${T}${T}mtrace_drop(m, IP_FRAG_DUP);
${T}${T}${T}${T}goto dropfrag;
${T}${T}${T}}"
mt_fate $f ip_reass 'IPSTAT_INC\(ips_fragdropped\);' "mtrace_drop(q, IP_FRAG_OVERLAP);" 4/5
# q is the first fragment: its trace is the datagram's.
mt_fate $f ip_reass 'IPSTAT_INC\(ips_toolong\);' "mtrace_drop(q, IP_REASS_TOOLONG);" 2/2
mt_fate $f ip_reass 'm_demote_pkthdr\(q\);' "mtrace_fate(q, REASSEMBLED);"
# No queue (none free, none to reuse, or MAC's failed): the other gotos
# recorded theirs.
mt_fate $f ip_reass 'IPSTAT_INC\(ips_fragdropped\);' \
    "mtrace_drop_default(m, IP_FRAG_NOQUEUE, 0);" 5/5
mt_insert $f ipreass_drain_vnet before '^			ipq_free\(&V_ipq\[i\], fp\);$' \
"${T}${T}${T}for (struct mbuf *q = fp->ipq_frags; q != NULL;
${T}${T}${T}    q = q->m_nextpkt)
${T}${T}${T}${T}mtrace_drop(q, IP_FRAG_DRAINED);"
mt_skip $f ipreass_drain_vnet ip.ips_fragdropped "counted after the loop; each fragment got its record before ipq_free()"
mt_fate $f ipq_reuse 'IPSTAT_ADD\(ips_fragtimeout, fp->ipq_nfrags\);' \
"for (struct mbuf *q = fp->ipq_frags; q != NULL;
    q = q->m_nextpkt)
${T}mtrace_drop(q, IP_FRAG_EVICTED);"

# --- ICMP: sys/netinet/ip_icmp.c -------------------------------------------
f=sys/netinet/ip_icmp.c
# icmp_error(): n is the packet.  It quotes it in a new one or says why
# not; the end is made into two, so that the error made and the errors
# not made each have their record.
mt_replace $f icmp_error '^	if \(n->m_flags & M_DECRYPTED\)$
^		goto freeit;$' \
"${T}if (n->m_flags & M_DECRYPTED) {
${T}${T}mtrace_drop(n, ICMP_ERR_DECRYPTED);
${T}${T}goto freeit;
${T}}"
mt_replace $f icmp_error '^	if \(n->m_flags & \(M_BCAST\|M_MCAST\)\)$
^		goto freeit;$' \
"${T}if (n->m_flags & (M_BCAST|M_MCAST)) {
${T}${T}mtrace_drop(n, ICMP_ERR_BMCAST);
${T}${T}goto freeit;
${T}}"
mt_replace $f icmp_error '^	if \(oip->ip_off & htons\(~\(IP_MF\|IP_DF\)\)\)$
^		goto freeit;$' \
"${T}if (oip->ip_off & htons(~(IP_MF|IP_DF))) {
${T}${T}mtrace_drop(n, ICMP_ERR_FRAGMENT);
${T}${T}goto freeit;
${T}}"
mt_fate $f icmp_error 'ICMPSTAT_INC\(icps_oldicmp\);' "mtrace_drop(n, ICMP_ERR_OLDICMP);"
mt_replace $f icmp_error '^	if \(m == NULL\)$
^		goto freeit;$' \
"${T}if (m == NULL) {
${T}${T}mtrace_drop(n, ICMP_ERR_NOMEM);
${T}${T}goto freeit;
${T}}"
mt_replace $f icmp_error '^	icmp_reflect\(m\);$
^$
^freeit:$
^	m_freem\(n\);$' \
"${T}mtrace_fate_value(n, ICMP_ERROR, type << 8 | code);
${T}icmp_reflect(m);
${T}m_freem(n);
${T}return;

freeit:
${T}mtrace_drop_default(n, ICMP_ERR_SHORT, type << 8 | code);
${T}m_freem(n);"

mt_fate $f icmp_input 'ICMPSTAT_INC\(icps_tooshort\);' "mtrace_drop(m, ICMP_TOOSHORT);" 1/3
mt_skip $f icmp_input icmp.icps_tooshort "m_pullup() failed: it freed the packet"
mt_fate $f icmp_input 'ICMPSTAT_INC\(icps_checksum\);' "mtrace_drop(m, ICMP_BADSUM);"
mt_fate $f icmp_input 'ICMPSTAT_INC\(icps_badlen\);' "mtrace_drop(m, ICMP_BADLEN);" 1/3
mt_replace $f icmp_input '^		if \(icp->icmp_ip\.ip_dst\.s_addr == INADDR_ANY \|\|$
^		    icp->icmp_ip\.ip_src\.s_addr == INADDR_ANY\)$
^			goto freeit;$' \
"${T}${T}if (icp->icmp_ip.ip_dst.s_addr == INADDR_ANY ||
${T}${T}    icp->icmp_ip.ip_src.s_addr == INADDR_ANY) {
${T}${T}${T}mtrace_drop(m, ICMP_ERR_ANYADDR);
${T}${T}${T}goto freeit;
${T}${T}}"
# badcode, bmcastecho, bmcasttstamp and the badlen of a timestamp
# request or a redirect: not processed, but still handed to the raw
# sockets (rip_input()), where a delivery may follow.
mt_fate $f icmp_input 'ICMPSTAT_INC\(icps_badcode\);' "mtrace_drop(m, ICMP_BADCODE);"
mt_fate $f icmp_input 'ICMPSTAT_INC\(icps_bmcastecho\);' "mtrace_drop(m, ICMP_BMCASTECHO);"
mt_replace $f icmp_input '^		if \(badport_bandlim\(BANDLIM_ICMP_ECHO\) < 0\)$
^			goto freeit;$' \
"${T}${T}if (badport_bandlim(BANDLIM_ICMP_ECHO) < 0) {
${T}${T}${T}mtrace_drop(m, ICMP_RATELIMIT);
${T}${T}${T}goto freeit;
${T}${T}}"
mt_fate $f icmp_input 'ICMPSTAT_INC\(icps_bmcasttstamp\);' "mtrace_drop(m, ICMP_BMCASTTSTAMP);"
mt_fate $f icmp_input 'ICMPSTAT_INC\(icps_badlen\);' "mtrace_drop(m, ICMP_BADLEN);" 2/3
mt_replace $f icmp_input '^		if \(badport_bandlim\(BANDLIM_ICMP_TSTAMP\) < 0\)$
^			goto freeit;$' \
"${T}${T}if (badport_bandlim(BANDLIM_ICMP_TSTAMP) < 0) {
${T}${T}${T}mtrace_drop(m, ICMP_RATELIMIT);
${T}${T}${T}goto freeit;
${T}${T}}"
mt_fate $f icmp_input 'ICMPSTAT_INC\(icps_badlen\);' "mtrace_drop(m, ICMP_BADLEN);" 3/3

# What icmp_input() does not answer in place it took in (an echo reply,
# an error it passed to TCP or UDP, a redirect), unless it said why it
# dropped it: then it offers it to the raw sockets, which may take it.
mt_insert $f icmp_input before '^	mtrace_leave\(m\);$
^	rip_input\(mp, offp, proto\);$' \
    "${T}mtrace_fate_default(m, ICMP_INPUT, icp->icmp_type);"

# icmp_reflect(): m is a request turned into its reply, or the error
# icmp_error() made.
mt_insert $f icmp_reflect before '^		m_freem\(m\);	/\* Bad return address \*/$' \
    "${T}${T}mtrace_drop(m, ICMP_REFLECT_BADADDR);"
mt_fate $f icmp_reflect 'm_freem\(m\);' "mtrace_drop(m, ICMP_REFLECT_NOROUTE);"

# --- Raw IP: sys/netinet/raw_ip.c ------------------------------------------
# A raw socket gets a copy (m_copym()); the packet itself is freed at the
# end of rip_input().  So the packet records its deliveries, one per
# socket, and its trace ends there, delivered; the copies, not traced
# again, emit nothing.
f=sys/netinet/raw_ip.c
mt_include $f
mt_fate $f rip_append 'soroverflow_locked\(so\);' "mtrace_drop(m, IP_RAW_FULLSOCK);"
mt_fate $f rip_append 'sorwakeup_locked\(so\);' "mtrace_deliver(m, inp, ip->ip_p);"
mt_skip $f rip_input ip.ips_notmember "not a drop: one socket passed over, the packet goes on"
mt_fate $f rip_input 'IPSTAT_INC\(ips_noproto\);' "mtrace_drop(m, IP_NOPROTO);"
# No raw socket wanted it: a drop, unless something said before what
# became of it (the kernel's ICMP took it in; a drop on the way,
# ICMP_BADCODE...).
mt_replace $f rip_input '^	\} else$
^		m_freem\(m\);$' \
"${T}} else {
${T}${T}if (appended == 0)
${T}${T}${T}mtrace_fate_default(m, IP_RAW_NOSOCKET, proto);
${T}${T}m_freem(m);
${T}}"

# --- ARP: sys/netinet/if_ether.c -------------------------------------------
f=sys/netinet/if_ether.c
# The packets held for resolution are freed by the llentry code, out of
# sight: lltable_append_entry_queue() drops the oldest, llentry_free()
# the rest.
mt_skip $f arptimer arp.dropped "llentry_free() freed the held packets, out of reach"
mt_skip $f arpresolve_full arp.dropped "lltable_append_entry_queue() freed the oldest held ones"
mt_fate $f arpresolve_full 'm_freem\(m\);' "mtrace_drop(m, ARP_NOENTRY);" 1/2
mt_fate $f arpresolve_full 'm_freem\(m\);' "mtrace_drop(m, ARP_NOENTRY);" 2/2
mt_insert $f arpintr before '^		ARP_LOG\(LOG_NOTICE,$
^		    "packet with unknown hardware format' "${T}${T}mtrace_drop(m, ARP_BADHRD);"
mt_insert $f arpintr before '^		ARP_LOG\(LOG_NOTICE,$
^		    "packet with invalid %s address length' "${T}${T}mtrace_drop(m, ARP_BADHLN);"
mt_fate $f arpintr 'm_freem\(m\);' "mtrace_drop(m, ARP_BADPRO);" 3/3

mt_insert $f in_arpinput before '^		ARP_LOG\(LOG_NOTICE, "requested protocol length != %zu\\n",$' \
    "${T}${T}mtrace_drop(m, ARP_BADPLN);"
mt_insert $f in_arpinput before '^		ARP_LOG\(LOG_NOTICE, "%\*D is multicast\\n",$' \
    "${T}${T}mtrace_drop(m, ARP_MCASTSHA);"
mt_replace $f in_arpinput '^	if \(!bridged \|\| \(ia = CK_STAILQ_FIRST\(&V_in_ifaddrhead\)\) == NULL\)$
^		goto drop;$' \
"${T}if (!bridged || (ia = CK_STAILQ_FIRST(&V_in_ifaddrhead)) == NULL) {
${T}${T}mtrace_drop(m, ARP_NOADDR);
${T}${T}goto drop;
${T}}"
mt_replace $f in_arpinput '^	if \(!bcmp\(ar_sha\(ah\), enaddr, ifp->if_addrlen\)\)$
^		goto drop;	/\* it.s from me, ignore it\. \*/$' \
"${T}if (!bcmp(ar_sha(ah), enaddr, ifp->if_addrlen)) {
${T}${T}mtrace_drop(m, ARP_FROMME);
${T}${T}goto drop;${T}/* it's from me, ignore it. */
${T}}"
mt_insert $f in_arpinput before '^		ARP_LOG\(LOG_NOTICE, "link address is broadcast for IP address "$' \
    "${T}${T}mtrace_drop(m, ARP_BCASTSHA);"
mt_insert $f in_arpinput before '^		ARP_LOG\(LOG_WARNING, "from %\*D: addr len: new %d, "$' \
    "${T}${T}mtrace_drop(m, ARP_BADHLN);"
# Not a request: ARP took in what it says (arp_check_update_lle()).
mt_replace $f in_arpinput '^	if \(op != ARPOP_REQUEST\)$
^		goto drop;$' \
"${T}if (op != ARPOP_REQUEST) {
${T}${T}mtrace_fate(m, ARP_RECEIVED);
${T}${T}goto drop;
${T}}"
mt_replace $f in_arpinput '^			if \(!V_arp_proxyall\)$
^				goto drop;$' \
"${T}${T}${T}if (!V_arp_proxyall) {
${T}${T}${T}${T}mtrace_drop(m, ARP_NOTFORUS);
${T}${T}${T}${T}goto drop;
${T}${T}${T}}"
mt_replace $f in_arpinput '^			nh = fib4_lookup\(ifp->if_fib, itaddr, 0, 0, 0\);$
^			if \(nh == NULL\)$
^				goto drop;$' \
"${T}${T}${T}nh = fib4_lookup(ifp->if_fib, itaddr, 0, 0, 0);
${T}${T}${T}if (nh == NULL) {
${T}${T}${T}${T}mtrace_drop_why(m, ARP_NOPROXY,
${T}${T}${T}${T}    \"no route to the target\");
${T}${T}${T}${T}goto drop;
${T}${T}${T}}"
mt_replace $f in_arpinput '^			if \(nh->nh_ifp == ifp\)$
^				goto drop;$' \
"${T}${T}${T}if (nh->nh_ifp == ifp) {
${T}${T}${T}${T}mtrace_drop_why(m, ARP_NOPROXY,
${T}${T}${T}${T}    \"the target is on the receiving interface\");
${T}${T}${T}${T}goto drop;
${T}${T}${T}}"
mt_replace $f in_arpinput '^			nh = fib4_lookup\(ifp->if_fib, isaddr, 0, 0, 0\);$
^			if \(nh == NULL\)$
^				goto drop;$' \
"${T}${T}${T}nh = fib4_lookup(ifp->if_fib, isaddr, 0, 0, 0);
${T}${T}${T}if (nh == NULL) {
${T}${T}${T}${T}mtrace_drop_why(m, ARP_NOPROXY,
${T}${T}${T}${T}    \"no route back to the sender\");
${T}${T}${T}${T}goto drop;
${T}${T}${T}}"
mt_insert $f in_arpinput before '^				ARP_LOG\(LOG_INFO, "proxy: ignoring request"$' \
    "${T}${T}${T}${T}mtrace_drop_why(m, ARP_NOPROXY,
${T}${T}${T}${T}    \"the sender is not on the receiving interface\");"
mt_insert $f in_arpinput before '^		ARP_LOG\(LOG_ERR, "Failed to calculate ARP header on %s: %d\\n",$' \
    "${T}${T}mtrace_drop(m, ARP_NOHEADER);"
