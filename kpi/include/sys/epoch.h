/*
 * KPI stand-in: the network epoch of epoch(9).  A section is a read hold of
 * one writer-preferring rwlock, taken by the outermost section of a thread
 * (sections nest); NET_EPOCH_WAIT() takes it for writing, so it returns
 * once every section that had begun has ended, as epoch_wait_preempt()
 * does.  The depth in the calling thread makes NET_EPOCH_ASSERT() hold
 * exactly where the kernel's would.
 */
#ifndef KPI_SYS_EPOCH_H
#define KPI_SYS_EPOCH_H

#include <sys/systm.h>

struct epoch_tracker {
    int et_unused;
};

extern __thread int kpi_net_epoch_depth;

void kpi_epoch_enter(void);
void kpi_epoch_exit(void);
void kpi_epoch_wait(void);

#define NET_EPOCH_ENTER(et) ((void)&(et), kpi_epoch_enter())
#define NET_EPOCH_EXIT(et)  ((void)&(et), kpi_epoch_exit())
#define NET_EPOCH_WAIT()    kpi_epoch_wait()
#define NET_EPOCH_ASSERT()  MPASS(kpi_net_epoch_depth > 0)

#endif
