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

/*
 * IPv4, ARP, ICMP: 150-299.  Input, options and forwarding 150-179,
 * output 180-199, reassembly 200-219 (a fragment's reasons say
 * "fragment:"), ICMP 220-249, raw IP 250-259, ARP 260-299.  Where
 * the stack counts one packet in two counters, it gets a record for each,
 * where it can the one that says more last.
 */
#define	MTRACE_REASONS_INET(X)						\
	X(IP_BADVERS, 150, DROPPED, ip, ips_badvers,			\
	    "not IP version 4")						\
	X(IP_BADHLEN, 151, DROPPED, ip, ips_badhlen,			\
	    "header length less than 20 bytes")				\
	X(IP_BADSUM, 152, DROPPED, ip, ips_badsum,			\
	    "bad header checksum")					\
	X(IP_BADLEN, 153, DROPPED, ip, ips_badlen,			\
	    "total length shorter than the header")			\
	X(IP_TOOSHORT, 154, DROPPED, ip, ips_tooshort,			\
	    "shorter than its total length")				\
	X(IP_BADADDR_LOOPBACK, 155, DROPPED, ip, ips_badaddr,		\
	    "loopback address on a non-loopback interface")		\
	X(IP_BADADDR_ANY, 156, DROPPED, ip, ips_badaddr,		\
	    "destination 0.0.0.0")					\
	X(IP_BADADDR_STRONGES, 157, DROPPED, ip, ips_badaddr,		\
	    "arrived on the wrong interface (rfc1122_strong_es)")	\
	X(IP_BADADDR_SPOOFED, 158, DROPPED, ip, ips_badaddr,		\
	    "its source is one of our addresses (spoofed)")		\
	X(IP_NOTFORUS, 159, DROPPED, ip, ips_cantforward,		\
	    "not for this host, and forwarding is off")			\
	X(IP_LINKLOCAL, 160, DROPPED, ip, ips_cantforward,		\
	    "link-local source or destination, not forwarded")		\
	X(IP_MFORWARD, 161, DROPPED, ip, ips_cantforward,		\
	    "refused by the multicast router (ip_mforward)")		\
	X(IP_OPTIONS_REFUSED, 162, DROPPED, ip, ips_badoptions,		\
	    "IP options refused (net.inet.ip.process_options=2)")	\
	X(IP_SRCRT_REFUSED, 163, DROPPED, ip, ips_badoptions,		\
	    "source routed, and source routing is off")			\
	X(IP_BADOPTIONS, 164, DROPPED, ip, ips_badoptions,		\
	    "bad IP options, or ones that cannot be honoured")		\
	X(IP_SRCRT_NOTROUTER, 165, DROPPED, ip, ips_cantforward,	\
	    "source routed: not forwarded (no router, or ipstealth)")	\
	X(IP_CANTFORWARD, 166, DROPPED, ip, ips_cantforward,		\
	    "broadcast, multicast or unforwardable destination")	\
	X(IP_TTLEXCEEDED, 167, DROPPED, none, none,			\
	    "TTL exceeded in transit")					\
	X(IP_BLACKHOLE, 168, DROPPED, ip, ips_cantforward,		\
	    "the route is a blackhole or a broadcast one")		\
	X(IP_REJECT, 169, DROPPED, ip, ips_cantforward,			\
	    "the route is a reject one")				\
	X(IP_FWD_NOROUTE, 170, DROPPED, ip, ips_cantforward,		\
	    "not forwarded: no route")					\
	X(IP_FWD_FAILED, 171, DROPPED, ip, ips_cantforward,		\
	    "not forwarded: ip_output() failed (value: the error)")	\
	X(IP_CANTFRAG, 172, DROPPED, ip, ips_cantfrag,			\
	    "too big for the MTU, and may not be fragmented")		\
	X(IP_NOROUTE, 180, DROPPED, ip, ips_noroute,			\
	    "no route to the destination")				\
	X(IP_OFRAG_NOMEM, 181, DROPPED, ip, ips_odropped,		\
	    "no memory to fragment it")					\
	X(IP_BCAST_NOIF, 182, DROPPED, none, none,			\
	    "broadcast on an interface that cannot broadcast")		\
	X(IP_BCAST_DENIED, 183, DROPPED, none, none,			\
	    "broadcast without SO_BROADCAST")				\
	X(IP_BCAST_TOOBIG, 184, DROPPED, none, none,			\
	    "broadcast too big for the MTU (never fragmented)")		\
	X(IP_MCAST_LOCAL, 185, DROPPED, none, none,			\
	    "multicast not sent: TTL 0 or a loopback interface")	\
	X(IP_SNDTAG, 186, DROPPED, none, none,				\
	    "its send tag does not match the interface")		\
	X(IP_OUTPUT_ERROR, 187, DROPPED, none, none,			\
	    "ip_output() failed (value: the error)")			\
	X(IP_FRAG_NOREASS, 200, DROPPED, ip, ips_fragdropped,		\
	    "fragment: reassembly off, or the fragment limit reached")	\
	X(IP_FRAG_BAD, 201, DROPPED, ip, ips_fragdropped,		\
	    "fragment: malformed")					\
	X(IP_FRAG_BADLEN, 202, DROPPED, ip, ips_toosmall,		\
	    "fragment: length zero or not a multiple of 8")		\
	X(IP_FRAG_TOOLONG, 203, DROPPED, ip, ips_toolong,		\
	    "fragment: would end beyond 65535 bytes")			\
	X(IP_FRAG_NOQUEUE, 204, DROPPED, ip, ips_fragdropped,		\
	    "fragment: no reassembly queue to be had")			\
	X(IP_FRAG_BADOFF, 205, DROPPED, ip, ips_fragdropped,		\
	    "fragment: beyond the end of its datagram")			\
	X(IP_FRAG_ECN, 206, DROPPED, ip, ips_fragdropped,		\
	    "fragment: its ECN field is at odds with the others'")	\
	X(IP_FRAG_DUP, 207, DROPPED, ip, ips_fragdropped,		\
	    "fragment: all its data was received already")		\
	X(IP_FRAG_OVERLAP, 208, DROPPED, ip, ips_fragdropped,		\
	    "fragment: wholly overlapped by a later one")		\
	X(IP_FRAG_DROPPED, 209, DROPPED, ip, ips_fragdropped,		\
	    "fragment: its datagram had too many fragments or bytes")	\
	X(IP_REASS_TOOLONG, 210, DROPPED, ip, ips_toolong,		\
	    "reassembled datagram longer than 65535 bytes")		\
	X(IP_FRAG_TIMEOUT, 211, DROPPED, ip, ips_fragtimeout,		\
	    "fragment: its datagram was not completed in time")		\
	X(IP_FRAG_EVICTED, 212, DROPPED, ip, ips_fragtimeout,		\
	    "fragment: its queue was taken for a newer datagram")	\
	X(IP_FRAG_DRAINED, 213, DROPPED, ip, ips_fragdropped,		\
	    "fragment: queues drained (low memory, reassembly off)")	\
	X(ICMP_TOOSHORT, 220, DROPPED, icmp, icps_tooshort,		\
	    "shorter than an ICMP header")				\
	X(ICMP_BADSUM, 221, DROPPED, icmp, icps_checksum,		\
	    "bad ICMP checksum")					\
	X(ICMP_BADLEN, 222, DROPPED, icmp, icps_badlen,			\
	    "length does not fit its ICMP type")			\
	X(ICMP_BADCODE, 223, DROPPED, icmp, icps_badcode,		\
	    "unknown code, or an error about a multicast packet")	\
	X(ICMP_ERR_ANYADDR, 224, DROPPED, none, none,			\
	    "an ICMP error about a packet from or to 0.0.0.0")		\
	X(ICMP_BMCASTECHO, 225, DROPPED, icmp, icps_bmcastecho,		\
	    "broadcast or multicast echo request, not answered")	\
	X(ICMP_BMCASTTSTAMP, 226, DROPPED, icmp, icps_bmcasttstamp,	\
	    "broadcast or multicast timestamp request, not answered")	\
	X(ICMP_RATELIMIT, 227, DROPPED, none, none,			\
	    "not answered: rate limit (net.inet.icmp.icmplim)")		\
	X(ICMP_REFLECT_BADADDR, 228, DROPPED, icmp, icps_badaddr,	\
	    "not sent: its destination cannot be answered")		\
	X(ICMP_REFLECT_NOROUTE, 229, DROPPED, icmp, icps_noroute,	\
	    "not sent: no route to its destination")			\
	X(ICMP_ERR_OLDICMP, 230, DROPPED, icmp, icps_oldicmp,		\
	    "no ICMP error sent: it is an ICMP error itself")		\
	X(ICMP_ERR_DECRYPTED, 231, DROPPED, none, none,			\
	    "no ICMP error sent: it was decrypted by IPsec")		\
	X(ICMP_ERR_BMCAST, 232, DROPPED, none, none,			\
	    "no ICMP error sent: broadcast or multicast")		\
	X(ICMP_ERR_FRAGMENT, 233, DROPPED, none, none,			\
	    "no ICMP error sent: a fragment other than the first")	\
	X(ICMP_ERR_SHORT, 234, DROPPED, none, none,			\
	    "no ICMP error sent: too short to quote")			\
	X(ICMP_ERR_NOMEM, 235, DROPPED, none, none,			\
	    "no ICMP error sent: no memory for it")			\
	X(IP_NOPROTO, 250, DROPPED, ip, ips_noproto,			\
	    "no protocol or raw socket for it")				\
	X(IP_RAW_NOSOCKET, 251, DROPPED, none, none,			\
	    "no raw socket took it (after its protocol's processing)")	\
	X(IP_RAW_FULLSOCK, 252, DROPPED, none, none,			\
	    "a raw socket's receive buffer is full")			\
	X(ARP_BADHRD, 260, DROPPED, none, none,				\
	    "ARP: unknown hardware type")				\
	X(ARP_BADHLN, 261, DROPPED, none, none,				\
	    "ARP: bad hardware address length")				\
	X(ARP_BADPRO, 262, DROPPED, none, none,				\
	    "ARP: not for IPv4")					\
	X(ARP_BADPLN, 263, DROPPED, none, none,				\
	    "ARP: protocol address length is not 4")			\
	X(ARP_MCASTSHA, 264, DROPPED, none, none,			\
	    "ARP: sender hardware address is multicast")		\
	X(ARP_BCASTSHA, 265, DROPPED, none, none,			\
	    "ARP: sender hardware address is broadcast")		\
	X(ARP_NOADDR, 266, DROPPED, none, none,				\
	    "ARP: no IPv4 address on the interface")			\
	X(ARP_FROMME, 267, DROPPED, none, none,				\
	    "ARP: sent by this host")					\
	X(ARP_NOTFORUS, 268, DROPPED, none, none,			\
	    "ARP: a request for another host, not proxied")		\
	X(ARP_NOPROXY, 269, DROPPED, none, none,			\
	    "ARP: no proxy reply, the routes do not fit")		\
	X(ARP_NOHEADER, 270, DROPPED, none, none,			\
	    "ARP: the reply's link-layer header cannot be made")	\
	X(ARP_RECEIVED, 271, DELIVERED, none, none,			\
	    "taken in by ARP: not a request, nothing to answer")	\
	X(ARP_HOLDDROP, 272, DROPPED, arp, dropped,			\
	    "held for ARP resolution, then dropped")			\
	X(ARP_NOENTRY, 273, DROPPED, none, none,			\
	    "no ARP entry can be made for the next hop")

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
