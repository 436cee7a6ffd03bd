#!/bin/sh
#
# utf8.sh - no string field of the plugin ever holds invalid UTF-8, whatever
# bytes the trace strings carry.
#
# usage: utf8.sh PLUGIN PCAP...
set -eu
here=$(cd "$(dirname "$0")" && pwd)
plugin=$1
shift
fields=$(sed -n 's/.*"\(mbuf_trace\.[a-z_.]*\)", FT_STRING,.*/\1/p' \
    "$here/../../plugins/epan/mbuf_trace/packet-mbuf_trace.c")
[ -n "$fields" ] || { echo "utf8.sh: found no string fields" >&2; exit 1; }
args=""
for f in $fields; do
	args="$args -e $f"
done
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for pcap in "$@"; do
	# shellcheck disable=SC2086 # one -e per field
	"$here/../../tools/tshark-with-plugin" "$plugin" -r - -T fields $args \
	    -o "mbuf_trace.source_url_template:file:///src/%f#%l" <"$pcap" >"$out"
	if ! iconv -f UTF-8 -t UTF-8 "$out" >/dev/null 2>&1; then
		echo "utf8.sh: invalid UTF-8 in the string fields of $pcap:" >&2
		LC_ALL=C grep -n -v -a '^[[:print:][:space:]]*$' "$out" | head -5 >&2
		exit 1
	fi
	[ -s "$out" ] || { echo "utf8.sh: no output for $pcap" >&2; exit 1; }
done
echo "utf8.sh: $(echo $fields | wc -w) string fields, valid UTF-8 in $#" captures
