#!/bin/sh
#
# tracepoints-test.sh SRCDIR CASE - the replay tool's table of trace points
# (tools/mbuf_trace-replay/tracepoints.tsv) against the instrumentation.
#
#   covers_instrumentation   every mtrace_*() call that
#	kernel/tools/integrate.d/20-instrument.sh inserts is in the table,
#	with its file, function, kind and text, and the table has no others
#	(no FreeBSD tree needed: the part's edits are replayed into stubs)
#   matches_freebsd_tree     instrumenting the FreeBSD 15.1 tree in
#	$MBUF_TRACE_FREEBSD_SRC (a copy of it) and listing its trace points
#	with kernel/tools/mbuf_trace-tracepoints gives the table byte for
#	byte; skipped (77) without a tree, as in CI
#
set -eu
top=$1
case_name=$2
tools=$top/kernel/tools
table=$top/tools/mbuf_trace-replay/tracepoints.tsv
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fail()
{
	echo "FAIL: $*"
	exit 1
}

case $case_name in
covers_instrumentation)
	# Each insertion of the part becomes a function of a stub source
	# named like the file it edits; tracepoints.awk then reads those.
	mkdir "$work/stubs"
	(
		cd "$work/stubs"
		T='	'
		stub()
		{
			mkdir -p "$(dirname "$1")"
			printf '%s(void)\n{\n%s\n}\n' "${2:-none}" "$3" >>"$1"
		}
		mt_insert() { stub "$1" "$2" "$5"; }
		mt_replace() { stub "$1" "$2" "$4"; }
		mt_include() { :; }
		. "$tools/integrate.d/20-instrument.sh"
	)
	(cd "$work/stubs" && find sys -name '*.c' | LC_ALL=C sort | while IFS= read -r f; do
		awk -v path="$f" -f "$tools/tracepoints.awk" "$f"
	done) | cut -f1,3-5 | LC_ALL=C sort >"$work/want"
	grep -v '^#' "$table" | cut -f1,3-5 | LC_ALL=C sort >"$work/got"
	[ -s "$work/want" ] || fail "no trace points found in 20-instrument.sh"
	diff -u "$work/want" "$work/got" >"$work/diff" || {
		cat "$work/diff"
		fail "the table and 20-instrument.sh differ (+: only in the table);" \
		    "regenerate it with kernel/tools/mbuf_trace-tracepoints"
	}
	echo "ok: $(wc -l <"$work/want") trace points"
	;;
matches_freebsd_tree)
	src=${MBUF_TRACE_FREEBSD_SRC:-}
	if [ -z "$src" ] || [ ! -f "$src/sys/sys/param.h" ]; then
		echo "SKIP: set MBUF_TRACE_FREEBSD_SRC to a FreeBSD 15.1 src tree to run this"
		exit 77
	fi
	parts=10-facility,20-instrument
	"$tools/mbuf_trace-integrate" -n -p $parts "$src" >"$work/plan"
	mkdir "$work/tree"
	(cd "$src" && tar cf - sys/sys/param.h $(sed -n 's|^--- a/||p' "$work/plan" | sed 's/\t.*//')) |
	    (cd "$work/tree" && tar xf -)
	chmod -R u+w "$work/tree"
	"$tools/mbuf_trace-integrate" -p $parts "$work/tree" >/dev/null
	"$tools/mbuf_trace-tracepoints" "$work/tree" >"$work/got"
	diff -u "$table" "$work/got" || fail "the table is not what the tree gives; regenerate it:" \
	    "kernel/tools/mbuf_trace-tracepoints TREE > tools/mbuf_trace-replay/tracepoints.tsv"
	echo "ok: $(grep -vc '^#' "$table") trace points, as in $src"
	;;
*)
	fail "unknown case $case_name"
	;;
esac
