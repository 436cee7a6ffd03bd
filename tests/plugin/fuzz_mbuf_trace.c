/* fuzz_mbuf_trace.c
 * In-process libFuzzer harness: each input is a configuration byte and one
 * capture frame, handed to the real epan as a DLT_USER0 (or DLT_USER3)
 * record, with the mbuf_trace dissector linked in (built with clang,
 * -fsanitize=fuzzer,address,undefined).
 *
 * The configuration byte picks how the frame is dissected and a combination
 * of the plugin's preferences (the CFG_ bits below): with a visible tree, as
 * the GUI does; with an invisible tree in which every mbuf_trace field is
 * referenced, as tshark with a display filter does; or without a tree, as
 * tshark without -V does. fuzz.sh makes the seeds from the capture
 * generator's frames, each behind a few configuration bytes.
 *
 * The frame's tvb is the fuzzer's own exact-size buffer, so reading one byte
 * past the frame is an ASan report; under tshark the frame sits inside a
 * larger wiretap buffer and such over-reads go unseen. Run with
 * WIRESHARK_DEBUG_WMEM_OVERRIDE=simple so that wmem allocations are plain
 * mallocs ASan can check too.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "mbuf_trace-compat.h"

#include <epan/column.h>
#include <epan/column-info.h>
#include <epan/epan.h>
#include <epan/epan_dissect.h>
#include <epan/prefs.h>
#include <epan/timestamp.h>
#include <wiretap/wtap.h>
#include <wsutil/filesystem.h>
#include <wsutil/privileges.h>
#include <wsutil/report_message.h>
#include <wsutil/wslog.h>

#include <stdio.h>
#include <stdlib.h>

/* LeakSanitizer, when built with it (not in a coverage build). */
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#include <sanitizer/lsan_interface.h>
#define LSAN_DISABLE() __lsan_disable()
#define LSAN_ENABLE()  __lsan_enable()
#endif
#endif
#ifndef LSAN_DISABLE
#define LSAN_DISABLE()
#define LSAN_ENABLE()
#endif

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const guint8 *data, size_t size);

/* plugin.c: registers the dissector the way the plugin loader would. */
void plugin_register(void);

static epan_t *epan;
static epan_dissect_t *edt_visible, *edt_primed, *edt_none;
static column_info cinfo;
static guint32 frame_number;
static int proto_mbuf_trace_id;

/* The configuration byte. */
#define CFG_ANALYZE   0x01 /* analyze_snapshots */
#define CFG_GEN       0x06 /* generation: auto, 1, 2, auto */
#define CFG_PREFIX    0x08 /* source_prefix /usr/src/ */
#define CFG_URL       0x10 /* source_url_template */
#define CFG_TREE      0x60 /* visible tree, primed invisible tree, no tree, visible */
#define CFG_USER3     0x80 /* dlt_user 3, the frame on DLT_USER3 */
#define CFG_TREE_NONE 0x40
#define CFG_PRIMED    0x20

static void
set_pref(const char *name, const char *value)
{
    char *arg = g_strdup_printf("mbuf_trace.%s:%s", name, value);
    char *errmsg = NULL;

    if (prefs_set_pref(arg, &errmsg) != PREFS_SET_OK) {
        fprintf(stderr, "fuzz_mbuf_trace: cannot set %s: %s\n", arg, errmsg ? errmsg : "?");
        abort();
    }
    g_free(errmsg);
    g_free(arg);
}

/* The plugin's preferences as cfg says, applied when they change. */
static void
apply_prefs(guint cfg)
{
    static const char *const generation[] = { "auto", "1", "2", "auto" };
    static int applied = -1;
    int want = (int)(cfg & ~CFG_TREE);

    if (want == applied)
        return;
    set_pref("analyze_snapshots", cfg & CFG_ANALYZE ? "TRUE" : "FALSE");
    set_pref("generation", generation[(cfg & CFG_GEN) >> 1]);
    set_pref("source_prefix", cfg & CFG_PREFIX ? "/usr/src/" : "");
    set_pref("source_url_template",
             cfg & CFG_URL ? "https://cgit.freebsd.org/src/tree/%f?h=releng/15.1#n%l%%" : "");
    set_pref("dlt_user", cfg & CFG_USER3 ? "3" : "0");
    prefs_apply_all();
    applied = want;
}

/* Every field of the protocol referenced, as by a display filter. */
static void
prime_fields(epan_dissect_t *edt)
{
    header_field_info *hfinfo;
    void *cookie = NULL;

    for (hfinfo = proto_get_first_protocol_field(proto_mbuf_trace_id, &cookie); hfinfo != NULL;
         hfinfo = proto_get_next_protocol_field(proto_mbuf_trace_id, &cookie))
        epan_dissect_prime_with_hfid(edt, hfinfo->id);
}

static void
print_failure(const char *fmt, va_list ap)
{
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

static void
print_open_failure(const char *name, int err, MBUF_TRACE_API_BOOL for_writing _U_)
{
    fprintf(stderr, "fuzz_mbuf_trace: cannot open %s: %s\n", name, g_strerror(err));
}

static void
print_read_failure(const char *name, int err)
{
    fprintf(stderr, "fuzz_mbuf_trace: cannot read %s: %s\n", name, g_strerror(err));
}

static const nstime_t *
frame_ts(struct packet_provider_data *prov _U_, guint32 number _U_)
{
    static const nstime_t zero = { 0, 0 };

    return &zero;
}

int
LLVMFuzzerInitialize(int *argc _U_, char ***argv)
{
    static const struct report_message_routines routines = {
        .vreport_failure = print_failure,
        .vreport_warning = print_failure,
        .report_open_failure = print_open_failure,
        .report_read_failure = print_read_failure,
        .report_write_failure = print_read_failure,
    };
    static const struct packet_provider_funcs provider = { .get_frame_ts = frame_ts };
    char *err;

#if MBUF_TRACE_WIRESHARK_AT_LEAST(4, 6)
    ws_log_init(NULL);
#else
    ws_log_init("fuzz_mbuf_trace", NULL);
#endif
    init_report_message("fuzz_mbuf_trace", &routines);
    timestamp_set_type(TS_RELATIVE);
    timestamp_set_precision(TS_PREC_AUTO);
    timestamp_set_seconds_type(TS_SECONDS_DEFAULT);
    init_process_policies();
#if MBUF_TRACE_WIRESHARK_AT_LEAST(4, 6)
    err = configuration_init((*argv)[0]);
#else
    err = configuration_init((*argv)[0], NULL);
#endif
    if (err != NULL) {
        fprintf(stderr, "fuzz_mbuf_trace: %s\n", err);
        g_free(err);
    }
    wtap_init(FALSE);

    /* Before epan_init, which must not scan the plugin folders: an
     * installed copy of the plugin would register the protocol twice. */
    plugin_register();
    if (!epan_init(NULL, NULL, FALSE)) {
        fprintf(stderr, "fuzz_mbuf_trace: epan_init failed\n");
        exit(1);
    }
    epan_load_settings();
    prefs_apply_all();

    /* Columns too: the Info text is built from the fuzzed strings.
     * LeakSanitizer reports this one-time setup as leaked; it is epan's,
     * made once, and only it is exempt from leak detection: a suppressions
     * file cannot name it, since glib has no frame pointers and the fast
     * unwinder stops at g_malloc (the slow one costs 99% of the speed). */
    LSAN_DISABLE();
    col_setup(&cinfo, prefs.num_cols);
    build_column_format_array(&cinfo, prefs.num_cols, TRUE);
    LSAN_ENABLE();

    epan = epan_new(NULL, &provider);
    edt_visible = epan_dissect_new(epan, TRUE, TRUE);
    edt_primed = epan_dissect_new(epan, TRUE, FALSE);
    edt_none = epan_dissect_new(epan, FALSE, FALSE);
    proto_mbuf_trace_id = proto_get_id_by_filter_name("mbuf_trace");
    return 0;
}

int
LLVMFuzzerTestOneInput(const guint8 *input, size_t input_size)
{
    epan_dissect_t *edt;
    const guint8 *data;
    wtap_rec rec;
    frame_data fd;
    size_t size;
    guint cfg;
    int encap;

    if (input_size < 1 || input_size - 1 > WTAP_MAX_PACKET_SIZE_STANDARD)
        return 0;
    cfg = input[0];
    data = input + 1;
    size = input_size - 1;
    apply_prefs(cfg);
    encap = cfg & CFG_USER3 ? WTAP_ENCAP_USER3 : WTAP_ENCAP_USER0;
    switch (cfg & CFG_TREE) {
        case CFG_PRIMED:
            edt = edt_primed;
            prime_fields(edt);
            break;
        case CFG_TREE_NONE:
            edt = edt_none;
            break;
        default:
            edt = edt_visible;
            break;
    }

    memset(&rec, 0, sizeof(rec));
#if MBUF_TRACE_WIRESHARK_AT_LEAST(4, 6)
    /* Also names the record type, which the frame dissector puts in a
     * column: left NULL, every frame ends in a failed assertion there. */
    wtap_setup_packet_rec(&rec, encap);
#else
    rec.rec_type = REC_TYPE_PACKET;
    rec.rec_header.packet_header.pkt_encap = encap;
#endif
    rec.presence_flags = WTAP_HAS_TS | WTAP_HAS_CAP_LEN;
    rec.rec_header.packet_header.caplen = (guint32)size;
    rec.rec_header.packet_header.len = (guint32)size;

    frame_data_init(&fd, ++frame_number, &rec, 0, 0);
#if MBUF_TRACE_WIRESHARK_AT_LEAST(4, 6)
    /* 4.6 dissects the record's own buffer: point it at the input itself,
     * not at a copy that could be larger. Nothing frees it. */
    rec.data.data = (uint8_t *)data;
    rec.data.allocated = size;
    rec.data.first_free = size;
    epan_dissect_run(edt, WTAP_FILE_TYPE_SUBTYPE_UNKNOWN, &rec, &fd, &cinfo);
#else
    epan_dissect_run(edt, WTAP_FILE_TYPE_SUBTYPE_UNKNOWN, &rec,
                     tvb_new_real_data(data, (guint)size, (gint)size), &fd, &cinfo);
#endif
    /* Guards against fuzzing nothing. The empty input libFuzzer starts
     * with never reaches a dissector here. */
    if (size > 0 && !proto_is_frame_protocol(edt->pi.layers, "mbuf_trace")) {
        fprintf(stderr, "fuzz_mbuf_trace: frame not handed to mbuf_trace: is USER0 claimed?\n");
        abort();
    }
    frame_data_destroy(&fd);
    epan_dissect_reset(edt);
    return 0;
}
