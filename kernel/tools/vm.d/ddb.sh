# ddb.sh - the host's side of the default scenario's ddb step: types into
# the VM's serial console when the kernel stops at ddb's prompt.
#
# Run by mbuf_trace-vm beside the VM with MTVM_CONSOLE (the console log as
# it grows), MTVM_CONSOLE_IN (a FIFO whose bytes the VM's serial port
# receives) and MTVM_OUT set.  scenario.sh enters ddb with `sysctl
# debug.kdb.enter=1', then jail a pings the host.  Here: at that first
# prompt, a breakpoint on icmp_input() and `continue'; at the breakpoint,
# the echo request is on its way through the host, traced: `show mtrace
# *$rdi' (icmp_input()'s first argument is a pointer to the mbuf pointer),
# then the breakpoint is deleted and the kernel continues.  The ddb session
# goes to $MTVM_OUT/ddb.txt; check.sh checks it.
set -u
console=$MTVM_CONSOLE
in=$MTVM_CONSOLE_IN
out=$MTVM_OUT
# ddb stops at most this long before the responder gives up on it.
wait_max=${MTVM_DDB_WAIT:-600}

# prompts: how many ddb prompts the console has shown.
prompts()
{
	grep -a -o 'db> ' "$console" 2>/dev/null | wc -l
}

# prompt N: wait until the console has shown N prompts.
prompt()
{
	_i=0
	while [ "$(prompts)" -lt "$1" ]; do
		[ $_i -lt $((wait_max * 5)) ] || return 1
		sleep 0.2
		_i=$((_i + 1))
	done
}

# ddb N CMD: at the Nth prompt, type CMD; wait for the next prompt.
ddb()
{
	prompt "$1" || return 1
	printf '%s\r' "$2" >"$in"
	prompt $(($1 + 1))
}

# since N: the console from the Nth prompt on (what ddb printed since).
since()
{
	tr -d '\r' <"$console" | awk -v n="$1" '
	    { c += gsub(/db> /, "&") }
	    c >= n { print }'
}

prompt 1 || exit 1
# No pager: its --More-- would wait for a key.
ddb 1 'set $lines 0' &&
ddb 2 'break icmp_input' &&
ddb 3 'c' &&
ddb 4 'delete icmp_input' &&
ddb 5 'show mtrace *$rdi' || exit 1
since 1 >"$out/ddb.txt"
printf 'c\r' >"$in"
echo 6 >"$out/ddb.prompts"
