/*
 * mt_frame.h - the tests' one strict reader of a frame: what this kernel
 * writes by docs/format.md, and nothing else.  Written from the document,
 * not from the kernel's writer; plain C, so that the libFuzzer harnesses
 * (fuzz/) read frames as the GLib tests (mt_test.c) do.
 */
#ifndef MT_FRAME_H
#define MT_FRAME_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <sys/mbuf_trace.h>

/* One record; p points into the frame. */
struct mt_rec {
    unsigned type;
    size_t len;
    const uint8_t *p;
};

static inline unsigned
mt_be16(const uint8_t *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

static inline uint32_t
mt_be32(const uint8_t *p)
{
    return (uint32_t)mt_be16(p) << 16 | mt_be16(p + 2);
}

static inline int __attribute__((format(printf, 3, 4)))
mt_frame_fail(char *why, size_t whylen, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(why, whylen, fmt, ap);
    va_end(ap);
    return -1;
}

/*
 * Decode frame f[len] into rec[max]: the number of records, or -1 with
 * why[whylen] telling the first thing that is not as the kernel writes it:
 * a frame over MTRACE_FRAME_MAX bytes or without its count, more records
 * than max, a record cut, bytes after the last record, a type
 * MTRACE_RECORD_TYPES does not define or a length it does not allow, a
 * LOST of 0 records or not the last record, a FREE after which comes
 * anything but a LOST, a FREE's thread name without its NUL or its frames
 * text with one or over MTRACE_FREE_TEXTMAX bytes.  why is "" on success.
 */
static inline int
mt_frame_decode(const uint8_t *f, size_t len, struct mt_rec *rec, unsigned max, char *why,
                size_t whylen)
{
    unsigned count, i;
    size_t pos, min;
    int exact;

    why[0] = '\0';
    if (len < MTRACE_FRAME_HDRLEN || len > MTRACE_FRAME_MAX)
        return mt_frame_fail(why, whylen, "frame of %zu bytes", len);
    count = mt_be16(f);
    if (count > max)
        return mt_frame_fail(why, whylen, "%u records, more than the %u the reader holds", count,
                             max);
    pos = MTRACE_FRAME_HDRLEN;
    for (i = 0; i < count; i++) {
        struct mt_rec *r = &rec[i];

        if (len - pos < MTRACE_RECORD_HDRLEN)
            return mt_frame_fail(why, whylen, "record %u of %u: header cut at byte %zu of %zu", i,
                                 count, pos, len);
        r->len = mt_be16(f + pos);
        r->type = mt_be16(f + pos + 2);
        r->p = f + pos + MTRACE_RECORD_HDRLEN;
        pos += MTRACE_RECORD_HDRLEN;
        if (len - pos < r->len)
            return mt_frame_fail(why, whylen, "record %u of %u: %zu payload bytes, %zu left", i,
                                 count, r->len, len - pos);
        pos += r->len;
        switch (r->type) {
#define MT_FRAME_TYPE(name, type, length, is_exact)                                                \
    case type:                                                                                     \
        min = length;                                                                              \
        exact = is_exact;                                                                          \
        break;
            MTRACE_RECORD_TYPES(MT_FRAME_TYPE)
#undef MT_FRAME_TYPE
            default:
                return mt_frame_fail(why, whylen, "record %u: type %u", i, r->type);
        }
        if (r->len < min || (exact && r->len != min))
            return mt_frame_fail(why, whylen, "record %u: type %u of %zu bytes", i, r->type,
                                 r->len);
        if (r->type == MTRACE_REC_LOST && (i != count - 1 || mt_be32(r->p) == 0))
            return mt_frame_fail(why, whylen, "LOST of %u records is record %u of %u",
                                 mt_be32(r->p), i, count);
        if (r->type == MTRACE_REC_FREE) {
            const uint8_t *text = r->p + MTRACE_FREE_HDRLEN;
            size_t textlen = r->len - MTRACE_FREE_HDRLEN;

            if (i + 1 < count && (i + 2 < count || len - pos < MTRACE_RECORD_HDRLEN ||
                                  mt_be16(f + pos + 2) != MTRACE_REC_LOST))
                return mt_frame_fail(why, whylen, "FREE is record %u of %u, not the last but LOST",
                                     i, count);
            if (r->p[6 + MTRACE_FREE_THREADLEN - 1] != 0)
                return mt_frame_fail(why, whylen, "FREE's thread name is not NUL-terminated");
            if (textlen > MTRACE_FREE_TEXTMAX || memchr(text, 0, textlen) != NULL)
                return mt_frame_fail(why, whylen, "FREE's frames text of %zu bytes", textlen);
        }
    }
    if (pos != len)
        return mt_frame_fail(why, whylen, "%zu bytes after the frame's %u records", len - pos,
                             count);
    return (int)count;
}

#endif
