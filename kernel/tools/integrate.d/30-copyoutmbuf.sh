# 30-copyoutmbuf.sh - the D subroutine copyoutmbuf() (OpenDTrace RFD 1).
#
# Not a default part: mbuf_trace-integrate applies it only with -d (or -p
# 30-copyoutmbuf), because a new subroutine number is a DTrace ABI change.
#
# Installs the chain walk (sys/cddl/dev/dtrace/dtrace_mbuf.[ch], where
# dtrace.c finds its FreeBSD glue: both the kernel and the module build
# search that directory), gives it the next free DIF subroutine number, 54,
# and registers it everywhere a subroutine is known:
#	sys/dtrace.h	DIF_SUBR_COPYOUTMBUF; DIF_SUBR_MAX 53 -> 54 (libdtrace's
#			dt_names.c is generated from these lines)
#	dtrace.c	the case in dtrace_dif_subr(), the header, the file
#	dt_open.c	the D prototype
#	tst.subr.d	DTrace's own test that every subroutine is counted
# It is deliberately not in dtrace_difo_validate_helper()'s list: helpers
# come from user processes and must not read kernel memory.

mt_dtrace_h=sys/cddl/contrib/opensolaris/uts/common/sys/dtrace.h
mt_dtrace_c=sys/cddl/contrib/opensolaris/uts/common/dtrace/dtrace.c
mt_dt_open=cddl/contrib/opensolaris/lib/libdtrace/common/dt_open.c
mt_tst_subr=cddl/contrib/opensolaris/cmd/dtrace/test/tst/common/aggs/tst.subr.d

mt_install sys/cddl/dev/dtrace/dtrace_mbuf.h sys/cddl/dev/dtrace/dtrace_mbuf.h
mt_install sys/cddl/dev/dtrace/dtrace_mbuf.c sys/cddl/dev/dtrace/dtrace_mbuf.c

mt_need $mt_dtrace_h \
    '^#define[[:space:]]+DIF_SUBR_(MAX[[:space:]]+53|COPYOUTMBUF[[:space:]]+54)([[:space:]]|$)' \
    "copyoutmbuf takes 54, the next subroutine number after 15.1's last (53), but DIF_SUBR_MAX is not 53 here"
mt_replace $mt_dtrace_h "" \
    '^#define[[:space:]]+DIF_SUBR_MAX[[:space:]]+53([[:space:]]|$)' \
    '#define	DIF_SUBR_MAX			54	/* max subroutine value */'
mt_insert $mt_dtrace_h "" after \
    '^#define[[:space:]]+DIF_SUBR_STRTOLL[[:space:]]+53$' \
    '#define	DIF_SUBR_COPYOUTMBUF		54'

mt_insert $mt_dtrace_c "" after '^#include "dtrace_cddl\.h"$' \
    '#include "dtrace_mbuf.h"'
mt_insert $mt_dtrace_c dtrace_dif_subr before \
    '^	case DIF_SUBR_PROGENYOF: [{]$' \
    '	case DIF_SUBR_COPYOUTMBUF:
		/*
		 * copyoutmbuf(m, length[, offset]), in dtrace_mbuf.c.  Like
		 * ddi_pathname() it chases kernel pointers, so it is only for
		 * consumers that may read kernel memory.
		 */
		if ((mstate->dtms_access & DTRACE_ACCESS_KERNEL) == 0) {
			*flags |= CPU_DTRACE_KPRIV;
			*illval = tupregs[0].dttk_value;
			regs[rd] = 0;
			break;
		}
		regs[rd] = dtrace_copyoutmbuf(tupregs[0].dttk_value,
		    tupregs[1].dttk_value, nargs > 2 ? tupregs[2].dttk_value : 0,
		    &mstate->dtms_scratch_ptr,
		    mstate->dtms_scratch_base + mstate->dtms_scratch_size,
		    flags, illval);
		break;
'
mt_insert $mt_dtrace_c "" after '^#include <dtrace_hacks\.c>$' \
    '#include <dtrace_mbuf.c>'

# Kernel-specific, so Evolving like mutex_owned(); D 1.13 is the newest
# version 15.1 knows, and a private 1.14 could clash with upstream's.
mt_insert $mt_dt_open "" after \
    '^[{] "copyout", DT_IDENT_FUNC, 0, DIF_SUBR_COPYOUT, DT_ATTR_STABCMN,
^[[:space:]]+&dt_idops_func, "void[(]void [*], uintptr_t, size_t[)]" [}],$' \
    '{ "copyoutmbuf", DT_IDENT_FUNC, 0, DIF_SUBR_COPYOUTMBUF, DT_ATTR_EVOLCMN,
	DT_VERS_1_13, &dt_idops_func, "void *(struct mbuf *, size_t, [size_t])" },'

mt_insert $mt_tst_subr "" after '^STRFUNC[(]json[(]' \
    'INTFUNC(copyoutmbuf(NULL, 1))'
