# paths.sh - the path FreeBSD 15.1 takes for each packet of scenario.sh, as
# the trace shows it (mbuf_trace.path); sourced by check.sh, whose path()
# passes when some frame the display filter matches has exactly that path.
# The host's VNET is traced: traces begin in ether_input() (received),
# ip_output()/ip6_output()/ether_output() (sent by the host) and end in
# ether_output_frame() (handed to the driver) or where the packet is freed.
rx="ether_input > ether_input_internal > ether_demux"
tx="ether_output > ether_output_frame"
icmp4() # TYPE SRC DST: an ICMP packet of one fragment
{
	echo "icmp.type == $1 && ip.src == $2 && ip.dst == $3 && ip.frag_offset == 0 && ip.flags.mf == 0"
}

path "ARP request out" "arp.opcode == 1 && arp.dst.proto_ipv4 == 10.0.2.2" "$tx"
path "ARP reply in" "arp.opcode == 2 && arp.src.proto_ipv4 == 10.0.2.2" \
    "$rx > arpintr > in_arpinput"
path "ARP request in, answered in place" \
    "arp.opcode == 1 && arp.src.proto_ipv4 == 192.0.2.2 && arp.dst.proto_ipv4 == 192.0.2.1" \
    "$rx > arpintr > in_arpinput > $tx"
path "ICMP echo request out (sent after ARP)" "$(icmp4 8 10.0.2.15 10.0.2.2)" \
    "ip_output > $tx"
path "ICMP echo reply in" "$(icmp4 0 10.0.2.2 10.0.2.15)" "$rx > ip_input > icmp_input"
path "ICMP echo request in, becomes the reply" "$(icmp4 8 192.0.2.2 192.0.2.1)" \
    "$rx > ip_input > icmp_input > ip_output > $tx"
path "ICMP echo request out to the jail" "$(icmp4 8 192.0.2.1 192.0.2.2)" \
    "ip_output > $tx"
path "ICMP echo reply in from the jail" "$(icmp4 0 192.0.2.2 192.0.2.1)" \
    "$rx > ip_input > icmp_input"
path "TCP SYN in (to the syncache)" \
    "tcp.dstport == 7000 && tcp.flags.syn == 1 && tcp.flags.ack == 0" \
    "$rx > ip_input > tcp_input > tcp_input_with_port"
path "TCP SYN-ACK out" "tcp.srcport == 7000 && tcp.flags.syn == 1 && tcp.flags.ack == 1" \
    "ip_output > $tx"
path "TCP data in" "tcp.dstport == 7000 && tcp.len > 0" \
    "$rx > ip_input > tcp_input > tcp_input_with_port"
path "TCP SYN to a closed port, becomes the RST" "tcp.dstport == 7001 && tcp.flags.syn == 1" \
    "$rx > ip_input > tcp_input > tcp_input_with_port > ip_output > $tx"
path "UDP to a closed port" "udp.dstport == 7002 && !icmp" "$rx > ip_input > udp_input"
path "ICMP port unreachable out" "icmp.type == 3 && icmp.code == 3" "ip_output > $tx"
path "ICMPv6 neighbour solicitation out" "icmpv6.type == 135 && icmpv6.nd.ns.target_address == 2001:db8::2" \
    "ip6_output > $tx"
path "ICMPv6 neighbour advertisement in" "icmpv6.type == 136 && icmpv6.nd.na.target_address == 2001:db8::2" \
    "$rx > ip6_input > icmp6_input"
path "ICMPv6 echo request out" "icmpv6.type == 128 && ipv6.dst == 2001:db8::2" \
    "ip6_output > $tx"
path "ICMPv6 echo reply in" "icmpv6.type == 129 && ipv6.src == 2001:db8::2" \
    "$rx > ip6_input > icmp6_input"
path "ICMP echo request forwarded, jail a to jail b" "$(icmp4 8 192.0.2.2 192.0.2.18)" \
    "$rx > ip_input > ip_tryforward > $tx"
path "ICMP echo reply forwarded, jail b to jail a" "$(icmp4 0 192.0.2.18 192.0.2.2)" \
    "$rx > ip_input > ip_tryforward > $tx"
path "IP fragment in, held for reassembly" \
    "ip.src == 192.0.2.2 && ip.dst == 192.0.2.1 && ip.frag_offset > 0" "$rx > ip_input"
path "IP fragments reassembled, the echo request becomes the reply" \
    "ip.src == 192.0.2.2 && ip.dst == 192.0.2.1 && ip.frag_offset == 0 && ip.flags.mf == 1" \
    "$rx > ip_input > icmp_input > ip_output > $tx"
path "ICMP echo on lo0, request and reply in one trace" "$(icmp4 8 127.0.0.1 127.0.0.1)" \
    "ip_output > if_simloop > ip_input > icmp_input > ip_output > if_simloop > ip_input > icmp_input"
