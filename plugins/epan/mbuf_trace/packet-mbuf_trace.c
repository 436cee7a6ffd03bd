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
#include <wsutil/to_str.h>

#include "packet-mbuf_trace.h"

void proto_register_mbuf_trace(void);
void proto_reg_handoff_mbuf_trace(void);

#define PATH_SEPARATOR " > "
#define INFO_SEPARATOR " | "

static int proto_mbuf_trace = -1;

static int hf_count = -1;
static int hf_generation = -1;
static int hf_newest_first = -1;
static int hf_path = -1;
static int hf_record = -1;
static int hf_record_index = -1;
static int hf_record_step = -1;
static int hf_record_length = -1;
static int hf_record_type = -1;
static int hf_record_type_gen2 = -1;
static int hf_string = -1;
static int hf_data = -1;
static int hf_file = -1;
static int hf_line = -1;
static int hf_source_url = -1;
static int hf_func = -1;
static int hf_arg = -1;
static int hf_event = -1;
static int hf_text = -1;
static int hf_packet = -1;
static int hf_ethertype = -1;
static int hf_time = -1;
static int hf_time_delta = -1;
static int hf_lost = -1;
static int hf_packet_length = -1;
static int hf_fate = -1;
static int hf_fate_kind = -1;
static int hf_fate_reason = -1;
static int hf_fate_value = -1;
static int hf_fate_detail = -1;
static int hf_drop_reason = -1;
static int hf_drop_code = -1;
static int hf_drop_counter = -1;
static int hf_pf_rule = -1;
static int hf_pf_label = -1;
static int hf_free_pid = -1;
static int hf_free_user = -1;
static int hf_free_thread = -1;
static int hf_free_site = -1;
static int hf_free_func = -1;

static int ett_mbuf_trace = -1;
static int ett_record = -1;

static expert_field ei_truncated = EI_INIT;
static expert_field ei_count_mismatch = EI_INIT;
static expert_field ei_trailing = EI_INIT;
static expert_field ei_unknown_type = EI_INIT;
static expert_field ei_bad_length = EI_INIT;
static expert_field ei_nul_in_string = EI_INIT;
static expert_field ei_lost = EI_INIT;
static expert_field ei_time_unused = EI_INIT;
static expert_field ei_cut_unused = EI_INIT;
static expert_field ei_dropped = EI_INIT;

static int mbuf_trace_tap = -1;

static dissector_handle_t mbuf_trace_handle;
static dissector_handle_t eth_handle;
static dissector_table_t ethertype_table;

/* Preferences (docs/fields.md). */
static MBUF_TRACE_API_BOOL pref_claim_encap = true;
static int pref_dlt_user = 0;
static MBUF_TRACE_API_BOOL pref_analyze_snapshots = false;
static int pref_generation = 0; /* 0: decide per frame */
static const char *pref_source_prefix = "/usr/src/";
static const char *pref_source_url_template = "";

// clang-format off
/* The record types and the reasons, from the kernel's tables. */
#define RECORD_TYPE_NAME(name, type, len, exact) { type, #name },
const value_string mbuf_trace_record_type_vals[] = {
    MTRACE_RECORD_TYPES(RECORD_TYPE_NAME)
    { 0, NULL }
};

/* A fixed-size payload: at least min bytes, exactly min when exact. */
typedef struct record_size {
    int min;
    bool exact;
} record_size_t;

#define RECORD_TYPE_SIZE(name, type, len, exact) [type] = { len, exact },
static const record_size_t record_sizes[MTRACE_REC_MAX + 1] = {
    MTRACE_RECORD_TYPES(RECORD_TYPE_SIZE)
};

#define REASON_NAME(name, code, fate, group, counter, text) { code, #name },
static const value_string reason_vals[] = {
    MTRACE_REASONS(REASON_NAME)
    { 0, NULL }
};
static value_string_ext reason_vals_ext = VALUE_STRING_EXT_INIT(reason_vals);

/* The rest of a reason's row, at its index in reason_vals. */
typedef struct reason_info {
    uint8_t fate;
    const char *counter; /* "ip.ips_badsum", pfctl's "pf.bad-offset", or NULL
                          * (registration turns the table's spelling into these) */
    const char *text;
} reason_info_t;

#define REASON_INFO(name, code, fate, group, counter, text)                                        \
    { MTRACE_FATE_##fate, #group "." #counter, text },
static reason_info_t reason_infos[] = {
    MTRACE_REASONS(REASON_INFO)
};

const value_string mbuf_trace_fate_vals[] = {
    { MTRACE_FATE_DROPPED,   "dropped" },
    { MTRACE_FATE_CONSUMED,  "consumed" },
    { MTRACE_FATE_DELIVERED, "delivered" },
    { MTRACE_FATE_SENT,      "sent" },
    { 0, NULL }
};

static const value_string gen2_record_type_vals[] = {
    { MBUF_TRACE_GEN2_DATA,   "DATA" },
    { MBUF_TRACE_GEN2_STRING, "STRING" },
    { 0, NULL }
};

static const value_string generation_vals[] = {
    { 1, "types 1 DATA, 2 STRING, 3 STRING_DYNAMIC, 4 and up" },
    { 2, "types 0 DATA, 1 STRING" },
    { 0, NULL }
};

/* mbuf_trace.event: what a location string says happened. */
enum event { EVENT_NONE, EVENT_LOCATION, EVENT_ENTER, EVENT_LEAVE, EVENT_MARK };

static const value_string event_vals[] = {
    { EVENT_LOCATION, "location" },
    { EVENT_ENTER,    "enter" },
    { EVENT_LEAVE,    "leave" },
    { EVENT_MARK,     "mark" },
    { 0, NULL }
};

static const enum_val_t generation_pref_vals[] = {
    { "auto", "Decide for each frame",                  0 },
    { "1",    "Generation 1 (1 DATA, 2-3 STRING, 4 and up)", 1 },
    { "2",    "Generation 2 (0 DATA, 1 STRING)",        2 },
    { NULL, NULL, 0 }
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

/* A trace string split by the grammar of docs/format.md. Offsets are
 * relative to the start of the string; -1 marks what is absent. */
typedef struct parsed {
    int file_len; /* 0: no "FILE:LINE" location */
    int line_off;
    int line_len;
    uint32_t line;
    int sign_off; /* '+' or '-' */
    int func_off;
    int func_len; /* 0: no function */
    int arg_off;  /* the "ARG" of "NAME(ARG)" */
    int arg_len;
    int text_off; /* free text: all of a string without a location, or TEXT */
    int text_len;
    uint8_t event; /* enum event; EVENT_NONE: free text without a location */
} parsed_t;

/* One record, as the scan found it. */
typedef struct record {
    int off;             /* of its header */
    int len;             /* payload length it declares */
    int avail;           /* payload bytes the frame holds */
    uint16_t type;       /* on the wire */
    bool cut_used;       /* a CUT that describes the snapshot before it */
    uint32_t packet_len; /* a snapshot: the length a CUT after it gives, or 0 */
    /* Types 1-3, a string in some generation: its payload in the frame, and
     * for a string (STRING, STRING_DYNAMIC), what parsing it found. */
    const uint8_t *raw;
    int nul;       /* the payload's first NUL byte, or -1 */
    bool c_string; /* complete, with one NUL, at its end */
    int text_len;  /* the bytes that are text (string_text_len) */
    parsed_t parsed;
    /* A FATE whose header the frame holds: what it says, its detail text at
     * detail_off. */
    uint8_t fate;
    bool has_value;
    uint16_t reason;
    uint32_t value;
    int detail_off, detail_len;
    const reason_info_t *info; /* NULL: a reason this plugin does not know */
} record_t;

/* What the scan of one frame found: its structure, generation and order,
 * the packet, what became of it, and in info the frame's facts for the
 * Info column, the frame's own fields and the tap. Lives on the stack of
 * dissect_mbuf_trace(); what it points to in pinfo->pool. */
typedef struct frame_scan {
    record_t *recs; /* the records with a whole header, in byte order */
    unsigned n_recs;
    unsigned *strings; /* the records of types 1-3 (strings in some generation) */
    unsigned n_strings;
    unsigned generation;
    bool newest_first;
    const record_t *packet_rec; /* the packet itself: its first snapshot in time */
    /* What became of the packet: its last whole FATE, and the FATE records
     * of the drops that lead to it (those after the last other fate), oldest
     * first; its last whole FREE. Only this project's kernel writes them,
     * always oldest first. */
    const record_t *fate_rec;
    const record_t **drops;
    unsigned n_drops;
    const record_t *free_rec;
    wmem_strbuf_t *path;
    mbuf_trace_tap_info_t *info; /* queued to the tap when one listens */
} frame_scan_t;

/* What the tree pass carries from one record to the next. */
typedef struct tree_pass {
    int type_hf; /* the Type field of the frame's generation */
    unsigned snapshots;
    const char *summary;  /* the packet's Info, from its first snapshot */
    const char *protocol; /* the packet's Protocol, likewise */
    address first_src;
    address first_dst;
    /* A TIME record waiting for the record it stamps. */
    bool time_pending;
    nstime_t pending_time;
    int pending_time_off;
    proto_item *pending_time_item;
    bool have_stamp;
    nstime_t last_stamp;
} tree_pass_t;

/* The function of a location's TEXT: "[+-]?NAME" or "[+-]?NAME(ARG)" with
 * NAME a C identifier (a function or a macro) and ARG anything printable
 * with balanced parentheses, closed by the string's last byte. */
static bool
parse_function(const uint8_t *s, int i, int len, parsed_t *p)
{
    int depth = 0;

    if (s[i] == '+' || s[i] == '-')
        p->sign_off = i++;
    p->func_off = i;
    if (i == len || !(g_ascii_isalpha(s[i]) || s[i] == '_'))
        return false;
    while (i < len && (g_ascii_isalnum(s[i]) || s[i] == '_'))
        i++;
    p->func_len = i - p->func_off;
    if (i == len)
        return true;
    if (s[i] != '(' || s[len - 1] != ')')
        return false;
    p->arg_off = i + 1;
    p->arg_len = len - 1 - p->arg_off;
    for (; i < len - 1; i++) {
        if (g_ascii_iscntrl(s[i]))
            return false;
        depth += s[i] == '(' ? 1 : s[i] == ')' ? -1 : 0;
        if (depth == 0)
            return false; /* "f(a) (b)": closed before the end */
    }
    return depth == 1;
}

/* Splits a trace string: "FILE:LINE", "FILE:LINE: [+-]NAME[(ARG)]",
 * "FILE:LINE: TEXT", or free text. */
static void
parse_string(const uint8_t *s, int len, parsed_t *p)
{
    bool has_dot = false;
    uint64_t line = 0;
    int i, file_len, line_off;

    *p = (parsed_t){ .sign_off = -1, .arg_off = -1, .text_off = 0, .text_len = len };
    for (i = 0; i < len && s[i] != ':'; i++) {
        if (g_ascii_isspace(s[i]) || g_ascii_iscntrl(s[i]))
            return;
        has_dot |= s[i] == '.';
    }
    /* __FILE__ always names a source file: requiring a '.' keeps free text
     * such as "state:3" out of the location form. */
    if (i == 0 || i == len || !has_dot)
        return;
    file_len = i++;
    line_off = i;
    for (; i < len && g_ascii_isdigit(s[i]) && i - line_off < 10; i++)
        line = line * 10 + (uint64_t)(s[i] - '0');
    if (i == line_off || line > G_MAXUINT32)
        return;
    if (i < len && (len - i < 3 || s[i] != ':' || s[i + 1] != ' '))
        return;

    p->file_len = file_len;
    p->line_off = line_off;
    p->line_len = i - line_off;
    p->line = (uint32_t)line;
    p->event = EVENT_LOCATION;
    p->text_off = -1;
    if (i == len)
        return;
    i += 2;
    if (parse_function(s, i, len, p)) {
        p->event = p->sign_off < 0 ? EVENT_MARK : s[p->sign_off] == '+' ? EVENT_ENTER : EVENT_LEAVE;
        return;
    }
    p->sign_off = p->arg_off = -1;
    p->func_len = 0;
    p->text_off = i;
    p->text_len = len - i;
}

/* The bytes of a string record that are text: all of them but one
 * trailing NUL, the C string's terminator the deployed kernels send. */
static int
string_text_len(const record_t *r)
{
    if (r->avail == r->len && r->len > 0 && r->raw[r->len - 1] == '\0')
        return r->len - 1;
    return r->avail;
}

/* A string, parsed once for the path and the fields both. A truncated
 * string may end inside the function name: it is text only. */
static void
parse_record_string(record_t *r)
{
    r->text_len = string_text_len(r);
    if (r->avail == r->len)
        parse_string(r->raw, r->text_len, &r->parsed);
    else
        r->parsed =
            (parsed_t){ .sign_off = -1, .arg_off = -1, .text_off = 0, .text_len = r->text_len };
}

/* The trace string as text: UTF-8, invalid sequences replaced by U+FFFD
 * (the wire has no encoding; kernel strings are ASCII in practice). A NUL
 * would end the C string a field value is, hiding what follows it, so each
 * NUL is shown as the two characters "\0" instead. */
static const char *
trace_string_text(wmem_allocator_t *pool, tvbuff_t *tvb, int off, int len)
{
    wmem_strbuf_t *text = wmem_strbuf_new_sized(pool, len + 8);
    int nul, end = off + len;

    while ((nul = tvb_find_uint8(tvb, off, end - off, 0)) >= 0) {
        wmem_strbuf_append(text,
                           (const char *)tvb_get_string_enc(pool, tvb, off, nul - off, ENC_UTF_8));
        wmem_strbuf_append(text, "\\0");
        off = nul + 1;
    }
    wmem_strbuf_append(text,
                       (const char *)tvb_get_string_enc(pool, tvb, off, end - off, ENC_UTF_8));
    return wmem_strbuf_get_str(text);
}

/* A string field over len bytes of a trace string at off: as the frame
 * holds them, or, with a NUL inside (nul_inside), as trace_string_text()
 * shows them. Its value in *text when text is not NULL. */
static proto_item *
add_trace_text(proto_tree *tree, int hf, tvbuff_t *tvb, int off, int len, bool nul_inside,
               packet_info *pinfo, const char **text)
{
    const char *value;

    if (!nul_inside && text == NULL)
        return mbuf_trace_add_text(tree, hf, tvb, off, len, ENC_UTF_8);
    if (!nul_inside)
        return mbuf_trace_add_text_ret(tree, hf, tvb, off, len, ENC_UTF_8, pinfo->pool, text);
    if (text == NULL && !proto_field_is_referenced(tree, hf))
        return NULL;
    value = trace_string_text(pinfo->pool, tvb, off, len);
    if (text != NULL)
        *text = value;
    return proto_tree_add_string(tree, hf, tvb, off, len, value);
}

/* A label must not carry control characters (they would break tshark -V
 * lines). format_text escapes them at a cost per character; printable ASCII,
 * what kernel strings are, needs no escaping. */
static const char *
label_text(wmem_allocator_t *pool, const uint8_t *raw, int len, const char *text)
{
    for (int i = 0; i < len; i++) {
        if (raw[i] < 0x20 || raw[i] >= 0x7f)
            return format_text(pool, text, strlen(text));
    }
    return text;
}

/* What a record's type means in the frame's generation. */
static uint8_t
record_kind(unsigned generation, uint16_t type)
{
    if (generation == 2)
        return type == MBUF_TRACE_GEN2_DATA     ? MTRACE_REC_DATA
               : type == MBUF_TRACE_GEN2_STRING ? MTRACE_REC_STRING
                                                : MBUF_TRACE_UNKNOWN;
    return type <= MTRACE_REC_MAX ? (uint8_t)type : MBUF_TRACE_UNKNOWN;
}

static bool
is_string_kind(uint8_t kind)
{
    return kind == MTRACE_REC_STRING || kind == MTRACE_REC_STRING_DYNAMIC;
}

/* Bytes of packet a snapshot record holds (DATA_L3: after the ethertype). */
static int
snapshot_bytes(const record_t *r)
{
    return r->type == MTRACE_REC_DATA_L3 ? MAX(r->avail - MTRACE_DATA_L3_HDRLEN, 0) : r->avail;
}

/* A FATE record's header, when the frame holds it whole. */
static void
scan_fate(tvbuff_t *tvb, record_t *r)
{
    int off = r->off + MTRACE_RECORD_HDRLEN, idx;

    if (r->len < MTRACE_FATE_HDRLEN || r->avail < MTRACE_FATE_HDRLEN)
        return;
    r->fate = tvb_get_uint8(tvb, off);
    r->has_value = (tvb_get_uint8(tvb, off + 1) & MTRACE_FATE_VALUE) != 0;
    r->reason = tvb_get_ntohs(tvb, off + 2);
    r->value = tvb_get_ntohl(tvb, off + 4);
    r->detail_off = off + MTRACE_FATE_HDRLEN;
    r->detail_len = r->avail - MTRACE_FATE_HDRLEN;
    if (try_val_to_str_idx_ext(r->reason, &reason_vals_ext, &idx) != NULL)
        r->info = &reason_infos[idx];
}

/* The scan: one walk over the frame's records in byte order. Each record's
 * header and what the generation and the order depend on; the snapshots,
 * CUTs, LOSTs, FATEs and FREEs taken as generation 1 means them, which the
 * generation decided at the end confirms or voids (a frame of records of
 * types 4 and up is generation 1 and oldest first, so byte order is time
 * order for them). docs/format.md, "Generations", gives the rules. */
static void
scan_records(tvbuff_t *tvb, packet_info *pinfo, unsigned count, frame_scan_t *sc)
{
    int frame_len = tvb_captured_length(tvb);
    int off = MTRACE_FRAME_HDRLEN;
    /* Each record takes at least its 4-byte header. */
    unsigned max = MIN(count, (unsigned)(frame_len - MTRACE_FRAME_HDRLEN) / MTRACE_RECORD_HDRLEN);
    unsigned by_type[MTRACE_REC_MAX + 2] = { 0 }; /* [MTRACE_REC_MAX + 1]: higher types */
    bool type_0 = false, gen1_type = false, later_type = false;
    bool type_1_strings = false, type_1_packets = false;
    unsigned strings = 0;
    bool plain_string = false;
    /* The first and the last snapshot with bytes, were the frame generation
     * 1 ([1]: types 1 and 4) or generation 2 ([2]: type 0). */
    const record_t *first[3] = { NULL }, *last[3] = { NULL };
    mbuf_trace_tap_info_t *info = sc->info;

    sc->recs = wmem_alloc0_array(pinfo->pool, record_t, max);
    sc->strings = wmem_alloc_array(pinfo->pool, unsigned, max);
    while (sc->n_recs < max && frame_len - off >= MTRACE_RECORD_HDRLEN) {
        record_t *r = &sc->recs[sc->n_recs];
        const record_t *prev = sc->n_recs > 0 ? r - 1 : NULL;
        bool complete;

        r->off = off;
        r->len = tvb_get_ntohs(tvb, off);
        r->type = tvb_get_ntohs(tvb, off + 2);
        r->avail = MIN(r->len, frame_len - off - MTRACE_RECORD_HDRLEN);
        r->nul = -1;
        complete = r->len > 0 && r->avail == r->len;
        off += MTRACE_RECORD_HDRLEN + r->avail;
        by_type[MIN(r->type, MTRACE_REC_MAX + 1)]++;
        gen1_type |= r->type > MBUF_TRACE_GEN2_STRING && r->type <= MTRACE_REC_MAX;
        later_type |= r->type >= MTRACE_REC_DATA_L3 && r->type <= MTRACE_REC_MAX;

        if ((r->type == MBUF_TRACE_GEN2_DATA || r->type == MTRACE_REC_DATA ||
             r->type == MTRACE_REC_DATA_L3) &&
            snapshot_bytes(r) > 0) {
            unsigned gen = r->type == MBUF_TRACE_GEN2_DATA ? 2 : 1;

            if (first[gen] == NULL)
                first[gen] = r;
            last[gen] = r;
        }
        switch (r->type) {
            case MBUF_TRACE_GEN2_DATA:
                type_0 = true;
                break;
            case MTRACE_REC_DATA: /* generation 2's STRING */
            case MTRACE_REC_STRING:
            case MTRACE_REC_STRING_DYNAMIC:
                sc->strings[sc->n_strings++] = sc->n_recs;
                if (r->avail > 0) {
                    r->raw = tvb_get_ptr(tvb, r->off + MTRACE_RECORD_HDRLEN, r->avail);
                    r->nul = tvb_find_uint8(tvb, r->off + MTRACE_RECORD_HDRLEN, r->avail, 0);
                    if (r->nul >= 0)
                        r->nul -= r->off + MTRACE_RECORD_HDRLEN;
                }
                r->c_string = complete && r->nul == r->len - 1;
                if (complete && r->type == MTRACE_REC_DATA) {
                    type_1_strings |= r->c_string;
                    type_1_packets |= !r->c_string;
                } else if (complete) {
                    strings++;
                    plain_string |= !r->c_string;
                }
                break;
            case MTRACE_REC_LOST:
                if (r->len >= MTRACE_LOST_LEN && r->avail >= MTRACE_LOST_LEN)
                    info->lost += tvb_get_ntohl(tvb, r->off + MTRACE_RECORD_HDRLEN);
                break;
            /* A CUT gives the length of the packet the snapshot right before
             * it was cut from. */
            case MTRACE_REC_CUT:
                if (prev != NULL && r->len == MTRACE_CUT_LEN && r->avail == r->len &&
                    (prev->type == MTRACE_REC_DATA || prev->type == MTRACE_REC_DATA_L3) &&
                    prev->avail == prev->len) {
                    uint32_t len = tvb_get_ntohl(tvb, r->off + MTRACE_RECORD_HDRLEN);

                    if (len >= (uint32_t)snapshot_bytes(prev)) {
                        sc->recs[sc->n_recs - 1].packet_len = len;
                        r->cut_used = true;
                    }
                }
                break;
            case MTRACE_REC_FATE:
                scan_fate(tvb, r);
                if (r->fate == 0)
                    break;
                sc->fate_rec = r;
                if (r->fate != MTRACE_FATE_DROPPED) {
                    sc->n_drops = 0;
                    break;
                }
                if (sc->drops == NULL)
                    sc->drops = wmem_alloc_array(pinfo->pool, const record_t *, max);
                sc->drops[sc->n_drops++] = r;
                break;
            case MTRACE_REC_FREE:
                if (r->len >= MTRACE_FREE_HDRLEN && r->avail == r->len)
                    sc->free_rec = r;
                break;
            default:
                break;
        }
        sc->n_recs++;
    }

    /* A type 0 record is generation 2's packet, types 2 and up exist only in
     * generation 1; a frame of type 1 records alone is generation 2 when
     * they are all C strings, generation 1 (packets) else. */
    sc->generation = pref_generation != 0                ? (unsigned)pref_generation
                     : type_0                            ? 2
                     : gen1_type                         ? 1
                     : type_1_strings && !type_1_packets ? 2
                                                         : 1;
    info->records = sc->n_recs;
    if (sc->generation == 2) {
        sc->newest_first = true;
        sc->packet_rec = last[2];
        sc->fate_rec = sc->free_rec = NULL;
        sc->n_drops = 0;
        info->lost = 0;
        info->per_type[MTRACE_REC_DATA] = by_type[MBUF_TRACE_GEN2_DATA];
        info->per_type[MTRACE_REC_STRING] = by_type[MBUF_TRACE_GEN2_STRING];
        info->per_type[MBUF_TRACE_UNKNOWN] = sc->n_recs - by_type[0] - by_type[1];
        return;
    }
    /* The deployed kernels prepend each record to the trace and write it
     * from its head: newest first. This project's kernel appends (oldest
     * first), uses types 4 and up and sends no terminators, so a generation
     * 1 frame is the deployed one's when its strings are all C strings. */
    sc->newest_first = !later_type && strings > 0 && !plain_string;
    sc->packet_rec = sc->newest_first ? last[1] : first[1];
    for (unsigned type = 1; type <= MTRACE_REC_MAX; type++)
        info->per_type[type] = by_type[type];
    info->per_type[MBUF_TRACE_UNKNOWN] = by_type[0] + by_type[MTRACE_REC_MAX + 1];
}

/* The path, in the order the packet met the trace points: enters and
 * marks, and a leave whose enter the trace did not record (the packet was
 * in that function all the same). It walks the frame's strings in time
 * order, which the deployed kernels write newest first, so it follows the
 * scan; it parses each string once for the path and the tree. With a tap,
 * it also lists the location strings. */
static void
build_path(tvbuff_t *tvb, packet_info *pinfo, frame_scan_t *sc, bool tapped)
{
    const uint8_t **open = wmem_alloc_array(pinfo->pool, const uint8_t *, sc->n_strings + 1);
    int *open_len = wmem_alloc_array(pinfo->pool, int, sc->n_strings + 1);
    unsigned n_open = 0;
    const uint8_t *last_func = NULL;
    int last_func_len = 0;
    mbuf_trace_point_t *points = NULL;

    sc->path = wmem_strbuf_new(pinfo->pool, "");
    if (tapped)
        sc->info->points = points =
            wmem_alloc_array(pinfo->pool, mbuf_trace_point_t, sc->n_strings);
    for (unsigned i = 0; i < sc->n_strings; i++) {
        record_t *r = &sc->recs[sc->strings[sc->newest_first ? sc->n_strings - 1 - i : i]];
        const parsed_t *p = &r->parsed;
        const uint8_t *func;
        bool on_path;

        if (!is_string_kind(record_kind(sc->generation, r->type)))
            continue;
        parse_record_string(r);
        if (p->file_len == 0)
            continue;
        func = r->raw + p->func_off;
        on_path = p->func_len > 0;
        if (on_path && p->sign_off >= 0 && r->raw[p->sign_off] == '+') {
            open[n_open] = func;
            open_len[n_open++] = p->func_len;
        } else if (on_path && p->sign_off >= 0) {
            for (unsigned j = n_open; j-- > 0;) {
                if (open_len[j] == p->func_len && memcmp(open[j], func, p->func_len) == 0) {
                    n_open = j;
                    on_path = false;
                    break;
                }
            }
        }
        /* A function equal to the one just before it is collapsed. */
        if (on_path &&
            !(last_func_len == p->func_len && memcmp(last_func, func, p->func_len) == 0)) {
            if (last_func != NULL)
                wmem_strbuf_append(sc->path, PATH_SEPARATOR);
            wmem_strbuf_append_len(sc->path, (const char *)func, p->func_len);
            last_func = func;
            last_func_len = p->func_len;
        }
        if (points != NULL) {
            mbuf_trace_point_t *pt = &points[sc->info->n_points++];

            pt->file = (const char *)tvb_get_string_enc(
                pinfo->pool, tvb, r->off + MTRACE_RECORD_HDRLEN, p->file_len, ENC_UTF_8);
            /* A leave repeats its enter: a function counts once per visit. */
            pt->func = on_path ? wmem_strndup(pinfo->pool, (const char *)func, p->func_len) : NULL;
        }
    }
    sc->info->path = wmem_strbuf_get_str(sc->path);
}

/* The URL template filled in for the file as the trace names it (its raw
 * bytes, percent-encoded): %f the path below the source tree's prefix as
 * captured, or a relative path as it is; %l the line. NULL when no template
 * is set or an absolute path lies outside the tree. */
static const char *
source_url(wmem_allocator_t *pool, const uint8_t *file, int len, uint32_t line)
{
    int plen = pref_source_prefix != NULL ? (int)strlen(pref_source_prefix) : 0;
    wmem_strbuf_t *url;
    char *path;

    if (pref_source_url_template == NULL || pref_source_url_template[0] == '\0')
        return NULL;
    if (plen > 0 && len >= plen && memcmp(file, pref_source_prefix, plen) == 0 &&
        (pref_source_prefix[plen - 1] == '/' || len == plen || file[plen] == '/')) {
        for (file += plen, len -= plen; len > 0 && *file == '/'; file++, len--)
            ;
    } else if (plen > 0 && file[0] == '/') {
        return NULL;
    }
    path = g_uri_escape_bytes(file, len, G_URI_RESERVED_CHARS_ALLOWED_IN_PATH);
    url = wmem_strbuf_new(pool, "");
    for (const char *t = pref_source_url_template; *t != '\0'; t++) {
        if (t[0] == '%' && t[1] == 'f')
            wmem_strbuf_append(url, path);
        else if (t[0] == '%' && t[1] == 'l')
            wmem_strbuf_append_printf(url, "%u", line);
        else if (t[0] == '%' && t[1] == '%')
            wmem_strbuf_append_c(url, '%');
        else {
            wmem_strbuf_append_c(url, *t);
            continue;
        }
        t++;
    }
    g_free(path);
    return wmem_strbuf_get_str(url);
}

/* Appends s to the label of length at, as much of it as fits. */
static size_t
label_add(char *label, size_t at, const char *s)
{
    size_t n = MIN(strlen(s), ITEM_LABEL_LENGTH - 1 - at);

    memcpy(label + at, s, n);
    label[at + n] = '\0';
    return at + n;
}

/* "Record N, TYPE" or, newest first, "Record N (step S), TYPE", and ": TEXT"
 * when there is one, cut at Wireshark's ITEM_LABEL_LENGTH without a mark as
 * labels have always been. None where labels are not shown (an invisible
 * tree hides its items). Every record of a visible tree has one, and 4.0's
 * tshark makes the tree visible even for -T fields: the label is put
 * together here and set as one "%s", which costs a third of having
 * proto_item_set_text() format its parts. */
static void
set_record_label(proto_item *rec_item, const frame_scan_t *sc, const record_t *r, uint8_t kind,
                 unsigned number, unsigned step, const char *text)
{
    char label[ITEM_LABEL_LENGTH], num[sizeof("65535")];
    size_t at;

    if (rec_item == NULL || proto_item_is_hidden(rec_item))
        return;
    uint32_to_str_buf(number, num, sizeof(num));
    at = label_add(label, 0, "Record ");
    at = label_add(label, at, num);
    if (sc->newest_first) {
        uint32_to_str_buf(step, num, sizeof(num));
        at = label_add(label, at, " (step ");
        at = label_add(label, at, num);
        at = label_add(label, at, ")");
    }
    if (kind == MBUF_TRACE_UNKNOWN) {
        uint32_to_str_buf(r->type, num, sizeof(num));
        at = label_add(label, at, ", type ");
        at = label_add(label, at, num);
    } else {
        at = label_add(label, at, ", ");
        at = label_add(label, at, val_to_str_const(kind, mbuf_trace_record_type_vals, "?"));
    }
    if (text != NULL) {
        at = label_add(label, at, ": ");
        label_add(label, at, text);
    }
    proto_item_set_text(rec_item, "%s", label);
}

/* pf's reasons are 700 + PFRES_*: their value is the rule, their detail
 * the rule's label. */
static bool
is_pf_reason(unsigned reason)
{
    return reason >= MTRACE_R_PF_BASE && reason < MTRACE_R_PF_BASE + 100;
}

/* One fate as a person reads it: "bad header checksum", "pf: blocked by a
 * rule, rule 2 \"label\"", "udp 192.0.2.1:7 < 192.0.2.2:9", ... */
static void
describe_fate(wmem_strbuf_t *buf, tvbuff_t *tvb, packet_info *pinfo, const record_t *r)
{
    const char *detail = r->detail_len > 0
                             ? (const char *)tvb_get_string_enc(pinfo->pool, tvb, r->detail_off,
                                                                r->detail_len, ENC_UTF_8)
                             : NULL;

    /* Where the detail says all (a socket, an interface), it is the text. */
    if (detail != NULL && !is_pf_reason(r->reason) &&
        (r->fate == MTRACE_FATE_DELIVERED || r->fate == MTRACE_FATE_SENT)) {
        wmem_strbuf_append(buf, detail);
        return;
    }
    if (r->info != NULL)
        wmem_strbuf_append(buf, r->info->text);
    else
        wmem_strbuf_append_printf(buf, "reason %u", r->reason);
    if (is_pf_reason(r->reason)) {
        /* pf's default rule is number -1. */
        if (r->has_value && r->value == UINT32_MAX)
            wmem_strbuf_append(buf, ", the default rule");
        else if (r->has_value)
            wmem_strbuf_append_printf(buf, ", rule %u", r->value);
        if (detail != NULL)
            wmem_strbuf_append_printf(buf, " \"%s\"", detail);
        return;
    }
    if (r->has_value && (r->reason == MTRACE_R_ICMP_ERROR || r->reason == MTRACE_R_ICMP6_ERROR))
        wmem_strbuf_append_printf(buf, ", type %u code %u", r->value >> 8, r->value & 0xff);
    else if (r->has_value &&
             (r->reason == MTRACE_R_ICMP_INPUT || r->reason == MTRACE_R_ICMP6_INPUT))
        wmem_strbuf_append_printf(buf, ", type %u", r->value);
    else if (r->has_value)
        wmem_strbuf_append_printf(buf, " (%u)", r->value);
    if (detail != NULL)
        wmem_strbuf_append_printf(buf, ": %s", detail);
}

/* The function of the free site's first frame ("udp_input" of
 * "udp_input+0x1a2 < ip_input+0x88"), or NULL. */
static const char *
free_func(tvbuff_t *tvb, packet_info *pinfo, const record_t *r)
{
    const char *site, *end;

    if (r == NULL || r->avail <= MTRACE_FREE_HDRLEN)
        return NULL;
    site = (const char *)tvb_get_string_enc(pinfo->pool, tvb,
                                            r->off + MTRACE_RECORD_HDRLEN + MTRACE_FREE_HDRLEN,
                                            r->avail - MTRACE_FREE_HDRLEN, ENC_ASCII);
    end = site + strcspn(site, "+ ");
    return end > site ? wmem_strndup(pinfo->pool, site, end - site) : NULL;
}

/* What became of the packet, for the Info column and mbuf_trace.fate:
 * "dropped: bad header checksum", "sent: vtnet0", "unknown: freed in
 * udp_input", ... NULL for a frame that says nothing of it (the deployed
 * kernels'). */
static const char *
fate_summary(tvbuff_t *tvb, packet_info *pinfo, const frame_scan_t *st)
{
    wmem_strbuf_t *buf;
    const char *func;

    if (st->fate_rec == NULL && st->free_rec == NULL)
        return NULL;
    buf = wmem_strbuf_new(pinfo->pool, "");
    if (st->fate_rec == NULL) {
        wmem_strbuf_append(buf, "unknown");
        if ((func = free_func(tvb, pinfo, st->free_rec)) != NULL)
            wmem_strbuf_append_printf(buf, ": freed in %s", func);
        return wmem_strbuf_get_str(buf);
    }
    wmem_strbuf_append_printf(
        buf, "%s: ", val_to_str_const(st->fate_rec->fate, mbuf_trace_fate_vals, "?"));
    if (st->fate_rec->fate != MTRACE_FATE_DROPPED) {
        describe_fate(buf, tvb, pinfo, st->fate_rec);
        return wmem_strbuf_get_str(buf);
    }
    for (unsigned i = 0; i < st->n_drops; i++) {
        if (i > 0)
            wmem_strbuf_append(buf, "; ");
        describe_fate(buf, tvb, pinfo, st->drops[i]);
    }
    return wmem_strbuf_get_str(buf);
}

/* STRING and STRING_DYNAMIC, and generation 2's type 1. Returns what the
 * record's label shows after "Record N, TYPE: " when labelled (the tree is
 * visible), else NULL. */
static const char *
dissect_string(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, const record_t *r,
               bool labelled)
{
    int off = r->off + MTRACE_RECORD_HDRLEN;
    int len = r->text_len;
    const parsed_t *p = &r->parsed;
    const char *text = NULL;
    proto_item *pi;

    if (tree == NULL)
        return NULL;

    add_trace_text(tree, hf_string, tvb, off, len, r->nul >= 0 && r->nul < len, pinfo,
                   labelled ? &text : NULL);

    /* mbuf_trace.data is the Lua dissector's value: the string decoded as
     * ASCII (each byte >= 0x80 a U+FFFD) up to its first NUL, so that
     * existing filters and columns match what they matched. */
    if (r->avail == r->len) {
        pi = mbuf_trace_add_text(tree, hf_data, tvb, off, r->nul >= 0 ? r->nul : r->len, ENC_ASCII);
        proto_item_set_hidden(pi);
    }

    if (r->nul >= 0 && r->nul < len)
        proto_tree_add_expert_format(tree, pinfo, &ei_nul_in_string, tvb, off + r->nul, 1,
                                     "NUL byte inside the trace string at byte %d of %d "
                                     "(shown as \\0; the text after it is kept)",
                                     r->nul, len);

    if (p->file_len > 0) {
        mbuf_trace_add_text(tree, hf_file, tvb, off, p->file_len, ENC_UTF_8);
        proto_tree_add_uint(tree, hf_line, tvb, off + p->line_off, p->line_len, p->line);
        if (proto_field_is_referenced(tree, hf_source_url)) {
            const char *url = source_url(pinfo->pool, r->raw, p->file_len, p->line);

            if (url != NULL) {
                pi = proto_tree_add_string(tree, hf_source_url, tvb, off, p->line_off + p->line_len,
                                           url);
                proto_item_set_generated(pi);
                proto_item_set_url(pi);
            }
        }
    }
    if (p->func_len > 0)
        mbuf_trace_add_text(tree, hf_func, tvb, off + p->func_off, p->func_len, ENC_UTF_8);
    if (p->arg_off >= 0)
        mbuf_trace_add_text(tree, hf_arg, tvb, off + p->arg_off, p->arg_len, ENC_UTF_8);
    if (p->event != EVENT_NONE) {
        pi = proto_tree_add_uint(tree, hf_event, tvb,
                                 off + (p->sign_off >= 0 ? p->sign_off : p->func_off),
                                 p->sign_off >= 0 ? 1 : 0, p->event);
        proto_item_set_generated(pi);
    }
    if (p->text_off >= 0) {
        /* All of a string without a location is text: the String item
         * shows it already. */
        pi = add_trace_text(tree, hf_text, tvb, off + p->text_off, p->text_len,
                            r->nul >= p->text_off && r->nul < len, pinfo, NULL);
        if (p->file_len == 0)
            proto_item_set_hidden(pi);
    }
    if (!labelled)
        return NULL;
    return len == 0 ? "(empty)" : label_text(pinfo->pool, r->raw, len, text);
}

/* DATA and DATA_L3: the packet as it was at the trace point, each in the
 * record's own subtree. */
static void
dissect_snapshot(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, proto_item *rec_item,
                 const record_t *r, const frame_scan_t *sc, tree_pass_t *tp)
{
    int off = r->off + MTRACE_RECORD_HDRLEN;
    int len = r->avail, declared_len = r->len;
    uint32_t ethertype = 0;
    tvbuff_t *snap_tvb;
    bool is_packet = r == sc->packet_rec;
    uint32_t saved_in_error_pkt;

    proto_item_append_text(rec_item, ":");
    if (r->type == MTRACE_REC_DATA_L3) {
        proto_tree_add_item_ret_uint(tree, hf_ethertype, tvb, off, MTRACE_DATA_L3_HDRLEN,
                                     ENC_BIG_ENDIAN, &ethertype);
        off += MTRACE_DATA_L3_HDRLEN;
        len -= MTRACE_DATA_L3_HDRLEN;
        declared_len -= MTRACE_DATA_L3_HDRLEN;
        proto_item_append_text(rec_item, " %s (0x%04x),",
                               val_to_str_const(ethertype, etype_vals, "unknown ethertype"),
                               ethertype);
    }
    proto_item_append_text(rec_item, " %d-byte snapshot", declared_len);
    if (r->packet_len > (uint32_t)declared_len)
        proto_item_append_text(rec_item, " of a %u-byte packet", r->packet_len);
    tp->snapshots++;
    if (len == 0) {
        /* An FT_BYTES item of length 0 would read "<MISSING>". */
        proto_tree_add_bytes_format_value(tree, hf_packet, tvb, off, 0, NULL, "(empty)");
        return;
    }
    proto_tree_add_item(tree, hf_packet, tvb, off, len, ENC_NA);

    /* A snapshot the kernel cut short is shown the way Wireshark shows a
     * packet cut by a capture's snapshot length: its own bytes, the packet's
     * real length as the reported length. A subset of the frame cannot do
     * that: tvb_new_subset_length_caplen() keeps the subset's contained
     * length within the frame, so reading past the cut would raise
     * ContainedBoundsError (malformed), not BoundsError (short). Hence a copy
     * of the snapshot's bytes, living as long as the packet's dissection. */
    if (r->packet_len > (uint32_t)len) {
        snap_tvb = tvb_new_child_real_data(tvb, tvb_memdup(pinfo->pool, tvb, off, len), len,
                                           (int)MIN(r->packet_len, (uint32_t)G_MAXINT));
        add_new_data_source(pinfo, snap_tvb, "Cut snapshot");
    } else {
        snap_tvb = tvb_new_subset_length(tvb, off, len);
    }

    /* The packet's first snapshot in time is the packet itself: it alone
     * gives the row its Protocol, Info and addresses. The others are copies
     * of it taken at other points of the stack: dissect them the way
     * Wireshark dissects the packet quoted in an ICMP error, so TCP does no
     * sequence analysis or reassembly on them (packet.c,
     * call_dissector_work_error). */
    saved_in_error_pkt = pinfo->flags.in_error_pkt;
    if (!is_packet && !pref_analyze_snapshots)
        pinfo->flags.in_error_pkt = true;
    if (is_packet) {
        col_set_writable(pinfo->cinfo, -1, true);
        col_clear(pinfo->cinfo, COL_INFO);
    }

    TRY
    {
        if (r->type != MTRACE_REC_DATA_L3)
            call_dissector(eth_handle, snap_tvb, pinfo, tree);
        else if (!dissector_try_uint(ethertype_table, ethertype, snap_tvb, pinfo, tree))
            call_data_dissector(snap_tvb, pinfo, tree);
    }
    /* BoundsError too: a cut snapshot ends the dissection of that snapshot,
     * not of the frame, whose next records are all there. */
    CATCH_BOUNDS_ERRORS
    {
        show_exception(snap_tvb, pinfo, tree, EXCEPT_CODE, GET_MESSAGE);
    }
    CATCH(ReassemblyError)
    {
        show_exception(snap_tvb, pinfo, tree, EXCEPT_CODE, GET_MESSAGE);
    }
    ENDTRY;
    pinfo->flags.in_error_pkt = saved_in_error_pkt;

    if (is_packet) {
        const char *info = col_get_text(pinfo->cinfo, COL_INFO);
        const char *protocol = col_get_text(pinfo->cinfo, COL_PROTOCOL);

        tp->summary = info != NULL ? g_strchomp(wmem_strdup(pinfo->pool, info)) : NULL;
        tp->protocol = protocol != NULL ? wmem_strdup(pinfo->pool, protocol) : NULL;
        col_set_writable(pinfo->cinfo, -1, false);
        copy_address_wmem(pinfo->pool, &tp->first_src, &pinfo->src);
        copy_address_wmem(pinfo->pool, &tp->first_dst, &pinfo->dst);
    }
}

static void
dissect_time(tvbuff_t *tvb, proto_item *rec_item, int off, tree_pass_t *tp)
{
    uint64_t ns = tvb_get_ntoh64(tvb, off);

    tp->time_pending = true;
    tp->pending_time.secs = (time_t)(ns / 1000000000);
    tp->pending_time.nsecs = (int)(ns % 1000000000);
    tp->pending_time_off = off;
    tp->pending_time_item = rec_item;
    proto_item_append_text(rec_item, ": %" PRIu64 ".%09u s since mtrace_start", ns / 1000000000,
                           (unsigned)(ns % 1000000000));
}

/* The pending TIME stamps the record that follows it. */
static void
stamp_record(tvbuff_t *tvb, proto_tree *tree, tree_pass_t *tp)
{
    proto_item *pi;

    pi = proto_tree_add_item(tree, hf_time, tvb, tp->pending_time_off, MTRACE_TIME_LEN,
                             ENC_TIME_NSECS | ENC_BIG_ENDIAN);
    proto_item_set_generated(pi);
    if (tp->have_stamp) {
        nstime_t delta;

        nstime_delta(&delta, &tp->pending_time, &tp->last_stamp);
        pi = proto_tree_add_time(tree, hf_time_delta, tvb, tp->pending_time_off, MTRACE_TIME_LEN,
                                 &delta);
        proto_item_set_generated(pi);
    }
    tp->last_stamp = tp->pending_time;
    tp->have_stamp = true;
    tp->time_pending = false;
}

static void
flag_unused_time(packet_info *pinfo, tree_pass_t *tp)
{
    if (!tp->time_pending)
        return;
    expert_add_info(pinfo, tp->pending_time_item, &ei_time_unused);
    tp->time_pending = false;
}

/* FATE: what became of the packet, and why. */
static const char *
dissect_fate(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, const record_t *r)
{
    int off = r->off + MTRACE_RECORD_HDRLEN;
    bool pf = is_pf_reason(r->reason);
    proto_item *reason_item, *pi;
    wmem_strbuf_t *label;

    proto_tree_add_item(tree, hf_fate_kind, tvb, off, 1, ENC_NA);
    reason_item = proto_tree_add_item(tree, hf_fate_reason, tvb, off + 2, 2, ENC_BIG_ENDIAN);
    if (r->info != NULL)
        proto_item_append_text(reason_item, ": %s", r->info->text);
    if (r->has_value)
        proto_tree_add_item(tree, pf ? hf_pf_rule : hf_fate_value, tvb, off + 4, 4, ENC_BIG_ENDIAN);
    if (r->detail_len > 0)
        proto_tree_add_item(tree, pf ? hf_pf_label : hf_fate_detail, tvb, r->detail_off,
                            r->detail_len, ENC_UTF_8);
    if (r->fate == MTRACE_FATE_DROPPED) {
        const char *name = try_val_to_str_ext(r->reason, &reason_vals_ext);

        if (name != NULL) {
            pi = proto_tree_add_string(tree, hf_drop_reason, tvb, off + 2, 2, name);
            proto_item_set_generated(pi);
        }
        pi = proto_tree_add_uint(tree, hf_drop_code, tvb, off + 2, 2, r->reason);
        proto_item_set_generated(pi);
        if (r->info != NULL && r->info->counter != NULL) {
            pi = proto_tree_add_string(tree, hf_drop_counter, tvb, off + 2, 2, r->info->counter);
            proto_item_set_generated(pi);
        }
        expert_add_info_format(pinfo, reason_item, &ei_dropped, "Dropped: %s (%s)",
                               name != NULL ? name : "unknown reason",
                               r->info != NULL ? r->info->text
                                               : "a reason this plugin does not know");
    }
    if (proto_item_is_hidden(reason_item))
        return NULL;
    label = wmem_strbuf_new(pinfo->pool, val_to_str_const(r->fate, mbuf_trace_fate_vals, "fate ?"));
    wmem_strbuf_append_printf(label, " %s, ",
                              val_to_str_ext_const(r->reason, &reason_vals_ext, "unknown reason"));
    describe_fate(label, tvb, pinfo, r);
    return format_text(pinfo->pool, wmem_strbuf_get_str(label), wmem_strbuf_get_len(label));
}

/* FREE: where the trace ended, the frames "f+0x1a < g+0x2b < ...", each
 * frame's function an item of its own, and the thread. */
static const char *
dissect_free(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, const record_t *r)
{
    int off = r->off + MTRACE_RECORD_HDRLEN;
    int site_off = off + MTRACE_FREE_HDRLEN, site_len = r->avail - MTRACE_FREE_HDRLEN;
    proto_item *pi;
    const char *site, *thread;
    uint32_t pid;

    pi = proto_tree_add_item_ret_uint(tree, hf_free_pid, tvb, off, 4, ENC_BIG_ENDIAN, &pid);
    proto_tree_add_item(tree, hf_free_user, tvb, off + 4, 1, ENC_NA);
    proto_tree_add_item_ret_string(tree, hf_free_thread, tvb, off + 6, MTRACE_FREE_THREADLEN,
                                   ENC_ASCII, pinfo->pool, (const uint8_t **)&thread);
    if (site_len <= 0)
        return wmem_strdup_printf(pinfo->pool, "(no frames), thread %s, pid %u", thread, pid);
    proto_tree_add_item_ret_string(tree, hf_free_site, tvb, site_off, site_len, ENC_ASCII,
                                   pinfo->pool, (const uint8_t **)&site);
    /* Each frame "name+0xoff" or "0xaddr", separated by " < ". */
    for (int i = 0; i < site_len;) {
        int n = (int)strcspn(site + i, "+ ");

        if (n > 0 && site[i] != '0')
            proto_tree_add_item(tree, hf_free_func, tvb, site_off + i, n, ENC_ASCII);
        const char *next = strstr(site + i, " < ");
        if (next == NULL)
            break;
        i = (int)(next - site) + 3;
    }
    if (proto_item_is_hidden(pi))
        return NULL;
    site = wmem_strdup_printf(pinfo->pool, "%s, thread %s, pid %u", site, thread, pid);
    return format_text(pinfo->pool, site, strlen(site));
}

/* The tree pass, for one record: its subtree, its checks, and for a
 * snapshot its dissection. */
static void
dissect_one_record(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, unsigned number,
                   const frame_scan_t *sc, tree_pass_t *tp)
{
    const record_t *r = &sc->recs[number - 1];
    uint8_t kind = record_kind(sc->generation, r->type);
    int off = r->off + MTRACE_RECORD_HDRLEN;
    unsigned step = sc->newest_first ? sc->n_recs - number + 1 : number;
    proto_item *rec_item, *len_item, *type_item, *pi;
    proto_tree *rec_tree;
    const record_size_t *size = kind != MBUF_TRACE_UNKNOWN ? &record_sizes[kind] : NULL;
    bool labelled_later =
        is_string_kind(kind) || kind == MTRACE_REC_FATE || kind == MTRACE_REC_FREE;
    bool whole;

    rec_item =
        proto_tree_add_item(tree, hf_record, tvb, r->off, MTRACE_RECORD_HDRLEN + r->avail, ENC_NA);
    /* A label with text is written once, with its text, below. */
    if (!labelled_later)
        set_record_label(rec_item, sc, r, kind, number, step, NULL);
    rec_tree = proto_item_add_subtree(rec_item, ett_record);
    pi = proto_tree_add_uint(rec_tree, hf_record_index, tvb, r->off, 0, number);
    proto_item_set_generated(pi);
    pi = proto_tree_add_uint(rec_tree, hf_record_step, tvb, r->off, 0, step);
    proto_item_set_generated(pi);
    len_item = proto_tree_add_item(rec_tree, hf_record_length, tvb, r->off, 2, ENC_BIG_ENDIAN);
    type_item = proto_tree_add_item(rec_tree, tp->type_hf, tvb, r->off + 2, 2, ENC_BIG_ENDIAN);

    if (kind == MTRACE_REC_TIME)
        flag_unused_time(pinfo, tp);
    else if (tp->time_pending)
        stamp_record(tvb, rec_tree, tp);

    if (r->avail != r->len)
        expert_add_info_format(pinfo, rec_item, &ei_truncated,
                               "Record %u truncated: payload length %d, the frame holds %d", number,
                               r->len, r->avail);

    /* A fixed-size payload is decoded when the frame holds enough of it; a
     * length other than the format's is flagged. */
    whole = true;
    if (size != NULL && size->min > 0) {
        if (size->exact ? r->len != size->min : r->len < size->min)
            expert_add_info_format(pinfo, len_item, &ei_bad_length,
                                   "Payload length %d, this record type needs %s%d", r->len,
                                   size->exact ? "" : "at least ", size->min);
        whole = r->avail >= size->min && r->len >= size->min;
    }

    switch (kind) {
        case MTRACE_REC_DATA:
            dissect_snapshot(tvb, pinfo, rec_tree, rec_item, r, sc, tp);
            break;
        case MTRACE_REC_STRING:
        case MTRACE_REC_STRING_DYNAMIC:
            set_record_label(rec_item, sc, r, kind, number, step,
                             dissect_string(tvb, pinfo, rec_tree, r,
                                            rec_item != NULL && !proto_item_is_hidden(rec_item)));
            break;
        case MTRACE_REC_DATA_L3:
            if (whole)
                dissect_snapshot(tvb, pinfo, rec_tree, rec_item, r, sc, tp);
            break;
        case MTRACE_REC_TIME:
            if (whole)
                dissect_time(tvb, rec_item, off, tp);
            break;
        case MTRACE_REC_LOST:
            if (whole) {
                uint32_t lost;

                pi = proto_tree_add_item_ret_uint(rec_tree, hf_lost, tvb, off, MTRACE_LOST_LEN,
                                                  ENC_BIG_ENDIAN, &lost);
                expert_add_info_format(pinfo, pi, &ei_lost,
                                       "The kernel could not store %u records of this trace", lost);
                proto_item_append_text(rec_item, ": %u records lost", lost);
            }
            break;
        case MTRACE_REC_CUT:
            if (whole) {
                uint32_t len;

                pi = proto_tree_add_item_ret_uint(rec_tree, hf_packet_length, tvb, off,
                                                  MTRACE_CUT_LEN, ENC_BIG_ENDIAN, &len);
                proto_item_append_text(rec_item, ": the snapshot before was cut from %u bytes",
                                       len);
                if (!r->cut_used)
                    expert_add_info(pinfo, pi, &ei_cut_unused);
            }
            break;
        case MTRACE_REC_FATE:
            set_record_label(rec_item, sc, r, kind, number, step,
                             whole ? dissect_fate(tvb, pinfo, rec_tree, r) : NULL);
            break;
        case MTRACE_REC_FREE:
            set_record_label(rec_item, sc, r, kind, number, step,
                             whole ? dissect_free(tvb, pinfo, rec_tree, r) : NULL);
            break;
        default:
            expert_add_info_format(pinfo, type_item, &ei_unknown_type,
                                   "Unknown record type %u: %d bytes skipped", r->type, r->avail);
            break;
    }
}

/* The columns, written last, over what the snapshots' dissectors left (only
 * the packet's own snapshot runs with the columns writable), and after
 * clearing the fences: a dissector of that snapshot may set one (tunnels,
 * ICMP errors), which would keep its text ahead of ours. As for an
 * encapsulation, Protocol is the packet's: the innermost protocol of its
 * first snapshot's dissection, mbuf_trace when it has none. Info is what the
 * packet is (that snapshot's Info), then what the trace says: where it went
 * (the path) and what became of it, or, in the deployed kernels' frames,
 * which do not say, how many records and snapshots it has. */
static void
set_columns(packet_info *pinfo, const frame_scan_t *sc, const tree_pass_t *tp, const char *fate)
{
    unsigned records = sc->n_recs;

    col_clear_fence(pinfo->cinfo, COL_PROTOCOL);
    col_clear_fence(pinfo->cinfo, COL_INFO);
    if (tp->protocol != NULL && tp->protocol[0] != '\0')
        col_add_str(pinfo->cinfo, COL_PROTOCOL, tp->protocol);
    else
        col_set_str(pinfo->cinfo, COL_PROTOCOL, "mbuf_trace");
    col_clear(pinfo->cinfo, COL_INFO);
    if (tp->summary != NULL && tp->summary[0] != '\0')
        col_add_str(pinfo->cinfo, COL_INFO, tp->summary);
    if (sc->path != NULL && wmem_strbuf_get_len(sc->path) > 0)
        col_append_sep_str(pinfo->cinfo, COL_INFO, INFO_SEPARATOR, wmem_strbuf_get_str(sc->path));
    if (fate != NULL)
        col_append_sep_fstr(pinfo->cinfo, COL_INFO, " ", "[%s", fate);
    else
        col_append_sep_fstr(pinfo->cinfo, COL_INFO, " ", "[%u record%s, %u snapshot%s", records,
                            plurality(records, "", "s"), tp->snapshots,
                            plurality(tp->snapshots, "", "s"));
    if (sc->info != NULL && sc->info->lost > 0)
        col_append_fstr(pinfo->cinfo, COL_INFO, ", LOST %u", sc->info->lost);
    col_append_str(pinfo->cinfo, COL_INFO, "]");
}

static int
dissect_mbuf_trace(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data _U_)
{
    int frame_len = tvb_captured_length(tvb);
    proto_item *ti, *count_item, *pi;
    proto_tree *mt_tree;
    frame_scan_t sc = { 0 };
    tree_pass_t tp = { 0 };
    bool tapped = have_tap_listener(mbuf_trace_tap);
    uint32_t count = 0;
    const char *fate = NULL;
    int end;

    col_set_str(pinfo->cinfo, COL_PROTOCOL, "mbuf_trace");
    ti = proto_tree_add_item(tree, proto_mbuf_trace, tvb, 0, -1, ENC_NA);
    mt_tree = proto_item_add_subtree(ti, ett_mbuf_trace);

    if (frame_len < MTRACE_FRAME_HDRLEN) {
        proto_tree_add_expert_format(mt_tree, pinfo, &ei_truncated, tvb, 0, frame_len,
                                     "Frame of %d byte%s: too short for the record count",
                                     frame_len, plurality(frame_len, "", "s"));
        set_columns(pinfo, &sc, &tp, NULL);
        return frame_len;
    }
    count_item = proto_tree_add_item_ret_uint(mt_tree, hf_count, tvb, 0, MTRACE_FRAME_HDRLEN,
                                              ENC_BIG_ENDIAN, &count);
    sc.info = wmem_new0(pinfo->pool, mbuf_trace_tap_info_t);
    scan_records(tvb, pinfo, count, &sc);
    build_path(tvb, pinfo, &sc, tapped);
    tp.type_hf = sc.generation == 2 ? hf_record_type_gen2 : hf_record_type;

    pi = proto_tree_add_uint(mt_tree, hf_generation, tvb, 0, 0, sc.generation);
    proto_item_set_generated(pi);
    if (pref_generation != 0)
        proto_item_append_text(pi, " (set by preference)");
    pi = proto_tree_add_boolean(mt_tree, hf_newest_first, tvb, 0, 0, sc.newest_first);
    proto_item_set_generated(pi);
    pi = proto_tree_add_string(mt_tree, hf_path, tvb, 0, 0, sc.info->path);
    proto_item_set_generated(pi);
    sc.info->says_fate = sc.fate_rec != NULL || sc.free_rec != NULL;
    sc.info->fate = sc.fate_rec != NULL ? sc.fate_rec->fate : 0;
    if (sc.info->says_fate) {
        /* The fate as a person reads it: in the Info column and the item's
         * label, the item's value being its kind. */
        if (pinfo->cinfo != NULL || (ti != NULL && !proto_item_is_hidden(ti)))
            fate = fate_summary(tvb, pinfo, &sc);
        pi = proto_tree_add_string(
            mt_tree, hf_fate, tvb, 0, 0,
            sc.fate_rec != NULL
                ? val_to_str_const(sc.fate_rec->fate, mbuf_trace_fate_vals, "unknown")
                : "unknown");
        if (fate != NULL)
            proto_item_set_text(pi, "Fate: %s", fate);
        proto_item_set_generated(pi);
    }

    /* Sub-dissectors must not take over the columns: they are ours, and
     * only the packet's own snapshot gives Src/Dst (restored below). */
    col_set_writable(pinfo->cinfo, -1, false);
    for (unsigned number = 1; number <= sc.n_recs; number++)
        dissect_one_record(tvb, pinfo, mt_tree, number, &sc, &tp);
    col_set_writable(pinfo->cinfo, -1, true);
    flag_unused_time(pinfo, &tp);

    end = sc.n_recs > 0
              ? sc.recs[sc.n_recs - 1].off + MTRACE_RECORD_HDRLEN + sc.recs[sc.n_recs - 1].avail
              : MTRACE_FRAME_HDRLEN;
    if (sc.n_recs < count && end == frame_len)
        expert_add_info_format(pinfo, count_item, &ei_count_mismatch,
                               "Count says %u records, the frame ends after %u", count, sc.n_recs);
    else if (sc.n_recs < count)
        proto_tree_add_expert_format(mt_tree, pinfo, &ei_truncated, tvb, end, frame_len - end,
                                     "Record %u truncated: %d of the 4 header bytes", sc.n_recs + 1,
                                     frame_len - end);
    else if (end < frame_len)
        proto_tree_add_expert_format(mt_tree, pinfo, &ei_trailing, tvb, end, frame_len - end,
                                     "%d trailing bytes after the %u records", frame_len - end,
                                     count);

    proto_item_append_text(ti, ", %u record%s, %u snapshot%s", sc.n_recs,
                           plurality(sc.n_recs, "", "s"), tp.snapshots,
                           plurality(tp.snapshots, "", "s"));

    if (sc.packet_rec != NULL) {
        copy_address_shallow(&pinfo->src, &tp.first_src);
        copy_address_shallow(&pinfo->dst, &tp.first_dst);
    }
    set_columns(pinfo, &sc, &tp, fate);

    if (tapped) {
        mbuf_trace_tap_info_t *info = sc.info;

        info->where = free_func(tvb, pinfo, sc.free_rec);
        info->n_drops = sc.n_drops;
        info->drops = wmem_alloc_array(pinfo->pool, const char *, sc.n_drops);
        for (unsigned i = 0; i < sc.n_drops; i++) {
            const char *name = try_val_to_str_ext(sc.drops[i]->reason, &reason_vals_ext);

            info->drops[i] =
                name != NULL ? name
                             : wmem_strdup_printf(pinfo->pool, "reason %u", sc.drops[i]->reason);
        }
        tap_queue_packet(mbuf_trace_tap, pinfo, info);
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
        { &hf_generation,
          { "Generation", "mbuf_trace.generation", FT_UINT8, BASE_DEC, VALS(generation_vals), 0x0,
            "Which numbering of the record types the frame uses", HFILL } },
        { &hf_newest_first,
          { "Records written newest first", "mbuf_trace.newest_first", FT_BOOLEAN, BASE_NONE,
            NULL, 0x0, "The frame lists the records newest first, as the deployed kernels write them",
            HFILL } },
        { &hf_path,
          { "Path", "mbuf_trace.path", FT_STRING, BASE_NONE, NULL, 0x0,
            "Functions in the order the packet met them, repeats collapsed, joined by \" > \"",
            HFILL } },
        { &hf_record,
          { "Record", "mbuf_trace.record", FT_NONE, BASE_NONE, NULL, 0x0,
            NULL, HFILL } },
        { &hf_record_index,
          { "Index", "mbuf_trace.record.index", FT_UINT16, BASE_DEC, NULL, 0x0,
            "Position of the record in the frame, from 1", HFILL } },
        { &hf_record_step,
          { "Step", "mbuf_trace.record.step", FT_UINT16, BASE_DEC, NULL, 0x0,
            "Place of the record in time, from 1 (the oldest)", HFILL } },
        { &hf_record_length,
          { "Length", "mbuf_trace.record.length", FT_UINT16, BASE_DEC, NULL, 0x0,
            "Payload length", HFILL } },
        { &hf_record_type,
          { "Type", "mbuf_trace.record.type", FT_UINT16, BASE_DEC,
            VALS(mbuf_trace_record_type_vals), 0x0, NULL, HFILL } },
        { &hf_record_type_gen2,
          { "Type", "mbuf_trace.record.type", FT_UINT16, BASE_DEC,
            VALS(gen2_record_type_vals), 0x0, NULL, HFILL } },
        { &hf_string,
          { "String", "mbuf_trace.string", FT_STRING, BASE_NONE, NULL, 0x0,
            "Trace string without its terminating NUL, UTF-8, another NUL shown as \\0", HFILL } },
        { &hf_data,
          { "data", "mbuf_trace.data", FT_STRING, BASE_NONE, NULL, 0x0,
            "The Lua dissector's value: ASCII up to the first NUL", HFILL } },
        { &hf_file,
          { "File", "mbuf_trace.file", FT_STRING, BASE_NONE, NULL, 0x0,
            NULL, HFILL } },
        { &hf_line,
          { "Line", "mbuf_trace.line", FT_UINT32, BASE_DEC, NULL, 0x0,
            NULL, HFILL } },
        { &hf_source_url,
          { "Source", "mbuf_trace.source_url", FT_STRING, BASE_NONE, NULL, 0x0,
            "The file and line as a link, made from the source_url_template preference", HFILL } },
        { &hf_func,
          { "Function", "mbuf_trace.func", FT_STRING, BASE_NONE, NULL, 0x0,
            "Function or macro name", HFILL } },
        { &hf_arg,
          { "Argument", "mbuf_trace.arg", FT_STRING, BASE_NONE, NULL, 0x0,
            "What NAME(ARG) gives in parentheses", HFILL } },
        { &hf_event,
          { "Event", "mbuf_trace.event", FT_UINT8, BASE_DEC, VALS(event_vals), 0x0,
            "1 location (file:line, with or without text), 2 enter (+func), 3 leave (-func), "
            "4 mark (func)", HFILL } },
        { &hf_text,
          { "Text", "mbuf_trace.text", FT_STRING, BASE_NONE, NULL, 0x0,
            "Free text: a string that is no location, or what follows a location", HFILL } },
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
        { &hf_packet_length,
          { "Packet length", "mbuf_trace.packet_length", FT_UINT32, BASE_DEC, NULL, 0x0,
            "Length of the packet the snapshot before the CUT record was cut from", HFILL } },
        { &hf_fate,
          { "Fate", "mbuf_trace.fate", FT_STRING, BASE_NONE, NULL, 0x0,
            "What became of the packet: dropped, consumed, delivered, sent, or unknown (the "
            "trace ended without saying)", HFILL } },
        { &hf_fate_kind,
          { "Fate", "mbuf_trace.fate.kind", FT_UINT8, BASE_DEC, VALS(mbuf_trace_fate_vals), 0x0,
            "What this FATE record says became of the packet", HFILL } },
        { &hf_fate_reason,
          { "Reason", "mbuf_trace.fate.reason", FT_UINT16, BASE_DEC | BASE_EXT_STRING,
            &reason_vals_ext, 0x0, NULL, HFILL } },
        { &hf_fate_value,
          { "Value", "mbuf_trace.fate.value", FT_UINT32, BASE_DEC, NULL, 0x0,
            "The number the reason explains: an error, an ICMP type << 8 | code, a protocol",
            HFILL } },
        { &hf_fate_detail,
          { "Detail", "mbuf_trace.fate.detail", FT_STRING, BASE_NONE, NULL, 0x0,
            "The socket, the interface, or what else the kernel said", HFILL } },
        { &hf_drop_reason,
          { "Drop reason", "mbuf_trace.drop.reason", FT_STRING, BASE_NONE, NULL, 0x0,
            "The reason a packet was dropped, by name (IP_BADSUM)", HFILL } },
        { &hf_drop_code,
          { "Drop reason code", "mbuf_trace.drop.code", FT_UINT16, BASE_DEC, NULL, 0x0,
            NULL, HFILL } },
        { &hf_drop_counter,
          { "Counter", "mbuf_trace.drop.counter", FT_STRING, BASE_NONE, NULL, 0x0,
            "The statistic the stack counts the drop in: netstat -s (ip.ips_badsum), pfctl -si "
            "(pf.state-mismatch), an interface counter (if.iqdrops)", HFILL } },
        { &hf_pf_rule,
          { "pf rule", "mbuf_trace.pf.rule", FT_UINT32, BASE_DEC, NULL, 0x0,
            "The number of the pf rule that decided, as pfctl -vvsr shows it", HFILL } },
        { &hf_pf_label,
          { "pf label", "mbuf_trace.pf.label", FT_STRING, BASE_NONE, NULL, 0x0,
            "The label of the pf rule that decided", HFILL } },
        { &hf_free_pid,
          { "Process", "mbuf_trace.free.pid", FT_UINT32, BASE_DEC, NULL, 0x0,
            "The process whose thread ended the trace", HFILL } },
        { &hf_free_user,
          { "User process", "mbuf_trace.free.user", FT_BOOLEAN, 8, NULL, MTRACE_FREE_USER,
            "A user process ended the trace, not a kernel thread", HFILL } },
        { &hf_free_thread,
          { "Thread", "mbuf_trace.free.thread", FT_STRINGZPAD, BASE_NONE, NULL, 0x0,
            "The thread that ended the trace", HFILL } },
        { &hf_free_site,
          { "Free site", "mbuf_trace.free.site", FT_STRING, BASE_NONE, NULL, 0x0,
            "Where the trace ended (the packet was freed or its tags deleted), innermost frame "
            "first: \"func+0xoff < caller+0xoff < ...\"", HFILL } },
        { &hf_free_func,
          { "Function", "mbuf_trace.free.func", FT_STRING, BASE_NONE, NULL, 0x0,
            "A function of the free site, the first one the one that let the packet go",
            HFILL } },
    };

    static int *ett[] = {
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
        { &ei_cut_unused,
          { "mbuf_trace.cut_unused", PI_PROTOCOL, PI_WARN,
            "CUT record that follows no snapshot it could describe", EXPFILL } },
        { &ei_dropped,
          { "mbuf_trace.dropped", PI_SEQUENCE, PI_WARN,
            "The stack dropped the packet", EXPFILL } },
    };
    // clang-format on

    /* The table spells counters as C does; netstat -s names a member as
     * its struct does, pfctl -si with dashes; a reason without one has
     * "none.none". */
    for (unsigned i = 0; i < array_length(reason_infos); i++) {
        reason_info_t *ri = &reason_infos[i];

        if (strcmp(ri->counter, "none.none") == 0)
            ri->counter = NULL;
        else if (strncmp(ri->counter, "pf.", 3) == 0)
            ri->counter = g_strdelimit(g_strdup(ri->counter), "_", '-');
    }

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
        &pref_dlt_user, dlt_user_vals, false);
    prefs_register_bool_preference(
        mbuf_trace_module, "analyze_snapshots", "Analyze every snapshot",
        "Let the second and later snapshots of a trace feed TCP sequence analysis, reassembly "
        "and the address columns like real packets. Off: only the first snapshot does; the "
        "others are dissected like the packet quoted in an ICMP error.",
        &pref_analyze_snapshots);
    prefs_register_enum_preference(
        mbuf_trace_module, "generation", "Record type numbering",
        "Which generation's record types the frames use. Auto decides for each frame: a type 0 "
        "record is generation 2's, types 2 and up are generation 1's, and type 1 records alone are "
        "generation 2's strings when they are all NUL-terminated text.",
        &pref_generation, generation_pref_vals, false);
    prefs_register_string_preference(
        mbuf_trace_module, "source_prefix", "Source tree prefix as captured",
        "Where the traced kernel's source tree was when it was built, e.g. /usr/src/. Trace "
        "strings name files below it; %f of the URL template is the path below it (relative "
        "paths are used as they are).",
        &pref_source_prefix);
    prefs_register_string_preference(
        mbuf_trace_module, "source_url_template", "Source URL template",
        "Makes every file:line a link: %f is the file below the source tree, %l the line, %% a "
        "%. E.g. vscode://file/home/me/src/%f:%l or "
        "https://cgit.freebsd.org/src/tree/%f?h=releng/15.1#n%l. Empty: no links.",
        &pref_source_url_template);
}

void
proto_reg_handoff_mbuf_trace(void)
{
    static bool initialized = false;
    static bool claimed = false;
    static unsigned claimed_encap;

    if (!initialized) {
        eth_handle = find_dissector_add_dependency("eth_withoutfcs", proto_mbuf_trace);
        ethertype_table = find_dissector_table("ethertype");
        register_mbuf_trace_stats_tree();
        initialized = true;
    }

    /* Give a released slot back to the built-in user_dlt dissector:
     * deleting the entry would leave the linktype with no dissector. */
    if (claimed) {
        dissector_handle_t user_dlt = find_dissector("user_dlt");

        if (user_dlt != NULL)
            dissector_add_uint("wtap_encap", claimed_encap, user_dlt);
        else
            dissector_delete_uint("wtap_encap", claimed_encap, mbuf_trace_handle);
        claimed = false;
    }
    /* dissector_add_uint, not dissector_change_uint: a "Decode As" change is
     * undone when the settings load, an addition is not. */
    if (pref_claim_encap) {
        claimed_encap = WTAP_ENCAP_USER0 + (unsigned)pref_dlt_user;
        dissector_add_uint("wtap_encap", claimed_encap, mbuf_trace_handle);
        claimed = true;
    }
}
