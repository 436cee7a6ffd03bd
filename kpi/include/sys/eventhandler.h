/*
 * KPI stand-in: <sys/eventhandler.h>, static event handlers.  Each event
 * declared with EVENTHANDLER_DECLARE() has one list, defined by the
 * stand-in that invokes it (net.c: bpf_track); priorities are ignored.
 * Handlers register at SYSINIT time and deregister at SYSUNINIT time, so
 * the list is read without a lock.
 */
#ifndef KPI_SYS_EVENTHANDLER_H
#define KPI_SYS_EVENTHANDLER_H

struct kpi_eventhandler {
    void (*fn)(void);
    void *arg;
    struct kpi_eventhandler *next;
};
typedef struct kpi_eventhandler *eventhandler_tag;

#define EVENTHANDLER_PRI_ANY 10000

#define EVENTHANDLER_DECLARE(name, type)                                                           \
    typedef type kpi_eventhandler_##name##_t;                                                      \
    extern struct kpi_eventhandler *kpi_eventhandler_##name
#define EVENTHANDLER_REGISTER(name, func, arg, priority)                                           \
    kpi_eventhandler_register(&kpi_eventhandler_##name,                                            \
                              (void (*)(void))(kpi_eventhandler_##name##_t)(func), (arg))
#define EVENTHANDLER_DEREGISTER(name, tag)                                                         \
    kpi_eventhandler_deregister(&kpi_eventhandler_##name, (tag))
#define EVENTHANDLER_INVOKE(name, ...)                                                             \
    do {                                                                                           \
        for (struct kpi_eventhandler *_eh = kpi_eventhandler_##name; _eh != NULL; _eh = _eh->next) \
            ((kpi_eventhandler_##name##_t)_eh->fn)(_eh->arg, __VA_ARGS__);                         \
    } while (0)

eventhandler_tag kpi_eventhandler_register(struct kpi_eventhandler **list, void (*fn)(void),
                                           void *arg);
void kpi_eventhandler_deregister(struct kpi_eventhandler **list, eventhandler_tag tag);

/* A module was unloaded (kpi_kld_unload() invokes it). */
typedef void (*kld_unload_fn)(void *, const char *, char *, size_t);
EVENTHANDLER_DECLARE(kld_unload, kld_unload_fn);

#endif
