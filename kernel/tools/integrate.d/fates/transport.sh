# transport: TCP, the syncache, UDP over IPv4 and IPv6.
#
# A segment TCP hands to a connection (tfb_tcp_do_segment()) is delivered
# to its socket; a drop tcp_do_segment() decides later is recorded after
# that, and is the last word.  Many tcpstat counters count segments that
# go on being processed (duplicate data trimmed, window probes, duplicate
# ACKs, bytes after the window...): those are no drops, and segments
# tcp_do_segment() processes and frees at its "drop" label (duplicate
# ACKs, a valid RST) stay delivered; its drops get their reason where they
# are decided, not at the labels.  A segment answered with a RST is
# consumed by it (TCP_RST, tcp_dropwithreset()), after the reason it was
# refused for.  A SYN the syncache takes, or a RST it handles, is
# delivered to the listening socket; the ACK that completes a handshake,
# to the new connection.  A datagram UDP appends to a socket
# is delivered just before the socket buffer takes it (and deletes its
# tags); a multicast or broadcast one is copied to each socket that takes
# it, and the original is consumed (UDP_COPIED).
#
# Where a failed m_pullup() frees the packet before the counter, the record
# goes in front of the m_pullup(), on the condition that makes it fail for
# a short packet (it fails for want of memory too: then the counter counts
# a packet the trace does not name).

# --- sys/netinet/tcp_input.c ------------------------------------------------
f=sys/netinet/tcp_input.c

mt_fate $f tcp6_input_with_port 'm = m_pullup\(m, \*offp \+ sizeof\(struct tcphdr\)\);' \
"if (m->m_pkthdr.len < *offp + sizeof(struct tcphdr))
${T}mtrace_drop(m, TCP_SHORT);"

# The header checks.
mt_fate $f tcp_input_with_port 'TCPSTAT_INC\(tcps_rcvbadsum\);' \
    "mtrace_drop(m, TCP_BADSUM);" 1/2
mt_fate $f tcp_input_with_port 'TCPSTAT_INC\(tcps_rcvbadsum\);' \
    "mtrace_drop(m, TCP_BADSUM);" 2/2
mt_fate $f tcp_input_with_port 'IP6STAT_INC\(ip6s_badscope\); /\* XXX \*/' \
    "mtrace_drop(m, TCP_SRCANY6);"
mt_fate $f tcp_input_with_port 'IPSTAT_INC\(ips_badaddr\);' \
    "mtrace_drop(m, TCP_SRCANY);"
mt_fate $f tcp_input_with_port 'TCPSTAT_INC\(tcps_rcvbadoff\);' \
    "mtrace_drop(m, TCP_BADOFF);"
mt_fate $f tcp_input_with_port 'if \(\(m = m_pullup\(m, sizeof \(struct tcpiphdr\)\)\)' \
"if (m->m_pkthdr.len < sizeof(struct tcpiphdr))
${T}mtrace_drop(m, TCP_SHORT);"
mt_skip $f tcp_input_with_port tcp.tcps_rcvshort "the m_pullup() of the TCP options failed (no memory, or headers longer than an mbuf) and freed the packet"

# No socket: refused (tcp_dropwithreset() makes it the RST) or blackholed.
# The second lookup, after syncache_expand() found no entry for an ACK,
# keeps the syncache's reason.
mt_fate $f tcp_input_with_port 'closed_port = true;' \
    "mtrace_drop(m, TCP_NOPORT);" 1/3
mt_fate $f tcp_input_with_port 'closed_port = true;' \
    "mtrace_drop_why(m, TCP_NOPORT, \"its connection is closed\");" 2/3
mt_fate $f tcp_input_with_port 'closed_port = true;' \
"mtrace_drop_why(m, TCP_NOPORT,
    \"UDP tunnel port differs from the connection's\");" 3/3

# The socket's filters.
mt_insert $f tcp_input_with_port after '^	    IPSEC_CHECK_POLICY\(ipv6, m, inp\) != 0\) \{$' \
    "${T}${T}mtrace_drop(m, TCP_IPSEC);"
mt_insert $f tcp_input_with_port after '^	    IPSEC_CHECK_POLICY\(ipv4, m, inp\) != 0\) \{$' \
    "${T}${T}mtrace_drop(m, TCP_IPSEC);"
mt_replace $f tcp_input_with_port '^			if \(inp->inp_ip_minttl > ip6->ip6_hlim\)$
^				goto dropunlock;$' \
"${T}${T}${T}if (inp->inp_ip_minttl > ip6->ip6_hlim) {
${T}${T}${T}${T}mtrace_drop(m, TCP_MINTTL);
${T}${T}${T}${T}goto dropunlock;
${T}${T}${T}}"
mt_replace $f tcp_input_with_port '^		if \(inp->inp_ip_minttl > ip->ip_ttl\)$
^			goto dropunlock;$' \
"${T}${T}if (inp->inp_ip_minttl > ip->ip_ttl) {
${T}${T}${T}mtrace_drop(m, TCP_MINTTL);
${T}${T}${T}goto dropunlock;
${T}${T}}"
mt_replace $f tcp_input_with_port '^	if \(mac_inpcb_check_deliver\(inp, m\)\)$
^		goto dropunlock;$' \
"${T}if (mac_inpcb_check_deliver(inp, m)) {
${T}${T}mtrace_drop(m, TCP_MAC);
${T}${T}goto dropunlock;
${T}}"

# A listening socket: the syncache handles a RST (syncache_chkrst() records
# what it refuses), an ACK (syncache_expand()) and a SYN (syncache_add()).
mt_fate $f tcp_input_with_port 'syncache_chkrst\(&inc, th, m, port\);' \
    "mtrace_deliver(m, inp, IPPROTO_TCP);"
mt_fate $f tcp_input_with_port 'TCPSTAT_INC\(tcps_badsyn\);' \
"mtrace_drop_why(m, TCP_BADSYN,
    \"no SYN to a listening socket\");" 1/3
mt_fate $f tcp_input_with_port 'TCPSTAT_INC\(tcps_badsyn\);' \
"mtrace_drop_why(m, TCP_BADSYN,
    \"SYN-ACK to a listening socket\");" 2/3
mt_fate $f tcp_input_with_port 'TCPSTAT_INC\(tcps_badsyn\);' \
"mtrace_drop_why(m, TCP_BADSYN,
    \"SYN and FIN (net.inet.tcp.drop_synfin)\");" 3/3
mt_insert $f tcp_input_with_port before '^				goto dropwithreset;$' \
    "${T}${T}${T}${T}mtrace_drop(m, TCP_DEPRECATED);"
mt_insert $f tcp_input_with_port after '^		if \(m->m_flags & \(M_BCAST\|M_MCAST\)\) \{$' \
"${T}${T}${T}mtrace_drop_why(m, TCP_SYN_BCAST,
${T}${T}${T}    \"link-layer broadcast or multicast\");"
mt_insert $f tcp_input_with_port after '^			    IN6_ARE_ADDR_EQUAL\(&ip6->ip6_dst, &ip6->ip6_src\)\) \{$' \
    "${T}${T}${T}${T}mtrace_drop(m, TCP_SYN_SELF);"
mt_insert $f tcp_input_with_port after '^			    IN6_IS_ADDR_MULTICAST\(&ip6->ip6_src\)\) \{$' \
    "${T}${T}${T}${T}mtrace_drop(m, TCP_SYN_BCAST);"
mt_insert $f tcp_input_with_port after '^			    ip->ip_dst.s_addr == ip->ip_src.s_addr\) \{$' \
    "${T}${T}${T}${T}mtrace_drop(m, TCP_SYN_SELF);"
mt_insert $f tcp_input_with_port after '^			    in_ifnet_broadcast\(ip->ip_dst, m->m_pkthdr.rcvif\)\) \{$' \
    "${T}${T}${T}${T}mtrace_drop(m, TCP_SYN_BCAST);"

# TCP-MD5 on a connection; a SYN that cannot have the connection's lock.
mt_fate $f tcp_input_with_port 'TCPSTAT_INC\(tcps_sig_err_nosigopt\);' \
    "mtrace_drop(m, TCP_SIG_MISSING);"
mt_replace $f tcp_input_with_port '^		    TCPMD5_INPUT\(m, th, to.to_signature\) != 0\)$
^			goto dropunlock;$' \
"${T}${T}    TCPMD5_INPUT(m, th, to.to_signature) != 0) {
${T}${T}${T}mtrace_drop(m, TCP_SIG_FAIL);
${T}${T}${T}goto dropunlock;
${T}${T}}"
mt_replace $f tcp_input_with_port '^	if \(\(lookupflag & INPLOOKUP_RLOCKPCB\) && INP_TRY_UPGRADE\(inp\) == 0\)$
^		goto dropunlock;$' \
"${T}if ((lookupflag & INPLOOKUP_RLOCKPCB) && INP_TRY_UPGRADE(inp) == 0) {
${T}${T}mtrace_drop(m, TCP_SYN_BUSY);
${T}${T}goto dropunlock;
${T}}"

# Handed to the connection: delivered.  The record goes before the
# mtrace_leave() of 20-instrument, which must stay next to the call for
# both insertions to be found again on a second run.
mt_insert $f tcp_input_with_port before '^			mtrace_leave\(m\);$
^			tp->t_fb->tfb_tcp_do_segment\(tp, m, th, drop_hdrlen,$' \
    "${T}${T}${T}mtrace_deliver(m, inp, IPPROTO_TCP);"
mt_insert $f tcp_input_with_port before '^	mtrace_leave\(m\);$
^	tp->t_fb->tfb_tcp_do_segment\(tp, m, th, drop_hdrlen, tlen, iptos\);$' \
    "${T}mtrace_deliver(m, inp, IPPROTO_TCP);"

# tcp_do_segment(): the segment is delivered already; these drop it.
mt_insert $f tcp_do_segment after '^	if \(\(thflags & TH_SYN\) && \(thflags & TH_FIN\) && V_drop_synfin\) \{$' \
    "${T}${T}mtrace_drop(m, TCP_SYNFIN);"
mt_insert $f tcp_do_segment after '^	    \(SEQ_LEQ\(th->th_ack, tp->iss\) \|\| SEQ_GT\(th->th_ack, tp->snd_max\)\)\) \{$' \
    "${T}${T}mtrace_drop_why(m, TCP_BADACK, \"in SYN-SENT, not for our SYN\");"
mt_insert $f tcp_do_segment after '^				    "segment silently dropped.n", s, __func__\);$
^				free\(s, M_TCPLOG\);$
^			\}$' \
    "${T}${T}${T}mtrace_drop(m, TCP_NOTIMESTAMP);"
mt_insert $f tcp_do_segment after '^		     SEQ_GT\(th->th_ack, tp->snd_max\)\)\) \{$' \
"${T}${T}${T}${T}mtrace_drop_why(m, TCP_BADACK,
${T}${T}${T}${T}    \"in SYN-RECEIVED, not for our SYN-ACK\");"
mt_insert $f tcp_do_segment after '^			if \(\(thflags & \(TH_SYN\|TH_ACK\)\) == \(TH_SYN\|TH_ACK\)\) \{$' \
"${T}${T}${T}${T}mtrace_drop_why(m, TCP_STATE,
${T}${T}${T}${T}    \"SYN-ACK in SYN-RECEIVED (TCP Fast Open)\");"
mt_replace $f tcp_do_segment '^				     tcp_timer_active\(tp, TT_REXMT\)\)\)$
^					goto drop;$' \
"${T}${T}${T}${T}     tcp_timer_active(tp, TT_REXMT))) {
${T}${T}${T}${T}${T}mtrace_drop_why(m, TCP_STATE,
${T}${T}${T}${T}${T}    \"repeated SYN (TCP Fast Open)\");
${T}${T}${T}${T}${T}goto drop;
${T}${T}${T}${T}}"
mt_insert $f tcp_do_segment after '^			\} else if \(!\(thflags & \(TH_ACK\|TH_FIN\|TH_RST\)\)\) \{$' \
"${T}${T}${T}${T}mtrace_drop_why(m, TCP_STATE,
${T}${T}${T}${T}    \"no ACK, FIN or RST (TCP Fast Open)\");"
# In SYN-SENT, a RST with an ACK has reset the connection: it is delivered.
mt_replace $f tcp_do_segment '^		if \(thflags & TH_RST\)$
^			goto drop;$
^		if \(!\(thflags & TH_SYN\)\)$
^			goto drop;$' \
"${T}${T}if (thflags & TH_RST) {
${T}${T}${T}if ((thflags & TH_ACK) == 0)
${T}${T}${T}${T}mtrace_drop_why(m, TCP_STATE,
${T}${T}${T}${T}    \"RST without ACK in SYN-SENT\");
${T}${T}${T}goto drop;
${T}${T}}
${T}${T}if (!(thflags & TH_SYN)) {
${T}${T}${T}mtrace_drop_why(m, TCP_STATE, \"no SYN in SYN-SENT\");
${T}${T}${T}goto drop;
${T}${T}}"
# A RST: one at the expected sequence number resets the connection
# (delivered); one elsewhere in the window gets a challenge ACK, one
# outside it nothing.
mt_fate $f tcp_do_segment 'TCPSTAT_INC\(tcps_badrst\);' \
"mtrace_drop_why(m, TCP_BADRST,
    \"not at the window's start: challenge ACK\");"
mt_replace $f tcp_do_segment '^				m = NULL;$
^			\}$
^		\}$
^		goto drop;$' \
"${T}${T}${T}${T}m = NULL;
${T}${T}${T}}
${T}${T}} else
${T}${T}${T}mtrace_drop(m, TCP_RST_OUTWIN);
${T}${T}goto drop;"
mt_fate $f tcp_do_segment 'TCPSTAT_INC\(tcps_badsyn\);' \
"mtrace_drop_why(m, TCP_BADSYN,
    \"SYN on a synchronized connection\");"
mt_fate $f tcp_do_segment 'TCPSTAT_INC\(tcps_pawsdrop\);' \
    "mtrace_drop(m, TCP_PAWS);"
mt_insert $f tcp_do_segment after '^	if \(tp->t_state == TCPS_SYN_RECEIVED && SEQ_LT\(th->th_seq, tp->irs\)\) \{$' \
    "${T}${T}mtrace_drop(m, TCP_LAND);"
mt_fate $f tcp_do_segment 'TCPSTAT_INC\(tcps_rcvafterclose\);' \
    "mtrace_drop(m, TCP_AFTERCLOSE);"
mt_replace $f tcp_do_segment '^			\} else$
^				goto dropafterack;$' \
"${T}${T}${T}} else {
${T}${T}${T}${T}mtrace_drop(m, TCP_OUTWIN);
${T}${T}${T}${T}goto dropafterack;
${T}${T}${T}}"
mt_replace $f tcp_do_segment '^		\} else if \(tp->t_flags & TF_ACKNOW\)$
^			goto dropafterack;$
^		else$
^			goto drop;$' \
"${T}${T}} else if (tp->t_flags & TF_ACKNOW) {
${T}${T}${T}mtrace_drop(m, TCP_NOACK);
${T}${T}${T}goto dropafterack;
${T}${T}} else {
${T}${T}${T}mtrace_drop(m, TCP_NOACK);
${T}${T}${T}goto drop;
${T}${T}}"
mt_replace $f tcp_do_segment '^			if \(ghost_ack_check\)$
^				TCPSTAT_INC\(tcps_rcvghostack\);$
^			else$
^				TCPSTAT_INC\(tcps_rcvacktooold\);$' \
"${T}${T}${T}if (ghost_ack_check) {
${T}${T}${T}${T}mtrace_drop(m, TCP_GHOSTACK);
${T}${T}${T}${T}TCPSTAT_INC(tcps_rcvghostack);
${T}${T}${T}} else {
${T}${T}${T}${T}mtrace_drop(m, TCP_ACKTOOOLD);
${T}${T}${T}${T}TCPSTAT_INC(tcps_rcvacktooold);
${T}${T}${T}}"
mt_fate $f tcp_do_segment 'TCPSTAT_INC\(tcps_rcvacktoomuch\);' \
    "mtrace_drop(m, TCP_ACKTOOMUCH);"
mt_skip $f tcp_do_segment tcp.tcps_sig_err_sigopt "the segment is processed all the same (FreeBSD: 'XXX: should drop?')"
# Data for a socket that cannot receive more, on the fast path and off it.
mt_insert $f tcp_do_segment after '^			/\* Add data to socket buffer. \*/$
^			SOCK_RECVBUF_LOCK\(so\);$
^			if \(so->so_rcv.sb_state & SBS_CANTRCVMORE\) \{$' \
    "${T}${T}${T}${T}mtrace_drop(m, TCP_CANTRCVMORE);"
mt_replace $f tcp_do_segment '^			if \(so->so_rcv.sb_state & SBS_CANTRCVMORE\)$
^				m_freem\(m\);$
^			else$' \
"${T}${T}${T}if (so->so_rcv.sb_state & SBS_CANTRCVMORE) {
${T}${T}${T}${T}mtrace_drop(m, TCP_CANTRCVMORE);
${T}${T}${T}${T}m_freem(m);
${T}${T}${T}} else"
# Pure ACKs end here too, processed.
mt_insert $f tcp_do_segment before '^		m_freem\(m\);$
^		thflags &= ~TH_FIN;$' \
"${T}${T}if (tlen > 0 || (thflags & TH_FIN) != 0)
${T}${T}${T}mtrace_drop(m, TCP_AFTERFIN);"

# The segment becomes the RST (tcp_respond() reuses or copies it).
mt_fate $f tcp_dropwithreset 'if \(tcp_get_flags\(th\) & TH_ACK\) \{' \
    "mtrace_fate(m, TCP_RST);"

# --- sys/netinet/tcp_syncache.c ---------------------------------------------
f=sys/netinet/tcp_syncache.c
mt_include $f

# A RST to a listening socket (delivered to it by tcp_input_with_port()).
mt_fate $f syncache_chkrst 'TCPSTAT_INC\(tcps_badrst\);' \
    "mtrace_drop_why(m, TCP_BADRST, \"no syncache entry for it\");" 1/4
mt_fate $f syncache_chkrst 'TCPSTAT_INC\(tcps_badrst\);' \
"mtrace_drop_why(m, TCP_BADRST,
    \"UDP tunnel port differs from the syncache entry's\");" 2/4
mt_fate $f syncache_chkrst 'TCPSTAT_INC\(tcps_badrst\);' \
"mtrace_drop_why(m, TCP_BADRST,
    \"not at the window's start: challenge ACK\");" 3/4
mt_fate $f syncache_chkrst 'TCPSTAT_INC\(tcps_badrst\);' \
    "mtrace_drop_why(m, TCP_BADRST, \"outside the window\");" 4/4

# The ACK that completes the handshake (or a TCP Fast Open SYN) finds no
# socket to become.
mt_fate $f syncache_socket 'TCPSTAT_INC\(tcps_listendrop\);' \
    "mtrace_drop(m, TCP_LISTENDROP);" 1/2
mt_fate $f syncache_socket 'TCPSTAT_INC\(tcps_listendrop\);' \
"mtrace_drop_why(m, TCP_LISTENDROP,
    \"the new socket's inpcb could not be connected\");" 2/2

# An ACK to a listening socket that syncache_expand() refuses: with 0,
# tcp_input_with_port() looks again and answers with a RST, with -1 it
# drops it.
mt_fate $f syncache_expand 'TCPSTAT_INC\(tcps_sc_spurcookie\);' \
"mtrace_drop_why(m, TCP_SC_SPURIOUS,
    \"syncookies are off\");" 1/2
mt_fate $f syncache_expand 'TCPSTAT_INC\(tcps_sc_spurcookie\);' \
"mtrace_drop_why(m, TCP_SC_SPURIOUS,
    \"no recent overflow, so no syncookie\");" 2/2
mt_fate $f syncache_expand 'TCPSTAT_INC\(tcps_sc_failcookie\);' \
    "mtrace_drop(m, TCP_SC_BADCOOKIE);"
mt_fate $f syncache_expand 'TCPSTAT_INC\(tcps_sig_err_sigopt\);' \
    "mtrace_drop(m, TCP_SIG_BADOPT);"
mt_insert $f syncache_expand after '^		if \(sc->sc_port != port\) \{$' \
    "${T}${T}${T}mtrace_drop(m, TCP_SC_BADPORT);"
mt_fate $f syncache_expand 'TCPSTAT_INC\(tcps_sig_err_nosigopt\);' \
    "mtrace_drop(m, TCP_SIG_MISSING);"
mt_insert $f syncache_expand after '^				/\* Doesn.t match or no SA \*/$' \
    "${T}${T}${T}${T}mtrace_drop(m, TCP_SIG_FAIL);"
mt_insert $f syncache_expand after '^		    TSTMP_LT\(to->to_tsval, sc->sc_tsreflect\)\) \{$' \
    "${T}${T}${T}mtrace_drop(m, TCP_SC_PAWS);"
mt_insert $f syncache_expand before '^				SCH_UNLOCK\(sch\);$
^				if \(\(s = tcp_log_addrs\(inc, th, NULL, NULL\)\)\) \{$
^					log\(LOG_DEBUG,$
^					    "%s; %s: Timestamp missing, "$
^					    "segment silently dropped' \
    "${T}${T}${T}${T}mtrace_drop(m, TCP_NOTIMESTAMP);"
mt_fate $f syncache_expand 'syncache_send_challenge_ack\(sc, m\);' \
    "mtrace_drop(m, TCP_SC_BADSEQ);"
mt_insert $f syncache_expand after '^		if \(th->th_ack != sc->sc_iss \+ 1\) \{$' \
    "${T}${T}${T}mtrace_drop(m, TCP_SC_BADACK);"

# A SYN: taken when the syncache has sent its SYN-ACK (a repeated SYN
# refreshes its entry), else dropped.  The listening socket is unlocked by
# then; syncache_add() reads its tcpcb after that too.
mt_insert $f syncache_add after '^	if \(mac_syncache_init\(&maclabel\) != 0\) \{$' \
    "${T}${T}mtrace_drop(m, TCP_SC_NOMEM);"
mt_replace $f syncache_add '^			    TCPMD5_INPUT\(m, th, to->to_signature\) != 0\)$
^				goto done;$' \
"${T}${T}${T}    TCPMD5_INPUT(m, th, to->to_signature) != 0) {
${T}${T}${T}${T}mtrace_drop(m, TCP_SIG_FAIL);
${T}${T}${T}${T}goto done;
${T}${T}${T}}"
# tcp_ipsec_input() counts tcps_sig_err_nosigopt when it refuses.
mt_replace $f syncache_add '^			    TCPMD5_INPUT\(m, NULL, NULL\) != ENOENT\)$
^				goto done;$' \
"${T}${T}${T}    TCPMD5_INPUT(m, NULL, NULL) != ENOENT) {
${T}${T}${T}${T}mtrace_drop(m, TCP_SIG_MISSING);
${T}${T}${T}${T}goto done;
${T}${T}${T}}"
mt_replace $f syncache_add '^	\} else if \(to->to_flags & TOF_SIGNATURE\)$
^		goto done;$' \
"${T}} else if (to->to_flags & TOF_SIGNATURE) {
${T}${T}mtrace_drop(m, TCP_SIG_UNEXPECTED);
${T}${T}goto done;
${T}}"
mt_insert $f syncache_add after '^		if \(syncache_respond\(sc, m, TH_SYN\|TH_ACK\) == 0\) \{$' \
    "${T}${T}${T}mtrace_deliver(m, inp, IPPROTO_TCP);"
mt_fate $f syncache_add 'TCPSTAT_INC\(tcps_sc_dropped\);' \
    "mtrace_drop(m, TCP_SC_DROPPED);" 1/2
mt_skip $f syncache_add tcp.tcps_sc_zonefail "counted when the first allocation fails; the SYN is dropped only if the retry fails without syncookies, and recorded there"
mt_insert $f syncache_add before '^					SCH_UNLOCK\(sch\);$
^					goto done;$' \
    "${T}${T}${T}${T}${T}mtrace_drop(m, TCP_SC_ZONEFAIL);"
mt_insert $f syncache_add after '^	if \(syncache_respond\(sc, m, TH_SYN\|TH_ACK\) == 0\) \{$' \
    "${T}${T}mtrace_deliver(m, inp, IPPROTO_TCP);"
mt_fate $f syncache_add 'TCPSTAT_INC\(tcps_sc_dropped\);' \
    "mtrace_drop(m, TCP_SC_DROPPED);" 2/2
mt_skip $f syncache_timer tcp.tcps_sc_dropped "a timer's SYN-ACK retransmission failed: the SYN is long gone"

# --- sys/netinet/udp_usrreq.c -----------------------------------------------
f=sys/netinet/udp_usrreq.c

mt_insert $f udp_append after '^	    IPSEC_CHECK_POLICY\(ipv4, n, inp\) != 0\) \{$' \
    "${T}${T}mtrace_drop(n, UDP_IPSEC);"
mt_insert $f udp_append after '^	if \(mac_inpcb_check_deliver\(inp, n\) != 0\) \{$' \
    "${T}${T}mtrace_drop(n, UDP_MAC);"
mt_fate $f udp_append 'if \(sbappendaddr_locked\(&so->so_rcv, append_sa, n, opts\) == 0\) \{' \
    "mtrace_deliver(n, inp, IPPROTO_UDP);"
mt_fate $f udp_append 'soroverflow_locked\(so\);' \
    "mtrace_drop(n, UDP_FULLSOCK);"

# Multicast and broadcast: each socket that takes the datagram gets a copy;
# a socket's filters count their refusals on the original.
mt_replace $f udp_multi_input '^				if \(blocked == MCAST_NOTGMEMBER\)$
^					IPSTAT_INC\(ips_notmember\);$
^				if \(blocked == MCAST_NOTSMEMBER \|\|$
^				    blocked == MCAST_MUTED\)$
^					UDPSTAT_INC\(udps_filtermcast\);$' \
"${T}${T}${T}${T}if (blocked == MCAST_NOTGMEMBER) {
${T}${T}${T}${T}${T}mtrace_drop(m, UDP_NOTMEMBER);
${T}${T}${T}${T}${T}IPSTAT_INC(ips_notmember);
${T}${T}${T}${T}}
${T}${T}${T}${T}if (blocked == MCAST_NOTSMEMBER ||
${T}${T}${T}${T}    blocked == MCAST_MUTED) {
${T}${T}${T}${T}${T}mtrace_drop(m, UDP_FILTERMCAST);
${T}${T}${T}${T}${T}UDPSTAT_INC(udps_filtermcast);
${T}${T}${T}${T}}"
mt_replace $f udp_multi_input '^		UDPSTAT_INC\(udps_noport\);$
^		if \(IN_MULTICAST\(ntohl\(ip->ip_dst.s_addr\)\)\)$
^			UDPSTAT_INC\(udps_noportmcast\);$
^		else$
^			UDPSTAT_INC\(udps_noportbcast\);$
^	\}$
^	m_freem\(m\);$' \
"${T}${T}mtrace_drop(m, UDP_NOPORT);
${T}${T}UDPSTAT_INC(udps_noport);
${T}${T}if (IN_MULTICAST(ntohl(ip->ip_dst.s_addr))) {
${T}${T}${T}mtrace_drop(m, UDP_NOPORTMCAST);
${T}${T}${T}UDPSTAT_INC(udps_noportmcast);
${T}${T}} else {
${T}${T}${T}mtrace_drop(m, UDP_NOPORTBCAST);
${T}${T}${T}UDPSTAT_INC(udps_noportbcast);
${T}${T}}
${T}} else
${T}${T}mtrace_fate(m, UDP_COPIED);
${T}m_freem(m);"

mt_fate $f udp_input 'if \(\(m = m_pullup\(m, iphlen \+ sizeof\(struct udphdr\)\)\) == NULL\) \{' \
"if (m->m_pkthdr.len < iphlen + sizeof(struct udphdr))
${T}mtrace_drop(m, UDP_SHORT);"
mt_replace $f udp_input '^	if \(uh->uh_dport == 0\)$
^		goto badunlocked;$' \
"${T}if (uh->uh_dport == 0) {
${T}${T}mtrace_drop(m, UDP_BADPORT);
${T}${T}goto badunlocked;
${T}}"
mt_fate $f udp_input 'UDPSTAT_INC\(udps_badlen\);' "mtrace_drop(m, UDP_BADLEN);"
mt_fate $f udp_input 'UDPSTAT_INC\(udps_badsum\);' "mtrace_drop(m, UDP_BADSUM);"
mt_insert $f udp_input after '^			/\* XXX: What is the right UDPLite MIB counter here\? \*/$' \
    "${T}${T}${T}mtrace_drop(m, UDP_LITE_NOSUM);"
# No socket: icmp_error() records that it consumes the datagram.
mt_fate $f udp_input 'UDPSTAT_INC\(udps_noport\);' "mtrace_drop(m, UDP_NOPORT);"
mt_fate $f udp_input 'UDPSTAT_INC\(udps_noportmcast\);' "mtrace_drop(m, UDP_NOPORTMCAST);"
mt_fate $f udp_input 'UDPSTAT_INC\(udps_noportbcast\);' "mtrace_drop(m, UDP_NOPORTBCAST);"
mt_insert $f udp_input after '^	if \(inp->inp_ip_minttl && inp->inp_ip_minttl > ip->ip_ttl\) \{$' \
    "${T}${T}mtrace_drop(m, UDP_MINTTL);"
mt_insert $f udp_input after '^		if \(up->u_rxcslen == 0 \|\| up->u_rxcslen > len\) \{$' \
    "${T}${T}${T}mtrace_drop(m, UDP_LITE_COVERAGE);"

# --- sys/netinet6/udp6_usrreq.c ---------------------------------------------
f=sys/netinet6/udp6_usrreq.c
mt_include $f

mt_insert $f udp6_append after '^		if \(IPSEC_CHECK_POLICY\(ipv6, n, inp\) != 0\) \{$' \
    "${T}${T}${T}mtrace_drop(n, UDP_IPSEC);"
mt_insert $f udp6_append after '^	if \(mac_inpcb_check_deliver\(inp, n\) != 0\) \{$' \
    "${T}${T}mtrace_drop(n, UDP_MAC);"
mt_fate $f udp6_append 'if \(sbappendaddr_locked\(&so->so_rcv, \(struct sockaddr \*\)&fromsa\[0\], n,' \
    "mtrace_deliver(n, inp, IPPROTO_UDP);"
mt_fate $f udp6_append 'soroverflow_locked\(so\);' \
    "mtrace_drop(n, UDP_FULLSOCK);"

mt_replace $f udp6_multi_input '^				if \(blocked == MCAST_NOTGMEMBER\)$
^					IP6STAT_INC\(ip6s_notmember\);$
^				if \(blocked == MCAST_NOTSMEMBER \|\|$
^				    blocked == MCAST_MUTED\)$
^					UDPSTAT_INC\(udps_filtermcast\);$' \
"${T}${T}${T}${T}if (blocked == MCAST_NOTGMEMBER) {
${T}${T}${T}${T}${T}mtrace_drop(m, UDP_NOTMEMBER6);
${T}${T}${T}${T}${T}IP6STAT_INC(ip6s_notmember);
${T}${T}${T}${T}}
${T}${T}${T}${T}if (blocked == MCAST_NOTSMEMBER ||
${T}${T}${T}${T}    blocked == MCAST_MUTED) {
${T}${T}${T}${T}${T}mtrace_drop(m, UDP_FILTERMCAST);
${T}${T}${T}${T}${T}UDPSTAT_INC(udps_filtermcast);
${T}${T}${T}${T}}"
# The datagram was freed before it was counted: free it after.
mt_replace $f udp6_multi_input '^	m_freem\(m\);$
^$
^	if \(appends == 0\) \{$
^		/\*$
^		 \* No matching pcb found; discard datagram.  \(No need$
^		 \* to send an ICMP Port Unreachable for a broadcast$
^		 \* or multicast datagram.\)$
^		 \*/$
^		UDPSTAT_INC\(udps_noport\);$
^		UDPSTAT_INC\(udps_noportmcast\);$
^	\}$' \
"${T}if (appends == 0) {
${T}${T}/*
${T}${T} * No matching pcb found; discard datagram.  (No need
${T}${T} * to send an ICMP Port Unreachable for a broadcast
${T}${T} * or multicast datagram.)
${T}${T} */
${T}${T}mtrace_drop(m, UDP_NOPORT);
${T}${T}UDPSTAT_INC(udps_noport);
${T}${T}mtrace_drop(m, UDP_NOPORTMCAST);
${T}${T}UDPSTAT_INC(udps_noportmcast);
${T}} else
${T}${T}mtrace_fate(m, UDP_COPIED);
${T}m_freem(m);"

mt_fate $f udp6_input 'm = m_pullup\(m, off \+ sizeof\(struct udphdr\)\);' \
"if (m->m_pkthdr.len < off + sizeof(struct udphdr))
${T}mtrace_drop(m, UDP_SHORT6);"
mt_replace $f udp6_input '^	if \(uh->uh_dport == 0\)$
^		goto badunlocked;$' \
"${T}if (uh->uh_dport == 0) {
${T}${T}mtrace_drop(m, UDP_BADPORT);
${T}${T}goto badunlocked;
${T}}"
mt_insert $f udp6_input after '^		if \(\(ulen < sizeof\(struct udphdr\)\) \|\| \(ulen > plen\)\) \{$' \
    "${T}${T}${T}mtrace_drop(m, UDP_LITE_BADLEN);"
mt_insert $f udp6_input after '^		if \(uh->uh_sum == 0\) \{$
^			/\* XXX: What is the right UDPLite MIB counter\? \*/$' \
    "${T}${T}${T}mtrace_drop(m, UDP_LITE_NOSUM);"
mt_fate $f udp6_input 'UDPSTAT_INC\(udps_badlen\);' "mtrace_drop(m, UDP_BADLEN);"
mt_replace $f udp6_input '^			else$
^				goto badunlocked;$' \
"${T}${T}${T}else {
${T}${T}${T}${T}mtrace_drop(m, UDP_NOSUM6);
${T}${T}${T}${T}goto badunlocked;
${T}${T}${T}}"
mt_fate $f udp6_input 'UDPSTAT_INC\(udps_badsum\);' "mtrace_drop(m, UDP_BADSUM);"
# No socket: icmp6_error() records that it consumes the datagram.
mt_fate $f udp6_input 'UDPSTAT_INC\(udps_noport\);' "mtrace_drop(m, UDP_NOPORT);"
mt_fate $f udp6_input 'UDPSTAT_INC\(udps_noportmcast\);' "mtrace_drop(m, UDP_NOPORTMCAST);"
mt_insert $f udp6_input after '^		if \(up->u_rxcslen == 0 \|\| up->u_rxcslen > ulen\) \{$' \
    "${T}${T}${T}mtrace_drop(m, UDP_LITE_COVERAGE);"
