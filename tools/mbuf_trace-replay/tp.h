/*
 * tp.h - the trace points of the instrumented FreeBSD 15.1 stack, as the
 * replay emits them.
 *
 * tracepoints.tsv lists every mtrace_*() call that
 * kernel/tools/integrate.d/20-instrument.sh puts into the tree, with its
 * file, line, function and text (kernel/tools/mbuf_trace-tracepoints made
 * it from the instrumented tree); the build turns it into enum tp_id and
 * tp_table[] (gen-tracepoints.awk).  tp() makes the call the kernel macro
 * makes, with the kernel's file, line and function, through the unchanged
 * facility: so a replayed trace says what the kernel's would.
 */
#ifndef TP_H
#define TP_H

struct mbuf;
struct ifnet;

enum tp_kind {
    TP_KIND_START,
    TP_KIND_START_ETHER,
    TP_KIND_START_PROTO,
    TP_KIND_START_SOCKET,
    TP_KIND_START_CHOSEN,
    TP_KIND_ENTER,
    TP_KIND_LEAVE,
    TP_KIND_FUNC,
    TP_KIND_LOCATION,
    TP_KIND_DATA,
    TP_KIND_DATA_PROTO,
    TP_KIND_PRINTF,
    TP_KIND_STATIC,
    TP_KIND_DYNAMIC,
    TP_KIND_STATIC_LENGTH,
    TP_KIND_DYNAMIC_LENGTH,
    TP_KIND_END,
};

struct tp {
    const char *file; /* "sys/netinet/ip_input.c" */
    int line;
    const char *func;
    enum tp_kind kind;
    const char *text;   /* the string or format, or NULL */
    const char *before; /* what the line after it calls, or "" */
};

#include "tracepoints.h"

extern const struct tp tp_table[TP_COUNT];

/*
 * The mtrace_*() call of trace point id on m (not for printf ones, nor
 * for start points that take an interface).  A socket start point is
 * called without a socket: the replay's packets come from none.
 */
void tp(struct mbuf *m, enum tp_id id);
/*
 * The start point id (start, start_ether, start_proto): proto is what m
 * begins with (MTRACE_L2, an ethertype, 0), ifp its interface or NULL.
 */
void tp_start(struct mbuf *m, enum tp_id id, int proto, struct ifnet *ifp);
/* The mtrace_printf() of trace point id, whose format takes one int. */
void tp_printf(struct mbuf *m, enum tp_id id, int arg);

/*
 * Called with the text of every "drop: ..." record that goes into a
 * trace, for the replay's summary; NULL (the default) for none.
 */
extern void (*tp_drop_hook)(const char *reason);

/*
 * Numbered trace points (TP_IP_INPUT_LEAVE_3) are told apart by their
 * place only: the replay code states the source line each one it uses
 * stands before, and this checks those against the table.  Returns the
 * number of mismatches, each described on stderr.
 */
int tp_check_places(void);

#endif
