#!/bin/sh
#
# /init.sh of the mbuf_trace-vm image, run by the kernel as pid 1
# (loader.conf init_path): capture `tcpdump -i mbuf_trace' while
# /mbuf_trace/scenario.sh runs, send every file the scenario left in
# $MTVM_OUT back over the console (base64), and power off.
#
exec </dev/console >/dev/console 2>&1
PATH=/bin:/sbin:/usr/bin:/usr/sbin
MTVM_OUT=/tmp/out
export PATH MTVM_OUT

say()
{
	echo "MTVM: $*"
}

say "init started"
mount -t tmpfs tmpfs /tmp || say "cannot mount /tmp"
mkdir -p $MTVM_OUT
sysctl kern.ident kern.osrelease
ifconfig lo0 inet 127.0.0.1/8 up
ifconfig mbuf_trace || say "no mbuf_trace interface"
tcpdump -i mbuf_trace -U --immediate-mode -w $MTVM_OUT/trace.pcap \
    2>$MTVM_OUT/tcpdump.txt &
tcpdump=$!
# capture_stop: the end of trace.pcap, and the counters that go with it in
# sysctl.txt.  A scenario may call it before its end, to go on without
# that capture (the selection steps capture on their own).
capture_stop()
{
	[ -n "$tcpdump" ] || return 0
	# Traces of the last packets are on their way to the listener.
	sleep 2
	kill -INT $tcpdump
	wait $tcpdump
	say "tcpdump exit status $?"
	tcpdump=
	cat $MTVM_OUT/tcpdump.txt
	sysctl net.mbuf_trace >$MTVM_OUT/sysctl.txt
	cat $MTVM_OUT/sysctl.txt
}
sleep 2
say "scenario started"
. /mbuf_trace/scenario.sh
say "scenario done"
capture_stop
for f in $MTVM_OUT/*; do
	[ -f "$f" ] || continue
	echo "MTVM-FILE-BEGIN ${f##*/}"
	b64encode -r "$f" "${f##*/}"
	echo "MTVM-FILE-END ${f##*/}"
done
say "power off"
reboot -q -p
