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

/* TCP, the syncache, UDP over IPv4 and IPv6: 500-699. */
#define	MTRACE_REASONS_TRANSPORT(X)

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
