/* mbuf_trace-stats.c
 * Stats tree for mbuf_trace (tshark -q -z mbuf_trace,tree; Statistics menu
 * in Wireshark): records per type, hot functions, files and paths.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "mbuf_trace-compat.h"

#include <epan/stats_tree.h>

#include "packet-mbuf_trace.h"

static const char st_records[] = "Records by type";
static const char st_functions[] = "Functions (on the path)";
static const char st_files[] = "Files (location strings)";
static const char st_paths[] = "Paths";
static const char st_lost[] = "Lost records";

static int st_node_records = -1;
static int st_node_functions = -1;
static int st_node_files = -1;
static int st_node_paths = -1;
static int st_node_lost = -1;

static void
mbuf_trace_stats_init(stats_tree *st)
{
    st_node_records = stats_tree_create_node(st, st_records, 0, STAT_DT_INT, true);
    st_node_functions = stats_tree_create_node(st, st_functions, 0, STAT_DT_INT, true);
    st_node_files = stats_tree_create_node(st, st_files, 0, STAT_DT_INT, true);
    st_node_paths = stats_tree_create_node(st, st_paths, 0, STAT_DT_INT, true);
    st_node_lost = stats_tree_create_node(st, st_lost, 0, STAT_DT_INT, false);
}

static tap_packet_status
mbuf_trace_stats_packet(stats_tree *st, packet_info *pinfo _U_, epan_dissect_t *edt _U_,
                        const void *data, tap_flags_t flags _U_)
{
    const mbuf_trace_tap_info_t *info = (const mbuf_trace_tap_info_t *)data;

    for (unsigned type = 0; type <= MTRACE_REC_MAX; type++) {
        if (info->per_type[type] == 0)
            continue;
        increase_stat_node(st, st_records, 0, false, info->per_type[type]);
        increase_stat_node(
            st, type == 0 ? "unknown" : val_to_str_const(type, mbuf_trace_record_type_vals, "?"),
            st_node_records, false, info->per_type[type]);
    }
    for (unsigned i = 0; i < info->n_points; i++) {
        const mbuf_trace_point_t *pt = &info->points[i];

        if (pt->func != NULL) {
            tick_stat_node(st, st_functions, 0, false);
            tick_stat_node(st, pt->func, st_node_functions, false);
        }
        tick_stat_node(st, st_files, 0, false);
        tick_stat_node(st, pt->file, st_node_files, false);
    }
    tick_stat_node(st, st_paths, 0, false);
    tick_stat_node(st, info->path[0] != '\0' ? info->path : "(no functions)", st_node_paths, false);
    if (info->lost > 0)
        increase_stat_node(st, st_lost, 0, false, info->lost);
    return TAP_PACKET_REDRAW;
}

void
register_mbuf_trace_stats_tree(void)
{
    stats_tree_register_plugin("mbuf_trace", "mbuf_trace", "mbuf_trace/Trace points", 0,
                               mbuf_trace_stats_packet, mbuf_trace_stats_init, NULL);
}
