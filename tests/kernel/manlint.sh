#!/bin/sh
#
# manlint.sh - ctest kernel.man_pages_are_clean_under_mandoc_lint.
#
# usage: manlint.sh PAGE...
#
# mandoc -Tlint at every level, style included.  The only messages let
# through are about cross-references to pages this system does not have
# (bpf(4), vnet(9), ...: FreeBSD's, not Linux's).  Exits 77 (skipped)
# without mandoc.
set -eu
command -v mandoc >/dev/null || { echo "SKIPPED: mandoc is not installed"; exit 77; }
status=0
for page in "$@"; do
	msgs=$(mandoc -Tlint "$page" 2>&1 |
	    grep -v -e 'referenced manual not found' -e 'mandoc\.db' || true)
	if [ -n "$msgs" ]; then
		echo "$msgs"
		status=1
	else
		echo "ok    $page"
	fi
done
exit $status
