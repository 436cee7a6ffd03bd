#!/bin/sh
#
# exports.sh - the plugin exports exactly the symbols Wireshark's plugin
# loader looks up, and nothing else.
#
# usage: exports.sh PLUGIN.so
set -eu
want="plugin_register
plugin_version
plugin_want_major
plugin_want_minor"
got=$(nm -D --defined-only "$1" | awk '{ print $3 }' | sort)
if [ "$got" != "$want" ]; then
	echo "exports.sh: $1 exports:" >&2
	echo "$got" >&2
	echo "exports.sh: expected exactly:" >&2
	echo "$want" >&2
	exit 1
fi
echo "$got"
