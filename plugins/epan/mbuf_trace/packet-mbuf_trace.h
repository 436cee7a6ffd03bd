/* packet-mbuf_trace.h
 * What the mbuf_trace dissector hands its tap (the stats tree reads it).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef PACKET_MBUF_TRACE_H
#define PACKET_MBUF_TRACE_H

#include "mbuf_trace-compat.h"

/* Record types of generation 1 (docs/format.md); they also name what a
 * record of any generation is: generation 2's type 0 is a DATA, its type 1
 * a STRING. 0 names a record of unknown type. */
enum mbuf_trace_record_type {
    MBUF_TRACE_UNKNOWN = 0,
    MBUF_TRACE_DATA = 1,
    MBUF_TRACE_STRING = 2,
    MBUF_TRACE_STRING_DYNAMIC = 3,
    MBUF_TRACE_DATA_L3 = 4,
    MBUF_TRACE_TIME = 5,
    MBUF_TRACE_LOST = 6,
    MBUF_TRACE_CUT = 7,
    MBUF_TRACE_TYPE_MAX = MBUF_TRACE_CUT
};

/* Generation 2's record types. */
enum mbuf_trace_gen2_type { MBUF_TRACE_GEN2_DATA = 0, MBUF_TRACE_GEN2_STRING = 1 };

/* One trace string that parsed as a location; func is NULL unless the
 * string is an enter or a mark, or a leave whose enter the trace lacks. */
typedef struct mbuf_trace_point {
    const char *file;
    const char *func;
} mbuf_trace_point_t;

/* Queued once per frame; everything lives in pinfo->pool. */
typedef struct mbuf_trace_tap_info {
    guint records;                           /* records decoded (complete or not) */
    guint per_type[MBUF_TRACE_TYPE_MAX + 1]; /* by what they are; [0] unknown */
    guint32 lost;                            /* sum of the LOST records */
    const char *path;                        /* mbuf_trace.path, "" when empty */
    guint n_points;
    const mbuf_trace_point_t *points; /* location strings, oldest first */
} mbuf_trace_tap_info_t;

extern const value_string mbuf_trace_record_type_vals[];

void register_mbuf_trace_stats_tree(void);

#endif /* PACKET_MBUF_TRACE_H */
