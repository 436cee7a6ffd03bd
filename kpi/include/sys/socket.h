/*
 * KPI stand-in: <sys/socket.h>.  glibc's, plus the so_options bit that the
 * FreeBSD tree gets from mbuf_trace-integrate (integrate.d/40-select.sh).
 */
#ifndef KPI_SYS_SOCKET_H
#define KPI_SYS_SOCKET_H

#include_next <sys/socket.h>

#define SO_MTRACE 0x00040000 /* trace this socket's packets */

#endif
