/*
 * Stand-in for DTrace's safe loads: see safe_loads.h.
 */
#include "safe_loads.h"

#include <string.h>

#include <glib.h>

#include <cddl/compat/opensolaris/sys/cpuvar_defs.h>

#define MAX_RANGES 4096

volatile uint16_t safe_loads_flags;
volatile uintptr_t safe_loads_illval;
struct safe_loads_stats safe_loads_stats;

static struct {
    uintptr_t base;
    size_t len;
} ranges[MAX_RANGES];
static size_t nranges;

void
safe_loads_reset(void)
{
    nranges = 0;
    safe_loads_flags = 0;
    safe_loads_illval = 0;
    memset(&safe_loads_stats, 0, sizeof(safe_loads_stats));
    safe_loads_stats.lowest = UINTPTR_MAX;
}

void
safe_loads_map(const void *base, size_t len)
{
    g_assert_cmpuint(nranges, <, MAX_RANGES);
    ranges[nranges].base = (uintptr_t)base;
    ranges[nranges].len = len;
    nranges++;
}

static gboolean
mapped(uintptr_t addr, size_t size)
{
    for (size_t i = 0; i < nranges; i++)
        if (addr >= ranges[i].base && addr - ranges[i].base <= ranges[i].len &&
            size <= ranges[i].len - (addr - ranges[i].base))
            return TRUE;
    return FALSE;
}

/*
 * One safe load, as dtrace.c's DTRACE_LOADFUNC does it: a bad address sets
 * BADADDR and the illegal value and yields 0, and so does any load made
 * while a fault is pending.  Misaligned loads fault with BADALIGN, as they do
 * on CPUs where DTrace checks alignment, so the walk must load its fields at
 * their natural alignment.
 */
static uint64_t
load(uintptr_t addr, size_t size)
{
    uint8_t u8;
    uint32_t u32;
    uint64_t u64;

    g_assert_false(safe_loads_flags & CPU_DTRACE_NOFAULT);
    safe_loads_stats.loads++;
    if (safe_loads_flags & CPU_DTRACE_FAULT)
        safe_loads_stats.loads_after_fault++;
    if (addr < safe_loads_stats.lowest)
        safe_loads_stats.lowest = addr;
    if (addr & (size - 1)) {
        safe_loads_flags |= CPU_DTRACE_BADALIGN;
        safe_loads_illval = addr;
        return 0;
    }
    if (!mapped(addr, size)) {
        safe_loads_flags |= CPU_DTRACE_BADADDR;
        safe_loads_illval = addr;
        return 0;
    }
    if (safe_loads_flags & CPU_DTRACE_FAULT)
        return 0;
    switch (size) {
        case 1:
            memcpy(&u8, (const void *)addr, 1);
            return u8;
        case 4:
            memcpy(&u32, (const void *)addr, 4);
            return u32;
        default:
            memcpy(&u64, (const void *)addr, 8);
            return u64;
    }
}

uint8_t
dtrace_load8(uintptr_t addr)
{
    return (uint8_t)load(addr, 1);
}

uint32_t
dtrace_load32(uintptr_t addr)
{
    return (uint32_t)load(addr, 4);
}

uint64_t
dtrace_load64(uintptr_t addr)
{
    return load(addr, 8);
}
