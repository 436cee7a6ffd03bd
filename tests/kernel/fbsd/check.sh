#!/bin/sh
#
# check.sh - ctest kernel.compiles_against_freebsd_headers.
#
# usage: check.sh FBSD-KCC REPO-ROOT OUT-DIR
#
# Compiles every C file and header under kernel/sys, and mtrace_probe.c,
# with fbsd-kcc (real FreeBSD 15.1 headers, the kernel's own flags, four
# variants), with options MBUF_TRACE on (it goes to opt_global.h, so
# -DMBUF_TRACE is the faithful equivalent), and what a kernel without the
# option compiles with it off: all but the facility's three files, which
# sys/conf/files lists as `optional mbuf_trace'; a file that names neither
# the option nor its header only with it off.  Then nm
# must show that the option-on probe calls every facility function and
# the option-off probe none, and that the facility's objects define them.
# Exits 77 (skipped) when the header set or fbsd-kcc is missing.
set -eu

kcc=$1
root=$(cd "$2" && pwd)
out=$3
sys=${FBSD_SYS:-$HOME/.cache/freebsd-sys}

if [ ! -f "$sys/SOURCE" ]; then
	echo "SKIPPED: no FreeBSD 15.1 header set for fbsd-kcc at $sys (FBSD_SYS overrides)"
	exit 77
fi
if [ ! -x "$kcc" ]; then
	echo "SKIPPED: no fbsd-kcc at $kcc (set MBUF_TRACE_SHARED_DIR)"
	exit 77
fi

files=$(cd "$root" && find kernel/sys -name '*.[ch]' | sort)
facility="kernel/sys/kern/kern_mbuf_trace.c kernel/sys/net/if_mbuf_trace.c kernel/sys/net/mbuf_trace_select.c"
probe="tests/kernel/fbsd/mtrace_probe.c tests/kernel/fbsd/reason_counters.c"
variants=${FBSD_KCC_VARIANTS:-GENERIC GENERIC-DEBUG GENERIC-NOVIMAGE GENERIC+kmod}
funcs="mbuf_trace_start mbuf_trace_start_socket mbuf_trace_data mbuf_trace_string mbuf_trace_printf mbuf_trace_location mbuf_trace_fate mbuf_trace_end"
status=0

cd "$root"
for option in off on; do
	echo "== options MBUF_TRACE $option"
	extra="" compiled=""
	for f in $files; do
		case " $facility " in
		*" $f "*) [ $option = off ] || compiled="$compiled $f" ;;
		*)
			# A file that names neither the option nor the facility's
			# header (DTrace's copyoutmbuf) compiles the same either
			# way: once, with the option off.
			[ $option = off ] || grep -qE 'MBUF_TRACE|mbuf_trace\.h' "$f" ||
			    continue
			compiled="$compiled $f" ;;
		esac
	done
	[ $option = on ] && extra="-- -DMBUF_TRACE"
	# shellcheck disable=SC2086 # word splitting intended
	FBSD_KCC_OUT="$out/$option" FBSD_KCC_OVERLAY="$root/kernel/sys" \
	    "$kcc" -V "$variants" $compiled $probe $extra || status=1
done

for v in $variants; do
	on=$(nm "$out/on/$v/mtrace_probe.o")
	off=$(nm "$out/off/$v/mtrace_probe.o")
	facility=$(nm "$out/on/$v/kern_mbuf_trace.o" "$out/on/$v/if_mbuf_trace.o" \
	    "$out/on/$v/mbuf_trace_select.o")
	for f in $funcs; do
		echo "$on" | grep -q " U $f\$" ||
		    { echo "FAIL  [$v] option on: the probe does not call $f"; status=1; }
		echo "$facility" | grep -q " T $f\$" ||
		    { echo "FAIL  [$v] option on: the facility does not define $f"; status=1; }
	done
	if echo "$off" | grep -q mbuf_trace; then
		echo "FAIL  [$v] option off: the probe still mentions the facility:"
		echo "$off" | grep mbuf_trace
		status=1
	fi
	echo "nm    [$v] on: probe calls $(echo "$on" | grep -c ' U mbuf_trace_') facility functions;" \
	    "off: $(echo "$off" | grep -c mbuf_trace) mentions"
done
exit $status
