/*
 * KPI stand-in: the command side of ddb(4).  DB_SHOW_COMMAND registers in
 * a linker set that kpi_db_show() searches; db_printf() output is kept for
 * the test to read.
 */
#ifndef KPI_DDB_DDB_H
#define KPI_DDB_DDB_H

#include <sys/param.h>

typedef intptr_t db_expr_t;
typedef void db_cmdfcn_t(db_expr_t addr, bool have_addr, db_expr_t count, char *modif);

struct kpi_db_command {
    const char *name;
    db_cmdfcn_t *fcn;
};

int db_printf(const char *fmt, ...) __printflike(1, 2);

/* The parameters are __unused: the kernel builds without -Wextra. */
#define DB_SHOW_COMMAND(cmd_name, func_name)                                                       \
    static db_cmdfcn_t func_name;                                                                  \
    static struct kpi_db_command func_name##_cmd = { #cmd_name, func_name };                       \
    DATA_SET(kpi_db_show_set, func_name##_cmd);                                                    \
    static void func_name(db_expr_t addr __unused, bool have_addr __unused,                        \
                          db_expr_t count __unused, char *modif __unused)

#endif
