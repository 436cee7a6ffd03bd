# 40-select.sh - what the selection sources of mbuf_trace(4) need outside
# the facility: the socket option, the process flag, pf's hook, the
# netgraph node, and mtracectl(8).
#
# Not a default part: mbuf_trace-integrate applies it only with -s (or -p
# 40-select), because it changes public interfaces a FreeBSD release may
# assign differently: SO_MTRACE takes a so_options bit (0x00040000, the next
# free one in 15.1) and PROC_MTRACE_CTL/PROC_MTRACE_STATUS take procctl(2)
# commands 25 and 26.  Without it the facility still selects by start
# point, interface group and filter.
#
#	sys/socket.h	SO_MTRACE
#	uipc_socket.c	sosetopt()/sogetopt() take it like the other boolean
#			SOL_SOCKET options; a socket created by a process
#			with P2_MTRACE has it (socreate()); an accepted
#			socket inherits it from the listener
#			(solisten_clone())
#	tcp_input.c, udp_usrreq.c, udp6_usrreq.c
#			an arriving packet's trace starts once the PCB
#			lookup has found a socket with SO_MTRACE
#	sys/proc.h	P2_MTRACE, inherited by fork (kern_fork.c)
#	procctl.h, kern_procctl.c, freebsd32_misc.c
#			PROC_MTRACE_CTL, PROC_MTRACE_STATUS
#	pf.c		a packet pf tags is offered to the facility with the
#			tag's name (pf_ioctl.c's pf_tag2tagname(), made
#			global), only while someone listens on mbuf_trace
#	ng_mbuf_trace.c	the netgraph node type mbuf_trace, its option
#			NETGRAPH_MBUF_TRACE and its module
#	mtracectl(8)	usr.sbin/mtracectl, in usr.sbin/Makefile's SUBDIR

# mt_free FILE ERE EXCEPT WHY: refuse if a line of FILE matches ERE and
# not EXCEPT (a value this part takes is taken already).
mt_free()
{
	mt_stage_file "$1"
	! grep -E -- "$2" "$mt_stage/$1" | grep -qvE -- "$3" ||
	    mt_missed "$1: $4 (a line matches \"$2\")"
}

# --- the socket option -------------------------------------------------------
f=sys/sys/socket.h
mt_free $f '^#define[[:space:]]+SO_[A-Z_]+[[:space:]]+0x00040000' SO_MTRACE \
    "SO_MTRACE takes so_options bit 0x00040000, but it is taken"
mt_insert $f "" after \
    '^#define[[:space:]]+SO_RERROR[[:space:]]+0x00020000[[:space:]]+/\* keep track of receive errors \*/$' \
    "#define${T}SO_MTRACE${T}0x00040000${T}/* mbuf_trace(4) selects its packets */"

f=sys/kern/uipc_socket.c
mt_insert $f socreate after '^	so->so_proto = prp;$' \
"${T}if ((td->td_proc->p_flag2 & P2_MTRACE) != 0)
${T}${T}so->so_options |= SO_MTRACE;"
mt_replace $f solisten_clone \
    '^	    SO_DONTROUTE \| SO_LINGER \| SO_OOBINLINE \| SO_NOSIGPIPE\);$' \
    "${T}    SO_DONTROUTE | SO_LINGER | SO_OOBINLINE | SO_NOSIGPIPE | SO_MTRACE);"
mt_insert $f sosetopt after '^		case SO_RERROR:$' "${T}${T}case SO_MTRACE:"
mt_insert $f sogetopt after '^		case SO_RERROR:$' "${T}${T}case SO_MTRACE:"

# Incoming packets: where the PCB lookup has found the socket, at the IP
# header.  UDP's multicast and broadcast deliveries start each copy's trace.
f=sys/netinet/tcp_input.c
mt_insert $f "" after '^#include <sys/mbuf\.h>$' '#include <sys/mbuf_trace.h>'
mt_insert $f tcp_input_with_port after \
    '^	so = inp->inp_socket;$
^	KASSERT\(so != NULL, \("%s: so == NULL", __func__\)\);$' \
    "${T}mtrace_start_socket(m, so);"

f=sys/netinet/udp_usrreq.c
mt_insert $f "" after '^#include <sys/mbuf\.h>$' '#include <sys/mbuf_trace.h>'
# Before the probe, not before udp_append(): 20-instrument's mtrace_leave()
# stands there, and two parts inserting before one line would each find
# the other's line in the way on the next run.
mt_insert $f udp_input before '^	if \(proto == IPPROTO_UDPLITE\)$
^		UDPLITE_PROBE\(receive, NULL, inp, ip, inp, uh\);$' \
    "${T}mtrace_start_socket(m, inp->inp_socket);"
mt_insert $f udp_multi_input before \
    '^			if \(udp_append\(inp, ip, n, sizeof\(struct ip\), udp_in\)\) \{$' \
    "${T}${T}${T}mtrace_start_socket(n, inp->inp_socket);"

f=sys/netinet6/udp6_usrreq.c
mt_insert $f "" after '^#include <sys/mbuf\.h>$' '#include <sys/mbuf_trace.h>'
mt_insert $f udp6_input before '^	if \(udp6_append\(inp, m, off, fromsa\) == 0\)$' \
    "${T}mtrace_start_socket(m, inp->inp_socket);"
mt_insert $f udp6_multi_input before \
    '^			if \(udp6_append\(inp, n, off, fromsa\)\) \{$' \
    "${T}${T}${T}mtrace_start_socket(n, inp->inp_socket);"

# --- the process flag ---------------------------------------------------------
f=sys/sys/proc.h
mt_free $f '^#define[[:space:]]+P2_[A-Z_]+[[:space:]]+0x04000000' P2_MTRACE \
    "P2_MTRACE takes p_flag2 bit 0x04000000, but it is taken"
mt_insert $f "" after '^#define[[:space:]]+P2_HWT[[:space:]]+0x02000000[[:space:]]+/\* Process is using HWT\. \*/$' \
    "#define${T}P2_MTRACE${T}${T}0x04000000${T}/* New sockets get SO_MTRACE. */"

mt_replace sys/kern/kern_fork.c do_fork '^	    P2_LOGSIGEXIT_ENABLE\);$' \
    "${T}    P2_LOGSIGEXIT_ENABLE | P2_MTRACE);"

f=sys/sys/procctl.h
mt_free $f '^#define[[:space:]]+PROC_[A-Z_]+[[:space:]]+2[56]([[:space:]]|$)' PROC_MTRACE_ \
    "PROC_MTRACE_CTL and PROC_MTRACE_STATUS take procctl commands 25 and 26, but one is taken"
mt_insert $f "" after '^#define[[:space:]]+PROC_LOGSIGEXIT_STATUS[[:space:]]+24[[:space:]]' \
"#define${T}PROC_MTRACE_CTL${T}${T}25${T}/* en/dis mbuf_trace(4) of new sockets */
#define${T}PROC_MTRACE_STATUS${T}26${T}/* query mbuf_trace(4) of new sockets */"
mt_insert $f "" after '^#define[[:space:]]+PROC_LOGSIGEXIT_CTL_FORCE_DISABLE[[:space:]]+3$' "
#define${T}PROC_MTRACE_CTL_ENABLE${T}${T}1
#define${T}PROC_MTRACE_CTL_DISABLE${T}${T}2"

f=sys/kern/kern_procctl.c
mt_insert $f "" before '^enum \{$
^	PCTL_SLOCKED,$' \
"static int
mtrace_ctl(struct thread *td, struct proc *p, void *data)
{
${T}PROC_LOCK_ASSERT(p, MA_OWNED);
${T}switch (*(int *)data) {
${T}case PROC_MTRACE_CTL_ENABLE:
${T}${T}p->p_flag2 |= P2_MTRACE;
${T}${T}break;
${T}case PROC_MTRACE_CTL_DISABLE:
${T}${T}p->p_flag2 &= ~P2_MTRACE;
${T}${T}break;
${T}default:
${T}${T}return (EINVAL);
${T}}
${T}return (0);
}

static int
mtrace_status(struct thread *td, struct proc *p, void *data)
{
${T}*(int *)data = (p->p_flag2 & P2_MTRACE) != 0 ?
${T}    PROC_MTRACE_CTL_ENABLE : PROC_MTRACE_CTL_DISABLE;
${T}return (0);
}
"
mt_insert $f "" after '^	      \.exec = logsigexit_status, \.copyout_on_error = false, \},$' \
"${T}[PROC_MTRACE_CTL] =
${T}    { .lock_tree = PCTL_SLOCKED, .one_proc = true,
${T}      .esrch_is_einval = false, .no_nonnull_data = false,
${T}      .need_candebug = true,
${T}      .copyin_sz = sizeof(int), .copyout_sz = 0,
${T}      .exec = mtrace_ctl, .copyout_on_error = false, },
${T}[PROC_MTRACE_STATUS] =
${T}    { .lock_tree = PCTL_UNLOCKED, .one_proc = true,
${T}      .esrch_is_einval = false, .no_nonnull_data = false,
${T}      .need_candebug = false,
${T}      .copyin_sz = 0, .copyout_sz = sizeof(int),
${T}      .exec = mtrace_status, .copyout_on_error = false, },"

f=sys/compat/freebsd32/freebsd32_misc.c
mt_insert $f freebsd32_procctl after '^	case PROC_LOGSIGEXIT_CTL:$' "${T}case PROC_MTRACE_CTL:"
# The status command twice: where its argument is chosen, and copied out.
mt_insert $f freebsd32_procctl after '^	case PROC_LOGSIGEXIT_STATUS:$' "${T}case PROC_MTRACE_STATUS:" 1/2
mt_insert $f freebsd32_procctl after '^	case PROC_LOGSIGEXIT_STATUS:$' "${T}case PROC_MTRACE_STATUS:" 2/2

# --- pf ------------------------------------------------------------------------
# The tag's name is looked up only while someone listens on mbuf_trace.
mt_replace sys/netpfil/pf/pf_ioctl.c "" '^static const char \*$
^pf_tag2tagname\(uint16_t tag\)$' \
'const char *
pf_tag2tagname(uint16_t tag)'
mt_insert sys/net/pfvar.h "" after '^uint16_t[[:space:]]+pf_tagname2tag\(const char \*\);$' \
    "const char${T}*pf_tag2tagname(uint16_t);"
f=sys/netpfil/pf/pf.c
mt_insert $f "" after '^#include <sys/mbuf\.h>$' '#include <sys/mbuf_trace.h>'
mt_insert $f pf_tag_packet after '^	pd->pf_mtag->tag = tag;$' "
#ifdef MBUF_TRACE
${T}if (__predict_false(atomic_load_int(&mbuf_trace_if_readers) != 0)) {
${T}${T}const char *tagname;

${T}${T}if ((tagname = pf_tag2tagname(tag)) != NULL)
${T}${T}${T}mbuf_trace_pf_tagged(pd->m, tagname);
${T}}
#endif"

# --- netgraph -------------------------------------------------------------------
mt_install sys/netgraph/ng_mbuf_trace.c sys/netgraph/ng_mbuf_trace.c
mt_install sys/modules/netgraph/mbuf_trace/Makefile sys/modules/netgraph/mbuf_trace/Makefile
mt_insert_sorted sys/conf/files '^netgraph/' \
    "netgraph/ng_mbuf_trace.c${T}optional netgraph_mbuf_trace"
mt_insert sys/conf/options "" after '^NETGRAPH_LMI[[:space:]]+opt_netgraph\.h$' \
    "NETGRAPH_MBUF_TRACE${T}opt_netgraph.h"
mt_insert sys/conf/NOTES "" after '^options[[:space:]]+NETGRAPH_LMI$' \
    "options ${T}NETGRAPH_MBUF_TRACE"
mt_insert sys/modules/netgraph/Makefile "" after '^	macfilter \\$' "${T}mbuf_trace \\"

# --- mtracectl(8) -----------------------------------------------------------------
mt_install usr.sbin/mtracectl/Makefile usr.sbin/mtracectl/Makefile
mt_install usr.sbin/mtracectl/mtracectl.c usr.sbin/mtracectl/mtracectl.c
mt_install usr.sbin/mtracectl/mtracectl.8 usr.sbin/mtracectl/mtracectl.8
mt_insert usr.sbin/Makefile "" after '^	mtest \\$' "${T}mtracectl \\"
