#!/bin/sh
#
# readme_demo.sh - every line the README quotes from ./dev.sh demo is a
# line the demo prints: its excerpt is the block of indented lines from
# "    == examples/" to the next line that is not indented, "..." aside,
# and Wireshark's own "Frame N: ..." line, which each release words its
# own way (4.6: "Frame 30: Packet, 826 bytes on wire").
#
# usage: readme_demo.sh BUILD_DIR
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$here/../..
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

(cd "$top" && MBUF_TRACE_BUILD_DIR=$1 sh dev.sh show) >"$tmp/demo"
awk '/^    == examples\// { on = 1 } on && !/^    / && !/^$/ { exit } on' "$top/README.md" |
    sed -n 's/^    //p' | grep -v -e '^ *\.\.\.$' -e '^Frame [0-9]*: ' >"$tmp/quoted"
[ "$(grep -c . "$tmp/quoted")" -gt 10 ] ||
    { echo "readme_demo.sh: found no excerpt of the demo in README.md" >&2; exit 1; }
status=0
while IFS= read -r line; do
	[ -n "$line" ] || continue
	if ! grep -q -x -F -- "$line" "$tmp/demo"; then
		echo "readme_demo.sh: README.md quotes a line the demo does not print:" >&2
		echo "  $line" >&2
		status=1
	fi
done <"$tmp/quoted"
[ $status -ne 0 ] || echo "readme_demo.sh: all $(grep -c . "$tmp/quoted") quoted lines are the demo's"
exit $status
