#!/bin/sh
#
# package.sh - the Debian package installs a plugin that tshark loads, and
# depends on exactly the Wireshark release it was built for.
#
# usage: package.sh BUILD_DIR WIRESHARK_MAJOR.MINOR
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=$1 version=$2

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The package's one install rule is the plugin's (plugins/epan/mbuf_trace):
# cpack installs that directory's project, whose preinstall step builds the
# plugin only. The whole build's would build everything first, the
# sanitizer ExternalProjects again included: 10 to 20 s of the test, for a
# package whose every byte and control field come out the same.
cpack -G DEB -B "$tmp" --config "$build/CPackConfig.cmake" \
    -D "CPACK_INSTALL_CMAKE_PROJECTS=$build/plugins/epan/mbuf_trace;mbuf_trace;wireshark-plugin;/" \
    >"$tmp/cpack.log" 2>&1 || {
	cat "$tmp/cpack.log" >&2
	exit 1
}
deb=$(ls "$tmp"/wireshark-plugin-mbuf-trace_*.deb)

depends=$(dpkg-deb -f "$deb" Depends)
major=${version%.*} minor=${version#*.}
case $depends in
*"(>= $version)"*"(<< $major.$((minor + 1)))"*) ;;
*)
	echo "package.sh: Depends does not pin Wireshark $version: $depends" >&2
	exit 1
	;;
esac

dpkg-deb -x "$deb" "$tmp/root"
so=$(find "$tmp/root" -name mbuf_trace.so)
case $so in
*/wireshark/plugins/$version/epan/mbuf_trace.so) ;;
*)
	echo "package.sh: plugin not in a plugins/$version/epan folder: ${so:-none}" >&2
	dpkg-deb -c "$deb" >&2
	exit 1
	;;
esac
"$here/../../tools/tshark-with-plugin" "$so" -G plugins | grep mbuf_trace.so
echo "package.sh: $(basename "$deb"), Depends: $depends"
