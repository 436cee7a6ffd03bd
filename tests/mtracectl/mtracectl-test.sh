#!/bin/sh
#
# mtracectl-test.sh CASE MTRACECTL - one behaviour of mtracectl's filter
# compiler, built on this (non-FreeBSD) system, where only "compile" exists.
#
set -u
case_name=$1
bin=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fail()
{
	echo "FAIL: $*"
	exit 1
}

# section NAME: the instructions of program NAME (ether or ip) in out.
section()
{
	awk -v n="$1" '/^(ether|ip): / { p = $1 == n ":"; next } p' "$work/out"
}

case $case_name in
compiles_a_program_for_each_link_type)
	"$bin" compile 'tcp port 80 and host 192.0.2.1' >"$work/out" 2>"$work/err" ||
	    fail "exit $?: $(cat "$work/err")"
	[ ! -s "$work/err" ] || fail "a warning: $(cat "$work/err")"
	grep -qx 'filter: tcp port 80 and host 192.0.2.1' "$work/out" || fail "no filter text: $(cat "$work/out")"
	# The Ethernet program begins at the ethertype, the IP one at the
	# version nibble: the two link types, each in its place.
	section ether | head -1 | grep -q '^(000) ldh *\[12\]$' ||
	    fail "the ether program does not load the ethertype first: $(section ether | head -1)"
	section ip | head -1 | grep -q '^(000) ldb *\[0\]$' ||
	    fail "the ip program does not load the version first: $(section ip | head -1)"
	for p in ether ip; do
		n=$(sed -n "s/^$p: \([0-9]*\) instructions$/\1/p" "$work/out")
		[ "$n" -gt 4 ] && [ "$n" -eq "$(section $p | grep -c .)" ] ||
		    fail "$p: $n instructions announced, $(section $p | grep -c .) printed"
		section $p | tail -1 | grep -q 'ret *#0$' || fail "$p: does not end rejecting"
	done
	;;
gives_a_link_layer_expression_a_reject_all_ip_program)
	"$bin" compile 'ether broadcast' >"$work/out" 2>"$work/err" || fail "exit $?: $(cat "$work/err")"
	grep -q 'packets without an Ethernet header never match' "$work/err" ||
	    fail "no warning: $(cat "$work/err")"
	grep -qx 'ip: 1 instructions' "$work/out" || fail "ip program: $(cat "$work/out")"
	section ip | grep -q '^(000) ret *#0$' || fail "the ip program accepts: $(section ip)"
	[ "$(section ether | grep -c .)" -gt 1 ] || fail "no ether program"
	;;
refuses_a_bad_or_too_long_expression)
	"$bin" compile 'tcp port' >"$work/out" 2>"$work/err" && fail "a bad expression was taken"
	[ $? -eq 1 ] || fail "exit status not 1"
	grep -q 'filter: .*syntax error' "$work/err" || fail "message: $(cat "$work/err")"
	long="$(printf 'host 192.0.2.1 or %.0s' $(seq 20))host 192.0.2.2"
	[ ${#long} -gt 255 ] || fail "test expression too short"
	"$bin" compile "$long" >"$work/out" 2>"$work/err" && fail "a ${#long}-character expression was taken"
	grep -q 'longer than 255 characters' "$work/err" || fail "message: $(cat "$work/err")"
	;;
offers_only_compile_off_freebsd)
	for args in "" "filter tcp" "start_points off" "exec true"; do
		# shellcheck disable=SC2086 # word splitting intended
		"$bin" $args >"$work/out" 2>"$work/err" && fail "\"mtracectl $args\" succeeded off FreeBSD"
		grep -q '^usage: mtracectl compile expression$' "$work/err" ||
		    fail "\"mtracectl $args\": $(cat "$work/err")"
	done
	;;
*)
	fail "unknown case $case_name"
	;;
esac
echo ok
