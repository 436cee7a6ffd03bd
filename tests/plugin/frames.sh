#!/bin/sh
#
# frames.sh - assert which frames a display filter selects.
#
# usage: frames.sh FRAMES PLUGIN PCAP FILTER [tshark args...]
#        frames.sh --from RESULTS NAME FRAMES FILTER
#	FRAMES	the expected frame numbers, comma-separated, or "none"
#	--from	read what FILTER selected from the line NAME of RESULTS,
#		which filter_batch.sh wrote for many filters in one tshark run
set -eu
here=$(cd "$(dirname "$0")" && pwd)
if [ "${1:-}" = --from ]; then
	results=$2 name=$3 want=$4 filter=$5
	[ -r "$results" ] || {
		echo "frames.sh: no results file $results (filter_batch.sh did not run)" >&2
		exit 1
	}
	got=$(awk -F '\t' -v name="$name" '$1 == name { n++; got = $2 }
	    END { if (n != 1) exit 1; print got }' "$results") || {
		echo "frames.sh: not exactly one result for $name in $results" >&2
		exit 1
	}
	case $got in
	ERROR:*)
		echo "frames.sh: filter '$filter' could not be applied: ${got#ERROR: }" >&2
		exit 1
		;;
	esac
else
	want=$1 plugin=$2 pcap=$3 filter=$4
	shift 4
	status=0
	got=$("$here/../../tools/tshark-with-plugin" "$plugin" -r - -Y "$filter" \
	    -T fields -e frame.number "$@" <"$pcap") || status=$?
	if [ "$status" -ne 0 ]; then
		echo "frames.sh: tshark-with-plugin exited $status for filter: $filter" >&2
		exit 1
	fi
	got=$(printf '%s\n' "$got" | paste -sd, -)
	[ -n "$got" ] || got=none
fi
if [ "$got" != "$want" ]; then
	echo "frames.sh: filter '$filter' selected frames '$got', expected '$want'" >&2
	exit 1
fi
echo "frames.sh: '$filter' -> $got"
