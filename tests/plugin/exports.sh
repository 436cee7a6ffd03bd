#!/bin/sh
#
# exports.sh - the plugin exports exactly the symbols the plugin loader of
# its Wireshark release looks up, and nothing else: the four of 4.0, plus
# plugin_describe from 4.2 on.
#
# usage: exports.sh PLUGIN.so WIRESHARK_MAJOR.MINOR
set -eu
plugin=$1 release=$2
major=${release%.*} minor=${release#*.}
want="plugin_register
plugin_version
plugin_want_major
plugin_want_minor"
if [ "$major" -gt 4 ] || { [ "$major" -eq 4 ] && [ "$minor" -ge 2 ]; }; then
	want="plugin_describe
$want"
fi
got=$(nm -D --defined-only "$plugin" | awk '{ print $3 }' | sort)
if [ "$got" != "$want" ]; then
	echo "exports.sh: $plugin exports:" >&2
	echo "$got" >&2
	echo "exports.sh: Wireshark $release expects exactly:" >&2
	echo "$want" >&2
	exit 1
fi
echo "$got"
