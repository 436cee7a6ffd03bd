#!/bin/sh
#
# wireshark_checkers.sh - ctest style.plugin_is_clean_under_wireshark_checkers.
#
# usage: wireshark_checkers.sh REPO-ROOT
#
# The checks Wireshark runs on its own dissectors, on the plugin's sources:
#   tools/checkAPIs.pl              prohibited and deprecated APIs (and, for
#                                   dissectors, exit/assert and printf), hf and
#                                   value_string arrays, shadowed names;
#   tools/checkhf.pl                hf_ variables declared, registered, used;
#   tools/checkfiltername.pl        field and expert item names;
#   tools/check_typed_item_calls.py each proto_tree_add_*() call fits its
#                                   item's type, mask and label.
# The checkers are Wireshark's and are not copied here: they are taken from
# the Wireshark source tree in $MBUF_TRACE_WIRESHARK_SRC, and the test is
# skipped (exit 77), saying so, without one. They exit 0 on warnings, so any
# finding they print fails the test.
set -eu

cd "$1"
src=${MBUF_TRACE_WIRESHARK_SRC:-}
if [ -z "$src" ] || [ ! -f "$src/tools/checkAPIs.pl" ]; then
	echo "SKIPPED: set MBUF_TRACE_WIRESHARK_SRC to a Wireshark source tree to run its tools/checkAPIs.pl, checkhf.pl, checkfiltername.pl and check_typed_item_calls.py on the plugin"
	exit 77
fi

dir=plugins/epan/mbuf_trace
status=0
report() { # NAME OUTPUT: the output is the checker's findings
	if [ -z "$2" ]; then
		echo "ok    $1"
	else
		echo "FAIL  $1"
		echo "$2"
		status=1
	fi
}

report checkAPIs.pl "$(perl "$src/tools/checkAPIs.pl" -g dissectors-prohibited \
    -g dissectors-restricted "$dir"/*.c 2>&1)"
for checker in checkhf.pl checkfiltername.pl; do
	if [ -f "$src/tools/$checker" ]; then
		report $checker "$(perl "$src/tools/$checker" "$dir"/*.c 2>&1)"
	else
		echo "not run: $checker (not in $src/tools)"
	fi
done
# It prints its progress and a count; only other lines are findings.
if [ -f "$src/tools/check_typed_item_calls.py" ]; then
	out=$(python3 "$src/tools/check_typed_item_calls.py" --folder "$dir" --mask --label \
	    --consecutive --missing-items 2>&1; echo "exit status $?")
	report check_typed_item_calls.py "$(echo "$out" | grep -v -e '^Looking for files in ' \
	    -e '^Examining:$' -e '^All dissector modules$' -e '^$' -e '^0 warnings$' \
	    -e '^exit status 0$')"
else
	echo "not run: check_typed_item_calls.py (not in $src/tools)"
fi
exit $status
