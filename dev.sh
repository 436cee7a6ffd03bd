#!/bin/sh
#
# dev.sh - set up, build, test and demonstrate mbuf_trace on Debian 12.
#
# usage: ./dev.sh demo      install what is missing, build, decode what a real kernel traced
#        ./dev.sh test      install what is missing, build, run every test
#                           (as root: also on Wireshark 4.4 and 4.6, in Debian roots)
#        ./dev.sh build     build only (into ./build)
#        ./dev.sh deps      install the Debian packages of tools/debian-packages.txt
#        ./dev.sh releases  the release matrix: Wireshark 4.0, 4.4 and 4.6
#        ./dev.sh fuzz-long the long fuzz runs, 30 minutes each (docs/fuzzing.md)
#        ./dev.sh show      what demo prints, with the build as it is
#
set -eu
cd "$(dirname "$0")"

build_dir=${MBUF_TRACE_BUILD_DIR:-build}

packages()
{
	sed 's/#.*//' tools/debian-packages.txt | tr -s ' \t' '\n' | grep -v '^$'
}

deps()
{
	missing=$(packages | while read -r p; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
		    grep -q '^install ok installed$' || echo "$p"
	done)
	[ -n "$missing" ] || return 0
	if [ "$(id -u)" -ne 0 ]; then
		echo "dev.sh: missing Debian packages:" $missing >&2
		echo "dev.sh: run as root, or: sudo apt-get install" $missing >&2
		exit 1
	fi
	echo "dev.sh: installing" $missing
	apt-get update -q
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
}

build()
{
	cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo
	cmake --build "$build_dir" --parallel "$(nproc)"
}

# The demo: what a real FreeBSD 15.1 kernel traced in qemu
# (examples/freebsd-15.1-vm, kernel/tools/mbuf_trace-vm), decoded by the
# freshly built plugin: one line per packet trace, then a dropped packet's
# trace in full.
# paths TRACE TITLE: one line per packet trace: frame, source > destination:
# the path and what became of the packet (the Info column after the
# snapshot's summary).
paths()
{
	echo "== $1: $2"
	echo "   frame, source > destination: path [what became of the packet]"
	tools/tshark-with-plugin "$build_dir/mbuf_trace.so" -r - -T fields \
	    -e frame.number -e _ws.col.Source -e _ws.col.Destination -e _ws.col.Info <"$1" |
	    awk -F '\t' '{
		n = split($4, part, " [|] ")
		printf "%3s  %s > %s: %s\n", $1, $2, $3, part[n]
	    }'
	echo
}

demo()
{
	vm=examples/freebsd-15.1-vm
	paths $vm/trace.pcap "a real FreeBSD 15.1 kernel in qemu (kernel/tools/mbuf_trace-vm)"
	paths $vm/drops.pcap "the same kernel, killing packets one kind at a time"
	echo "== a SYN that pf blocked, in full:"
	tools/tshark-with-plugin "$build_dir/mbuf_trace.so" -r - -V -O mbuf_trace -c 1 \
	    -Y 'mbuf_trace.drop.reason == "PF_MATCH" && tcp.flags.syn == 1' <$vm/drops.pcap
}

# The release matrix (tools/release-matrix): the plugin built with gcc and
# clang, tested, fuzzed and packaged against Wireshark 4.4 (Debian 13) and
# 4.6 (sid) in Debian roots made with debootstrap and cached in
# /var/cache/mbuf_trace/roots; `releases' adds 4.0, this host.  It needs
# root and, for a root not yet cached, Debian's archive: a root that cannot
# be made fails, said as such.  MBUF_TRACE_MATRIX=0 leaves it out, and says
# so.
matrix()
{
	echo "== dev.sh: release matrix: the plugin on Wireshark ${*:-4.0 4.4 4.6}"
	if [ "${MBUF_TRACE_MATRIX:-1}" = 0 ]; then
		echo "dev.sh: release matrix SKIPPED (MBUF_TRACE_MATRIX=0)"
		return 0
	fi
	if [ "$(id -u)" -ne 0 ]; then
		echo "dev.sh: release matrix SKIPPED: it needs root (debootstrap, chroot)"
		return 0
	fi
	MBUF_TRACE_BUILD_DIR=$build_dir tools/release-matrix "$@"
}

case ${1:-} in
deps)	deps ;;
build)	build ;;
test)
	deps
	build
	# The matrix's 4.4 and 4.6 rows (4.0 is this host's: the suite is its
	# row) run beside the suite and each other, so that each fills the
	# others' idle moments (configuring, installing, a last long test);
	# their output follows the suite's.
	(export MBUF_TRACE_MATRIX_PARALLEL=1; matrix 4.4 4.6) >"$build_dir/matrix.log" 2>&1 &
	matrix_pid=$!
	status=0
	ctest --test-dir "$build_dir" --output-on-failure --parallel "$(nproc)" || status=$?
	wait "$matrix_pid" || status=1
	cat "$build_dir/matrix.log"
	exit "$status"
	;;
releases)
	deps
	build
	matrix
	;;
demo)
	deps
	build
	demo
	;;
show)
	demo
	;;
fuzz-long)
	deps
	build
	MBUF_TRACE_BUILD_DIR=$build_dir nice -n 19 tools/fuzz-long "${2:-30}"
	;;
*)
	sed -n 's/^# \{0,1\}//; 5,12p' "$0" >&2
	exit 2
	;;
esac
