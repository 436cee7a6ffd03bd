#!/bin/sh
#
# golden.sh - decode a capture with the freshly built plugin and compare
# tshark's output with a reviewed expected file, byte for byte.
#
# usage: golden.sh [--grep PATTERN | --own-tree] EXPECTED PLUGIN PCAP|- [tshark args...]
#	PCAP	fed on stdin with -r -; "-" for runs that read no capture (-G)
#	--grep	compare only the output lines matching PATTERN (grep -E), as
#		a set: their order is a hash table's
#	--own-tree  for -V output: compare the plugin's own tree exactly and
#		other dissectors' subtrees by their summary line (own_tree.awk),
#		so that the file holds on every Wireshark release
#	--json	for -T json output: without the envelope's "_type": "doc"
#		line, which 4.6 no longer prints
#	--fields VERSION  for -T fields output of Wireshark VERSION: from 4.2
#		tshark writes a backslash in a value as two, so the expected
#		file (written by 4.0) is compared with its backslashes doubled
#
# MBUF_TRACE_REGENERATE=1 writes EXPECTED instead of comparing: review the
# resulting git diff by eye before committing it.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
runner="$here/../../tools/tshark-with-plugin"

pattern="" own_tree=0
case ${1:-} in
--grep)
	pattern=$2
	shift 2
	;;
--own-tree)
	own_tree=1
	shift
	;;
--json)
	own_tree=json
	shift
	;;
--fields)
	case $2 in
	4.[01]) ;;
	*) own_tree=fields ;;
	esac
	shift 2
	;;
esac
expected=$1 plugin=$2 pcap=$3
shift 3

out=$(mktemp)
trap 'rm -f "$out" "$out.all" "$out.want" "$out.got"' EXIT
status=0
if [ "$pcap" = - ]; then
	"$runner" "$plugin" "$@" </dev/null >"$out.all" || status=$?
else
	"$runner" "$plugin" -r - "$@" <"$pcap" >"$out.all" || status=$?
fi
if [ "$status" -ne 0 ]; then
	echo "golden.sh: tshark-with-plugin exited $status" >&2
	exit 1
fi
if [ -n "$pattern" ]; then
	grep -E -- "$pattern" "$out.all" | LC_ALL=C sort >"$out" || true
else
	mv "$out.all" "$out"
fi
if [ ! -s "$out" ]; then
	echo "golden.sh: tshark printed nothing to compare" >&2
	exit 1
fi

if [ "${MBUF_TRACE_REGENERATE:-0}" = 1 ]; then
	cp "$out" "$expected"
	echo "golden.sh: wrote $expected"
	exit 0
fi
want=$expected got=$out
if [ "$own_tree" = 0 ]; then
	# Summary lines: TCP's own note, which 4.4 no longer adds to the Info
	# of a segment whose PDU continues, is not ours to compare.
	sed 's/ *\[TCP segment of a reassembled PDU\]//' "$expected" >"$out.want"
	sed 's/ *\[TCP segment of a reassembled PDU\]//' "$out" >"$out.got"
	want=$out.want got=$out.got
elif [ "$own_tree" = 1 ]; then
	LC_ALL=C awk -f "$here/own_tree.awk" "$expected" >"$out.want"
	LC_ALL=C awk -f "$here/own_tree.awk" "$out" >"$out.got"
	want=$out.want got=$out.got
elif [ "$own_tree" = fields ]; then
	sed 's/\\/\\\\/g' "$expected" >"$out.want"
	want=$out.want
elif [ "$own_tree" = json ]; then
	grep -v '^ *"_type": "doc",$' "$expected" >"$out.want"
	grep -v '^ *"_type": "doc",$' "$out" >"$out.got"
	want=$out.want got=$out.got
fi
if ! diff -u "$want" "$got"; then
	echo "golden.sh: output differs from $expected (- expected, + actual)" >&2
	exit 1
fi
