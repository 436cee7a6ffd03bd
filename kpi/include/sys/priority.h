/* KPI stand-in: <sys/priority.h>.  Thread priorities are not modelled. */
#ifndef KPI_SYS_PRIORITY_H
#define KPI_SYS_PRIORITY_H
#define PWAIT 87
#endif
