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

status=0
for f in $(find kernel -name '*.[ch]' | sort); do
	if out=$(perl "$script" --color=never --strict -f "$f" 2>&1); then
		echo "ok    $f"
	else
		echo "FAIL  $f"
		echo "$out" | grep -v 'highly experimental' | grep -v '^$'
		status=1
	fi
done
exit $status
