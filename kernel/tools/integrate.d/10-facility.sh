# 10-facility: the mbuf_trace(9) facility itself: its sources and manual
# pages, the `options MBUF_TRACE' and `files' entries, and the NOTES entry
# so that LINT kernels build it.

mt_install sys/sys/mbuf_trace.h sys/sys/mbuf_trace.h
mt_install sys/sys/mbuf_trace_reason.h sys/sys/mbuf_trace_reason.h
mt_install sys/kern/kern_mbuf_trace.c sys/kern/kern_mbuf_trace.c
mt_install sys/net/if_mbuf_trace.c sys/net/if_mbuf_trace.c
mt_install sys/net/mbuf_trace_select.c sys/net/mbuf_trace_select.c
mt_install sys/net/mbuf_trace_var.h sys/net/mbuf_trace_var.h
mt_install share/man/man4/mbuf_trace.4 share/man/man4/mbuf_trace.4
mt_install share/man/man9/mbuf_trace.9 share/man/man9/mbuf_trace.9

mt_fragment sys/conf/files sys/conf/files.mbuf_trace

# Next to the other global mbuf option, MBUF_PACKET_ZONE_DISABLE.
mt_insert sys/conf/options "" after '^MBUF_PACKET_ZONE_DISABLE[[:space:]]+opt_global\.h$' \
    "$(grep -v -e '^#' -e '^[[:space:]]*$' "$mt_kernel/sys/conf/options.mbuf_trace")"

mt_insert sys/conf/NOTES "" after '^options[[:space:]]+KTR_VERBOSE$' "
#
# MBUF_TRACE compiles in mbuf_trace(9): stack code annotates a packet as it
# travels, and the trace leaves the kernel on the mbuf_trace interface when
# the packet is freed (tcpdump -i mbuf_trace).  See mbuf_trace(4).
#
options ${T}MBUF_TRACE"

mt_insert_sorted share/man/man4/Makefile '^	[A-Za-z0-9_.]+\.4 \\$' "${T}mbuf_trace.4 \\"
mt_insert_sorted share/man/man9/Makefile '^	[A-Za-z0-9_.]+\.9 \\$' "${T}mbuf_trace.9 \\"
mt_insert share/man/man9/Makefile "" after '^	mbuf_tags\.9 m_tag_unlink\.9$' "MLINKS+=mbuf_trace.9 mtrace.9 \\
${T}mbuf_trace.9 mtrace_.9 \\
${T}mbuf_trace.9 mtrace_data.9 \\
${T}mbuf_trace.9 mtrace_data_proto.9 \\
${T}mbuf_trace.9 mtrace_deliver.9 \\
${T}mbuf_trace.9 mtrace_drop.9 \\
${T}mbuf_trace.9 mtrace_drop_default.9 \\
${T}mbuf_trace.9 mtrace_drop_pf.9 \\
${T}mbuf_trace.9 mtrace_drop_value.9 \\
${T}mbuf_trace.9 mtrace_drop_why.9 \\
${T}mbuf_trace.9 mtrace_dynamic.9 \\
${T}mbuf_trace.9 mtrace_dynamic_length.9 \\
${T}mbuf_trace.9 mtrace_end.9 \\
${T}mbuf_trace.9 mtrace_enter.9 \\
${T}mbuf_trace.9 mtrace_fate.9 \\
${T}mbuf_trace.9 mtrace_fate_default.9 \\
${T}mbuf_trace.9 mtrace_fate_value.9 \\
${T}mbuf_trace.9 mtrace_func.9 \\
${T}mbuf_trace.9 mtrace_leave.9 \\
${T}mbuf_trace.9 mtrace_printf.9 \\
${T}mbuf_trace.9 mtrace_sent.9 \\
${T}mbuf_trace.9 mtrace_start.9 \\
${T}mbuf_trace.9 mtrace_static.9 \\
${T}mbuf_trace.9 mtrace_static_length.9"
