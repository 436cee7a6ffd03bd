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
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# One tshark run over the captures one after the other; a line of output
# per frame, so a line number tells which capture it came from.
sh "$here/../concat-captures.sh" "$tmp/all" "$@" >"$tmp/counts"
# shellcheck disable=SC2086 # one -e per field
"$here/../../tools/tshark-with-plugin" "$plugin" -r - -T fields $args \
    -o "mbuf_trace.source_url_template:file:///src/%f#%l" <"$tmp/all" >"$tmp/out"
frames=$(awk -F '\t' '{ n += $2 } END { print n + 0 }' "$tmp/counts")
if [ "$(wc -l <"$tmp/out")" -ne "$frames" ] || [ "$frames" -eq 0 ]; then
	echo "utf8.sh: $(wc -l <"$tmp/out") lines of fields for $frames frames" >&2
	exit 1
fi
if ! iconv -f UTF-8 -t UTF-8 "$tmp/out" >/dev/null 2>&1; then
	echo "utf8.sh: invalid UTF-8 in the string fields:" >&2
	LC_ALL=C grep -n -v -a '^[[:print:][:space:]]*$' "$tmp/out" | head -5 |
	    while IFS=: read -r line rest; do
		awk -F '\t' -v l="$line" -v rest="$rest" \
		    '!done && l <= at + $2 { print $1 ", frame " l - at ": " rest; done = 1 } { at += $2 }' \
		    "$tmp/counts"
	done >&2
	exit 1
fi
echo "utf8.sh: $(echo $fields | wc -w) string fields, valid UTF-8 in $#" captures "($frames frames)"
