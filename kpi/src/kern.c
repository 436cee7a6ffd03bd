/*
 * Stand-ins for the kernel's core: assertions, SYSINIT/SYSUNINIT, the
 * uptime clock, malloc(9) with failure injection, mutex(9), counter(9).
 */
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/counter.h>
#include <sys/epoch.h>
#include <sys/eventhandler.h>
#include <sys/kernel.h>
#include <sys/malloc.h>
#include <sys/mutex.h>
#include <sys/time.h>

#include <stdlib.h>

#include "kpi.h"
#include "kpi_private.h"

static void __dead2
vpanic(const char *fmt, va_list ap)
{
    fprintf(stderr, "panic: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    abort();
}

void
kassert_panic(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vpanic(fmt, ap);
}

void
panic(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vpanic(fmt, ap);
}

SET_DECLARE(sysinit_set, struct sysinit);
SET_DECLARE(sysuninit_set, struct sysinit);
SET_DECLARE(vnet_sysinit_set, struct sysinit);
SET_DECLARE(vnet_sysuninit_set, struct sysinit);

/* Sort key: (subsystem, order), then the place in the set, for stability. */
struct sysinit_ref {
    struct sysinit *si;
    size_t index;
};

static int
sysinit_cmp(const void *a, const void *b)
{
    const struct sysinit_ref *x = a, *y = b;

    if (x->si->subsystem != y->si->subsystem)
        return x->si->subsystem < y->si->subsystem ? -1 : 1;
    if (x->si->order != y->si->order)
        return x->si->order < y->si->order ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

/* Run the entries of one or two sets, merged in (subsystem, order) order. */
static void
sysinit_run(struct sysinit **begin, struct sysinit **end, struct sysinit **begin2,
            struct sysinit **end2, bool reverse)
{
    size_t n1 = begin != NULL ? (size_t)(end - begin) : 0;
    size_t n2 = begin2 != NULL ? (size_t)(end2 - begin2) : 0;
    size_t i, n = n1 + n2;
    struct sysinit_ref *refs;

    if (n == 0)
        return;
    refs = calloc(n, sizeof(*refs));
    if (refs == NULL)
        abort();
    for (i = 0; i < n; i++) {
        refs[i].si = i < n1 ? begin[i] : begin2[i - n1];
        refs[i].index = i;
    }
    qsort(refs, n, sizeof(*refs), sysinit_cmp);
    for (i = 0; i < n; i++) {
        struct sysinit *si = refs[reverse ? n - 1 - i : i].si;
        si->func(si->udata);
    }
    (free)(refs);
}

static bool booted;

void
kpi_boot(void)
{
    if (booted)
        kassert_panic("kpi_boot: booted twice");
    booted = true;
    sysinit_run(SET_BEGIN(sysinit_set), SET_LIMIT(sysinit_set), SET_BEGIN(vnet_sysinit_set),
                SET_LIMIT(vnet_sysinit_set), false);
}

void
kpi_shutdown(void)
{
    kpi_taskqueue_drain_all();
    sysinit_run(SET_BEGIN(sysuninit_set), SET_LIMIT(sysuninit_set), SET_BEGIN(vnet_sysuninit_set),
                SET_LIMIT(vnet_sysuninit_set), true);
    kpi_taskqueue_stop_threads();
}

/*
 * A VNET is made and ended by a thread outside the network epoch (jail(8)'s),
 * which may wait for it to pass: the caller's sections are left meanwhile.
 */
static void
vnet_sysinit_run(bool uninit)
{
    int depth = kpi_net_epoch_depth, i;

    for (i = 0; i < depth; i++)
        kpi_net_epoch_exit();
    if (uninit)
        sysinit_run(SET_BEGIN(vnet_sysuninit_set), SET_LIMIT(vnet_sysuninit_set), NULL, NULL, true);
    else
        sysinit_run(SET_BEGIN(vnet_sysinit_set), SET_LIMIT(vnet_sysinit_set), NULL, NULL, false);
    for (i = 0; i < depth; i++)
        kpi_net_epoch_enter();
}

void
kpi_vnet_destroy(void)
{
    vnet_sysinit_run(true);
}

void
kpi_vnet_create(void)
{
    vnet_sysinit_run(false);
}

static uint64_t clock_uptime_ns;
static uint64_t clock_step_ns;
static time_t clock_boottime = 1767225600; /* 2026-01-01T00:00:00Z */

void
kpi_clock_set(uint64_t uptime_ns, uint64_t step_ns)
{
    __atomic_store_n(&clock_step_ns, step_ns, __ATOMIC_RELAXED);
    __atomic_store_n(&clock_uptime_ns, uptime_ns, __ATOMIC_RELAXED);
}

void
kpi_clock_set_boottime(time_t sec)
{
    __atomic_store_n(&clock_boottime, sec, __ATOMIC_RELAXED);
}

void
nanouptime(struct timespec *tsp)
{
    uint64_t step = __atomic_load_n(&clock_step_ns, __ATOMIC_RELAXED);
    uint64_t ns = __atomic_fetch_add(&clock_uptime_ns, step, __ATOMIC_RELAXED);

    tsp->tv_sec = (time_t)(ns / 1000000000);
    tsp->tv_nsec = (long)(ns % 1000000000);
}

void
microtime(struct timeval *tvp)
{
    uint64_t ns = __atomic_load_n(&clock_uptime_ns, __ATOMIC_RELAXED);

    tvp->tv_sec = __atomic_load_n(&clock_boottime, __ATOMIC_RELAXED) + (time_t)(ns / 1000000000);
    tvp->tv_usec = (suseconds_t)(ns % 1000000000 / 1000);
}

static unsigned long malloc_nowait_calls;
static unsigned long malloc_fail_at; /* value of malloc_nowait_calls to fail; 0: none */

void
kpi_malloc_fail_nth(unsigned long n)
{
    unsigned long now = __atomic_load_n(&malloc_nowait_calls, __ATOMIC_SEQ_CST);

    __atomic_store_n(&malloc_fail_at, n == 0 ? 0 : now + n, __ATOMIC_SEQ_CST);
}

unsigned long
kpi_malloc_nowait_calls(void)
{
    return __atomic_load_n(&malloc_nowait_calls, __ATOMIC_SEQ_CST);
}

long
kpi_malloc_inuse(struct malloc_type *type)
{
    return __atomic_load_n(&type->ks_inuse, __ATOMIC_SEQ_CST);
}

void *
kpi_malloc(size_t size, struct malloc_type *type, int flags)
{
    void *p;

    if ((flags & (M_NOWAIT | M_WAITOK)) == 0 ||
        (flags & (M_NOWAIT | M_WAITOK)) == (M_NOWAIT | M_WAITOK))
        kassert_panic("malloc(%zu, %s): exactly one of M_NOWAIT, M_WAITOK", size,
                      type->ks_shortdesc);
    if (flags & M_NOWAIT) {
        unsigned long call = __atomic_add_fetch(&malloc_nowait_calls, 1, __ATOMIC_SEQ_CST);
        unsigned long fail = call;

        if (__atomic_compare_exchange_n(&malloc_fail_at, &fail, 0, false, __ATOMIC_SEQ_CST,
                                        __ATOMIC_SEQ_CST))
            return NULL;
    }
    p = (flags & M_ZERO) ? calloc(1, size) : (malloc)(size);
    if (p == NULL) /* M_WAITOK must not fail; neither may the stand-in */
        abort();
    __atomic_add_fetch(&type->ks_inuse, 1, __ATOMIC_SEQ_CST);
    return p;
}

void
kpi_free(void *addr, struct malloc_type *type)
{
    if (addr == NULL)
        return;
    if (__atomic_sub_fetch(&type->ks_inuse, 1, __ATOMIC_SEQ_CST) < 0)
        kassert_panic("free(%p, %s): more frees than allocations", addr, type->ks_shortdesc);
    (free)(addr);
}

void
mtx_init(struct mtx *m, const char *name, const char *type __unused, int opts __unused)
{
    pthread_mutex_init(&m->mtx_lock, NULL);
    m->mtx_name = name;
}

void
mtx_destroy(struct mtx *m)
{
    pthread_mutex_destroy(&m->mtx_lock);
}

void
mtx_lock(struct mtx *m)
{
    pthread_mutex_lock(&m->mtx_lock);
}

void
mtx_unlock(struct mtx *m)
{
    pthread_mutex_unlock(&m->mtx_lock);
}

void
mtx_sysinit(const void *arg)
{
    const struct mtx_args *margs = arg;

    mtx_init(margs->ma_mtx, margs->ma_desc, NULL, margs->ma_opts);
}

/* From libc: the kernel's come from a UMA zone, not from malloc(9). */
counter_u64_t
counter_u64_alloc(int wait __unused)
{
    counter_u64_t c = calloc(1, sizeof(*c));

    if (c == NULL)
        abort();
    return c;
}

void
counter_u64_free(counter_u64_t c)
{
    (free)(c);
}

void
counter_u64_zero(counter_u64_t c)
{
    __atomic_store_n(c, 0, __ATOMIC_RELAXED);
}

uint64_t
counter_u64_fetch(counter_u64_t c)
{
    return __atomic_load_n(c, __ATOMIC_RELAXED);
}

eventhandler_tag
kpi_eventhandler_register(struct kpi_eventhandler **list, void (*fn)(void), void *arg)
{
    struct kpi_eventhandler *eh = calloc(1, sizeof(*eh));

    if (eh == NULL)
        abort();
    eh->fn = fn;
    eh->arg = arg;
    eh->next = *list;
    *list = eh;
    return eh;
}

void
kpi_eventhandler_deregister(struct kpi_eventhandler **list, eventhandler_tag tag)
{
    struct kpi_eventhandler **p;

    for (p = list; *p != NULL; p = &(*p)->next) {
        if (*p == tag) {
            *p = tag->next;
            (free)(tag);
            return;
        }
    }
}
