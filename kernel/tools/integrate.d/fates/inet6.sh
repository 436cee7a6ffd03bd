# inet6: IPv6 input, forwarding and output, ICMPv6, neighbour discovery,
# fragment reassembly and raw IPv6 sockets (reasons 300-499 of
# <sys/mbuf_trace_reason.h>).
#
# - A drop the stack counts twice (ip6s_cantforward and ip6s_badscope,
#   icp6s_invlhlim and icp6s_badns, rip6s_nosock and rip6s_nosockmcast)
#   gets a record for each counter.
# - A packet turned into an ICMPv6 error becomes the error itself:
#   icmp6_error() prepends the headers to it, and its trace goes on to the
#   error's transmission.  A drop recorded before icmp6_error() says why;
#   icmp6_error() records ICMP6_ERROR (type << 8 | code) or, where it sends
#   none, a drop (for an uncounted cause, only when none was recorded).
# - ip6_forward() keeps a copy (mcopy) for the errors it may send: a copy
#   whose trace takes no record is not emitted, so the copy is only
#   recorded on where it becomes an error.
# - Where the stack counts a packet already freed (m_pullup() failed,
#   if_output() took it), there is nothing to record on: mt_skip.

# --- IPv6 input: ip6_input.c -----------------------------------------------
f=sys/netinet6/ip6_input.c
mt_replace $f ip6_input '^	if \(\(ND_IFINFO\(rcvif\)->flags & ND6_IFF_IFDISABLED\)\)$
^		goto bad;$' "${T}if ((ND_IFINFO(rcvif)->flags & ND6_IFF_IFDISABLED)) {
${T}${T}mtrace_drop(m, IP6_IFDISABLED);
${T}${T}goto bad;
${T}}"
mt_replace $f ip6_input '^		if \(n == NULL\)$
^			goto bad;$' "${T}${T}if (n == NULL) {
${T}${T}${T}mtrace_drop(m, IP6_NOMEM);
${T}${T}${T}goto bad;
${T}${T}}"
mt_skip $f ip6_input ip6.ip6s_toosmall "m_pullup() failed and freed the packet"
mt_fate $f ip6_input 'IP6STAT_INC\(ip6s_badvers\);' 'mtrace_drop(m, IP6_BADVERS);'
mt_fate $f ip6_input 'IP6STAT_INC\(ip6s_badscope\);' \
    'mtrace_drop_why(m, IP6_BADSCOPE, "multicast source");' 1/7
mt_fate $f ip6_input 'IP6STAT_INC\(ip6s_badscope\);' \
    'mtrace_drop_why(m, IP6_BADSCOPE,
    "interface-local multicast from a link");' 2/7
mt_fate $f ip6_input 'IP6STAT_INC\(ip6s_badscope\);' \
    'mtrace_drop_why(m, IP6_BADSCOPE, "multicast of scope 0");' 3/7
mt_fate $f ip6_input 'IP6STAT_INC\(ip6s_badscope\);' \
    'mtrace_drop_why(m, IP6_BADSCOPE, "IPv4-mapped address");' 4/7
# Under #if 0, but the lister reads it.
mt_fate $f ip6_input 'IP6STAT_INC\(ip6s_badscope\);' \
    'mtrace_drop_why(m, IP6_BADSCOPE, "IPv4-compatible address");' 5/7
mt_fate $f ip6_input 'IP6STAT_INC\(ip6s_badscope\);' \
    'mtrace_drop_why(m, IP6_BADSCOPE, "unspecified destination");' 6/7
mt_fate $f ip6_input 'IP6STAT_INC\(ip6s_badscope\);' \
    'mtrace_drop_why(m, IP6_BADSCOPE,
    "an address outside the link'"'"'s zone");' 7/7
mt_fate $f ip6_input 'IP6STAT_INC\(ip6s_badscope\); /\* XXX \*/' \
    'mtrace_drop_why(m, IP6_BADSCOPE,
    "an address with a scope zone embedded");' 1/2
mt_fate $f ip6_input 'IP6STAT_INC\(ip6s_badscope\); /\* XXX \*/' \
    'mtrace_drop_why(m, IP6_BADSCOPE,
    "an address of this host as source");' 2/2
mt_insert $f ip6_input after '^			    ip6_sprintf\(ip6bufd, &ip6->ip6_dst\)\)\);$' \
    "${T}${T}${T}mtrace_drop(m, IP6_NOTREADY);"
mt_fate $f ip6_input 'IP6STAT_INC\(ip6s_cantforward\);' 'mtrace_drop(m, IP6_NOTOURS);' 1/2
mt_fate $f ip6_input 'IP6STAT_INC\(ip6s_cantforward\);' \
    'mtrace_drop_why(m, IP6_CANTFORWARD,
    "refused by the multicast router");' 2/2
mt_fate $f ip6_input 'IP6STAT_INC\(ip6s_tooshort\);' \
    'mtrace_drop_why(m, IP6_TOOSHORT, "payload length");' 1/2
mt_fate $f ip6_input 'IP6STAT_INC\(ip6s_tooshort\);' \
    'mtrace_drop_why(m, IP6_TOOSHORT, "an extension header");' 2/2
mt_fate $f ip6_input 'IP6STAT_INC\(ip6s_toomanyhdr\);' 'mtrace_drop(m, IP6_TOOMANYHDR);'
# RSS kernels: reassembled datagrams come back here.
mt_fate $f ip6_direct_input 'IP6STAT_INC\(ip6s_toomanyhdr\);' 'mtrace_drop(m, IP6_TOOMANYHDR);'
mt_fate $f ip6_direct_input 'IP6STAT_INC\(ip6s_tooshort\);' \
    'mtrace_drop_why(m, IP6_TOOSHORT, "an extension header");'
mt_fate $f ip6_input_hbh 'IP6STAT_INC\(ip6s_badoptions\);' \
    'mtrace_drop_why(m, IP6_BADOPTIONS,
    "payload length 0 without a jumbo option");'
mt_skip $f ip6_hopopts_input ip6.ip6s_exthdrtoolong "m_pullup() failed and freed the packet"
for mt_n in 1 2 3 4; do
	mt_fate $f ip6_process_hopopts 'IP6STAT_INC\(ip6s_toosmall\);' \
	    'mtrace_drop_why(m, IP6_TOOSMALL,
    "an option past the end of its header");' $mt_n/4
done
mt_fate $f ip6_process_hopopts 'icmp6_error\(m, ICMP6_PARAM_PROB,' \
    'mtrace_drop_why(m, IP6_BADOPTLEN,
    "router alert");' 1/5
mt_fate $f ip6_process_hopopts 'icmp6_error\(m, ICMP6_PARAM_PROB,' \
    'mtrace_drop_why(m, IP6_BADOPTLEN,
    "jumbo payload");' 2/5
mt_fate $f ip6_process_hopopts 'IP6STAT_INC\(ip6s_badoptions\);' \
    'mtrace_drop_why(m, IP6_BADOPTIONS,
    "a jumbo option with a payload length");' 1/3
mt_fate $f ip6_process_hopopts 'IP6STAT_INC\(ip6s_badoptions\);' \
    'mtrace_drop_why(m, IP6_BADOPTIONS,
    "two jumbo options");' 2/3
mt_fate $f ip6_process_hopopts 'IP6STAT_INC\(ip6s_badoptions\);' \
    'mtrace_drop_why(m, IP6_BADOPTIONS,
    "a jumbo payload length under 65536");' 3/3
mt_insert $f ip6_unknown_opt after '^	case IP6OPT_TYPE_DISCARD:	/\* silently discard \*/$' \
    "${T}${T}mtrace_drop(m, IP6_OPTDISCARD);"
mt_fate $f ip6_unknown_opt 'IP6STAT_INC\(ip6s_badoptions\);' \
    'mtrace_drop_why(m, IP6_BADOPTIONS, "an unknown option");' 1/2
mt_fate $f ip6_unknown_opt 'IP6STAT_INC\(ip6s_badoptions\);' \
    'mtrace_drop_why(m, IP6_BADOPTIONS, "an unknown option");' 2/2

# --- IPv6 forwarding: ip6_forward.c ----------------------------------------
# The counts after IPSEC_FORWARD() and nd6_output_ifp() come when the
# packet is gone; the drop, if any, was recorded where it happened.
f=sys/netinet6/ip6_forward.c
mt_fate $f ip6_forward 'IP6STAT_INC\(ip6s_cantforward\);' \
    'mtrace_drop_why(m, IP6_CANTFORWARD,
    "multicast or unspecified address");' 1/6
mt_skip $f ip6_forward ip6.ip6s_cantforward "IPSEC_FORWARD() or nd6_output_ifp() took the packet before the count"
mt_fate $f ip6_forward 'icmp6_error\(m, ICMP6_TIME_EXCEEDED,' 'mtrace_drop(m, IP6_HLIMIT);'
mt_fate $f ip6_forward 'IP6STAT_INC\(ip6s_noroute\);' 'mtrace_drop(m, IP6_NOROUTE);'
mt_fate $f ip6_forward 'IP6STAT_INC\(ip6s_cantforward\);' 'mtrace_drop(m, IP6_REJECTROUTE);' 3/6
mt_fate $f ip6_forward 'IP6STAT_INC\(ip6s_cantforward\);' \
    'mtrace_drop_why(m, IP6_CANTFORWARD,
    "source out of scope on the way out");' 4/6
mt_fate $f ip6_forward 'IP6STAT_INC\(ip6s_badscope\);' \
    'mtrace_drop_why(m, IP6_BADSCOPE,
    "source out of scope on the way out");' 1/2
mt_fate $f ip6_forward 'IP6STAT_INC\(ip6s_cantforward\);' \
    'mtrace_drop_why(m, IP6_CANTFORWARD,
    "destination out of scope on the way out");' 5/6
mt_fate $f ip6_forward 'IP6STAT_INC\(ip6s_badscope\);' \
    'mtrace_drop_why(m, IP6_BADSCOPE,
    "destination out of scope on the way out");' 2/2
mt_fate $f ip6_forward 'in6_ifstat_inc\(nh->nh_ifp, ifs6_in_toobig\);' 'mtrace_drop(m, IP6_TOOBIG);'

# --- IPv6 fast forwarding: ip6_fastfwd.c -----------------------------------
f=sys/netinet6/ip6_fastfwd.c
mt_fate $f ip6_findroute 'IP6STAT_INC\(ip6s_noroute\);' 'mtrace_drop(m, IP6_NOROUTE);'
mt_fate $f ip6_findroute 'IP6STAT_INC\(ip6s_cantforward\);' \
    'mtrace_drop_why(m, IP6_CANTFORWARD, "no route");' 1/3
mt_fate $f ip6_findroute 'IP6STAT_INC\(ip6s_cantforward\);' \
    'mtrace_drop_why(m, IP6_REJECTROUTE, "blackhole");' 2/3
mt_fate $f ip6_findroute 'IP6STAT_INC\(ip6s_cantforward\);' \
    'mtrace_drop_why(m, IP6_REJECTROUTE, "reject");' 3/3
mt_fate $f ip6_tryforward 'IP6STAT_INC\(ip6s_badoptions\);' \
    'mtrace_drop_why(m, IP6_BADOPTIONS,
    "payload length 0 without a jumbo option");'
mt_fate $f ip6_tryforward 'IP6STAT_INC\(ip6s_tooshort\);' \
    'mtrace_drop_why(m, IP6_TOOSHORT, "payload length");'
mt_fate $f ip6_tryforward 'icmp6_error\(m, ICMP6_TIME_EXCEEDED,' 'mtrace_drop(m, IP6_HLIMIT);'
mt_fate $f ip6_tryforward 'in6_ifstat_inc\(nh->nh_ifp, ifs6_in_toobig\);' \
    'mtrace_drop(m, IP6_TOOBIG);' 1/2
mt_fate $f ip6_tryforward 'in6_ifstat_inc\(nh->nh_ifp, ifs6_in_toobig\);' \
    'mtrace_drop(m, IP6_TOOBIG);' 2/2
mt_skip $f ip6_tryforward ip6.ip6s_cantforward "if_output() took the packet before the count"

# --- Route selection: in6_src.c --------------------------------------------
# selectroute() counts a failed route lookup for every caller: ip6_output()
# records IP6_NOROUTE for its packet, and connect() or a source address
# choice have no packet.
f=sys/netinet6/in6_src.c
mt_skip $f selectroute ip6.ip6s_noroute "no packet here: ip6_output() records IP6_NOROUTE when it fails; connect() has no packet"

# --- IPv6 output: ip6_output.c ---------------------------------------------
f=sys/netinet6/ip6_output.c
mt_fate $f ip6_fragment 'IP6STAT_INC\(ip6s_odropped\);' 'mtrace_drop(m0, IP6_FRAGNOBUFS);' 1/4
mt_fate $f ip6_fragment 'IP6STAT_INC\(ip6s_odropped\);' 'mtrace_drop(m0, IP6_FRAGNOBUFS);' 2/4
mt_fate $f ip6_fragment 'IP6STAT_INC\(ip6s_odropped\);' 'mtrace_drop(m0, IP6_FRAGNOBUFS);' 3/4
mt_fate $f ip6_fragment 'IP6STAT_INC\(ip6s_odropped\);' 'mtrace_drop(m0, IP6_FRAGNOBUFS);' 4/4
mt_fate $f ip6_output 'IP6STAT_INC\(ip6s_badscope\);' \
    'mtrace_drop_why(m, IP6_BADSCOPE, "unspecified source");' 1/3
mt_fate $f ip6_output 'IP6STAT_INC\(ip6s_badscope\);' \
    'mtrace_drop_why(m, IP6_BADSCOPE, "multicast source");' 2/3
mt_fate $f ip6_output 'IP6STAT_INC\(ip6s_badscope\);' \
    'mtrace_drop_why(m, IP6_BADSCOPE,
    "addresses outside the outgoing link'"'"'s zone");' 3/3
mt_fate $f ip6_output 'IP6STAT_INC\(ip6s_noroute\);' 'mtrace_drop(m, IP6_NOROUTE);' 1/3
mt_fate $f ip6_output 'IP6STAT_INC\(ip6s_noroute\);' 'mtrace_drop(m, IP6_NOROUTE);' 2/3
mt_fate $f ip6_output 'IP6STAT_INC\(ip6s_noroute\);' \
    'mtrace_drop_why(m, IP6_NOROUTE,
    "multicast on a link without multicast");' 3/3
mt_insert $f ip6_output after '^		    IN6_IS_ADDR_MC_INTFACELOCAL\(&ip6->ip6_dst\)\) \{$' \
    "${T}${T}${T}mtrace_drop(m, IP6_MCASTLOCAL);"
mt_skip $f ip6_output ip6.ip6s_odropped "mb_unmapped_to_ext() failed and freed the packet"
# The fragments carry copies of the trace; the datagram ends here.
mt_insert $f ip6_output after '^sendorfree:$' "${T}if (error == 0)
${T}${T}mtrace_fate(m0, IP6_FRAGMENTED);"
# Where the errors meet: the drops without a record of their own.
mt_insert $f ip6_output after '^bad:$' "${T}mtrace_drop_default(m, IP6_OUTPUT_ERROR, error);"

# --- ICMPv6: icmp6.c -------------------------------------------------------
f=sys/netinet6/icmp6.c
mt_skip $f icmp6_error2 ip6.ip6s_exthdrtoolong "m_pullup() failed and freed the packet"
mt_fate $f icmp6_error 'ICMP6STAT_INC\(icp6s_canterror\);' \
    'mtrace_drop_why(m, ICMP6_CANTERROR, "decrypted by IPsec");' 1/2
mt_skip $f icmp6_error ip6.ip6s_exthdrtoolong "m_pullup() failed and freed the packet"
mt_replace $f icmp6_error '^	      code != ICMP6_PARAMPROB_OPTION\)\)\)$
^		goto freeit;$' "${T}      code != ICMP6_PARAMPROB_OPTION))) {
${T}${T}mtrace_drop_default(m, ICMP6_NOERR_MCAST, type << 8 | code);
${T}${T}goto freeit;
${T}}"
mt_replace $f icmp6_error '^	    IN6_IS_ADDR_MULTICAST\(&oip6->ip6_src\)\)$
^		goto freeit;$' "${T}    IN6_IS_ADDR_MULTICAST(&oip6->ip6_src)) {
${T}${T}mtrace_drop_default(m, ICMP6_NOERR_SRC, type << 8 | code);
${T}${T}goto freeit;
${T}}"
mt_fate $f icmp6_error 'ICMP6STAT_INC\(icp6s_canterror\);' 'mtrace_drop(m, ICMP6_CANTERROR);' 2/2
mt_replace $f icmp6_error '^	if \(icmp6_ratelimit\(&oip6->ip6_src, type, code\)\)$
^		goto freeit;$' "${T}if (icmp6_ratelimit(&oip6->ip6_src, type, code)) {
${T}${T}mtrace_drop(m, ICMP6_TOOFREQ);
${T}${T}goto freeit;
${T}}"
# m is the error now, its headers prepended: the trace goes on with it.
mt_fate $f icmp6_error 'ICMP6STAT_INC2\(icp6s_outhist, type\);' \
    'mtrace_fate_value(m, ICMP6_ERROR, type << 8 | code);'
mt_skip $f icmp6_ratelimit icmp6.icp6s_toofreq "no packet here: its callers record ICMP6_TOOFREQ when it says no"

mt_skip $f icmp6_input ip6.ip6s_exthdrtoolong "m_pullup() failed and freed the packet"
mt_fate $f icmp6_input 'ICMP6STAT_INC\(icp6s_tooshort\);' 'mtrace_drop(m, ICMP6_TOOSHORT);'
mt_fate $f icmp6_input 'IP6STAT_INC\(ip6s_notmember\);' 'mtrace_drop(m, IP6_NOTMEMBER);'
mt_fate $f icmp6_input 'ICMP6STAT_INC\(icp6s_checksum\);' 'mtrace_drop(m, ICMP6_BADSUM);'
# No echo reply for it; the request goes on to the raw sockets.
mt_replace $f icmp6_input '^		if \(icmp6_ratelimit\(&ip6->ip6_src, ICMP6_ECHO_REPLY, 0\)\)$
^			break;$' "${T}${T}if (icmp6_ratelimit(&ip6->ip6_src, ICMP6_ECHO_REPLY, 0)) {
${T}${T}${T}mtrace_drop(m, ICMP6_TOOFREQ);
${T}${T}${T}break;
${T}${T}}"
mt_replace $f icmp6_input '^		if \(\(ip6->ip6_hlim != 1\) \|\| \(m->m_flags & M_RTALERT_MLD\) == 0\)$
^			goto freeit;$' "${T}${T}if ((ip6->ip6_hlim != 1) || (m->m_flags & M_RTALERT_MLD) == 0) {
${T}${T}${T}mtrace_drop(m, ICMP6_MLDBAD);
${T}${T}${T}goto freeit;
${T}${T}}"
mt_fate $f icmp6_input 'ICMP6STAT_INC\(icp6s_badcode\);' 'mtrace_drop(m, ICMP6_BADCODE);'
mt_fate $f icmp6_input 'ICMP6STAT_INC\(icp6s_badlen\);' 'mtrace_drop(m, ICMP6_BADLEN);'

mt_fate $f icmp6_notify_error 'ICMP6STAT_INC\(icp6s_tooshort\);' \
    'mtrace_drop_why(m, ICMP6_TOOSHORT,
    "too short to quote a packet");'
mt_skip $f icmp6_notify_error ip6.ip6s_exthdrtoolong "m_pullup() failed and freed the packet"
mt_replace $f icmp6_notify_error '^		    IN6_IS_ADDR_UNSPECIFIED\(&eip6->ip6_dst\)\)$
^			goto freeit;$' "${T}${T}    IN6_IS_ADDR_UNSPECIFIED(&eip6->ip6_dst)) {
${T}${T}${T}mtrace_drop(m, ICMP6_BADQUOTE);
${T}${T}${T}goto freeit;
${T}${T}}"
mt_replace $f icmp6_notify_error '^		if \(in6_setscope\(&icmp6dst.sin6_addr, m->m_pkthdr.rcvif, NULL\)\)$
^			goto freeit;$' "${T}${T}if (in6_setscope(&icmp6dst.sin6_addr, m->m_pkthdr.rcvif,
${T}${T}    NULL)) {
${T}${T}${T}mtrace_drop(m, ICMP6_BADQUOTE);
${T}${T}${T}goto freeit;
${T}${T}}"
mt_replace $f icmp6_notify_error '^		if \(in6_setscope\(&icmp6src.sin6_addr, m->m_pkthdr.rcvif, NULL\)\)$
^			goto freeit;$' "${T}${T}if (in6_setscope(&icmp6src.sin6_addr, m->m_pkthdr.rcvif,
${T}${T}    NULL)) {
${T}${T}${T}mtrace_drop(m, ICMP6_BADQUOTE);
${T}${T}${T}goto freeit;
${T}${T}}"
mt_skip $f ni6_input ip6.ip6s_exthdrtoolong "m_pullup() failed and freed the packet"

# Raw ICMPv6 sockets take copies (m_copym()), which are not traced again
# and emit nothing; the packet records its deliveries, one per socket, and
# is freed at the end (as rip_input() of fates/inet.sh).  Without a taker
# it is a drop, unless one was recorded on the way (a bad code or length,
# no echo reply for the rate limit); the ICMPv6 type is the value.
mt_fate $f icmp6_rip6_input 'soroverflow_locked\(inp->inp_socket\);' \
    'mtrace_drop(m, ICMP6_FULLSOCK);'
mt_fate $f icmp6_rip6_input 'sorwakeup_locked\(inp->inp_socket\);' \
    'mtrace_deliver(m, inp, IPPROTO_ICMPV6);'
mt_fate $f icmp6_rip6_input 'm_freem\(m\);' 'if (delivered == 0)
	mtrace_fate_default(m, ICMP6_NOSOCKET, icmp6->icmp6_type);' 2/2
# What icmp6_input() does not turn into an error or drop it took in (an
# echo request it answered with a copy, a reply, a message for ND or MLD)
# before it offers it to the raw sockets.  Its type is kept before the
# switch: for ND, m is a copy by then and icmp6 points into the freed
# original.
mt_insert $f icmp6_input after '^	int code, error, icmp6len, ip6len, noff, off, sum;$' \
    "${T}int type;"
mt_insert $f icmp6_input after '^	code = icmp6->icmp6_code;$' "${T}type = icmp6->icmp6_type;"
mt_insert $f icmp6_input before '^	mtrace_leave\(m\);$
^	icmp6_rip6_input\(&m, \*offp\);$' \
    "${T}mtrace_fate_default(m, ICMP6_INPUT, type);"

mt_insert $f icmp6_reflect after '^ bad:$' "${T}mtrace_drop(m, ICMP6_NOSRC);"

mt_replace $f icmp6_redirect_input '^	if \(V_ip6_forwarding\)$
^		goto freeit;$' "${T}if (V_ip6_forwarding) {
${T}${T}mtrace_drop_why(m, ICMP6_REDIRIGNORED, \"a router\");
${T}${T}goto freeit;
${T}}"
mt_replace $f icmp6_redirect_input '^	if \(!V_icmp6_rediraccept\)$
^		goto freeit;$' "${T}if (!V_icmp6_rediraccept) {
${T}${T}mtrace_drop_why(m, ICMP6_REDIRIGNORED, \"rediraccept is off\");
${T}${T}goto freeit;
${T}}"
mt_replace $f icmp6_redirect_input '^	if\(m->m_flags & M_FRAGMENTED\)$
^		goto freeit;$' "${T}if(m->m_flags & M_FRAGMENTED) {
${T}${T}mtrace_drop(m, ND6_FRAGMENT);
${T}${T}goto freeit;
${T}}"
mt_skip $f icmp6_redirect_input ip6.ip6s_exthdrtoolong "m_pullup() failed and freed the packet"
mt_fate $f icmp6_redirect_input 'ICMP6STAT_INC\(icp6s_invlhlim\);' 'mtrace_drop(m, ND6_BADHLIM);'
mt_insert $f icmp6_redirect_input after '^	if \(nd6_options\(&ndopts\) < 0\) \{$' \
    "${T}${T}mtrace_drop(m, ND6_BADOPT);"
mt_fate $f icmp6_redirect_input \
    'nd6_cache_lladdr\(ifp, &redtgt6, lladdr, lladdrlen, ND_REDIRECT,' \
    'mtrace_fate(m, ND6_INPUT);'
mt_fate $f icmp6_redirect_input 'ICMP6STAT_INC\(icp6s_badredirect\);' \
    'mtrace_drop(m, ICMP6_BADREDIRECT);'

# m0 is ip6_forward()'s copy: quoted into the redirect, its tags deleted.
mt_replace $f icmp6_redirect_output '^	if \(icmp6_ratelimit\(&sip6->ip6_src, ND_REDIRECT, 0\)\)$
^		goto fail;$' "${T}if (icmp6_ratelimit(&sip6->ip6_src, ND_REDIRECT, 0)) {
${T}${T}mtrace_drop(m0, ICMP6_TOOFREQ);
${T}${T}goto fail;
${T}}"
mt_fate $f icmp6_redirect_output 'm_tag_delete_chain\(m0, NULL\);' \
    'mtrace_fate_value(m0, ICMP6_ERROR, ND_REDIRECT << 8);'

# --- Fragment reassembly: frag6.c ------------------------------------------
# Each fragment has its own trace; the fragments of a completed datagram
# are joined to the first, whose trace goes on as the datagram's.
f=sys/netinet6/frag6.c
mt_include $f
mt_insert $f "" after '^static MALLOC_DEFINE\(M_FRAG6, "frag6", "IPv6 fragment reassembly header"\);$' "
/*
 * mbuf_trace: a drop on every fragment queued in q6, or on its first one,
 * before the queue is freed.
 */
#ifdef MBUF_TRACE
#define${T}mtrace_drop_frags(q6, why) do {${T}${T}${T}${T}${T}\\
${T}struct ip6asfrag *_af6;${T}${T}${T}${T}${T}${T}\\
${T}${T}${T}${T}${T}${T}${T}${T}${T}\\
${T}TAILQ_FOREACH(_af6, &(q6)->ip6q_frags, ip6af_tq)${T}${T}\\
${T}${T}mtrace_drop(_af6->ip6af_m, why);${T}${T}${T}\\
} while (0)
#define${T}mtrace_drop_first(q6, why) do {${T}${T}${T}${T}${T}\\
${T}struct ip6asfrag *_af6 = TAILQ_FIRST(&(q6)->ip6q_frags);${T}\\
${T}${T}${T}${T}${T}${T}${T}${T}${T}\\
${T}if (_af6 != NULL)${T}${T}${T}${T}${T}${T}\\
${T}${T}mtrace_drop(_af6->ip6af_m, why);${T}${T}${T}\\
} while (0)
#else
#define${T}mtrace_drop_frags(q6, why)${T}((void)0)
#define${T}mtrace_drop_first(q6, why)${T}((void)0)
#endif"
mt_skip $f frag6_input ip6.ip6s_exthdrtoolong "m_pullup() failed and freed the packet"
mt_fate $f frag6_input 'icmp6_error\(m, ICMP6_PARAM_PROB, ICMP6_PARAMPROB_HEADER, offset\);' \
    'mtrace_drop(m, FRAG6_JUMBO);'
mt_fate $f frag6_input 'icmp6_error\(m, ICMP6_PARAM_PROB, ICMP6_PARAMPROB_HEADER,' \
    'mtrace_drop(m, FRAG6_BADLEN);' 1/4
mt_fate $f frag6_input 'icmp6_error\(m, ICMP6_PARAM_PROB, ICMP6_PARAMPROB_HEADER,' \
    'mtrace_drop(m, FRAG6_EMPTY);' 2/4
mt_replace $f frag6_input '^	else if \(atomic_load_int\(&frag6_nfrags\) >= \(u_int\)ip6_maxfrags\)$
^		goto dropfrag2;$' "${T}else if (atomic_load_int(&frag6_nfrags) >= (u_int)ip6_maxfrags) {
${T}${T}mtrace_drop_why(m, FRAG6_FULL, \"maxfrags\");
${T}${T}goto dropfrag2;
${T}}"
mt_replace $f frag6_input '^		    \(u_int\)V_ip6_maxfragpackets\)$
^			goto dropfrag;$' "${T}${T}    (u_int)V_ip6_maxfragpackets) {
${T}${T}${T}mtrace_drop_why(m, FRAG6_FULL,
${T}${T}${T}    \"maxfragpackets or maxfragbucketsize\");
${T}${T}${T}goto dropfrag;
${T}${T}}"
mt_fate $f frag6_input 'icmp6_error\(m, ICMP6_PARAM_PROB, ICMP6_PARAMPROB_HEADER,' \
    'mtrace_drop(m, FRAG6_BEYONDMAX);' 3/4
mt_fate $f frag6_input 'icmp6_error\(m, ICMP6_PARAM_PROB, ICMP6_PARAMPROB_HEADER,' \
    'mtrace_drop(m, FRAG6_BEYONDMAX);' 4/4
mt_fate $f frag6_input 'icmp6_error\(merr, ICMP6_PARAM_PROB,' 'mtrace_drop(merr, FRAG6_BEYONDMAX);'
mt_insert $f frag6_input after '^		if \(ecn0 == IPTOS_ECN_NOTECT\) \{$' \
    "${T}${T}${T}mtrace_drop(m, FRAG6_ECN);"
mt_insert $f frag6_input after '^	if \(ecn == IPTOS_ECN_NOTECT && ecn0 != IPTOS_ECN_NOTECT\) \{$' \
    "${T}${T}mtrace_drop(m, FRAG6_ECN);"
# An overlap drops the queue too, uncounted; an exact duplicate only itself.
for mt_af in af6tmp af6; do
	mt_replace $f frag6_input "^			    $mt_af->ip6af_frglen != ip6af->ip6af_frglen\\)\$
^				frag6_freef\\(q6, bucket\\);\$" "${T}${T}${T}    $mt_af->ip6af_frglen != ip6af->ip6af_frglen) {
${T}${T}${T}${T}mtrace_drop_frags(q6, FRAG6_OVERLAPPED);
${T}${T}${T}${T}mtrace_drop(m, FRAG6_OVERLAP);
${T}${T}${T}${T}frag6_freef(q6, bucket);
${T}${T}${T}} else
${T}${T}${T}${T}mtrace_drop(m, FRAG6_DUPLICATE);"
done
mt_fate $f frag6_input 'IP6STAT_ADD\(ip6s_fragdropped, q6->ip6q_nfrag\);' \
    'mtrace_drop_frags(q6, FRAG6_TOOMANY);' 1/2
mt_fate $f frag6_input 'IP6STAT_ADD\(ip6s_fragdropped, q6->ip6q_nfrag\);' \
    'mtrace_drop_frags(q6, FRAG6_TOOMANY);' 2/2
mt_fate $f frag6_input 'm_demote_pkthdr\(af6->ip6af_m\);' \
    'mtrace_fate(af6->ip6af_m, REASSEMBLED);'
mt_insert $f frag6_input after '^	    IPV6_MAXPACKET\) \{$' "${T}${T}mtrace_drop(m, FRAG6_TOOBIG);"
# The drops without a record of their own: memory.
mt_insert $f frag6_input after '^dropfrag2:$' "${T}mtrace_drop_default(m, FRAG6_NOMEM, 0);"
mt_fate $f frag6_slowtimo 'IP6STAT_ADD\(ip6s_fragtimeout,' 'mtrace_drop_frags(q6, FRAG6_TIMEOUT);'
mt_fate $f frag6_slowtimo 'IP6STAT_ADD\(ip6s_fragoverflow, q6->ip6q_nfrag\);' \
    'mtrace_drop_frags(q6, FRAG6_OVERFLOW);' 1/2
mt_fate $f frag6_slowtimo 'IP6STAT_ADD\(ip6s_fragoverflow, q6->ip6q_nfrag\);' \
    'mtrace_drop_frags(q6, FRAG6_OVERFLOW);' 2/2
# Counted once a queue: the first fragment carries the counted reason.
mt_fate $f frag6_drain_one 'IP6STAT_INC\(ip6s_fragdropped\);' \
    'mtrace_drop_frags(q6, FRAG6_DRAINED_REST);
mtrace_drop_first(q6, FRAG6_DRAINED);'

# --- Neighbour discovery: nd6.c, nd6_nbr.c ---------------------------------
f=sys/netinet6/nd6.c
mt_include $f
mt_insert $f "" after '^#define ND6_RECALC_REACHTM_INTERVAL \(60 \* 120\) /\* 2 hours \*/$' "
/*
 * mbuf_trace: a drop on the packets held for an unresolved neighbour:
 * mtrace_drop_held() on those lltable_append_entry_queue() drops to hold
 * maxheld at most, mtrace_drop_chain() on the whole chain from m.
 */
#ifdef MBUF_TRACE
#define${T}mtrace_drop_held(lle, why, maxheld) do {${T}${T}${T}\\
${T}struct mbuf *_mh = (lle)->la_hold;${T}${T}${T}${T}\\
${T}size_t _held = (lle)->la_numheld;${T}${T}${T}${T}\\
${T}${T}${T}${T}${T}${T}${T}${T}${T}\\
${T}for (; _mh != NULL && _held >= (size_t)(maxheld);${T}${T}\\
${T}    _mh = _mh->m_nextpkt, _held--)${T}${T}${T}${T}\\
${T}${T}mtrace_drop(_mh, why);${T}${T}${T}${T}${T}\\
} while (0)
#define${T}mtrace_drop_chain(m, why) do {${T}${T}${T}${T}${T}\\
${T}struct mbuf *_mh;${T}${T}${T}${T}${T}${T}\\
${T}${T}${T}${T}${T}${T}${T}${T}${T}\\
${T}for (_mh = (m); _mh != NULL; _mh = _mh->m_nextpkt)${T}${T}\\
${T}${T}mtrace_drop(_mh, why);${T}${T}${T}${T}${T}\\
} while (0)
#else
#define${T}mtrace_drop_held(lle, why, maxheld)${T}((void)0)
#define${T}mtrace_drop_chain(m, why)${T}((void)0)
#endif"
mt_skip $f nd6_options icmp6.icp6s_nd_badopt "no packet here: its callers record ND6_BADOPT when it fails"
# Address resolution gave up: the held packets go, the first one into an
# ICMPv6 error (icmp6_error2()).
mt_fate $f nd6_llinfo_timer 'ICMP6STAT_ADD\(icp6s_dropped, ln->la_numheld\);' \
    'mtrace_drop_chain(ln->la_hold, ND6_NORESOLVE);'
mt_insert $f nd6_resolve after '^	if \(\(ND_IFINFO\(ifp\)->flags & ND6_IFF_IFDISABLED\)\) \{$' \
    "${T}${T}mtrace_drop(m, IP6_IFDISABLED);"
mt_insert $f nd6_resolve_slow after '^	if \(lle == NULL\) \{$' "${T}${T}mtrace_drop(m, ND6_NOENTRY);"
mt_fate $f nd6_resolve_slow 'dropped = lltable_append_entry_queue\(lle, m, V_nd6_maxqueuelen\);' \
    'mtrace_drop_held(lle, ND6_HOLDFULL, V_nd6_maxqueuelen);'

# NS and NA: taken in by ND once they are valid; an ND drop after that
# (goto bad) comes later and is the last word.
f=sys/netinet6/nd6_nbr.c
mt_include $f
for mt_fn in nd6_ns_input nd6_na_input; do
	mt_replace $f $mt_fn '^	if\(m->m_flags & M_FRAGMENTED\)$
^		goto freeit;$' "${T}if(m->m_flags & M_FRAGMENTED) {
${T}${T}mtrace_drop(m, ND6_FRAGMENT);
${T}${T}goto freeit;
${T}}"
	mt_fate $f $mt_fn 'ICMP6STAT_INC\(icp6s_invlhlim\);' 'mtrace_drop(m, ND6_BADHLIM);'
	mt_insert $f $mt_fn after '^	if \(nd6_options\(&ndopts\) < 0\) \{$' \
	    "${T}${T}mtrace_drop(m, ND6_BADOPT);"
	mt_fate $f $mt_fn 'lladdr = NULL;' 'mtrace_fate(m, ND6_INPUT);'
done
mt_skip $f nd6_ns_input ip6.ip6s_exthdrtoolong "m_pullup() failed and freed the packet"
mt_skip $f nd6_na_input ip6.ip6s_exthdrtoolong "m_pullup() failed and freed the packet"
mt_fate $f nd6_ns_input 'ICMP6STAT_INC\(icp6s_badns\);' 'mtrace_drop(m, ND6_BADNS);'
mt_fate $f nd6_na_input 'ICMP6STAT_INC\(icp6s_badna\);' 'mtrace_drop(m, ND6_BADNA);'

# --- Raw IPv6 sockets: raw_ip6.c -------------------------------------------
# Each socket takes a copy, not traced again; the packet records its
# deliveries and the copies lost to a full socket buffer, and is freed at
# the end, or turned into an ICMPv6 parameter problem when nobody took it.
# A socket's multicast filter counts ip6s_notmember: the record goes on the
# packet too, so that the count and the traces agree, though the packet
# goes on to the other sockets.
f=sys/netinet6/raw_ip6.c
mt_include $f
mt_fate $f rip6_input 'RIP6STAT_INC\(rip6s_badsum\);' 'mtrace_drop(m, RIP6_BADSUM);'
mt_fate $f rip6_input 'IP6STAT_INC\(ip6s_notmember\);' \
    'mtrace_drop_why(m, IP6_NOTMEMBER,
    "a raw socket'"'"'s multicast filter");'
mt_fate $f rip6_input 'soroverflow\(inp->inp_socket\);' 'mtrace_drop(m, RIP6_FULLSOCK);'
mt_fate $f rip6_input 'sorwakeup\(inp->inp_socket\);' 'mtrace_deliver(m, inp, proto);'
mt_fate $f rip6_input 'RIP6STAT_INC\(rip6s_nosock\);' 'mtrace_drop(m, RIP6_NOSOCK);'
mt_replace $f rip6_input '^		if \(m->m_flags & M_MCAST\)$
^			RIP6STAT_INC\(rip6s_nosockmcast\);$' "${T}${T}if (m->m_flags & M_MCAST) {
${T}${T}${T}mtrace_drop(m, RIP6_NOSOCKMCAST);
${T}${T}${T}RIP6STAT_INC(rip6s_nosockmcast);
${T}${T}}"
