/* plugin.c
 * The symbols Wireshark's plugin loader looks up, and nothing else: every
 * other symbol of the module is hidden (C_VISIBILITY_PRESET).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#define WS_BUILD_DLL
#include <wireshark.h>
#include <ws_version.h>
#include <epan/proto.h>
/* Installed from 4.2 on, where it defines WS_PLUGIN_DESC_DISSECTOR. */
#if defined(__has_include)
#if __has_include(<wsutil/plugins.h>)
#include <wsutil/plugins.h>
#endif
#endif

void proto_register_mbuf_trace(void);
void proto_reg_handoff_mbuf_trace(void);

/* The loader refuses a plugin built for another major.minor. */
WS_DLL_PUBLIC_DEF const char plugin_version[] = PLUGIN_VERSION;
WS_DLL_PUBLIC_DEF const int plugin_want_major = WIRESHARK_VERSION_MAJOR;
WS_DLL_PUBLIC_DEF const int plugin_want_minor = WIRESHARK_VERSION_MINOR;

WS_DLL_PUBLIC void plugin_register(void);

void
plugin_register(void)
{
    static proto_plugin plug;

    plug.register_protoinfo = proto_register_mbuf_trace;
    plug.register_handoff = proto_reg_handoff_mbuf_trace;
    proto_register_plugin(&plug);
}

/* Newer releases also ask what kind of plugin this is. */
#ifdef WS_PLUGIN_DESC_DISSECTOR
WS_DLL_PUBLIC uint32_t plugin_describe(void);

uint32_t
plugin_describe(void)
{
    return WS_PLUGIN_DESC_DISSECTOR;
}
#endif
