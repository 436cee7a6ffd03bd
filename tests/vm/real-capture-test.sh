#!/bin/sh
# real-capture-test.sh CHECK_SH PROJECT PLUGIN DIR: vm.d/check.sh on the
# results of a real VM run (examples/freebsd-15.1-vm), in a scratch copy,
# since check.sh writes its own outputs next to them: every file the run
# brought back (the captures, what the scenario saw, the counters), not
# the run's own check.log and oracle table.
set -eu
check=$1 project=$2 plugin=$3 dir=$4
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mbuf_trace-vm-check.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
for f in "$dir"/*; do
	case ${f##*/} in
	README.md | check.log | drops-oracle.txt) ;;
	*) cp "$f" "$tmp"/ ;;
	esac
done
MTVM_OUT=$tmp MTVM_PLUGIN=$plugin MTVM_PROJECT=$project sh "$check"
