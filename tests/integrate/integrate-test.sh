#!/bin/sh
#
# integrate-test.sh CASE TOOLS_DIR - one behaviour of mbuf_trace-integrate.
#
# The edit primitives are checked on small synthetic files, the tool's
# refusals on synthetic trees; applying to a real FreeBSD 15.1 tree needs
# one in $MBUF_TRACE_FREEBSD_SRC (never modified: a copy is patched) and
# is skipped (exit 77) without it, as in CI.
#
set -eu
case_name=$1
tools=$2
tool=$tools/mbuf_trace-integrate
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
T='	'

fail()
{
	echo "FAIL: $*"
	exit 1
}

# edit WHERE FUNC ANCHOR TEXT [NTH] < in > out (insert.awk, as the lib runs it)
edit()
{
	MT_FILE=f.c MT_FUNC=$2 MT_WHERE=$1 MT_ANCHOR=$3 MT_TEXT=$4 MT_NTH=${5:-0} \
	    awk -f "$tools/insert.awk"
}

# same WANT GOT: the two files are identical
same()
{
	cmp -s "$1" "$2" || { diff -u "$1" "$2"; fail "unexpected result"; }
}

# edit_twice WANT WHERE FUNC ANCHOR TEXT [NTH]: edit gives WANT, and editing
# WANT again changes nothing.
edit_twice()
{
	want=$1
	shift
	edit "$@" <"$work/in.c" >"$work/once"
	same "$want" "$work/once"
	edit "$@" <"$work/once" >"$work/twice"
	same "$want" "$work/twice"
}

# refused MESSAGE WHERE FUNC ANCHOR TEXT [NTH]: exit 2 and MESSAGE on stderr
refused()
{
	msg=$1
	shift
	if edit "$@" <"$work/in.c" >/dev/null 2>"$work/err"; then
		fail "accepted"
	fi
	grep -qF -- "$msg" "$work/err" || fail "message was: $(cat "$work/err")"
}

# tree_refused MESSAGE TREE [OPTION...]: the tool exits 2 with MESSAGE and
# leaves TREE untouched
tree_refused()
{
	msg=$1 tree=$2
	shift 2
	before=$(cd "$tree" && find . -type f -exec cksum {} + | sort)
	set +e
	"$tool" "$@" "$tree" >"$work/out" 2>&1
	status=$?
	set -e
	[ $status -eq 2 ] || fail "exit status $status: $(cat "$work/out")"
	grep -qF -- "$msg" "$work/out" || fail "message was: $(cat "$work/out")"
	after=$(cd "$tree" && find . -type f -exec cksum {} + | sort)
	[ "$before" = "$after" ] || fail "the tree was changed"
}

freebsd15()
{
	mkdir -p "$1/sys/sys"
	echo '#define __FreeBSD_version 1501000' >"$1/sys/sys/param.h"
}

cat >"$work/in.c" <<'C'
int
other(void)
{
	count++;
}

int
f(struct mbuf *m)
{
	int x;

	count++;
	if (x)
		m_freem(m);
	count++;
}
C

case $case_name in
before_inserts_inside_the_named_function)
	sed '12s/^/	mark();\n/' "$work/in.c" >"$work/want"
	edit_twice "$work/want" before f '^	count\+\+;$' "${T}mark();" 1/2
	;;
after_takes_the_nth_match)
	sed '15s/$/\n	mark();/' "$work/in.c" >"$work/want"
	edit_twice "$work/want" after f '^	count\+\+;$' "${T}mark();" 2/2
	;;
a_changed_count_of_places_is_refused)
	# The second of two places is asked for; a third place appeared
	# (code added above it would shift what "second" means).
	sed '15s/$/\n	count++;/' "$work/in.c" >"$work/three.c"
	mv "$work/three.c" "$work/in.c"
	refused 'f.c: f(): wanted match 2 of 2 places matching "^	count\+\+;$", found 3' \
	    after f '^	count\+\+;$' "${T}mark();" 2/2
	refused 'bad MT_NTH "2": want N/M' after f '^	count\+\+;$' "${T}mark();" 2
	;;
replace_puts_braces_around_a_braceless_if)
	sed -e '13,14d' -e '12a\
	if (x) {\
		mark();\
		m_freem(m);\
	}' "$work/in.c" >"$work/want"
	edit_twice "$work/want" replace f '^	if \(x\)$
^		m_freem\(m\);$' "${T}if (x) {
${T}${T}mark();
${T}${T}m_freem(m);
${T}}"
	;;
sorted_keeps_a_conf_files_list_in_order)
	printf 'kern/a.c\t\tstandard\nkern/c.c\t\toptional c \\\n\tcompile-with "x"\nnet/a.c\t\tstandard\n' >"$work/in.c"
	printf 'kern/a.c\t\tstandard\nkern/b.c\t\toptional b\nkern/c.c\t\toptional c \\\n\tcompile-with "x"\nnet/a.c\t\tstandard\n' >"$work/want"
	edit_twice "$work/want" sorted "" '^kern/' "kern/b.c${T}${T}optional b"
	# Past the last entry: after it and its continuation line.
	printf 'kern/a.c\t\tstandard\nkern/c.c\t\toptional c \\\n\tcompile-with "x"\nkern/d.c\t\toptional d\nnet/a.c\t\tstandard\n' >"$work/want"
	edit_twice "$work/want" sorted "" '^kern/' "kern/d.c${T}${T}optional d"
	;;
a_missing_function_is_refused)
	refused 'f.c: nosuch(): function not found' before nosuch '^x$' y
	;;
a_missing_anchor_is_refused)
	refused 'f.c: f(): no line matches "^	nothere;$"' before f '^	nothere;$' y
	;;
an_ambiguous_anchor_is_refused)
	refused 'f.c: f(): 2 places match "^	count\+\+;$"; the anchor must be unique' \
	    before f '^	count\+\+;$' y
	refused 'wanted match 3 of 3 places matching "^	count\+\+;$", found 2' \
	    before f '^	count\+\+;$' y 3/3
	;;
a_directory_that_is_not_a_freebsd_tree_is_refused)
	mkdir "$work/tree"
	tree_refused "is not a FreeBSD src tree" "$work/tree"
	;;
a_freebsd_14_tree_is_refused)
	mkdir -p "$work/tree/sys/sys"
	echo '#define __FreeBSD_version 1403000' >"$work/tree/sys/sys/param.h"
	tree_refused "this tool knows FreeBSD 15" "$work/tree"
	;;
moved_code_is_refused_and_the_tree_left_untouched)
	# The stack instrumentation on a tree whose ether_input() no longer
	# has the line it anchors on.
	freebsd15 "$work/tree"
	mkdir -p "$work/tree/sys/net"
	cat >"$work/tree/sys/net/if_ethersubr.c" <<'C'
#include <sys/mbuf.h>

static void
ether_input(struct ifnet *ifp, struct mbuf *m)
{
	ether_dispatch_somehow(m);
}
C
	tree_refused 'sys/net/if_ethersubr.c: ether_input(): no line matches' "$work/tree" \
	    -p 20-instrument
	# Every place is named in the one run, not only the first.
	grep -qF 'sys/net/if_ethersubr.c: ether_demux(): function not found' "$work/out" ||
	    fail "only the first place that differs is named: $(cat "$work/out")"
	;;
applies_to_freebsd_15_1_and_is_idempotent)
	src=${MBUF_TRACE_FREEBSD_SRC:-}
	if [ -z "$src" ] || [ ! -f "$src/sys/sys/param.h" ]; then
		echo "SKIP: set MBUF_TRACE_FREEBSD_SRC to a FreeBSD 15.1 src tree (sys/, share/man/) to run this"
		exit 77
	fi
	# The tool's own dry run says which files it would touch; copy those,
	# and the files the drop-site lister reads that it leaves alone (an
	# "f=" with mt_skip lines only).
	"$tool" -n "$src" >"$work/plan"
	mkdir "$work/tree"
	(cd "$src" && sed -n 's|^--- a/||p' "$work/plan" | sed 's/\t.*//' >"$work/files" &&
	    tar cf - sys/sys/param.h $(cat "$work/files") $(sed -n 's/^f=\(sys\/[^ ]*\)$/\1/p' \
	    "$tools"/integrate.d/fates/*.sh | sort -u)) | (cd "$work/tree" && tar xf -)
	chmod -R u+w "$work/tree"
	"$tool" "$work/tree" >"$work/out"
	cat "$work/out"
	changed=$(grep -c ': updated ' "$work/out")
	[ "$changed" -ge "$(wc -l <"$work/files")" ] || fail "fewer files updated than planned"
	"$tool" "$work/tree" >"$work/again"
	grep -q 'already has every change; nothing to do' "$work/again" ||
	    fail "second run changed: $(cat "$work/again")"
	"$tool" -n "$work/tree" | grep -q 'nothing to do' || fail "dry run after apply is not empty"
	# Every drop counter's site records its reason, or its fates file
	# says why not (docs/drops.md).
	"$tools/mbuf_trace-dropsites" "$work/tree" >"$work/sites" ||
	    fail "mbuf_trace-dropsites failed"
	tail -2 "$work/sites"
	missing=$(awk -F'\t' '$5 == "missing" { print $1 ":" $2 " " $3 " " $4 }' "$work/sites")
	[ -z "$missing" ] || fail "drop counter sites without a record or an mt_skip: $missing"
	# Every instrumented file includes the header exactly once.
	for f in $(grep -l 'mtrace' $(cd "$work/tree" && find sys -name '*.c' | sed "s|^|$work/tree/|")); do
		case $f in */kern_mbuf_trace.c|*/if_mbuf_trace.c|*/mbuf_trace_select.c) continue ;; esac
		[ "$(grep -c '^#include <sys/mbuf_trace.h>$' "$f")" -eq 1 ] || fail "$f: header not included once"
	done
	;;
*)
	fail "unknown case $case_name"
	;;
esac
echo "ok"
