/*
 * KPI stand-in: <sys/linker.h>'s symbol lookup, through dladdr(3): the
 * programs are linked with -rdynamic so that their functions are found.
 * kpi_linker_lookups() counts the lookups, for the tests of the cache that
 * spares them.
 */
#ifndef KPI_SYS_LINKER_H
#define KPI_SYS_LINKER_H

#include <sys/param.h>

int linker_search_symbol_name(caddr_t value, char *buf, unsigned int buflen, long *offset);

#endif
