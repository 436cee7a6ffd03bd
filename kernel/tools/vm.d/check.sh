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
ts -q -z expert,note >"$out/expert.txt" 2>&1
errors=$(ts -Y '_ws.expert.severity == "Error" || _ws.malformed' \
    -T fields -e frame.number 2>/dev/null | tr '\n' ' ')
if [ -z "$errors" ]; then
	pass "no frame has an expert error or is malformed"
else
	fail "frames with expert errors or malformed: $errors (see expert.txt)"
fi
nopath=$(awk -F'\t' '$3 == "" { printf "%s ", $1 }' "$out/paths.txt")
if [ -z "$nopath" ]; then
	pass "every frame has a path"
else
	fail "frames without a path: $nopath"
fi
nosnap=$(ts -Y '!mbuf_trace.packet' -T fields -e frame.number | tr '\n' ' ')
if [ -z "$nosnap" ]; then
	pass "every frame has a snapshot of its packet"
else
	fail "frames without a snapshot: $nosnap"
fi

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
if [ "$emitted" = "$frames" ]; then
	pass "stats.emitted ($emitted) is the number of frames captured"
else
	fail "stats.emitted ($emitted) is not the number of frames captured ($frames)"
fi
if [ $((started + copies)) -eq "$emitted" ] && [ "$dropped" -eq 0 ]; then
	pass "every trace started ($started) or copied ($copies) was emitted, none dropped"
else
	fail "traces started $started + copied $copies != emitted $emitted (dropped $dropped):" \
	    "$((started + copies - emitted - dropped)) never came out"
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
stat=io,stat,0
while IFS='	' read -r _what _filter _path; do
	stat="$stat,($_filter) && mbuf_trace.path == \"$_path\""
done <"$paths"
# The row of the one interval: | start <> end | frames | bytes | frames | ...
ts -q -z "$stat" 2>"$out/io-stat.err" |
    awk -F'|' '/<>/ { for (i = 3; i < NF; i += 2) print $i + 0 }' >"$out/io-stat.txt"
exec 3<"$out/io-stat.txt"
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
[ $fails -eq 0 ]
