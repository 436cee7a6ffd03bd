#!/bin/sh
#
# integrate-select.sh - tests of the integration part 40-select (-s).
#
# usage: integrate-select.sh TEST PROJECT [FBSD-KCC]
#	TEST	one of the functions named test_* below, without "test_"
#	PROJECT	this checkout
#	FBSD-KCC	the compiler wrapper (compiles_with_fbsd_kcc only)
#
# Every test copies the files the part edits out of the pristine FreeBSD
# 15.1 src tree named by MBUF_TRACE_FREEBSD_SRC (never modified) and exits
# 77 (skipped) when it is not set, as in CI.  Exit 0 is a pass, 1 a failure.
#
set -eu

[ $# -ge 2 ] || { sed -n 's/^# \{0,1\}//; 5,8p' "$0" >&2; exit 2; }
name=$1
project=$(cd "$2" && pwd)
kcc=${3:-}
tool=$project/kernel/tools/mbuf_trace-integrate
work=$(mktemp -d "${TMPDIR:-/tmp}/select-test.XXXXXX")
trap 'rm -rf "$work"' EXIT

fail()
{
	echo "FAIL: $*" >&2
	exit 1
}

src=${MBUF_TRACE_FREEBSD_SRC:-}
if [ -z "$src" ] || [ ! -f "$src/sys/sys/param.h" ]; then
	echo "SKIP: set MBUF_TRACE_FREEBSD_SRC to a pristine FreeBSD 15.1 src tree to run this test"
	exit 77
fi

# tree DIR [OPTIONS...]: copy into DIR the files mbuf_trace-integrate
# OPTIONS (default -p 40-select) would change, as 15.1 has them.
tree()
{
	_t=$1
	shift
	[ $# -gt 0 ] || set -- -p 40-select
	"$tool" -n "$@" "$src" >"$work/plan" || fail "dry run on 15.1: $(cat "$work/plan")"
	mkdir -p "$_t"
	(cd "$src" && tar cf - sys/sys/param.h $(sed -n 's|^--- a/||p' "$work/plan" |
	    sed 's/\t.*//')) | (cd "$_t" && tar xf -)
	chmod -R u+w "$_t"
}

sum()
{
	(cd "$1" && find . -type f -exec cksum {} + | sort)
}

# refuses WHAT FILE SED MESSAGE...: with FILE changed by the sed script SED,
# -s is refused (exit 2) naming every MESSAGE, and the tree is untouched.
refuses()
{
	_what=$1 _file=$2 _sed=$3
	shift 3
	rm -rf "$work/t"
	tree "$work/t"
	sed -e "$_sed" "$work/t/$_file" >"$work/changed"
	! cmp -s "$work/changed" "$work/t/$_file" ||
	    fail "$_what: the sed script '$_sed' does not change $_file"
	cp "$work/changed" "$work/t/$_file"
	_before=$(sum "$work/t")
	set +e
	"$tool" -p 40-select "$work/t" >"$work/out" 2>&1
	_status=$?
	set -e
	[ $_status -eq 2 ] || fail "$_what: exit status $_status: $(cat "$work/out")"
	for _m; do
		grep -qF -- "$_m" "$work/out" ||
		    fail "$_what: no \"$_m\" in: $(cat "$work/out")"
	done
	[ "$(sum "$work/t")" = "$_before" ] || fail "$_what: the tree was changed"
	echo "ok    $_what: $(grep -v 'refusing' "$work/out" | head -1)"
}

# With the default parts too (-s), as a user applies it: a second run of
# both must find nothing to do (two parts inserting next to one line would
# each insert again).
test_applies_to_freebsd_15_1_and_is_idempotent()
{
	tree "$work/t" -s
	"$tool" -s "$work/t" >"$work/out"
	cat "$work/out"
	[ "$(grep -c ': updated ' "$work/out")" -ge 20 ] || fail "fewer files updated than planned"
	"$tool" -s "$work/t" >"$work/again"
	grep -q 'nothing to do' "$work/again" || fail "a second run changed the tree: $(cat "$work/again")"
	"$tool" -n -s "$work/t" >"$work/again"
	grep -q 'nothing to do' "$work/again" || fail "dry run after apply is not empty: $(cat "$work/again")"
	grep -q '^#define	SO_MTRACE	0x00040000	' "$work/t/sys/sys/socket.h" || fail "no SO_MTRACE"
	grep -q '^#define	PROC_MTRACE_CTL		25	' "$work/t/sys/sys/procctl.h" || fail "no PROC_MTRACE_CTL"
	[ "$(grep -c 'case SO_MTRACE:' "$work/t/sys/kern/uipc_socket.c")" -eq 2 ] ||
	    fail "sosetopt() and sogetopt() do not both take SO_MTRACE"
	grep -q '^netgraph/ng_mbuf_trace\.c	optional netgraph_mbuf_trace$' "$work/t/sys/conf/files" ||
	    fail "no conf/files entry"
	cmp -s "$project/kernel/usr.sbin/mtracectl/mtracectl.c" "$work/t/usr.sbin/mtracectl/mtracectl.c" ||
	    fail "mtracectl.c not installed"
}

test_is_applied_only_with_s()
{
	tree "$work/t" -s
	cp "$work/t/sys/sys/socket.h" "$work/socket.h"
	"$tool" "$work/t" >/dev/null
	cmp -s "$work/socket.h" "$work/t/sys/sys/socket.h" ||
	    fail "the default parts changed socket.h"
	[ ! -e "$work/t/usr.sbin/mtracectl" ] || fail "the default parts installed mtracectl"
	"$tool" -s "$work/t" >"$work/out"
	grep -q 'updated sys/sys/socket.h' "$work/out" || fail "-s did not change socket.h: $(cat "$work/out")"
	grep -q 'updated usr.sbin/mtracectl/mtracectl.c' "$work/out" || fail "-s did not install mtracectl"
}

# Each place the part edits, with its anchor changed the way a newer
# FreeBSD might change it: refused, and named.
test_refuses_each_changed_anchor()
{
	refuses "SO_MTRACE's place" sys/sys/socket.h \
	    's|/\* keep track of receive errors \*/|/* receive errors */|' \
	    'sys/sys/socket.h: no line matches "^#define[[:space:]]+SO_RERROR'
	refuses "socreate()" sys/kern/uipc_socket.c 's/so->so_proto = prp;/so->so_proto = pr;/' \
	    'sys/kern/uipc_socket.c: socreate(): no line matches "^	so->so_proto = prp;$"'
	refuses "solisten_clone()'s inherited options" sys/kern/uipc_socket.c \
	    's/SO_LINGER | SO_OOBINLINE | SO_NOSIGPIPE);/SO_LINGER | SO_NOSIGPIPE);/' \
	    'sys/kern/uipc_socket.c: solisten_clone(): no line'
	refuses "sosetopt() and sogetopt()" sys/kern/uipc_socket.c '/case SO_RERROR:/d' \
	    'sys/kern/uipc_socket.c: sosetopt(): no line matches "^		case SO_RERROR:$"' \
	    'sys/kern/uipc_socket.c: sogetopt(): no line matches "^		case SO_RERROR:$"'
	refuses "tcp_input()'s socket" sys/netinet/tcp_input.c \
	    's/KASSERT(so != NULL, ("%s: so == NULL", __func__));/MPASS(so != NULL);/' \
	    'sys/netinet/tcp_input.c: tcp_input_with_port(): no lines match "^	so = inp->inp_socket;$" then'
	refuses "udp_input()'s socket" sys/netinet/udp_usrreq.c 's/^	if (proto == IPPROTO_UDPLITE)$/	if (proto == IPPROTO_UDPLITE) \/* lite *\//' \
	    'sys/netinet/udp_usrreq.c: udp_input(): no lines match'
	refuses "udp_multi_input()'s socket" sys/netinet/udp_usrreq.c 's/udp_append(/udp_deliver(/' \
	    'sys/netinet/udp_usrreq.c: udp_multi_input(): no line matches'
	refuses "udp6_input()'s socket" sys/netinet6/udp6_usrreq.c 's/udp6_append(/udp6_deliver(/' \
	    'sys/netinet6/udp6_usrreq.c: udp6_input(): no line matches' \
	    'sys/netinet6/udp6_usrreq.c: udp6_multi_input(): no line matches'
	refuses "P2_MTRACE's place" sys/sys/proc.h 's/Process is using HWT\./HWT in use./' \
	    'sys/sys/proc.h: no line matches "^#define[[:space:]]+P2_HWT'
	refuses "fork's inherited p_flag2" sys/kern/kern_fork.c 's/P2_LOGSIGEXIT_ENABLE);/P2_LOGSIGEXIT_ENABLE | P2_HWT);/' \
	    'sys/kern/kern_fork.c: do_fork(): no line'
	refuses "procctl.h's commands" sys/sys/procctl.h '/PROC_LOGSIGEXIT/d' \
	    'sys/sys/procctl.h: no line matches "^#define[[:space:]]+PROC_LOGSIGEXIT_STATUS' \
	    'sys/sys/procctl.h: no line matches "^#define[[:space:]]+PROC_LOGSIGEXIT_CTL_FORCE_DISABLE'
	refuses "kern_procctl.c's functions" sys/kern/kern_procctl.c 's/PCTL_SLOCKED/PCTL_SHARED/' \
	    'sys/kern/kern_procctl.c: no lines match "^enum \{$" then "^	PCTL_SLOCKED,$"'
	refuses "kern_procctl.c's command table" sys/kern/kern_procctl.c 's/\.exec = logsigexit_status,/.exec = logsigexit_get,/' \
	    'sys/kern/kern_procctl.c: no line matches "^	      \.exec = logsigexit_status'
	refuses "freebsd32_procctl()" sys/compat/freebsd32/freebsd32_misc.c '/case PROC_LOGSIGEXIT_/d' \
	    'sys/compat/freebsd32/freebsd32_misc.c: freebsd32_procctl(): no line matches "^	case PROC_LOGSIGEXIT_CTL:$"' \
	    'sys/compat/freebsd32/freebsd32_misc.c: freebsd32_procctl(): no line matches "^	case PROC_LOGSIGEXIT_STATUS:$"'
	refuses "pf_tag2tagname()" sys/netpfil/pf/pf_ioctl.c 's/^pf_tag2tagname(uint16_t tag)$/pf_tag2tagname(u_int16_t tag)/' \
	    'sys/netpfil/pf/pf_ioctl.c: no lines match "^static const char \*$" then "^pf_tag2tagname\(uint16_t tag\)$"'
	refuses "pfvar.h's declaration" sys/net/pfvar.h 's/^uint16_t	pf_tagname2tag(const char \*);$/u_int16_t	pf_tagname2tag(const char *);/' \
	    'sys/net/pfvar.h: no line matches "^uint16_t[[:space:]]+pf_tagname2tag'
	refuses "pf_tag_packet()" sys/netpfil/pf/pf.c 's/pd->pf_mtag->tag = tag;/pd->pf_mtag->tag = (uint16_t)tag;/' \
	    'sys/netpfil/pf/pf.c: pf_tag_packet(): no line matches "^	pd->pf_mtag->tag = tag;$"'
	refuses "conf/options' netgraph list" sys/conf/options '/^NETGRAPH_LMI/d' \
	    'sys/conf/options: no line matches "^NETGRAPH_LMI'
	refuses "NOTES' netgraph list" sys/conf/NOTES '/NETGRAPH_LMI/d' \
	    'sys/conf/NOTES: no line matches "^options[[:space:]]+NETGRAPH_LMI$"'
	refuses "the netgraph modules' SUBDIR" sys/modules/netgraph/Makefile '/^	macfilter \\$/d' \
	    'sys/modules/netgraph/Makefile: no line matches "^	macfilter \\$"'
	refuses "usr.sbin's SUBDIR" usr.sbin/Makefile '/^	mtest \\$/d' \
	    'usr.sbin/Makefile: no line matches "^	mtest \\$"'
}

# A value the part takes, taken already by the tree: refused, not doubled.
test_refuses_a_taken_number()
{
	refuses "so_options bit 0x00040000 taken" sys/sys/socket.h \
	    '/^#define	SO_RERROR/a\
#define	SO_NEWER	0x00040000	/* taken */' \
	    'sys/sys/socket.h: SO_MTRACE takes so_options bit 0x00040000, but it is taken'
	refuses "p_flag2 bit 0x04000000 taken" sys/sys/proc.h \
	    '/^#define	P2_HWT/a\
#define	P2_NEWER		0x04000000' \
	    'sys/sys/proc.h: P2_MTRACE takes p_flag2 bit 0x04000000, but it is taken'
	refuses "procctl command 25 taken" sys/sys/procctl.h \
	    '/^#define	PROC_LOGSIGEXIT_STATUS/a\
#define	PROC_NEWER_CTL		25' \
	    'sys/sys/procctl.h: PROC_MTRACE_CTL and PROC_MTRACE_STATUS take procctl commands 25 and 26, but one is taken'
}

# The integrated files compile against real FreeBSD 15.1 headers (fbsd-kcc,
# the kernel's flags, warnings are errors), with options MBUF_TRACE off
# and on: INVARIANTS/WITNESS, and as modules (pf and netgraph are modules
# in GENERIC).  The tree is the whole integration, -s included: every file
# it instruments, so that a record on the wrong mbuf or a reason the table
# lacks fails here (with the option off too: the calls type-check).
test_compiles_with_fbsd_kcc()
{
	sys=${FBSD_SYS:-$HOME/.cache/freebsd-sys}
	if [ ! -f "$sys/SOURCE" ] || [ -z "$kcc" ] || [ ! -x "$kcc" ]; then
		echo "SKIP: no fbsd-kcc (MBUF_TRACE_SHARED_DIR) or no header set at $sys"
		exit 77
	fi
	tree "$work/t" -s
	"$tool" -s "$work/t" >/dev/null
	# The selection's files, and every file the trace points and the
	# fates instrument ("f=" lines) that the tool edited (copied into the
	# tree: one with mt_skip lines alone is not).
	files="kern/uipc_socket.c kern/kern_fork.c kern/kern_procctl.c
	    compat/freebsd32/freebsd32_misc.c netpfil/pf/pf_ioctl.c
	    netgraph/ng_mbuf_trace.c $(sed -n 's/^f=sys\/\([^ ]*\)$/\1/p' \
	    "$project"/kernel/tools/integrate.d/20-instrument.sh \
	    "$project"/kernel/tools/integrate.d/fates/*.sh | sort -u)"
	status=0
	for option in off on; do
		extra=
		[ $option = on ] && extra="-- -DMBUF_TRACE"
		# shellcheck disable=SC2086 # word splitting intended
		FBSD_KCC_OUT="$work/o-$option" FBSD_KCC_OVERLAY="$work/t/sys" \
		    "$kcc" -V "${FBSD_KCC_VARIANTS:-GENERIC-DEBUG GENERIC+kmod}" \
		    $(for f in $files; do [ ! -f "$work/t/sys/$f" ] || echo "$work/t/sys/$f"; done) $extra ||
		    status=1
	done
	[ $status -eq 0 ] || fail "fbsd-kcc reported errors or warnings"
	# With the option, pf calls the facility; without it, nothing.
	nm "$work/o-on/GENERIC+kmod/pf.o" | grep -q ' U mbuf_trace_pf_tagged$' ||
	    fail "option on: pf.o does not call mbuf_trace_pf_tagged"
	! nm "$work/o-off/GENERIC+kmod/pf.o" | grep -q mbuf_trace ||
	    fail "option off: pf.o still mentions the facility"
	nm "$work/o-on/GENERIC+kmod/tcp_input.o" | grep -q ' U mbuf_trace_start_socket$' ||
	    fail "option on: tcp_input.o does not start socket traces"
}

type "test_$name" >/dev/null 2>&1 || fail "no test $name"
"test_$name"
echo "ok"
