/* mbuf_trace-stats.c
 * What the mbuf_trace taps count, under Statistics > mbuf_trace in
 * Wireshark and with tshark -q -z:
 * mbuf_trace,tree: records per type, what became of the packets, hot
 * functions, files and paths;
 * mbuf_trace,drops: each drop reason and where the packets it dropped were
 * freed, a table; mbuf_trace_drops,tree: the same as a tree.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "mbuf_trace-compat.h"

#include <epan/stat_tap_ui.h>
#include <epan/stats_tree.h>
#include <epan/packet.h>
#include <epan/tap.h>

#include "packet-mbuf_trace.h"

static const char st_records[] = "Records by type";
static const char st_functions[] = "Functions (on the path)";
static const char st_files[] = "Files (location strings)";
static const char st_paths[] = "Paths";
static const char st_lost[] = "Lost records";
static const char st_fates[] = "Fates";
static const char st_drops[] = "Drops by reason and free site";

static int st_node_records = -1;
static int st_node_functions = -1;
static int st_node_files = -1;
static int st_node_paths = -1;
static int st_node_lost = -1;
static int st_node_drops = -1;

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
    /* Made by the first frame that says: the deployed kernels' never do. */
    if (info->says_fate)
        tick_stat_node(st,
                       info->fate == 0 ? "unknown"
                                       : val_to_str_const(info->fate, mbuf_trace_fate_vals, "?"),
                       tick_stat_node(st, st_fates, 0, true), false);
    return TAP_PACKET_REDRAW;
}

static void
mbuf_trace_drops_init(stats_tree *st)
{
    st_node_drops = stats_tree_create_node(st, st_drops, 0, STAT_DT_INT, true);
}

/* Each reason of the drops that end a trace, with the function that freed
 * the packet; a trace that ends without saying what became of its packet
 * counts as "(no reason)", with where it was freed: the drop sites nobody
 * instrumented. Returns the rows it gave. */
static unsigned
drop_rows(const mbuf_trace_tap_info_t *info,
          void (*row)(const char *reason, const char *where, void *arg), void *arg)
{
    const char *where = info->where != NULL ? info->where : "(no free site)";

    if (!info->says_fate || (info->fate != MTRACE_FATE_DROPPED && info->fate != 0))
        return 0;
    if (info->fate == 0) {
        row("(no reason)", where, arg);
        return 1;
    }
    for (unsigned i = 0; i < info->n_drops; i++)
        row(info->drops[i], where, arg);
    return info->n_drops;
}

static void
drops_tree_row(const char *reason, const char *where, void *arg)
{
    stats_tree *st = (stats_tree *)arg;

    tick_stat_node(st, st_drops, 0, false);
    tick_stat_node(st, where, tick_stat_node(st, reason, st_node_drops, true), false);
}

static tap_packet_status
mbuf_trace_drops_packet(stats_tree *st, packet_info *pinfo _U_, epan_dissect_t *edt _U_,
                        const void *data, tap_flags_t flags _U_)
{
    return drop_rows((const mbuf_trace_tap_info_t *)data, drops_tree_row, st) > 0
               ? TAP_PACKET_REDRAW
               : TAP_PACKET_DONT_REDRAW;
}

/* tshark -z mbuf_trace,drops[,FILTER] and Statistics > mbuf_trace > Drops
 * table: the same counts as a table, one row per reason and free site, in
 * the order they were first seen. Wireshark draws it, in tshark and the
 * GUI alike. */
enum { DROPS_REASON, DROPS_WHERE, DROPS_PACKETS, DROPS_FIELDS };

static stat_tap_table_item drops_table_fields[DROPS_FIELDS] = {
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Reason", "%-32s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Where the packet was freed", "%-26s" },
    { TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "Packets", "%7u" },
};

static void
drops_table_init(stat_tap_table_ui *ui)
{
    static const char name[] = "mbuf_trace drops";
    stat_tap_table *table = stat_tap_find_table(ui, name);

    if (table != NULL) {
        ui->stat_tap_reset_table_cb(table);
        return;
    }
    table = stat_tap_init_table(name, DROPS_FIELDS, 0, NULL);
    stat_tap_add_table(ui, table);
}

static void
drops_table_row(const char *reason, const char *where, void *arg)
{
    stat_tap_table *table = (stat_tap_table *)arg;
    stat_tap_table_item_type row[DROPS_FIELDS] = { 0 };
    unsigned n = table->num_elements;

    for (unsigned i = 0; i < n; i++) {
        stat_tap_table_item_type *packets = stat_tap_get_field_data(table, i, DROPS_PACKETS);

        if (strcmp(stat_tap_get_field_data(table, i, DROPS_REASON)->value.string_value, reason) ==
                0 &&
            strcmp(stat_tap_get_field_data(table, i, DROPS_WHERE)->value.string_value, where) ==
                0) {
            packets->value.uint_value++;
            return;
        }
    }
    row[DROPS_REASON].type = row[DROPS_WHERE].type = TABLE_ITEM_STRING;
    row[DROPS_REASON].value.string_value = g_strdup(reason);
    row[DROPS_WHERE].value.string_value = g_strdup(where);
    row[DROPS_PACKETS].type = TABLE_ITEM_UINT;
    row[DROPS_PACKETS].value.uint_value = 1;
    stat_tap_init_table_row(table, n, DROPS_FIELDS, row);
}

static tap_packet_status
drops_table_packet(void *tapdata, packet_info *pinfo _U_, epan_dissect_t *edt _U_, const void *data,
                   tap_flags_t flags _U_)
{
    stat_data_t *stat_data = (stat_data_t *)tapdata;
    stat_tap_table *table = g_array_index(stat_data->stat_tap_data->tables, stat_tap_table *, 0);

    return drop_rows((const mbuf_trace_tap_info_t *)data, drops_table_row, table) > 0
               ? TAP_PACKET_REDRAW
               : TAP_PACKET_DONT_REDRAW;
}

static void
drops_table_reset(stat_tap_table *table)
{
    for (unsigned i = 0; i < table->num_elements; i++)
        stat_tap_get_field_data(table, i, DROPS_PACKETS)->value.uint_value = 0;
}

static void
drops_table_free_item(stat_tap_table *table _U_, unsigned row _U_, unsigned column,
                      stat_tap_table_item_type *field)
{
    if (column != DROPS_PACKETS)
        g_free((char *)field->value.string_value);
}

void
register_mbuf_trace_stats_tree(void)
{
    static stat_tap_table_ui drops_table = {
        REGISTER_STAT_GROUP_GENERIC,
        "mbuf_trace/Drops table",
        "mbuf_trace",
        "mbuf_trace,drops",
        drops_table_init,
        drops_table_packet,
        drops_table_reset,
        drops_table_free_item,
        NULL,
        DROPS_FIELDS,
        drops_table_fields,
        0,
        NULL,
        NULL,
        0,
    };

    stats_tree_register_plugin("mbuf_trace", "mbuf_trace", "mbuf_trace/Trace points", 0,
                               mbuf_trace_stats_packet, mbuf_trace_stats_init, NULL);
    stats_tree_register_plugin("mbuf_trace", "mbuf_trace_drops", "mbuf_trace/Drops", 0,
                               mbuf_trace_drops_packet, mbuf_trace_drops_init, NULL);
    register_stat_tap_table_ui(&drops_table);
}
