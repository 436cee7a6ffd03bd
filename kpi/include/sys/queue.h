/*
 * KPI stand-in: <sys/queue.h>.  glibc's, plus the FreeBSD macros it lacks.
 */
#ifndef KPI_SYS_QUEUE_H
#define KPI_SYS_QUEUE_H

#include_next <sys/queue.h>

#ifndef SLIST_FOREACH_SAFE
#define SLIST_FOREACH_SAFE(var, head, field, tvar)                                                 \
    for ((var) = SLIST_FIRST((head)); (var) && ((tvar) = SLIST_NEXT((var), field), 1);             \
         (var) = (tvar))
#endif
#ifndef STAILQ_FOREACH_SAFE
#define STAILQ_FOREACH_SAFE(var, head, field, tvar)                                                \
    for ((var) = STAILQ_FIRST((head)); (var) && ((tvar) = STAILQ_NEXT((var), field), 1);           \
         (var) = (tvar))
#endif

#endif
