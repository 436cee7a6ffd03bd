/* The trace points of the instrumented stack, emitted as the kernel would; see tp.h. */
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/mbuf.h>
#include <sys/mbuf_trace.h>

#define TP_DEFINE_TABLE
#include "tp.h"

void (*tp_drop_hook)(const char *reason);

static void
tp_count_drop(const char *text)
{
    if (tp_drop_hook != NULL && strncmp(text, "drop: ", 6) == 0)
        tp_drop_hook(text);
}

void
tp(struct mbuf *m, enum tp_id id)
{
    const struct tp *t = &tp_table[id];

    switch (t->kind) {
        case TP_KIND_START:
            mbuf_trace_start(m, 0, NULL, false);
            break;
        case TP_KIND_START_SOCKET:
            mbuf_trace_start_socket(m, NULL);
            break;
        case TP_KIND_ENTER:
            mbuf_trace_location(m, NULL, MTRACE_EV_ENTER, t->file, t->line, t->func);
            break;
        case TP_KIND_LEAVE:
            mbuf_trace_location(m, NULL, MTRACE_EV_LEAVE, t->file, t->line, t->func);
            break;
        case TP_KIND_FUNC:
            mbuf_trace_location(m, NULL, MTRACE_EV_MARK, t->file, t->line, t->func);
            break;
        case TP_KIND_LOCATION:
            mbuf_trace_location(m, NULL, MTRACE_EV_LOCATION, t->file, t->line, NULL);
            break;
        case TP_KIND_DATA:
            mbuf_trace_data(m, NULL, MTRACE_L2);
            break;
        case TP_KIND_END:
            mbuf_trace_end(m, NULL);
            break;
        case TP_KIND_STATIC:
        case TP_KIND_DYNAMIC:
            if (t->kind == TP_KIND_DYNAMIC)
                mbuf_trace_string_copy(m, NULL, t->file, t->line, t->text, strlen(t->text));
            else
                mbuf_trace_string(m, NULL, t->file, t->line, t->text, strlen(t->text));
            tp_count_drop(t->text);
            break;
        default:
            panic("tp: %s:%d takes arguments the table does not have", t->file, t->line);
    }
}

void
tp_start(struct mbuf *m, enum tp_id id, int proto, struct ifnet *ifp)
{
    const struct tp *t = &tp_table[id];

    KASSERT(t->kind == TP_KIND_START || t->kind == TP_KIND_START_ETHER ||
                t->kind == TP_KIND_START_PROTO,
            ("tp_start: %s:%d is no start point", t->file, t->line));
    mbuf_trace_start(m, proto, ifp, false);
}

void
tp_printf(struct mbuf *m, enum tp_id id, int arg)
{
    const struct tp *t = &tp_table[id];
    char text[128];

    KASSERT(t->kind == TP_KIND_PRINTF, ("tp_printf: %s:%d is no printf", t->file, t->line));
    mbuf_trace_printf(m, NULL, t->file, t->line, t->text, arg);
    snprintf(text, sizeof(text), t->text, arg);
    tp_count_drop(text);
}

/* The numbered trace points the replay uses, by the call each stands before. */
// clang-format off
static const struct {
    enum tp_id id;
    const char *before;
} places[] = {
    { TP_ETHER_OUTPUT_LEAVE_3, "ether_output_frame" },
    { TP_ETHER_DEMUX_LEAVE_1, "vlan_input_p" },
    { TP_ETHER_DEMUX_LEAVE_2, "netisr_dispatch" },
    { TP_IP_INPUT_LEAVE_2, "ip_forward" },
    { TP_IP_INPUT_LEAVE_3, "ip_protox" },
    { TP_IP_OUTPUT_LEAVE_1, "ip_output_send" },
    { TP_IP_OUTPUT_LEAVE_2, "ip_output_send" },
    { TP_TCP_INPUT_WITH_PORT_LEAVE_2, "tfb_tcp_do_segment" },
    { TP_IP6_INPUT_LEAVE_2, "ip6_forward" },
    { TP_IP6_INPUT_LEAVE_3, "ip6_protox" },
    { TP_IP6_OUTPUT_LEAVE_1, "ip6_output_send" },
};
// clang-format on

int
tp_check_places(void)
{
    int bad = 0;
    size_t i;

    for (i = 0; i < nitems(places); i++) {
        const struct tp *t = &tp_table[places[i].id];

        if (strcmp(t->before, places[i].before) != 0) {
            fprintf(stderr,
                    "%s:%d (%s): stands before a call of \"%s\", the replay expects \"%s\"\n",
                    t->file, t->line, t->func, t->before, places[i].before);
            bad++;
        }
    }
    return bad;
}
