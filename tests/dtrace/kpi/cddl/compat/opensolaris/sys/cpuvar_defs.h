/*
 * Stand-in for FreeBSD's cddl/compat/opensolaris/sys/cpuvar_defs.h: the
 * per-CPU DTrace flag bits, with the kernel's values.
 */
#ifndef MBUF_TRACE_TEST_CPUVAR_DEFS_H
#define MBUF_TRACE_TEST_CPUVAR_DEFS_H

#define CPU_DTRACE_NOFAULT   0x0001 /* a safe load is under way */
#define CPU_DTRACE_DROP      0x0002
#define CPU_DTRACE_BADADDR   0x0004 /* fault: bad address */
#define CPU_DTRACE_BADALIGN  0x0008 /* fault: bad alignment */
#define CPU_DTRACE_DIVZERO   0x0010 /* fault: divide by zero */
#define CPU_DTRACE_ILLOP     0x0020 /* fault: illegal operation */
#define CPU_DTRACE_NOSCRATCH 0x0040 /* fault: out of scratch space */
#define CPU_DTRACE_KPRIV     0x0080 /* fault: kernel access not allowed */
#define CPU_DTRACE_UPRIV     0x0100 /* fault: user access not allowed */
#define CPU_DTRACE_TUPOFLOW  0x0200 /* fault: tuple stack overflow */
#define CPU_DTRACE_BADSTACK  0x1000 /* fault: bad stack */

#define CPU_DTRACE_FAULT                                                                           \
    (CPU_DTRACE_BADADDR | CPU_DTRACE_BADALIGN | CPU_DTRACE_DIVZERO | CPU_DTRACE_ILLOP |            \
     CPU_DTRACE_NOSCRATCH | CPU_DTRACE_KPRIV | CPU_DTRACE_UPRIV | CPU_DTRACE_TUPOFLOW |            \
     CPU_DTRACE_BADSTACK)

#endif
