/*
 * KPI stand-in: <sys/socketvar.h>, the one field of struct socket the
 * facility reads.
 */
#ifndef KPI_SYS_SOCKETVAR_H
#define KPI_SYS_SOCKETVAR_H

#include <sys/socket.h>

struct socket {
    int so_options; /* SO_*, SO_MTRACE among them */
};

#endif
