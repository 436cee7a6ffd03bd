#!/bin/sh
#
# replay-test.sh BUILD CASE [ARG...] - one behaviour of mbuf_trace-replay.
#
# BUILD is the build directory; the cases that decode traces need the
# plugin and the runner, from MBUF_TRACE_PLUGIN and MBUF_TRACE_RUNNER (ctest
# passes them) and skip (77) without them.  Captures come from replay_mkcap
# (mkcap.c); traces are decoded by the real tshark with the plugin
# (tools/tshark-with-plugin), snapshots once more as plain Ethernet frames
# (text2pcap), so that Wireshark checks their checksums.
#
# tshark starts once for all the cases, not once per case: the fixture
# replay.traces_are_decoded_once runs `replay-test.sh BUILD decode_all DIR
# LIST`, which runs every case of LIST (lines NAME|CASE|ARG|...) with
# MBUF_TRACE_REPLAY_COLLECT=DIR (its replays run, its checks do not),
# decodes every trace they made in one tshark run and all their snapshots
# in a second, and files each trace's decodes under DIR by the SHA-256 of
# its bytes.  A case run with MBUF_TRACE_REPLAY_DECODED=DIR (ctest sets it)
# replays as always, then takes its trace's decodes from DIR; a trace not
# there is decoded by the case itself, as without DIR.
#
set -eu
build=$1
case_name=$2
shift 2
collect=${MBUF_TRACE_REPLAY_COLLECT:-}
decoded=${MBUF_TRACE_REPLAY_DECODED:-}
replay=$build/tools/mbuf_trace-replay/mbuf_trace-replay
mkcap=$build/tests/replay/replay_mkcap
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# fail MESSAGE: the case fails, also when called in a command substitution,
# whose output is only compared: the mark makes the end of the case fail.
fail()
{
	echo "FAIL: $*"
	echo "FAIL: $*" >>"$work/failed"
	exit 1
}

# want WHAT EXPECTED GOT (collecting: nothing is checked)
want()
{
	[ -z "$collect" ] || return 0
	[ "$2" = "$3" ] || fail "$1: expected \"$2\", got \"$3\""
}

# have WHAT NEEDLE HAYSTACK: HAYSTACK contains NEEDLE
have()
{
	[ -z "$collect" ] || return 0
	case $3 in
	*"$2"*) ;;
	*) fail "$1: no \"$2\" in \"$3\"" ;;
	esac
}

needs_tshark()
{
	if [ -z "${MBUF_TRACE_PLUGIN:-}" ] || [ ! -f "$MBUF_TRACE_PLUGIN" ]; then
		echo "SKIPPED: no plugin built (plugins/epan/mbuf_trace) to decode traces with"
		exit 77
	fi
}

# run SCENARIO [OPTION...]: the scenario's capture through the replay, into
# $work/trace.pcap; its stderr in $work/err.  Fails unless it exits 0.
run()
{
	"$mkcap" "$1" "$work/in.pcap"
	shift
	rm -f "$work/trace.fields" "$work/snaps.fields" "$work/snaps.index"
	"$replay" "$@" "$work/in.pcap" "$work/trace.pcap" 2>"$work/err" ||
	    fail "mbuf_trace-replay exited $?: $(cat "$work/err")"
	[ -z "$collect" ] || cp "$work/trace.pcap" "$collect/traces/$(key "$work/trace.pcap").pcap"
}

# key FILE: the SHA-256 of FILE's bytes, which names its decodes.
key()
{
	set -- "$(sha256sum <"$1")"
	echo "${1%% *}"
}

# A trace is decoded once, not once per question: every field of
# trace_fields into $work/trace.fields, every snapshot of the trace into
# $work/snaps.fields (by decode_all, or at the first fields, strings or
# snapshot after a run); the helpers cut their columns out of those.  A
# field missing from the lists fails the case, naming it.
trace_fields="frame.number frame.time_epoch mbuf_trace.path mbuf_trace.string
mbuf_trace.packet mbuf_trace.line mbuf_trace.record.type mbuf_trace.record.length
mbuf_trace.packet_length ip.frag_offset ip.len"
snap_fields="frame.len eth.dst eth.type vlan.id vlan.etype arp.opcode arp.src.hw_mac
arp.src.proto_ipv4 arp.dst.hw_mac arp.dst.proto_ipv4 ip.src ip.dst ip.ttl ip.flags ip.id
ip.len ip.hdr_len ip.frag_offset ip.checksum ip.checksum.status ip.opt.ptr ip.rec_rt
icmp.type icmp.code icmp.mtu icmp.checksum.status ipv6.src ipv6.dst ipv6.hlim ipv6.plen
ipv6.fraghdr.offset ipv6.fraghdr.more icmpv6.type icmpv6.code icmpv6.checksum.status
icmpv6.nd.na.target_address icmpv6.nd.na.flag.s icmpv6.nd.na.flag.o icmpv6.opt.linkaddr
tcp.flags tcp.seq_raw tcp.ack_raw tcp.srcport tcp.dstport tcp.checksum.status udp.dstport"

# decode OUT FIELDS [TSHARK-ARG...] <CAPTURE: every field of FIELDS, one
# column each, into OUT; fails if tshark does.
decode()
{
	out=$1 list=$2
	shift 2
	for f in $list; do
		set -- "$@" -e "$f"
	done
	"$MBUF_TRACE_RUNNER" "$MBUF_TRACE_PLUGIN" -r - -T fields "$@" >"$out.new" ||
	    fail "tshark-with-plugin exited $? decoding into $(basename "$out")"
	mv "$out.new" "$out"
}

# columns FILE LIST FIELD...: the columns of FIELD... (LIST names FILE's
# columns), tab-separated, one line per line of FILE.
columns()
{
	file=$1 list=$2
	shift 2
	cols=""
	for f in "$@"; do
		i=0 at=0
		for g in $list; do
			i=$((i + 1))
			[ "$g" != "$f" ] || { at=$i; break; }
		done
		[ "$at" -gt 0 ] || fail "field $f is not decoded: add it to the lists in replay-test.sh"
		cols="$cols${cols:+,}$at"
	done
	awk -F '\t' -v cols="$cols" 'BEGIN { n = split(cols, c, ",") }
	    { line = ""; for (i = 1; i <= n; i++) line = line (i > 1 ? "\t" : "") $c[i]; print line }' \
	    "$file"
}

# decode_trace OUT <TRACE and decode_snapshots OUT <SNAPSHOTS: the two
# decodes, of one trace or of many at once (decode_all).
decode_trace()
{
	decode "$1" "$trace_fields" -E aggregator='|'
}
decode_snapshots()
{
	decode "$1" "$snap_fields" -E occurrence=f \
	    -o ip.check_checksum:TRUE -o tcp.check_checksum:TRUE -o udp.check_checksum:TRUE
}

# snapshots TRACE_FIELDS: "FRAME N HEX", one line per snapshot of the
# trace, in trace order.
snapshots()
{
	columns "$1" "$trace_fields" mbuf_trace.packet | awk -F '|' '{
	    for (i = 1; i <= NF; i++) if ($i != "") print NR, i, $i }'
}

# to_text2pcap <SNAPSHOTS: text2pcap's input, one packet per snapshot
# line, offsets from 0 again.
to_text2pcap()
{
	awk '{ hex = $3
		for (o = 0; o < length(hex) / 2; o += 16) {
			printf "%06x", o
			for (i = o; i < o + 16 && i < length(hex) / 2; i++)
				printf " %s", substr(hex, 2 * i + 1, 2)
			print ""
		}
	    }'
}

# The trace's decodes into $work: from $decoded when they are there.
decoded_trace()
{
	[ ! -f "$work/trace.fields" ] || return 0
	k=""
	[ -z "$decoded" ] || k=$(key "$work/trace.pcap")
	if [ -n "$k" ] && [ -f "$decoded/$k.trace" ] && [ -f "$decoded/$k.snaps" ]; then
		cp "$decoded/$k.trace" "$work/trace.fields"
		cp "$decoded/$k.snaps" "$work/snaps.fields"
	else
		[ -z "$decoded" ] || echo "note: this trace is not in $decoded: decoding it here" >&2
		decode_trace "$work/trace.fields" <"$work/trace.pcap"
	fi
}

# fields FIELD...: one line per trace frame, the fields tab-separated,
# repeats joined by "|".
fields()
{
	[ -z "$collect" ] || return 0
	decoded_trace
	columns "$work/trace.fields" "$trace_fields" "$@"
}

# strings: the trace strings of every frame, line numbers and files left out.
strings()
{
	fields mbuf_trace.string | sed 's|sys/[a-z0-9_/]*\.c:[0-9]*: ||g'
}

# snapshot FRAME N FIELD...: the Nth snapshot of trace frame FRAME decoded
# as an Ethernet frame of its own, checksums checked; the first occurrence
# of each field (an ICMP error's, not its quotation's).  Every snapshot of
# the trace is decoded at the first call, each a frame of one capture, in
# trace order; $work/snaps.index maps "FRAME N" to its line.
snapshot()
{
	[ -z "$collect" ] || return 0
	frame=$1 n=$2
	shift 2
	if [ ! -f "$work/snaps.index" ]; then
		decoded_trace
		snapshots "$work/trace.fields" >"$work/snaps.hex"
		awk '{ print $1, $2 }' "$work/snaps.hex" >"$work/snaps.index"
		if [ ! -f "$work/snaps.fields" ]; then
			to_text2pcap <"$work/snaps.hex" | text2pcap -q - "$work/snaps.pcap"
			decode_snapshots "$work/snaps.fields" <"$work/snaps.pcap"
		fi
		[ "$(wc -l <"$work/snaps.fields")" -eq "$(wc -l <"$work/snaps.index")" ] ||
		    fail "text2pcap and tshark made $(wc -l <"$work/snaps.fields") snapshots of $(wc -l <"$work/snaps.index")"
	fi
	line=$(awk -v f="$frame" -v n="$n" '$1 == f && $2 == n { print NR }' "$work/snaps.index")
	[ -n "$line" ] || fail "frame $frame has no snapshot $n"
	columns "$work/snaps.fields" "$snap_fields" "$@" | sed -n "${line}p"
}

# The path of the frames before the reply leaves, common to the local cases.
in4="ether_input > ether_input_internal > ether_demux > ip_input"
in6="ether_input > ether_input_internal > ether_demux > ip6_input"
out4="ip_output > ether_output > ether_output_frame"
out6="ip6_output > ether_output > ether_output_frame"
good=1 # Wireshark's checksum status "good"

case $case_name in
decode_all)
	# decode_all DIR LIST: see the top of this file.
	dir=$1 list=$2
	rm -rf "$dir"
	mkdir -p "$dir/traces"
	while IFS='|' read -r name line; do
		# The case's own arguments, split at "|" as CMake wrote them.
		# shellcheck disable=SC2086
		(IFS='|'; set -f; MBUF_TRACE_REPLAY_COLLECT=$dir sh "$0" "$build" $line) \
		    </dev/null >/dev/null 2>&1 || echo "note: $name failed while collecting its traces"
	done <"$list"
	set -- "$dir"/traces/*.pcap
	[ -f "$1" ] || { echo "no traces collected"; exit 0; }
	needs_tshark
	# Every trace, one after the other in one capture, decoded at once,
	# then cut up again by the frame counts capinfos tells; each trace's
	# frames numbered from 1 again (frame.number is the first field).
	sh "$(dirname "$0")/../concat-captures.sh" "$dir/all.pcapng" "$@" >"$dir/counts"
	decode_trace "$dir/all.trace" <"$dir/all.pcapng"
	# One pass cuts all.trace into DIR/KEY.trace, each trace's frames
	# numbered from 1 again, and lists every snapshot (as snapshots does)
	# in DIR/all.snaps.hex, each trace's count in DIR/snapcounts.
	packet=0 i=0
	for g in $trace_fields; do
		i=$((i + 1))
		[ "$g" != mbuf_trace.packet ] || packet=$i
	done
	awk -F '\t' -v OFS='\t' -v dir="$dir" -v packet=$packet '
	    function next_trace() {
		if (t > 0)
		    print key[t], snaps > (dir "/snapcounts")
		if (++t > traces) {
		    bad = 1
		    exit 1
		}
		n = snaps = 0
		printf "" > (dir "/" key[t] ".trace")
	    }
	    FILENAME == ARGV[1] { k = $1; sub(/.*\//, "", k); sub(/\.pcap$/, "", k)
		key[++traces] = k; frames[traces] = $2; next }
	    { while (t == 0 || n == frames[t])
		next_trace()
	      $1 = ++n
	      print > (dir "/" key[t] ".trace")
	      m = split($packet, hex, "|")
	      for (j = 1; j <= m; j++)
		if (hex[j] != "") { print n " " j " " hex[j]; snaps++ } }
	    END { if (bad || n != frames[t])
		    exit 1
		while (t < traces)
		    next_trace()
		print key[t], snaps > (dir "/snapcounts") }' "$dir/counts" "$dir/all.trace" \
	    >"$dir/all.snaps.hex" ||
	    fail "capinfos counted $(awk '{ n += $2 } END { print n }' "$dir/counts") frames," \
	    "tshark decoded $(wc -l <"$dir/all.trace")"
	# The last trace, decoded alone, is what its cut says: frames and
	# numbers the same, whatever came before it in the run.
	for last; do :; done
	k=${last##*/} && k=${k%.pcap}
	decode_trace "$dir/alone.trace" <"$dir/traces/$k.pcap"
	cmp -s "$dir/alone.trace" "$dir/$k.trace" ||
	    fail "trace $k: decoded alone, not what its cut from the run says:" \
	    "$(diff "$dir/alone.trace" "$dir/$k.trace" | head -4)"
	# Every snapshot of every trace, one packet each, in one capture likewise.
	to_text2pcap <"$dir/all.snaps.hex" | text2pcap -q - "$dir/all.snaps.pcap"
	decode_snapshots "$dir/all.snaps" <"$dir/all.snaps.pcap"
	at=$(wc -l <"$dir/all.snaps.hex")
	[ "$(wc -l <"$dir/all.snaps")" -eq "$at" ] ||
	    fail "text2pcap and tshark made $(wc -l <"$dir/all.snaps") snapshots of $at"
	awk -v dir="$dir" 'FILENAME == ARGV[1] { key[NR] = $1; count[NR] = $2
		printf "" > (dir "/" $1 ".snaps"); next }
	    { while (t == 0 || n == count[t]) { t++; n = 0 }
	      n++; print > (dir "/" key[t] ".snaps") }' "$dir/snapcounts" "$dir/all.snaps"
	echo "$# traces decoded, $at snapshots"
	;;
icmp_echo_request_becomes_the_reply_in_its_own_mbuf)
	needs_tshark
	run icmp_echo
	want "frames" 1 "$(fields frame.number | wc -l)"
	want "path" "$in4 > icmp_input > $out4" "$(fields mbuf_trace.path)"
	have "strings" "+icmp_input|reply: this packet becomes the ICMP reply|+ip_output" "$(strings)"
	want "request" "8	198.51.100.1	192.0.2.1	64" "$(snapshot 1 1 icmp.type ip.src ip.dst ip.ttl)"
	# The reply: addresses swapped, TTL reset, DF cleared, an IP ID of its
	# own, type 0, both checksums right; sent to the requester's MAC.
	want "reply" "0	192.0.2.1	198.51.100.1	64	0x00	0x0001	$good	$good	02:00:00:00:00:0a" \
	    "$(snapshot 1 2 icmp.type ip.src ip.dst ip.ttl ip.flags ip.id ip.checksum.status \
	    icmp.checksum.status eth.dst)"
	;;
icmpv6_echo_reply_is_a_copy_that_carries_a_copy_of_the_trace)
	needs_tshark
	run icmp6_echo
	# The request ends in icmp6_input (no raw socket); its copy, with a
	# copy of the trace so far, becomes the reply, whose trace ends when
	# it is handed to the driver (mtrace_end()), before the request is
	# freed.
	want "paths" "$in6 > icmp6_input > $out6
$in6 > icmp6_input" "$(fields mbuf_trace.path)"
	first=$(strings | sed -n 2p)
	second=$(strings | sed -n 1p)
	want "the request's trace" "${first%|-icmp6_input}" "${second%%|reply: a copy*}"
	have "the copy's trace" "+icmp6_input|reply: a copy of this packet becomes the echo reply|+ip6_output" \
	    "$second"
	want "reply" "129	2001:db8::b	2001:db8::a	64	$good" \
	    "$(snapshot 1 2 icmpv6.type ipv6.src ipv6.dst ipv6.hlim icmpv6.checksum.status)"
	;;
arp_request_for_our_address_becomes_the_reply)
	needs_tshark
	run arp_request --mac 02:00:00:00:00:0b
	want "path" "ether_input > ether_input_internal > ether_demux > arpintr > in_arpinput > ether_output > ether_output_frame" \
	    "$(fields mbuf_trace.path)"
	have "strings" "+in_arpinput|reply: this packet becomes the ARP reply|+ether_output" "$(strings)"
	# The request's bytes, turned round; the padding gone (42 bytes).
	want "reply" "2	02:00:00:00:00:0b	192.0.2.1	02:00:00:00:00:0a	198.51.100.1	02:00:00:00:00:0a	42" \
	    "$(snapshot 1 2 arp.opcode arp.src.hw_mac arp.src.proto_ipv4 arp.dst.hw_mac \
	    arp.dst.proto_ipv4 eth.dst frame.len)"
	;;
vlan_frame_passes_vlan_input_to_the_vlan_interface)
	needs_tshark
	run vlan_echo
	want "path" "ether_input > ether_input_internal > ether_demux > $in4 > icmp_input > $out4" \
	    "$(fields mbuf_trace.path)"
	have "strings" "+ether_demux|-ether_demux|ether_input|+ether_input_internal" "$(strings)"
	# ether_demux() leaves at the vlan_input() call, then at netisr_dispatch().
	lines=$(fields mbuf_trace.line | tr '|' '\n' | sed -n '5p;10p' | tr '\n' ' ')
	want "ether_demux exits" "913 965 " "$lines"
	want "the tagged frame" "42	0x0800" "$(snapshot 1 1 vlan.id vlan.etype)"
	want "the frame the vlan(4) interface got, untagged" "	0x0800" "$(snapshot 1 2 vlan.id eth.type)"
	;;
vlan_tag_without_vlan_interface_is_dropped)
	needs_tshark
	run vlan_echo --vlan none
	have "strings" "+ether_demux|drop: VLAN tag but no vlan(4) on the interface" "$(strings)"
	;;
vlan_without_its_vlan_interface_ends_in_vlan_input)
	needs_tshark
	run vlan_echo --vlan 7
	# vlan_input() drops it without a record of its own.
	want "strings" "ether_input|+ether_input_internal|-ether_input_internal|+ether_demux|-ether_demux" \
	    "$(strings)"
	;;
record_route_option_is_filled_in_and_reflected)
	needs_tshark
	run icmp_echo_record_route
	# ip_dooptions() records the host's address and moves the pointer on;
	# icmp_reflect() hands the option back in the reply.
	want "request" "32	4	" "$(snapshot 1 1 ip.hdr_len ip.opt.ptr ip.rec_rt)"
	want "reply" "32	8	192.0.2.1	0	$good" \
	    "$(snapshot 1 2 ip.hdr_len ip.opt.ptr ip.rec_rt icmp.type ip.checksum.status)"
	;;
icmp_echo_reply_and_error_go_to_the_raw_sockets)
	needs_tshark
	# No kernel processing: icmp_input() leaves for rip_input() (no socket).
	for scenario in icmp_echo_reply icmp_port_unreachable; do
		run $scenario
		want "$scenario" "$in4 > icmp_input" "$(fields mbuf_trace.path)"
		want "$scenario leaves at" "763" "$(fields mbuf_trace.line | tr '|' '\n' | tail -1)"
	done
	;;
ipv6_reply_larger_than_the_mtu_is_fragmented)
	needs_tshark
	run icmp6_echo_big
	# ip6_fragment() copies the reply (and its trace) into fragments and
	# frees it: its trace ends in ip6_output() and comes first; then the
	# fragments', as they are handed to the driver; the request's last.
	want "paths" "$in6 > icmp6_input > ip6_output
$in6 > icmp6_input > $out6
$in6 > icmp6_input > $out6
$in6 > icmp6_input" "$(fields mbuf_trace.path)"
	want "fragments" "1456 0 1
568 181 0" "$(for n in 2 3; do snapshot $n 2 ipv6.plen ipv6.fraghdr.offset ipv6.fraghdr.more; done | tr '\t' ' ')"
	want "leave" "1277" "$(fields mbuf_trace.line | sed -n 3p | tr '|' '\n' | grep -x 1277)"
	;;
tcp_syn_to_closed_port_becomes_the_rst)
	needs_tshark
	run tcp_syn --open-port 8080
	want "path" "$in4 > tcp_input > tcp_input_with_port > $out4" "$(fields mbuf_trace.path)"
	have "strings" "+tcp_input_with_port|reply: refused, this packet becomes the RST|+ip_output" \
	    "$(strings)"
	# RST|ACK acknowledging the SYN, ports and addresses swapped, DF set,
	# IP ID 0 (RFC 6864), checksums complete.
	want "rst" "0x0014	0	1001	80	40000	192.0.2.1	0x02	0x0000	40	$good	$good" \
	    "$(snapshot 1 2 tcp.flags tcp.seq_raw tcp.ack_raw tcp.srcport tcp.dstport ip.src \
	    ip.flags ip.id ip.len ip.checksum.status tcp.checksum.status)"
	;;
tcp6_syn_to_closed_port_becomes_the_rst)
	needs_tshark
	run tcp6_syn --open-port 8080
	want "path" "$in6 > tcp_input_with_port > $out6" "$(fields mbuf_trace.path)"
	want "rst" "0x0014	1001	2001:db8::b	64	$good" \
	    "$(snapshot 1 2 tcp.flags tcp.ack_raw ipv6.src ipv6.hlim tcp.checksum.status)"
	;;
tcp_segment_to_open_port_is_consumed)
	needs_tshark
	run tcp_syn --open-port 80
	want "path" "$in4 > tcp_input > tcp_input_with_port" "$(fields mbuf_trace.path)"
	want "tcp_do_segment() gets it" "1391" "$(fields mbuf_trace.line | tr '|' '\n' | tail -1)"
	want "snapshots" 1 "$(fields mbuf_trace.packet | tr '|' '\n' | wc -l)"
	;;
fragments_are_reassembled_and_the_first_one_carries_the_trace)
	needs_tshark
	run fragments_210
	# Backwards: the fragments at 2960 and 1480 wait in ip_reass(); the
	# one at 0 completes the datagram, which goes on in its mbuf, with its
	# trace; the others lose their packet headers there, and their traces.
	want "frames" 5 "$(fields frame.number | wc -l)"
	want "the others" "1480:1480 2960:20" "$(fields ip.frag_offset ip.len | sed -n 1,2p |
	    awk '{ printf "%s%d:%d", (NR > 1 ? " " : ""), $1 * 8, $2 - 20 }')"
	for n in 1 2; do
		want "fragment $n's trace ends in ip_reass()" "+ip_input" "$(strings | sed -n ${n}p | tr '|' '\n' | tail -1)"
	done
	# The reply, 3000 bytes, leaves in three fragments: the datagram's
	# trace, and the copies ip_fragment() made of it.
	want "reply fragments" "0 1480 2960" "$(for n in 3 4 5; do snapshot $n 2 ip.frag_offset; done |
	    awk '{ printf "%s%d", (NR > 1 ? " " : ""), $1 * 8 }')"
	want "reply type" "0" "$(snapshot 3 2 icmp.type)"
	want "the same trace" "$(strings | sed -n 3p)" "$(strings | sed -n 5p)"
	;;
incomplete_fragments_are_dropped_after_30_seconds)
	needs_tshark
	run fragments_0
	# Sent at 1700000000.25; net.inet.ip.fragttl later, the queue goes.
	want "time" "1700000030.250000000" "$(fields frame.time_epoch)"
	want "last record" "+ip_input" "$(strings | tr '|' '\n' | tail -1)"
	;;
tcp_rst_to_closed_port_is_refused_without_a_reply)
	needs_tshark
	run tcp_rst --open-port 8080
	# The record is made before tcp_dropwithreset() sees the RST flag.
	want "last record" "reply: refused, this packet becomes the RST" "$(strings | tr '|' '\n' | tail -1)"
	want "snapshots" 1 "$(fields mbuf_trace.packet | tr '|' '\n' | wc -l)"
	;;
ip_output_refuses_to_send_to_a_broadcast_address)
	needs_tshark
	run udp_from_subnet_broadcast --local-addr 192.0.2.1/24 --open-port 8080
	# The port unreachable would go to 192.0.2.255, the subnet's broadcast
	# address: ip_output() refuses without IP_ALLOWBROADCAST (EACCES) and
	# frees it, before icmp_error() frees the datagram.
	want "paths" "ip_output
$in4 > udp_input" "$(fields mbuf_trace.path)"
	want "the error" "+ip_output|drop: error 13" "$(strings | sed -n 1p)"
	;;
rxcsum_takes_the_interfaces_word_for_tcp_and_udp_checksums)
	needs_tshark
	run bad_tcp_checksum --open-port 80
	have "without" "drop: bad checksum" "$(strings)"
	run bad_tcp_checksum --open-port 80 --rxcsum
	want "with" "-tcp_input_with_port" "$(strings | tr '|' '\n' | tail -1)"
	run bad_udp_checksum --rxcsum
	want "udp" "-udp_input" "$(strings | tr '|' '\n' | tail -1)"
	run bad_icmp6_checksum --rxcsum
	have "ICMPv6 checksums are the stack's" "drop: bad checksum" "$(strings)"
	;;
neighbour_solicitation_is_answered_by_an_advertisement)
	needs_tshark
	run neighbour_solicitation --mac 02:00:00:00:00:0b
	# nd6_ns_input() consumes the solicitation and sends the advertisement
	# (its trace ends at the driver, first); a copy (with a copy of the
	# trace) goes on to the raw sockets.
	want "paths" "$out6
$in6 > icmp6_input
$in6 > icmp6_input" "$(fields mbuf_trace.path)"
	want "copy" "-icmp6_input" "$(strings | sed -n 3p | tr '|' '\n' | tail -1)"
	want "advertisement" "136	2001:db8::b	1	1	02:00:00:00:00:0b	255	2001:db8::a	02:00:00:00:00:0a	$good" \
	    "$(snapshot 1 1 icmpv6.type icmpv6.nd.na.target_address icmpv6.nd.na.flag.s \
	    icmpv6.nd.na.flag.o icmpv6.opt.linkaddr ipv6.hlim ipv6.dst eth.dst icmpv6.checksum.status)"
	;;
udp_to_closed_port_gets_icmp_port_unreachable_in_a_new_trace)
	needs_tshark
	run udp --open-port 8080
	# The error's trace starts at ip_output() and ends when it is handed
	# to the driver, before the datagram is freed.
	want "paths" "$out4
$in4 > udp_input" "$(fields mbuf_trace.path)"
	have "datagram" "+udp_input|no socket is bound to the destination port|drop: sending ICMP port unreachable" \
	    "$(strings | sed -n 2p)"
	want "error" "3	3	192.0.2.1	198.51.100.1	9	$good" \
	    "$(snapshot 1 1 icmp.type icmp.code ip.src ip.dst udp.dstport icmp.checksum.status)"
	;;
udp_to_open_port_is_delivered)
	needs_tshark
	run udp --open-port udp:9
	want "path" "$in4 > udp_input" "$(fields mbuf_trace.path)"
	want "udp_append() gets it" "-udp_input" "$(strings | tr '|' '\n' | tail -1)"
	;;
udp6_to_closed_port_becomes_the_icmpv6_error_in_the_same_trace)
	needs_tshark
	run udp6 --open-port 8080
	# udp6_input() is not instrumented: the trace goes from ip6_input to
	# the error going out, in the same mbuf.
	want "path" "$in6 > $out6" "$(fields mbuf_trace.path)"
	want "error" "1	4	2001:db8::b	$good" \
	    "$(snapshot 1 2 icmpv6.type icmpv6.code ipv6.src icmpv6.checksum.status)"
	;;
forwarding_host_does_not_mark_the_fast_path_on_its_own_packets)
	needs_tshark
	# A FreeBSD 15.1 kernel in qemu showed it: with forwarding on,
	# ip_input() hands every packet to ip_tryforward(), which hands back
	# the host's own; the mark comes only once the fast path takes one.
	run icmp_echo --forward --local-addr 192.0.2.1
	want "path" "$in4 > icmp_input > $out4" "$(fields mbuf_trace.path)"
	;;
forwarding_decrements_the_ttl_and_mends_the_checksum)
	needs_tshark
	run forward --forward
	want "path" "$in4 > ip_tryforward > ether_output > ether_output_frame" "$(fields mbuf_trace.path)"
	have "strings" "ip_tryforward|forward: fast path|+ether_output" "$(strings)"
	want "in" "64	$good	0xc25e" "$(snapshot 1 1 ip.ttl ip.checksum.status ip.checksum)"
	# TTL 63, the checksum mended (RFC 1624): one more in its high byte.
	want "out" "63	$good	0xc35e	203.0.113.9" "$(snapshot 1 2 ip.ttl ip.checksum.status ip.checksum ip.dst)"
	;;
forwarding_ttl_exceeded_sends_icmp_time_exceeded)
	needs_tshark
	run forward_ttl1 --forward --local-addr 192.0.2.254/24
	want "paths" "$out4
$in4 > ip_tryforward" "$(fields mbuf_trace.path)"
	have "packet" "ip_tryforward|drop: TTL exceeded, sending ICMP time exceeded" "$(strings | sed -n 2p)"
	want "error" "11	0	192.0.2.254	198.51.100.1	$good" \
	    "$(snapshot 1 1 icmp.type icmp.code ip.src ip.dst icmp.checksum.status)"
	;;
forwarding_packet_with_options_takes_ip_forward)
	needs_tshark
	run forward_options --forward --local-addr 192.0.2.254
	# The fast path hands a packet with options back untouched and unmarked.
	want "path" "$in4 > ip_forward > $out4" "$(fields mbuf_trace.path)"
	# ip_output() computes the header checksum afresh.
	want "out" "63	24	$good" "$(snapshot 1 2 ip.ttl ip.hdr_len ip.checksum.status)"
	;;
forwarding_too_big_with_df_sends_needfrag)
	needs_tshark
	run forward_big_df --forward --local-addr 192.0.2.254 --mtu 1280
	# The error leaves at the driver (mtrace_end()), before the packet
	# that caused it is freed.
	have "packet" "drop: needs fragmenting but DF is set, sending ICMP" "$(strings | sed -n 2p)"
	want "error" "3	4	1280	596" "$(snapshot 1 1 icmp.type icmp.code icmp.mtu ip.len)"
	;;
forwarding_too_big_without_df_is_fragmented_with_copies_of_the_trace)
	needs_tshark
	run forward_big --forward --mtu 1280
	# Two fragments, each with its trace: the packet's, and the copy
	# ip_fragment() made with the packet header.
	want "frames" 2 "$(fields frame.number | wc -l)"
	want "same records" "$(strings | sed -n 1p)" "$(strings | sed -n 2p)"
	want "first fragment" "1276	0x01	0	63	$good" \
	    "$(snapshot 1 2 ip.len ip.flags ip.frag_offset ip.ttl ip.checksum.status)"
	# The offset in units of 8 bytes: 1256 bytes in.
	want "second fragment" "144	0x00	157	63	$good" \
	    "$(snapshot 2 2 ip.len ip.flags ip.frag_offset ip.ttl ip.checksum.status)"
	;;
forwarding_ipv6_decrements_the_hop_limit)
	needs_tshark
	run forward6 --forward
	want "path" "$in6 > ip6_forward > ether_output > ether_output_frame" "$(fields mbuf_trace.path)"
	want "hop limits" "64 63" "$(snapshot 1 1 ipv6.hlim) $(snapshot 1 2 ipv6.hlim)"
	;;
forwarding_ipv6_hop_limit_exceeded_becomes_the_icmpv6_error)
	needs_tshark
	run forward6_hlim1 --forward --local-addr 2001:db8::fe/64
	want "path" "$in6 > ip6_forward > $out6" "$(fields mbuf_trace.path)"
	have "strings" "+ip6_forward|drop: hop limit exceeded, sending ICMPv6 time exceeded|+ip6_output" \
	    "$(strings)"
	want "error" "3	2001:db8::fe	$good" \
	    "$(snapshot 1 2 icmpv6.type ipv6.src icmpv6.checksum.status)"
	;;
unreadable_input_is_an_error)
	if "$replay" "$work/nosuch.pcap" "$work/trace.pcap" 2>"$work/err"; then
		fail "exit 0"
	fi
	set +e
	"$replay" "$work/nosuch.pcap" "$work/trace.pcap" 2>/dev/null
	status=$?
	set -e
	want "status" 1 "$status"
	have "message" "cannot read $work/nosuch.pcap: No such file or directory" "$(cat "$work/err")"
	echo "not a capture" >"$work/text.pcap"
	"$replay" "$work/text.pcap" "$work/trace.pcap" 2>"$work/err" && fail "a text file was read"
	have "message" "cannot read $work/text.pcap: unknown file format" "$(cat "$work/err")"
	;;
non_ethernet_input_is_refused_naming_its_link_type)
	"$mkcap" linktype=147 "$work/in.pcap"
	"$replay" "$work/in.pcap" "$work/trace.pcap" 2>"$work/err" && fail "exit 0"
	have "message" "link type DLT 147" "$(cat "$work/err")"
	have "message" "not Ethernet (EN10MB)" "$(cat "$work/err")"
	;;
truncated_capture_is_an_error)
	"$mkcap" mixed "$work/in.pcap"
	size=$(wc -c <"$work/in.pcap")
	head -c $((size - 10)) "$work/in.pcap" >"$work/cut.pcap"
	"$replay" "$work/cut.pcap" "$work/trace.pcap" 2>"$work/err" && fail "exit 0"
	have "message" "truncated dump file" "$(cat "$work/err")"
	# What came before the cut is traced and written nonetheless.
	have "summary" "11 packets read" "$(cat "$work/err")"
	;;
unwritable_output_is_an_error)
	"$mkcap" icmp_echo "$work/in.pcap"
	"$replay" "$work/in.pcap" "$work/nosuch/trace.pcap" 2>"$work/err" && fail "exit 0"
	have "message" "cannot write $work/nosuch/trace.pcap: No such file or directory" "$(cat "$work/err")"
	;;
pcapng_input_gives_the_same_trace)
	command -v editcap >/dev/null || { echo "SKIPPED: no editcap (wireshark-common)"; exit 77; }
	run mixed
	editcap -F pcapng "$work/in.pcap" "$work/in.pcapng"
	[ "$(head -c 4 "$work/in.pcapng" | od -An -tx1 | tr -d ' ')" = 0a0d0d0a ] ||
	    fail "editcap did not write pcapng"
	"$replay" "$work/in.pcapng" "$work/ng.pcap" 2>/dev/null
	cmp "$work/trace.pcap" "$work/ng.pcap" || fail "the traces differ"
	;;
output_is_byte_for_byte_reproducible)
	run mixed --timestamps
	cp "$work/trace.pcap" "$work/first.pcap"
	"$replay" --timestamps "$work/in.pcap" "$work/trace.pcap" 2>/dev/null
	cmp "$work/first.pcap" "$work/trace.pcap" || fail "two runs differ"
	# To stdout, the same bytes.
	"$replay" --timestamps "$work/in.pcap" - 2>/dev/null | cmp "$work/first.pcap" - ||
	    fail "stdout differs"
	;;
trace_frames_carry_the_time_of_their_packets)
	needs_tshark
	run mixed
	# One trace per packet here but the ICMPv6 echo's two; each stamped
	# with the time of the packet that ended it (1700000000 + its index).
	want "times" "1700000000 1700000001 1700000001 1700000002 1700000003 1700000004 1700000005 1700000006 1700000007 1700000008 1700000009 1700000010 1700000011 " 	    "$(fields frame.time_epoch | cut -d. -f1 | tr '\n' ' ')"
	want "fraction" ".250000000" ".$(fields frame.time_epoch | sed -n 1p | cut -d. -f2)"
	;;
summary_counts_packets_traces_and_drops_by_reason)
	run mixed --open-port 8080
	# Two traces for the ICMPv6 echo and for the UDP datagram to a closed port.
	have "totals" "12 packets read, 14 traces written" "$(cat "$work/err")"
	for reason in "drop: not IP version 4" "drop: bad header checksum" \
	    "drop: unsupported ethertype 0x88b5" "drop: frame shorter than an Ethernet header" \
	    "drop: sending ICMP port unreachable"; do
		have "$reason" "       1  $reason" "$(cat "$work/err")"
	done
	;;
snapped_packets_are_skipped_and_counted)
	run snapped
	have "summary" "2 packets read, 1 traces written, 1 packets skipped (cut short by the capture's snapshot length)" \
	    "$(cat "$work/err")"
	;;
every_packet_is_freed)
	# The replay checks at the end that no mbuf outlived the run.
	run mixed --open-port 8080
	have "summary" "packets read" "$(cat "$work/err")"
	if grep -q "never freed" "$work/err"; then
		fail "$(cat "$work/err")"
	fi
	;;
timestamps_option_adds_time_records)
	needs_tshark
	run icmp_echo
	want "without" "" "$(fields mbuf_trace.record.type | tr '|' '\n' | grep -x 5 || true)"
	run icmp_echo --timestamps
	want "with: one before each of the 16 records" 16 \
	    "$(fields mbuf_trace.record.type | tr '|' '\n' | grep -cx 5)"
	;;
snap_max_limits_snapshots)
	needs_tshark
	run icmp_echo --snap-max 32
	# The first and the last snapshot (DATA or DATA_L3), each followed by
	# the CUT record that tells the packet's length.
	want "snapshot lengths" "32|32" "$(fields mbuf_trace.record.type mbuf_trace.record.length |
	    awk -F '\t' '{ n = split($1, t, "|"); split($2, l, "|")
		for (i = 1; i <= n; i++) if (t[i] == 1 || t[i] == 4) s = s (s == "" ? "" : " ") l[i] }
		END { k = split(s, v, " "); print v[1] "|" v[k] }')"
	want "cut snapshots" "1" "$(fields mbuf_trace.packet_length | grep -c .)"
	;;
bad_options_are_usage_errors)
	"$mkcap" icmp_echo "$work/in.pcap"
	for opt in "--open-port 0" "--open-port udp:9-8" "--local-addr 192.0.2.1/33" \
	    "--vlan 4095" "--mac 02:00:00" "--mtu 100" "--snap-max 70000" "--trace-max 1" \
	    "--filter tcp_port_80" "--interface-group vtnet0"; do
		set +e
		# shellcheck disable=SC2086 # the option and its value
		"$replay" $opt "$work/in.pcap" "$work/trace.pcap" 2>"$work/err"
		status=$?
		set -e
		want "$opt: status" 2 "$status"
		[ -s "$work/err" ] || fail "$opt: no message"
	done
	"$replay" "$work/in.pcap" 2>/dev/null && fail "one operand accepted"
	true
	;;
help_lists_the_options)
	"$replay" --help >"$work/help"
	for opt in --forward --local-addr --open-port --vlan --mac --mtu --snap-max --trace-max \
	    --timestamps --filter --no-start-points --interface-group --source-position \
	    --start-anywhere --progress "INPUT OUTPUT"; do
		have "--help" "$opt" "$(cat "$work/help")"
	done
	;;
progress_is_shown_when_asked)
	run many --progress
	have "progress" "$(printf '\r')mbuf_trace-replay: 1024 packets" "$(cat "$work/err")"
	run many
	if grep -q "1024 packets" "$work/err"; then
		fail "progress on a file"
	fi
	;;
damaged_frames_are_replayed_without_a_fault)
	# 20000 damaged frames (mkcap mutants), under each mode; the replay
	# checks its own mbuf accounting at the end (every_packet_is_freed).
	"$mkcap" mutants "$work/in.pcap"
	for opts in "" "--rxcsum --open-port 8080 --mtu 1280" \
	    "--forward --local-addr 192.0.2.254/24 --local-addr 2001:db8::fe/64" \
	    "--rxcsum --vlan 42 --mac 02:00:00:00:00:0b --local-addr 192.0.2.1"; do
		# shellcheck disable=SC2086 # the options
		"$replay" $opts "$work/in.pcap" "$work/trace.pcap" 2>"$work/err" ||
		    fail "[$opts]: exit $?: $(tail -5 "$work/err")"
		have "[$opts]: summary" "20000 packets read" "$(cat "$work/err")"
	done
	;;
filter_selects_exactly_the_matching_packets)
	# filter_selects_exactly_the_matching_packets CAPTURE: the sample
	# capture (examples/) replayed with a filter gives exactly the traces
	# of the unfiltered replay that tshark's display filter for the same
	# expression matches, record for record (an ICMP error quoting a UDP
	# header is not udp to BPF, to tshark it is).  tshark runs twice: once
	# on every replay at once (mergecap -a), once for the three display
	# filters on the unfiltered one (filter_batch.sh).
	needs_tshark
	capture=$1
	opts="--rxcsum --open-port tcp:8000 --open-port tcp:32768-60999"
	# shellcheck disable=SC2086 # the options
	"$replay" $opts "$capture" "$work/all.pcap" 2>"$work/err" || fail "unfiltered: $(cat "$work/err")"
	n=0
	for pair in "icmp or icmp6|icmp || icmpv6" \
	    "tcp port 8000 and host 192.0.2.1|tcp.port == 8000 && ip.addr == 192.0.2.1" \
	    "udp|udp && !icmp"; do
		expr=${pair%%|*} display=${pair#*|}
		n=$((n + 1))
		# shellcheck disable=SC2086 # the options
		"$replay" $opts --filter "$expr" "$capture" "$work/sel$n.pcap" 2>"$work/err" ||
		    fail "--filter '$expr': $(cat "$work/err")"
		printf '%s\t%s\t%s\n' "$expr" "$work/all.pcap" "$display" >>"$work/filters"
	done
	set -- "$work/all.pcap" "$work"/sel[0-9].pcap
	sh "$(dirname "$0")/../concat-captures.sh" "$work/every.pcapng" "$@" >"$work/counts"
	# The runner's tshark reads stdin: it may not be allowed into $work.
	"$MBUF_TRACE_RUNNER" "$MBUF_TRACE_PLUGIN" -r - -T fields -e frame.time_epoch \
	    -e mbuf_trace.string <"$work/every.pcapng" >"$work/every.txt" || fail "tshark"
	sh "$(dirname "$0")/../plugin/filter_batch.sh" "$work/filters" "$work/matches" \
	    "$MBUF_TRACE_PLUGIN" >/dev/null || fail "display filters: filter_batch.sh"
	# every.txt, cut at the frame counts: all.txt, then sel1.txt...
	at=0
	while IFS='	' read -r f count; do
		awk -v from=$at -v to=$((at + count)) 'NR > from && NR <= to' \
		    "$work/every.txt" >"${f%.pcap}.txt"
		at=$((at + count))
	done <"$work/counts"
	want "frames decoded" "$at" "$(wc -l <"$work/every.txt")"
	all=$(wc -l <"$work/all.txt")
	n=0
	while IFS='	' read -r expr frames; do
		n=$((n + 1))
		sel=$work/sel$n.txt
		case $frames in ERROR*) fail "display filter for '$expr': $frames" ;; esac
		# The lines of all.txt whose frame numbers the display filter gave.
		echo "$frames" | tr ',' '\n' |
		    awk 'NR == FNR { keep[$1] = 1; next } FNR in keep' - "$work/all.txt" >"$work/want.txt"
		count=$(wc -l <"$sel")
		[ "$count" -gt 0 ] || fail "--filter '$expr' selected nothing"
		[ "$count" -lt "$all" ] || fail "--filter '$expr' selected all $all traces"
		cmp -s "$work/want.txt" "$sel" ||
		    fail "--filter '$expr': not the traces its display filter matches: $(diff "$work/want.txt" "$sel" | head -5)"
	done <"$work/matches"
	;;
start_points_and_interface_group_choose)
	run icmp_echo --no-start-points
	have "no start points" "0 traces written" "$(cat "$work/err")"
	run icmp_echo --no-start-points --interface-group em0.42
	have "another interface" "0 traces written" "$(cat "$work/err")"
	run icmp_echo --no-start-points --interface-group em0
	have "em0 in group mtrace" "1 traces written" "$(cat "$work/err")"
	run vlan_echo --no-start-points --interface-group em0.42
	have "the vlan interface" "1 traces written" "$(cat "$work/err")"
	;;
source_position_prefixes_strings_with_file_and_line)
	needs_tshark
	run udp --source-position --open-port 80
	have "drop string" "sys/netinet/udp_usrreq.c:678: drop: sending ICMP port unreachable" \
	    "$(fields mbuf_trace.string | tr "|" "\n")"
	# Locations are what they were; the summary counts the reason alone.
	have "location" "sys/netinet/ip_input.c:470: +ip_input" "$(fields mbuf_trace.string | tr '|' '\n')"
	have "summary" "1  drop: sending ICMP port unreachable" "$(cat "$work/err")"
	;;
start_anywhere_traces_without_start_points)
	needs_tshark
	run icmp_echo --no-start-points --start-anywhere
	want "frames" 1 "$(fields frame.number | wc -l)"
	# Every replayed packet passes ether_input's start point, which
	# start_anywhere makes choose as every trace point does: the trace is
	# whole (the kernel tests show a packet that passes no start point).
	want "first record" "sys/net/if_ethersubr.c:863: ether_input" \
	    "$(fields mbuf_trace.string | tr '|' '\n' | head -1)"
	;;
drop)
	# drop SCENARIO REASON [OPTION...]: the trace ends with REASON.
	needs_tshark
	scenario=$1 reason=$2
	shift 2
	run "$scenario" "$@"
	want "frames" 1 "$(fields frame.number | wc -l)"
	want "last record" "$reason" "$(strings | tr '|' '\n' | tail -1)"
	have "summary" "1  $reason" "$(cat "$work/err")"
	;;
*)
	fail "unknown case $case_name"
	;;
esac
if [ -f "$work/failed" ]; then
	cat "$work/failed"
	exit 1
fi
echo ok
