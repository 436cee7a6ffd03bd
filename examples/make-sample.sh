#!/bin/sh
#
# make-sample.sh - the sample capture, and the trace the replay makes of it.
#
# usage: examples/make-sample.sh [-r] [-o TRACE] [BUILD]
#	-r	record sample-capture.pcap anew first (see below)
#	-o	write the trace to TRACE (default: examples/sample-trace.pcap)
#	BUILD	the build directory with mbuf_trace-replay (default: build)
#
# sample-capture.pcap is real traffic on the loopback interface of a network
# namespace of its own, between 192.0.2.2 / 2001:db8::2 (a client) and
# 192.0.2.1 / 2001:db8::1 (a server): an HTTP download (python3 -m
# http.server, curl), two pings over IPv4 and two over IPv6, a UDP datagram
# to a closed port and a TCP connection attempt to one (the kernel that
# recorded it answered both).  Recording needs root, unshare and ip
# (util-linux, iproute2), tcpdump, curl, ping (iputils-ping) and python3;
# CI never records, it only checks that the trace comes out the same.
#
# The trace replays the capture in local mode: every address is the host's,
# and ports 8000 (the server) and 32768-60999 (Linux's ephemeral ports, the
# client's) have sockets, so the download is delivered both ways and port
# 9 (UDP) and 81 (TCP) are closed.  Linux leaves the TCP and UDP checksums
# of loopback packets unfinished (checksum offload), so the replay's
# interface has rxcsum: it vouches for them, as a NIC that checked them would.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
record=0
trace=$here/sample-trace.pcap
while getopts ro: opt; do
	case $opt in
	r) record=1 ;;
	o) trace=$OPTARG ;;
	*) sed -n 's/^# \{0,1\}//; 5,8p' "$0" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
build=${1:-$here/../build}
capture=$here/sample-capture.pcap

record()
{
	for tool in unshare ip tcpdump curl ping python3; do
		command -v $tool >/dev/null ||
		    { echo "make-sample.sh: recording needs $tool" >&2; exit 1; }
	done
	[ "$(id -u)" -eq 0 ] || { echo "make-sample.sh: recording needs root" >&2; exit 1; }
	work=$(mktemp -d)
	trap 'rm -rf "$work"' EXIT
	# The same 24 KiB every time: what the client downloads.
	mkdir "$work/www"
	awk 'BEGIN { for (i = 0; i < 2048; i++) printf "line %6d of the sample\n", i }' |
	    head -c 24576 >"$work/www/file.txt"
	unshare -n sh -eu -c '
		work=$1
		ip link set lo up
		ip link set lo mtu 1500
		ip addr add 192.0.2.1/24 dev lo
		ip addr add 192.0.2.2/24 dev lo
		ip -6 addr add 2001:db8::1/64 dev lo nodad
		ip -6 addr add 2001:db8::2/64 dev lo nodad
		python3 -m http.server 8000 --bind 192.0.2.1 --directory "$work/www" \
		    >"$work/http.log" 2>&1 &
		server=$!
		until curl -s -o /dev/null http://192.0.2.1:8000/; do sleep 0.1; done
		tcpdump -i lo -s 0 -U -w "$work/capture.pcap" 2>"$work/tcpdump.log" &
		dump=$!
		until grep -q "listening on" "$work/tcpdump.log"; do sleep 0.1; done
		curl -s --interface 192.0.2.2 -o /dev/null http://192.0.2.1:8000/file.txt
		ping -q -c 2 -i 0.2 -I 192.0.2.2 192.0.2.1 >/dev/null
		ping -q -6 -c 2 -i 0.2 -I 2001:db8::2 2001:db8::1 >/dev/null
		python3 -c "import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((\"192.0.2.2\", 0))
s.sendto(b\"hello, port 9\", (\"192.0.2.1\", 9))"
		curl -s --interface 192.0.2.2 -o /dev/null http://192.0.2.1:81/ || true
		sleep 0.5
		kill $dump $server
		wait $dump || true
	' sh "$work"
	cp "$work/capture.pcap" "$capture"
	echo "make-sample.sh: recorded $capture ($(wc -c <"$capture") bytes)"
}

[ $record -eq 0 ] || record
"$build/tools/mbuf_trace-replay/mbuf_trace-replay" --rxcsum --open-port tcp:8000 \
    --open-port tcp:32768-60999 "$capture" "$trace"
