/*
 * KPI stand-in: the network epoch of epoch(9).  Interfaces are freed only
 * at shutdown, after the emitter has drained, so a section protects nothing
 * here; it only counts its depth in the calling thread, so that
 * NET_EPOCH_ASSERT() holds exactly where the kernel's would.
 */
#ifndef KPI_SYS_EPOCH_H
#define KPI_SYS_EPOCH_H

#include <sys/systm.h>

struct epoch_tracker {
    int et_unused;
};

extern __thread int kpi_net_epoch_depth;

#define NET_EPOCH_ENTER(et) ((void)&(et), kpi_net_epoch_depth++)
#define NET_EPOCH_EXIT(et)  ((void)&(et), kpi_net_epoch_depth--)
#define NET_EPOCH_ASSERT()  MPASS(kpi_net_epoch_depth > 0)

#endif
