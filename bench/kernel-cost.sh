#!/bin/sh
#
# kernel-cost.sh - instructions per mtrace_*() call, counted by callgrind
# on the kernel sources built on the KPI stand-ins (bench/kernel/mtrace_cost.c).
#
# usage: bench/kernel-cost.sh [BUILD_DIR]       (default: build)
#
# Every measured call is one sample; the table gives, per case, the number
# of samples and the distribution of their instruction counts (min, median,
# 90th percentile, max, mean), less the cost of an empty measurement.
# "own" leaves out what the stand-ins' bpf tap and m_copydata() cost: the
# copy of the packet's bytes and the listener's copy of the frame.  For
# emission, a trace of 1 record and one of 24 give the cost per record apart
# from the cost per frame.  Needs valgrind.
set -eu
cd "$(dirname "$0")/.."
build=${1:-build}
prog=$build/bench/kernel/mtrace_cost

command -v valgrind >/dev/null || { echo "kernel-cost.sh: needs valgrind" >&2; exit 1; }
[ -x "$prog" ] || { echo "kernel-cost.sh: build $prog first (./dev.sh build)" >&2; exit 1; }

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
valgrind -q --tool=callgrind --collect-atstart=no --dump-instr=no --compress-strings=no \
    --compress-pos=no --callgrind-out-file="$out/cg.%p" "$prog"

# One line per dump: label, total, and the inclusive cost of the stand-ins'
# tap and of m_copydata() (every cost line of a function's blocks: its own
# lines and the inclusive cost of each call it makes).
for f in "$out"/cg.*; do
	awk '
	/^desc: Trigger: Client Request: / { sub(/^desc: Trigger: Client Request: /, ""); label = $0 }
	/^summary: / { total = $2 }
	/^fn=/ { fn = substr($0, 4) }
	/^[0-9]/ && (fn == "bpf_tap_if" || fn == "m_copydata") { skip += $2 }
	END { if (label != "") printf "%s\t%d\t%d\n", label, total, skip }
	' "$f"
done | sort -t '	' -k1,1 -k2,2n | awk -F '\t' '
function flush(   i, n, sum, osum, p90) {
	if (cur == "")
		return
	n = cnt
	for (i = 1; i <= n; i++) { sum += v[i]; osum += o[i] }
	p90 = v[int((n - 1) * 0.9) + 1]
	med[cur] = v[int((n + 1) / 2)]
	omed[cur] = o[int((n + 1) / 2)]
	if (cur == "calibration: nothing") {
		cal = med[cur]
		return
	}
	printf "| %s | %d | %d | %d | %d | %d | %.1f | %d |\n", cur, n, v[1] - cal, med[cur] - cal, \
	    p90 - cal, v[n] - cal, sum / n - cal, omed[cur] - cal
}
$1 != cur { flush(); cur = $1; cnt = 0 }
{ cnt++; v[cnt] = $2; o[cnt] = $2 - $3 }
END {
	flush()
	print ""
	print "| emission, per record | median of 24-record traces less 1-record ones, / 23 | own |"
	print "|---|---|---|"
	for (k in med)
		if (k ~ /^emit 24: /) {
			one = k
			sub(/^emit 24: /, "emit 1: ", one)
			name = k
			sub(/^emit 24: /, "", name)
			printf "| %s | %.1f | %.1f |\n", name, (med[k] - med[one]) / 23, (omed[k] - omed[one]) / 23
		}
}
BEGIN {
	print "| case | samples | min | median | p90 | max | mean | own, of the median sample |"
	print "|---|---|---|---|---|---|---|---|"
}'
