# pf: pf_test() gives every packet its verdict, and its drops go through
# one switch at its end, with the PFRES_* reason pf counts (pfctl -si) and
# the rule that decided (its number, as pfctl -vvsr shows it, and label).
f=sys/netpfil/pf/pf.c
mt_include $f
mt_insert $f pf_test after '^	case PF_SYNPROXY_DROP:$' \
    "${T}${T}mtrace_drop_pf(*m0, reason, r->nr, r->label[0]);"
mt_insert $f pf_test after '^	case PF_DROP:$' \
    "${T}${T}mtrace_drop_pf(*m0, reason, r->nr, r->label[0]);"
