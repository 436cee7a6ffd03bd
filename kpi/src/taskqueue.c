/*
 * Stand-in for taskqueue(9) on POSIX threads.  As the manual page says: an
 * enqueued task that is already pending only has its pending count raised;
 * a task runs with the count it had, which is zeroed first; drain waits
 * until the task is neither pending nor running.
 */
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/malloc.h>
#include <sys/taskqueue.h>

#include <pthread.h>
#include <stdlib.h>

#include "kpi.h"
#include "kpi_private.h"

#define TQ_MAXTHREADS 4

struct taskqueue {
    const char *tq_name;
    taskqueue_enqueue_fn tq_enqueue;
    void *tq_context;
    pthread_mutex_t tq_mutex;
    pthread_cond_t tq_work; /* a task was queued, or the threads must stop */
    pthread_cond_t tq_idle; /* a task finished */
    STAILQ_HEAD(, task) tq_queue;
    struct task *tq_running;
    bool tq_held;
    bool tq_exiting;
    int tq_nthreads;
    pthread_t tq_threads[TQ_MAXTHREADS];
    struct taskqueue *tq_next;
};

static pthread_mutex_t tq_list_mutex = PTHREAD_MUTEX_INITIALIZER;
static struct taskqueue *tq_list;
static bool tq_all_held;

struct taskqueue *
taskqueue_create(const char *name, int mflags __unused, taskqueue_enqueue_fn enqueue, void *context)
{
    struct taskqueue *tq = calloc(1, sizeof(*tq));

    if (tq == NULL)
        abort();
    tq->tq_name = name;
    tq->tq_enqueue = enqueue;
    tq->tq_context = context;
    pthread_mutex_init(&tq->tq_mutex, NULL);
    pthread_cond_init(&tq->tq_work, NULL);
    pthread_cond_init(&tq->tq_idle, NULL);
    STAILQ_INIT(&tq->tq_queue);
    pthread_mutex_lock(&tq_list_mutex);
    tq->tq_held = tq_all_held;
    tq->tq_next = tq_list;
    tq_list = tq;
    pthread_mutex_unlock(&tq_list_mutex);
    return tq;
}

/* The enqueue function of thread-serviced queues: wake a thread. */
void
taskqueue_thread_enqueue(void *context)
{
    struct taskqueue *tq = *(struct taskqueue **)context;

    pthread_cond_signal(&tq->tq_work);
}

/* Runs the first queued task, with tq_mutex held around it but not during
 * it: its count is zeroed before it runs, and drain waiters hear when it is
 * done. */
static void
taskqueue_run_first(struct taskqueue *tq)
{
    struct task *task = STAILQ_FIRST(&tq->tq_queue);
    int pending;

    STAILQ_REMOVE_HEAD(&tq->tq_queue, ta_link);
    pending = task->ta_pending;
    task->ta_pending = 0;
    tq->tq_running = task;
    pthread_mutex_unlock(&tq->tq_mutex);
    task->ta_func(task->ta_context, pending);
    pthread_mutex_lock(&tq->tq_mutex);
    tq->tq_running = NULL;
    pthread_cond_broadcast(&tq->tq_idle);
}

static void *
taskqueue_thread_loop(void *arg)
{
    struct taskqueue *tq = arg;

    kpi_thread_is_kernel(tq->tq_name);
    pthread_mutex_lock(&tq->tq_mutex);
    for (;;) {
        while (!tq->tq_exiting && (tq->tq_held || STAILQ_EMPTY(&tq->tq_queue)))
            pthread_cond_wait(&tq->tq_work, &tq->tq_mutex);
        if (tq->tq_exiting && STAILQ_EMPTY(&tq->tq_queue))
            break;
        if (tq->tq_held)
            continue;
        taskqueue_run_first(tq);
    }
    pthread_mutex_unlock(&tq->tq_mutex);
    return NULL;
}

int
taskqueue_start_threads(struct taskqueue **tqp, int count, int pri __unused,
                        const char *name __unused, ...)
{
    struct taskqueue *tq = *tqp;
    int i;

    for (i = 0; i < count && tq->tq_nthreads < TQ_MAXTHREADS; i++)
        if (pthread_create(&tq->tq_threads[tq->tq_nthreads++], NULL, taskqueue_thread_loop, tq) !=
            0)
            abort();
    return 0;
}

int
taskqueue_enqueue(struct taskqueue *tq, struct task *task)
{
    pthread_mutex_lock(&tq->tq_mutex);
    if (task->ta_pending != 0) {
        if (task->ta_pending < UINT16_MAX)
            task->ta_pending++;
    } else {
        STAILQ_INSERT_TAIL(&tq->tq_queue, task, ta_link);
        task->ta_pending = 1;
        tq->tq_enqueue(tq->tq_context);
    }
    pthread_mutex_unlock(&tq->tq_mutex);
    return 0;
}

void
taskqueue_drain_all(struct taskqueue *tq)
{
    pthread_mutex_lock(&tq->tq_mutex);
    while (!STAILQ_EMPTY(&tq->tq_queue) || tq->tq_running != NULL)
        pthread_cond_wait(&tq->tq_idle, &tq->tq_mutex);
    pthread_mutex_unlock(&tq->tq_mutex);
}

static void
taskqueue_stop(struct taskqueue *tq)
{
    int i;

    pthread_mutex_lock(&tq->tq_mutex);
    tq->tq_exiting = true;
    pthread_cond_broadcast(&tq->tq_work);
    pthread_mutex_unlock(&tq->tq_mutex);
    for (i = 0; i < tq->tq_nthreads; i++)
        pthread_join(tq->tq_threads[i], NULL);
    tq->tq_nthreads = 0;
}

void
kpi_taskqueue_drain_all(void)
{
    struct taskqueue *tq;

    pthread_mutex_lock(&tq_list_mutex);
    for (tq = tq_list; tq != NULL; tq = tq->tq_next)
        taskqueue_drain_all(tq);
    pthread_mutex_unlock(&tq_list_mutex);
}

void
kpi_taskqueue_hold(bool hold)
{
    struct taskqueue *tq;

    pthread_mutex_lock(&tq_list_mutex);
    tq_all_held = hold;
    for (tq = tq_list; tq != NULL; tq = tq->tq_next) {
        pthread_mutex_lock(&tq->tq_mutex);
        tq->tq_held = hold;
        pthread_cond_broadcast(&tq->tq_work);
        pthread_mutex_unlock(&tq->tq_mutex);
    }
    pthread_mutex_unlock(&tq_list_mutex);
}

void
kpi_taskqueue_run_held(void)
{
    struct taskqueue *tq;

    pthread_mutex_lock(&tq_list_mutex);
    for (tq = tq_list; tq != NULL; tq = tq->tq_next) {
        pthread_mutex_lock(&tq->tq_mutex);
        while (tq->tq_held && !STAILQ_EMPTY(&tq->tq_queue))
            taskqueue_run_first(tq);
        pthread_mutex_unlock(&tq->tq_mutex);
    }
    pthread_mutex_unlock(&tq_list_mutex);
}

void
kpi_taskqueue_stop_threads(void)
{
    struct taskqueue *tq;

    pthread_mutex_lock(&tq_list_mutex);
    for (tq = tq_list; tq != NULL; tq = tq->tq_next)
        taskqueue_stop(tq);
    pthread_mutex_unlock(&tq_list_mutex);
}
