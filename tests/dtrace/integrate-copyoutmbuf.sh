#!/bin/sh
#
# integrate-copyoutmbuf.sh - tests of the integration part 30-copyoutmbuf.
#
# usage: integrate-copyoutmbuf.sh TEST KERNELDIR
#	TEST		one of the functions named test_* below, without "test_"
#	KERNELDIR	the project's kernel/ (tools/ and sys/ of this checkout)
#
# The tests on a real tree copy the files the part edits out of the pristine
# FreeBSD 15.1 src tree named by MBUF_TRACE_FREEBSD_SRC and exit 77 (skipped)
# when it is not set.  Exit status 0 is a pass, 1 a failure.
#
set -eu

[ $# -eq 2 ] || { sed -n 's/^# \{0,1\}//; 5,7p' "$0" >&2; exit 2; }
name=$1
kernel=$(cd "$2" && pwd)
tool=$kernel/tools/mbuf_trace-integrate
work=$(mktemp -d "${TMPDIR:-/tmp}/copyoutmbuf-test.XXXXXX")
trap 'rm -rf "$work"' EXIT
tab=$(printf '\t')

dtrace_h=sys/cddl/contrib/opensolaris/uts/common/sys/dtrace.h
dtrace_c=sys/cddl/contrib/opensolaris/uts/common/dtrace/dtrace.c
dt_open=cddl/contrib/opensolaris/lib/libdtrace/common/dt_open.c
tst_subr=cddl/contrib/opensolaris/cmd/dtrace/test/tst/common/aggs/tst.subr.d
edited="$dtrace_h $dtrace_c $dt_open $tst_subr"
installed="sys/cddl/dev/dtrace/dtrace_mbuf.h sys/cddl/dev/dtrace/dtrace_mbuf.c"

fail()
{
	echo "FAIL: $*" >&2
	exit 1
}

integrate()
{
	"$tool" "$@"
}

# Copies what the part reads from the FreeBSD tree in MBUF_TRACE_FREEBSD_SRC
# to tree $1.
real_tree()
{
	src=${MBUF_TRACE_FREEBSD_SRC:-}
	if [ -z "$src" ]; then
		echo "SKIP: set MBUF_TRACE_FREEBSD_SRC to a pristine FreeBSD 15.1 src tree to run this test"
		exit 77
	fi
	for f in sys/sys/param.h $edited; do
		[ -f "$src/$f" ] || fail "$src/$f: no such file; MBUF_TRACE_FREEBSD_SRC must be a FreeBSD 15.1 src tree"
		mkdir -p "$1/${f%/*}"
		cp "$src/$f" "$1/$f"
	done
}

# Writes to tree $1 a FreeBSD look-alike that has only the lines the part
# anchors on, with dtrace.h's last subroutines given by the remaining
# arguments (lines of text).
synthetic_tree()
{
	t=$1
	shift
	for f in sys/sys/param.h $edited; do
		mkdir -p "$t/${f%/*}"
	done
	echo '#define __FreeBSD_version 1501000' >"$t/sys/sys/param.h"
	printf '%s\n' '/* synthetic: the lines 30-copyoutmbuf looks for */' "$@" \
	    >"$t/$dtrace_h"
	printf '#include "dtrace_cddl.h"\n\nstatic void\n%s\n' \
	    'dtrace_dif_subr(uint_t subr)' >"$t/$dtrace_c"
	printf '{\n\tswitch (subr) {\n\tcase DIF_SUBR_PROGENYOF: {\n\t\tbreak;\n' \
	    >>"$t/$dtrace_c"
	printf '\t}\n\t}\n}\n\n#include <dtrace_hacks.c>\n' >>"$t/$dtrace_c"
	printf '%s\n\t%s\n' \
	    '{ "copyout", DT_IDENT_FUNC, 0, DIF_SUBR_COPYOUT, DT_ATTR_STABCMN, DT_VERS_1_0,' \
	    '&dt_idops_func, "void(void *, uintptr_t, size_t)" },' >"$t/$dt_open"
	echo 'STRFUNC(json("{\"systemtap\": false}", "systemtap"))' >"$t/$tst_subr"
}

last_subrs_of_15_1()
{
	printf '#define\tDIF_SUBR_STRTOLL\t\t53\n'
	printf '#define\tDIF_SUBR_MAX\t\t\t53\t/* max subroutine value */\n'
}

# Tree $1 has every change of the part, and pristine tree $2 differs from it
# only by them.
assert_applied()
{
	for f in $installed; do
		cmp -s "$kernel/$f" "$1/$f" || fail "$f was not installed from kernel/$f"
	done
	grep -qx "#define${tab}DIF_SUBR_COPYOUTMBUF${tab}${tab}54" "$1/$dtrace_h" ||
	    fail "$dtrace_h: no DIF_SUBR_COPYOUTMBUF 54"
	grep -q "^#define${tab}DIF_SUBR_MAX${tab}*54${tab}" "$1/$dtrace_h" ||
	    fail "$dtrace_h: DIF_SUBR_MAX is not 54"
	grep -qx '#include "dtrace_mbuf.h"' "$1/$dtrace_c" ||
	    fail "$dtrace_c: dtrace_mbuf.h not included"
	grep -qx '#include <dtrace_mbuf.c>' "$1/$dtrace_c" ||
	    fail "$dtrace_c: dtrace_mbuf.c not included"
	awk '/^dtrace_dif_subr\(/ { f = 1 } f && /^}/ { f = 0 }
	    f && /^\tcase DIF_SUBR_COPYOUTMBUF:$/ { n++ } END { exit n != 1 }' \
	    "$1/$dtrace_c" || fail "$dtrace_c: no case DIF_SUBR_COPYOUTMBUF in dtrace_dif_subr()"
	grep -qF '{ "copyoutmbuf", DT_IDENT_FUNC, 0, DIF_SUBR_COPYOUTMBUF,' "$1/$dt_open" ||
	    fail "$dt_open: no copyoutmbuf identifier"
	grep -qF '"void *(struct mbuf *, size_t, [size_t])" },' "$1/$dt_open" ||
	    fail "$dt_open: no copyoutmbuf prototype"
	grep -qx 'INTFUNC(copyoutmbuf(NULL, 1))' "$1/$tst_subr" ||
	    fail "$tst_subr: copyoutmbuf() not counted"
	# Everything else is added: the only line gone is DIF_SUBR_MAX 53.
	gone=$(for f in $edited; do diff "$2/$f" "$1/$f" || true; done | grep '^<' || true)
	[ "$gone" = "$(last_subrs_of_15_1 | sed -n '2s/^/< /p')" ] ||
	    fail "lines other than DIF_SUBR_MAX 53 were removed or changed: $gone"
}

# Applies the part to tree $1 (a copy of pristine tree $2) twice: the
# second run must report nothing to do and change nothing.
apply_twice()
{
	out=$(integrate -p 30-copyoutmbuf "$1") || fail "first run failed: $out"
	printf '%s\n' "$out"
	for f in $installed $edited; do
		printf '%s\n' "$out" | grep -qxF "mbuf_trace-integrate: updated $f" ||
		    fail "first run did not report $f"
	done
	assert_applied "$1" "$2"
	cp -R "$1" "$work/once"
	out=$(integrate -p 30-copyoutmbuf "$1") || fail "second run failed: $out"
	printf '%s\n' "$out"
	printf '%s\n' "$out" | grep -q 'already has every change; nothing to do' ||
	    fail "second run did not say there was nothing to do"
	diff -r "$work/once" "$1" || fail "second run changed the tree"
}

# Refusal: exit status 2, a message naming what is missing, tree untouched.
assert_refused()
{
	cp -R "$1" "$work/before"
	if err=$(integrate -p 30-copyoutmbuf "$1" 2>&1); then
		fail "applied to a tree it should refuse: $err"
	else
		status=$?
	fi
	printf '%s\n' "$err"
	[ $status -eq 2 ] || fail "exit status $status, not 2"
	printf '%s\n' "$err" | grep -qF "$2" || fail "message does not name $2"
	printf '%s\n' "$err" | grep -q 'refusing to change the tree' ||
	    fail "message does not say the tree is left alone"
	diff -r "$work/before" "$1" || fail "a refused run changed the tree"
}

test_applies_idempotently()
{
	real_tree "$work/pristine"
	cp -R "$work/pristine" "$work/tree"
	apply_twice "$work/tree" "$work/pristine"
}

test_dry_run_changes_nothing()
{
	real_tree "$work/tree"
	cp -R "$work/tree" "$work/before"
	out=$(integrate -n -p 30-copyoutmbuf "$work/tree") || fail "dry run failed: $out"
	printf '%s\n' "$out"
	diff -r "$work/before" "$work/tree" || fail "the dry run changed the tree"
	for f in $installed; do
		printf '%s\n' "$out" | grep -qxF "new file: $f" || fail "dry run does not list $f"
	done
	for f in $edited; do
		printf '%s\n' "$out" | grep -qxF "+++ b/$f" || fail "dry run shows no diff of $f"
	done
	printf '%s\n' "$out" | grep -qx "+#define${tab}DIF_SUBR_COPYOUTMBUF${tab}${tab}54" ||
	    fail "dry run diff lacks DIF_SUBR_COPYOUTMBUF"
}

# The tool's default parts leave DTrace alone (DIF_SUBR_MAX is its ABI);
# -d adds the subroutine to them.  Dry runs on the real tree.
test_is_applied_only_with_d()
{
	src=${MBUF_TRACE_FREEBSD_SRC:-}
	if [ -z "$src" ]; then
		echo "SKIP: set MBUF_TRACE_FREEBSD_SRC to a pristine FreeBSD 15.1 src tree to run this test"
		exit 77
	fi
	plan=$(integrate -n "$src") || fail "default dry run failed: $plan"
	for f in $installed $edited; do
		if printf '%s\n' "$plan" | grep -qxF -e "new file: $f" -e "+++ b/$f"; then
			fail "the default parts change $f"
		fi
	done
	printf '%s\n' "$plan" | grep -qxF "new file: sys/kern/kern_mbuf_trace.c" ||
	    fail "the default parts do not install the facility"
	plan=$(integrate -n -d "$src") || fail "dry run with -d failed: $plan"
	for f in $installed; do
		printf '%s\n' "$plan" | grep -qxF "new file: $f" || fail "-d does not install $f"
	done
	for f in $edited; do
		printf '%s\n' "$plan" | grep -qxF "+++ b/$f" || fail "-d does not change $f"
	done
	printf '%s\n' "$plan" | grep -qxF "new file: sys/kern/kern_mbuf_trace.c" ||
	    fail "-d leaves the facility out"
	echo "ok: copyoutmbuf() only with -d"
}

test_applies_idempotently_to_a_synthetic_tree()
{
	synthetic_tree "$work/pristine" "$(last_subrs_of_15_1)"
	cp -R "$work/pristine" "$work/tree"
	apply_twice "$work/tree" "$work/pristine"
}

test_refuses_a_tree_where_subroutine_54_is_taken()
{
	synthetic_tree "$work/tree" "$(printf '%s\n' \
	    "#define${tab}DIF_SUBR_STRTOLL${tab}${tab}53" \
	    "#define${tab}DIF_SUBR_NEWER${tab}${tab}54" \
	    "#define${tab}DIF_SUBR_MAX${tab}${tab}${tab}54")"
	assert_refused "$work/tree" 'DIF_SUBR_MAX'
	[ ! -e "$work/tree/sys/cddl/dev/dtrace/dtrace_mbuf.c" ] ||
	    fail "dtrace_mbuf.c installed by a refused run"
}

test_refuses_a_tree_without_its_place_in_dtrace_dif_subr()
{
	synthetic_tree "$work/tree" "$(last_subrs_of_15_1)"
	sed -i.orig 's/DIF_SUBR_PROGENYOF/DIF_SUBR_RENAMED/' "$work/tree/$dtrace_c"
	rm "$work/tree/$dtrace_c.orig"
	assert_refused "$work/tree" 'dtrace_dif_subr(): no line matches'
}

# A file the tool cannot write (here read-only, for a user who is not root)
# is found before anything in the tree changes.
test_a_tree_it_cannot_write_is_left_untouched()
{
	synthetic_tree "$work/tree" "$(last_subrs_of_15_1)"
	chmod a-w "$work/tree/$dt_open"
	if [ "$(id -u)" -eq 0 ]; then
		command -v setpriv >/dev/null || { echo "SKIP: root without setpriv(1)"; exit 77; }
		chown -R nobody "$work"
		integrate()
		{
			setpriv --reuid=nobody --regid=nogroup --clear-groups "$tool" "$@"
		}
	fi
	assert_refused "$work/tree" "cannot write $dt_open"
	[ -z "$(find "$work/tree" -name '*.mbuf_trace-new')" ] || fail "new files left behind"
}

case $name in
applies_idempotently | dry_run_changes_nothing | is_applied_only_with_d | \
    applies_idempotently_to_a_synthetic_tree | a_tree_it_cannot_write_is_left_untouched | \
    refuses_a_tree_where_subroutine_54_is_taken | \
    refuses_a_tree_without_its_place_in_dtrace_dif_subr)
	"test_$name"
	echo "PASS: $name"
	;;
*)
	echo "$0: no test named $name" >&2
	exit 2
	;;
esac
