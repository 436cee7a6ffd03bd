#!/bin/sh
#
# golden.sh - decode a capture with the freshly built plugin and compare
# tshark's output with a reviewed expected file, byte for byte.
#
# usage: golden.sh [--grep PATTERN] EXPECTED PLUGIN PCAP|- [tshark args...]
#	PCAP	fed on stdin with -r -; "-" for runs that read no capture (-G)
#	--grep	compare only the output lines matching PATTERN (grep -E)
#
# MBUF_TRACE_REGENERATE=1 writes EXPECTED instead of comparing: review the
# resulting git diff by eye before committing it.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
runner="$here/../../tools/tshark-with-plugin"

pattern=""
if [ "${1:-}" = --grep ]; then
	pattern=$2
	shift 2
fi
expected=$1 plugin=$2 pcap=$3
shift 3

out=$(mktemp)
trap 'rm -f "$out" "$out.all"' EXIT
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
	grep -E -- "$pattern" "$out.all" >"$out" || true
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
if ! diff -u "$expected" "$out"; then
	echo "golden.sh: output differs from $expected (- expected, + actual)" >&2
	exit 1
fi
