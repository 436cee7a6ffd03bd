#!/bin/sh
#
# runner_refuses_bad_plugin.sh - tools/tshark-with-plugin exits 3 and says
# so when the plugin does not load (tshark itself would exit 0).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "not a shared object" >"$tmp/mbuf_trace.so"

status=0
"$here/../../tools/tshark-with-plugin" "$tmp/mbuf_trace.so" -v >"$tmp/out" 2>"$tmp/err" || status=$?
if [ "$status" -ne 3 ]; then
	echo "expected exit status 3, got $status" >&2
	cat "$tmp/err" >&2
	exit 1
fi
grep -q "the plugin did not load" "$tmp/err" || {
	echo "no 'did not load' message; stderr was:" >&2
	cat "$tmp/err" >&2
	exit 1
}
if [ -s "$tmp/out" ]; then
	echo "tshark ran although the plugin did not load" >&2
	exit 1
fi
cat "$tmp/err"
