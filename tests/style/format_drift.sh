#!/bin/sh
#
# format_drift.sh - the format's tables are defined once, in the kernel's
# headers: the record types (MTRACE_RECORD_TYPES of
# kernel/sys/sys/mbuf_trace.h) and the reasons (MTRACE_REASONS of
# kernel/sys/sys/mbuf_trace_reason.h).  The plugin is built from them;
# docs/format.md's "Record types" table must list the same types, by
# number and name, and docs/drops.md's reason table must be what
# kernel/tools/mbuf_trace-reasons makes of the header.
#
# usage: format_drift.sh SOURCE_DIR
set -eu
src=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0

# "	X(DATA,			1, 0, 0) /* ... */ \" -> "1 DATA"
sed -n 's/^[[:space:]]*X(\([A-Z0-9_]*\),[[:space:]]*\([0-9][0-9]*\),.*/\2 \1/p' \
    "$src/kernel/sys/sys/mbuf_trace.h" | sort >"$tmp/header"
[ -s "$tmp/header" ] || { echo "format_drift.sh: no record types in the header" >&2; exit 1; }
# "| 1 | DATA | ... |" in the "## Record types" section.
awk '/^## /{ on = ($0 == "## Record types") } on' "$src/docs/format.md" |
    sed -n 's/^| \([0-9][0-9]*\) | \([A-Z0-9_]*\) |.*/\1 \2/p' | sort >"$tmp/format.md"
if ! diff -u "$tmp/header" "$tmp/format.md" >"$tmp/diff"; then
	echo "format_drift.sh: docs/format.md does not list the record types of <sys/mbuf_trace.h>:" >&2
	sed 1,2d "$tmp/diff" >&2
	status=1
fi

# The reason table between the markers of docs/drops.md.
"$src/kernel/tools/mbuf_trace-reasons" "$src/kernel/sys/sys/mbuf_trace_reason.h" >"$tmp/reasons"
awk '/^<!-- reasons: begin/ { on = 1; next } /^<!-- reasons: end/ { on = 0 } on' \
    "$src/docs/drops.md" >"$tmp/drops.md"
if ! diff -u "$tmp/reasons" "$tmp/drops.md" >"$tmp/diff"; then
	echo "format_drift.sh: docs/drops.md's reason table is not the header's" \
	    "(kernel/tools/mbuf_trace-reasons makes it):" >&2
	sed 1,2d "$tmp/diff" | head -40 >&2
	status=1
fi
[ $status -ne 0 ] ||
    echo "format_drift.sh: $(wc -l <"$tmp/header") record types and $(grep -c '^| `' "$tmp/reasons") reasons, the same everywhere"
exit $status
