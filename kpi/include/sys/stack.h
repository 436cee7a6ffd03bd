/*
 * KPI stand-in: stack(9)'s stack_save(), which walks the frame pointers
 * from its caller up, as amd64's does; the sources and the tests are built
 * with frame pointers for it.
 */
#ifndef KPI_SYS_STACK_H
#define KPI_SYS_STACK_H

#include <sys/param.h>

#define STACK_MAX 18

typedef uintptr_t vm_offset_t;

struct stack {
    int depth;
    vm_offset_t pcs[STACK_MAX];
};

void stack_save(struct stack *st);

#endif
