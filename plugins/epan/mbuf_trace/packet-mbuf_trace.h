/* packet-mbuf_trace.h
 * What the mbuf_trace dissector hands its tap (the stats read it).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef PACKET_MBUF_TRACE_H
#define PACKET_MBUF_TRACE_H

#include "mbuf_trace-compat.h"

/* The record types and the frame layout are the kernel's, defined once in
 * kernel/sys/sys/mbuf_trace.h (MTRACE_REC_*; docs/format.md explains them).
 * A record's kind is its MTRACE_REC_* type whatever its generation:
 * generation 2's type 0 is a DATA, its type 1 a STRING. */
#include <sys/mbuf_trace.h>

/* The kind of a record of a type this plugin does not know. */
#define MBUF_TRACE_UNKNOWN 0

/* Generation 2's record types. */
enum mbuf_trace_gen2_type { MBUF_TRACE_GEN2_DATA = 0, MBUF_TRACE_GEN2_STRING = 1 };

/* One trace string that parsed as a location; func is NULL unless the
 * string is an enter or a mark, or a leave whose enter the trace lacks. */
typedef struct mbuf_trace_point {
    const char *file;
    const char *func;
} mbuf_trace_point_t;

/* A frame's facts: what the dissector's scan of its records finds
 * (records, per_type, lost, fate), its path and, for the tap, its location
 * strings and drops. The Info column and the frame's fields read it too; it
 * is queued to the tap once per frame. Everything lives in pinfo->pool. */
typedef struct mbuf_trace_tap_info {
    unsigned records;                      /* records decoded (complete or not) */
    unsigned per_type[MTRACE_REC_MAX + 1]; /* by what they are; [0] unknown */
    uint32_t lost;                         /* sum of the LOST records */
    const char *path;                      /* mbuf_trace.path, "" when empty */
    bool says_fate;                        /* the frame tells its packet's fate */
    uint8_t fate;                          /* MTRACE_FATE_*, 0: unknown */
    const char *where;                     /* the free site's function, or NULL */
    unsigned n_drops;
    const char **drops; /* the reasons of the drops that end the trace, oldest first */
    unsigned n_points;
    const mbuf_trace_point_t *points; /* location strings, oldest first */
} mbuf_trace_tap_info_t;

extern const value_string mbuf_trace_record_type_vals[];
/* The fates of a FATE record (MTRACE_FATE_*). */
extern const value_string mbuf_trace_fate_vals[];

void register_mbuf_trace_stats_tree(void);

#endif /* PACKET_MBUF_TRACE_H */
