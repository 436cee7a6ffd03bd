#!/bin/sh
#
# format_drift.sh - the record types are defined once, by the MTRACE_REC_*
# constants of kernel/sys/sys/mbuf_trace.h.  docs/format.md's table and the
# names the plugin shows for them must list exactly those, by number and
# name.
#
# usage: format_drift.sh SOURCE_DIR
set -eu
src=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# "#define	MTRACE_REC_DATA		1	/* ... */" -> "1 DATA"
sed -n 's/^#define[[:space:]]*MTRACE_REC_\([A-Z0-9_]*\)[[:space:]]*\([0-9][0-9]*\).*/\2 \1/p' \
    "$src/kernel/sys/sys/mbuf_trace.h" | sort >"$tmp/header"
[ -s "$tmp/header" ] || { echo "format_drift.sh: no MTRACE_REC_* in the header" >&2; exit 1; }

# "| 1 | DATA | ... |" in the "## Record types" section.
awk '/^## /{ on = ($0 == "## Record types") } on' "$src/docs/format.md" |
    sed -n 's/^| \([0-9][0-9]*\) | \([A-Z0-9_]*\) |.*/\1 \2/p' | sort >"$tmp/format.md"
# "{ MTRACE_REC_DATA, "DATA" }," in the plugin's value_string.
sed -n 's/^ *{ MTRACE_REC_\([A-Z0-9_]*\), *"\([A-Z0-9_]*\)" },$/\1 \2/p' \
    "$src/plugins/epan/mbuf_trace/packet-mbuf_trace.c" >"$tmp/names"
awk 'NR == FNR { num[$2] = $1; next } { print (($1 in num) ? num[$1] : "?") " " $2 }' \
    "$tmp/header" "$tmp/names" | sort >"$tmp/the plugin"

status=0
for doc in format.md "the plugin"; do
	if ! diff -u "$tmp/header" "$tmp/$doc" >"$tmp/diff"; then
		echo "format_drift.sh: $doc does not list the record types of <sys/mbuf_trace.h>:" >&2
		sed 1,2d "$tmp/diff" >&2
		status=1
	fi
done
[ $status -ne 0 ] || echo "format_drift.sh: $(wc -l <"$tmp/header") record types, the same everywhere"
exit $status
