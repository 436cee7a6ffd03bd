/*
 * KPI stand-in: the CK_STAILQ of <sys/ck.h> (ck_queue.h) that interface
 * groups are kept in.  Readers here never race with writers (tests change
 * groups between packets), so it is the plain STAILQ.
 */
#ifndef KPI_SYS_CK_H
#define KPI_SYS_CK_H

#include <sys/queue.h>

#define CK_STAILQ_HEAD    STAILQ_HEAD
#define CK_STAILQ_ENTRY   STAILQ_ENTRY
#define CK_STAILQ_FOREACH STAILQ_FOREACH

#endif
