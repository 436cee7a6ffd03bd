#!/bin/sh
#
# vm-test.sh TOOL PLUGIN OUTDIR - run mbuf_trace-vm on $MBUF_TRACE_VM_SRC;
# exit 77 (skipped) with the reason when there is no tree or no qemu.
# Its own variable, not MBUF_TRACE_FREEBSD_SRC: mbuf_trace-vm integrates
# its tree in place, and the other tests keep theirs read-only.
#
set -u
tool=$1
plugin=$2
out=$3
if [ -z "${MBUF_TRACE_VM_SRC:-}" ]; then
	echo "SKIPPED: MBUF_TRACE_VM_SRC is not set (a copy of a FreeBSD 15.1 src tree, which mbuf_trace-vm integrates in place)"
	exit 77
fi
if [ ! -f "$MBUF_TRACE_VM_SRC/sys/sys/param.h" ]; then
	echo "SKIPPED: MBUF_TRACE_VM_SRC=$MBUF_TRACE_VM_SRC is not a FreeBSD src tree"
	exit 77
fi
if ! command -v qemu-system-x86_64 >/dev/null; then
	echo "SKIPPED: qemu-system-x86_64 is not installed"
	exit 77
fi
PLUGIN=$plugin "$tool" "$MBUF_TRACE_VM_SRC" "$out"
status=$?
cat "$out/check.log"
exit $status
