/* KPI stand-in: the interface ioctls of FreeBSD's <sys/sockio.h>. */
#ifndef KPI_SYS_SOCKIO_H
#define KPI_SYS_SOCKIO_H
#define SIOCSIFFLAGS 0x80206910UL
#define SIOCSIFMTU   0x80206934UL
#endif
