#!/bin/sh
#
# frames.sh - assert which frames a display filter selects.
#
# usage: frames.sh FRAMES PLUGIN PCAP FILTER [tshark args...]
#	FRAMES	the expected frame numbers, comma-separated, or "none"
set -eu
here=$(cd "$(dirname "$0")" && pwd)
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
if [ "$got" != "$want" ]; then
	echo "frames.sh: filter '$filter' selected frames '$got', expected '$want'" >&2
	exit 1
fi
echo "frames.sh: '$filter' -> $got"
