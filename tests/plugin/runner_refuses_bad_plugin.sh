#!/bin/sh
#
# runner_refuses_bad_plugin.sh - tools/tshark-with-plugin exits 3 and says
# so when the plugin does not load (tshark itself would exit 0), both alone and
# where a folder of load stamps holds a stamp for the bad plugin's bytes
# made with another tshark (see the runner's TSHARK_WITH_PLUGIN_STAMPS).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "not a shared object" >"$tmp/mbuf_trace.so"

# refused WHAT: the runner refused the bad plugin, saying so, running nothing.
refused()
{
	status=0
	"$here/../../tools/tshark-with-plugin" "$tmp/mbuf_trace.so" -v >"$tmp/out" 2>"$tmp/err" ||
	    status=$?
	if [ "$status" -ne 3 ]; then
		echo "$1: expected exit status 3, got $status" >&2
		cat "$tmp/err" >&2
		exit 1
	fi
	grep -q "the plugin did not load" "$tmp/err" || {
		echo "$1: no 'did not load' message; stderr was:" >&2
		cat "$tmp/err" >&2
		exit 1
	}
	if [ -s "$tmp/out" ]; then
		echo "$1: tshark ran although the plugin did not load" >&2
		exit 1
	fi
	cat "$tmp/err"
}

unset TSHARK_WITH_PLUGIN_STAMPS
refused "without stamps"

# A stamp folder holding a stamp for these very bytes, but made with
# another tshark: not trusted, and not replaced by one for the refused plugin.
sum=$(sha256sum <"$tmp/mbuf_trace.so")
stamp="$tmp/stamps/${sum%% *}.mbuf_trace.so"
mkdir "$tmp/stamps"
printf '%s\n%s\n' "/nonexistent/tshark 1 1 1" "4.0" >"$stamp"
cp "$stamp" "$tmp/stamp.before"
export TSHARK_WITH_PLUGIN_STAMPS="$tmp/stamps"
refused "with a stale stamp"
cmp -s "$stamp" "$tmp/stamp.before" || {
	echo "the refused plugin's stale stamp was rewritten:" >&2
	cat "$stamp" >&2
	exit 1
}
