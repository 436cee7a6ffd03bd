/*
 * Stand-in for DTrace's safe loads (dtrace_load8/32/64 in dtrace.c) and
 * the per-CPU fault state they report to.
 *
 * In the kernel a load from a bad address traps, and DTrace's trap handler
 * turns the trap into CPU_DTRACE_BADADDR with the address in the CPU's
 * illegal-value slot; the load returns 0.  Here an address is "good" only
 * inside a range a test mapped with safe_loads_map(), so every bad pointer a
 * walk could follow becomes that same fault instead of a crash, and a read a
 * byte past what a test mapped is caught.
 */
#ifndef MBUF_TRACE_TEST_SAFE_LOADS_H
#define MBUF_TRACE_TEST_SAFE_LOADS_H

#include <stddef.h>
#include <stdint.h>

/* cpu_core[curcpu].cpuc_dtrace_flags and .cpuc_dtrace_illval */
extern volatile uint16_t safe_loads_flags;
extern volatile uintptr_t safe_loads_illval;

/* What the walk did, for tests that check it stopped in time. */
struct safe_loads_stats {
    unsigned loads;             /* safe loads made */
    unsigned loads_after_fault; /* ... while a fault was already set */
    uintptr_t lowest;           /* lowest address loaded from */
};
extern struct safe_loads_stats safe_loads_stats;

/* Forget every mapping, clear the fault state and the statistics. */
void safe_loads_reset(void);

/* Make len bytes at base readable. */
void safe_loads_map(const void *base, size_t len);

uint8_t dtrace_load8(uintptr_t addr);
uint32_t dtrace_load32(uintptr_t addr);
uint64_t dtrace_load64(uintptr_t addr);

#endif
