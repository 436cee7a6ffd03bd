/*
 * Round trip: the kernel code writes a pcap file through the bpf stand-in,
 * the real tshark decodes it with the mbuf_trace plugin
 * (tools/tshark-with-plugin), and every record of every frame must match,
 * field by field, what this test did: types and lengths, strings, file,
 * line, function and event of locations, snapshot bytes and ethertypes,
 * TIME stamps and their deltas, LOST counts, fates with their reasons,
 * values and details, free sites with their process and thread.  Fields
 * are those of docs/fields.md, read from tshark's PDML.
 *
 * usage: test_roundtrip [g_test options] TSHARK-WITH-PLUGIN PLUGIN.so
 */
#include "mt_test.h"

#include <sys/endian.h>
#include <net/if_var.h>
#include <netinet/in_pcb.h>

#include <glib/gstdio.h>
#include <stdlib.h>

static const char *runner, *plugin;

/* A record as this test expects it, or as tshark shows it. */
typedef struct {
    guint type;
    guint length;
    char *string; /* STRING, STRING_DYNAMIC */
    char *file, *func, *event;
    char *text;         /* after "file:line: "; compared only when expected */
    gint64 line;        /* -1: none */
    char *packet;       /* snapshot bytes, lower-case hex */
    gint64 ethertype;   /* -1: none */
    gint64 time, delta; /* ns on a stamped record; -1: none */
    gint64 lost;        /* -1: none */
    char *fate;         /* FATE: "dropped", ...; NULL: none */
    gint64 reason;      /* -1: none */
    gint64 value;       /* FATE's value, pf's rule; -1: none */
    char *detail;       /* FATE's detail, pf's label */
    char *drop_reason;  /* the drop's reason by name */
    char *free_site;    /* FREE: its frames */
    char *free_thread;  /* FREE: its thread */
    gint64 free_pid;    /* -1: none */
} Rec;

typedef struct {
    GPtrArray *recs;  /* Rec */
    gint64 count;     /* mbuf_trace.count; -1 until seen */
    gint64 last_time; /* of the previous stamped record, for deltas */
    gint64 pending;   /* a TIME record's ns, for the record after it */
} Frame;

static void
rec_free(gpointer p)
{
    Rec *r = p;

    g_free(r->string);
    g_free(r->file);
    g_free(r->func);
    g_free(r->text);
    g_free(r->event);
    g_free(r->packet);
    g_free(r->fate);
    g_free(r->detail);
    g_free(r->drop_reason);
    g_free(r->free_site);
    g_free(r->free_thread);
    g_free(r);
}

static Rec *
rec_new(guint type, guint length)
{
    Rec *r = g_new0(Rec, 1);

    r->type = type;
    r->length = length;
    r->line = r->ethertype = r->time = r->delta = r->lost = -1;
    r->reason = r->value = r->free_pid = -1;
    return r;
}

static void
frame_free(gpointer p)
{
    Frame *f = p;

    g_ptr_array_unref(f->recs);
    g_free(f);
}

static Frame *
frame_new(GPtrArray *frames)
{
    Frame *f = g_new0(Frame, 1);

    f->recs = g_ptr_array_new_with_free_func(rec_free);
    f->count = f->last_time = f->pending = -1;
    g_ptr_array_add(frames, f);
    return f;
}

/* The expected side: what each mtrace_*() call must have produced. */

static Rec *
expect(Frame *f, guint type, guint length)
{
    Rec *r = rec_new(type, length);

    if (f->pending >= 0 && type != MTRACE_REC_TIME) {
        r->time = f->pending;
        if (f->last_time >= 0)
            r->delta = f->pending - f->last_time;
        f->last_time = f->pending;
        f->pending = -1;
    }
    g_ptr_array_add(f->recs, r);
    f->count = f->recs->len;
    return r;
}

static void
expect_time(Frame *f, gint64 ns)
{
    expect(f, MTRACE_REC_TIME, 8);
    f->pending = ns;
}

static void
expect_string(Frame *f, guint type, const char *s)
{
    expect(f, type, strlen(s))->string = g_strdup(s);
}

static void
expect_location(Frame *f, const char *file, int line, const char *func, const char *event)
{
    Rec *r;
    char *s = func == NULL ? g_strdup_printf("%s:%d", file, line)
                           : g_strdup_printf("%s:%d: %s%s", file, line,
                                             strcmp(event, "enter") == 0   ? "+"
                                             : strcmp(event, "leave") == 0 ? "-"
                                                                           : "",
                                             func);

    r = expect(f, MTRACE_REC_STRING, strlen(s));
    r->string = s;
    r->file = g_strdup(file);
    r->line = line;
    r->func = g_strdup(func);
    r->event = g_strdup(event);
}

/* A string made while source_position is on: "file:line: text". */
static void
expect_position(Frame *f, guint type, const char *file, int line, const char *text)
{
    Rec *r;
    char *s = g_strdup_printf("%s:%d: %s", file, line, text);

    r = expect(f, type, strlen(s));
    r->string = s;
    r->file = g_strdup(file);
    r->line = line;
    r->event = g_strdup("location");
    r->text = g_strdup(text);
}

static void
expect_data(Frame *f, int ethertype, const guint8 *bytes, gsize len)
{
    Rec *r = expect(f, ethertype == MTRACE_L2 ? MTRACE_REC_DATA : MTRACE_REC_DATA_L3,
                    len + (ethertype == MTRACE_L2 ? 0 : 2));
    GString *hex = g_string_new(NULL);
    gsize i;

    for (i = 0; i < len; i++)
        g_string_append_printf(hex, "%02x", bytes[i]);
    r->packet = g_string_free(hex, FALSE);
    r->ethertype = ethertype == MTRACE_L2 ? -1 : ethertype;
}

static void
expect_lost(Frame *f, guint32 n)
{
    expect(f, MTRACE_REC_LOST, 4)->lost = n;
}

/* A FATE record; value < 0: none. */
static void
expect_fate(Frame *f, const char *fate, const char *name, guint reason, gint64 value,
            const char *detail)
{
    Rec *r = expect(f, MTRACE_REC_FATE, MTRACE_FATE_HDRLEN + strlen(detail));

    r->fate = g_strdup(fate);
    r->reason = reason;
    r->value = value;
    r->detail = detail[0] != '\0' ? g_strdup(detail) : NULL;
    r->drop_reason = strcmp(fate, "dropped") == 0 ? g_strdup(name) : NULL;
}

/*
 * Each frame's FREE record as the kernel wrote it (where the trace ended
 * is the test's own code, which the test does not predict), put in place:
 * after the other records, before LOST.
 */
static void
expect_free_sites(GPtrArray *frames, struct kpi_bpf_listener *l)
{
    guint i;

    g_assert_cmpuint(kpi_bpf_nframes(l), ==, frames->len);
    for (i = 0; i < frames->len; i++) {
        Frame *f = g_ptr_array_index(frames, i);
        size_t len;
        const uint8_t *data = kpi_bpf_frame(l, i, &len, NULL);
        MtFrame *mf = mt_decode(data, len);
        Rec *r, *last;

        g_assert_true(mf->has_free);
        r = rec_new(MTRACE_REC_FREE, mf->free.len);
        r->free_pid = be32dec(mf->free.payload);
        r->free_thread = mt_free_thread(mf);
        r->free_site = mt_free_frames(mf);
        /* No frames (the stand-in linker names no static function): no item. */
        if (r->free_site[0] == '\0')
            g_clear_pointer(&r->free_site, g_free);
        last = f->recs->len > 0 ? g_ptr_array_index(f->recs, f->recs->len - 1) : NULL;
        if (last != NULL && last->type == MTRACE_REC_LOST)
            g_ptr_array_insert(f->recs, (gint)f->recs->len - 1, r);
        else
            g_ptr_array_add(f->recs, r);
        f->count = f->recs->len;
        mt_frame_free(mf);
    }
}

/* The decoded side: tshark -T pdml, parsed with GMarkup. */

typedef struct {
    GPtrArray *frames;
    Frame *frame; /* in an mbuf_trace proto */
    Rec *rec;     /* in an mbuf_trace.record field */
    int depth, rec_depth;
} Pdml;

/* "0.000001250" (seconds) in ns. */
static gint64
seconds_to_ns(const char *s)
{
    char **parts = g_strsplit(s, ".", 2);
    char frac[10] = "000000000";
    gint64 ns;

    g_assert_nonnull(parts[1]);
    g_assert_cmpuint(strlen(parts[1]), <=, 9);
    memcpy(frac, parts[1], strlen(parts[1]));
    ns = g_ascii_strtoll(parts[0], NULL, 10) * 1000000000 + g_ascii_strtoll(frac, NULL, 10);
    g_strfreev(parts);
    return ns;
}

static void
pdml_start(GMarkupParseContext *ctx G_GNUC_UNUSED, const char *element, const char **names,
           const char **values, gpointer data, GError **error G_GNUC_UNUSED)
{
    Pdml *p = data;
    const char *name = NULL, *show = NULL, *showname = NULL, *value = NULL;
    int i;

    p->depth++;
    for (i = 0; names[i] != NULL; i++) {
        if (strcmp(names[i], "name") == 0)
            name = values[i];
        else if (strcmp(names[i], "show") == 0)
            show = values[i];
        else if (strcmp(names[i], "showname") == 0)
            showname = values[i];
        else if (strcmp(names[i], "value") == 0)
            value = values[i];
    }
    if (name == NULL)
        return;
    if (strcmp(element, "proto") == 0 && strcmp(name, "mbuf_trace") == 0) {
        p->frame = frame_new(p->frames);
        return;
    }
    if (p->frame == NULL || strcmp(element, "field") != 0 || !g_str_has_prefix(name, "mbuf_trace."))
        return;
    if (strcmp(name, "mbuf_trace.count") == 0) {
        p->frame->count = g_ascii_strtoll(show, NULL, 10);
    } else if (strcmp(name, "mbuf_trace.record") == 0) {
        p->rec = rec_new(0, 0);
        p->rec_depth = p->depth;
        g_ptr_array_add(p->frame->recs, p->rec);
    } else if (p->rec == NULL) {
        return;
    } else if (strcmp(name, "mbuf_trace.record.type") == 0) {
        p->rec->type = (guint)g_ascii_strtoull(show, NULL, 10);
    } else if (strcmp(name, "mbuf_trace.record.length") == 0) {
        p->rec->length = (guint)g_ascii_strtoull(show, NULL, 10);
    } else if (strcmp(name, "mbuf_trace.string") == 0) {
        p->rec->string = g_strdup(show);
    } else if (strcmp(name, "mbuf_trace.file") == 0) {
        p->rec->file = g_strdup(show);
    } else if (strcmp(name, "mbuf_trace.line") == 0) {
        p->rec->line = g_ascii_strtoll(show, NULL, 10);
    } else if (strcmp(name, "mbuf_trace.func") == 0) {
        p->rec->func = g_strdup(show);
    } else if (strcmp(name, "mbuf_trace.text") == 0) {
        p->rec->text = g_strdup(show);
    } else if (strcmp(name, "mbuf_trace.event") == 0) {
        /* An integer with names: show is the number, showname reads
         * "Event: enter (2)". */
        const char *start = showname != NULL ? strstr(showname, ": ") : NULL;
        const char *end = start != NULL ? strstr(start, " (") : NULL;

        p->rec->event = end != NULL ? g_strndup(start + 2, end - start - 2) : g_strdup(show);
    } else if (strcmp(name, "mbuf_trace.packet") == 0) {
        p->rec->packet = g_strdup(value);
    } else if (strcmp(name, "mbuf_trace.ethertype") == 0) {
        p->rec->ethertype = g_ascii_strtoll(show, NULL, 16);
    } else if (strcmp(name, "mbuf_trace.time") == 0) {
        p->rec->time = seconds_to_ns(show);
    } else if (strcmp(name, "mbuf_trace.time_delta") == 0) {
        p->rec->delta = seconds_to_ns(show);
    } else if (strcmp(name, "mbuf_trace.lost") == 0) {
        p->rec->lost = g_ascii_strtoll(show, NULL, 10);
    } else if (strcmp(name, "mbuf_trace.fate.kind") == 0) {
        const char *start = showname != NULL ? strstr(showname, ": ") : NULL;
        const char *end = start != NULL ? strstr(start, " (") : NULL;

        p->rec->fate = end != NULL ? g_strndup(start + 2, end - start - 2) : g_strdup(show);
    } else if (strcmp(name, "mbuf_trace.fate.reason") == 0) {
        p->rec->reason = g_ascii_strtoll(show, NULL, 10);
    } else if (strcmp(name, "mbuf_trace.fate.value") == 0 ||
               strcmp(name, "mbuf_trace.pf.rule") == 0) {
        p->rec->value = g_ascii_strtoll(show, NULL, 10);
    } else if (strcmp(name, "mbuf_trace.fate.detail") == 0 ||
               strcmp(name, "mbuf_trace.pf.label") == 0) {
        p->rec->detail = g_strdup(show);
    } else if (strcmp(name, "mbuf_trace.drop.reason") == 0) {
        p->rec->drop_reason = g_strdup(show);
    } else if (strcmp(name, "mbuf_trace.free.pid") == 0) {
        p->rec->free_pid = g_ascii_strtoll(show, NULL, 10);
    } else if (strcmp(name, "mbuf_trace.free.thread") == 0) {
        p->rec->free_thread = g_strdup(show);
    } else if (strcmp(name, "mbuf_trace.free.site") == 0) {
        p->rec->free_site = g_strdup(show);
    }
}

static void
pdml_end(GMarkupParseContext *ctx G_GNUC_UNUSED, const char *element, gpointer data,
         GError **error G_GNUC_UNUSED)
{
    Pdml *p = data;

    if (p->rec != NULL && p->depth == p->rec_depth)
        p->rec = NULL;
    if (strcmp(element, "packet") == 0)
        p->frame = NULL;
    p->depth--;
}

static GPtrArray *
tshark_decode(const char *pcap)
{
    static const GMarkupParser parser = { pdml_start, pdml_end, NULL, NULL, NULL };
    char *qrunner = g_shell_quote(runner), *qplugin = g_shell_quote(plugin);
    char *qpcap = g_shell_quote(pcap);
    char *cmd = g_strdup_printf("exec %s %s -r - -T pdml < %s", qrunner, qplugin, qpcap);
    char *argv[] = { "/bin/sh", "-c", cmd, NULL };
    char *out = NULL, *err = NULL;
    Pdml p = { .frames = g_ptr_array_new_with_free_func(frame_free) };
    GMarkupParseContext *ctx;
    GError *error = NULL;
    int status;

    g_assert_true(
        g_spawn_sync(NULL, argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error));
    g_assert_no_error(error);
    if (!g_spawn_check_wait_status(status, NULL))
        g_error("%s failed:\n%s", cmd, err);
    ctx = g_markup_parse_context_new(&parser, G_MARKUP_DEFAULT_FLAGS, &p, NULL);
    g_assert_true(g_markup_parse_context_parse(ctx, out, -1, &error));
    g_assert_true(g_markup_parse_context_end_parse(ctx, &error));
    g_assert_no_error(error);
    g_markup_parse_context_free(ctx);
    g_free(out);
    g_free(err);
    g_free(cmd);
    g_free(qpcap);
    g_free(qplugin);
    g_free(qrunner);
    return p.frames;
}

static void
assert_same_int(const char *what, guint f, guint r, gint64 want, gint64 got)
{
    if (want != got)
        g_error("frame %u record %u: %s: want %" G_GINT64_FORMAT ", tshark shows %" G_GINT64_FORMAT,
                f, r, what, want, got);
}

static void
assert_same_str(const char *what, guint f, guint r, const char *want, const char *got)
{
    if (g_strcmp0(want, got) != 0)
        g_error("frame %u record %u: %s: want \"%s\", tshark shows \"%s\"", f, r, what,
                want ? want : "(none)", got ? got : "(none)");
}

/* The scenario: at the end of this file, under #line. */
static void ether_input(struct mbuf *m);
static void ip_input(struct mbuf *m);
static void ip_input_location(struct mbuf *m);
static void tcp_input(struct mbuf *m);

/* Trace packets into pcap; return what each frame must hold. */
static GPtrArray *
trace_into(const char *pcap)
{
    GPtrArray *frames = g_ptr_array_new_with_free_func(frame_free);
    struct kpi_bpf_listener *l;
    struct mbuf *m, *n;
    char dyn[] = "rule 17 matched";
    Frame *f, *g;
    int i;

    mt_reset();
    l = kpi_bpf_listen("mbuf_trace", pcap);
    g_assert_nonnull(l);

    /* Every kind of record, each stamped: start reads 1 ms, then +250 ns a read. */
    mt_set("timestamps", 1);
    kpi_clock_set(1000000, 250);
    f = frame_new(frames);
    m = mt_packet(60, NULL, 0);
    mtrace_start(m);
    ether_input(m);
    expect_time(f, 250);
    expect_location(f, "sys/net/if_ethersubr.c", 623, "ether_input", "enter");
    expect_time(f, 500);
    expect_data(f, MTRACE_L2, mt_pattern(60), 60);
    m->m_data += 14;
    m->m_len -= 14;
    m->m_pkthdr.len -= 14;
    ip_input(m);
    expect_time(f, 750);
    expect_location(f, "sys/netinet/ip_input.c", 512, "ip_input", "enter");
    expect_time(f, 1000);
    expect_data(f, 0x0800, mt_pattern(60) + 14, 46);
    expect_time(f, 1250);
    expect_string(f, MTRACE_REC_STRING_DYNAMIC, "ttl 64");
    expect_time(f, 1500);
    expect_string(f, MTRACE_REC_STRING, "bad checksum");
    expect_time(f, 1750);
    expect_location(f, "sys/netinet/ip_input.c", 516, "ip_input", "mark");
    expect_time(f, 2000);
    expect_location(f, "sys/netinet/ip_input.c", 517, "ip_input", "leave");
    ip_input_location(m);
    expect_time(f, 2250);
    expect_location(f, "sys/netinet/ip_input.c", 700, NULL, "location");
    mtrace_dynamic_length(m, dyn, 7);
    expect_time(f, 2500);
    expect_string(f, MTRACE_REC_STRING_DYNAMIC, "rule 17");
    m_freem(m);
    kpi_taskqueue_drain_all();

    /* source_position: strings say where they were made, as locations do. */
    mt_set("timestamps", 0);
    mt_set("source_position", 1);
    f = frame_new(frames);
    f->count = 2;
    m = mt_packet(60, NULL, 0);
    mtrace_start(m);
    tcp_input(m);
    expect_position(f, MTRACE_REC_STRING, "sys/netinet/tcp_input.c", 602, "drop: bad checksum");
    expect_position(f, MTRACE_REC_STRING_DYNAMIC, "sys/netinet/tcp_input.c", 603,
                    "drop: port 81 closed");
    m_freem(m);
    kpi_taskqueue_drain_all();
    mt_set("source_position", 0);

    /* A full trace: four records kept, two lost. */
    mt_set("timestamps", 0);
    mt_set("trace_max", 64);
    f = frame_new(frames);
    m = mt_packet(60, NULL, 0);
    mtrace_start(m);
    for (i = 0; i < 6; i++)
        mtrace(m, i < 4 ? "kept" : "lost");
    for (i = 0; i < 4; i++)
        expect_string(f, MTRACE_REC_STRING, "kept");
    expect_lost(f, 2);
    m_freem(m);
    kpi_taskqueue_drain_all();
    mt_set("trace_max", 8192);

    /* A copy and the original: each its own whole trace. */
    g = frame_new(frames);
    f = frame_new(frames);
    m = mt_packet(60, NULL, 0);
    mtrace_start(m);
    mtrace(m, "before the copy");
    n = m_dup(m, M_NOWAIT);
    mtrace(n, "copy");
    mtrace(m, "original");
    expect_string(g, MTRACE_REC_STRING, "before the copy");
    expect_string(g, MTRACE_REC_STRING, "copy");
    expect_string(f, MTRACE_REC_STRING, "before the copy");
    expect_string(f, MTRACE_REC_STRING, "original");
    m_freem(n);
    kpi_taskqueue_drain_all();
    m_freem(m);
    kpi_taskqueue_drain_all();

    /* What became of packets: every fate macro, pf's rule and label. */
    {
        struct inpcb inp = { .inp_inc = { .inc_lport = htons(7104), .inc_fport = htons(51000) },
                             .inp_vflag = INP_IPV4 };

        inp.inp_inc.inc_laddr.s_addr = htonl(0xc0000201);
        inp.inp_inc.inc_faddr.s_addr = htonl(0xc0000202);
        f = frame_new(frames);
        m = mt_packet(60, NULL, 0);
        mtrace_start(m);
        mtrace_drop(m, PF_MEMORY);
        expect_fate(f, "dropped", "PF_MEMORY", MTRACE_R_PF_MEMORY, -1, "");
        mtrace_drop_why(m, PF_SHORT, "shorter than its header");
        expect_fate(f, "dropped", "PF_SHORT", MTRACE_R_PF_SHORT, -1, "shorter than its header");
        mtrace_drop_pf(m, 0 /* PFRES_MATCH */, 2, "block-telnet");
        expect_fate(f, "dropped", "PF_MATCH", MTRACE_R_PF_MATCH, 2, "block-telnet");
        mtrace_fate_value(m, ICMP_ERROR, 3 << 8 | 3);
        expect_fate(f, "consumed", NULL, MTRACE_R_ICMP_ERROR, 3 << 8 | 3, "");
        mtrace_deliver(m, &inp, IPPROTO_UDP);
        expect_fate(f, "delivered", NULL, MTRACE_R_SOCKET, IPPROTO_UDP,
                    "udp 192.0.2.1:7104 < 192.0.2.2:51000");
        mtrace_sent(m, kpi_ifunit("mbuf_trace"));
        expect_fate(f, "sent", NULL, MTRACE_R_SENT, -1, "mbuf_trace");
        m_freem(m);
        kpi_taskqueue_drain_all();
    }

    /* A trace with no record. */
    frame_new(frames)->count = 0;
    m = mt_packet(60, NULL, 0);
    mtrace_start(m);
    m_freem(m);
    kpi_taskqueue_drain_all();

    expect_free_sites(frames, l);
    kpi_bpf_unlisten(l);
    g_ptr_array_unref(mt_frames());
    return frames;
}

static void
test_tshark_decodes_every_record_as_traced(void)
{
    char *dir = g_dir_make_tmp("mbuf_trace-XXXXXX", NULL);
    char *pcap = g_build_filename(dir, "roundtrip.pcap", NULL);
    GPtrArray *want, *got;
    guint i, j;

    if (runner == NULL || plugin == NULL) {
        g_test_skip("usage: test_roundtrip TSHARK-WITH-PLUGIN PLUGIN.so");
        return;
    }
    want = trace_into(pcap);
    got = tshark_decode(pcap);
    g_assert_cmpuint(got->len, ==, want->len);
    for (i = 0; i < want->len; i++) {
        Frame *wf = g_ptr_array_index(want, i), *gf = g_ptr_array_index(got, i);

        assert_same_int("record count", i + 1, 0, wf->count, gf->count);
        assert_same_int("records decoded", i + 1, 0, wf->recs->len, gf->recs->len);
        for (j = 0; j < wf->recs->len; j++) {
            Rec *w = g_ptr_array_index(wf->recs, j), *g = g_ptr_array_index(gf->recs, j);

            assert_same_int("type", i + 1, j + 1, w->type, g->type);
            assert_same_int("length", i + 1, j + 1, w->length, g->length);
            assert_same_str("string", i + 1, j + 1, w->string, g->string);
            assert_same_str("file", i + 1, j + 1, w->file, g->file);
            assert_same_int("line", i + 1, j + 1, w->line, g->line);
            assert_same_str("func", i + 1, j + 1, w->func, g->func);
            if (w->text != NULL)
                assert_same_str("text", i + 1, j + 1, w->text, g->text);
            assert_same_str("event", i + 1, j + 1, w->event, g->event);
            assert_same_str("packet", i + 1, j + 1, w->packet, g->packet);
            assert_same_int("ethertype", i + 1, j + 1, w->ethertype, g->ethertype);
            assert_same_int("time", i + 1, j + 1, w->time, g->time);
            assert_same_int("time_delta", i + 1, j + 1, w->delta, g->delta);
            assert_same_int("lost", i + 1, j + 1, w->lost, g->lost);
            assert_same_str("fate", i + 1, j + 1, w->fate, g->fate);
            assert_same_int("reason", i + 1, j + 1, w->reason, g->reason);
            assert_same_int("value", i + 1, j + 1, w->value, g->value);
            assert_same_str("detail", i + 1, j + 1, w->detail, g->detail);
            assert_same_str("drop reason", i + 1, j + 1, w->drop_reason, g->drop_reason);
            assert_same_int("free pid", i + 1, j + 1, w->free_pid, g->free_pid);
            assert_same_str("free thread", i + 1, j + 1, w->free_thread, g->free_thread);
            assert_same_str("free site", i + 1, j + 1, w->free_site, g->free_site);
        }
    }
    g_ptr_array_unref(want);
    g_ptr_array_unref(got);
    g_unlink(pcap);
    g_rmdir(dir);
    g_free(pcap);
    g_free(dir);
}

int
main(int argc, char **argv)
{
    mt_init(&argc, &argv);
    if (argc == 3) {
        runner = argv[1];
        plugin = argv[2];
    }
    mt_add("tshark_decodes_every_record_as_traced", test_tshark_decodes_every_record_as_traced);
    return g_test_run();
}

/* The trace points of the scenario, as a kernel build spells __FILE__. */
#line 620 "../../../net/if_ethersubr.c"
static void
ether_input(struct mbuf *m)
{
    mtrace_enter(m);
    mtrace_data(m);
}
#line 509 "/usr/src/sys/netinet/ip_input.c"
static void
ip_input(struct mbuf *m)
{
    mtrace_enter(m);
    mtrace_data_proto(m, 0x0800);
    mtrace_printf(m, "ttl %d", 64);
    mtrace(m, "bad checksum");
    mtrace_func(m);
    mtrace_leave(m);
}
#line 697 "/usr/src/sys/netinet/ip_input.c"
static void
ip_input_location(struct mbuf *m)
{
    mtrace_(m);
}
#line 599 "../../../netinet/tcp_input.c"
static void
tcp_input(struct mbuf *m)
{
    mtrace(m, "drop: bad checksum");
    mtrace_printf(m, "drop: port %d closed", 81);
}
