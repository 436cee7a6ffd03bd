#!/bin/sh
#
# version_lua.sh - the deployed generation 1 reader, the Lua dissector,
# reads frames that start with a VERSION record (docs/format.md,
# "Version") exactly as it reads the same frames without one: it skips the
# record by its length. gen_captures.c (scenario_version) writes the frames
# twice, without the record and with it; the Lua dissector's -V trees of
# the two, without the Frame subtrees (whose lengths differ), must be the
# same and show something.
#
# usage: version_lua.sh WITHOUT.pcap WITH.pcap LUA_SCRIPT
# Exit 77 (skip) without the Lua script.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
without=$1 with=$2 lua=$3

if [ ! -r "$lua" ]; then
	echo "version_lua.sh: SKIP: reference Lua dissector not found at $lua" \
	    "(set MBUF_TRACE_SHARED_DIR to the folder holding reference/mbuf_trace.lua)"
	exit 77
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for f in without with; do
	eval "pcap=\$$f"
	"$here/../../tools/tshark-with-plugin" "$lua" -r - -V <"$pcap" 2>"$tmp/err" |
	    LC_ALL=C awk '/^Frame [0-9]+:/ { skip = 1; sub(/:.*/, ""); print; next } /^[^ ]/ { skip = 0 } !skip' \
	    >"$tmp/$f" || {
		echo "version_lua.sh: tshark with the Lua dissector failed on $pcap:" >&2
		cat "$tmp/err" >&2
		exit 1
	}
done
if ! grep -q '^data: ' "$tmp/without"; then
	echo "version_lua.sh: the Lua dissector showed no strings: did it load?" >&2
	exit 1
fi
if ! diff -u "$tmp/without" "$tmp/with"; then
	echo "version_lua.sh: the Lua dissector reads frames with a VERSION record differently"
	exit 1
fi
echo "version_lua.sh: $(grep -c '^Frame ' "$tmp/with") frames read alike with and without VERSION"
