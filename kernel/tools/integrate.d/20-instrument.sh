# 20-instrument: trace points on the main packet paths of the stack.
#
# Conventions, so that a trace reads the same everywhere:
# - A packet's trace starts where a frame enters (ether_input) and where a
#   packet leaves (ip_output, ip6_output, ether_output): the start points,
#   which say what the packet begins with and its interface when they know
#   them (mtrace_start_ether(), mtrace_start_proto()), for the selection of
#   mbuf_trace(4); ip_output and ip6_output first start the packets of a
#   SO_MTRACE socket (mtrace_start_socket()).  Starting a packet that is
#   already traced continues its trace.  The bytes are
#   snapshotted at both ends (mtrace_data()), and where a packet loops back
#   (if_simloop, mtrace_data_proto()).  A sent packet's trace ends when the
#   stack hands it to the driver (mtrace_sent()).
# - A function is entered (mtrace_enter) at its first statement and left
#   (mtrace_leave) just before the packet is handed to the next layer:
#   after the hand-off the mbuf may already be freed, so it is never touched.
# - Every drop the stack counts gets a record "drop: <reason>" just before
#   the counter; a packet turned into a reply in place says "reply: ...".
#   Fixed reasons are static strings (mtrace); only formatted ones copy.
# - Insertions never split an if without braces; where a record must go
#   into one, the statement is replaced by a braced block.

# mt_drop FILE FUNC ANCHOR TABS REASON [NTH]: "drop: REASON" before ANCHOR.
mt_drop()
{
	mt_insert "$1" "$2" before "$3" "$4mtrace(m, \"drop: $5\");" "${6:-0}"
}

# --- Ethernet: sys/net/if_ethersubr.c ---------------------------------------
f=sys/net/if_ethersubr.c
mt_include $f

mt_insert $f ether_input before '^		netisr_dispatch\(NETISR_ETHER, m\);$' \
"${T}${T}mtrace_start_ether(m, ifp);
${T}${T}mtrace_func(m);
${T}${T}mtrace_data(m);"

mt_insert $f ether_input_internal before '^	if \(\(ifp->if_flags & IFF_UP\) == 0\) \{$' "${T}mtrace_enter(m);"
mt_insert $f ether_input_internal before '^	ether_demux\(ifp, m\);$' "${T}mtrace_leave(m);"

mt_insert $f ether_demux before '^	NET_EPOCH_ASSERT\(\);$' "${T}mtrace_enter(m);"
mt_insert $f ether_demux before '^		\(\*vlan_input_p\)\(ifp, m\);$' "${T}${T}mtrace_leave(m);"
mt_insert $f ether_demux before '^	netisr_dispatch\(isr, m\);$' "${T}mtrace_leave(m);"

mt_insert $f ether_output before '^	phdr = NULL;$' \
"${T}mtrace_start_proto(m, dst->sa_family == AF_INET ? ETHERTYPE_IP :
${T}    dst->sa_family == AF_INET6 ? ETHERTYPE_IPV6 :
${T}    dst->sa_family == AF_ARP ? ETHERTYPE_ARP : 0, ifp);
${T}mtrace_enter(m);"
mt_insert $f ether_output after '^	if \(\(pflags & RT_L2_ME\) != 0\) \{$' \
"${T}${T}mtrace(m, \"loop back: the destination is this host\");
${T}${T}mtrace_leave(m);"
mt_insert $f ether_output before '^		BRIDGE_OUTPUT\(ifp, m, error\);$' "${T}${T}mtrace_leave(m);"
mt_insert $f ether_output before '^	return ether_output_frame\(ifp, m\);$' "${T}mtrace_leave(m);"

# The driver frees a sent mbuf when it pleases (virtio, e1000: at the next
# transmission or later), so the trace ends here, where the stack lets go,
# with the fate SENT; unless the interface's if_transmit is the stack's
# own and records the fate itself (a bridge's, a vlan's,
# if_transmit_default(): mbuf_trace_transmit_records(), fates/link.sh).
mt_insert $f ether_output_frame before '^	kmsan_check_mbuf\(m, "ether_output"\);$' \
"${T}mtrace_func(m);
${T}mtrace_data(m);
#ifdef MBUF_TRACE
${T}if (mtrace_tag(m) != NULL && !mbuf_trace_transmit_records(ifp))
${T}${T}mtrace_sent(m, ifp);
#endif"

# --- Loopback: sys/net/if_loop.c --------------------------------------------
# A looped packet never meets ether_output_frame() or ether_input(): its
# bytes are snapshotted here, by address family, and its trace continues
# into the input path.
f=sys/net/if_loop.c
mt_include $f
mt_insert $f "" after '^#include <net/if_types\.h>$' '#include <net/ethernet.h>'
mt_insert $f if_simloop before '^	M_ASSERTPKTHDR\(m\);$' "${T}mtrace_enter(m);"
mt_insert $f if_simloop before '^		isr = NETISR_IP;$' "${T}${T}mtrace_data_proto(m, ETHERTYPE_IP);"
mt_insert $f if_simloop before '^		isr = NETISR_IPV6;$' "${T}${T}mtrace_data_proto(m, ETHERTYPE_IPV6);"
mt_insert $f if_simloop before '^	netisr_queue\(isr, m\);	/\* mbuf is free.d on failure\. \*/$' \
    "${T}mtrace_leave(m);"

# --- ARP: sys/netinet/if_ether.c -------------------------------------------
f=sys/netinet/if_ether.c
mt_include $f

mt_insert $f arpintr before '^	ifp = m->m_pkthdr.rcvif;$' "${T}mtrace_enter(m);"
mt_insert $f arpintr before '^		in_arpinput\(m\);$' "${T}${T}mtrace_leave(m);"

mt_insert $f in_arpinput before '^	NET_EPOCH_ASSERT\(\);$' "${T}mtrace_enter(m);"
mt_insert $f in_arpinput before '^	\(\*ifp->if_output\)\(ifp, m, &sa, &ro\);$' \
    "${T}mtrace(m, \"reply: this packet becomes the ARP reply\");"

# --- IPv4 input and forwarding: sys/netinet/ip_input.c ---------------------
f=sys/netinet/ip_input.c
mt_include $f

mt_insert $f ip_input before '^	M_ASSERTPKTHDR\(m\);$' "${T}mtrace_enter(m);"
mt_insert $f ip_input before '^			ip_forward\(m, 1\);$' "${T}${T}${T}mtrace_leave(m);"
mt_insert $f ip_input before '^		ip_forward\(m, dchg\);$' "${T}${T}mtrace_leave(m);"
mt_insert $f ip_input before '^	ip_protox\[ip->ip_p\]\(&m, &hlen, ip->ip_p\);$' "${T}mtrace_leave(m);"

mt_insert $f ip_forward before '^	NET_EPOCH_ASSERT\(\);$' "${T}mtrace_enter(m);"
mt_insert $f ip_forward before '^	error = ip_output\(m, NULL, &ro, IP_FORWARDING, NULL, NULL\);$' "${T}mtrace_leave(m);"

# --- IPv4 fast forwarding: sys/netinet/ip_fastfwd.c ------------------------
f=sys/netinet/ip_fastfwd.c
mt_include $f

# Marked where the fast path takes the packet: with forwarding on, every
# packet ip_input() gets passes through, and is handed back unless it is
# to be forwarded (seen in a real kernel: local traffic showed
# ip_tryforward in its path).
mt_insert $f ip_tryforward before '^	IPSTAT_INC\(ips_total\);$' "${T}mtrace_func(m);"
mt_insert $f ip_tryforward before '^		error = \(\*nh->nh_ifp->if_output\)\(nh->nh_ifp, m, gw, &ro\);$' \
    "${T}${T}mtrace(m, \"forward: fast path\");"

# --- IPv4 output: sys/netinet/ip_output.c ----------------------------------
f=sys/netinet/ip_output.c
mt_include $f

mt_insert $f ip_output before '^	M_ASSERTPKTHDR\(m\);$' \
"${T}mtrace_start_socket(m, inp != NULL ? inp->inp_socket : NULL);
${T}mtrace_start(m);
${T}mtrace_enter(m);"
mt_insert $f ip_output before '^		error = ip_output_send\(inp, ifp, m, gw, ro,$' "${T}${T}mtrace_leave(m);"
mt_insert $f ip_output before '^			error = ip_output_send\(inp, ifp, m, gw, ro, true\);$' \
    "${T}${T}${T}mtrace_leave(m);"

# --- ICMP: sys/netinet/ip_icmp.c -------------------------------------------
f=sys/netinet/ip_icmp.c
mt_include $f

mt_insert $f icmp_input before '^	\*mp = NULL;$' "${T}mtrace_enter(m);"
mt_insert $f icmp_input before '^		icmp_reflect\(m\);$' \
    "${T}${T}mtrace(m, \"reply: this packet becomes the ICMP reply\");"
mt_insert $f icmp_input before '^	rip_input\(mp, offp, proto\);$' "${T}mtrace_leave(m);"

# --- TCP: sys/netinet/tcp_input.c ------------------------------------------
f=sys/netinet/tcp_input.c
mt_include $f

mt_insert $f tcp_input before '^	return ?\(tcp_input_with_port\(mp, offp, proto, 0\)\);$' "${T}mtrace_func(*mp);"
mt_insert $f tcp_input_with_port before '^	NET_EPOCH_ASSERT\(\);$' "${T}mtrace_enter(m);"
mt_insert $f tcp_input_with_port before '^	tcp_dropwithreset\(m, th, tp, tlen\);$' \
    "${T}mtrace(m, \"reply: refused, this packet becomes the RST\");"
mt_insert $f tcp_input_with_port before '^			tp->t_fb->tfb_tcp_do_segment\(tp, m, th, drop_hdrlen,$' \
    "${T}${T}${T}mtrace_leave(m);"
mt_insert $f tcp_input_with_port before '^	tp->t_fb->tfb_tcp_do_segment\(tp, m, th, drop_hdrlen, tlen, iptos\);$' \
    "${T}mtrace_leave(m);"

# --- UDP: sys/netinet/udp_usrreq.c -----------------------------------------
f=sys/netinet/udp_usrreq.c
mt_include $f

mt_insert $f udp_input before '^	\*mp = NULL;$' "${T}mtrace_enter(m);"
mt_insert $f udp_input before '^	if \(!udp_append\(inp, ip, m, iphlen, udp_in\)\)$' "${T}mtrace_leave(m);"

# --- IPv6 input: sys/netinet6/ip6_input.c ----------------------------------
f=sys/netinet6/ip6_input.c
mt_include $f

mt_insert $f ip6_input after '^	int srcrt = 0;$' "
${T}mtrace_enter(m);"
mt_insert $f ip6_input before '^		ip6_forward\(m, 1\);$' "${T}${T}mtrace_leave(m);"
mt_insert $f ip6_input before '^		ip6_forward\(m, srcrt\);$' "${T}${T}mtrace_leave(m);"
mt_insert $f ip6_input before '^		nxt = ip6_protox\[nxt\]\(&m, &off, nxt\);$' "${T}${T}mtrace_leave(m);"

# --- IPv6 forwarding: ip6_forward.c, ip6_fastfwd.c --------------------------
f=sys/netinet6/ip6_forward.c
mt_include $f

mt_insert $f ip6_forward after '^	char ip6bufs\[INET6_ADDRSTRLEN\], ip6bufd\[INET6_ADDRSTRLEN\];$' "
${T}mtrace_enter(m);"
mt_insert $f ip6_forward before '^	error = nd6_output_ifp\(nh->nh_ifp, origifp, m, &dst, NULL\);$' "${T}mtrace_leave(m);"

f=sys/netinet6/ip6_fastfwd.c
mt_include $f

mt_insert $f ip6_tryforward before '^	rcvif = m->m_pkthdr.rcvif;$' "${T}mtrace_func(m);"
mt_insert $f ip6_tryforward before '^	error = \(\*nh->nh_ifp->if_output\)\(nh->nh_ifp, m,$' \
    "${T}mtrace(m, \"forward: fast path\");"

# --- IPv6 output: sys/netinet6/ip6_output.c --------------------------------
f=sys/netinet6/ip6_output.c
mt_include $f

mt_insert $f ip6_output before '^	NET_EPOCH_ASSERT\(\);$' \
"${T}mtrace_start_socket(m, inp != NULL ? inp->inp_socket : NULL);
${T}mtrace_start(m);
${T}mtrace_enter(m);"
mt_insert $f ip6_output before '^		error = ip6_output_send\(inp, ifp, origifp, m, dst, ro,$' "${T}${T}mtrace_leave(m);"
mt_insert $f ip6_output before '^			error = ip6_output_send\(inp, ifp, origifp, m, dst, ro,$' \
    "${T}${T}${T}mtrace_leave(m);"

# --- ICMPv6: sys/netinet6/icmp6.c ------------------------------------------
f=sys/netinet6/icmp6.c
mt_include $f

mt_insert $f icmp6_input after '^	m = \*mp;$' "${T}mtrace_enter(m);"
mt_insert $f icmp6_input before '^			icmp6_reflect\(n, noff\);$' \
    "${T}${T}${T}mtrace(n, \"reply: a copy of this packet becomes the echo reply\");" 1/2
mt_insert $f icmp6_input before '^	icmp6_rip6_input\(&m, \*offp\);$' "${T}mtrace_leave(m);"
