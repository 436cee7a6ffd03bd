/*
 * KPI stand-in: <netinet/in.h>.  glibc's, and inet_ntop(), which the
 * kernel has in libkern and declares here.
 */
#ifndef KPI_NETINET_IN_H
#define KPI_NETINET_IN_H

#include_next <netinet/in.h>
#include <arpa/inet.h>

#endif
