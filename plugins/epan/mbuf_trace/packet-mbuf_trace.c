/* packet-mbuf_trace.c
 * Routines for mbuf_trace dissection: the per-packet path traces that the
 * FreeBSD mbuf_trace facility emits on its DLT_USER0 pseudo-interface.
 *
 * One capture frame is one packet's trace (docs/format.md):
 *
 *     frame  := count:u16 record{count}
 *     record := length:u16 type:u16 payload[length]
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "mbuf_trace-compat.h"

#include <epan/packet.h>
#include <epan/etypes.h>
#include <epan/exceptions.h>
#include <epan/expert.h>
#include <epan/prefs.h>
#include <epan/show_exception.h>
#include <epan/strutil.h>
#include <epan/tap.h>
#include <wiretap/wtap.h>
#include <wsutil/str_util.h>

#include "packet-mbuf_trace.h"

void proto_register_mbuf_trace(void);
void proto_reg_handoff_mbuf_trace(void);

#define RECORD_HEADER_LEN 4
#define TIME_PAYLOAD_LEN  8
#define LOST_PAYLOAD_LEN  4
#define ETHERTYPE_LEN     2
#define PATH_SEPARATOR    " > "

static int proto_mbuf_trace = -1;

static int hf_count = -1;
static int hf_path = -1;
static int hf_record = -1;
static int hf_record_index = -1;
static int hf_record_length = -1;
static int hf_record_type = -1;
static int hf_string = -1;
static int hf_data = -1;
static int hf_file = -1;
static int hf_line = -1;
static int hf_func = -1;
static int hf_event = -1;
static int hf_packet = -1;
static int hf_ethertype = -1;
static int hf_time = -1;
static int hf_time_delta = -1;
static int hf_lost = -1;

static gint ett_mbuf_trace = -1;
static gint ett_record = -1;

static expert_field ei_truncated = EI_INIT;
static expert_field ei_count_mismatch = EI_INIT;
static expert_field ei_trailing = EI_INIT;
static expert_field ei_unknown_type = EI_INIT;
static expert_field ei_bad_length = EI_INIT;
static expert_field ei_nul_in_string = EI_INIT;
static expert_field ei_lost = EI_INIT;
static expert_field ei_time_unused = EI_INIT;

static int mbuf_trace_tap = -1;

static dissector_handle_t mbuf_trace_handle;
static dissector_handle_t eth_handle;
static dissector_table_t ethertype_table;

/* Preferences (docs/fields.md). */
static MBUF_TRACE_API_BOOL pref_claim_encap = true;
static gint pref_dlt_user = 0;
static MBUF_TRACE_API_BOOL pref_analyze_snapshots = false;

// clang-format off
const value_string mbuf_trace_record_type_vals[] = {
    { MBUF_TRACE_DATA,           "DATA" },
    { MBUF_TRACE_STRING,         "STRING" },
    { MBUF_TRACE_STRING_DYNAMIC, "STRING_DYNAMIC" },
    { MBUF_TRACE_DATA_L3,        "DATA_L3" },
    { MBUF_TRACE_TIME,           "TIME" },
    { MBUF_TRACE_LOST,           "LOST" },
    { 0, NULL }
};

static const enum_val_t dlt_user_vals[] = {
    { "0",  "User 0 (DLT=147)",  0 },  { "1",  "User 1 (DLT=148)",  1 },
    { "2",  "User 2 (DLT=149)",  2 },  { "3",  "User 3 (DLT=150)",  3 },
    { "4",  "User 4 (DLT=151)",  4 },  { "5",  "User 5 (DLT=152)",  5 },
    { "6",  "User 6 (DLT=153)",  6 },  { "7",  "User 7 (DLT=154)",  7 },
    { "8",  "User 8 (DLT=155)",  8 },  { "9",  "User 9 (DLT=156)",  9 },
    { "10", "User 10 (DLT=157)", 10 }, { "11", "User 11 (DLT=158)", 11 },
    { "12", "User 12 (DLT=159)", 12 }, { "13", "User 13 (DLT=160)", 13 },
    { "14", "User 14 (DLT=161)", 14 }, { "15", "User 15 (DLT=162)", 15 },
    { NULL, NULL, 0 }
};
// clang-format on

/* A trace string split by the location syntax of docs/format.md. Offsets
 * are relative to the start of the string. */
typedef struct location {
    int file_len;
    int line_off;
    int line_len;
    guint32 line;
    int sign_off; /* -1: no '+' / '-' */
    int func_off;
    int func_len; /* 0: "file:line" form, no function */
    const char *event;
} location_t;

/* Everything one frame's record loop accumulates. Lives on the stack of
 * dissect_mbuf_trace(); strings in pinfo->pool. */
typedef struct frame_state {
    wmem_strbuf_t *path;
    const guint8 *last_func; /* raw bytes of the last function added to path */
    int last_func_len;
    guint snapshots;
    gboolean have_packet; /* a snapshot was dissected as the packet itself */
    guint32 lost;
    address first_src;
    address first_dst;
    /* A TIME record waiting for the record it stamps. */
    gboolean time_pending;
    nstime_t pending_time;
    int pending_time_off;
    proto_item *pending_time_item;
    gboolean have_stamp;
    nstime_t last_stamp;
    mbuf_trace_tap_info_t *tap; /* NULL when nobody listens */
    mbuf_trace_point_t *points;
} frame_state_t;

/* Recognises "file:line", "file:line: func", "file:line: +func" and
 * "file:line: -func". Anything else is free text. */
static gboolean
parse_location(const guint8 *s, int len, location_t *loc)
{
    gboolean has_dot = FALSE;
    guint64 line = 0;
    int i = 0;

    for (; i < len && s[i] != ':'; i++) {
        if (g_ascii_isspace(s[i]) || g_ascii_iscntrl(s[i]))
            return FALSE;
        has_dot |= s[i] == '.';
    }
    /* __FILE__ always names a source file: requiring a '.' keeps free text
     * such as "state:3" out of the location form. */
    if (i == 0 || i == len || !has_dot)
        return FALSE;
    loc->file_len = i++;

    loc->line_off = i;
    for (; i < len && g_ascii_isdigit(s[i]) && i - loc->line_off < 10; i++)
        line = line * 10 + (guint64)(s[i] - '0');
    loc->line_len = i - loc->line_off;
    if (loc->line_len == 0 || line > G_MAXUINT32)
        return FALSE;
    loc->line = (guint32)line;
    loc->sign_off = -1;
    loc->func_off = i;
    loc->func_len = 0;
    if (i == len) {
        loc->event = "location";
        return TRUE;
    }

    if (len - i < 3 || s[i] != ':' || s[i + 1] != ' ')
        return FALSE;
    i += 2;
    if (s[i] == '+' || s[i] == '-') {
        loc->event = s[i] == '+' ? "enter" : "leave";
        loc->sign_off = i++;
    } else {
        loc->event = "mark";
    }
    /* __func__ is a C identifier. */
    loc->func_off = i;
    if (i == len || !(g_ascii_isalpha(s[i]) || s[i] == '_'))
        return FALSE;
    for (; i < len; i++) {
        if (!(g_ascii_isalnum(s[i]) || s[i] == '_'))
            return FALSE;
    }
    loc->func_len = i - loc->func_off;
    return TRUE;
}

/* The trace string as text: UTF-8, invalid sequences replaced by U+FFFD
 * (the wire has no encoding; kernel strings are ASCII in practice). A NUL
 * would end the C string a field value is, hiding what follows it, so each
 * NUL is shown as the two characters "\0" instead. */
static const char *
trace_string_text(tvbuff_t *tvb, int off, int len, const guint8 *raw, packet_info *pinfo)
{
    const guint8 *nul = len > 0 ? (const guint8 *)memchr(raw, 0, len) : NULL;
    wmem_strbuf_t *text;
    int start = 0;

    if (nul == NULL)
        return (const char *)tvb_get_string_enc(pinfo->pool, tvb, off, len, ENC_UTF_8);

    text = wmem_strbuf_new_sized(pinfo->pool, len + 8);
    while (nul != NULL) {
        int seg = (int)(nul - raw) - start;
        wmem_strbuf_append(
            text, (const char *)tvb_get_string_enc(pinfo->pool, tvb, off + start, seg, ENC_UTF_8));
        wmem_strbuf_append(text, "\\0");
        start += seg + 1;
        nul = start < len ? (const guint8 *)memchr(raw + start, 0, len - start) : NULL;
    }
    wmem_strbuf_append(text, (const char *)tvb_get_string_enc(pinfo->pool, tvb, off + start,
                                                              len - start, ENC_UTF_8));
    return wmem_strbuf_get_str(text);
}

/* Enter and mark events go on the path; leave events would only repeat the
 * function the path already shows. */
static gboolean
is_path_event(const guint8 *s, const location_t *loc)
{
    return loc->func_len > 0 && (loc->sign_off < 0 || s[loc->sign_off] == '+');
}

/* A label must not carry control characters (they would break tshark -V
 * lines). format_text escapes them at a cost per character; printable ASCII,
 * what kernel strings are, needs no escaping. */
static const char *
label_text(wmem_allocator_t *pool, const guint8 *raw, int len, const char *text)
{
    for (int i = 0; i < len; i++) {
        if (raw[i] < 0x20 || raw[i] >= 0x7f)
            return format_text(pool, text, strlen(text));
    }
    return text;
}

static void
add_to_path(frame_state_t *st, const guint8 *func, int len)
{
    if (st->last_func_len == len && memcmp(st->last_func, func, len) == 0)
        return;
    if (st->last_func != NULL)
        wmem_strbuf_append(st->path, PATH_SEPARATOR);
    wmem_strbuf_append_len(st->path, (const char *)func, len);
    st->last_func = func;
    st->last_func_len = len;
}

/* The path heads the tree and the Info column, so it is collected before
 * the records are dissected. Walks the records the way the main loop does. */
static void
build_path(tvbuff_t *tvb, guint count, frame_state_t *st)
{
    int frame_len = tvb_captured_length(tvb);
    int off = 2;

    for (guint i = 0; i < count && frame_len - off >= RECORD_HEADER_LEN; i++) {
        int avail = MIN(tvb_get_ntohs(tvb, off), frame_len - off - RECORD_HEADER_LEN);
        guint16 type = tvb_get_ntohs(tvb, off + 2);

        /* A truncated string may end inside the function name. */
        if ((type == MBUF_TRACE_STRING || type == MBUF_TRACE_STRING_DYNAMIC) && avail > 0 &&
            avail == tvb_get_ntohs(tvb, off)) {
            const guint8 *raw = tvb_get_ptr(tvb, off + RECORD_HEADER_LEN, avail);
            location_t loc;

            if (parse_location(raw, avail, &loc) && is_path_event(raw, &loc))
                add_to_path(st, raw + loc.func_off, loc.func_len);
        }
        off += RECORD_HEADER_LEN + avail;
    }
}

/* STRING and STRING_DYNAMIC. `len` is what the frame holds of the payload;
 * `complete` is FALSE for a truncated record. */
static void
dissect_string(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, proto_item *rec_item, int off,
               int len, gboolean complete, frame_state_t *st)
{
    const guint8 *raw = len > 0 ? tvb_get_ptr(tvb, off, len) : (const guint8 *)"";
    const guint8 *nul = len > 0 ? (const guint8 *)memchr(raw, 0, len) : NULL;
    location_t loc;
    /* A truncated string may end inside the function name: text only. */
    gboolean is_location = complete && parse_location(raw, len, &loc);

    if (st->tap != NULL && is_location) {
        mbuf_trace_point_t *pt = &st->points[st->tap->n_points++];
        pt->file = wmem_strndup(pinfo->pool, (const char *)raw, loc.file_len);
        /* A leave repeats its enter: a function counts once per visit. */
        pt->func = loc.func_len > 0 && strcmp(loc.event, "leave") != 0
                       ? wmem_strndup(pinfo->pool, (const char *)raw + loc.func_off, loc.func_len)
                       : NULL;
    }

    if (tree == NULL)
        return;

    /* Building the text and the label costs more than the rest of the
     * record: do it only when someone looks (a visible tree: -V, the GUI) or
     * asks (a filter, column or -e naming the field). */
    if (proto_field_is_referenced(tree, hf_string)) {
        const char *text = trace_string_text(tvb, off, len, raw, pinfo);

        proto_tree_add_string(tree, hf_string, tvb, off, len, text);
        if (PTREE_DATA(tree)->visible)
            proto_item_append_text(rec_item, ": %s",
                                   len == 0 ? "(empty)" : label_text(pinfo->pool, raw, len, text));
    }

    /* mbuf_trace.data is the Lua dissector's value, byte for byte, so that
     * existing filters and columns match what they matched: the ASCII
     * decoding (each byte >= 0x80 becomes the 3-byte U+FFFD), before 4.4
     * cut to the record's length in bytes, then at the first NUL. For
     * non-ASCII text that cut can fall inside a U+FFFD; mbuf_trace.string
     * has the text. */
    if (complete && proto_field_is_referenced(tree, hf_data)) {
        char *lua_value = (char *)tvb_get_string_enc(pinfo->pool, tvb, off, len, ENC_ASCII);
        proto_item *pi;

        if (MBUF_TRACE_LUA_STRING_CUT_TO_LENGTH && strlen(lua_value) > (size_t)len)
            lua_value[len] = '\0';
        pi = proto_tree_add_string(tree, hf_data, tvb, off, len, lua_value);
        proto_item_set_hidden(pi);
    }

    if (nul != NULL)
        proto_tree_add_expert_format(tree, pinfo, &ei_nul_in_string, tvb, off + (int)(nul - raw), 1,
                                     "NUL byte inside the trace string at byte %d of %d "
                                     "(shown as \\0; the text after it is kept)",
                                     (int)(nul - raw), len);

    if (is_location) {
        proto_item *pi;

        proto_tree_add_item(tree, hf_file, tvb, off, loc.file_len, ENC_UTF_8);
        proto_tree_add_uint(tree, hf_line, tvb, off + loc.line_off, loc.line_len, loc.line);
        if (loc.func_len > 0)
            proto_tree_add_item(tree, hf_func, tvb, off + loc.func_off, loc.func_len, ENC_ASCII);
        pi = proto_tree_add_string(tree, hf_event, tvb,
                                   off + (loc.sign_off >= 0 ? loc.sign_off : loc.func_off),
                                   loc.sign_off >= 0 ? 1 : 0, loc.event);
        proto_item_set_generated(pi);
    }
}

/* DATA and DATA_L3: the packet as it was at the trace point, each in the
 * record's own subtree. */
static void
dissect_snapshot(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, proto_item *rec_item, int off,
                 int len, int declared_len, guint16 type, frame_state_t *st)
{
    guint32 ethertype = 0;
    tvbuff_t *snap_tvb;
    gboolean first;
    guint32 saved_in_error_pkt;

    proto_item_append_text(rec_item, ":");
    if (type == MBUF_TRACE_DATA_L3) {
        proto_tree_add_item_ret_uint(tree, hf_ethertype, tvb, off, ETHERTYPE_LEN, ENC_BIG_ENDIAN,
                                     &ethertype);
        off += ETHERTYPE_LEN;
        len -= ETHERTYPE_LEN;
        declared_len -= ETHERTYPE_LEN;
        proto_item_append_text(rec_item, " %s (0x%04x),",
                               val_to_str_const(ethertype, etype_vals, "unknown ethertype"),
                               ethertype);
    }
    proto_item_append_text(rec_item, " %d-byte snapshot", declared_len);
    st->snapshots++;
    if (len == 0) {
        /* An FT_BYTES item of length 0 would read "<MISSING>". */
        proto_tree_add_bytes_format_value(tree, hf_packet, tvb, off, 0, NULL, "(empty)");
        return;
    }
    proto_tree_add_item(tree, hf_packet, tvb, off, len, ENC_NA);

    snap_tvb = tvb_new_subset_length(tvb, off, len);

    /* The first (non-empty) snapshot is the packet itself. The later ones
     * are copies of it taken further along the stack: dissect them the way Wireshark
     * dissects the packet quoted in an ICMP error, so TCP does no sequence
     * analysis or reassembly on them and they do not touch the columns or
     * addresses (packet.c, call_dissector_work_error). */
    first = !st->have_packet;
    st->have_packet = TRUE;
    saved_in_error_pkt = pinfo->flags.in_error_pkt;
    if (!first && !pref_analyze_snapshots)
        pinfo->flags.in_error_pkt = TRUE;

    TRY
    {
        if (type == MBUF_TRACE_DATA)
            call_dissector(eth_handle, snap_tvb, pinfo, tree);
        else if (!dissector_try_uint(ethertype_table, ethertype, snap_tvb, pinfo, tree))
            call_data_dissector(snap_tvb, pinfo, tree);
    }
    CATCH_NONFATAL_ERRORS
    {
        show_exception(snap_tvb, pinfo, tree, EXCEPT_CODE, GET_MESSAGE);
    }
    ENDTRY;
    pinfo->flags.in_error_pkt = saved_in_error_pkt;

    if (first) {
        copy_address_wmem(pinfo->pool, &st->first_src, &pinfo->src);
        copy_address_wmem(pinfo->pool, &st->first_dst, &pinfo->dst);
    }
}

static void
dissect_time(tvbuff_t *tvb, proto_item *rec_item, int off, frame_state_t *st)
{
    guint64 ns = tvb_get_ntoh64(tvb, off);

    st->time_pending = TRUE;
    st->pending_time.secs = (time_t)(ns / 1000000000);
    st->pending_time.nsecs = (int)(ns % 1000000000);
    st->pending_time_off = off;
    st->pending_time_item = rec_item;
    proto_item_append_text(rec_item, ": %" PRIu64 ".%09u s since mtrace_start", ns / 1000000000,
                           (unsigned)(ns % 1000000000));
}

/* The pending TIME stamps the record that follows it. */
static void
stamp_record(tvbuff_t *tvb, proto_tree *tree, frame_state_t *st)
{
    proto_item *pi;

    pi = proto_tree_add_time(tree, hf_time, tvb, st->pending_time_off, TIME_PAYLOAD_LEN,
                             &st->pending_time);
    proto_item_set_generated(pi);
    if (st->have_stamp) {
        nstime_t delta;

        nstime_delta(&delta, &st->pending_time, &st->last_stamp);
        pi = proto_tree_add_time(tree, hf_time_delta, tvb, st->pending_time_off, TIME_PAYLOAD_LEN,
                                 &delta);
        proto_item_set_generated(pi);
    }
    st->last_stamp = st->pending_time;
    st->have_stamp = TRUE;
    st->time_pending = FALSE;
}

static void
flag_unused_time(packet_info *pinfo, frame_state_t *st)
{
    if (!st->time_pending)
        return;
    expert_add_info(pinfo, st->pending_time_item, &ei_time_unused);
    st->time_pending = FALSE;
}

/* A fixed-size payload: decode it if the frame holds enough bytes, flag a
 * length that differs from the format's. */
static gboolean
check_fixed_length(packet_info *pinfo, proto_item *len_item, int declared_len, int avail, int want,
                   gboolean exact)
{
    if (exact ? declared_len != want : declared_len < want)
        expert_add_info_format(pinfo, len_item, &ei_bad_length,
                               "Payload length %d, this record type needs %s%d", declared_len,
                               exact ? "" : "at least ", want);
    return avail >= want && declared_len >= want;
}

static void
dissect_one_record(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, guint index, int off,
                   frame_state_t *st)
{
    int remaining = tvb_captured_length_remaining(tvb, off);
    int declared_len, avail;
    guint16 type;
    gboolean complete;
    proto_item *rec_item, *len_item, *type_item, *pi;
    proto_tree *rec_tree;

    declared_len = tvb_get_ntohs(tvb, off);
    type = tvb_get_ntohs(tvb, off + 2);
    avail = MIN(declared_len, remaining - RECORD_HEADER_LEN);
    complete = avail == declared_len;

    rec_item = proto_tree_add_item(tree, hf_record, tvb, off, RECORD_HEADER_LEN + avail, ENC_NA);
    proto_item_set_text(rec_item, "Record %u, %s", index,
                        val_to_str(pinfo->pool, type, mbuf_trace_record_type_vals, "type %u"));
    rec_tree = proto_item_add_subtree(rec_item, ett_record);
    pi = proto_tree_add_uint(rec_tree, hf_record_index, tvb, off, 0, index);
    proto_item_set_generated(pi);
    len_item = proto_tree_add_item(rec_tree, hf_record_length, tvb, off, 2, ENC_BIG_ENDIAN);
    type_item = proto_tree_add_item(rec_tree, hf_record_type, tvb, off + 2, 2, ENC_BIG_ENDIAN);

    if (st->tap != NULL)
        st->tap->per_type[type <= MBUF_TRACE_TYPE_MAX ? type : 0]++;

    if (type == MBUF_TRACE_TIME)
        flag_unused_time(pinfo, st);
    else if (st->time_pending)
        stamp_record(tvb, rec_tree, st);

    if (!complete)
        expert_add_info_format(pinfo, rec_item, &ei_truncated,
                               "Record %u truncated: payload length %d, the frame holds %d", index,
                               declared_len, avail);

    off += RECORD_HEADER_LEN;
    switch (type) {
        case MBUF_TRACE_DATA:
            dissect_snapshot(tvb, pinfo, rec_tree, rec_item, off, avail, declared_len, type, st);
            break;
        case MBUF_TRACE_STRING:
        case MBUF_TRACE_STRING_DYNAMIC:
            dissect_string(tvb, pinfo, rec_tree, rec_item, off, avail, complete, st);
            break;
        case MBUF_TRACE_DATA_L3:
            if (check_fixed_length(pinfo, len_item, declared_len, avail, ETHERTYPE_LEN, FALSE))
                dissect_snapshot(tvb, pinfo, rec_tree, rec_item, off, avail, declared_len, type,
                                 st);
            break;
        case MBUF_TRACE_TIME:
            if (check_fixed_length(pinfo, len_item, declared_len, avail, TIME_PAYLOAD_LEN, TRUE))
                dissect_time(tvb, rec_item, off, st);
            break;
        case MBUF_TRACE_LOST:
            if (check_fixed_length(pinfo, len_item, declared_len, avail, LOST_PAYLOAD_LEN, TRUE)) {
                guint32 lost;

                pi = proto_tree_add_item_ret_uint(rec_tree, hf_lost, tvb, off, LOST_PAYLOAD_LEN,
                                                  ENC_BIG_ENDIAN, &lost);
                expert_add_info_format(pinfo, pi, &ei_lost,
                                       "The kernel could not store %u records of this trace", lost);
                proto_item_append_text(rec_item, ": %u records lost", lost);
                st->lost += lost;
            }
            break;
        default:
            expert_add_info_format(pinfo, type_item, &ei_unknown_type,
                                   "Unknown record type %u: %d bytes skipped", type, avail);
            break;
    }
}

static void
set_columns(packet_info *pinfo, guint records, frame_state_t *st)
{
    col_clear_fence(pinfo->cinfo, COL_PROTOCOL);
    col_clear_fence(pinfo->cinfo, COL_INFO);
    col_set_str(pinfo->cinfo, COL_PROTOCOL, "mbuf_trace");
    col_clear(pinfo->cinfo, COL_INFO);
    if (wmem_strbuf_get_len(st->path) > 0)
        col_add_str(pinfo->cinfo, COL_INFO, wmem_strbuf_get_str(st->path));
    col_append_sep_fstr(pinfo->cinfo, COL_INFO, " ", "[%u record%s, %u snapshot%s", records,
                        plurality(records, "", "s"), st->snapshots,
                        plurality(st->snapshots, "", "s"));
    if (st->lost > 0)
        col_append_fstr(pinfo->cinfo, COL_INFO, ", LOST %u", st->lost);
    col_append_str(pinfo->cinfo, COL_INFO, "]");
}

static int
dissect_mbuf_trace(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data _U_)
{
    int frame_len = tvb_captured_length(tvb);
    proto_item *ti, *count_item, *path_item;
    proto_tree *mt_tree;
    frame_state_t st = { 0 };
    guint32 count = 0;
    guint index;
    int off = 0;

    st.path = wmem_strbuf_new(pinfo->pool, "");

    ti = proto_tree_add_item(tree, proto_mbuf_trace, tvb, 0, -1, ENC_NA);
    mt_tree = proto_item_add_subtree(ti, ett_mbuf_trace);

    if (frame_len < 2) {
        proto_tree_add_expert_format(mt_tree, pinfo, &ei_truncated, tvb, 0, frame_len,
                                     "Frame of %d byte%s: too short for the record count",
                                     frame_len, plurality(frame_len, "", "s"));
        set_columns(pinfo, 0, &st);
        return frame_len;
    }
    count_item = proto_tree_add_item_ret_uint(mt_tree, hf_count, tvb, 0, 2, ENC_BIG_ENDIAN, &count);
    build_path(tvb, count, &st);
    path_item = proto_tree_add_string(mt_tree, hf_path, tvb, 0, 0, wmem_strbuf_get_str(st.path));
    proto_item_set_generated(path_item);
    off = 2;

    if (have_tap_listener(mbuf_trace_tap)) {
        st.tap = wmem_new0(pinfo->pool, mbuf_trace_tap_info_t);
        /* Each record takes at least its 4-byte header. */
        st.points = wmem_alloc_array(pinfo->pool, mbuf_trace_point_t,
                                     MIN(count, (guint)(frame_len - 2) / RECORD_HEADER_LEN));
        st.tap->points = st.points;
    }

    /* Sub-dissectors must not take over the columns: Info is ours, and only
     * the first snapshot's addresses go to Src/Dst (restored below). */
    col_set_writable(pinfo->cinfo, -1, FALSE);
    for (index = 1; index <= count; index++) {
        int remaining = frame_len - off;

        if (remaining == 0) {
            expert_add_info_format(pinfo, count_item, &ei_count_mismatch,
                                   "Count says %u records, the frame ends after %u", count,
                                   index - 1);
            break;
        }
        if (remaining < RECORD_HEADER_LEN) {
            proto_tree_add_expert_format(mt_tree, pinfo, &ei_truncated, tvb, off, remaining,
                                         "Record %u truncated: %d of the 4 header bytes", index,
                                         remaining);
            off = frame_len;
            break;
        }
        dissect_one_record(tvb, pinfo, mt_tree, index, off, &st);
        off += RECORD_HEADER_LEN + MIN(tvb_get_ntohs(tvb, off), remaining - RECORD_HEADER_LEN);
    }
    col_set_writable(pinfo->cinfo, -1, TRUE);
    flag_unused_time(pinfo, &st);

    if (off < frame_len)
        proto_tree_add_expert_format(mt_tree, pinfo, &ei_trailing, tvb, off, frame_len - off,
                                     "%d trailing bytes after the %u records", frame_len - off,
                                     count);

    proto_item_append_text(ti, ", %u record%s, %u snapshot%s", index - 1,
                           plurality(index - 1, "", "s"), st.snapshots,
                           plurality(st.snapshots, "", "s"));

    if (st.have_packet) {
        copy_address_shallow(&pinfo->src, &st.first_src);
        copy_address_shallow(&pinfo->dst, &st.first_dst);
    }
    set_columns(pinfo, index - 1, &st);

    if (st.tap != NULL) {
        st.tap->records = index - 1;
        st.tap->lost = st.lost;
        st.tap->path = wmem_strbuf_get_str(st.path);
        tap_queue_packet(mbuf_trace_tap, pinfo, st.tap);
    }
    return frame_len;
}

void
proto_register_mbuf_trace(void)
{
    module_t *mbuf_trace_module;
    expert_module_t *expert_mbuf_trace;

    // clang-format off
    static hf_register_info hf[] = {
        { &hf_count,
          { "Record count", "mbuf_trace.count", FT_UINT16, BASE_DEC, NULL, 0x0,
            "Number of records the frame declares", HFILL } },
        { &hf_path,
          { "Path", "mbuf_trace.path", FT_STRING, BASE_NONE, NULL, 0x0,
            "Functions entered or marked, in order, repeats collapsed, joined by \" > \"", HFILL } },
        { &hf_record,
          { "Record", "mbuf_trace.record", FT_NONE, BASE_NONE, NULL, 0x0,
            NULL, HFILL } },
        { &hf_record_index,
          { "Index", "mbuf_trace.record.index", FT_UINT16, BASE_DEC, NULL, 0x0,
            "Position of the record in the frame, from 1", HFILL } },
        { &hf_record_length,
          { "Length", "mbuf_trace.record.length", FT_UINT16, BASE_DEC, NULL, 0x0,
            "Payload length", HFILL } },
        { &hf_record_type,
          { "Type", "mbuf_trace.record.type", FT_UINT16, BASE_DEC,
            VALS(mbuf_trace_record_type_vals), 0x0, NULL, HFILL } },
        { &hf_string,
          { "String", "mbuf_trace.string", FT_STRING, BASE_NONE, NULL, 0x0,
            "Trace string, UTF-8, a NUL shown as \\0", HFILL } },
        { &hf_data,
          { "data", "mbuf_trace.data", FT_STRING, BASE_NONE, NULL, 0x0,
            "The Lua dissector's value: ASCII, cut to the record length and at the first NUL", HFILL } },
        { &hf_file,
          { "File", "mbuf_trace.file", FT_STRING, BASE_NONE, NULL, 0x0,
            NULL, HFILL } },
        { &hf_line,
          { "Line", "mbuf_trace.line", FT_UINT32, BASE_DEC, NULL, 0x0,
            NULL, HFILL } },
        { &hf_func,
          { "Function", "mbuf_trace.func", FT_STRING, BASE_NONE, NULL, 0x0,
            NULL, HFILL } },
        { &hf_event,
          { "Event", "mbuf_trace.event", FT_STRING, BASE_NONE, NULL, 0x0,
            "enter (+func), leave (-func), mark (func) or location (file:line only)", HFILL } },
        { &hf_packet,
          { "Packet", "mbuf_trace.packet", FT_BYTES, BASE_NONE, NULL, 0x0,
            "Snapshot of the packet bytes", HFILL } },
        { &hf_ethertype,
          { "Ethertype", "mbuf_trace.ethertype", FT_UINT16, BASE_HEX, VALS(etype_vals), 0x0,
            "Protocol the DATA_L3 snapshot starts with", HFILL } },
        { &hf_time,
          { "Time since mtrace_start", "mbuf_trace.time", FT_RELATIVE_TIME, BASE_NONE, NULL, 0x0,
            "From the TIME record before this one", HFILL } },
        { &hf_time_delta,
          { "Time since previous stamp", "mbuf_trace.time_delta", FT_RELATIVE_TIME, BASE_NONE,
            NULL, 0x0, NULL, HFILL } },
        { &hf_lost,
          { "Lost records", "mbuf_trace.lost", FT_UINT32, BASE_DEC, NULL, 0x0,
            "Records the kernel could not store", HFILL } },
    };

    static gint *ett[] = {
        &ett_mbuf_trace,
        &ett_record,
    };

    static ei_register_info ei[] = {
        { &ei_truncated,
          { "mbuf_trace.truncated", PI_MALFORMED, PI_ERROR,
            "Record extends past the end of the frame", EXPFILL } },
        { &ei_count_mismatch,
          { "mbuf_trace.count_mismatch", PI_MALFORMED, PI_ERROR,
            "Frame holds fewer records than its count", EXPFILL } },
        { &ei_trailing,
          { "mbuf_trace.trailing", PI_MALFORMED, PI_WARN,
            "Trailing bytes after the last record", EXPFILL } },
        { &ei_unknown_type,
          { "mbuf_trace.unknown_type", PI_UNDECODED, PI_WARN,
            "Unknown record type, skipped", EXPFILL } },
        { &ei_bad_length,
          { "mbuf_trace.bad_length", PI_MALFORMED, PI_ERROR,
            "Payload length wrong for a fixed-size record type", EXPFILL } },
        { &ei_nul_in_string,
          { "mbuf_trace.nul_in_string", PI_MALFORMED, PI_WARN,
            "NUL byte inside a trace string", EXPFILL } },
        { &ei_lost,
          { "mbuf_trace.lost_records", PI_SEQUENCE, PI_WARN,
            "The kernel lost records of this trace", EXPFILL } },
        { &ei_time_unused,
          { "mbuf_trace.time_unused", PI_PROTOCOL, PI_NOTE,
            "TIME record not followed by a record to stamp", EXPFILL } },
    };
    // clang-format on

    proto_mbuf_trace = proto_register_protocol("mbuf_trace Link-Layer", "mbuf_trace", "mbuf_trace");
    proto_register_field_array(proto_mbuf_trace, hf, array_length(hf));
    proto_register_subtree_array(ett, array_length(ett));
    expert_mbuf_trace = expert_register_protocol(proto_mbuf_trace);
    expert_register_field_array(expert_mbuf_trace, ei, array_length(ei));

    mbuf_trace_handle = register_dissector("mbuf_trace", dissect_mbuf_trace, proto_mbuf_trace);
    mbuf_trace_tap = register_tap("mbuf_trace");

    /* The handoff doubles as the preferences callback: it moves the claim. */
    mbuf_trace_module = prefs_register_protocol(proto_mbuf_trace, proto_reg_handoff_mbuf_trace);
    prefs_register_bool_preference(
        mbuf_trace_module, "claim_encap", "Claim the DLT_USER encapsulation",
        "Decode frames of the selected DLT_USER linktype as mbuf_trace. Turn off to choose "
        "mbuf_trace in the \"User DLTs\" table (Protocols > DLT_USER) instead.",
        &pref_claim_encap);
    prefs_register_enum_preference(
        mbuf_trace_module, "dlt_user", "DLT_USER linktype",
        "Which DLT_USER linktype (147-162) carries mbuf_trace frames; the kernel writes 0.",
        &pref_dlt_user, dlt_user_vals, FALSE);
    prefs_register_bool_preference(
        mbuf_trace_module, "analyze_snapshots", "Analyze every snapshot",
        "Let the second and later snapshots of a trace feed TCP sequence analysis, reassembly "
        "and the address columns like real packets. Off: only the first snapshot does; the "
        "others are dissected like the packet quoted in an ICMP error.",
        &pref_analyze_snapshots);
}

void
proto_reg_handoff_mbuf_trace(void)
{
    static gboolean initialized = FALSE;
    static gboolean claimed = FALSE;
    static guint claimed_encap;

    if (!initialized) {
        eth_handle = find_dissector_add_dependency("eth_withoutfcs", proto_mbuf_trace);
        ethertype_table = find_dissector_table("ethertype");
        register_mbuf_trace_stats_tree();
        initialized = TRUE;
    }

    /* Give a released slot back to the built-in user_dlt dissector:
     * deleting the entry would leave the linktype with no dissector. */
    if (claimed) {
        dissector_handle_t user_dlt = find_dissector("user_dlt");

        if (user_dlt != NULL)
            dissector_add_uint("wtap_encap", claimed_encap, user_dlt);
        else
            dissector_delete_uint("wtap_encap", claimed_encap, mbuf_trace_handle);
        claimed = FALSE;
    }
    /* dissector_add_uint, not dissector_change_uint: a "Decode As" change is
     * undone when the settings load, an addition is not. */
    if (pref_claim_encap) {
        claimed_encap = WTAP_ENCAP_USER0 + (guint)pref_dlt_user;
        dissector_add_uint("wtap_encap", claimed_encap, mbuf_trace_handle);
        claimed = TRUE;
    }
}
