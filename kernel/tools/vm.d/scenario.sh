# The default scenario of mbuf_trace-vm: one of each kind of packet the
# integration instruments, sent while `tcpdump -i mbuf_trace' captures in
# the host's VNET.  init.sh sources it; files left in $MTVM_OUT come back to
# the host.  vm.d/check.sh knows what each step must show in the trace.
#
# Addresses (only this VM's own networks):
#   vtnet0 10.0.2.15/24, qemu's user network, its gateway 10.0.2.2
#   epair0a 192.0.2.1/28 2001:db8::1/64  --  epair0b in jail a: .2, ::2
#   epair1a 192.0.2.17/28                --  epair1b in jail b: .18
# The host forwards between the jails.

step()
{
	echo "MTVM: step $*"
}

# jail_net NAME IF ADDR GW: a VNET jail with one end of an epair.
jail_net()
{
	jail -c name=$1 path=/ vnet persist
	ifconfig $2 vnet $1
	jexec $1 ifconfig lo0 inet 127.0.0.1/8 up
	jexec $1 ifconfig $2 inet $3/28 up
	jexec $1 route -q add default $4
}

sysctl net.inet.ip.forwarding=1 net.inet6.ip6.dad_count=0 >/dev/null
for i in $(ifconfig -l); do
	case $i in vtnet*) nic=$i ;; esac
done
ifconfig $nic inet 10.0.2.15/24 up
ifconfig epair create >/dev/null
ifconfig epair create >/dev/null
ifconfig epair0a inet 192.0.2.1/28 up
ifconfig epair0a inet6 -ifdisabled 2001:db8::1/64
ifconfig epair1a inet 192.0.2.17/28 up
jail_net a epair0b 192.0.2.2 192.0.2.1
jexec a sysctl net.inet6.ip6.dad_count=0 >/dev/null
jexec a ifconfig epair0b inet6 -ifdisabled 2001:db8::2/64
jail_net b epair1b 192.0.2.18 192.0.2.17
jexec a ifconfig mbuf_trace >$MTVM_OUT/jail-ifconfig.txt 2>&1
sleep 1

step ddb "ddb stops in icmp_input() and shows the trace of jail a's echo request"
# In ddb, the host (vm.d/ddb.sh) sets a breakpoint on icmp_input() and
# continues; when the echo request reaches it, it types `show mtrace' on
# the packet, deletes the breakpoint and continues.
sysctl debug.kdb.enter=1
jexec a ping -c 1 -t 5 192.0.2.1
step arp-icmp-out "ARP and ICMP echo to 10.0.2.2 on $nic"
ping -c 1 -t 5 10.0.2.2
step icmp-in "ICMP echo from jail a to 192.0.2.1"
jexec a ping -c 1 -t 5 192.0.2.1
step icmp-out "ICMP echo from the host to jail a"
ping -c 1 -t 5 192.0.2.2
step tcp "TCP connection with data, 192.0.2.2 to 192.0.2.1:7000"
# The server's stdin must end, or neither side closes (stdin is the console).
nc -l 192.0.2.1 7000 </dev/null >$MTVM_OUT/tcp-received.txt &
server=$!
sleep 1
echo "hello through mbuf_trace" | jexec a nc -N -w 5 192.0.2.1 7000
wait $server
step tcp-refused "TCP connection refused, 192.0.2.2 to 192.0.2.1:7001"
jexec a nc -z -w 2 192.0.2.1 7001
step udp-closed "UDP to a closed port, 192.0.2.2 to 192.0.2.1:7002"
echo "anyone?" | jexec a nc -u -w 1 192.0.2.1 7002
step ipv6 "ICMPv6 echo and neighbour discovery, 2001:db8::1 to ::2"
ping -6 -c 1 -t 5 2001:db8::2
step forward "ICMP echo forwarded by the host, jail a to jail b"
jexec a ping -c 1 -t 5 192.0.2.18
step fragment "ICMP echo of 3000 bytes in fragments, jail a to 192.0.2.1"
jexec a ping -c 1 -t 5 -s 3000 192.0.2.1
step loopback "ICMP echo on lo0"
ping -c 1 -t 5 127.0.0.1
if [ -x /usr/sbin/dtrace ]; then
	# The two one-liners of docs/copyoutmbuf.md, at once, on the packets
	# of one TCP connection (tcp_input() runs in both VNETs).
	step copyoutmbuf "dtrace copyoutmbuf() on fbt::tcp_input:entry, 192.0.2.2 to 192.0.2.1:7003"
	kldload fbt
	kldstat >$MTVM_OUT/kldstat.txt
	for o in 0 20; do
		case $o in
		0) d='fbt::tcp_input:entry { tracemem(copyoutmbuf(*args[0], 64), 64); }' ;;
		*) d="fbt::tcp_input:entry { tracemem(copyoutmbuf(*args[0], 64, $o), 64); }" ;;
		esac
		echo "dtrace -n '$d'" >$MTVM_OUT/copyoutmbuf-$o.txt
		dtrace -n "$d" >>$MTVM_OUT/copyoutmbuf-$o.txt \
		    2>$MTVM_OUT/copyoutmbuf-$o.err &
		eval dtrace$o=\$!
	done
	# Each says "matched 1 probe" once its probe is enabled (the image
	# has no grep).
	matched()
	{
		case $(cat $MTVM_OUT/copyoutmbuf-$1.err) in
		*matched*) return 0 ;;
		esac
		return 1
	}
	i=0
	while [ $i -lt 240 ] && ! { matched 0 && matched 20; }; do
		sleep 1
		i=$((i + 1))
	done
	echo "dtrace ready after $i s:"
	cat $MTVM_OUT/copyoutmbuf-0.err $MTVM_OUT/copyoutmbuf-20.err
	nc -l 192.0.2.1 7003 </dev/null >$MTVM_OUT/tcp-dtrace-received.txt &
	server=$!
	sleep 1
	echo "seen by copyoutmbuf" | jexec a nc -N -w 5 192.0.2.1 7003
	wait $server
	sleep 1
	kill -INT $dtrace0 $dtrace20
	# dtrace prints what it has and exits; not waited for forever.
	(sleep 60; kill -KILL $dtrace0 $dtrace20 2>/dev/null) &
	wait $dtrace0 $dtrace20
	echo "dtrace done"
fi
# Drops: packets the stack kills, each kind once or a few times, captured
# into drops.pcap of their own, between two readings of the counters the
# reason table names (mtstats: netstat -s's, by struct member) and pf's
# (pfctl -si).  Every packet of the host's VNET is traced meanwhile, so
# check.sh can hold each counter's growth against the drops the traces
# record (vm.d/drops.sh says which packet must die of what).
capture_stop
if [ -x /usr/bin/mtstats ]; then
	step drops "the stack's drops, one kind at a time"
	sysctl net.mbuf_trace.queue_max=4096 >/dev/null
	printf 'pass all\nblock in quick on epair0a proto tcp to port 7050 label "drops-in"\nblock out quick on epair1a proto udp to port 7051 label "drops-out"\n' \
	    >/tmp/pf-drops.conf
	pfctl -q -f /tmp/pf-drops.conf && pfctl -q -e
	tcpdump -i mbuf_trace -U --immediate-mode -w $MTVM_OUT/drops.pcap \
	    2>$MTVM_OUT/drops-tcpdump.txt &
	drops_tcpdump=$!
	sleep 1
	mtstats >$MTVM_OUT/drops-counters-before.txt
	pfctl -si >$MTVM_OUT/drops-pf-before.txt 2>&1
	# pf blocks a SYN in, and a datagram the host forwards out.
	jexec a nc -z -w 2 192.0.2.1 7050
	echo blocked | jexec a nc -u -w 1 192.0.2.18 7051
	# Too big for the next hop with DF set: pf answers it itself; then,
	# pf off for the rest of the step, the stack does.
	ifconfig epair1a mtu 1280
	jexec a ping -c 1 -D -s 1400 -t 2 192.0.2.18
	pfctl -q -d
	jexec a ping -c 1 -D -s 1300 -t 2 192.0.2.18
	ifconfig epair1a mtu 1500
	# No route, for a packet the host sends and for one it forwards, of
	# each IP version (jail a's IPv6 default route is the host, which
	# forwards IPv6 meanwhile).
	ping -c 1 -t 2 198.51.100.1
	jexec a ping -c 1 -t 2 203.0.113.9
	sysctl net.inet6.ip6.forwarding=1 >/dev/null
	jexec a route -6 -q add default 2001:db8::1
	jexec a ping -6 -c 1 -t 2 2001:db8:ffff::1
	jexec a route -6 -q delete default
	sysctl net.inet6.ip6.forwarding=0 >/dev/null
	# A blackhole route.
	route -q add -net 198.51.100.0/24 127.0.0.1 -blackhole
	jexec a ping -c 1 -t 2 198.51.100.7
	route -q delete -net 198.51.100.0/24
	# TTL exceeded on the way.
	jexec a ping -c 1 -m 1 -t 2 192.0.2.18
	# The host sends on an interface that is down.
	ifconfig epair1a down
	ping -c 1 -t 2 192.0.2.18
	ifconfig epair1a up
	# A multicast echo (net.inet.icmp.bmcastecho is 0), and IP options
	# the host refuses.
	sysctl net.inet.icmp.bmcastecho=0 >/dev/null
	jexec a ping -c 1 -t 2 224.0.0.1
	sysctl net.inet.ip.process_options=2 >/dev/null
	jexec a ping -c 1 -R -t 2 192.0.2.1
	sysctl net.inet.ip.process_options=1 >/dev/null
	# UDP to closed ports, IPv4 and IPv6.
	echo anyone | jexec a nc -u -w 1 192.0.2.1 7061
	echo anyone | jexec a nc -6 -u -w 1 2001:db8::1 7062
	# A full socket buffer: 30 datagrams of 300 bytes to a socket with a
	# receive buffer of 2048 that reads none.
	mtsock hold 192.0.2.1 7063 off 8 >$MTVM_OUT/drops-hold.txt 2>&1 &
	holder=$!
	sleep 1
	jexec a mtsock send 192.0.2.1 7063 off "$(printf '%0300d' 0)" 30 >/dev/null
	wait $holder
	# A listen queue that overflows: connections nobody accepts.
	mtsock backlog 192.0.2.1 7064 off 12 >$MTVM_OUT/drops-backlog.txt 2>&1 &
	holder=$!
	sleep 1
	clients=
	for i in 1 2 3 4; do
		jexec a nc -z -w 2 192.0.2.1 7064 &
		clients="$clients $!"
	done
	wait $clients $holder
	# Emptying the reassembly queues: no queue may outlive the step (its
	# timeout would end a trace in a later capture).
	frag_flush()
	{
		_max=$(sysctl -n net.inet.ip.maxfragpackets)
		sysctl net.inet.ip.maxfragpackets=0 >/dev/null
		sysctl net.inet.ip.maxfragpackets=$_max >/dev/null
	}
	# More fragments than net.inet.ip.maxfragsperpacket lets a datagram
	# have; the last fragment waits for the rest until the flush.
	sysctl net.inet.ip.maxfragsperpacket=1 >/dev/null
	jexec a ping -c 1 -s 3000 -t 2 192.0.2.1
	sysctl net.inet.ip.maxfragsperpacket=16 >/dev/null
	frag_flush
	# The netisr queue overflows: a queue of one, and datagrams looped
	# back in four fragments each, which ip_output() queues one after the
	# other (if_simloop() always queues).  The fragments of a datagram
	# that lost some wait for the rest for 2 s (fragttl), then die.
	qlen=$(sysctl -n net.inet.ip.intr_queue_maxlen)
	fragttl=$(sysctl -n net.inet.ip.fragttl)
	sysctl net.inet.ip.intr_queue_maxlen=1 net.inet.ip.fragttl=2 >/dev/null
	ping -q -c 5 -i 0.2 -s 60000 -t 4 127.0.0.1
	sysctl net.inet.ip.intr_queue_maxlen=$qlen >/dev/null
	sleep 4
	sysctl net.inet.ip.fragttl=$fragttl >/dev/null
	frag_flush
	sleep 2
	mtstats >$MTVM_OUT/drops-counters-after.txt
	pfctl -si >$MTVM_OUT/drops-pf-after.txt 2>&1
	kill -INT $drops_tcpdump
	wait $drops_tcpdump
	sysctl net.mbuf_trace >$MTVM_OUT/drops-sysctl.txt
	pfctl -q -F all
	sysctl net.mbuf_trace.queue_max=256 >/dev/null
fi
if [ -x /usr/sbin/mtracectl ]; then
	# The selection sources of mbuf_trace(4), each alone: each step
	# captures into its own sel-NAME.pcap what the host's VNET traces
	# while only that source (and no start point) chooses packets;
	# check.sh says which packets each must hold.
	# sel_begin NAME WHAT: a capture of its own, and what mtracectl shows.
	sel_begin()
	{
		step sel-$1 "$2"
		tcpdump -i mbuf_trace -U --immediate-mode -w $MTVM_OUT/sel-$1.pcap \
		    2>>$MTVM_OUT/sel-tcpdump.txt &
		sel_tcpdump=$!
		sleep 1
	}
	sel_end()
	{
		echo "== $1" >>$MTVM_OUT/mtracectl.txt
		mtracectl >>$MTVM_OUT/mtracectl.txt 2>&1
		sleep 1
		kill -INT $sel_tcpdump
		wait $sel_tcpdump
	}
	# One of each: the host to jail a and to jail b, jail a to the host.
	sel_traffic()
	{
		ping -c 1 -t 5 192.0.2.2
		ping -c 1 -t 5 192.0.2.18
		jexec a ping -c 1 -t 5 192.0.2.1
	}
	mtracectl start_points off
	echo "== start_points off" >$MTVM_OUT/mtracectl.txt
	mtracectl >>$MTVM_OUT/mtracectl.txt 2>&1

	sel_begin none "start_points 0 and no source: nothing is traced"
	sel_traffic
	sel_end none

	sel_begin interface "interface group mtrace: epair1a (to jail b) only"
	mtracectl interface epair1a on
	sel_traffic
	sel_end interface
	mtracectl interface epair1a off

	# sockets on|off TCP UDP: jail a connects to a listener on port TCP,
	# and a socket on port UDP sends jail a a datagram, SO_MTRACE on or
	# off.  A packet started after the PCB lookup has no snapshot of its
	# own, so the sockets without SO_MTRACE get a capture of their own: it
	# must stay empty.
	sockets()
	{
		mtsock listen 192.0.2.1 $2 $1 >$MTVM_OUT/mtsock-$2.txt 2>&1 &
		_s=$!
		sleep 1
		echo "connection, SO_MTRACE $1" | jexec a nc -N -w 5 192.0.2.1 $2
		wait $_s
		mtsock send 192.0.2.2 $3 $1 "datagram, SO_MTRACE $1" \
		    >>$MTVM_OUT/mtsock-udp.txt 2>&1
	}
	sel_begin socket "SO_MTRACE: a TCP listener (port 7011) and a UDP socket (port 7013)"
	sockets on 7011 7013
	sel_end socket
	sel_begin socket_off "sockets without SO_MTRACE (ports 7012, 7014): nothing"
	sockets off 7012 7014
	sel_end socket_off
	# Receiving sockets, each sent a datagram from jail a: UDP over IPv6
	# (udp6_input()), an IPv4 broadcast (udp_multi_input()) and an IPv6
	# multicast (udp6_multi_input()).
	sel_begin socket_recv "SO_MTRACE on UDP sockets receiving over IPv6, a broadcast, an IPv6 multicast"
	mtrecv()	# ADDR PORT TO
	{
		mtsock recv $1 $2 on >>$MTVM_OUT/mtsock-recv.txt 2>&1 &
		_r=$!
		sleep 1
		jexec a mtsock send $3 $2 off "datagram to $3" \
		    >>$MTVM_OUT/mtsock-recv.txt 2>&1
		wait $_r
	}
	mtrecv 2001:db8::1 7015 2001:db8::1
	mtrecv 0.0.0.0 7016 192.0.2.15
	mtrecv ff02::1%epair0a 7017 ff02::1%epair0b
	sel_end socket_recv

	sel_begin process "procctl: mtracectl exec (and a child), mtracectl process PID"
	mtracectl exec sh -c 'echo traced | nc -u -w 1 192.0.2.2 7020'
	echo untraced | nc -u -w 1 192.0.2.2 7021
	sh -c 'sleep 2; echo traced | nc -u -w 1 192.0.2.2 7022' &
	p=$!
	mtracectl process $p on
	wait $p
	sel_end process

	sel_begin pf "pf: pass in proto icmp tag mtrace; pf_tag mtrace"
	printf 'pass all\npass in proto icmp tag mtrace\n' >/tmp/pf.conf
	pfctl -q -f /tmp/pf.conf && pfctl -q -e
	mtracectl pf_tag mtrace
	jexec a ping -c 1 -t 5 192.0.2.1
	sel_end pf
	sel_begin pf_off "pf: what the rule does not tag (UDP from jail a): nothing"
	echo untagged | jexec a nc -u -w 1 192.0.2.1 7030
	sel_end pf_off
	mtracectl pf_tag ''
	pfctl -q -d
	pfctl -q -F all

	sel_begin netgraph "ng_mbuf_trace between epair0a's ng_ether lower and upper"
	ngctl types >$MTVM_OUT/ngtypes-before.txt 2>&1
	ngctl mkpeer epair0a: mbuf_trace lower left
	ngctl types >$MTVM_OUT/ngtypes-after.txt 2>&1
	ngctl name epair0a:lower mt0
	ngctl connect epair0a: mt0: upper right
	ngctl show mt0: >$MTVM_OUT/ngctl.txt 2>&1
	sel_traffic
	ngctl shutdown mt0:
	sel_end netgraph

	mtracectl start_points on
	sel_begin filter "start_points 1, filter 'icmp and host 192.0.2.18'"
	mtracectl filter 'icmp and host 192.0.2.18'
	sel_traffic
	sel_end filter
	mtracectl filter ''
	echo "== filter cleared" >>$MTVM_OUT/mtracectl.txt
	mtracectl >>$MTVM_OUT/mtracectl.txt 2>&1
	# Link-layer only: the program for packets without an Ethernet header
	# matches nothing, with a warning.
	mtracectl compile 'ether broadcast' >$MTVM_OUT/mtracectl-compile.txt 2>&1

	sel_begin source_position "start_points 1, source_position 1, no filter"
	mtracectl source_position on
	sel_traffic
	sel_end source_position
	mtracectl source_position off

	mtracectl start_points off
	sel_begin start_anywhere "start_points 0, start_anywhere 1"
	mtracectl start_anywhere on
	sel_traffic
	sel_end start_anywhere
	mtracectl start_anywhere off
	mtracectl start_points on
	cat $MTVM_OUT/mtracectl.txt
fi
# Statistics per VNET: the host and jail a capture at once, each on its
# own mbuf_trace interface, between two readings of each one's
# net.mbuf_trace.stats.  Each pings its own loopback, and jail a the host:
# that echo request, traced in jail a, is answered by the host and comes
# back, its trace going to jail a's interface.  check.sh holds each VNET's
# counts against what its own capture received.
step stats-vnet "each VNET counts its own traces: the host and jail a capture at once"
sysctl net.mbuf_trace.stats >$MTVM_OUT/vnet-host-before.txt
jexec a sysctl net.mbuf_trace.stats >$MTVM_OUT/vnet-a-before.txt
tcpdump -i mbuf_trace -U --immediate-mode -w $MTVM_OUT/vnet-host.pcap \
    2>$MTVM_OUT/vnet-host-tcpdump.txt &
vnet_host=$!
jexec a tcpdump -i mbuf_trace -U --immediate-mode -w $MTVM_OUT/vnet-a.pcap \
    2>$MTVM_OUT/vnet-a-tcpdump.txt &
vnet_a=$!
sleep 1
ping -c 2 -t 5 127.0.0.1
jexec a ping -c 3 -t 5 127.0.0.1
jexec a ping -c 1 -t 5 192.0.2.1
sleep 2
kill -INT $vnet_host $vnet_a
wait $vnet_host $vnet_a
sysctl net.mbuf_trace.stats >$MTVM_OUT/vnet-host-after.txt
jexec a sysctl net.mbuf_trace.stats >$MTVM_OUT/vnet-a-after.txt
cat $MTVM_OUT/vnet-host-tcpdump.txt $MTVM_OUT/vnet-a-tcpdump.txt

step jails-removed "the VNETs and their mbuf_trace interfaces go away"
jail -r a
jail -r b
