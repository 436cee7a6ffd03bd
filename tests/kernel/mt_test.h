/*
 * mt_test.h - what the kernel tests share: a booted kernel with a listener
 * on mbuf_trace, packets from bytes, frames decoded strictly into records,
 * and statistics read through sysctl.
 */
#ifndef MT_TEST_H
#define MT_TEST_H

/* GLib first: <sys/malloc.h> makes free() the two-argument free(9). */
#include <glib.h>

#include <sys/param.h>
#include <sys/mbuf.h>
/* struct mtrace_filter needs struct bpf_insn first. */
#include <net/bpf.h>
#include <sys/mbuf_trace.h>

#include "kpi.h"

/* One record of a frame; payload points into the frame's copy. */
typedef struct {
    guint type;
    guint len;
    const guint8 *payload;
} MtRecord;

typedef struct {
    GBytes *bytes;     /* the frame as tapped */
    GArray *records;   /* MtRecord, the FREE record left out */
    struct timeval ts; /* BPF timestamp */
    bool has_free;     /* a FREE record came after the records */
    MtRecord free;     /* that record, checked to be well formed */
} MtFrame;

/* Boot, listen on mbuf_trace, default sysctls; call once from main(). */
void mt_init(int *argc, char ***argv);
/* Stop (false) or resume (true) listening on mbuf_trace; frames so far go. */
void mt_listen(bool on);
/* Sysctls back to their defaults, clock to 0/0, frames of earlier tests gone. */
void mt_reset(void);

/* A packet of len bytes 0, 1, 2, ... in segments seglen[nseg] (0: one mbuf). */
struct mbuf *mt_packet(size_t len, const size_t *seglen, size_t nseg);
const guint8 *mt_pattern(size_t len);

/*
 * Drain the emit queue and return the frames tapped since the last call,
 * each decoded; a frame that mt_frame_decode() (mt_frame.h) refuses fails
 * the test.  Free with g_ptr_array_unref().
 */
GPtrArray *mt_frames(void);
/* The only frame tapped since the last call; fails unless exactly one. */
MtFrame *mt_one_frame(GPtrArray **holder);
MtFrame *mt_decode(const guint8 *data, gsize len);
void mt_frame_free(gpointer frame);

/* Record i of f, checked to have the given type. */
const MtRecord *mt_record(const MtFrame *f, guint i, guint type);
/* Record i is a string (type 2 or 3) equal to s. */
void mt_assert_string(const MtFrame *f, guint i, guint type, const char *s);
/* Record i is a snapshot (type 1, or 4 with ethertype) of bytes[len]. */
void mt_assert_data(const MtFrame *f, guint i, int ethertype, const guint8 *bytes, gsize len);
/* The frame's LOST count: its last record, or 0 when it has none. */
guint32 mt_lost(const MtFrame *f);
/* The FREE record's frames text ("f+0x1a < g+0x2b"), its pid and thread. */
char *mt_free_frames(const MtFrame *f);
guint32 mt_free_pid(const MtFrame *f);
char *mt_free_thread(const MtFrame *f);
/* Record i is a FATE of this fate and reason (MTRACE_R_*); its detail. */
char *mt_fate(const MtFrame *f, guint i, guint fate, guint reason);

/* net.mbuf_trace.stats.NAME, e.g. "started" or "dropped.nomem". */
guint64 mt_stat(const char *name);
void mt_set(const char *name, unsigned int val);

/* Add a test /NAME running func, for ctest "kernel.NAME". */
#define mt_add(name, func) g_test_add_func("/" name, func)

#endif
