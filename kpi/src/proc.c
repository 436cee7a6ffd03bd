/*
 * Stand-ins for what a free site is made of: curthread and its process,
 * stack(9)'s stack_save() and the kernel linker's symbol lookup.
 */
#define _GNU_SOURCE
#include <sys/param.h>
#include <sys/eventhandler.h>
#include <sys/linker.h>
#include <sys/proc.h>
#include <sys/stack.h>

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kpi.h"
#include "kpi_private.h"

/* The kernel's threads (the taskqueues') and everyone else's process. */
static struct proc kernel_proc = { .p_pid = 0, .p_flag = P_SYSTEM, .p_comm = "kernel" };
static struct proc user_proc;
static _Thread_local struct thread this_thread;

void
kpi_thread_is_kernel(const char *name)
{
    this_thread.td_proc = &kernel_proc;
    snprintf(this_thread.td_name, sizeof(this_thread.td_name), "%s", name);
}

struct thread *
kpi_curthread(void)
{
    if (this_thread.td_proc == NULL) {
        if (user_proc.p_pid == 0) {
            user_proc.p_pid = getpid();
            pthread_getname_np(pthread_self(), user_proc.p_comm, sizeof(user_proc.p_comm));
        }
        this_thread.td_proc = &user_proc;
        memcpy(this_thread.td_name, user_proc.p_comm, sizeof(this_thread.td_name));
    }
    return &this_thread;
}

/*
 * amd64's stack_save(): the return address above each frame, from the
 * caller's frame up, while the frame pointers go up the stack.  A frame
 * pointer that goes down or leaps more than a megabyte ends the walk, as
 * leaving the thread's kernel stack does in the kernel.
 */
struct frame {
    struct frame *f_frame;
    uintptr_t f_retaddr;
};

void
stack_save(struct stack *st)
{
    struct frame *frame = __builtin_frame_address(0);

    st->depth = 0;
    while (frame != NULL && st->depth < STACK_MAX && frame->f_retaddr != 0) {
        st->pcs[st->depth++] = frame->f_retaddr;
        if (frame->f_frame <= frame || (uintptr_t)frame->f_frame - (uintptr_t)frame > (1 << 20))
            break;
        frame = frame->f_frame;
    }
}

static long linker_lookups;

long
kpi_linker_lookups(void)
{
    return __atomic_load_n(&linker_lookups, __ATOMIC_SEQ_CST);
}

int
linker_search_symbol_name(caddr_t value, char *buf, unsigned int buflen, long *offset)
{
    Dl_info info;

    __atomic_add_fetch(&linker_lookups, 1, __ATOMIC_SEQ_CST);
    if (dladdr(value, &info) == 0 || info.dli_sname == NULL)
        return ENOENT;
    snprintf(buf, buflen, "%s", info.dli_sname);
    *offset = (long)((uintptr_t)value - (uintptr_t)info.dli_saddr);
    return 0;
}

struct kpi_eventhandler *kpi_eventhandler_kld_unload;

void
kpi_kld_unload(void)
{
    EVENTHANDLER_INVOKE(kld_unload, "module.ko", NULL, 0);
}
