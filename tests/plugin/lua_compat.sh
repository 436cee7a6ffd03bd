#!/bin/sh
#
# lua_compat.sh - the native plugin shows every string the Lua dissector it
# replaces showed, in mbuf_trace.data, plus the type-3 (STRING_DYNAMIC)
# strings the Lua one loses to its `type == 3` bug. ASCII strings are
# identical; a non-ASCII one is the Lua value up to its first non-ASCII byte,
# then whole U+FFFD characters where the Lua one can end in half of one.
#
# usage: lua_compat.sh PLUGIN PCAP LUA_SCRIPT
#
# The two cannot be loaded together (same protocol name), so each decodes
# the capture in its own tshark run; both print PDML, where hidden fields and
# the record structure survive. Exit 77 (skip) without the Lua script.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
plugin=$1 pcap=$2 lua=$3

if [ ! -r "$lua" ]; then
	echo "lua_compat.sh: SKIP: reference Lua dissector not found at $lua" \
	    "(set MBUF_TRACE_SHARED_DIR to the folder holding reference/mbuf_trace.lua)"
	exit 77
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$here/../../tools/tshark-with-plugin" "$plugin" -r - -T pdml <"$pcap" >"$tmp/native.pdml"

# The Lua run: the same runner, so the same hermetic settings, the
# privilege drop (tshark run as root ignores Lua scripts where no init.lua
# allows it, as from 4.4 on) and the check that the script loaded; no
# native plugin, so only the script under test defines mbuf_trace.
"$here/../../tools/tshark-with-plugin" "$lua" -r - -T pdml <"$pcap" >"$tmp/lua.pdml" 2>"$tmp/lua.err" || {
	echo "lua_compat.sh: tshark with the Lua dissector failed:" >&2
	cat "$tmp/lua.err" >&2
	exit 1
}

# One line per mbuf_trace.data value: frame number, record type (0 when
# the dissector shows no records: the Lua one), show= attribute.
extract='
/<packet>/ { frame++; type = 0 }
/name="mbuf_trace.record.type"/ { match($0, / show="[^"]*"/); type = substr($0, RSTART + 7, RLENGTH - 8) }
/name="mbuf_trace.data"/ { match($0, / show="[^"]*"/); print frame "\t" type "\t" substr($0, RSTART + 7, RLENGTH - 8) }
'
LC_ALL=C awk "$extract" "$tmp/native.pdml" >"$tmp/native"
LC_ALL=C awk "$extract" "$tmp/lua.pdml" >"$tmp/lua"

if [ ! -s "$tmp/lua" ]; then
	echo "lua_compat.sh: the Lua dissector showed no strings: did it load?" >&2
	cat "$tmp/lua.err" >&2
	exit 1
fi

# Walk both lists in order. The Lua dissector shows the STRING (type 2)
# records; each of its values must equal the next native non-type-3 value.
# The type-3 values in between are the ones it loses.
LC_ALL=C awk -F '\t' '
FNR == NR { lua[++nl] = $0; next }
{ native[++nn] = $0 }
END {
	j = 1; dynamic = 0
	for (i = 1; i <= nl; i++) {
		split(lua[i], l, "\t")
		for (; j <= nn; j++) {
			split(native[j], n, "\t")
			if (n[2] != 3)
				break
			dynamic++
		}
		ascii = l[3]
		sub(/[\200-\377].*/, "", ascii)
		if (j > nn || n[1] != l[1] || (ascii == l[3] ? n[3] != l[3] : index(n[3], ascii) != 1)) {
			printf("frame %s: the Lua dissector showed \"%s\", the native one \"%s\" (frame %s)\n", l[1], l[3], j > nn ? "nothing" : n[3], j > nn ? "-" : n[1])
			exit 1
		}
		j++
	}
	for (; j <= nn; j++) {
		split(native[j], n, "\t")
		if (n[2] != 3) {
			printf("frame %s: native string \"%s\" missing from the Lua output\n", n[1], n[3])
			exit 1
		}
		dynamic++
	}
	if (dynamic == 0) {
		print "no STRING_DYNAMIC strings in the capture: the test would prove nothing"
		exit 1
	}
	printf("lua_compat.sh: %d strings identical in both, plus %d dynamic ones only the native dissector shows\n", nl, dynamic)
}' "$tmp/lua" "$tmp/native"
