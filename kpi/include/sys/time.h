/*
 * KPI stand-in: <sys/time.h>.  glibc's, plus the kernel's uptime clock,
 * which tests control (kpi_clock_set()).
 */
#ifndef KPI_SYS_TIME_H
#define KPI_SYS_TIME_H

#include_next <sys/time.h>

void nanouptime(struct timespec *tsp);
void microtime(struct timeval *tvp);

#endif
