/*
 * KPI stand-in: malloc(9).  M_WAITOK never fails; an M_NOWAIT call fails
 * when the test asked for its index to fail (kpi_malloc_fail_nth()).
 * Outstanding allocations are counted per type for leak checks.
 */
#ifndef KPI_SYS_MALLOC_H
#define KPI_SYS_MALLOC_H

#include <sys/param.h>
/* libc's malloc() and free() are declared before the macros hide them. */
#include <stdlib.h>

#define M_NOWAIT 0x0001
#define M_WAITOK 0x0002
#define M_ZERO   0x0100

struct malloc_type {
    const char *ks_shortdesc;
    long ks_inuse; /* allocations not freed yet */
};

#define MALLOC_DEFINE(type, shortdesc, longdesc)                                                   \
    struct malloc_type type[1] = { { .ks_shortdesc = (shortdesc) } }
#define MALLOC_DECLARE(type) extern struct malloc_type type[1]

void *kpi_malloc(size_t size, struct malloc_type *type, int flags);
void kpi_free(void *addr, struct malloc_type *type);

#define malloc(size, type, flags) kpi_malloc((size), (type), (flags))
#define free(addr, type)          kpi_free((addr), (type))

#endif
