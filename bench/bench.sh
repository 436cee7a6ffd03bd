#!/bin/sh
#
# bench.sh - the native dissector against the Lua one it replaces, side by
# side on one large generated capture, with hyperfine.
#
# usage: bench/bench.sh [BUILD_DIR [FRAMES]]     (defaults: build, 100000)
#
# Needs a built tree (gen_captures and mbuf_trace.so), hyperfine, and the
# Lua dissector the plugin replaces, which is not part of this project:
# MBUF_TRACE_LUA names it (default: ../shared/reference/mbuf_trace.lua).
# The capture is generated into BUILD_DIR/bench/, never committed. Each
# command runs tshark directly (not through tools/tshark-with-plugin, whose
# load check would add a tshark start-up to every run) with a private HOME
# that holds the plugin, or nothing for the Lua and baseline runs.
set -eu
cd "$(dirname "$0")/.."
build=${1:-build}
frames=${2:-100000}
lua=${MBUF_TRACE_LUA:-../shared/reference/mbuf_trace.lua}
version=$(tshark --version 2>/dev/null | sed -n '1s/^TShark (Wireshark) \([0-9]*\.[0-9]*\).*/\1/p')

command -v hyperfine >/dev/null || { echo "bench.sh: needs hyperfine" >&2; exit 1; }
[ -r "$lua" ] || { echo "bench.sh: no Lua dissector at $lua" >&2; exit 1; }

out="$build/bench"
mkdir -p "$out"
# full: what the kernel writes (types 1-6, an L3 snapshot and TIME stamps);
# deployed: types 1-3 only, the same work for both dissectors.
for kind in full deployed; do
	flag=--bench
	[ $kind = full ] || flag=--bench-$kind
	[ -f "$out/$kind-$frames.pcap" ] ||
	    "$build/tests/plugin/gen_captures" $flag "$frames" "$out/$kind-$frames.pcap"
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/native/.local/lib/wireshark/plugins/$version/epan" "$work/empty" "$work/config"
cp "$build/mbuf_trace.so" "$work/native/.local/lib/wireshark/plugins/$version/epan/"
cp "$lua" "$work/mbuf_trace.lua"
cp "$out/full-$frames.pcap" "$work/full.pcap"
cp "$out/deployed-$frames.pcap" "$work/deployed.pcap"
drop=""
if [ "$(id -u)" -eq 0 ]; then
	chown -R 65534:65534 "$work"
	drop="setpriv --reuid=65534 --regid=65534 --clear-groups"
fi
env="env WIRESHARK_CONFIG_DIR=$work/config TZ=UTC"
native="$drop $env HOME=$work/native tshark -n -r"
luacmd="$drop $env HOME=$work/empty tshark -n -X lua_script:$work/mbuf_trace.lua -r"
none="$drop $env HOME=$work/empty tshark -n -r"

# The native plugin must really be the one decoding.
$native "$work/full.pcap" -c 1 | grep -q 'mbuf_trace' ||
    { echo "bench.sh: native plugin not loaded" >&2; exit 1; }
$luacmd "$work/full.pcap" -c 1 -T fields -e mbuf_trace.data | grep -q . ||
    { echo "bench.sh: Lua not loaded" >&2; exit 1; }

for kind in deployed full; do
pcap="$work/$kind.pcap"
echo "bench.sh: $kind capture: $frames frames, $(wc -c <"$pcap") bytes, Wireshark $version"
for mode in summary fields tree; do
	# The baseline has no mbuf_trace fields: it extracts frame.number.
	case $mode in
	summary) args="" base="" ;;                                       # columns
	fields) args="-T fields -e mbuf_trace.data" base="-T fields -e frame.number" ;;
	tree) args="-V" base="-V" ;;                                      # the whole tree
	esac
	hyperfine --style basic --warmup 1 --runs "${RUNS:-5}" \
	    --export-markdown "$out/$kind-$mode.md" \
	    -n "$kind $mode: no dissector (user_dlt)" "$none $pcap $base >/dev/null" \
	    -n "$kind $mode: Lua" "$luacmd $pcap $args >/dev/null" \
	    -n "$kind $mode: native" "$native $pcap $args >/dev/null"
done
done
