/*
 * KPI stand-in: the few atomic(9) operations the kernel sources use, as
 * relaxed C11 atomics (the kernel's have no barrier either).
 */
#ifndef KPI_MACHINE_ATOMIC_H
#define KPI_MACHINE_ATOMIC_H

#define atomic_add_int(p, v)      ((void)__atomic_fetch_add((p), (v), __ATOMIC_RELAXED))
#define atomic_subtract_int(p, v) ((void)__atomic_fetch_sub((p), (v), __ATOMIC_RELAXED))
#define atomic_load_int(p)        __atomic_load_n((p), __ATOMIC_RELAXED)
/* A pointer published with a release store is read with its dependency. */
#define atomic_load_ptr(p)         __atomic_load_n((p), __ATOMIC_ACQUIRE)
#define atomic_store_rel_ptr(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)

#endif
