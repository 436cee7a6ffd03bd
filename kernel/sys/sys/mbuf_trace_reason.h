/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Copyright (c) 2026 The mbuf_trace authors
 */

/*
 * mbuf_trace: what became of a packet, and why.
 *
 * The one table of the reasons a FATE record gives, read by the kernel
 * (mtrace_drop(m, NAME) and its kin), the Wireshark plugin and the docs.
 * Each line is X(NAME, code, FATE, group, counter, text):
 *	NAME	the reason: MTRACE_R_NAME in the kernel, NAME on the wire's
 *		readers (mbuf_trace.drop.reason);
 *	code	its number on the wire, never reused or renumbered;
 *	FATE	MTRACE_FATE_FATE of <sys/mbuf_trace.h>: what became of the
 *		packet for this reason;
 *	group, counter
 *		the statistic the stack counts it in: a member of struct
 *		ipstat (ip), ip6stat (ip6), icmpstat (icmp), icmp6stat
 *		(icmp6), tcpstat (tcp), udpstat (udp), as netstat -s shows
 *		them; pf's reason counter PFRES_* in lower case (pf; pfctl
 *		-si); an interface counter IFCOUNTER_* in lower case (if); or
 *		none, none;
 *	text	one line saying what happened.
 * A counter may be the count of several reasons; a reason names one
 * counter.  docs/drops.md is made from this table.
 */

#ifndef _SYS_MBUF_TRACE_REASON_H_
#define	_SYS_MBUF_TRACE_REASON_H_

/* The fates; a trace without a FATE record has an unknown one (0). */
#define	MTRACE_FATE_DROPPED	1	/* freed, not delivered */
#define	MTRACE_FATE_CONSUMED	2	/* became another packet */
#define	MTRACE_FATE_DELIVERED	3	/* to a socket, a node, an interface */
#define	MTRACE_FATE_SENT	4	/* handed to a driver to transmit */

/*
 * The table, in blocks by part of the stack, each with its range of codes:
 * 1-15 fates other than drops, 16-149 the link layer and interfaces,
 * 150-299 IPv4, ARP and ICMP, 300-499 IPv6, ICMPv6 and ND, 500-699 TCP
 * and UDP, 700-799 pf.
 */
#define	MTRACE_REASONS(X)						\
	MTRACE_REASONS_FATES(X)						\
	MTRACE_REASONS_LINK(X)						\
	MTRACE_REASONS_INET(X)						\
	MTRACE_REASONS_INET6(X)						\
	MTRACE_REASONS_TRANSPORT(X)					\
	MTRACE_REASONS_PF(X)

/* What became of packets that were not dropped. */
#define	MTRACE_REASONS_FATES(X)						\
	X(SENT, 1, SENT, none, none,					\
	    "handed to the interface's driver to transmit")		\
	X(SOCKET, 2, DELIVERED, none, none,				\
	    "delivered to a socket")					\
	X(ICMP_ERROR, 3, CONSUMED, none, none,				\
	    "turned into an ICMP error, which quotes it")		\
	X(ICMP6_ERROR, 4, CONSUMED, none, none,			\
	    "turned into an ICMPv6 error, which quotes it")		\
	X(REASSEMBLED, 5, CONSUMED, none, none,			\
	    "a fragment, joined to the datagram of the first one")	\
	X(NETGRAPH, 6, DELIVERED, none, none,				\
	    "handed to a netgraph node")

/* Ethernet, loopback, bridge, VLAN, netisr and interface queues: 16-149. */
#define	MTRACE_REASONS_LINK(X)

/* IPv4, ARP, ICMP: 150-299. */
#define	MTRACE_REASONS_INET(X)

/* IPv6, ICMPv6, neighbour discovery: 300-499. */
#define	MTRACE_REASONS_INET6(X)

/*
 * TCP, the syncache, UDP over IPv4 and IPv6: 500-699.  TCP's counted
 * drops from 500, its uncounted ones from 530, its other fates from 590;
 * UDP's from 600, 620 and 690 the same way.
 */
#define	MTRACE_REASONS_TRANSPORT(X)					\
	X(TCP_BADSUM, 500, DROPPED, tcp, tcps_rcvbadsum,		\
	    "bad TCP checksum")						\
	X(TCP_BADOFF, 501, DROPPED, tcp, tcps_rcvbadoff,		\
	    "TCP data offset out of range")				\
	X(TCP_SHORT, 502, DROPPED, tcp, tcps_rcvshort,			\
	    "shorter than a TCP header")				\
	X(TCP_SRCANY, 503, DROPPED, ip, ips_badaddr,			\
	    "TCP from the unspecified address 0.0.0.0")			\
	X(TCP_SRCANY6, 504, DROPPED, ip6, ip6s_badscope,		\
	    "TCP from the unspecified address ::")			\
	X(TCP_BADSYN, 505, DROPPED, tcp, tcps_badsyn,			\
	    "SYN flags the connection's state refuses")			\
	X(TCP_SIG_MISSING, 506, DROPPED, tcp, tcps_sig_err_nosigopt,	\
	    "no TCP-MD5 signature where one is required")		\
	X(TCP_SIG_BADOPT, 507, DROPPED, tcp, tcps_sig_err_sigopt,	\
	    "a syncookie ACK's TCP-MD5 signature is wrong")		\
	X(TCP_PAWS, 508, DROPPED, tcp, tcps_pawsdrop,			\
	    "timestamp older than the last one (PAWS)")			\
	X(TCP_AFTERCLOSE, 509, DROPPED, tcp, tcps_rcvafterclose,	\
	    "data after the socket was closed")				\
	X(TCP_BADRST, 510, DROPPED, tcp, tcps_badrst,			\
	    "a RST not at the expected sequence number")		\
	X(TCP_GHOSTACK, 511, DROPPED, tcp, tcps_rcvghostack,		\
	    "an ACK for data before the connection began")		\
	X(TCP_ACKTOOOLD, 512, DROPPED, tcp, tcps_rcvacktooold,		\
	    "an ACK too old for the send window (RFC 5961)")		\
	X(TCP_ACKTOOMUCH, 513, DROPPED, tcp, tcps_rcvacktoomuch,	\
	    "an ACK of data not yet sent")				\
	X(TCP_LISTENDROP, 514, DROPPED, tcp, tcps_listendrop,		\
	    "listen queue full, or no memory for the socket")		\
	X(TCP_SC_DROPPED, 515, DROPPED, tcp, tcps_sc_dropped,		\
	    "the syncache could not send its SYN-ACK")			\
	X(TCP_SC_ZONEFAIL, 516, DROPPED, tcp, tcps_sc_zonefail,		\
	    "no memory for a syncache entry, no syncookies")		\
	X(TCP_SC_SPURIOUS, 517, DROPPED, tcp, tcps_sc_spurcookie,	\
	    "an ACK to a listener, with no syncache entry")		\
	X(TCP_SC_BADCOOKIE, 518, DROPPED, tcp, tcps_sc_failcookie,	\
	    "an ACK to a listener with an invalid syncookie")		\
	X(TCP_NOPORT, 530, DROPPED, none, none,				\
	    "no connection or listening socket for it")			\
	X(TCP_SYNFIN, 531, DROPPED, none, none,				\
	    "SYN and FIN together (net.inet.tcp.drop_synfin)")		\
	X(TCP_NOTIMESTAMP, 532, DROPPED, none, none,			\
	    "no timestamp, though the connection uses them")		\
	X(TCP_BADACK, 533, DROPPED, none, none,				\
	    "an ACK that does not fit the handshake")			\
	X(TCP_LAND, 534, DROPPED, none, none,				\
	    "sequence number before the peer's initial one")		\
	X(TCP_STATE, 535, DROPPED, none, none,				\
	    "flags the connection's state does not accept")		\
	X(TCP_OUTWIN, 536, DROPPED, none, none,				\
	    "entirely beyond the receive window")			\
	X(TCP_NOACK, 537, DROPPED, none, none,				\
	    "no ACK flag on a synchronized connection")			\
	X(TCP_RST_OUTWIN, 538, DROPPED, none, none,			\
	    "a RST outside the receive window")				\
	X(TCP_CANTRCVMORE, 539, DROPPED, none, none,			\
	    "data for a socket that cannot receive more")		\
	X(TCP_AFTERFIN, 540, DROPPED, none, none,			\
	    "data or FIN after the peer's FIN")				\
	X(TCP_IPSEC, 541, DROPPED, none, none,				\
	    "TCP refused by the IPsec policy")				\
	X(TCP_MINTTL, 542, DROPPED, none, none,				\
	    "TTL or hop limit below the socket's minimum")		\
	X(TCP_MAC, 543, DROPPED, none, none,				\
	    "TCP refused by the MAC framework")				\
	X(TCP_SIG_FAIL, 544, DROPPED, none, none,			\
	    "its TCP-MD5 signature does not verify")			\
	X(TCP_SIG_UNEXPECTED, 545, DROPPED, none, none,			\
	    "a TCP-MD5 signature the socket does not use")		\
	X(TCP_SYN_BCAST, 546, DROPPED, none, none,			\
	    "a SYN from or to a broadcast or multicast address")	\
	X(TCP_SYN_SELF, 547, DROPPED, none, none,			\
	    "a SYN from the address and port it is sent to")		\
	X(TCP_DEPRECATED, 548, DROPPED, none, none,			\
	    "a SYN to a deprecated IPv6 address")			\
	X(TCP_SYN_BUSY, 549, DROPPED, none, none,			\
	    "a SYN for a connection whose lock is busy")		\
	X(TCP_SC_NOMEM, 550, DROPPED, none, none,			\
	    "no memory for the syncache entry's MAC label")		\
	X(TCP_SC_BADPORT, 551, DROPPED, none, none,			\
	    "UDP tunnel port differs from the syncache entry's")	\
	X(TCP_SC_PAWS, 552, DROPPED, none, none,			\
	    "timestamp older than the SYN's (PAWS, syncache)")		\
	X(TCP_SC_BADSEQ, 553, DROPPED, none, none,			\
	    "sequence number outside the syncache entry's window")	\
	X(TCP_SC_BADACK, 554, DROPPED, none, none,			\
	    "an ACK that does not acknowledge the SYN-ACK")		\
	X(TCP_RST, 590, CONSUMED, none, none,				\
	    "turned into the RST that answers it")			\
	X(UDP_BADLEN, 600, DROPPED, udp, udps_badlen,			\
	    "bad UDP length")						\
	X(UDP_BADSUM, 601, DROPPED, udp, udps_badsum,			\
	    "bad UDP checksum")						\
	X(UDP_SHORT, 602, DROPPED, udp, udps_hdrops,			\
	    "shorter than a UDP header")				\
	X(UDP_SHORT6, 603, DROPPED, ip6, ip6s_exthdrtoolong,		\
	    "shorter than a UDP header (IPv6)")				\
	X(UDP_NOPORT, 604, DROPPED, udp, udps_noport,			\
	    "no socket bound to the destination port")			\
	X(UDP_NOPORTBCAST, 605, DROPPED, udp, udps_noportbcast,		\
	    "a broadcast to a port no socket is bound to")		\
	X(UDP_NOPORTMCAST, 606, DROPPED, udp, udps_noportmcast,		\
	    "a multicast to a port no socket is bound to")		\
	X(UDP_FULLSOCK, 607, DROPPED, udp, udps_fullsock,		\
	    "the socket's receive buffer is full")			\
	X(UDP_FILTERMCAST, 608, DROPPED, udp, udps_filtermcast,		\
	    "a socket's multicast source filter refused it")		\
	X(UDP_NOTMEMBER, 609, DROPPED, ip, ips_notmember,		\
	    "a socket has not joined the multicast group")		\
	X(UDP_NOTMEMBER6, 610, DROPPED, ip6, ip6s_notmember,		\
	    "a socket has not joined the multicast group")		\
	X(UDP_BADPORT, 620, DROPPED, none, none,			\
	    "UDP to destination port 0")				\
	X(UDP_LITE_NOSUM, 621, DROPPED, none, none,			\
	    "UDP-Lite without a checksum")				\
	X(UDP_LITE_BADLEN, 622, DROPPED, none, none,			\
	    "UDP-Lite checksum coverage out of range")			\
	X(UDP_LITE_COVERAGE, 623, DROPPED, none, none,			\
	    "UDP-Lite coverage below the socket's minimum")		\
	X(UDP_NOSUM6, 624, DROPPED, none, none,				\
	    "no checksum, which UDP over IPv6 requires")		\
	X(UDP_MINTTL, 625, DROPPED, none, none,				\
	    "TTL below the socket's minimum")				\
	X(UDP_IPSEC, 626, DROPPED, none, none,				\
	    "UDP refused by the IPsec policy")				\
	X(UDP_MAC, 627, DROPPED, none, none,				\
	    "UDP refused by the MAC framework")				\
	X(UDP_COPIED, 690, CONSUMED, none, none,			\
	    "copied to each socket that takes it")

/*
 * pf's reasons, 700 + PFRES_*: pf_test() drops with one of them, and
 * pfctl -si counts each under that name (pf.h, PFRES_NAMES).  Its "match"
 * counts every packet a rule matched, passed ones too.
 */
#define	MTRACE_R_PF_BASE	700
#define	MTRACE_REASONS_PF(X)						\
	X(PF_MATCH, 700, DROPPED, pf, match,				\
	    "pf: blocked by a rule")					\
	X(PF_BADOFF, 701, DROPPED, pf, bad_offset,			\
	    "pf: a header lies past the packet's end")			\
	X(PF_FRAG, 702, DROPPED, pf, fragment,				\
	    "pf: a fragment that cannot be reassembled")		\
	X(PF_SHORT, 703, DROPPED, pf, short,				\
	    "pf: a packet too short for its headers")			\
	X(PF_NORM, 704, DROPPED, pf, normalize,			\
	    "pf: dropped by the scrub normaliser")			\
	X(PF_MEMORY, 705, DROPPED, pf, memory,				\
	    "pf: out of memory")					\
	X(PF_TS, 706, DROPPED, pf, bad_timestamp,			\
	    "pf: a bad TCP timestamp (RFC 1323)")			\
	X(PF_CONGEST, 707, DROPPED, pf, congestion,			\
	    "pf: congestion")						\
	X(PF_IPOPTIONS, 708, DROPPED, pf, ip_option,			\
	    "pf: IP options the rule does not allow")			\
	X(PF_PROTCKSUM, 709, DROPPED, pf, proto_cksum,			\
	    "pf: a bad protocol checksum")				\
	X(PF_BADSTATE, 710, DROPPED, pf, state_mismatch,		\
	    "pf: does not fit the state of its connection")		\
	X(PF_STATEINS, 711, DROPPED, pf, state_insert,			\
	    "pf: its state could not be inserted")			\
	X(PF_MAXSTATES, 712, DROPPED, pf, state_limit,			\
	    "pf: the rule's state limit is reached")			\
	X(PF_SRCLIMIT, 713, DROPPED, pf, src_limit,			\
	    "pf: the source's node or connection limit is reached")	\
	X(PF_SYNPROXY, 714, DROPPED, pf, synproxy,			\
	    "pf: taken by the SYN proxy")				\
	X(PF_MAPFAILED, 715, DROPPED, pf, map_failed,			\
	    "pf: no address to map it to")				\
	X(PF_TRANSLATE, 716, DROPPED, pf, translate,			\
	    "pf: no translation address available")

/* The reasons' numbers: MTRACE_R_NAME. */
enum mtrace_reason {
#define	MTRACE_R_ENUM(name, code, fate, group, counter, text)		\
	MTRACE_R_##name = code,
	MTRACE_REASONS(MTRACE_R_ENUM)
#undef MTRACE_R_ENUM
};

/*
 * Each reason's fate, MTRACE_RF_NAME, for the macros to check at compile
 * time that mtrace_drop() is given a drop.
 */
enum mtrace_reason_fate {
#define	MTRACE_RF_ENUM(name, code, fate, group, counter, text)		\
	MTRACE_RF_##name = MTRACE_FATE_##fate,
	MTRACE_REASONS(MTRACE_RF_ENUM)
#undef MTRACE_RF_ENUM
};

#endif /* !_SYS_MBUF_TRACE_REASON_H_ */
