/* KPI stand-in: <sys/lock.h>; mutexes are in <sys/mutex.h>. */
