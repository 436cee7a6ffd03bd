/* fuzz_mbuf_trace.c
 * In-process libFuzzer harness: each input is one capture frame, handed to
 * the real epan as a DLT_USER0 record, with the mbuf_trace dissector linked
 * in (built with clang, -fsanitize=fuzzer,address,undefined).
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

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const guint8 *data, size_t size);

/* plugin.c: registers the dissector the way the plugin loader would. */
void plugin_register(void);

static epan_t *epan;
static epan_dissect_t *edt;
static column_info cinfo;
static guint32 frame_number;

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

    /* Columns too: the Info text is built from the fuzzed strings. */
    col_setup(&cinfo, prefs.num_cols);
    build_column_format_array(&cinfo, prefs.num_cols, TRUE);

    epan = epan_new(NULL, &provider);
    edt = epan_dissect_new(epan, TRUE, TRUE);
    return 0;
}

int
LLVMFuzzerTestOneInput(const guint8 *data, size_t size)
{
    wtap_rec rec;
    frame_data fd;

    if (size > WTAP_MAX_PACKET_SIZE_STANDARD)
        return 0;

    memset(&rec, 0, sizeof(rec));
#if MBUF_TRACE_WIRESHARK_AT_LEAST(4, 6)
    /* Also names the record type, which the frame dissector puts in a
     * column: left NULL, every frame ends in a failed assertion there. */
    wtap_setup_packet_rec(&rec, WTAP_ENCAP_USER0);
#else
    rec.rec_type = REC_TYPE_PACKET;
    rec.rec_header.packet_header.pkt_encap = WTAP_ENCAP_USER0;
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
