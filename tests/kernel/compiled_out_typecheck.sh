#!/bin/sh
#
# compiled_out_typecheck.sh CC SOURCE_DIR - without options MBUF_TRACE, a
# call whose arguments do not fit the facility's prototypes must fail to
# build, as it does with the option on: instrumentation cannot rot unseen
# in kernels that leave it out.  Each snippet below must fail to compile;
# a valid one, first, must compile (else the check proves nothing).
set -eu
cc=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# try NAME BODY: compile BODY in a function of an mbuf m, without the option.
try()
{
	cat >"$tmp/$1.c" <<CODE
#include <sys/param.h>
#include <sys/mbuf.h>
#include <sys/mbuf_trace.h>
void probe(struct mbuf *m);
void
probe(struct mbuf *m)
{
	$2;
}
CODE
	"$cc" -std=gnu11 -fsyntax-only -Wall -Werror -D_KERNEL -I"$src/kpi/include" \
	    -I"$src/kernel/sys" "$tmp/$1.c" >"$tmp/$1.log" 2>&1
}

status=0
if ! try valid 'mtrace_static(m, "x"); mtrace_drop(m, PF_MEMORY); mtrace_printf(m, "%d", 1)'; then
	echo "FAIL: a valid call does not compile:"
	cat "$tmp/valid.log"
	exit 1
fi
while IFS='|' read -r what body; do
	if try bad "$body"; then
		echo "FAIL: compiles without the option: $what: $body"
		status=1
	else
		echo "ok: refused: $what"
	fi
done <<'CASES'
not an expression|mtrace_static(m, 42 +)
not a string|mtrace_static(m, 42)
not an mbuf|mtrace_enter(42)
an undeclared name|mtrace_data(no_such_mbuf)
a printf format and its arguments|mtrace_printf(m, "%s", 42)
a reason that does not exist|mtrace_drop(m, NO_SUCH_REASON)
a reason that is no drop|mtrace_drop(m, SENT)
a fate that is no reason|mtrace_fate(m, 42)
not an interface|mtrace_sent(m, "vtnet0")
CASES
exit $status
