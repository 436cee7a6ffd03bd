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

/* 4.6 moved value_string.h to wsutil and gave val_to_str() the scope that
 * val_to_str_wmem() took. Each macro below follows the header declaring the
 * old function, so that declaration keeps its own prototype. */
#if MBUF_TRACE_WIRESHARK_AT_LEAST(4, 6)
#include <wsutil/value_string.h>
#else
#include <epan/value_string.h>
#define val_to_str(scope, val, vs, fmt) val_to_str_wmem((scope), (val), (vs), (fmt))
#endif

/* 4.6 named the byte-order readers after the C99 types. */
#include <wsutil/pint.h>
#if !MBUF_TRACE_WIRESHARK_AT_LEAST(4, 6)
#define pntohu16(p) pntoh16(p)
#define pntohu32(p) pntoh32(p)
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

/* 4.4 (the first release after 4.0 tested) named the tvb accessors after
 * the C99 types and deprecated the GLib-named ones. */
#if !MBUF_TRACE_WIRESHARK_AT_LEAST(4, 4)
#include <epan/tvbuff.h>
#define tvb_get_uint8(tvb, offset) tvb_get_guint8((tvb), (offset))
#define tvb_find_uint8(tvb, offset, maxlength, needle)                                             \
    tvb_find_guint8((tvb), (offset), (maxlength), (needle))
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

#endif /* MBUF_TRACE_COMPAT_H */
