/*
 * filter_for.h - the struct mtrace_filter of a tcpdump expression, as
 * mtracectl(8) makes it, for the tests and the benchmark.
 */
#ifndef MT_FILTER_FOR_H
#define MT_FILTER_FOR_H

#include <stddef.h>

struct mtrace_filter;

/*
 * libpcap's program of expr for Ethernet frames, then for IP packets; an
 * expression of the link layer, which IP packets have not, gets an IP
 * program that rejects every packet.  NULL when libpcap cannot compile expr
 * for Ethernet or memory runs out; else *len is the structure's size, and
 * free() frees it.
 */
struct mtrace_filter *mt_filter_for(const char *expr, size_t *len);

#endif
