/*
 * KPI stand-in: <sys/proc.h>, the thread and process a free site names.
 * curthread is the calling thread's; the taskqueue threads are the
 * kernel's (P_SYSTEM, pid 0), every other thread is this process's.
 */
#ifndef KPI_SYS_PROC_H
#define KPI_SYS_PROC_H

#include <sys/param.h>

#define MAXCOMLEN 19
#define P_SYSTEM  0x00000200 /* a kernel process */

struct proc {
    pid_t p_pid;
    int p_flag;
    char p_comm[MAXCOMLEN + 1];
};

struct thread {
    struct proc *td_proc;
    char td_name[MAXCOMLEN + 1];
};

struct thread *kpi_curthread(void);
#define curthread (kpi_curthread())

#endif
