/*
 * KPI stand-in: counter(9).  One 64-bit word per counter, updated with
 * relaxed atomics: the per-CPU split of the kernel is not modelled.
 */
#ifndef KPI_SYS_COUNTER_H
#define KPI_SYS_COUNTER_H

#include <sys/param.h>

typedef uint64_t *counter_u64_t;

counter_u64_t counter_u64_alloc(int wait);
void counter_u64_free(counter_u64_t c);
void counter_u64_zero(counter_u64_t c);
uint64_t counter_u64_fetch(counter_u64_t c);

/* As FreeBSD's, but for the cast: the kernel builds without -Wsign-compare. */
#define COUNTER_ARRAY_ALLOC(a, n, wait)                                                            \
    do {                                                                                           \
        for (int _i = 0; _i < (int)(n); _i++)                                                      \
            (a)[_i] = counter_u64_alloc(wait);                                                     \
    } while (0)

#define COUNTER_ARRAY_FREE(a, n)                                                                   \
    do {                                                                                           \
        for (int _i = 0; _i < (int)(n); _i++)                                                      \
            counter_u64_free((a)[_i]);                                                             \
    } while (0)

static inline void
counter_u64_add(counter_u64_t c, int64_t inc)
{
    __atomic_fetch_add(c, (uint64_t)inc, __ATOMIC_RELAXED);
}

/* Usable from the start: a file-scope compound literal is static storage. */
#define EARLY_COUNTER               (&((uint64_t[1]){ 0 })[0])
#define COUNTER_U64_DEFINE_EARLY(c) counter_u64_t c = EARLY_COUNTER

#endif
