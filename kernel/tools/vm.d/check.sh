# check.sh - the host's checks of what the default scenario brought back.
#
# Run by mbuf_trace-vm with MTVM_OUT (the results), MTVM_PLUGIN (the built
# Wireshark plugin) and MTVM_PROJECT (this checkout) set; prints one PASS or
# FAIL line per check, writes $MTVM_OUT/paths.txt (every traced packet: its
# frame number, what the first snapshot shows, its path) and exits 1 if a
# check failed.
set -u
out=$MTVM_OUT
fails=0

pass()
{
	echo "PASS $*"
}

fail()
{
	echo "FAIL $*"
	fails=$((fails + 1))
}

# ts TSHARK-ARGS...: tshark with the plugin, on the trace.
ts()
{
	"$MTVM_PROJECT/tools/tshark-with-plugin" "$MTVM_PLUGIN" -r - "$@" \
	    <"$out/trace.pcap"
}

if [ ! -f "$MTVM_PLUGIN" ]; then
	fail "the plugin $MTVM_PLUGIN is built (cmake --build build)"
	exit 1
fi
if [ ! -s "$out/trace.pcap" ]; then
	fail "a trace to check"
	exit 1
fi

# --- the whole trace decodes cleanly ------------------------------------------
ts -T fields -E separator='	' -e frame.number -e _ws.col.Info \
    -e mbuf_trace.path >"$out/paths.txt" 2>"$out/tshark.err"
frames=$(grep -c . "$out/paths.txt")
if [ -s "$out/tshark.err" ] || [ "$frames" -eq 0 ]; then
	fail "tshark decodes the trace ($(head -3 "$out/tshark.err"))"
else
	pass "tshark decodes the trace: $frames frames"
fi
nopath=$(awk -F'\t' '$3 == "" { printf "%s ", $1 }' "$out/paths.txt")
if [ -z "$nopath" ]; then
	pass "every frame has a path"
else
	fail "frames without a path: $nopath"
fi
# The frames of a filter that must select none, counted in the io,stat run
# below; only a count above 0 runs tshark again, to name them.
errors_filter='_ws.expert.severity == "Error" || _ws.malformed'
nosnap_filter='!mbuf_trace.packet'
nofate_filter='!mbuf_trace.fate || mbuf_trace.fate == "unknown"'
none()
{
	if [ "$3" -eq 0 ]; then
		pass "$1"
	else
		fail "$2: $(ts -Y "$4" -T fields -e frame.number 2>/dev/null | tr '\n' ' ')(see taps.txt)"
	fi
}

# --- the counters agree with the capture ---------------------------------------
stat()
{
	sed -n "s/^net\.mbuf_trace\.stats\.$1: //p" "$out/sysctl.txt"
}
started=$(stat started)
emitted=$(stat emitted)
copies=$(stat copies)
dropped=$(($(stat dropped.nomem) + $(stat dropped.queue_full) +
    $(stat dropped.no_listener)))
# What bpf(4) received is the kernel's count; tcpdump, stopped by SIGINT,
# may leave the last frames of its buffer unwritten (once: 48 received,
# 45 captured), which is tcpdump's loss, not the facility's.
# Results kept without tcpdump.txt (examples/) have only what was written.
received=$(sed -n 's/^\([0-9]*\) packets* received by filter$/\1/p' "$out/tcpdump.txt" \
    2>/dev/null)
[ -n "$received" ] || received=$frames
if [ "$emitted" = "$received" ] && [ "$frames" -le "$received" ]; then
	pass "stats.emitted ($emitted) is the number of frames bpf received ($frames of them written)"
else
	fail "stats.emitted ($emitted) is not the number of frames bpf received ($received; $frames written)"
fi
if [ $((started + copies)) -eq "$emitted" ] && [ "$dropped" -eq 0 ]; then
	pass "every trace started ($started) or copied ($copies) was emitted, none dropped"
else
	fail "traces started $started + copied $copies != emitted $emitted (dropped $dropped):" \
	    "$((started + copies - emitted - dropped)) never came out"
fi

# --- statistics per VNET -------------------------------------------------------
# The stats-vnet step: the host and jail a captured at once, each on its
# own interface (vnet-host.pcap, vnet-a.pcap), between two readings of each
# one's net.mbuf_trace.stats (vnet-*-before.txt, vnet-*-after.txt).
if [ -f "$out/vnet-a-after.txt" ]; then
	# vstat V WHEN NAME: net.mbuf_trace.stats.NAME as VNET V read it.
	vstat()
	{
		_v=$(sed -n "s/^net\.mbuf_trace\.stats\.$3: //p" "$out/vnet-$1-$2.txt")
		echo "${_v:-0}"
	}
	_host=$(vstat host before started)
	_jail=$(sed -n 's/^net\.mbuf_trace\.stats\.[a-z_.]*: //p' "$out/vnet-a-before.txt" |
	    awk '{ n += $1 } END { print n + 0 }')
	if [ "$_host" -gt 0 ] && [ "$_jail" -eq 0 ] &&
	    grep -q '^net\.mbuf_trace\.stats\.started: ' "$out/vnet-a-before.txt"; then
		pass "stats per VNET: jail a, which had traced nothing, read 0s while the host had started $_host traces"
	else
		fail "stats per VNET: before it captured, jail a read a sum of $_jail (vnet-a-before.txt), the host $_host started"
	fi
	# Each VNET's figures grew by the frames of its own capture, every
	# trace it started or copied accounted for, and by nothing of the
	# other's: counted in the other VNET, the host's frames would make
	# jail a's emitted exceed what its capture received, and the reverse.
	for _v in host a; do
		grew() # NAME
		{
			echo $(($(vstat $_v after $1) - $(vstat $_v before $1)))
		}
		_started=$(grew started)
		_copies=$(grew copies)
		_emitted=$(grew emitted)
		_dropped=$(($(grew dropped.nomem) + $(grew dropped.queue_full) +
		    $(grew dropped.no_listener)))
		_received=$(sed -n 's/^\([0-9]*\) packets* received by filter$/\1/p' \
		    "$out/vnet-$_v-tcpdump.txt" 2>/dev/null)
		if [ "$_emitted" -gt 0 ] && [ "$_emitted" = "$_received" ] &&
		    [ $((_started + _copies)) -eq $((_emitted + _dropped)) ]; then
			pass "stats per VNET: $_v's emitted grew by the $_emitted frames its own capture received; started $_started + copied $_copies = emitted + dropped $_dropped"
		else
			fail "stats per VNET: $_v's emitted grew by $_emitted, its capture received ${_received:-?} frames; started $_started + copied $_copies, emitted $_emitted + dropped $_dropped"
		fi
	done
fi

# --- each scenario packet took FreeBSD's path -----------------------------------
# path WHAT FILTER PATH: some frame that FILTER matches has this path.  The
# expectations are collected, then counted in one tshark run (an io,stat
# column per "FILTER && mbuf_trace.path == PATH"); only a miss runs tshark
# again, to say which paths the filter's frames took instead.
paths=$out/paths.expected
: >"$paths"
path()
{
	case $2$3 in
	*,* | *"	"*) fail "$1: a filter or path with a comma or a tab" ;;
	*) printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$paths" ;;
	esac
}
. "$(dirname "$0")/paths.sh"
stat="io,stat,0,$errors_filter,$nosnap_filter,$nofate_filter"
while IFS='	' read -r _what _filter _path; do
	stat="$stat,($_filter) && mbuf_trace.path == \"$_path\""
done <"$paths"
# One run: the expert items (taps.txt) and the frames each filter selects,
# from the row of io,stat's one interval: | start <> end | frames | bytes |
# frames | ...
ts -q -z expert,note -z "$stat" >"$out/taps.txt" 2>"$out/io-stat.err"
awk -F'|' '/<>/ { for (i = 3; i < NF; i += 2) print $i + 0 }' "$out/taps.txt" \
    >"$out/io-stat.txt"
exec 3<"$out/io-stat.txt"
read -r _n <&3 || _n=1
none "no frame has an expert error or is malformed" \
    "frames with expert errors or malformed" "$_n" "$errors_filter"
read -r _n <&3 || _n=1
none "every frame has a snapshot of its packet" "frames without a snapshot" "$_n" "$nosnap_filter"
read -r _n <&3 || _n=1
none "every trace says what became of its packet" "frames without a fate" "$_n" "$nofate_filter"
while IFS='	' read -r _what _filter _path; do
	read -r _n <&3 || _n=0
	if [ "$_n" -gt 0 ]; then
		pass "$_what: $_path"
	else
		_got=$(ts -Y "$_filter" -T fields -e mbuf_trace.path 2>&1 | sort -u)
		fail "$_what: want \"$_path\" for $_filter, got:" \
		    $(printf '%s\n' "$_got" | sed 's/$/;/')
	fi
done <"$paths"
exec 3<&-

# --- what the scenario saw itself -----------------------------------------------
if grep -q "hello through mbuf_trace" "$out/tcp-received.txt" 2>/dev/null; then
	pass "the TCP data arrived"
else
	fail "the TCP data arrived"
fi
if grep -q '^mbuf_trace: flags=' "$out/jail-ifconfig.txt" 2>/dev/null; then
	pass "a VNET jail has its own mbuf_trace interface"
else
	fail "a VNET jail has its own mbuf_trace interface"
fi

# --- ddb: show mtrace on a live traced packet -----------------------------------
# vm.d/ddb.sh set a breakpoint on icmp_input(); jail a's echo request to
# 192.0.2.1 stopped there and `show mtrace *$rdi' showed its trace so far:
# begun in ether_input(), through ether_demux() and ip_input(), with a
# snapshot of the frame (an 84-byte ICMP packet from 192.0.2.2).
if [ "${MTVM_DDB:-0}" = 1 ] || [ -f "$out/ddb.txt" ]; then
	tr -d '\r' <"$out/ddb.txt" 2>/dev/null |
	    awk '/^db> show mtrace/ { p = 1; next } p && /db> / { exit } p' \
	    >"$out/ddb-mtrace.txt"
	if grep -q '^Breakpoint at *icmp_input:' "$out/ddb.txt" 2>/dev/null; then
		pass "ddb: the breakpoint on icmp_input() stopped the kernel"
	else
		fail "ddb: the breakpoint on icmp_input() stopped the kernel (ddb.txt, ddb.log)"
	fi
	locs=$(sed -n 's/^  string [^ ]*\.c:[0-9]*: //p' "$out/ddb-mtrace.txt" |
	    tr '\n' ' ' | sed 's/ $//')
	want="ether_input +ether_input_internal -ether_input_internal +ether_demux -ether_demux +ip_input -ip_input"
	h='[0-9a-f][0-9a-f]'
	if grep -q '^trace 0x[0-9a-f]*: [0-9]* of [0-9]* bytes, 0 lost' \
	    "$out/ddb-mtrace.txt" && [ "$locs" = "$want" ] &&
	    grep -q "^  data [0-9]* bytes: .* 08 00 45 00 00 54 $h $h $h $h $h 01 $h $h c0 00 02 02 c0 00" \
	    "$out/ddb-mtrace.txt"; then
		pass "ddb: show mtrace shows the echo request's trace: $want, a snapshot of the frame"
	else
		fail "ddb: show mtrace shows the echo request's trace ($want, a snapshot); it showed:" \
		    $(head -4 "$out/ddb-mtrace.txt")
	fi
fi

# --- copyoutmbuf() in dtrace (mbuf_trace-vm -d) ----------------------------------
# The scenario ran docs/copyoutmbuf.md's two one-liners on
# fbt::tcp_input:entry during a TCP connection to 192.0.2.1:7003:
# copyoutmbuf(*args[0], 64) and copyoutmbuf(*args[0], 64, 20).
# records FILE: each tracemem() of FILE as one line of 64 hex bytes.
records()
{
	awk '/^ *[0-9a-f]+: [0-9a-f][0-9a-f] / {
		o = $1
		if (o == "0:" && r != "") { print r; r = "" }
		for (i = 2; i <= 17; i++) r = r (r == "" ? "" : " ") $i
	}
	END { if (r != "") print r }' "$1"
}
if [ "${MTVM_DTRACE:-0}" = 1 ] || [ -f "$out/copyoutmbuf-0.txt" ]; then
	records "$out/copyoutmbuf-0.txt" >"$out/copyoutmbuf-0.hex" 2>/dev/null
	records "$out/copyoutmbuf-20.txt" >"$out/copyoutmbuf-20.hex" 2>/dev/null
	n0=$(grep -c . "$out/copyoutmbuf-0.hex")
	n20=$(grep -c . "$out/copyoutmbuf-20.hex")
	if [ "$n0" -ge 4 ] && [ "$n0" -eq "$n20" ] &&
	    ! grep -q -i 'error\|fail\|invalid' "$out/copyoutmbuf-0.err" \
	    "$out/copyoutmbuf-20.err"; then
		pass "dtrace ran both copyoutmbuf() one-liners without a fault: $n0 and $n20 packets"
	else
		fail "dtrace ran both copyoutmbuf() one-liners without a fault:" \
		    "$n0 and $n20 packets;" $(cat "$out/copyoutmbuf-0.err" \
		    "$out/copyoutmbuf-20.err" 2>/dev/null | head -4)
	fi
	# Offset 0: an IPv4 header of TCP between 192.0.2.2 and .1, a port
	# 7003 (1b 5b) after it, zeros past the packet's ip_len.
	# hex: an awk function; POSIX awk's string-to-number takes no hex.
	hex='function hex(s, i, n) {
		for (i = 1; i <= length(s); i++)
			n = 16 * n + index("0123456789abcdef", substr(s, i, 1)) - 1
		return n
	}'
	bad=$(awk "$hex"'{
		len = hex($3 $4)
		ok = $1 == "45" && $10 == "06" &&
		    ($21 $22 == "1b5b" || $23 $24 == "1b5b") &&
		    $13 $14 $15 $16 $17 $18 $19 $20 ~ /^c0000202c0000201$|^c0000201c0000202$/
		for (i = len + 1; i <= 64; i++) if ($i != "00") ok = 0
		if (!ok) print NR
	}' "$out/copyoutmbuf-0.hex" | tr '\n' ' ')
	if [ "$n0" -gt 0 ] && [ -z "$bad" ]; then
		pass "copyoutmbuf(m, 64): each starts with the IPv4 header (45 .. 06), port 7003, zeros past ip_len"
	else
		fail "copyoutmbuf(m, 64): records not an IPv4/TCP packet to or from port 7003, or not zero past ip_len: $bad"
	fi
	# Offset 20 is where the TCP header starts: each record's first 44
	# bytes are bytes 20-63 of a record at offset 0 (the two dtrace
	# consumers saw the same packets), it holds port 7003 and is zero past
	# that packet's end.
	bad=$(awk "$hex"'NR == FNR {
		k = ""
		for (i = 21; i <= 64; i++) k = k " " $i
		n[k]++
		len[k] = hex($3 $4)
		next
	}
	{
		k = ""
		for (i = 1; i <= 44; i++) k = k " " $i
		if (n[k] + 0 == 0 || ($1 $2 != "1b5b" && $3 $4 != "1b5b")) {
			print FNR
			next
		}
		n[k]--
		for (i = len[k] - 20 + 1; i <= 64; i++)
			if ($i != "00") { print FNR; break }
	}' "$out/copyoutmbuf-0.hex" "$out/copyoutmbuf-20.hex" | tr '\n' ' ')
	if [ "$n20" -gt 0 ] && [ -z "$bad" ]; then
		pass "copyoutmbuf(m, 64, 20): the TCP header (port 7003), offset 0's bytes shifted by 20, zeros past the packet"
	else
		fail "copyoutmbuf(m, 64, 20): not the TCP header, offset 0's bytes shifted by 20 and zeros past the packet: records $bad"
	fi
fi
# --- drops: each provoked packet's reason, and the counters ---------------------
# The scenario's drops step captured drops.pcap between two readings of
# the counters (drops-counters-*.txt: mtstats, the netstat -s members the
# reasons name; drops-pf-*.txt: pfctl -si).  vm.d/drops.sh says which
# packet must die of what.
if [ -s "$out/drops.pcap" ]; then
	td()
	{
		"$MTVM_PROJECT/tools/tshark-with-plugin" "$MTVM_PLUGIN" -r - "$@" \
		    <"$out/drops.pcap"
	}
	td -T fields -E separator='	' -E aggregator=' ' -e frame.number \
	    -e _ws.col.Info -e mbuf_trace.drop.reason -e mbuf_trace.free.site \
	    >"$out/drops.txt" 2>"$out/drops-tshark.err"
	_n=$(td -Y "$errors_filter" -T fields -e frame.number 2>/dev/null | grep -c .)
	none "drops: no frame has an expert error or is malformed" \
	    "drops: frames with expert errors or malformed" "$_n" "$errors_filter"
	# died WHAT FILTER REASON: a frame FILTER matches records REASON.
	died()
	{
		_got=$(td -Y "($2) && mbuf_trace.drop.reason == \"$3\"" -T fields \
		    -e frame.number 2>/dev/null | grep -c .)
		if [ "$_got" -gt 0 ]; then
			pass "drops: $1: $3 ($_got frames)"
		else
			fail "drops: $1: want $3 for $2, got:" $(td -Y "$2" -T fields \
			    -e mbuf_trace.fate -e mbuf_trace.drop.reason 2>/dev/null | sort -u |
			    sed 's/$/;/')
		fi
	}
	. "$(dirname "$0")/drops.sh"

	# The counter oracle.  Each counter the reasons name that grew must
	# have grown by as many as the drop records that name it: every
	# increment records its packet's reason.  Where the integration skips
	# a site of a counter (no packet at hand: mt_skip in fates/*.sh), the
	# traces may hold fewer; pf's "match" counts passed packets too.
	td -T fields -E aggregator=' ' -e mbuf_trace.drop.counter 2>/dev/null |
	    tr ' ' '\n' | grep . | sort | uniq -c |
	    awk '{ print $2, $1 }' >"$out/drops-traced.txt"
	pfcounters() # FILE: "pf.NAME VALUE" of pfctl -si's Counters section
	{
		awk '/^Counters/ { on = 1; next } on && NF >= 2 && $2 ~ /^[0-9]+$/ {
			print "pf." $1, $2 } on && NF == 0 { on = 0 }' "$1"
	}
	{ cat "$out/drops-counters-before.txt"; pfcounters "$out/drops-pf-before.txt"; } \
	    >"$out/drops-before.txt"
	{ cat "$out/drops-counters-after.txt"; pfcounters "$out/drops-pf-after.txt"; } \
	    >"$out/drops-after.txt"
	sed -n 's/^[[:space:]]*mt_skip[[:space:]][^[:space:]]*[[:space:]][^[:space:]]*[[:space:]]\([a-z0-9_.]*\)[[:space:]].*/\1/p' \
	    "$MTVM_PROJECT"/kernel/tools/integrate.d/fates/*.sh | sort -u >"$out/drops-skipped.txt"
	awk 'FILENAME ~ /before/ { before[$1] = $2; next }
	    FILENAME ~ /traced/ { traced[$1] = $2; next }
	    FILENAME ~ /skipped/ { skipped[$1] = 1; next }
	    {
		grew = $2 - before[$1]
		t = traced[$1] + 0
		if (grew == 0 && t == 0)
			next
		if ($1 == "pf.match")
			v = t <= grew ? "ok: counts passed packets too" : "MISMATCH"
		else if ($1 in skipped)
			v = t <= grew ? "ok: a site is skipped (mt_skip)" : "MISMATCH"
		else
			v = t == grew ? "ok" : "MISMATCH"
		printf "%-28s %8d %8d  %s\n", $1, grew, t, v
	    }' "$out/drops-before.txt" "$out/drops-traced.txt" "$out/drops-skipped.txt" \
	    "$out/drops-after.txt" | sort >"$out/drops-oracle.txt"
	# A counter the traces name that netstat and pfctl do not show (an
	# interface's, or one the reading missed) is listed too.
	awk 'NR == FNR { seen[$1] = 1; next } !($1 in seen) {
		printf "%-28s %8s %8d  %s\n", $1, "-", $2, "not read (no netstat -s or pfctl -si counter)"
	    }' "$out/drops-after.txt" "$out/drops-traced.txt" >>"$out/drops-oracle.txt"
	sed -i '1i counter                          grew   traced  verdict' "$out/drops-oracle.txt"
	_bad=$(grep -c 'MISMATCH' "$out/drops-oracle.txt")
	_all=$(($(grep -c . "$out/drops-oracle.txt") - 1))
	if [ "$_all" -gt 0 ] && [ "$_bad" -eq 0 ]; then
		pass "drops: the counter oracle holds for all $_all counters that grew or were traced (drops-oracle.txt)"
	else
		fail "drops: the counter oracle: $_bad of $_all counters disagree with the traces:" \
		    $(grep MISMATCH "$out/drops-oracle.txt" | awk '{ printf "%s grew %s traced %s;", $1, $2, $3 }')
	fi
fi
# --- selection: each source alone chooses exactly its packets -----------------
# The scenario's selection steps (when the image has mtracectl) captured
# into sel-NAME.pcap while only one source chose packets.
# tsel NAME TSHARK-ARGS...: tshark with the plugin, on sel-NAME.pcap.
tsel()
{
	_f=$out/sel-$1.pcap
	shift
	"$MTVM_PROJECT/tools/tshark-with-plugin" "$MTVM_PLUGIN" -r - "$@" <"$_f"
}
# selected NAME WHAT ALLOWED WANT...: every frame of sel-NAME.pcap matches
# the display filter ALLOWED (nothing else was traced), and each WANT
# matches a frame (what was chosen was traced).
selected()
{
	_n=$1
	_what=$2
	_allowed=$3
	shift 3
	if [ ! -s "$out/sel-$_n.pcap" ]; then
		fail "selection $_n: $_what (no sel-$_n.pcap)"
		return
	fi
	tsel $_n -T fields -E separator='	' -e frame.number -e _ws.col.Info \
	    -e mbuf_trace.path >"$out/sel-$_n.txt" 2>&1
	_total=$(grep -c . "$out/sel-$_n.txt")
	_bad=$(tsel $_n -Y "!($_allowed)" -T fields -e frame.number 2>&1 |
	    tr '\n' ' ')
	_missing=
	for _w; do
		[ -n "$(tsel $_n -Y "$_w" -T fields -e frame.number 2>&1)" ] ||
		    _missing="$_missing [$_w]"
	done
	if [ -z "$_bad" ] && [ -z "$_missing" ]; then
		pass "selection $_n: $_what: $_total frames, all ($_allowed), $# kinds wanted present"
	else
		fail "selection $_n: $_what: $_total frames; not ($_allowed): frames $_bad; none for:$_missing (sel-$_n.txt)"
	fi
}
# has FILE TEXT WHAT: FILE has a line with TEXT.
has()
{
	if grep -q -F -- "$2" "$out/$1" 2>/dev/null; then
		pass "$3"
	else
		fail "$3 ($1 has no \"$2\")"
	fi
}
# empty NAME WHAT: sel-NAME.pcap has no frame.
empty()
{
	_n=$(tsel $1 -T fields -e frame.number 2>/dev/null | grep -c .)
	if [ -s "$out/sel-$1.pcap" ] && [ "$_n" -eq 0 ]; then
		pass "selection $1: $2: no frame"
	else
		fail "selection $1: $2: $_n frames (or no sel-$1.pcap)"
	fi
}
if [ -f "$out/sel-none.pcap" ]; then
	empty none "start_points 0 and no source"
	req() # SRC DST: an ICMP echo request
	{
		echo "icmp.type == 8 && ip.src == $1 && ip.dst == $2"
	}
	rep() # SRC DST: an ICMP echo reply
	{
		echo "icmp.type == 0 && ip.src == $1 && ip.dst == $2"
	}
	selected interface "interface group mtrace (epair1a, to jail b)" \
	    "ip.addr == 192.0.2.18 || arp.src.proto_ipv4 == 192.0.2.18 || arp.dst.proto_ipv4 == 192.0.2.18" \
	    "$(req 192.0.2.17 192.0.2.18)" "$(rep 192.0.2.18 192.0.2.17)"
	# A segment the socket receives is started in tcp_input_with_port(),
	# after the PCB lookup: its trace says why it started, then that one
	# function, and has no snapshot (the socket's start takes none: the
	# TCP header is in host order there; nothing snapshots it after), so
	# it is known by its path; what the socket sends has a snapshot
	# (ether_output_frame()).  The SYN, which the syncache frees, has only
	# the start's record and its delivery: no location.
	why='mbuf_trace.string == "start: its socket has SO_MTRACE"'
	tin="!ip && mbuf_trace.path == \"tcp_input_with_port\" && $why"
	only="!ip && mbuf_trace.path == \"\" && $why && mbuf_trace.fate == \"delivered\""
	selected socket "SO_MTRACE on a TCP listener, inherited by the connection, and on a UDP socket" \
	    "tcp.port == 7011 || udp.port == 7013 || ($tin) || ($only && mbuf_trace.fate.detail == \"tcp 192.0.2.1:7011\")" \
	    "$tin" "tcp.srcport == 7011 && ip.src == 192.0.2.1" \
	    "udp.dstport == 7013 && ip.src == 192.0.2.1"
	# A datagram a socket receives is started after the PCB lookup and
	# reaches no trace point after: its trace is the start's record and
	# its delivery.  Three datagrams, three such traces, and nothing else.
	_n=$(tsel socket_recv -T fields -e frame.number 2>/dev/null | grep -c .)
	_started=$(tsel socket_recv -Y "$only" -T fields \
	    -e frame.number 2>/dev/null | grep -c .)
	_got=$(grep -c '^received: ' "$out/mtsock-recv.txt" 2>/dev/null)
	if [ "$_n" -eq 3 ] && [ "$_started" -eq 3 ] && [ "$_got" -eq 3 ]; then
		pass "selection socket_recv: UDP sockets with SO_MTRACE received a datagram over IPv6" \
		    "(udp6_input), a broadcast (udp_multi_input), an IPv6 multicast (udp6_multi_input):" \
		    "3 traces, each started by its socket"
	else
		fail "selection socket_recv: $_n frames, $_started started by a socket, $_got datagrams" \
		    "received (3 each wanted; sel-socket_recv.pcap, mtsock-recv.txt)"
	fi
	empty socket_off "a TCP connection and a datagram of sockets without SO_MTRACE"
	has mtsock-7011.txt "accepted, SO_MTRACE on" \
	    "SO_MTRACE: getsockopt reads it back, and the accepted socket inherits it"
	has mtsock-7012.txt "accepted, SO_MTRACE off" \
	    "SO_MTRACE: a socket without it accepts a socket without it"
	selected process "mtracectl exec (its child nc) and mtracectl process PID" \
	    "udp.port == 7020 || udp.port == 7022" \
	    "udp.dstport == 7020 && ip.src == 192.0.2.1" \
	    "udp.dstport == 7022 && ip.src == 192.0.2.1"
	# pf tags jail a's echo request in ip_input()'s pfil hook: its trace
	# starts there and the request becomes the reply (one frame).
	selected pf "pf: pass in proto icmp tag mtrace, pf_tag mtrace" \
	    "icmp && ip.addr == 192.0.2.2 && ip.addr == 192.0.2.1" \
	    "$(rep 192.0.2.1 192.0.2.2) && mbuf_trace.path == \"ip_input > icmp_input > ip_output > ether_output > ether_output_frame\""
	empty pf_off "pf: UDP the rule does not tag"
	# Through the node: started where the node sits (after ether_input()
	# on the way in, in ether_output_frame() on the way out), with the
	# start's record and a snapshot of the frame as the node saw it.  The
	# host's echo reply from jail a ends in icmp_input(), known by that
	# snapshot.
	gin="$(rep 192.0.2.2 192.0.2.1) && mbuf_trace.path == \"ether_demux > ip_input > icmp_input\" && mbuf_trace.string == \"start: chosen\""
	selected netgraph "ng_mbuf_trace between epair0a's lower and upper" \
	    "ip.addr == 192.0.2.2 || arp.src.proto_ipv4 == 192.0.2.2 || arp.dst.proto_ipv4 == 192.0.2.2" \
	    "$(req 192.0.2.1 192.0.2.2) && mbuf_trace.path == \"ether_output_frame\"" \
	    "$(rep 192.0.2.1 192.0.2.2) && mbuf_trace.path == \"ether_demux > ip_input > icmp_input > ip_output > ether_output > ether_output_frame\"" \
	    "$gin"
	has ngctl.txt "Type: mbuf_trace" "ngctl: a node of type mbuf_trace between epair0a's hooks"
	# The kernel has no NETGRAPH_MBUF_TRACE: the type exists only once
	# ngctl mkpeer has loaded ng_mbuf_trace.ko.
	if ! grep -q mbuf_trace "$out/ngtypes-before.txt" 2>/dev/null &&
	    grep -q mbuf_trace "$out/ngtypes-after.txt" 2>/dev/null; then
		pass "netgraph: the type mbuf_trace came with its module, which ngctl mkpeer loaded"
	else
		fail "netgraph: the type mbuf_trace is not only in its module (ngtypes-before.txt, ngtypes-after.txt)"
	fi
	selected filter "start_points 1 with the filter 'icmp and host 192.0.2.18'" \
	    "icmp && ip.addr == 192.0.2.18" \
	    "$(req 192.0.2.17 192.0.2.18)" "$(rep 192.0.2.18 192.0.2.17)"
	selected start_anywhere "start_points 0, start_anywhere 1: traces start at any trace point" \
	    "frame" "$(req 192.0.2.1 192.0.2.2)" "$(req 192.0.2.2 192.0.2.1)"
	# source_position: every string is FILE:LINE: text, the static ones
	# (drop:, reply:) too.
	tsel source_position -T fields -E aggregator='	' -e mbuf_trace.string \
	    2>&1 | tr '\t' '\n' | grep . >"$out/sel-source_position.strings"
	nstr=$(grep -c . "$out/sel-source_position.strings")
	bare=$(grep -v -c -E '^sys/[^ :]+\.[ch]:[0-9]+: ' \
	    "$out/sel-source_position.strings")
	if [ "$nstr" -gt 0 ] && [ "$bare" -eq 0 ] && grep -q -E \
	    '^sys/netinet/ip_icmp\.c:[0-9]+: reply: ' \
	    "$out/sel-source_position.strings"; then
		pass "selection source_position: all $nstr strings are FILE:LINE: text, icmp_input's reply: too"
	else
		fail "selection source_position: $bare of $nstr strings without FILE:LINE:, or no sys/netinet/ip_icmp.c:LINE: reply: (sel-source_position.strings)"
	fi
	# What mtracectl showed along the way.
	sed -n '/^== start_points off$/,/^== /p' "$out/mtracectl.txt" \
	    >"$out/mtracectl-first.txt" 2>/dev/null
	has mtracectl-first.txt "start_points    0" "mtracectl shows start_points 0"
	has mtracectl.txt "epair1a (group mtrace)" "mtracectl shows the interface group's member"
	has mtracectl.txt "pf_tag          mtrace" "mtracectl shows pf_tag"
	has mtracectl.txt "filter          icmp and host 192.0.2.18 (" "mtracectl shows the filter's text"
	sed -n '/^== filter cleared$/,/^== /p' "$out/mtracectl.txt" \
	    >"$out/mtracectl-cleared.txt" 2>/dev/null
	has mtracectl-cleared.txt "filter          none" "mtracectl filter '' clears the filter"
	has mtracectl-compile.txt "ip: 1 instructions" \
	    "mtracectl: a link-layer expression matches nothing without an Ethernet header"
fi
[ $fails -eq 0 ]
