#!/bin/sh
#
# docs_drift.sh - docs/fields.md names every field, expert item and
# preference the plugin registers, and names none it does not.
#
# usage: docs_drift.sh PLUGIN FIELDS_MD
set -eu
here=$(cd "$(dirname "$0")" && pwd)
plugin=$1 doc=$2
runner="$here/../../tools/tshark-with-plugin"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$runner" "$plugin" -G fields </dev/null | awk -F '\t' '$3 ~ /^mbuf_trace\./ { print $3 }' >"$tmp/names"
"$runner" "$plugin" -G defaultprefs </dev/null |
    sed -n 's/^#\(mbuf_trace\.[a-z_]*\):.*/\1/p' >>"$tmp/names"
sort -u "$tmp/names" -o "$tmp/names"
[ -s "$tmp/names" ] || { echo "docs_drift.sh: tshark listed no mbuf_trace names" >&2; exit 1; }

# Names as the document writes them: `mbuf_trace.x` in code spans.
grep -o '`mbuf_trace\.[a-z_.]*[a-z_]`' "$doc" | tr -d '`' | sort -u >"$tmp/documented"

status=0
for name in $(comm -23 "$tmp/names" "$tmp/documented"); do
	echo "docs_drift.sh: $name is registered but not in $doc" >&2
	status=1
done
for name in $(comm -13 "$tmp/names" "$tmp/documented"); do
	echo "docs_drift.sh: $doc names $name, which the plugin does not register" >&2
	status=1
done
[ $status -ne 0 ] || echo "docs_drift.sh: $(wc -l <"$tmp/names") names, all documented"
exit $status
