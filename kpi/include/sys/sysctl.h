/*
 * KPI stand-in: sysctl(9).  OIDs go to a linker set; kpi_sysctl_get() and
 * kpi_sysctl_set() find them by dotted name and call their handlers, as
 * sysctl(8) would.
 */
#ifndef KPI_SYS_SYSCTL_H
#define KPI_SYS_SYSCTL_H

#include <sys/param.h>

#define CTLTYPE        0xf
#define CTLTYPE_NODE   1
#define CTLTYPE_INT    2
#define CTLTYPE_UINT   6
#define CTLTYPE_STRING 3
#define CTLTYPE_OPAQUE 5
#define CTLTYPE_U64    9
#define CTLFLAG_RD     0x80000000
#define CTLFLAG_WR     0x40000000
#define CTLFLAG_RW     (CTLFLAG_RD | CTLFLAG_WR)
#define CTLFLAG_TUN    0x00080000
#define CTLFLAG_RWTUN  (CTLFLAG_RW | CTLFLAG_TUN)
#define CTLFLAG_MPSAFE 0x00040000
#define CTLFLAG_VNET   0x00020000 /* one VNET here: arg1 needs no moving */
#define CTLFLAG_STATS  0x00002000
#define OID_AUTO       (-1)

struct sysctl_oid;

struct sysctl_req {
    void *oldptr;
    size_t oldlen;
    size_t oldidx;
    const void *newptr;
    size_t newlen;
    size_t newidx;
    int (*oldfunc)(struct sysctl_req *, const void *, size_t);
    int (*newfunc)(struct sysctl_req *, void *, size_t);
};

/* Handlers need not use every argument; the kernel builds without -Wextra. */
#define SYSCTL_HANDLER_ARGS                                                                        \
    struct sysctl_oid *oidp __unused, void *arg1 __unused, intmax_t arg2 __unused,                 \
        struct sysctl_req *req __unused

struct sysctl_oid {
    struct sysctl_oid *oid_parent;
    const char *oid_name;
    unsigned int oid_kind;
    void *oid_arg1;
    intmax_t oid_arg2;
    int (*oid_handler)(SYSCTL_HANDLER_ARGS);
    const char *oid_fmt;
    const char *oid_descr;
};

#define SYSCTL_IN(r, p, l)  ((r)->newfunc)((r), (p), (l))
#define SYSCTL_OUT(r, p, l) ((r)->oldfunc)((r), (p), (l))

int sysctl_handle_int(SYSCTL_HANDLER_ARGS);
int sysctl_handle_string(SYSCTL_HANDLER_ARGS);
int sysctl_handle_counter_u64(SYSCTL_HANDLER_ARGS);

#define SYSCTL_DECL(name) extern struct sysctl_oid sysctl_##name

#define SYSCTL_OID_DEF(parent, name, kind, a1, a2, handler, fmt, descr)                            \
    struct sysctl_oid sysctl_##parent##_##name = { &sysctl_##parent, #name, (kind), (a1), (a2),    \
                                                   (handler),        (fmt), (descr) };             \
    DATA_SET(sysctl_set, sysctl_##parent##_##name)

#define SYSCTL_OID(parent, nbr, name, kind, a1, a2, handler, fmt, descr)                           \
    static SYSCTL_OID_DEF(parent, name, kind, a1, a2, handler, fmt, descr)
#define SYSCTL_NODE(parent, nbr, name, access, handler, descr)                                     \
    SYSCTL_OID_DEF(parent, name, CTLTYPE_NODE | (access), NULL, 0, handler, "N", descr)
#define SYSCTL_INT(parent, nbr, name, access, ptr, val, descr)                                     \
    SYSCTL_OID(parent, nbr, name, CTLTYPE_INT | (access), (ptr), (val), sysctl_handle_int, "I",    \
               descr)
#define SYSCTL_PROC(parent, nbr, name, access, ptr, arg, handler, fmt, descr)                      \
    SYSCTL_OID(parent, nbr, name, (access), (ptr), (arg), handler, fmt, descr)
#define SYSCTL_COUNTER_U64(parent, nbr, name, access, ptr, descr)                                  \
    SYSCTL_OID(parent, nbr, name, CTLTYPE_U64 | CTLFLAG_MPSAFE | CTLFLAG_STATS | (access), (ptr),  \
               0, sysctl_handle_counter_u64, "QU", descr)

SYSCTL_DECL(_net);

#endif
