# 25-fates: what became of each packet, recorded where the stack decides
# it (docs/drops.md): a typed reason at every drop site of the files the
# integration instruments, a fate where a packet is delivered, sent or
# turned into another packet.  The sites are in fates/*.sh, one file per
# part of the stack.
#
# What counts as a drop site: a statement that counts a packet the stack
# then frees or gives up on without delivering or sending it; that is, an
# increment of a drop counter (a counter some reason of
# <sys/mbuf_trace_reason.h> names: *STAT_INC/_ADD, if_inc_counter() of
# IFCOUNTER_IERRORS, _IQDROPS, _OERRORS, _OQDROPS, _NOPROTO, pf's
# REASON_SET()).  Every increment of a drop counter gets a record naming a
# reason with that counter, so that the counters and the traces agree;
# where there is no packet to record it on, an mt_skip line says why.  A
# drop the stack does not count gets a reason whose counter is "none" where
# it is worth telling apart; the FREE record names every other one.
#
# Conventions:
# - The record goes in front of the counter (mt_fate), on the mbuf being
#   counted, and before anything that frees it.
# - A reason that the packet's counter covers alone is mtrace_drop(); one
#   counter for several conditions gets a reason each, or one reason with
#   the condition as a static string (mtrace_drop_why()).
# - Delivered, sent and consumed packets get their fate where the stack
#   lets go of them: mtrace_deliver() before the socket buffer takes them,
#   mtrace_sent() where the driver does, mtrace_fate(m, ICMP_ERROR) where
#   icmp_error() has made the error that quotes them.

for mt_fates_part in "$mt_tools"/integrate.d/fates/*.sh; do
	[ -f "$mt_fates_part" ] || continue
	. "$mt_fates_part"
done
