/* KPI stand-in: mutex(9) on POSIX mutexes (MTX_DEF only). */
#ifndef KPI_SYS_MUTEX_H
#define KPI_SYS_MUTEX_H

#include <sys/kernel.h>
#include <pthread.h>

#define MTX_DEF 0x00000000

struct mtx {
    pthread_mutex_t mtx_lock;
    const char *mtx_name;
};

void mtx_init(struct mtx *m, const char *name, const char *type, int opts);
void mtx_destroy(struct mtx *m);
void mtx_lock(struct mtx *m);
void mtx_unlock(struct mtx *m);

struct mtx_args {
    struct mtx *ma_mtx;
    const char *ma_desc;
    int ma_opts;
};

void mtx_sysinit(const void *arg);

/* As FreeBSD's: initialised at boot, destroyed by the SYSUNINIT. */
#define MTX_SYSINIT(name, mtx, desc, opts)                                                         \
    static struct mtx_args name##_args = { (mtx), (desc), (opts) };                                \
    SYSINIT(name##_mtx_sysinit, SI_SUB_LOCK, SI_ORDER_MIDDLE, mtx_sysinit, &name##_args);          \
    SYSUNINIT(name##_mtx_sysuninit, SI_SUB_LOCK, SI_ORDER_MIDDLE, mtx_destroy, (mtx))

#endif
