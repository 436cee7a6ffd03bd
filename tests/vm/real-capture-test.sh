#!/bin/sh
# real-capture-test.sh CHECK_SH PROJECT PLUGIN DIR: vm.d/check.sh on the
# results of a real VM run (examples/freebsd-15.1-vm), in a scratch copy,
# since check.sh writes its own outputs next to them.
set -eu
check=$1 project=$2 plugin=$3 dir=$4
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mbuf_trace-vm-check.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cp "$dir"/trace.pcap "$dir"/sysctl.txt "$dir"/tcp-received.txt \
    "$dir"/jail-ifconfig.txt "$tmp"/
# The ddb session and dtrace's output, checked when the run had them.
for f in ddb.txt copyoutmbuf-0.txt copyoutmbuf-0.err copyoutmbuf-20.txt \
    copyoutmbuf-20.err; do
	[ ! -f "$dir/$f" ] || cp "$dir/$f" "$tmp"/
done
MTVM_OUT=$tmp MTVM_PLUGIN=$plugin MTVM_PROJECT=$project sh "$check"
