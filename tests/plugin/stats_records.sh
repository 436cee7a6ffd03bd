#!/bin/sh
#
# stats_records.sh - the statistics tree's "Records by type" counts what
# tshark decodes: for each capture, the count of every type name under it
# (-z mbuf_trace,tree) equals the count of records of that type in the
# dissection (mbuf_trace.record.type, named by the field's own values;
# a type it does not name is "unknown").
#
# usage: stats_records.sh PLUGIN PCAP...
set -eu
here=$(cd "$(dirname "$0")" && pwd)
run="$here/../../tools/tshark-with-plugin"
plugin=$1
shift
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Type number -> name, as the field's value_string has it (the first
# registration of the field: this kernel's types).
"$run" "$plugin" -G values | awk -F '\t' '$1 == "V" && $2 == "mbuf_trace.record.type" &&
    !($3 in n) { n[$3] = $4; print $3 "\t" $4 }' >"$tmp/names"
[ -s "$tmp/names" ] || { echo "stats_records.sh: no value names for mbuf_trace.record.type" >&2; exit 1; }
status=0
for pcap in "$@"; do
	"$run" "$plugin" -r - -T fields -E aggregator=' ' -e mbuf_trace.record.type <"$pcap" |
	    tr ' ' '\n' | grep . |
	    awk -F '\t' 'NR == FNR { n[$1] = $2; next }
		{ c[$1 in n ? n[$1] : "unknown"]++ }
		END { for (t in c) print t, c[t] }' "$tmp/names" - | sort >"$tmp/decoded"
	"$run" "$plugin" -r - -q -z mbuf_trace,tree <"$pcap" |
	    awk '/^Records by type/ { on = 1; next } on && /^ / { print $1, $2; next } on { exit }' |
	    sort >"$tmp/stats"
	if [ ! -s "$tmp/decoded" ] || ! cmp -s "$tmp/decoded" "$tmp/stats"; then
		echo "stats_records.sh: $pcap: the tree's record counts (+) are not the decoded ones (-):" >&2
		diff "$tmp/decoded" "$tmp/stats" >&2 || true
		status=1
	else
		echo "stats_records.sh: $pcap: $(wc -l <"$tmp/stats") record types counted as decoded"
	fi
done
exit $status
