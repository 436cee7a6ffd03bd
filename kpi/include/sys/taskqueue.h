/*
 * KPI stand-in: taskqueue(9) on POSIX threads, with the enqueue, pending
 * and drain semantics of the manual page.
 */
#ifndef KPI_SYS_TASKQUEUE_H
#define KPI_SYS_TASKQUEUE_H

#include <sys/param.h>
#include <sys/queue.h>

typedef void task_fn_t(void *context, int pending);
typedef void (*taskqueue_enqueue_fn)(void *context);

struct task {
    STAILQ_ENTRY(task) ta_link;
    uint16_t ta_pending;
    unsigned short ta_priority;
    task_fn_t *ta_func;
    void *ta_context;
};

struct taskqueue;

struct taskqueue *taskqueue_create(const char *name, int mflags, taskqueue_enqueue_fn enqueue,
                                   void *context);
int taskqueue_start_threads(struct taskqueue **tqp, int count, int pri, const char *name, ...)
    __printflike(4, 5);
int taskqueue_enqueue(struct taskqueue *queue, struct task *task);
void taskqueue_drain_all(struct taskqueue *queue);
void taskqueue_thread_enqueue(void *context);

#define TASK_INIT(task, priority, func, context)                                                   \
    do {                                                                                           \
        (task)->ta_pending = 0;                                                                    \
        (task)->ta_priority = (priority);                                                          \
        (task)->ta_func = (func);                                                                  \
        (task)->ta_context = (context);                                                            \
    } while (0)

#endif
