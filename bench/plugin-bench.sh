#!/bin/sh
#
# plugin-bench.sh - the plugin's benchmark matrix (docs/performance.md):
# wall time (hyperfine, every variant of one cell in one hyperfine run),
# peak RSS (/usr/bin/time -v), the scale series, and callgrind's
# instructions per record.
#
# usage: bench/plugin-bench.sh [BUILD_DIR]          (default: build)
#
# Captures (gen_captures --bench-KIND, generated into BUILD_DIR/bench/,
# never committed), FRAMES frames each:
#   T   typical: 8 strings and 2 Ethernet/IPv4/TCP snapshots a frame, 1000
#       flows that never see an ACK
#   A   acknowledged: the same trace, short flows (handshake, a request
#       and a response, their ACKs, both FINs), 50 at a time
#   S   strings only, every form of docs/format.md's grammar
#   G1  generation 1 as the deployed patch writes it
#   G2  generation 2 as the deployed patch writes it
# Variants, each a tshark started directly (not through
#   tools/tshark-with-plugin, whose load check would add a start-up), all
#   with the same arguments in a cell:
#   a  the plugin
#   a0 BASE_PLUGIN, another build of it (the "before"), when set
#   b  the Lua dissector (MBUF_TRACE_LUA; skipped, and said so, without
#      it), on T, A, S and G1 (it cannot read generation 2), in the modes
#      whose fields it has
#   c  stock tshark on the Ethernet equivalent of T or A (--bench-KIND-ether:
#      the 2*FRAMES snapshots as Ethernet frames), with the plugin loaded
#   d  the floor: a's command with --disable-protocol mbuf_trace
# Modes, named by the arguments every variant of the cell gets:
#   data    -T fields -e mbuf_trace.data -e ip.src     (a b c d)
#   func    -T fields -e mbuf_trace.func -e ip.src     (a c d: Lua has no func)
#   number  -T fields -e frame.number                  (no mbuf_trace field asked for)
#   filter  -Y 'mbuf_trace.data contains "tcp_input"'  (a b c d)
#   stats   -q -z mbuf_trace,tree                      (a c d: Lua has none)
#   tree    -V                                          (a b c d)
#
# Environment:
#   FRAMES=200000         frames per capture of the matrix
#   RUNS=3                hyperfine runs per command (1 warm-up besides)
#   CAPTURES="T A S G1 G2"  MODES="data func filter stats tree"
#   TSHARK_OPTS=""        more tshark arguments for every command, e.g.
#                         "-o tcp.analyze_sequence_numbers:FALSE"
#   WARMUP=1              hyperfine warm-up runs per command
#   SCALE="250000 500000 1000000"   sizes for the scale series of
#                         SCALE_CAPTURES="T A" in mode data (plugin and
#                         floor, one /usr/bin/time -v run each: elapsed
#                         time and peak RSS); empty: none
#   CALLGRIND=2000        frames per capture for callgrind; 0: none
#   CG_CAPTURES="$CAPTURES" CG_MODES=data   what callgrind counts
#   BASE_PLUGIN=FILE      callgrind also counts this build of the plugin
#                         (the "before" column), e.g. one built from main
#   MATRIX=1              0: only the pairs, the scale series and callgrind
#   PAIRS=0               N: also a against each of PAIR_WITH="c b" run in
#                         turn, A B A B, WARMUP + N pairs (/usr/bin/time),
#                         with the CPU-time ratio taken pair by pair: a
#                         ratio that holds while the machine's speed
#                         drifts, which hyperfine's one-command-after-
#                         another groups do not give
#   ROOT=DIR              run tshark (and valgrind) of that Debian root
#                         instead of this host's: a root of tools/release-roots
#                         (Wireshark 4.4, 4.6), with valgrind installed for
#                         callgrind; needs root (chroot, /proc mounted there)
#   PLUGIN=FILE           the plugin to load (default BUILD_DIR/mbuf_trace.so);
#                         with ROOT, one built for that root's Wireshark, e.g.
#                         the release matrix's, /var/cache/mbuf_trace/matrix/
#                         build/4.6/gcc/mbuf_trace.so
#
# The whole matrix at 200 000 frames is hours of CPU on a small machine;
# docs/performance.md says which parts its table ran.
#
# Results: BUILD_DIR/bench/plugin/results.md (also printed).
set -eu
cd "$(dirname "$0")/.."
build=${1:-build}
frames=${FRAMES:-200000}
runs=${RUNS:-3}
captures=${CAPTURES:-T A S G1 G2}
modes=${MODES:-data func filter stats tree}
opts=${TSHARK_OPTS:-}
scale_captures=${SCALE_CAPTURES:-T A}
pair_with=${PAIR_WITH:-c b}
scale=${SCALE-250000 500000 1000000}
cg_frames=${CALLGRIND:-2000}
cg_captures=${CG_CAPTURES:-$captures}
cg_modes=${CG_MODES:-data}
base_plugin=${BASE_PLUGIN:-}
warmup=${WARMUP:-1}
matrix=${MATRIX:-1}
pairs=${PAIRS:-0}
lua=${MBUF_TRACE_LUA:-}
root=${ROOT:-}
plugin=${PLUGIN:-$build/mbuf_trace.so}
in_root=""
if [ -n "$root" ]; then
	[ "$(id -u)" -eq 0 ] || { echo "plugin-bench.sh: ROOT needs root (chroot)" >&2; exit 1; }
	in_root="chroot --userspec=65534:65534 $root"
fi
version=$($in_root tshark --version 2>/dev/null | sed -n '1s/^TShark (Wireshark) \([0-9]*\.[0-9]*\).*/\1/p')

command -v hyperfine >/dev/null || { echo "plugin-bench.sh: needs hyperfine" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "plugin-bench.sh: needs /usr/bin/time (GNU time)" >&2; exit 1; }
if [ -z "$lua" ] || [ ! -r "$lua" ]; then
	echo "plugin-bench.sh: Lua dissector SKIPPED: set MBUF_TRACE_LUA to the reference mbuf_trace.lua" \
	    "(now: '${lua}')" >&2
	lua=""
fi
if [ "$cg_frames" != 0 ] && ! ${root:+chroot "$root"} sh -c 'command -v valgrind' >/dev/null; then
	echo "plugin-bench.sh: callgrind SKIPPED: no valgrind${root:+ in $root (chroot $root apt-get install valgrind)}" >&2
	cg_frames=0
fi

gen="$build/tests/plugin/gen_captures"
out="$build/bench/plugin"
mkdir -p "$out"

kind_of() {
	case $1 in
	T) echo typical ;; A) echo acked ;; S) echo strings ;; G1) echo gen1 ;; G2) echo gen2 ;;
	T-ether) echo typical-ether ;; A-ether) echo acked-ether ;;
	esac
}
# seen PATH: the path as tshark sees it (in ROOT: without ROOT's prefix).
seen() {
	echo "${1#"$root"}"
}
# capture NAME N: the path of that capture as tshark sees it, generated if
# missing (with ROOT, a copy in the work directory, inside the root).
capture() {
	f="$build/bench/$(kind_of "$1")-$2.pcap"
	[ -f "$f" ] || nice -n 19 "$gen" "--bench-$(kind_of "$1")" "$2" "$f"
	if [ -n "$root" ]; then
		[ -f "$work/${f##*/}" ] || { cp "$f" "$work/" && chmod a+r "$work/${f##*/}"; }
		f=$work/${f##*/}
	fi
	seen "$f"
}

work=$(mktemp -d "$root/tmp/mbuf_trace-bench.XXXXXX")
mounted=""
trap 'rm -rf "$work"; [ -z "$mounted" ] || umount "$root/proc"' EXIT
if [ -n "$root" ] && [ ! -r "$root/proc/self/maps" ]; then
	mount --bind /proc "$root/proc"   # valgrind reads /proc/self
	mounted=1
fi
mkdir -p "$work/native/.local/lib/wireshark/plugins/$version/epan" "$work/empty" "$work/config"
cp "$plugin" "$work/native/.local/lib/wireshark/plugins/$version/epan/"
if [ -n "$base_plugin" ]; then
	mkdir -p "$work/base/.local/lib/wireshark/plugins/$version/epan"
	cp "$base_plugin" "$work/base/.local/lib/wireshark/plugins/$version/epan/mbuf_trace.so"
fi
[ -z "$lua" ] || cp "$lua" "$work/mbuf_trace.lua"
chmod -R a+rX "$work"
drop=$in_root
if [ "$(id -u)" -eq 0 ]; then
	# tshark as root ignores Lua scripts; the same user for every variant.
	chown -R 65534:65534 "$work"
	[ -n "$drop" ] || drop="setpriv --reuid=65534 --regid=65534 --clear-groups"
fi
w=$(seen "$work")
env="env WIRESHARK_CONFIG_DIR=$w/config TZ=UTC"
native="$drop $env HOME=$w/native tshark -n"
luacmd="$drop $env HOME=$w/empty tshark -n -X lua_script:$w/mbuf_trace.lua"
basecmd="$drop $env HOME=$w/base tshark -n"

# The plugin must really be the one decoding, and the Lua script loaded.
small=$(capture T 10)
chmod a+r "$root$small"
$native -r "$small" -c 1 | grep -q 'mbuf_trace' ||
    { echo "plugin-bench.sh: plugin not loaded" >&2; exit 1; }
if [ -n "$lua" ]; then
	$luacmd -r "$small" -c 1 -T fields -e mbuf_trace.data | grep -q . ||
	    { echo "plugin-bench.sh: Lua not loaded" >&2; exit 1; }
fi

# args MODE: the tshark arguments of a mode, the same for every variant.
args() {
	case $1 in
	data) echo "-T fields -e mbuf_trace.data -e ip.src" ;;
	func) echo "-T fields -e mbuf_trace.func -e ip.src" ;;
	number) echo "-T fields -e frame.number" ;;
	filter) echo "-Y 'mbuf_trace.data contains \"tcp_input\"'" ;;
	stats) echo "-q -z mbuf_trace,tree" ;;
	tree) echo "-V" ;;
	esac
}
# named MODE: what a results row says of its command: every argument.
named() {
	echo "\`$(args "$1")${opts:+ $opts}\`"
}
# cmd VARIANT MODE CAPTURE N: the whole command.
cmd() {
	case $1 in
	a) echo "$native -r $(capture "$3" "$4") $(args "$2") $opts" ;;
	a0) echo "$basecmd -r $(capture "$3" "$4") $(args "$2") $opts" ;;
	b) echo "$luacmd -r $(capture "$3" "$4") $(args "$2") $opts" ;;
	c) echo "$native -r $(capture "$3-ether" "$4") $(args "$2") $opts" ;;
	d) echo "$native --disable-protocol mbuf_trace -r $(capture "$3" "$4") $(args "$2") $opts" ;;
	esac
}
# variants CAPTURE MODE: which variants that cell has.
variants() {
	v="a"
	[ -z "$base_plugin" ] || v="a a0"
	case $1 in T | A | S | G1) [ -z "$lua" ] || [ "$2" = stats ] || [ "$2" = func ] || v="$v b" ;; esac
	case $1 in T | A) v="$v c" ;; esac
	echo "$v d"
}
# rss COMMAND: peak resident set size in KiB, one run.
rss() {
	/usr/bin/time -v sh -c "exec $1 >/dev/null" 2>&1 >/dev/null |
	    sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): //p'
}
# median JSON NAME: hyperfine's median wall time of one command, in s.
median() {
	python3 -c 'import json,sys
r=[x for x in json.load(open(sys.argv[1]))["results"] if x["command"]==sys.argv[2]][0]
print("%.3f" % r["median"])' "$1" "$2"
}
# cpu JSON NAME: its CPU time (hyperfine's mean user + system), in s:
# steadier than wall time on a loaded machine.
cpu() {
	python3 -c 'import json,sys
r=[x for x in json.load(open(sys.argv[1]))["results"] if x["command"]==sys.argv[2]][0]
print("%.2f" % (r["user"] + r["system"]))' "$1" "$2"
}

results="$out/results.md"
{
	echo "# plugin-bench.sh, $(date -u '+%Y-%m-%d %H:%M UTC'), Wireshark $version${root:+ (root $root)}, $(nproc) cores"
	echo
	echo "Plugin: $plugin, source $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD -- plugins 2>/dev/null || echo ' (modified)')"
	echo
	echo "FRAMES=$frames RUNS=$runs WARMUP=$warmup CAPTURES='$captures' MODES='$modes' TSHARK_OPTS='$opts' SCALE='$scale' SCALE_CAPTURES='$scale_captures' CALLGRIND=$cg_frames CG_CAPTURES='$cg_captures' CG_MODES='$cg_modes' BASE_PLUGIN=${base_plugin:-none} Lua: ${lua:-skipped}"
	echo
} >"$results"

if [ "$matrix" != 0 ]; then
	{
		echo "## Matrix: median wall time, CPU time (user + sys), peak RSS"
		echo
		echo "Ratios of CPU times; a/c wall is the ratio of the median wall times."
		echo
		echo "| capture | tshark arguments (every variant) | (a) plugin | (a0) before | (b) Lua | (c) stock, Ethernet | (d) floor | a/c time | a/c wall | a/c RSS | a/b | (a-d)/(b-d) | (a-d)/(a0-d) |"
		echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
	} >>"$results"
	for c in $captures; do
		for m in $modes; do
			set --
			for v in $(variants "$c" "$m"); do
				set -- "$@" -n "$v" "$(cmd "$v" "$m" "$c" "$frames") >/dev/null"
			done
			json="$out/$c-$m.json"
			echo "plugin-bench.sh: $c $m ($frames frames): $(variants "$c" "$m")" >&2
			hyperfine --style basic --warmup "$warmup" --runs "$runs" --export-json "$json" "$@" >&2
			row="| $c | $(named "$m")"
			ta= ta0= tb= tc= td= ra= rc= wa= wc=
			for v in a a0 b c d; do
				case " $(variants "$c" "$m") " in
				*" $v "*)
					w=$(median "$json" "$v")
					t=$(cpu "$json" "$v")
					r=$(rss "$(cmd "$v" "$m" "$c" "$frames")")
					eval "t$v=\$t r$v=\$r w$v=\$w"
					row="$row | $w s, CPU $t s, $(awk -v r="$r" 'BEGIN { printf "%.0f", r / 1024 }') MiB"
					;;
				*) row="$row | –" ;;
				esac
			done
			ratio() { [ -n "$2" ] && [ -n "$3" ] && awk -v x="$2" -v y="$3" -v z="${4:-0}" 'BEGIN { printf "%.2f", (x - z) / (y - z) }' || echo "–"; }
			row="$row | $(ratio x "$ta" "$tc") | $(ratio x "$wa" "$wc") | $(ratio x "$ra" "$rc") | $(ratio x "$ta" "$tb") | $(ratio x "$ta" "$tb" "$td") | $(ratio x "$ta" "$ta0" "$td") |"
			echo "$row" >>"$results"
		done
	done
fi

# timed COMMAND: "elapsed-seconds peak-RSS-KiB cpu-seconds" of one run,
# /usr/bin/time -v.
timed() {
	/usr/bin/time -v sh -c "exec $1 >/dev/null" 2>&1 >/dev/null | awk -F': ' '
	    /Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i] }
	    /User time|System time/ { c += $2 }
	    /Maximum resident set size/ { r = $2 }
	    END { printf "%.2f %d %.2f\n", s, r, c }'
}

if [ "$pairs" != 0 ]; then
	{
		echo
		echo "## Pairs: a against each of $pair_with, run in turn ($warmup + $pairs pairs, $frames frames)"
		echo
		echo "CPU time (user + sys) and peak RSS: medians; the ratio taken pair by pair."
		echo
		echo "| capture | tshark arguments (both) | against | a CPU | other CPU | a/other CPU, median (min–max) | a RSS | other RSS | a/other RSS |"
		echo "|---|---|---|---|---|---|---|---|---|"
	} >>"$results"
	for c in $captures; do
		for m in $modes; do
			for y in $pair_with; do
				case " $(variants "$c" "$m") " in *" $y "*) ;; *) continue ;; esac
				echo "plugin-bench.sh: pairs $c $m a/$y ($frames frames)" >&2
				runs_file="$out/pairs-$c-$m-$y.txt"
				: >"$runs_file"
				i=0
				while [ "$i" -lt $((warmup + pairs)) ]; do
					# timed: elapsed, peak RSS, CPU; kept: CPU and RSS of each
					set -- $(timed "$(cmd a "$m" "$c" "$frames")") \
					    $(timed "$(cmd "$y" "$m" "$c" "$frames")")
					[ "$i" -lt "$warmup" ] || echo "$3 $2 $6 $5" >>"$runs_file"
					i=$((i + 1))
				done
				awk -v c="$c" -v m="$(named "$m")" -v y="$y" '
				    function med(v, n,   i, j, t) {
					for (i = 2; i <= n; i++)
						for (j = i; j > 1 && v[j - 1] > v[j]; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
					return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
				    }
				    { n++; ca[n] = $1; ra[n] = $2; co[n] = $3; ro[n] = $4; q[n] = $1 / $3
				      lo = n == 1 || q[n] < lo ? q[n] : lo; hi = n == 1 || q[n] > hi ? q[n] : hi }
				    END {
					a = med(ca, n); o = med(co, n); r = med(q, n); x = med(ra, n); z = med(ro, n)
					printf "| %s | %s | %s | %.2f s | %.2f s | %.2f (%.2f–%.2f) | %.0f MiB | %.0f MiB | %.2f |\n",
					    c, m, y, a, o, r, lo, hi, x / 1024, z / 1024, x / z
				    }' "$runs_file" >>"$results"
			done
		done
	done
fi

if [ -n "$scale" ]; then
	{
		echo
		echo "## Scale: $(named data) (one run each, /usr/bin/time -v)"
		echo
		echo "| capture | frames | (a) plugin | (a) peak RSS | (a) CPU | (d) floor | (d) peak RSS | (d) CPU |"
		echo "|---|---|---|---|---|---|---|---|"
	} >>"$results"
	for c in $scale_captures; do
		for n in $scale; do
			echo "plugin-bench.sh: scale $c $n" >&2
			set -- $(timed "$(cmd a data "$c" "$n")") $(timed "$(cmd d data "$c" "$n")")
			echo "| $c | $n | $1 s | $2 KiB | $3 s | $4 s | $5 KiB | $6 s |" >>"$results"
		done
	done
	# The slope per frame of each capture, least squares over its series.
	for c in $scale_captures; do
		awk -F' *[|] *' -v c="$c" '$2 == c && $3 ~ /^[0-9]+$/ {
		    n++; x[n] = $3; y[n] = $4 + 0; r[n] = $5 + 0; u[n] = $6 + 0 }
		    function slope(v,   i, sx, sv, sxx, sxv) {
			for (i = 1; i <= n; i++) { sx += x[i]; sv += v[i]; sxx += x[i] * x[i]; sxv += x[i] * v[i] }
			return (n * sxv - sx * sv) / (n * sxx - sx * sx)
		    }
		    END {
			if (n < 2) exit
			printf "\nSlope of %s (least squares): %.2f us wall, %.2f us CPU and %.3f KiB of peak RSS per frame\n",
			    c, 1e6 * slope(y), 1e6 * slope(u), slope(r)
		    }' "$results" >>"$results"
	done
fi

# cg VARIANT MODE CAPTURE: callgrind's instruction count of one run.
cg() {
	log="$out/callgrind-$3-$2-$1"
	eval "$(cmd "$1" "$2" "$3" "$cg_frames" |
	    sed "s|tshark |valgrind --tool=callgrind --callgrind-out-file=$w/cg.out tshark |")" \
	    >/dev/null 2>"$log.log"
	cp "$work/cg.out" "$log.out"
	sed -n 's/^==[0-9]*== Collected : //p' "$log.log"
}
# plugin_ir PROFILE: the instructions of dissect_mbuf_trace and all it
# calls (Wireshark's items, the snapshots' dissectors) in that profile:
# the largest of the entries callgrind_annotate may split it into.
plugin_ir() {
	callgrind_annotate --inclusive=yes "$1" 2>/dev/null |
	    awk '/packet-mbuf_trace\.c:dissect_mbuf_trace( |$)/ { gsub(",", "", $1); print $1; exit }'
}

if [ "$cg_frames" != 0 ]; then
	{
		echo
		echo "## Instructions (callgrind, $cg_frames frames; per frame and per record above the floor)"
		echo
		echo "dissect_mbuf_trace per record: its inclusive count (all it calls) over the records."
		echo
		echo "| capture | tshark arguments (every variant) | records | (a) plugin | before | (d) floor | (a-d) per frame | per record | before, per record | dissect_mbuf_trace per record | plugin share (a-d)/a | (c) stock, as Ethernet | a/c | (b) Lua | a/b | (a-d)/(b-d) |"
		echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
	} >>"$results"
	for c in $cg_captures; do
		f=$(capture "$c" "$cg_frames")
		records=$($native -r "$f" -T fields -e mbuf_trace.count | awk '{ n += $1 } END { print n }')
		for m in $cg_modes; do
			echo "plugin-bench.sh: callgrind $c $m" >&2
			ira=$(cg a "$m" "$c") ird=$(cg d "$m" "$c") ir0="" irc="" irb=""
			[ -z "$base_plugin" ] || ir0=$(cg a0 "$m" "$c")
			case " $(variants "$c" "$m") " in *" c "*) irc=$(cg c "$m" "$c") ;; esac
			case " $(variants "$c" "$m") " in *" b "*) irb=$(cg b "$m" "$c") ;; esac
			inc=$(plugin_ir "$out/callgrind-$c-$m-a.out")
			awk -v c="$c" -v m="$(named "$m")" -v n="$cg_frames" -v rec="$records" -v a="$ira" -v d="$ird" \
			    -v b="$ir0" -v s="$irc" -v l="$irb" -v inc="$inc" 'BEGIN {
			    printf "| %s | %s | %d | %d | %s | %d | %.0f | %.0f | %s | %s | %.1f %% | %s | %s | %s | %s | %s |\n",
				c, m, rec, a, b == "" ? "–" : b, d, (a - d) / n, (a - d) / rec,
				b == "" ? "–" : sprintf("%.0f", (b - d) / rec),
				inc == "" ? "–" : sprintf("%.0f", inc / rec), 100 * (a - d) / a,
				s == "" ? "–" : s, s == "" ? "–" : sprintf("%.2f", a / s),
				l == "" ? "–" : l, l == "" ? "–" : sprintf("%.2f", a / l),
				l == "" ? "–" : sprintf("%.2f", (a - d) / (l - d))
			}' >>"$results"
		done
	done
fi

cat "$results"
