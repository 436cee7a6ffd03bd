/* mbuf_trace-stats.c
 * What the mbuf_trace taps count, under Statistics > mbuf_trace in
 * Wireshark and with tshark -q -z:
 * mbuf_trace,tree: records per type, what became of the packets, hot
 * functions, files and paths;
 * mbuf_trace,drops: each drop reason and where the packets it dropped were
 * freed.  A stats tree's tshark option ends in ",tree", so the drops tree
 * (mbuf_trace_drops,tree) also has the shorter name, a table of its
 * own.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "mbuf_trace-compat.h"

#include <epan/stat_tap_ui.h>
#include <epan/stats_tree.h>
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

/* tshark -z mbuf_trace,drops[,FILTER]: the same counts as a table. */
static void
drops_table_row(const char *reason, const char *where, void *arg)
{
    GHashTable *rows = (GHashTable *)arg;
    char *key = g_strdup_printf("%s\t%s", reason, where);

    g_hash_table_insert(rows, key,
                        GUINT_TO_POINTER(GPOINTER_TO_UINT(g_hash_table_lookup(rows, key)) + 1));
}

static tap_packet_status
drops_table_packet(void *tapdata, packet_info *pinfo _U_, epan_dissect_t *edt _U_, const void *data,
                   tap_flags_t flags _U_)
{
    drop_rows((const mbuf_trace_tap_info_t *)data, drops_table_row, tapdata);
    return TAP_PACKET_REDRAW;
}

static void
drops_table_draw(void *tapdata)
{
    GHashTable *rows = (GHashTable *)tapdata;
    GList *keys = g_list_sort(g_hash_table_get_keys(rows), (GCompareFunc)g_strcmp0);

    printf("\n===================================================================\n");
    printf("mbuf_trace drops: reason, where the packet was freed, packets\n");
    printf("-------------------------------------------------------------------\n");
    for (GList *k = keys; k != NULL; k = k->next) {
        char **f = g_strsplit((const char *)k->data, "\t", 2);

        printf("%-32s %-24s %u\n", f[0], f[1],
               GPOINTER_TO_UINT(g_hash_table_lookup(rows, k->data)));
        g_strfreev(f);
    }
    printf("===================================================================\n");
    g_list_free(keys);
}

static void
drops_table_finish(void *tapdata)
{
    g_hash_table_destroy((GHashTable *)tapdata);
}

static MBUF_TRACE_TAP_INIT_TYPE
drops_table_init(const char *opt_arg, void *userdata _U_)
{
    static const char prefix[] = "mbuf_trace,drops";
    GHashTable *rows = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    const char *filter = strlen(opt_arg) > sizeof(prefix) ? opt_arg + sizeof(prefix) : NULL;
    GString *error;

    error = register_tap_listener("mbuf_trace", rows, filter, TL_REQUIRES_NOTHING, NULL,
                                  drops_table_packet, drops_table_draw, drops_table_finish);
    if (error != NULL) {
        fprintf(stderr, "tshark: -z mbuf_trace,drops: %s\n", error->str);
        g_string_free(error, TRUE);
        g_hash_table_destroy(rows);
        exit(1);
    }
    MBUF_TRACE_TAP_INIT_RETURN(true);
}

void
register_mbuf_trace_stats_tree(void)
{
    stats_tree_register_plugin("mbuf_trace", "mbuf_trace", "mbuf_trace/Trace points", 0,
                               mbuf_trace_stats_packet, mbuf_trace_stats_init, NULL);
    static stat_tap_ui drops_table = {
        REGISTER_STAT_GROUP_GENERIC, NULL, "mbuf_trace,drops", drops_table_init, 0, NULL
    };

    stats_tree_register_plugin("mbuf_trace", "mbuf_trace_drops", "mbuf_trace/Drops", 0,
                               mbuf_trace_drops_packet, mbuf_trace_drops_init, NULL);
    register_stat_tap_ui(&drops_table, NULL);
}
