# drops.sh - what each packet the scenario's drops step kills must die of,
# as its trace records it (mbuf_trace.drop.reason); sourced by check.sh,
# whose died() passes when some frame the display filter matches records
# that reason.  The step runs in the host's VNET; jail a is 192.0.2.2 and
# 2001:db8::2 behind epair0a, jail b 192.0.2.18 behind epair1a.
#
# Not provoked: ETHER_IFDOWN (a frame received on an interface that is
# down).  epair(4) drops a frame for a peer that is down itself, after the
# sender's trace has ended at the hand-off (sent); and ETHER_OUT_DOWN: the
# route through an interface that is down is down too (RT_LINK_IS_UP()),
# so ip_output() finds none.
died "pf blocks a SYN in (rule 1, label drops-in)" \
    "tcp.dstport == 7050 && tcp.flags.syn == 1 && mbuf_trace.pf.rule == 1 && mbuf_trace.pf.label == \"drops-in\"" \
    PF_MATCH
died "pf blocks a forwarded datagram out (rule 2)" \
    "udp.dstport == 7051 && mbuf_trace.pf.rule == 2" PF_MATCH
died "too big for the next hop, DF set: pf answers" \
    "icmp.type == 8 && ip.dst == 192.0.2.18 && ip.flags.df == 1 && ip.len == 1428" PF_TOOBIG
died "too big for the next hop, DF set: the stack answers" \
    "icmp.type == 8 && ip.dst == 192.0.2.18 && ip.flags.df == 1 && ip.len == 1328" IP_CANTFRAG
died "no route, sent by the host" "icmp.type == 8 && ip.dst == 198.51.100.1" IP_NOROUTE
died "no route for a packet to forward" "icmp.type == 8 && ip.dst == 203.0.113.9" IP_FWD_NOROUTE
died "no route for an IPv6 packet to forward" \
    "icmpv6.type == 128 && ipv6.dst == 2001:db8:ffff::1" IP6_NOROUTE
died "a blackhole route" "icmp.type == 8 && ip.dst == 198.51.100.7" IP_BLACKHOLE
died "TTL exceeded on the way" "icmp.type == 8 && ip.dst == 192.0.2.18 && ip.ttl == 1" \
    IP_TTLEXCEEDED
died "the host sends through an interface that is down (its route is down with it)" \
    "icmp.type == 8 && ip.dst == 192.0.2.18 && mbuf_trace.path == \"ip_output\"" IP_NOROUTE
died "a multicast echo, not answered" "icmp.type == 8 && ip.dst == 224.0.0.1" ICMP_BMCASTECHO
died "IP options refused (by ip_tryforward(), which sees them first)" \
    "icmp.type == 8 && ip.hdr_len > 20 && ip.dst == 192.0.2.1" IP_FWD_OPTIONS_REFUSED
died "UDP to a closed port" "udp.dstport == 7061" UDP_NOPORT
died "UDP over IPv6 to a closed port" "udp.dstport == 7062" UDP_NOPORT
died "a full socket buffer" "udp.dstport == 7063" UDP_FULLSOCK
died "a listen queue that overflows" "tcp.dstport == 7064 && tcp.flags.ack == 1" TCP_LISTENDROP
died "more fragments than a datagram may have" \
    "ip.src == 192.0.2.2 && ip.dst == 192.0.2.1 && (ip.flags.mf == 1 || ip.frag_offset > 0)" \
    IP_FRAG_DROPPED
died "a netisr queue that overflows" "ip.dst == 127.0.0.1" NETISR_QDROP
died "fragments whose datagram is not completed in time" "ip.dst == 127.0.0.1" IP_FRAG_TIMEOUT
