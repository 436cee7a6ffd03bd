#!/bin/sh
#
# checkstyle9.sh - ctest style.kernel_is_clean_under_checkstyle9.
#
# usage: checkstyle9.sh REPO-ROOT
#
# kernel/ is formatted by hand to style(9) (kernel/.clang-format says why);
# every C file and header under it must pass FreeBSD's own checker,
# tools/build/checkstyle9.pl, with no error and no warning (--strict).  The
# checker is FreeBSD's and is not copied here: it is taken from the FreeBSD
# src tree in $MBUF_TRACE_FREEBSD_SRC (the one the integration tests use),
# and the test is skipped (exit 77), saying so, without one.
set -eu

cd "$1"
script=${MBUF_TRACE_FREEBSD_SRC:-}/tools/build/checkstyle9.pl
if [ -z "${MBUF_TRACE_FREEBSD_SRC:-}" ] || [ ! -f "$script" ]; then
	echo "SKIPPED: set MBUF_TRACE_FREEBSD_SRC to a FreeBSD src tree to check kernel/ with its tools/build/checkstyle9.pl"
	exit 77
fi

# One report is not style(9)'s but the checker's, from Linux's checkpatch:
# "Macros with complex values should be enclosed in parenthesis" on the
# entry macros of an X-macro table (MTRACE_RECORD_TYPES, MTRACE_REASONS),
# whose value is an initialiser or enumerator ending in "," that no
# parenthesis can hold.  Those reports are dropped, and only those: a
# report whose macro does not end in "," still fails.
status=0
for f in $(find kernel -name '*.[ch]' | sort); do
	out=$(perl "$script" --color=never --strict -f "$f" 2>&1 |
	    awk 'BEGIN { RS = ""; ORS = "\n\n" }
		/highly experimental/ || /^total: / || /no obvious style problems/ { next }
		/^ERROR: Macros with complex values/ && /,\n*$/ { next }
		{ print }')
	if [ -z "$(printf '%s' "$out" | tr -d '[:space:]')" ]; then
		echo "ok    $f"
	else
		echo "FAIL  $f"
		printf '%s\n' "$out"
		status=1
	fi
done
exit $status
