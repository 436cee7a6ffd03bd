# pf: pf_test() gives every packet its verdict, and its drops go through
# one switch at its end, with the PFRES_* reason pf counts (pfctl -si) and
# the rule that decided (its number, as pfctl -vvsr shows it, and label).
f=sys/netpfil/pf/pf.c
mt_include $f
mt_insert $f pf_test after '^	case PF_SYNPROXY_DROP:$' \
    "${T}${T}mtrace_drop_pf(*m0, reason, r->nr, r->label[0]);"
mt_insert $f pf_test after '^	case PF_DROP:$' \
    "${T}${T}mtrace_drop_pf(*m0, reason, r->nr, r->label[0]);"

# pf counts the stack's own counters for what it then drops: a bad
# protocol checksum (pf_test() records PF_PROTCKSUM after) and a packet
# route-to cannot fragment (pf sends the ICMP error itself).
mt_fate $f pf_check_proto_cksum 'KMOD_TCPSTAT_INC\(tcps_rcvbadsum\);' 'mtrace_drop(m, TCP_BADSUM);'
mt_fate $f pf_check_proto_cksum 'KMOD_UDPSTAT_INC\(udps_badsum\);' 'mtrace_drop(m, UDP_BADSUM);'
mt_fate $f pf_check_proto_cksum 'KMOD_ICMPSTAT_INC\(icps_checksum\);' 'mtrace_drop(m, ICMP_BADSUM);'
mt_fate $f pf_check_proto_cksum 'KMOD_ICMP6STAT_INC\(icp6s_checksum\);' 'mtrace_drop(m, ICMP6_BADSUM);'
mt_fate $f pf_route 'KMOD_IPSTAT_INC\(ips_cantfrag\);' 'mtrace_drop(m0, IP_CANTFRAG);'

# pf_test() answers a forwarded packet too big for the outgoing interface
# (IPv4 with DF set, IPv6) with the ICMP error itself, and counts nothing.
mt_fate $f pf_test 'icmp_error\(\*m0, ICMP_UNREACH, ICMP_UNREACH_NEEDFRAG,' 'mtrace_drop(*m0, PF_TOOBIG);'
mt_fate $f pf_test 'icmp6_error\(\*m0, ICMP6_PACKET_TOO_BIG, 0, IN6_LINKMTU\(ifp\)\);' \
    'mtrace_drop(*m0, PF_TOOBIG);'
