/* mbuf_trace-compat.h
 * The plugin is written against the newest Wireshark it is tested on (4.6);
 * this header is the one place that maps that API onto older releases
 * (4.0 to 4.4). Include it instead of <wireshark.h>.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef MBUF_TRACE_COMPAT_H
#define MBUF_TRACE_COMPAT_H

#include <wireshark.h>
#include <ws_version.h>

#define MBUF_TRACE_WIRESHARK_AT_LEAST(major, minor)                                                \
    (WIRESHARK_VERSION_MAJOR > (major) ||                                                          \
     (WIRESHARK_VERSION_MAJOR == (major) && WIRESHARK_VERSION_MINOR >= (minor)))

/* 4.6 moved value_string.h to wsutil. */
#if MBUF_TRACE_WIRESHARK_AT_LEAST(4, 6)
#include <wsutil/value_string.h>
#else
#include <epan/value_string.h>
#endif

/* 4.2 renamed wmem_strbuf_sized_new() and dropped its maximum size. */
#if !MBUF_TRACE_WIRESHARK_AT_LEAST(4, 2)
#define wmem_strbuf_new_sized(allocator, size) wmem_strbuf_sized_new((allocator), (size), 0)
#endif

/* 4.2 made the API's booleans (preferences, callbacks) bool (gboolean,
 * an int, before: a preference variable has this type) and
 * format_text() take char. */
#if MBUF_TRACE_WIRESHARK_AT_LEAST(4, 2)
#define MBUF_TRACE_API_BOOL bool
#else
#define MBUF_TRACE_API_BOOL gboolean
#include <epan/strutil.h>
#define format_text(scope, s, len) format_text((scope), (const guchar *)(s), (len))
#endif

/* 4.4 (the first release after 4.0 tested) named the tvb accessors and
 * the number formatters after the C99 types and deprecated the GLib-named
 * ones. */
#if !MBUF_TRACE_WIRESHARK_AT_LEAST(4, 4)
#include <epan/tvbuff.h>
#define tvb_get_uint8(tvb, offset) tvb_get_guint8((tvb), (offset))
#define tvb_find_uint8(tvb, offset, maxlength, needle)                                             \
    tvb_find_guint8((tvb), (offset), (maxlength), (needle))
#define uint32_to_str_buf(u, buf, buf_len) guint32_to_str_buf((u), (buf), (buf_len))
#endif

/* 4.6 made a -z handler's init callback (stat_tap_init_cb) say whether it
 * succeeded; before, it returned nothing. */
#if MBUF_TRACE_WIRESHARK_AT_LEAST(4, 6)
#define MBUF_TRACE_TAP_INIT_TYPE       bool
#define MBUF_TRACE_TAP_INIT_RETURN(ok) return (ok)
#else
#define MBUF_TRACE_TAP_INIT_TYPE       void
#define MBUF_TRACE_TAP_INIT_RETURN(ok) return
#endif

/* Before 4.4 (4.0, and 4.2, untested), tvb_get_string_enc() decodes a
 * string one byte at a time, a wmem_strbuf append each (about 25
 * instructions a byte); 4.4 copies valid text whole. Every string field a
 * tree shows pays it, and 4.0's tshark shows the whole tree even for -T
 * fields. So the plugin adds the string fields of the frame's bytes with
 * these, which are proto_tree_add_item() and
 * proto_tree_add_item_ret_string() from 4.4, and before add ASCII bytes,
 * whose value is the same in every encoding the plugin uses (ENC_ASCII,
 * ENC_UTF_8), as that value, made with one copy. */
#if MBUF_TRACE_WIRESHARK_AT_LEAST(4, 4)
#define mbuf_trace_add_text(tree, hf, tvb, off, len, encoding)                                     \
    proto_tree_add_item((tree), (hf), (tvb), (off), (len), (encoding))
#define mbuf_trace_add_text_ret(tree, hf, tvb, off, len, encoding, scope, retval)                  \
    proto_tree_add_item_ret_string((tree), (hf), (tvb), (off), (len), (encoding), (scope),         \
                                   (const uint8_t **)(retval))
#else
#include <epan/proto.h>
static inline proto_item *
mbuf_trace_add_text_ret(proto_tree *tree, int hf, tvbuff_t *tvb, int off, int len,
                        unsigned encoding, wmem_allocator_t *scope, const char **retval)
{
    const uint8_t *bytes = tvb_get_ptr(tvb, off, len);
    const char *value;

    for (int i = 0; i < len; i++) {
        if (bytes[i] >= 0x80)
            return proto_tree_add_item_ret_string(tree, hf, tvb, off, len, encoding, scope,
                                                  (const uint8_t **)retval);
    }
    value = wmem_strndup(scope, (const char *)bytes, len);
    if (retval != NULL)
        *retval = value;
    return proto_tree_add_string(tree, hf, tvb, off, len, value);
}

static inline proto_item *
mbuf_trace_add_text(proto_tree *tree, int hf, tvbuff_t *tvb, int off, int len, unsigned encoding)
{
    if (!proto_field_is_referenced(tree, hf))
        return proto_tree_add_item(tree, hf, tvb, off, len, encoding);
    return mbuf_trace_add_text_ret(tree, hf, tvb, off, len, encoding, PNODE_POOL(tree), NULL);
}
#endif

#endif /* MBUF_TRACE_COMPAT_H */
