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
 *		(icmp6), tcpstat (tcp), udpstat (udp), arpstat (arp),
 *		rip6stat (rip6), as netstat -s shows them; pf's reason
 *		counter PFRES_* in lower case (pf; pfctl -si); an interface
 *		counter IFCOUNTER_* in lower case (if); or none, none;
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
#define	MTRACE_REASONS_LINK(X)						\
	X(ETHER_IFDOWN, 16, DROPPED, none, none,			\
	    "received on an interface that is down")			\
	X(ETHER_NOTRUNNING, 17, DROPPED, none, none,			\
	    "received while the driver is not running")			\
	X(ETHER_SHORT, 18, DROPPED, if, ierrors,			\
	    "its first mbuf holds less than an Ethernet header")	\
	X(ETHER_V6ONLY, 19, DROPPED, none, none,			\
	    "IPv4 or ARP on an IPv6-only interface")			\
	X(ETHER_MONITOR, 20, DROPPED, none, none,			\
	    "the interface is in monitor mode: seen by bpf only")	\
	X(ETHER_NOVLAN, 21, DROPPED, if, noproto,			\
	    "VLAN-tagged, but the interface has no vlan(4)")		\
	X(ETHER_PROMISC, 22, DROPPED, none, none,			\
	    "received promiscuously, not for this host")		\
	X(ETHER_NOARP, 23, DROPPED, none, none,				\
	    "ARP, which the interface has turned off")			\
	X(ETHER_BADTYPE, 24, DROPPED, none, none,			\
	    "an ethertype (the value) that no protocol takes")		\
	X(ETHER_OUT_MONITOR, 25, DROPPED, none, none,			\
	    "sent on an interface in monitor mode")			\
	X(ETHER_OUT_DOWN, 26, DROPPED, none, none,			\
	    "sent on an interface that is down")			\
	X(ETHER_OUT_ERROR, 27, DROPPED, none, none,			\
	    "Ethernet output failed with the error (the value)")	\
	X(LOOP_BLACKHOLE, 40, DROPPED, none, none,			\
	    "to the loopback by a blackhole route")			\
	X(LOOP_REJECT, 41, DROPPED, none, none,				\
	    "to the loopback by a reject route")			\
	X(LOOP_BADAF, 42, DROPPED, none, none,				\
	    "an address family (the value) the loopback lacks")		\
	X(BRIDGE_NOMEMBER, 48, DROPPED, none, none,			\
	    "its interface is no longer a member of the bridge")	\
	X(BRIDGE_DOWN, 49, DROPPED, none, none,				\
	    "the member it would leave by is not running")		\
	X(BRIDGE_STP_DISCARDING, 50, DROPPED, none, none,		\
	    "a spanning tree port in the discarding state")		\
	X(BRIDGE_STP_LEARNING, 51, DROPPED, none, none,			\
	    "a spanning tree port in the learning state")		\
	X(BRIDGE_ADDRMAX, 52, DROPPED, none, none,			\
	    "a new source address over the member's limit")		\
	X(BRIDGE_SAMESIDE, 53, DROPPED, none, none,			\
	    "its destination is behind the member it came by")		\
	X(BRIDGE_RESERVED, 54, DROPPED, none, none,			\
	    "to an 802.1D reserved group address")			\
	X(BRIDGE_PRIVATE, 55, DROPPED, none, none,			\
	    "between two private members")				\
	X(BRIDGE_VFILTER_IN, 56, DROPPED, if, ierrors,			\
	    "refused by the receiving member's VLAN filter")		\
	X(BRIDGE_VFILTER_OUT, 57, DROPPED, none, none,			\
	    "refused by the sending member's VLAN filter")		\
	X(BRIDGE_INJECT_NOSRC, 58, DROPPED, if, ierrors,		\
	    "injected by netmap from an unknown address")		\
	X(BRIDGE_MONITOR, 59, DROPPED, none, none,			\
	    "the bridge is in monitor mode: seen by bpf only")		\
	X(BRIDGE_NOVLAN, 60, DROPPED, none, none,			\
	    "VLAN-tagged, but the bridge has no vlan(4)")		\
	X(BRIDGE_OWNFRAME, 61, DROPPED, none, none,			\
	    "a frame this host sent, come back to it")			\
	X(BRIDGE_TXFAIL, 62, DROPPED, if, oerrors,			\
	    "a fragment after one the member would not send")		\
	X(BRIDGE_ONLYIP, 63, DROPPED, none, none,			\
	    "not IP, and the bridge's filtering passes IP only")	\
	X(BRIDGE_FILTER_BAD, 64, DROPPED, none, none,			\
	    "a bad IP header, met by the bridge's filtering")		\
	X(BRIDGE_IP_BADVERS, 65, DROPPED, ip, ips_badvers,		\
	    "bridge filtering: not IP version 4")			\
	X(BRIDGE_IP_BADHLEN, 66, DROPPED, ip, ips_badhlen,		\
	    "bridge filtering: bad IPv4 header length")			\
	X(BRIDGE_IP_BADSUM, 67, DROPPED, ip, ips_badsum,		\
	    "bridge filtering: bad IPv4 header checksum")		\
	X(BRIDGE_IP_BADLEN, 68, DROPPED, ip, ips_badlen,		\
	    "bridge filtering: IPv4 length less than its header")	\
	X(BRIDGE_IP_TOOSHORT, 69, DROPPED, ip, ips_tooshort,		\
	    "bridge filtering: shorter than its IPv4 length")		\
	X(BRIDGE_IP6_BADVERS, 70, DROPPED, ip6, ip6s_badvers,		\
	    "bridge filtering: not IP version 6")			\
	X(BRIDGE_FRAGMENT, 71, DROPPED, none, none,			\
	    "not fragmented for the member's MTU (the error)")		\
	X(BRIDGE_FLOODED, 72, CONSUMED, none, none,			\
	    "flooded: copied to each member that may take it")		\
	X(BRIDGE_STP_BPDU, 73, DELIVERED, none, none,			\
	    "a spanning tree BPDU, taken by the bridge")		\
	X(VLAN_TX_NOPARENT, 100, DROPPED, if, oerrors,			\
	    "sent on a vlan that has no parent interface")		\
	X(VLAN_SNDTAG, 101, DROPPED, if, oerrors,			\
	    "its send tag is for another parent interface")		\
	X(VLAN_PARENTDOWN, 102, DROPPED, if, oerrors,			\
	    "the vlan's parent interface is down")			\
	X(VLAN_OUT_NOPARENT, 103, DROPPED, none, none,			\
	    "routed to a vlan that has no parent interface")		\
	X(VLAN_NOTRUNK, 104, DROPPED, none, none,			\
	    "received on an interface with no vlan(4) trunk")		\
	X(VLAN_IFTYPE, 105, DROPPED, if, noproto,			\
	    "tagged in-band on an interface vlan(4) cannot untag")	\
	X(VLAN_UNKNOWN, 106, DROPPED, if, noproto,			\
	    "no vlan(4) has its VLAN ID")				\
	X(VLAN_DOWN, 107, DROPPED, if, noproto,				\
	    "the vlan(4) of its VLAN ID is down")			\
	X(VLAN_NOMEM, 108, DROPPED, if, ierrors,			\
	    "no memory for the tag of its priority")			\
	X(NETISR_QDROP, 120, DROPPED, none, none,			\
	    "the netisr queue is full (netstat -Q's QDrops)")		\
	X(NETISR_DISABLED, 121, DROPPED, none, none,			\
	    "its protocol is disabled in this vnet")			\
	X(NETISR_NOIF, 122, DROPPED, none, none,			\
	    "its receiving interface went away while queued")		\
	X(IF_OQDROP, 130, DROPPED, if, oqdrops,				\
	    "the interface's send queue is full")			\
	X(IF_MAC, 131, DROPPED, none, none,				\
	    "a MAC policy refused its transmission")

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
	X(ICMP_INPUT, 236, DELIVERED, none, none,			\
	    "taken in by the kernel's ICMP")				\
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
	    "no ARP entry can be made for the next hop")		\
	X(IP_FWD_OPTIONS_REFUSED, 274, DROPPED, none, none,		\
	    "IP options refused by the fast path (process_options=2)")

/*
 * IPv6, ICMPv6, neighbour discovery: 300-499.  IPv6 input, forwarding and
 * output 300-339, ICMPv6 340-379, neighbour discovery 380-419, fragment
 * reassembly 420-459, raw IPv6 sockets 460-479 (which the stack counts in
 * struct rip6stat, netstat -s -p rip6: no group of this table yet).  Each
 * fragment has its own trace and its own drop.  The stack counts the
 * fragments of a queue it drops one by one, but for two cases: an overlap
 * counts the newcomer alone (the queued ones get FRAG6_OVERLAPPED,
 * uncounted), and frag6_drain_one() counts a queue once (FRAG6_DRAINED on
 * its first fragment, FRAG6_DRAINED_REST on the others).
 */
#define	MTRACE_REASONS_INET6(X)						\
	X(IP6_IFDISABLED, 300, DROPPED, none, none,			\
	    "IPv6 is disabled on the interface")			\
	X(IP6_NOMEM, 301, DROPPED, none, none,				\
	    "no memory to handle it")					\
	X(IP6_TOOSMALL, 302, DROPPED, ip6, ip6s_toosmall,		\
	    "too short for its IPv6 header or an option")		\
	X(IP6_BADVERS, 303, DROPPED, ip6, ip6s_badvers,			\
	    "not IP version 6")						\
	X(IP6_BADSCOPE, 304, DROPPED, ip6, ip6s_badscope,		\
	    "an address not allowed there, or out of its scope")	\
	X(IP6_NOTREADY, 305, DROPPED, none, none,			\
	    "to an address of ours not ready yet (tentative)")		\
	X(IP6_NOTOURS, 306, DROPPED, ip6, ip6s_cantforward,		\
	    "not for this host, and forwarding is off")			\
	X(IP6_CANTFORWARD, 307, DROPPED, ip6, ip6s_cantforward,		\
	    "cannot be forwarded")					\
	X(IP6_REJECTROUTE, 308, DROPPED, ip6, ip6s_cantforward,		\
	    "its route is a blackhole or reject route")			\
	X(IP6_NOROUTE, 309, DROPPED, ip6, ip6s_noroute,			\
	    "no route to its destination")				\
	X(IP6_HLIMIT, 310, DROPPED, none, none,				\
	    "its hop limit ran out")					\
	X(IP6_TOOBIG, 311, DROPPED, none, none,				\
	    "too big for the link to forward it on")			\
	X(IP6_TOOSHORT, 312, DROPPED, ip6, ip6s_tooshort,		\
	    "shorter than its headers say")				\
	X(IP6_TOOMANYHDR, 313, DROPPED, ip6, ip6s_toomanyhdr,		\
	    "more extension headers than allowed")			\
	X(IP6_EXTHDRTOOLONG, 314, DROPPED, ip6, ip6s_exthdrtoolong,	\
	    "too short for a header, or no memory (m_pullup)")		\
	X(IP6_BADOPTIONS, 315, DROPPED, ip6, ip6s_badoptions,		\
	    "a bad hop-by-hop option")					\
	X(IP6_BADOPTLEN, 316, DROPPED, none, none,			\
	    "a hop-by-hop option of the wrong length")			\
	X(IP6_OPTDISCARD, 317, DROPPED, none, none,			\
	    "an unknown option that says to discard it")		\
	X(IP6_NOTMEMBER, 318, DROPPED, ip6, ip6s_notmember,		\
	    "multicast to a group not joined here")			\
	X(IP6_FRAGNOBUFS, 319, DROPPED, ip6, ip6s_odropped,		\
	    "no buffers to fragment it")				\
	X(IP6_OUTPUT_ERROR, 320, DROPPED, none, none,			\
	    "not sent: ip6_output() failed (value: the error)")		\
	X(IP6_MCASTLOCAL, 321, DROPPED, none, none,			\
	    "multicast that must not leave this host")			\
	X(IP6_FRAGMENTED, 322, CONSUMED, none, none,			\
	    "split into fragments, each with a copy of its trace")	\
	X(ICMP6_TOOSHORT, 340, DROPPED, icmp6, icp6s_tooshort,		\
	    "too short for an ICMPv6 message")				\
	X(ICMP6_BADSUM, 341, DROPPED, icmp6, icp6s_checksum,		\
	    "bad ICMPv6 checksum")					\
	X(ICMP6_BADCODE, 342, DROPPED, icmp6, icp6s_badcode,		\
	    "an ICMPv6 code unknown for its type")			\
	X(ICMP6_BADLEN, 343, DROPPED, icmp6, icp6s_badlen,		\
	    "the wrong length for its ICMPv6 type")			\
	X(ICMP6_MLDBAD, 344, DROPPED, none, none,			\
	    "MLD without hop limit 1 or a router alert")		\
	X(ICMP6_BADQUOTE, 345, DROPPED, none, none,			\
	    "an ICMPv6 error quoting unusable addresses")		\
	X(ICMP6_NOSOCKET, 346, DROPPED, none, none,			\
	    "ICMPv6 is done with it, and no raw socket took it")	\
	X(ICMP6_FULLSOCK, 347, DROPPED, none, none,			\
	    "a raw ICMPv6 socket's receive buffer is full")		\
	X(ICMP6_CANTERROR, 348, DROPPED, icmp6, icp6s_canterror,	\
	    "no ICMPv6 error may be sent about it")			\
	X(ICMP6_TOOFREQ, 349, DROPPED, icmp6, icp6s_toofreq,		\
	    "its ICMPv6 error or reply is over the rate limit")		\
	X(ICMP6_NOERR_MCAST, 350, DROPPED, none, none,			\
	    "multicast: no ICMPv6 error is sent about it")		\
	X(ICMP6_NOERR_SRC, 351, DROPPED, none, none,			\
	    "its source cannot be sent an ICMPv6 error")		\
	X(ICMP6_NOSRC, 352, DROPPED, none, none,			\
	    "its ICMPv6 reply or error could not be addressed")		\
	X(ICMP6_BADREDIRECT, 353, DROPPED, icmp6, icp6s_badredirect,	\
	    "an invalid redirect")					\
	X(ICMP6_REDIRIGNORED, 354, DROPPED, none, none,			\
	    "a redirect, ignored: a router, or redirects off")		\
	X(ICMP6_INPUT, 355, DELIVERED, none, none,			\
	    "taken in by the kernel's ICMPv6")				\
	X(ND6_BADHLIM, 380, DROPPED, icmp6, icp6s_invlhlim,		\
	    "an ND message with a hop limit other than 255")		\
	X(ND6_BADNS, 381, DROPPED, icmp6, icp6s_badns,			\
	    "an invalid neighbour solicitation")			\
	X(ND6_BADNA, 382, DROPPED, icmp6, icp6s_badna,			\
	    "an invalid neighbour advertisement")			\
	X(ND6_BADOPT, 383, DROPPED, icmp6, icp6s_nd_badopt,		\
	    "an ND message with an invalid option")			\
	X(ND6_FRAGMENT, 384, DROPPED, none, none,			\
	    "a fragmented ND message, ignored (RFC 6980)")		\
	X(ND6_INPUT, 385, DELIVERED, none, none,			\
	    "taken in by neighbour discovery")				\
	X(ND6_HOLDFULL, 386, DROPPED, icmp6, icp6s_dropped,		\
	    "pushed out of an unresolved neighbour's full queue")	\
	X(ND6_NORESOLVE, 387, DROPPED, icmp6, icp6s_dropped,		\
	    "its next hop never answered neighbour solicitation")	\
	X(ND6_NOENTRY, 388, DROPPED, none, none,			\
	    "no neighbour cache entry for its next hop")		\
	X(FRAG6_EMPTY, 420, DROPPED, ip6, ip6s_fragdropped,		\
	    "a fragment without data")					\
	X(FRAG6_FULL, 421, DROPPED, ip6, ip6s_fragdropped,		\
	    "the reassembly queues are full")				\
	X(FRAG6_NOMEM, 422, DROPPED, ip6, ip6s_fragdropped,		\
	    "no memory to queue or reassemble it")			\
	X(FRAG6_ECN, 423, DROPPED, ip6, ip6s_fragdropped,		\
	    "ECN CE and not-ECT mixed in its datagram")			\
	X(FRAG6_OVERLAP, 424, DROPPED, ip6, ip6s_fragdropped,		\
	    "overlaps a fragment queued before it")			\
	X(FRAG6_DUPLICATE, 425, DROPPED, ip6, ip6s_fragdropped,		\
	    "a duplicate of a fragment queued before it")		\
	X(FRAG6_OVERLAPPED, 426, DROPPED, none, none,			\
	    "queued; its queue dropped when a fragment overlapped")	\
	X(FRAG6_TOOBIG, 427, DROPPED, ip6, ip6s_fragdropped,		\
	    "reassembled, longer than 65535 bytes")			\
	X(FRAG6_TOOMANY, 428, DROPPED, ip6, ip6s_fragdropped,		\
	    "its datagram came in too many fragments")			\
	X(FRAG6_TIMEOUT, 429, DROPPED, ip6, ip6s_fragtimeout,		\
	    "its datagram was not complete in time")			\
	X(FRAG6_OVERFLOW, 430, DROPPED, ip6, ip6s_fragoverflow,		\
	    "its queue was dropped to meet a lowered limit")		\
	X(FRAG6_DRAINED, 431, DROPPED, ip6, ip6s_fragdropped,		\
	    "its queue was drained for memory (counted once)")		\
	X(FRAG6_DRAINED_REST, 432, DROPPED, none, none,			\
	    "its queue was drained for memory (not counted)")		\
	X(FRAG6_JUMBO, 433, DROPPED, none, none,			\
	    "a jumbogram with a fragment header")			\
	X(FRAG6_BADLEN, 434, DROPPED, none, none,			\
	    "not the last fragment, and not a multiple of 8 bytes")	\
	X(FRAG6_BEYONDMAX, 435, DROPPED, none, none,			\
	    "a fragment reaching past 65535 bytes")			\
	X(RIP6_BADSUM, 460, DROPPED, rip6, rip6s_badsum,		\
	    "bad checksum, for a raw socket that checks it")		\
	X(RIP6_FULLSOCK, 461, DROPPED, rip6, rip6s_fullsock,		\
	    "a raw socket's receive buffer is full")			\
	X(RIP6_NOSOCK, 462, DROPPED, rip6, rip6s_nosock,		\
	    "no raw socket or protocol took it")			\
	X(RIP6_NOSOCKMCAST, 463, DROPPED, rip6, rip6s_nosockmcast,	\
	    "multicast, and no raw socket took it")

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
	    "pf: no translation address available")			\
	X(PF_TOOBIG, 717, DROPPED, none, none,				\
	    "pf: too big to forward unfragmented; pf sends the ICMP error")

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
